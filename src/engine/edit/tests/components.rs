//! Adding, moving and removing components, and the ids and types offered for new ones.

use super::*;

#[test]
fn add_component_defaults() {
    let mut def = registration();
    let said = ok(&mut def, add_nickname());
    assert_eq!(
        said,
        "'nickname' added to form 'details_form' of 'details'."
    );
    assert_eq!(
        child_ids(&def, "details", "details_form")
            .last()
            .map(String::as_str),
        Some("nickname")
    );
    let input = component(&def, "details", "nickname");
    assert_eq!(input.config.identifier.as_deref(), Some("nickname"));
    assert_eq!(input.config.label.as_deref(), Some("nickname"));
    assert!(!input.config.required);

    ok(
        &mut def,
        add("details", ComponentType::Button, None, "skip"),
    );
    let button = component(&def, "details", "skip");
    assert_eq!(button.variant, Some(Variant::Primary));
    assert_eq!(button.action_id.as_deref(), Some("skip"));
    assert_eq!(button.config.text.as_deref(), Some("Continue"));
    assert_eq!(
        top_ids(&def, "details").last().map(String::as_str),
        Some("skip")
    );

    ok(
        &mut def,
        add(
            "enter_code",
            ComponentType::Input,
            Some(Variant::Otp),
            "code2",
        ),
    );
    let otp = component(&def, "enter_code", "code2");
    assert_eq!(otp.config.identifier.as_deref(), Some("otp"));
    assert_eq!(otp.config.length, Some(6));

    ok(
        &mut def,
        add("details", ComponentType::Input, None, "plain"),
    );
    assert_eq!(
        component(&def, "details", "plain").variant,
        Some(Variant::Text)
    );
    ok(&mut def, add("done", ComponentType::Divider, None, "line"));
    ok(
        &mut def,
        add("done", ComponentType::Typography, Some(Variant::H2), "sub"),
    );
}

#[test]
fn add_component_refusals() {
    let mut def = registration();
    refusals(
        &mut def,
        [
            (
                add("details", ComponentType::Input, Some(Variant::H1), "x"),
                "variant",
                "bad_variant",
            ),
            (
                add(
                    "details",
                    ComponentType::Divider,
                    Some(Variant::Primary),
                    "x",
                ),
                "variant",
                "bad_variant",
            ),
        ],
    );
    // Nested components count.
    refusals(
        &mut def,
        [
            (
                add("details", ComponentType::Divider, None, "email"),
                "id",
                "duplicate_component",
            ),
            (
                add("details", ComponentType::Divider, None, "1st"),
                "id",
                "invalid_id",
            ),
            (
                add_into("details", ComponentType::Divider, None, "x", "ghost"),
                "parent",
                "unknown_component",
            ),
        ],
    );
    // Only a FORM takes children.
    refusals(
        &mut def,
        [
            (
                add_into("details", ComponentType::Divider, None, "x", "heading"),
                "parent",
                "unknown_component",
            ),
            (
                add_into("details", ComponentType::Form, None, "x", "details_form"),
                "parent",
                "nested_form",
            ),
            (
                add("send_code", ComponentType::Divider, None, "x"),
                "step",
                "not_a_view",
            ),
            (
                add("ghost", ComponentType::Divider, None, "x"),
                "step",
                "unknown_step",
            ),
            (
                add("done", ComponentType::Button, None, "again"),
                "kind",
                "not_in_end",
            ),
        ],
    );
}

#[test]
fn every_addable_component_fits_and_can_be_added() {
    let list = addable_components();
    let mut labels: Vec<&str> = list.iter().map(|(_, _, l)| *l).collect();
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), list.len(), "labels must be unique");
    for kind in ComponentType::ALL {
        assert!(list.iter().any(|(k, _, _)| *k == kind), "{kind:?} missing");
    }
    let mut def = registration();
    for (kind, variant, label) in list {
        assert!(
            variant.is_none_or(|v| kind.variants().contains(&v)),
            "{label}"
        );
        let id = free_component_id(&def, "details", "part");
        ok(&mut def, add("details", kind, variant, &id));
    }
    let json = serde_json::to_string(&def).unwrap();
    assert_eq!(serde_json::from_str::<FlowDefinition>(&json).unwrap(), def);
}

#[test]
fn moves_components_up_down_into_and_out_of_forms() {
    let mut def = registration();
    ok(
        &mut def,
        move_component("details", "intro", ComponentMove::Up),
    );
    assert_eq!(
        top_ids(&def, "details"),
        ["intro", "heading", "details_form"]
    );
    assert_eq!(
        ok(
            &mut def,
            move_component("details", "intro", ComponentMove::Up)
        ),
        "'intro' is already first."
    );
    ok(
        &mut def,
        move_component("details", "intro", ComponentMove::Down),
    );
    assert_eq!(
        top_ids(&def, "details"),
        ["heading", "intro", "details_form"]
    );

    // Inside a form, up and down stay inside it.
    ok(
        &mut def,
        move_component("details", "continue", ComponentMove::Up),
    );
    assert_eq!(
        child_ids(&def, "details", "details_form")[4..],
        ["continue", "terms"]
    );
    assert_eq!(
        ok(
            &mut def,
            move_component("details", "given_name", ComponentMove::Up)
        ),
        "'given_name' is already first."
    );

    // Into a form (which comes after it at the top level) and back out.
    ok(
        &mut def,
        move_component(
            "details",
            "intro",
            ComponentMove::IntoForm("details_form".into()),
        ),
    );
    assert_eq!(top_ids(&def, "details"), ["heading", "details_form"]);
    assert_eq!(
        child_ids(&def, "details", "details_form")
            .last()
            .map(String::as_str),
        Some("intro")
    );
    ok(
        &mut def,
        move_component("details", "intro", ComponentMove::OutOfForm),
    );
    assert_eq!(
        top_ids(&def, "details"),
        ["heading", "details_form", "intro"]
    );
    assert!(!child_ids(&def, "details", "details_form").contains(&"intro".to_owned()));

    // From one form to another.
    ok(&mut def, add("details", ComponentType::Form, None, "extra"));
    ok(
        &mut def,
        move_component("details", "terms", ComponentMove::IntoForm("extra".into())),
    );
    assert_eq!(child_ids(&def, "details", "extra"), ["terms"]);
    assert_eq!(def.validate(), vec![]);
}

#[test]
fn move_component_refusals() {
    let mut def = registration();
    ok(&mut def, add("details", ComponentType::Form, None, "extra"));
    refusals(
        &mut def,
        [
            (
                move_component(
                    "details",
                    "extra",
                    ComponentMove::IntoForm("details_form".into()),
                ),
                "to",
                "nested_form",
            ),
            (
                move_component(
                    "details",
                    "intro",
                    ComponentMove::IntoForm("heading".into()),
                ),
                "to",
                "unknown_component",
            ),
            (
                move_component("details", "intro", ComponentMove::IntoForm("ghost".into())),
                "to",
                "unknown_component",
            ),
            (
                move_component("details", "intro", ComponentMove::OutOfForm),
                "to",
                "not_in_form",
            ),
            (
                move_component("details", "ghost", ComponentMove::Up),
                "component",
                "unknown_component",
            ),
        ],
    );
}

#[test]
fn removing_a_button_removes_its_action() {
    let mut def = registration();
    let said = ok(&mut def, remove_component("enter_code", "resend"));
    assert_eq!(
        said,
        "'resend' removed from 'enter_code'; 1 action(s) went with it."
    );
    assert_eq!(
        actions(&def, "enter_code"),
        [("verify".to_owned(), "check_code".to_owned())]
    );
    assert_eq!(def.validate(), vec![]);
}

#[test]
fn removing_a_form_removes_its_children_and_their_actions() {
    let mut def = registration();
    ok(&mut def, remove_component("enter_code", "code_form"));
    assert_eq!(top_ids(&def, "enter_code"), ["heading", "sent_to"]);
    assert!(actions(&def, "enter_code").is_empty());
    assert!(codes(&def).contains(&"dead_end"));

    ok(&mut def, remove_component("done", "body"));
    assert_eq!(top_ids(&def, "done"), ["heading"]);
    let e = refused(&mut def, remove_component("done", "body"));
    assert_eq!((e.field, e.code), ("component", "unknown_component"));
}

#[test]
fn free_ids_count_every_step_and_nested_component() {
    let def = registration();
    assert_eq!(free_step_id(&def, "view"), "view");
    assert_eq!(free_step_id(&def, "details"), "details_2");
    assert_eq!(free_step_id(&def, "no good"), "step");
    let long = "a".repeat(64);
    let free = free_step_id(
        &FlowDefinition {
            steps: vec![Step {
                id: long.clone(),
                kind: StepKind::End {
                    components: Vec::new(),
                },
            }],
            ..def.clone()
        },
        &long,
    );
    assert_eq!(free.len(), 64);
    assert!(free.ends_with("_2"));

    assert_eq!(free_component_id(&def, "details", "email"), "email_2");
    assert_eq!(free_component_id(&def, "details", "heading"), "heading_2");
    assert_eq!(free_component_id(&def, "details", "logo"), "logo");
    assert_eq!(free_component_id(&def, "ghost", "heading"), "heading");

    let mut def = def;
    ok(
        &mut def,
        add("details", ComponentType::Divider, None, "email_2"),
    );
    assert_eq!(free_component_id(&def, "details", "email"), "email_3");
}
