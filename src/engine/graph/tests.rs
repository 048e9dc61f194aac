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
    def.validate()
        .into_iter()
        .map(whole)
        .map(|p| p.code)
        .collect()
}

/// The problem, once its sentence is checked to be whole: a key English has, and a value for
/// each variable and no other.
fn whole(p: Problem) -> Problem {
    assert!(
        p.message.faults().is_empty(),
        "{p:?}: {:?}",
        p.message.faults()
    );
    p
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
        message: crate::i18n::Said::new("ui.problem.missing_start").with("step", "x"),
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
        .map(whole)
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
        problem.message.english().contains("Branch 3 of 'route'"),
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

/// Definitions that between them have every problem `validate` finds, each once at least.
fn broken_definitions() -> Vec<FlowDefinition> {
    let many: Vec<String> = (0..=crate::engine::rule::MAX_VALUES)
        .map(|n| format!("v{n}"))
        .collect();
    let button = |id: &str| serde_json::json!({"id": id, "type": "BUTTON", "variant": "PRIMARY", "actionId": id, "config": {"text": "Go"}});
    let branch =
        |when: serde_json::Value, next: &str| serde_json::json!({"when": when, "next": next});
    [
        serde_json::json!({
            "flowType": "REGISTRATION", "name": "broken", "start": "ghost", "defaultRegion": "ZZ",
            "steps": [
                {"id": "", "type": "END"},
                {"id": "v1", "type": "VIEW", "components": [
                    {"id": "d", "type": "DIVIDER"},
                    {"id": "d", "type": "DIVIDER"},
                    {"id": "nameless", "type": "INPUT", "variant": "TEXT", "config": {}},
                    {"id": "div", "type": "DIVIDER", "components": [{"id": "inner", "type": "DIVIDER"}]},
                    {"id": "outer", "type": "FORM", "components": [{"id": "inner_form", "type": "FORM"}]},
                    button("go"),
                ], "actions": [{"ref": "gone", "next": "nowhere"}]},
                {"id": "v1", "type": "END"},
                {"id": "v2", "type": "VIEW", "components": []},
                {"id": "v3", "type": "VIEW", "components": [button("pw")], "actions": [{"ref": "pw", "next": "t_pw"}]},
                {"id": "t_pw", "type": "TASK", "executor": "PasswordOnboarding", "next": {"success": "v2"}},
                {"id": "t1", "type": "TASK", "executor": "OpenIdConnect", "next": {"success": "v2", "link": "v2"}},
                {"id": "t2", "type": "TASK", "executor": "EmailOtpSend", "connection": "x", "next": {"bogus": "v2"}},
                {"id": "t3", "type": "TASK", "executor": "CallExtension", "next": {"success": "v2"}},
                {"id": "t4", "type": "TASK", "executor": "UserProvisioning", "extension": "x", "next": {"success": "v2"}},
                {"id": "r1", "type": "RULE", "branches": [], "otherwise": "r1"},
            ]
        }),
        serde_json::json!({
            "flowType": "PASSWORD_RECOVERY", "name": "broken", "start": "a",
            "steps": [
                {"id": "a", "type": "VIEW", "components": [button("go")], "actions": [{"ref": "go", "next": "r"}]},
                {"id": "r", "type": "RULE", "otherwise": "gone", "branches": [
                    branch(serde_json::json!({"attribute": "x", "op": "resembles", "value": "y"}), "nowhere"),
                    branch(serde_json::json!({"attribute": "nickname", "op": "present"}), "a"),
                    branch(serde_json::json!({"all": []}), "a"),
                    branch(serde_json::json!({"attribute": "", "op": "present"}), "a"),
                    branch(serde_json::json!({"attribute": "context.weather", "op": "present"}), "a"),
                    branch(serde_json::json!({"attribute": "x", "op": "equals"}), "a"),
                    branch(serde_json::json!({"attribute": "x", "op": "in", "values": []}), "a"),
                    branch(serde_json::json!({"attribute": "x", "op": "in", "values": many}), "a"),
                    branch(serde_json::json!({"attribute": "x", "op": "matches", "value": "("}), "a"),
                    branch(serde_json::json!({"attribute": "email", "op": "domain_in", "values": ["a b"]}), "a"),
                ]},
                {"id": "t", "type": "TASK", "executor": "RequireApproval", "next": {"success": "a"}},
            ]
        }),
        serde_json::json!({
            "flowType": "REGISTRATION", "name": "broken", "start": "e",
            "steps": [{"id": "e", "type": "END"}]
        }),
    ]
    .into_iter()
    .map(|json| serde_json::from_value(json).unwrap())
    .collect()
}

#[test]
fn every_problem_is_a_whole_sentence_in_english_and_in_french() {
    let fr = crate::i18n::Tr::new(crate::i18n::Locale::from_tag("fr").unwrap());
    let mut found = std::collections::BTreeSet::new();
    for def in broken_definitions() {
        for p in def.validate().into_iter().map(whole) {
            let (en, fr) = (p.message.english(), p.message.in_(&fr));
            assert!(!en.contains("{$") && !fr.contains("{$"), "{en} / {fr}");
            assert_ne!(en, fr, "{}: not in French", p.code);
            // The APIs' JSON keeps the English sentence.
            assert_eq!(serde_json::to_value(&p).unwrap()["message"], en.as_str());
            found.insert(p.code);
        }
    }
    let every = [
        "empty_step_id",
        "duplicate_step",
        "bad_region",
        "missing_start",
        "start_is_end",
        "dangling_action",
        "duplicate_component",
        "input_without_identifier",
        "children_outside_form",
        "nested_form",
        "dead_end",
        "button_without_action",
        "action_without_button",
        "missing_input",
        "missing_connection",
        "connection_without_sign_up",
        "missing_extension",
        "extension_without_call",
        "executor_not_for_flow",
        "missing_outcome",
        "unknown_outcome",
        "missing_attribute",
        "loop_without_view",
        "unreachable",
        "no_end",
        "rule_without_branch",
        "branch_leads_nowhere",
        "attribute_not_collected",
        "empty_condition",
        "missing_attribute_name",
        "unknown_fact",
        "unknown_op",
        "missing_value",
        "too_many_values",
        "bad_regex",
        "bad_domain",
    ];
    let missing: Vec<_> = every.iter().filter(|c| !found.contains(*c)).collect();
    assert!(missing.is_empty(), "not produced: {missing:?}");
    let unknown: Vec<_> = found.iter().filter(|c| !every.contains(c)).collect();
    assert!(unknown.is_empty(), "not listed here: {unknown:?}");
}

#[test]
fn problems_keep_their_english_sentences() {
    let defs = broken_definitions();
    let english = |code: &str| -> Vec<String> {
        defs.iter()
            .flat_map(FlowDefinition::validate)
            .filter(|p| p.code == code)
            .map(|p| p.message.english())
            .collect()
    };
    assert_eq!(
        english("dangling_action"),
        ["'v1' leads to 'nowhere', which does not exist."]
    );
    assert_eq!(
        english("missing_input"),
        [
            "Button 'pw' of 'v3' runs PasswordOnboarding, which needs the input 'password' on that view."
        ]
    );
    assert_eq!(
        english("executor_not_for_flow"),
        ["RequireApproval has no place in a PASSWORD_RECOVERY flow."]
    );
    assert!(
        english("unknown_op")[0]
            .starts_with("Branch 1 of 'r': 'resembles' is not an operator; use one of equals, "),
        "{:?}",
        english("unknown_op")
    );
    assert_eq!(
        english("too_many_values"),
        ["Branch 8 of 'r': 'in' lists more than 500 values."]
    );
}

#[test]
fn a_pattern_too_long_or_too_big_says_its_limit_in_english_and_in_french() {
    use crate::engine::rule::{MAX_PATTERN_BYTES, MAX_PATTERN_CHARS, compile};
    let fr = crate::i18n::Tr::new(crate::i18n::Locale::from_tag("fr").unwrap());
    let long = compile(&"a".repeat(MAX_PATTERN_CHARS + 1)).unwrap_err();
    let big = compile("\\w{200}\\w{200}").unwrap_err();
    let bad = compile("(").unwrap_err();
    for said in [&long, &big, &bad] {
        assert!(said.faults().is_empty(), "{:?}", said.faults());
    }
    assert_eq!(
        long.english(),
        format!("the pattern is longer than {MAX_PATTERN_CHARS} characters")
    );
    assert_eq!(
        big.english(),
        format!("the pattern compiles to more than {MAX_PATTERN_BYTES} bytes")
    );
    assert!(bad.english().contains("unclosed group"), "{bad}");
    assert_eq!(
        long.in_(&fr),
        format!("le motif dépasse {MAX_PATTERN_CHARS} caractères")
    );
}
