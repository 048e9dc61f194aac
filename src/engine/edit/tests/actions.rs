//! Wiring buttons to actions and task outcomes to the next step.

use super::*;

#[test]
fn set_action_target_adds_retargets_and_removes() {
    let mut def = registration();
    ok(
        &mut def,
        Edit::SetActionTarget {
            step: "enter_code".into(),
            button: "resend".into(),
            next: Some("details".into()),
        },
    );
    assert!(actions(&def, "enter_code").contains(&("resend".into(), "details".into())));
    assert_eq!(actions(&def, "enter_code").len(), 2);
    ok(
        &mut def,
        Edit::SetActionTarget {
            step: "enter_code".into(),
            button: "resend".into(),
            next: None,
        },
    );
    assert_eq!(actions(&def, "enter_code").len(), 1);
    assert!(codes(&def).contains(&"button_without_action"));
    ok(
        &mut def,
        Edit::SetActionTarget {
            step: "enter_code".into(),
            button: "resend".into(),
            next: Some("send_code".into()),
        },
    );
    assert_eq!(def.validate(), vec![]);
}

#[test]
fn set_action_target_refusals() {
    let mut def = registration();
    let target = |step: &str, button: &str, next: Option<&str>| Edit::SetActionTarget {
        step: step.into(),
        button: button.into(),
        next: next.map(str::to_owned),
    };
    refusals(
        &mut def,
        [
            (
                target("enter_code", "resend", Some("ghost")),
                "next",
                "unknown_step",
            ),
            (
                target("enter_code", "ghost", Some("done")),
                "button",
                "unknown_component",
            ),
            (
                target("enter_code", "otp", Some("done")),
                "button",
                "unknown_component",
            ),
            (target("done", "heading", None), "step", "not_a_view"),
            (target("send_code", "x", None), "step", "not_a_view"),
            (target("ghost", "x", Some("ghost")), "step", "unknown_step"),
        ],
    );
}

#[test]
fn set_executor_drops_outcomes_it_lacks() {
    let mut def = template("registration-magic-link");
    assert_eq!(next(&def, "send_link").len(), 2);
    let said = ok(
        &mut def,
        Edit::SetExecutor {
            step: "send_link".into(),
            executor: ExecutorName::EmailOtpSend,
        },
    );
    assert!(said.contains("EmailOtpSend"), "{said}");
    assert_eq!(
        next(&def, "send_link").into_iter().collect::<Vec<_>>(),
        [("success".to_owned(), "check_email".to_owned())]
    );
    refusals(
        &mut def,
        [
            (
                Edit::SetExecutor {
                    step: "details".into(),
                    executor: ExecutorName::EmailOtpSend,
                },
                "step",
                "not_a_task",
            ),
            (
                Edit::SetExecutor {
                    step: "ghost".into(),
                    executor: ExecutorName::EmailOtpSend,
                },
                "step",
                "unknown_step",
            ),
        ],
    );
}

#[test]
fn set_outcome_sets_and_removes() {
    let mut def = registration();
    let outcome = |step: &str, outcome: &str, next: Option<&str>| Edit::SetOutcome {
        step: step.into(),
        outcome: outcome.into(),
        next: next.map(str::to_owned),
    };
    ok(&mut def, outcome("send_code", "success", Some("details")));
    assert_eq!(next(&def, "send_code")["success"], "details");
    ok(&mut def, outcome("send_code", "success", None));
    assert!(next(&def, "send_code").is_empty());
    assert!(codes(&def).contains(&"missing_outcome"));

    refusals(
        &mut def,
        [
            (
                outcome("send_code", "verified", Some("done")),
                "outcome",
                "unknown_outcome",
            ),
            (
                outcome("send_code", "success", Some("ghost")),
                "next",
                "unknown_step",
            ),
            (
                outcome("details", "success", Some("done")),
                "step",
                "not_a_task",
            ),
        ],
    );
}

fn extension_of(def: &FlowDefinition, step: &str) -> Option<String> {
    match &def.step(step).unwrap().kind {
        StepKind::Task { extension, .. } => extension.clone(),
        _ => panic!("not a task"),
    }
}

fn set_extension(step: &str, extension: Option<&str>) -> Edit {
    Edit::SetExtension {
        step: step.into(),
        extension: extension.map(str::to_owned),
    }
}

#[test]
fn set_extension_names_the_extension_a_call_makes_and_clears_it() {
    let mut def = registration();
    ok(
        &mut def,
        Edit::SetExecutor {
            step: "send_code".into(),
            executor: ExecutorName::CallExtension,
        },
    );
    assert!(codes(&def).contains(&"missing_extension"));
    let said = ok(&mut def, set_extension("send_code", Some(" crm ")));
    assert!(said.contains("'crm'"), "{said}");
    assert_eq!(extension_of(&def, "send_code").as_deref(), Some("crm"));
    assert!(!codes(&def).contains(&"missing_extension"));
    ok(&mut def, set_extension("send_code", Some("")));
    assert_eq!(extension_of(&def, "send_code"), None);
    ok(&mut def, set_extension("send_code", Some("crm")));
    ok(&mut def, set_extension("send_code", None));
    assert_eq!(extension_of(&def, "send_code"), None);
}

#[test]
fn set_executor_away_from_call_extension_clears_the_extension() {
    let mut def = registration();
    let call = |executor| Edit::SetExecutor {
        step: "send_code".into(),
        executor,
    };
    ok(&mut def, call(ExecutorName::CallExtension));
    ok(&mut def, set_extension("send_code", Some("crm")));
    // The same executor again keeps it.
    ok(&mut def, call(ExecutorName::CallExtension));
    assert_eq!(extension_of(&def, "send_code").as_deref(), Some("crm"));
    ok(&mut def, call(ExecutorName::EmailOtpSend));
    assert_eq!(extension_of(&def, "send_code"), None);
    assert!(!codes(&def).contains(&"extension_without_call"));
}

#[test]
fn set_extension_refusals() {
    let mut def = registration();
    refusals(
        &mut def,
        [
            (
                set_extension("send_code", Some("crm")),
                "step",
                "extension_without_call",
            ),
            (set_extension("details", Some("crm")), "step", "not_a_task"),
            (set_extension("done", None), "step", "not_a_task"),
            (set_extension("ghost", Some("crm")), "step", "unknown_step"),
        ],
    );
    ok(
        &mut def,
        Edit::SetExecutor {
            step: "send_code".into(),
            executor: ExecutorName::CallExtension,
        },
    );
    refusals(
        &mut def,
        [
            (
                set_extension("send_code", Some("1crm")),
                "extension",
                "invalid_extension",
            ),
            (
                set_extension("send_code", Some("c r m")),
                "extension",
                "invalid_extension",
            ),
        ],
    );
}
