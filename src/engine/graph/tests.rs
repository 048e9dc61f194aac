//! Validation of flow definitions: what each problem code catches.

use super::*;
use crate::engine::starter;

#[test]
fn starter_templates_are_valid() {
    for t in starter::all() {
        let def = t.definition().unwrap();
        assert_eq!(def.validate(), vec![], "template {}", t.id);
    }
}

fn codes(def: &FlowDefinition) -> Vec<&'static str> {
    def.validate().into_iter().map(|p| p.code).collect()
}

fn default_registration() -> FlowDefinition {
    starter::by_id("registration-otp")
        .unwrap()
        .definition()
        .unwrap()
}

#[test]
fn views_come_in_the_order_people_meet_them() {
    let mut def = default_registration();
    assert_eq!(def.views_in_order(), vec!["details", "enter_code"]);
    def.steps.reverse();
    assert_eq!(def.views_in_order(), vec!["details", "enter_code"]);
    def.start = "enter_code".into();
    assert_eq!(
        def.views_in_order(),
        vec!["enter_code", "details"],
        "unreached views last"
    );
}

#[test]
fn finds_dangling_action_and_unreachable_step() {
    let mut def = default_registration();
    if let StepKind::View { actions, .. } = &mut def.steps[0].kind {
        actions[0].next = "nowhere".into();
    }
    let found = codes(&def);
    assert!(found.contains(&"dangling_action"), "{found:?}");
    assert!(found.contains(&"unreachable"), "{found:?}");
    assert!(found.contains(&"no_end"), "{found:?}");
}

/// Takes the inputs for `attribute` out of every form of every view.
fn drop_inputs(def: &mut FlowDefinition, attribute: &str) {
    for step in &mut def.steps {
        if let StepKind::View { components, .. } = &mut step.kind {
            for form in components.iter_mut() {
                form.components.retain(|c| c.attribute() != Some(attribute));
            }
        }
    }
}

#[test]
fn finds_missing_input_for_password_task() {
    let mut def = default_registration();
    drop_inputs(&mut def, "password");
    assert!(codes(&def).contains(&"missing_input"));
}

#[test]
fn finds_missing_attribute_and_start() {
    let mut def = default_registration();
    drop_inputs(&mut def, "email");
    def.start = "ghost".into();
    let found = codes(&def);
    assert!(found.contains(&"missing_attribute"), "{found:?}");
    assert!(found.contains(&"missing_start"), "{found:?}");
}

#[test]
fn finds_button_without_action_and_missing_outcome() {
    let mut def = default_registration();
    for step in &mut def.steps {
        match &mut step.kind {
            StepKind::View { actions, .. } => actions.clear(),
            StepKind::Task { next, .. } => next.clear(),
            StepKind::Rule { .. } | StepKind::End { .. } => {}
        }
    }
    let found = codes(&def);
    assert!(found.contains(&"button_without_action"));
    assert!(found.contains(&"missing_outcome"));
}

#[test]
fn executor_names_match_serde() {
    for e in ExecutorName::ALL {
        assert_eq!(serde_json::to_value(e).unwrap(), e.as_name());
        assert_eq!(ExecutorName::from_name(e.as_name()), Some(e));
    }
}

#[test]
fn problems_name_their_component() {
    let mut def = default_registration();
    if let StepKind::View { actions, .. } = &mut def.steps[0].kind {
        actions.clear();
    }
    let problem = def
        .validate()
        .into_iter()
        .find(|p| p.code == "button_without_action")
        .unwrap();
    assert_eq!(problem.component.as_deref(), Some("continue"));
    let json = serde_json::to_value(&problem).unwrap();
    assert_eq!(json["component"], "continue");
    let missing_start = Problem {
        step: None,
        component: None,
        code: "missing_start",
        message: String::new(),
        branch: None,
    };
    assert!(
        serde_json::to_value(&missing_start)
            .unwrap()
            .get("component")
            .is_none()
    );
}

#[test]
fn json_round_trip() {
    let def = default_registration();
    let json = serde_json::to_string(&def).unwrap();
    let back: FlowDefinition = serde_json::from_str(&json).unwrap();
    assert_eq!(def, back);
}

/// `n` tasks that resolve an account, one after another, and `n` that send a code, none
/// of which they reach. Run through the fuzz target (it is in its corpus as
/// fuzz/corpus/flow_definition/slow-giver-chain.json), 400 such steps took over half a
/// minute to validate, and the time grew with the fourth power of the size.
fn giver_chain(n: usize) -> FlowDefinition {
    let task = |id: String, executor: &str, next: String| serde_json::json!({"id": id, "type": "TASK", "executor": executor, "next": {"success": next}});
    let mut steps: Vec<_> = (0..n)
        .map(|i| {
            let next = if i + 1 < n {
                format!("a{}", i + 1)
            } else {
                "end".into()
            };
            task(format!("a{i}"), "AccountResolve", next)
        })
        .collect();
    steps.extend((0..n).map(|i| task(format!("s{i}"), "EmailOtpSend", "end".into())));
    steps.push(serde_json::json!({"id": "end", "type": "END"}));
    serde_json::from_value(serde_json::json!({
        "flowType": "REGISTRATION", "name": "chain", "start": "a0", "steps": steps
    }))
    .unwrap()
}

#[test]
fn a_large_definition_validates_in_linear_time() {
    let started = std::time::Instant::now();
    let found = codes(&giver_chain(1000));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let count = |code| found.iter().filter(|c| **c == code).count();
    // Each resolve needs a login nobody asks for; each send, an e-mail nothing gives it.
    assert_eq!(count("missing_attribute"), 2000);
    assert_eq!(count("unreachable"), 1000);
}

#[test]
fn a_chain_of_one_executor_is_one_problem() {
    let mut def = default_registration();
    let StepKind::View { actions, .. } = &mut def.steps[0].kind else {
        panic!("the first step is a view");
    };
    actions[0].next = "p0".into();
    for i in 0..50 {
        def.steps.push(
            serde_json::from_value(serde_json::json!({
                "id": format!("p{i}"), "type": "TASK", "executor": "PasswordOnboarding",
                "next": {"success": if i < 49 { format!("p{}", i + 1) } else { "send_code".into() }}
            }))
            .unwrap(),
        );
    }
    for step in &mut def.steps {
        if let StepKind::View { components, .. } = &mut step.kind {
            for form in components.iter_mut() {
                form.components.retain(|c| c.id != "password");
            }
        }
    }
    let missing = codes(&def)
        .into_iter()
        .filter(|c| *c == "missing_input")
        .count();
    assert_eq!(missing, 1);
}

/// Registration that asks for the e-mail, then decides: company addresses skip the code.
fn with_decision(branches: serde_json::Value, otherwise: &str) -> FlowDefinition {
    let mut def = default_registration();
    let StepKind::View { actions, .. } = &mut def.steps[0].kind else {
        panic!("the first step is a view");
    };
    let after = std::mem::replace(&mut actions[0].next, "route".into());
    def.steps.push(
        serde_json::from_value(serde_json::json!({
            "id": "route", "type": "RULE", "branches": branches, "otherwise": otherwise
        }))
        .unwrap(),
    );
    assert_eq!(after, "set_password");
    def
}

fn rule_problems(def: &FlowDefinition) -> Vec<(&'static str, Option<usize>)> {
    def.validate()
        .into_iter()
        .filter(|p| p.step.as_deref() == Some("route"))
        .map(|p| (p.code, p.branch))
        .collect()
}

#[test]
fn a_sound_decision_validates() {
    let def = with_decision(
        serde_json::json!([{"when": {"attribute": "email", "op": "domain_in", "values": ["corp.example"]}, "next": "provision"}]),
        "set_password",
    );
    assert_eq!(def.validate(), vec![]);
    let json = serde_json::to_value(&def).unwrap();
    assert_eq!(
        json["steps"].as_array().unwrap().last().unwrap()["type"],
        "RULE"
    );
    let back: FlowDefinition = serde_json::from_value(json).unwrap();
    assert_eq!(back, def);
}

#[test]
fn decision_problems_name_the_step_and_branch() {
    let def = with_decision(
        serde_json::json!([
            {"when": {"attribute": "email", "op": "present"}, "next": "set_password"},
            {"when": {"attribute": "email", "op": "resembles", "value": "x"}, "next": "nowhere"},
            {"when": {"attribute": "nickname", "op": "matches", "value": "("}, "next": "provision"},
        ]),
        "",
    );
    let found = rule_problems(&def);
    for expected in [
        ("unknown_op", Some(1)),
        ("branch_leads_nowhere", Some(1)),
        ("bad_regex", Some(2)),
        ("attribute_not_collected", Some(2)),
        ("branch_leads_nowhere", None),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    assert!(
        !found.contains(&("attribute_not_collected", Some(0))),
        "{found:?}"
    );
    let problem = def
        .validate()
        .into_iter()
        .find(|p| p.code == "bad_regex")
        .unwrap();
    assert!(
        problem.message.contains("Branch 3 of 'route'"),
        "{}",
        problem.message
    );
    assert_eq!(serde_json::to_value(&problem).unwrap()["branch"], 2);
}

#[test]
fn an_attribute_asked_on_only_one_path_is_not_collected_on_the_other() {
    // The start decides before any view: no path has asked for anything yet.
    let mut def = with_decision(
        serde_json::json!([{"when": {"attribute": "email", "op": "present"}, "next": "details"}]),
        "details",
    );
    def.start = "route".into();
    assert!(rule_problems(&def).contains(&("attribute_not_collected", Some(0))));
    // The invitation brings the address with it: an invited registration has it at the start.
    def.flow_type = FlowType::InvitedUserRegistration;
    assert!(!rule_problems(&def).contains(&("attribute_not_collected", Some(0))));
    // Facts of the execution are always there.
    let def = with_decision(
        serde_json::json!([{"when": {"attribute": "context.locale", "op": "equals", "value": "fr"}, "next": "set_password"}]),
        "set_password",
    );
    assert_eq!(def.validate(), vec![]);
}

#[test]
fn a_loop_without_a_view_is_found_and_a_link_resume_is_no_loop() {
    let mut def = with_decision(serde_json::json!([]), "loop_back");
    def.steps.push(
        serde_json::from_value(serde_json::json!({
            "id": "loop_back", "type": "TASK", "executor": "EmailOtpSend", "next": {"success": "route"}
        }))
        .unwrap(),
    );
    let stuck: Vec<String> = def
        .validate()
        .into_iter()
        .filter(|p| p.code == "loop_without_view")
        .filter_map(|p| p.step)
        .collect();
    assert_eq!(stuck, ["route", "loop_back"]);
    assert!(rule_problems(&def).contains(&("rule_without_branch", None)));

    // A magic link's `verified` outcome resumes in another request: no loop.
    let mut def = starter::by_id("registration-magic-link")
        .unwrap()
        .definition()
        .unwrap();
    assert!(!codes(&def).contains(&"loop_without_view"));
    for step in &mut def.steps {
        if let StepKind::Task {
            executor: ExecutorName::MagicLinkSend,
            next,
            ..
        } = &mut step.kind
        {
            let id = step.id.clone();
            next.insert("verified".into(), id);
        }
    }
    assert!(!codes(&def).contains(&"loop_without_view"));
}

#[test]
fn inputs_a_task_needs_are_found_through_a_decision() {
    let mut def = with_decision(
        serde_json::json!([{"when": {"attribute": "email", "op": "present"}, "next": "set_password"}]),
        "set_password",
    );
    drop_inputs(&mut def, "password");
    assert!(codes(&def).contains(&"missing_input"));
}
