//! Unit tests of flow edits: shared helpers and whole-flow tests here, the rest by concern.

mod actions;
mod branches;
mod components;
mod patch;
mod steps;
mod words;

use super::*;
use crate::engine::FlowType;
use crate::engine::graph::Step;
use crate::engine::starter;
use crate::engine::view::{Validation, flatten};
use std::collections::BTreeMap;

fn template(id: &str) -> FlowDefinition {
    starter::by_id(id).unwrap().definition().unwrap()
}

fn registration() -> FlowDefinition {
    template("registration-otp")
}

/// Applies an edit that must be made, and says what it did in English; its words are whole.
fn ok(def: &mut FlowDefinition, edit: Edit) -> String {
    let said = apply(def, &edit).unwrap();
    assert!(said.faults().is_empty(), "{edit:?}: {:?}", said.faults());
    said.english()
}

/// Applies an edit that must be refused, and checks it changed nothing.
fn refused(def: &mut FlowDefinition, edit: Edit) -> EditError {
    let before = def.clone();
    let error = apply(def, &edit).unwrap_err();
    assert_eq!(*def, before, "a refused edit changed the definition");
    assert!(
        error.message.faults().is_empty(),
        "{edit:?}: {:?}",
        error.message.faults()
    );
    error
}

/// Applies each edit, which must be refused with its field and code, changing nothing.
fn refusals<const N: usize>(def: &mut FlowDefinition, cases: [(Edit, &str, &str); N]) {
    for (edit, field, code) in cases {
        let e = refused(def, edit.clone());
        assert_eq!((e.field, e.code), (field, code), "{edit:?}");
    }
}

fn codes(def: &FlowDefinition) -> Vec<&'static str> {
    def.validate().into_iter().map(|p| p.code).collect()
}

fn components<'a>(def: &'a FlowDefinition, step: &str) -> &'a [Component] {
    def.step(step).unwrap().components()
}

fn component<'a>(def: &'a FlowDefinition, step: &str, id: &str) -> &'a Component {
    flatten(components(def, step))
        .into_iter()
        .find(|c| c.id == id)
        .unwrap()
}

fn top_ids(def: &FlowDefinition, step: &str) -> Vec<String> {
    components(def, step).iter().map(|c| c.id.clone()).collect()
}

fn child_ids(def: &FlowDefinition, step: &str, form: &str) -> Vec<String> {
    component(def, step, form)
        .components
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

fn actions(def: &FlowDefinition, step: &str) -> Vec<(String, String)> {
    match &def.step(step).unwrap().kind {
        StepKind::View { actions, .. } => actions
            .iter()
            .map(|a| (a.button.clone(), a.next.clone()))
            .collect(),
        _ => panic!("not a view"),
    }
}

fn next(def: &FlowDefinition, step: &str) -> BTreeMap<String, String> {
    match &def.step(step).unwrap().kind {
        StepKind::Task { next, .. } => next.clone(),
        _ => panic!("not a task"),
    }
}

fn step_ids(def: &FlowDefinition) -> Vec<&str> {
    def.steps.iter().map(|s| s.id.as_str()).collect()
}

/// Form fields by name, with their raw text.
type Fields<'a> = &'a [(&'a str, &'a str)];

/// Sends a component's settings form carrying `fields`; the fields not named are absent, as
/// fields a form did not carry. A ticked checkbox reads "true".
fn update(step: &str, component: &str, fields: Fields) -> Edit {
    let mut patch = ComponentPatch::default();
    for &(name, value) in fields {
        match name {
            "required" => patch.required = Some(value == "true"),
            "password_policy" => patch.password_policy = Some(value == "true"),
            _ => *text_field(&mut patch, name) = Some(value.to_owned()),
        }
    }
    Edit::UpdateComponent {
        step: step.into(),
        component: component.into(),
        patch,
    }
}

fn text_field<'a>(patch: &'a mut ComponentPatch, name: &str) -> &'a mut Option<String> {
    match name {
        "id" => &mut patch.id,
        "variant" => &mut patch.variant,
        "identifier" => &mut patch.identifier,
        "label" => &mut patch.label,
        "placeholder" => &mut patch.placeholder,
        "hint" => &mut patch.hint,
        "default_value" => &mut patch.default_value,
        "options" => &mut patch.options,
        "min_length" => &mut patch.min_length,
        "max_length" => &mut patch.max_length,
        "pattern" => &mut patch.pattern,
        "pattern_message" => &mut patch.pattern_message,
        "text" => &mut patch.text,
        "length" => &mut patch.length,
        "src" => &mut patch.src,
        "alt" => &mut patch.alt,
        other => panic!("no field {other} in a component's settings form"),
    }
}

fn flow_info(name: &str, description: &str) -> Edit {
    Edit::SetFlowInfo {
        name: name.into(),
        description: description.into(),
    }
}

fn add_step(id: &str, kind: NewStepKind, after: Option<&str>) -> Edit {
    Edit::AddStep {
        id: id.into(),
        kind,
        after: after.map(str::to_owned),
    }
}

fn rename_step(step: &str, new_id: &str) -> Edit {
    Edit::RenameStep {
        step: step.into(),
        new_id: new_id.into(),
    }
}

fn remove_component(step: &str, component: &str) -> Edit {
    Edit::RemoveComponent {
        step: step.into(),
        component: component.into(),
    }
}

fn add(step: &str, kind: ComponentType, variant: Option<Variant>, id: &str) -> Edit {
    Edit::AddComponent {
        step: step.into(),
        kind,
        variant,
        id: id.into(),
        parent: None,
    }
}

fn add_into(
    step: &str,
    kind: ComponentType,
    variant: Option<Variant>,
    id: &str,
    form: &str,
) -> Edit {
    Edit::AddComponent {
        step: step.into(),
        kind,
        variant,
        id: id.into(),
        parent: Some(form.into()),
    }
}

/// A text input `nickname` added to the registration template's details form.
fn add_nickname() -> Edit {
    add_into(
        "details",
        ComponentType::Input,
        Some(Variant::Text),
        "nickname",
        "details_form",
    )
}

fn move_component(step: &str, component: &str, to: ComponentMove) -> Edit {
    Edit::MoveComponent {
        step: step.into(),
        component: component.into(),
        to,
    }
}

#[test]
fn templates_start_valid() {
    for t in starter::all() {
        assert_eq!(t.definition().unwrap().validate(), vec![], "{}", t.id);
    }
}

#[test]
fn set_flow_info_trims_and_refuses_empty_or_long_names() {
    let mut def = registration();
    let said = ok(&mut def, flow_info("  Sign up  ", "Line one\r\nLine two"));
    assert_eq!(said, "Name and description saved.");
    assert_eq!(def.name, "Sign up");
    assert_eq!(def.description, "Line one\nLine two");

    refusals(
        &mut def,
        [
            (flow_info("   ", ""), "name", "required"),
            (flow_info(&"x".repeat(201), ""), "name", "too_long"),
            (
                flow_info("ok", &"x".repeat(2001)),
                "description",
                "too_long",
            ),
        ],
    );
}

#[test]
fn builds_a_valid_flow_from_nothing() {
    let mut def = FlowDefinition {
        flow_type: FlowType::Registration,
        name: "New".into(),
        description: String::new(),
        start: String::new(),
        steps: Vec::new(),
        default_region: None,
    };
    let step = |id: &str, kind| add_step(id, kind, None);
    ok(&mut def, step("details", NewStepKind::View));
    ok(
        &mut def,
        step(
            "set_password",
            NewStepKind::Task(ExecutorName::PasswordOnboarding),
        ),
    );
    ok(
        &mut def,
        step(
            "provision",
            NewStepKind::Task(ExecutorName::UserProvisioning),
        ),
    );
    ok(&mut def, step("done", NewStepKind::End));
    ok(
        &mut def,
        Edit::SetStart {
            step: "details".into(),
        },
    );
    ok(
        &mut def,
        add_into(
            "details",
            ComponentType::Input,
            Some(Variant::Email),
            "email",
            "form",
        ),
    );
    ok(
        &mut def,
        add_into(
            "details",
            ComponentType::Input,
            Some(Variant::Password),
            "password",
            "form",
        ),
    );
    // The button was first in the form; inputs belong above it.
    ok(
        &mut def,
        move_component("details", "continue", ComponentMove::Down),
    );
    ok(
        &mut def,
        move_component("details", "continue", ComponentMove::Down),
    );
    assert_eq!(
        child_ids(&def, "details", "form"),
        ["email", "password", "continue"]
    );
    ok(
        &mut def,
        Edit::SetActionTarget {
            step: "details".into(),
            button: "continue".into(),
            next: Some("set_password".into()),
        },
    );
    ok(
        &mut def,
        Edit::SetOutcome {
            step: "set_password".into(),
            outcome: "success".into(),
            next: Some("provision".into()),
        },
    );
    ok(
        &mut def,
        Edit::SetOutcome {
            step: "provision".into(),
            outcome: "success".into(),
            next: Some("done".into()),
        },
    );
    assert_eq!(def.validate(), vec![]);
    let password = component(&def, "details", "password");
    assert!(password.config.required);
    assert_eq!(
        password.config.validations,
        vec![Validation::PasswordPolicy]
    );
    let json = serde_json::to_string(&def).unwrap();
    let back: FlowDefinition = serde_json::from_str(&json).unwrap();
    assert_eq!(back, def);
}
