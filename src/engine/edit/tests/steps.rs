//! Adding, renaming, ordering and removing steps, and choosing the start.

use super::*;

#[test]
fn add_step_places_and_fills_new_steps() {
    let mut def = registration();
    let said = ok(
        &mut def,
        add_step("verify", NewStepKind::View, Some("details")),
    );
    assert_eq!(said, "Step 'verify' added.");
    assert_eq!(step_ids(&def)[..2], ["details", "verify"]);
    let view = def.step("verify").unwrap();
    let StepKind::View {
        components,
        actions,
    } = &view.kind
    else {
        panic!("not a view");
    };
    assert!(actions.is_empty());
    assert_eq!(components.len(), 2);
    assert_eq!(components[0].kind, ComponentType::Typography);
    assert_eq!(components[0].variant, Some(Variant::H1));
    assert_eq!(components[1].kind, ComponentType::Form);
    let button = &components[1].components[0];
    assert_eq!(button.id, "continue");
    assert_eq!(button.kind, ComponentType::Button);
    assert_eq!(button.variant, Some(Variant::Primary));
    assert_eq!(button.config.text.as_deref(), Some("Continue"));
    assert_eq!(button.button_action(), Some("continue"));

    ok(&mut def, add_step("bye", NewStepKind::End, None));
    assert_eq!(step_ids(&def).last(), Some(&"bye"));
    let end = def.step("bye").unwrap();
    assert!(matches!(end.kind, StepKind::End { .. }));
    assert_eq!(end.components().len(), 1);
    assert_eq!(end.components()[0].variant, Some(Variant::H1));

    ok(
        &mut def,
        add_step(
            "resolve",
            NewStepKind::Task(ExecutorName::AccountResolve),
            Some("bye"),
        ),
    );
    assert_eq!(step_ids(&def).last(), Some(&"resolve"));
    assert!(next(&def, "resolve").is_empty());
}

#[test]
fn add_step_refusals() {
    let mut def = registration();
    for bad in ["", "9lives", "has space", "dot.ted", "é", &"a".repeat(65)] {
        let e = refused(&mut def, add_step(bad, NewStepKind::End, None));
        assert_eq!((e.field, e.code), ("id", "invalid_id"), "{bad:?}");
    }
    ok(
        &mut def,
        add_step(&format!("a{}", "-_9".repeat(21)), NewStepKind::End, None),
    );
    refusals(
        &mut def,
        [
            (
                add_step("details", NewStepKind::View, None),
                "id",
                "duplicate_step",
            ),
            (
                add_step("fresh", NewStepKind::View, Some("ghost")),
                "after",
                "unknown_step",
            ),
        ],
    );
}

#[test]
fn rename_step_moves_every_reference() {
    let mut def = registration();
    let said = ok(&mut def, rename_step("details", "profile"));
    assert_eq!(said, "Step 'details' renamed to 'profile'.");
    assert_eq!(def.start, "profile");
    // Referenced by an outcome (set_password) and an action (resend on enter_code).
    ok(&mut def, rename_step("send_code", "mail_code"));
    assert_eq!(next(&def, "set_password")["success"], "mail_code");
    assert!(actions(&def, "enter_code").contains(&("resend".into(), "mail_code".into())));
    // Referenced by an action (verify).
    ok(&mut def, rename_step("check_code", "check-code"));
    assert!(actions(&def, "enter_code").contains(&("verify".into(), "check-code".into())));
    assert!(def.step("details").is_none());
    assert_eq!(def.validate(), vec![]);
}

#[test]
fn renaming_every_step_of_every_template_keeps_it_valid() {
    for t in starter::all() {
        let mut def = t.definition().unwrap();
        let ids: Vec<String> = def.steps.iter().map(|s| s.id.clone()).collect();
        for id in ids {
            ok(&mut def, rename_step(&id, &format!("renamed_{id}")));
        }
        assert_eq!(def.validate(), vec![], "{}", t.id);
    }
}

#[test]
fn rename_step_refusals() {
    let mut def = registration();
    refusals(
        &mut def,
        [
            (rename_step("details", "done"), "new_id", "duplicate_step"),
            (rename_step("details", "_x"), "new_id", "invalid_id"),
            (rename_step("ghost", "spirit"), "step", "unknown_step"),
        ],
    );
    let before = def.clone();
    ok(&mut def, rename_step("details", "details"));
    assert_eq!(def, before);
}

#[test]
fn move_step_swaps_neighbours_and_stops_at_the_edges() {
    let mut def = registration();
    let before = step_ids(&def).join(",");
    assert_eq!(
        ok(
            &mut def,
            Edit::MoveStep {
                step: "details".into(),
                direction: Direction::Up,
            },
        ),
        "Step 'details' is already first."
    );
    assert_eq!(step_ids(&def).join(","), before);
    ok(
        &mut def,
        Edit::MoveStep {
            step: "details".into(),
            direction: Direction::Down,
        },
    );
    assert_eq!(step_ids(&def)[..2], ["set_password", "details"]);
    ok(
        &mut def,
        Edit::MoveStep {
            step: "details".into(),
            direction: Direction::Up,
        },
    );
    assert_eq!(step_ids(&def).join(","), before);
    ok(
        &mut def,
        Edit::MoveStep {
            step: "done".into(),
            direction: Direction::Down,
        },
    );
    assert_eq!(step_ids(&def).join(","), before);
    let e = refused(
        &mut def,
        Edit::MoveStep {
            step: "ghost".into(),
            direction: Direction::Down,
        },
    );
    assert_eq!((e.field, e.code), ("step", "unknown_step"));
    assert_eq!(def.start, "details");
}

#[test]
fn dangling_if_removed_names_each_edge() {
    let def = registration();
    let english = |step| {
        dangling_if_removed(&def, step)
            .iter()
            .map(|d| {
                assert!(d.faults().is_empty(), "{:?}", d.faults());
                d.english()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        english("send_code"),
        // In the order of `steps`.
        vec![
            "Outcome 'success' of 'set_password'".to_owned(),
            "Button 'resend' of 'enter_code'".to_owned(),
        ]
    );
    assert_eq!(english("details"), vec!["the start".to_owned()]);
    assert!(dangling_if_removed(&def, "ghost").is_empty());
}

#[test]
fn remove_step_leaves_references_dangling_but_keeps_the_start() {
    let mut def = registration();
    let said = ok(
        &mut def,
        Edit::RemoveStep {
            step: "check_code".into(),
        },
    );
    assert!(said.contains("Button 'verify' of 'enter_code'"), "{said}");
    assert!(def.step("check_code").is_none());
    assert!(codes(&def).contains(&"dangling_action"));

    refusals(
        &mut def,
        [
            (
                Edit::RemoveStep {
                    step: "details".into(),
                },
                "step",
                "remove_start",
            ),
            (
                Edit::RemoveStep {
                    step: "ghost".into(),
                },
                "step",
                "unknown_step",
            ),
        ],
    );
}

#[test]
fn set_start_refuses_unknown_and_end_steps() {
    let mut def = registration();
    ok(
        &mut def,
        Edit::SetStart {
            step: "enter_code".into(),
        },
    );
    assert_eq!(def.start, "enter_code");
    refusals(
        &mut def,
        [
            (
                Edit::SetStart {
                    step: "done".into(),
                },
                "step",
                "start_is_end",
            ),
            (
                Edit::SetStart {
                    step: "ghost".into(),
                },
                "step",
                "unknown_step",
            ),
        ],
    );
}
