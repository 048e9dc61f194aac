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
