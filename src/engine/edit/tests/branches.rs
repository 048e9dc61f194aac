//! Decision steps: adding one, its branches in order, and where it leads otherwise.

use super::*;
use crate::engine::rule::{Branch, Op, Test};

fn test(attribute: &str, op: Op, value: Option<&str>, values: &[&str]) -> Condition {
    Condition::Test(Test::new(attribute, op, value, values))
}

fn country_is(value: &str) -> Condition {
    test("country", Op::Equals, Some(value), &[])
}

/// The registration template with a decision `route` after `details`, which reads `country`.
fn with_decision() -> FlowDefinition {
    let mut def = registration();
    ok(
        &mut def,
        Edit::AddStep {
            id: "route".into(),
            kind: NewStepKind::Rule,
            after: Some("details".into()),
        },
    );
    def
}

fn set(step: &str, branch: Option<usize>, when: Condition, next: &str) -> Edit {
    Edit::SetBranch {
        step: step.into(),
        branch,
        when,
        next: next.into(),
    }
}

fn branches(def: &FlowDefinition, step: &str) -> (Vec<Branch>, String) {
    match &def.step(step).unwrap().kind {
        StepKind::Rule {
            branches,
            otherwise,
        } => (branches.clone(), otherwise.clone()),
        _ => panic!("not a decision"),
    }
}

fn targets(def: &FlowDefinition, step: &str) -> Vec<String> {
    branches(def, step).0.into_iter().map(|b| b.next).collect()
}

#[test]
fn a_new_decision_has_no_branch_and_leads_nowhere() {
    let def = with_decision();
    assert_eq!(step_ids(&def)[1], "route");
    assert_eq!(
        serde_json::to_value(&def.step("route").unwrap().kind).unwrap(),
        serde_json::json!({"type": "RULE", "branches": [], "otherwise": ""})
    );
}

#[test]
fn branches_are_appended_replaced_moved_and_removed() {
    let mut def = with_decision();
    let said = ok(
        &mut def,
        set("route", None, country_is("FR"), "set_password"),
    );
    assert_eq!(
        said,
        "Branch 1 added to 'route': when country equals FR, go to 'set_password'."
    );
    let either = Condition::Any(vec![
        country_is("BE"),
        Condition::Not(Box::new(test(
            "email",
            Op::DomainIn,
            None,
            &["corp.example"],
        ))),
    ]);
    ok(&mut def, set("route", None, either.clone(), "done"));
    assert_eq!(targets(&def, "route"), ["set_password", "done"]);
    assert_eq!(branches(&def, "route").0[1].when, either);

    let said = ok(
        &mut def,
        set("route", Some(0), country_is("DE"), "send_code"),
    );
    assert!(said.starts_with("Branch 1 of 'route' saved"), "{said}");
    assert_eq!(branches(&def, "route").0[0].when, country_is("DE"));
    assert_eq!(targets(&def, "route"), ["send_code", "done"]);

    let move_branch = |branch, direction| Edit::MoveBranch {
        step: "route".into(),
        branch,
        direction,
    };
    let said = ok(&mut def, move_branch(1, Direction::Up));
    assert_eq!(said, "Branch 2 of 'route' is now branch 1.");
    assert_eq!(targets(&def, "route"), ["done", "send_code"]);
    let said = ok(&mut def, move_branch(0, Direction::Up));
    assert_eq!(said, "Branch 1 of 'route' is already first.");
    let said = ok(&mut def, move_branch(1, Direction::Down));
    assert_eq!(said, "Branch 2 of 'route' is already last.");
    ok(&mut def, move_branch(0, Direction::Down));
    assert_eq!(targets(&def, "route"), ["send_code", "done"]);

    let said = ok(
        &mut def,
        Edit::RemoveBranch {
            step: "route".into(),
            branch: 0,
        },
    );
    assert_eq!(
        said,
        "Branch 1 of 'route' removed (when country equals DE, go to 'send_code')."
    );
    assert_eq!(targets(&def, "route"), ["done"]);
}

#[test]
fn otherwise_is_set_and_cleared_and_the_step_then_validates() {
    let mut def = with_decision();
    ok(
        &mut def,
        Edit::SetActionTarget {
            step: "details".into(),
            button: "continue".into(),
            next: Some("route".into()),
        },
    );
    ok(
        &mut def,
        set("route", None, country_is("FR"), "set_password"),
    );
    let otherwise_problems = |def: &FlowDefinition| {
        def.validate()
            .into_iter()
            .filter(|p| p.step.as_deref() == Some("route") && p.branch.is_none())
            .map(|p| p.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(otherwise_problems(&def), ["branch_leads_nowhere"]);
    let said = ok(
        &mut def,
        Edit::SetOtherwise {
            step: "route".into(),
            next: "set_password".into(),
        },
    );
    assert_eq!(
        said,
        "When no branch of 'route' holds, it goes to 'set_password'."
    );
    assert_eq!(branches(&def, "route").1, "set_password");
    assert_eq!(otherwise_problems(&def), Vec::<&str>::new());
    ok(
        &mut def,
        Edit::SetOtherwise {
            step: "route".into(),
            next: String::new(),
        },
    );
    assert_eq!(branches(&def, "route").1, "");
}

#[test]
fn renaming_a_target_follows_into_branches_and_otherwise() {
    let mut def = with_decision();
    ok(&mut def, set("route", None, country_is("FR"), "done"));
    ok(
        &mut def,
        Edit::SetOtherwise {
            step: "route".into(),
            next: "done".into(),
        },
    );
    ok(
        &mut def,
        Edit::RenameStep {
            step: "done".into(),
            new_id: "finished".into(),
        },
    );
    assert_eq!(targets(&def, "route"), ["finished"]);
    assert_eq!(branches(&def, "route").1, "finished");
}

#[test]
fn branch_edits_refusals() {
    let mut def = with_decision();
    ok(&mut def, set("route", None, country_is("FR"), "done"));
    let bad_regex = test("email", Op::Matches, Some("("), &[]);
    let remove = |step: &str, branch| Edit::RemoveBranch {
        step: step.into(),
        branch,
    };
    let down = |step: &str, branch| Edit::MoveBranch {
        step: step.into(),
        branch,
        direction: Direction::Down,
    };
    let otherwise = |step: &str, next: &str| Edit::SetOtherwise {
        step: step.into(),
        next: next.into(),
    };
    refusals(
        &mut def,
        [
            (
                set("ghost", None, country_is("FR"), "done"),
                "step",
                "unknown_step",
            ),
            (
                set("details", None, country_is("FR"), "done"),
                "step",
                "not_a_decision",
            ),
            (
                set("send_code", None, country_is("FR"), "done"),
                "step",
                "not_a_decision",
            ),
            (
                set("route", Some(1), country_is("FR"), "done"),
                "branch",
                "unknown_branch",
            ),
            (
                set("route", None, country_is("FR"), "ghost"),
                "next",
                "unknown_step",
            ),
            (
                set("route", None, country_is("FR"), ""),
                "next",
                "unknown_step",
            ),
            (
                set("route", Some(0), bad_regex.clone(), "done"),
                "when",
                "bad_regex",
            ),
            // The condition is checked before the target: its problem is the one to fix first.
            (set("route", None, bad_regex, "ghost"), "when", "bad_regex"),
            (
                set("route", None, Condition::All(vec![]), "done"),
                "when",
                "empty_condition",
            ),
            (
                set("route", None, test("", Op::Present, None, &[]), "done"),
                "when",
                "missing_attribute_name",
            ),
            (
                set(
                    "route",
                    None,
                    test("context.weather", Op::Present, None, &[]),
                    "done",
                ),
                "when",
                "unknown_fact",
            ),
            (
                set("route", None, test("country", Op::In, None, &[]), "done"),
                "when",
                "missing_value",
            ),
            (
                set(
                    "route",
                    None,
                    test("email", Op::DomainIn, None, &["a b"]),
                    "done",
                ),
                "when",
                "bad_domain",
            ),
            (
                set(
                    "route",
                    None,
                    test("x", Op::Unknown("resembles".into()), None, &[]),
                    "done",
                ),
                "when",
                "unknown_op",
            ),
            (remove("route", 1), "branch", "unknown_branch"),
            (remove("done", 0), "step", "not_a_decision"),
            (remove("ghost", 0), "step", "unknown_step"),
            (down("route", 7), "branch", "unknown_branch"),
            (down("details", 0), "step", "not_a_decision"),
            (otherwise("route", "ghost"), "next", "unknown_step"),
            (otherwise("done", "details"), "step", "not_a_decision"),
            (otherwise("ghost", "details"), "step", "unknown_step"),
        ],
    );
}

#[test]
fn a_refused_condition_says_what_is_wrong_with_it() {
    let mut def = with_decision();
    let e = refused(
        &mut def,
        set(
            "route",
            None,
            test("email", Op::Matches, Some("("), &[]),
            "done",
        ),
    );
    assert_eq!(
        e.message.english(),
        "This condition is not usable: the pattern does not compile: regex parse error: \
         unclosed group."
    );
}

#[test]
fn components_cannot_be_added_to_a_decision() {
    let mut def = with_decision();
    let e = refused(
        &mut def,
        Edit::AddComponent {
            step: "route".into(),
            kind: ComponentType::Divider,
            variant: None,
            id: "line".into(),
            parent: None,
        },
    );
    assert_eq!((e.field, e.code), ("step", "not_a_view"));
}
