//! Editing a draft flow one small step at a time, as an admin console's form posts ask.
//! Nothing here knows HTTP: each edit comes in as plain values and either applies whole or
//! leaves the definition as it was, with a message for the form field at fault.
//!
//! Edits keep the definition well-formed (ids, variants, rules) but not necessarily valid as
//! a graph: a half-built flow is a normal state for a draft, and `FlowDefinition::validate`
//! tells the admin what is still missing.

use super::graph::{Action, ExecutorName, FlowDefinition, Step, StepKind};
use super::view::{
    Component, ComponentConfig, ComponentType, SelectOption, Validation, Variant, flatten,
};
use std::collections::BTreeMap;

/// The kind of step `Edit::AddStep` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewStepKind {
    View,
    Task(ExecutorName),
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Where `Edit::MoveComponent` takes a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComponentMove {
    /// One place earlier among its siblings.
    Up,
    /// One place later among its siblings.
    Down,
    /// To the end of a top-level FORM of the same view (by id).
    IntoForm(String),
    /// Out of its form, to just after it.
    OutOfForm,
}

/// Every field is the raw text of a form field; `None` means the form did not carry that field
/// (it is left as is), `Some("")` clears an optional text.
#[derive(Debug, Clone, Default)]
pub struct ComponentPatch {
    /// Renames the component (buttons: the action ref follows).
    pub id: Option<String>,
    /// SCREAMING_SNAKE variant name, must fit the component type.
    pub variant: Option<String>,
    pub identifier: Option<String>,
    pub label: Option<String>,
    pub placeholder: Option<String>,
    pub hint: Option<String>,
    pub required: Option<bool>,
    pub default_value: Option<String>,
    /// One option per line: "value|label" (or "value" alone = label too).
    pub options: Option<String>,
    /// "" = no rule; else a number.
    pub min_length: Option<String>,
    pub max_length: Option<String>,
    /// "" = no REGEX rule; else must compile with the `regex` crate.
    pub pattern: Option<String>,
    pub pattern_message: Option<String>,
    pub password_policy: Option<bool>,
    pub text: Option<String>,
    /// OTP digits, 4..=10.
    pub length: Option<String>,
    pub src: Option<String>,
    pub alt: Option<String>,
}

#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "one edit per request, built from a form and dropped at once"
)]
pub enum Edit {
    SetFlowInfo {
        name: String,
        description: String,
    },
    /// Inserted after `after` in `steps`, else at the end. A new view holds an H1 and a FORM
    /// with a primary "continue" button (no action yet); a new end an H1; a new task no `next`.
    AddStep {
        id: String,
        kind: NewStepKind,
        after: Option<String>,
    },
    /// Every reference follows: the start, actions' `next`, tasks' `next`.
    RenameStep {
        step: String,
        new_id: String,
    },
    /// Order in `steps` only.
    MoveStep {
        step: String,
        direction: Direction,
    },
    /// References to it are left dangling (validate() reports them); the start step stays.
    RemoveStep {
        step: String,
    },
    SetStart {
        step: String,
    },
    /// Appended to the top level, or to the named top-level FORM.
    AddComponent {
        step: String,
        kind: ComponentType,
        variant: Option<Variant>,
        id: String,
        parent: Option<String>,
    },
    UpdateComponent {
        step: String,
        component: String,
        patch: ComponentPatch,
    },
    MoveComponent {
        step: String,
        component: String,
        to: ComponentMove,
    },
    /// A removed button's action goes too; removing a FORM removes its children.
    RemoveComponent {
        step: String,
        component: String,
    },
    /// `None` removes the action; `Some` adds or retargets it.
    SetActionTarget {
        step: String,
        button: String,
        next: Option<String>,
    },
    /// Outcomes the new executor lacks are dropped from `next`.
    SetExecutor {
        step: String,
        executor: ExecutorName,
    },
    /// `outcome` must be one of the executor's outcomes; `None` removes it from `next`.
    SetOutcome {
        step: String,
        outcome: String,
        next: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    /// The form field the message belongs beside, e.g. "id", "new_id", "pattern", "options", "next".
    pub field: &'static str,
    /// Stable snake_case code, e.g. "duplicate_step", "invalid_id", "bad_pattern", "unknown_step".
    pub code: &'static str,
    /// A sentence for the admin.
    pub message: String,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for EditError {}

fn refuse(field: &'static str, code: &'static str, message: impl Into<String>) -> EditError {
    EditError {
        field,
        code,
        message: message.into(),
    }
}

/// Longest flow name and description: both are shown in lists and page titles.
const MAX_NAME_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 2000;
/// OTP digits a code may have: fewer is guessable within the attempt limit, more is a chore.
const OTP_DIGITS: std::ops::RangeInclusive<u8> = 4..=10;
const DEFAULT_OTP_DIGITS: u8 = 6;

/// Applies one edit; on success says what happened in words ("Step 'verify' added."),
/// on failure leaves `def` unchanged.
pub fn apply(def: &mut FlowDefinition, edit: &Edit) -> Result<String, EditError> {
    // Edits check as they go; working on a copy keeps a refusal half-way from leaving
    // half an edit behind.
    let mut draft = def.clone();
    let said = apply_to(&mut draft, edit)?;
    *def = draft;
    Ok(said)
}

fn apply_to(def: &mut FlowDefinition, edit: &Edit) -> Result<String, EditError> {
    match edit {
        Edit::SetFlowInfo { name, description } => set_flow_info(def, name, description),
        Edit::AddStep { id, kind, after } => add_step(def, id, *kind, after.as_deref()),
        Edit::RenameStep { step, new_id } => rename_step(def, step, new_id),
        Edit::MoveStep { step, direction } => move_step(def, step, *direction),
        Edit::RemoveStep { step } => remove_step(def, step),
        Edit::SetStart { step } => set_start(def, step),
        Edit::AddComponent {
            step,
            kind,
            variant,
            id,
            parent,
        } => add_component(def, step, *kind, *variant, id, parent.as_deref()),
        Edit::UpdateComponent {
            step,
            component,
            patch,
        } => update_component(def, step, component, patch),
        Edit::MoveComponent {
            step,
            component,
            to,
        } => move_component(def, step, component, to),
        Edit::RemoveComponent { step, component } => remove_component(def, step, component),
        Edit::SetActionTarget { step, button, next } => {
            set_action_target(def, step, button, next.as_deref())
        }
        Edit::SetExecutor { step, executor } => set_executor(def, step, *executor),
        Edit::SetOutcome {
            step,
            outcome,
            next,
        } => set_outcome(def, step, outcome, next.as_deref()),
    }
}

/// What would be left pointing nowhere if `step` were removed, in words, one per edge:
/// e.g. "Button 'continue' of 'details'", "Outcome 'success' of 'send_code'", "the start".
pub fn dangling_if_removed(def: &FlowDefinition, step: &str) -> Vec<String> {
    let mut out = Vec::new();
    if def.start == step {
        out.push("the start".to_owned());
    }
    // Edges from the step itself go with it.
    for s in def.steps.iter().filter(|s| s.id != step) {
        match &s.kind {
            StepKind::View { actions, .. } => {
                for a in actions.iter().filter(|a| a.next == step) {
                    out.push(format!("Button '{}' of '{}'", a.button, s.id));
                }
            }
            StepKind::Task { next, .. } => {
                for (outcome, _) in next.iter().filter(|(_, n)| *n == step) {
                    out.push(format!("Outcome '{outcome}' of '{}'", s.id));
                }
            }
            StepKind::End { .. } => {}
        }
    }
    out
}

/// An id not yet used by any step, from `base` ("view", "view_2", ...).
pub fn free_step_id(def: &FlowDefinition, base: &str) -> String {
    free_id(base, "step", |id| def.step(id).is_some())
}

/// Same for component ids within one step (all nested components count).
pub fn free_component_id(def: &FlowDefinition, step: &str, base: &str) -> String {
    let components = def.step(step).map(Step::components).unwrap_or_default();
    let all = flatten(components);
    free_id(base, "component", |id| all.iter().any(|c| c.id == id))
}

fn free_id(base: &str, fallback: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if valid_id(base) { base } else { fallback };
    (1..)
        .map(|n| {
            if n == 1 {
                return base.to_owned();
            }
            let suffix = format!("_{n}");
            // Keeps the result a valid id however long the base is.
            let keep = base
                .char_indices()
                .nth(MAX_ID_CHARS - suffix.len())
                .map_or(base.len(), |(i, _)| i);
            format!("{}{suffix}", &base[..keep])
        })
        .find(|id| !taken(id))
        .unwrap_or_default()
}

/// The component types and variants an admin may add, for select lists built from the schema:
/// (ComponentType, Option<Variant>, human label e.g. "Text input", "Heading 1", "Primary button").
pub fn addable_components() -> Vec<(ComponentType, Option<Variant>, &'static str)> {
    use ComponentType as T;
    use Variant as V;
    vec![
        (T::Typography, Some(V::H1), "Heading 1"),
        (T::Typography, Some(V::H2), "Heading 2"),
        (T::Typography, Some(V::H3), "Heading 3"),
        (T::Typography, Some(V::H4), "Heading 4"),
        (T::Typography, Some(V::H5), "Heading 5"),
        (T::Typography, Some(V::H6), "Heading 6"),
        (T::Typography, Some(V::Body1), "Paragraph"),
        (T::Typography, Some(V::Body2), "Small print"),
        (T::RichText, None, "Rich text (paragraphs)"),
        (T::Form, None, "Form"),
        (T::Input, Some(V::Text), "Text input"),
        (T::Input, Some(V::Email), "E-mail input"),
        (T::Input, Some(V::Password), "Password input"),
        (T::Input, Some(V::Telephone), "Telephone input"),
        (T::Input, Some(V::Number), "Number input"),
        (T::Input, Some(V::Date), "Date input"),
        (T::Input, Some(V::Otp), "One-time code input"),
        (T::Input, Some(V::Checkbox), "Checkbox"),
        (T::Input, Some(V::Dropdown), "Drop-down list"),
        (T::Button, Some(V::Primary), "Primary button"),
        (T::Button, Some(V::Secondary), "Secondary button"),
        (T::Button, Some(V::Text), "Text button"),
        (T::Divider, None, "Divider"),
        (T::Image, None, "Image"),
    ]
}

const MAX_ID_CHARS: usize = 64;

/// `^[A-Za-z][A-Za-z0-9_-]{0,63}$`: ids end up in HTML ids, form names and URLs.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && id.len() <= MAX_ID_CHARS
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn check_id(field: &'static str, id: &str) -> Result<(), EditError> {
    if valid_id(id) {
        Ok(())
    } else {
        Err(refuse(
            field,
            "invalid_id",
            format!(
                "'{id}' is not a usable id: start with a letter, then letters, digits, '_' or '-', \
                 at most {MAX_ID_CHARS} in all."
            ),
        ))
    }
}

// ---------------------------------------------------------------- flow and steps

fn set_flow_info(
    def: &mut FlowDefinition,
    name: &str,
    description: &str,
) -> Result<String, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(refuse("name", "required", "The flow needs a name."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(refuse(
            "name",
            "too_long",
            format!("Keep the name to {MAX_NAME_CHARS} characters."),
        ));
    }
    let description = description.trim();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(refuse(
            "description",
            "too_long",
            format!("Keep the description to {MAX_DESCRIPTION_CHARS} characters."),
        ));
    }
    def.name = name.to_owned();
    def.description = normalise_newlines(description);
    Ok("Name and description saved.".to_owned())
}

fn step_index(def: &FlowDefinition, field: &'static str, id: &str) -> Result<usize, EditError> {
    def.steps
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| refuse(field, "unknown_step", format!("There is no step '{id}'.")))
}

/// A step an edge may lead to: it must exist now.
fn check_target(def: &FlowDefinition, next: &str) -> Result<(), EditError> {
    step_index(def, "next", next).map(|_| ())
}

fn add_step(
    def: &mut FlowDefinition,
    id: &str,
    kind: NewStepKind,
    after: Option<&str>,
) -> Result<String, EditError> {
    check_id("id", id)?;
    if def.step(id).is_some() {
        return Err(refuse(
            "id",
            "duplicate_step",
            format!("There is already a step '{id}'."),
        ));
    }
    let at = match after {
        Some(after) => step_index(def, "after", after)? + 1,
        None => def.steps.len(),
    };
    let heading = Component {
        id: "heading".into(),
        kind: ComponentType::Typography,
        variant: Some(Variant::H1),
        config: ComponentConfig {
            text: Some(id.to_owned()),
            ..ComponentConfig::default()
        },
        components: Vec::new(),
        action_id: None,
    };
    let kind = match kind {
        NewStepKind::View => {
            let mut form = new_component(ComponentType::Form, None, "form");
            form.components
                .push(new_component(ComponentType::Button, None, "continue"));
            StepKind::View {
                components: vec![heading, form],
                actions: Vec::new(),
            }
        }
        NewStepKind::Task(executor) => StepKind::Task {
            executor,
            next: BTreeMap::new(),
        },
        NewStepKind::End => StepKind::End {
            components: vec![heading],
        },
    };
    def.steps.insert(
        at,
        Step {
            id: id.to_owned(),
            kind,
        },
    );
    Ok(format!("Step '{id}' added."))
}

fn rename_step(def: &mut FlowDefinition, step: &str, new_id: &str) -> Result<String, EditError> {
    let index = step_index(def, "step", step)?;
    check_id("new_id", new_id)?;
    if new_id == step {
        return Ok(format!("Step '{step}' keeps its name."));
    }
    if def.step(new_id).is_some() {
        return Err(refuse(
            "new_id",
            "duplicate_step",
            format!("There is already a step '{new_id}'."),
        ));
    }
    if let Some(s) = def.steps.get_mut(index) {
        s.id = new_id.to_owned();
    }
    if def.start == step {
        def.start = new_id.to_owned();
    }
    for s in &mut def.steps {
        match &mut s.kind {
            StepKind::View { actions, .. } => {
                for a in actions.iter_mut().filter(|a| a.next == step) {
                    a.next = new_id.to_owned();
                }
            }
            StepKind::Task { next, .. } => {
                for target in next.values_mut().filter(|n| *n == step) {
                    *target = new_id.to_owned();
                }
            }
            StepKind::End { .. } => {}
        }
    }
    Ok(format!("Step '{step}' renamed to '{new_id}'."))
}

fn move_step(
    def: &mut FlowDefinition,
    step: &str,
    direction: Direction,
) -> Result<String, EditError> {
    let index = step_index(def, "step", step)?;
    match direction {
        Direction::Up if index == 0 => Ok(format!("Step '{step}' is already first.")),
        Direction::Up => {
            def.steps.swap(index, index - 1);
            Ok(format!("Step '{step}' moved up."))
        }
        Direction::Down if index + 1 >= def.steps.len() => {
            Ok(format!("Step '{step}' is already last."))
        }
        Direction::Down => {
            def.steps.swap(index, index + 1);
            Ok(format!("Step '{step}' moved down."))
        }
    }
}

fn remove_step(def: &mut FlowDefinition, step: &str) -> Result<String, EditError> {
    let index = step_index(def, "step", step)?;
    if def.start == step {
        return Err(refuse(
            "step",
            "remove_start",
            format!("'{step}' is where the flow starts: make another step the start first."),
        ));
    }
    let dangling = dangling_if_removed(def, step);
    def.steps.remove(index);
    Ok(if dangling.is_empty() {
        format!("Step '{step}' removed.")
    } else {
        format!(
            "Step '{step}' removed; now leading nowhere: {}.",
            dangling.join(", ")
        )
    })
}

fn set_start(def: &mut FlowDefinition, step: &str) -> Result<String, EditError> {
    let index = step_index(def, "step", step)?;
    if matches!(
        def.steps.get(index).map(|s| &s.kind),
        Some(StepKind::End { .. })
    ) {
        return Err(refuse(
            "step",
            "start_is_end",
            format!("'{step}' is an end step: the flow would end before it starts."),
        ));
    }
    def.start = step.to_owned();
    Ok(format!("The flow now starts at '{step}'."))
}

// ---------------------------------------------------------------- tasks

fn task_parts<'a>(
    def: &'a mut FlowDefinition,
    step: &str,
) -> Result<(&'a mut ExecutorName, &'a mut BTreeMap<String, String>), EditError> {
    let index = step_index(def, "step", step)?;
    match def.steps.get_mut(index).map(|s| &mut s.kind) {
        Some(StepKind::Task { executor, next }) => Ok((executor, next)),
        _ => Err(refuse(
            "step",
            "not_a_task",
            format!("'{step}' is not a task."),
        )),
    }
}

fn set_executor(
    def: &mut FlowDefinition,
    step: &str,
    new: ExecutorName,
) -> Result<String, EditError> {
    let (executor, next) = task_parts(def, step)?;
    *executor = new;
    let before = next.len();
    next.retain(|outcome, _| new.outcomes().contains(&outcome.as_str()));
    let dropped = before - next.len();
    Ok(if dropped == 0 {
        format!("'{step}' now runs {}.", new.as_name())
    } else {
        format!(
            "'{step}' now runs {}; {dropped} outcome(s) it does not have were dropped.",
            new.as_name()
        )
    })
}

fn set_outcome(
    def: &mut FlowDefinition,
    step: &str,
    outcome: &str,
    target: Option<&str>,
) -> Result<String, EditError> {
    if let Some(target) = target {
        check_target(def, target)?;
    }
    let (executor, next) = task_parts(def, step)?;
    if !executor.outcomes().contains(&outcome) {
        return Err(refuse(
            "outcome",
            "unknown_outcome",
            format!(
                "{} has no outcome '{outcome}'; it has {}.",
                executor.as_name(),
                executor.outcomes().join(", ")
            ),
        ));
    }
    Ok(match target {
        Some(target) => {
            next.insert(outcome.to_owned(), target.to_owned());
            format!("Outcome '{outcome}' of '{step}' now leads to '{target}'.")
        }
        None => {
            next.remove(outcome);
            format!("Outcome '{outcome}' of '{step}' now leads nowhere.")
        }
    })
}

// ---------------------------------------------------------------- components

/// The components of a view or end step, and the actions of a view.
fn component_parts<'a>(
    def: &'a mut FlowDefinition,
    step: &str,
) -> Result<(&'a mut Vec<Component>, Option<&'a mut Vec<Action>>), EditError> {
    let index = step_index(def, "step", step)?;
    match def.steps.get_mut(index).map(|s| &mut s.kind) {
        Some(StepKind::View {
            components,
            actions,
        }) => Ok((components, Some(actions))),
        Some(StepKind::End { components }) => Ok((components, None)),
        _ => Err(refuse(
            "step",
            "not_a_view",
            format!("'{step}' is a task: it shows nothing."),
        )),
    }
}

/// Indices from the top level down to the component called `id`.
fn find_path(components: &[Component], id: &str) -> Option<Vec<usize>> {
    components.iter().enumerate().find_map(|(i, c)| {
        if c.id == id {
            return Some(vec![i]);
        }
        find_path(&c.components, id).map(|mut rest| {
            rest.insert(0, i);
            rest
        })
    })
}

/// The list holding the component at `path` (the top level for a one-index path).
fn siblings_mut<'a>(
    components: &'a mut Vec<Component>,
    path: &[usize],
) -> Option<&'a mut Vec<Component>> {
    match path.split_first() {
        None | Some((_, [])) => Some(components),
        Some((first, rest)) => siblings_mut(&mut components.get_mut(*first)?.components, rest),
    }
}

fn component_mut<'a>(
    components: &'a mut Vec<Component>,
    path: &[usize],
) -> Option<&'a mut Component> {
    siblings_mut(components, path)?.get_mut(*path.last()?)
}

fn unknown_component(field: &'static str, step: &str, id: &str) -> EditError {
    refuse(
        field,
        "unknown_component",
        format!("'{step}' has no component '{id}'."),
    )
}

fn locate(components: &[Component], step: &str, id: &str) -> Result<Vec<usize>, EditError> {
    find_path(components, id).ok_or_else(|| unknown_component("component", step, id))
}

fn check_variant(
    field: &'static str,
    kind: ComponentType,
    variant: Option<Variant>,
) -> Result<(), EditError> {
    match variant {
        Some(v) if !kind.variants().contains(&v) => Err(refuse(
            field,
            "bad_variant",
            if kind.variants().is_empty() {
                format!("A {} takes no variant.", kind.as_name())
            } else {
                format!(
                    "{} does not fit a {}; choose one of {}.",
                    v.as_name(),
                    kind.as_name(),
                    names(kind.variants())
                )
            },
        )),
        _ => Ok(()),
    }
}

fn names(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| v.as_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new component with a config that renders and validates sensibly as it is.
fn new_component(kind: ComponentType, variant: Option<Variant>, id: &str) -> Component {
    let variant = variant.or(match kind {
        ComponentType::Input => Some(Variant::Text),
        ComponentType::Button => Some(Variant::Primary),
        ComponentType::Typography => Some(Variant::Body1),
        _ => None,
    });
    let mut config = ComponentConfig::default();
    let mut action_id = None;
    match kind {
        ComponentType::Input => match variant {
            Some(Variant::Otp) => {
                config.identifier = Some("otp".into());
                config.label = Some("{{t(field.otp)}}".into());
                config.required = true;
                config.length = Some(DEFAULT_OTP_DIGITS);
            }
            Some(Variant::Password) => {
                config.identifier = Some(id.to_owned());
                config.label = Some(id.to_owned());
                config.required = true;
                config.validations = vec![Validation::PasswordPolicy];
            }
            _ => {
                config.identifier = Some(id.to_owned());
                config.label = Some(id.to_owned());
            }
        },
        ComponentType::Button => {
            action_id = Some(id.to_owned());
            config.text = Some("Continue".into());
            config.button_type = Some("submit".into());
        }
        ComponentType::Typography => {
            let heading = !matches!(variant, Some(Variant::Body1 | Variant::Body2));
            config.text = Some(if heading { "Heading" } else { "Text" }.into());
        }
        ComponentType::RichText => config.text = Some("Text".into()),
        ComponentType::Form | ComponentType::Divider | ComponentType::Image => {}
    }
    Component {
        id: id.to_owned(),
        kind,
        variant,
        config,
        components: Vec::new(),
        action_id,
    }
}

fn add_component(
    def: &mut FlowDefinition,
    step: &str,
    kind: ComponentType,
    variant: Option<Variant>,
    id: &str,
    parent: Option<&str>,
) -> Result<String, EditError> {
    let (components, actions) = component_parts(def, step)?;
    if actions.is_none() && matches!(kind, ComponentType::Input | ComponentType::Button) {
        return Err(refuse(
            "kind",
            "not_in_end",
            format!(
                "'{step}' is an end step: nothing is submitted from it, so it takes no {}.",
                kind.as_name()
            ),
        ));
    }
    check_variant("variant", kind, variant)?;
    check_id("id", id)?;
    if flatten(components).iter().any(|c| c.id == id) {
        return Err(refuse(
            "id",
            "duplicate_component",
            format!("'{step}' already has a component '{id}'."),
        ));
    }
    let component = new_component(kind, variant, id);
    match parent {
        None => {
            components.push(component);
            Ok(format!("'{id}' added to '{step}'."))
        }
        Some(form) => {
            if kind == ComponentType::Form {
                return Err(refuse(
                    "parent",
                    "nested_form",
                    "A form cannot hold another form.",
                ));
            }
            let form_component = top_level_form(components, step, "parent", form)?;
            form_component.components.push(component);
            Ok(format!("'{id}' added to form '{form}' of '{step}'."))
        }
    }
}

fn top_level_form<'a>(
    components: &'a mut [Component],
    step: &str,
    field: &'static str,
    form: &str,
) -> Result<&'a mut Component, EditError> {
    components
        .iter_mut()
        .find(|c| c.id == form && c.kind == ComponentType::Form)
        .ok_or_else(|| {
            refuse(
                field,
                "unknown_component",
                format!("'{step}' has no form '{form}'."),
            )
        })
}

fn remove_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
) -> Result<String, EditError> {
    let (components, actions) = component_parts(def, step)?;
    let path = locate(components, step, component)?;
    let index = path.last().copied().unwrap_or_default();
    let Some(removed) = siblings_mut(components, &path)
        .filter(|s| index < s.len())
        .map(|s| s.remove(index))
    else {
        return Err(unknown_component("component", step, component));
    };
    let gone: Vec<&str> = removed
        .walk()
        .into_iter()
        .filter_map(Component::button_action)
        .collect();
    let mut lost = 0;
    if let Some(actions) = actions {
        let before = actions.len();
        actions.retain(|a| !gone.contains(&a.button.as_str()));
        lost = before - actions.len();
    }
    let children = removed.components.len();
    let mut said = format!("'{component}' removed from '{step}'");
    if children > 0 {
        said.push_str(&format!(" with the {children} component(s) it held"));
    }
    if lost > 0 {
        said.push_str(&format!("; {lost} action(s) went with it"));
    }
    said.push('.');
    Ok(said)
}

fn move_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
    to: &ComponentMove,
) -> Result<String, EditError> {
    let (components, _) = component_parts(def, step)?;
    let path = locate(components, step, component)?;
    let index = path.last().copied().unwrap_or_default();
    let (parent_path, _) = path.split_at(path.len().saturating_sub(1));
    match to {
        ComponentMove::Up | ComponentMove::Down => {
            let Some(siblings) = siblings_mut(components, &path) else {
                return Err(unknown_component("component", step, component));
            };
            let up = *to == ComponentMove::Up;
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|i| *i < siblings.len())
            };
            Ok(match other {
                Some(other) => {
                    siblings.swap(index, other);
                    format!("'{component}' moved {}.", if up { "up" } else { "down" })
                }
                None => format!(
                    "'{component}' is already {}.",
                    if up { "first" } else { "last" }
                ),
            })
        }
        ComponentMove::IntoForm(form) => {
            if parent_path.len() == 1
                && components
                    .get(parent_path[0])
                    .is_some_and(|p| p.id == *form)
            {
                return Ok(format!("'{component}' is already in form '{form}'."));
            }
            let is_form =
                component_mut(components, &path).is_some_and(|c| c.kind == ComponentType::Form);
            if is_form {
                return Err(refuse(
                    "to",
                    "nested_form",
                    "A form cannot go into another form.",
                ));
            }
            top_level_form(components, step, "to", form)?;
            let Some(moving) = siblings_mut(components, &path)
                .filter(|s| index < s.len())
                .map(|s| s.remove(index))
            else {
                return Err(unknown_component("component", step, component));
            };
            // Found again: taking the component out may have shifted the form.
            top_level_form(components, step, "to", form)?
                .components
                .push(moving);
            Ok(format!("'{component}' moved into form '{form}'."))
        }
        ComponentMove::OutOfForm => {
            let Some(&form_index) = parent_path.last() else {
                return Err(refuse(
                    "to",
                    "not_in_form",
                    format!("'{component}' is not in a form."),
                ));
            };
            let Some(moving) = siblings_mut(components, &path)
                .filter(|s| index < s.len())
                .map(|s| s.remove(index))
            else {
                return Err(unknown_component("component", step, component));
            };
            let Some(outer) = siblings_mut(components, parent_path) else {
                return Err(unknown_component("component", step, component));
            };
            outer.insert((form_index + 1).min(outer.len()), moving);
            Ok(format!("'{component}' moved out of its form."))
        }
    }
}

fn set_action_target(
    def: &mut FlowDefinition,
    step: &str,
    button: &str,
    next: Option<&str>,
) -> Result<String, EditError> {
    if let Some(next) = next {
        check_target(def, next)?;
    }
    let (components, actions) = component_parts(def, step)?;
    let Some(actions) = actions else {
        return Err(refuse(
            "step",
            "not_a_view",
            format!("'{step}' is an end step: it has no actions."),
        ));
    };
    let Some(action) = flatten(components)
        .into_iter()
        .find(|c| c.id == button && c.is_button())
        .and_then(Component::button_action)
        .map(str::to_owned)
    else {
        return Err(refuse(
            "button",
            "unknown_component",
            format!("'{step}' has no button '{button}'."),
        ));
    };
    Ok(match next {
        Some(next) => {
            match actions.iter_mut().find(|a| a.button == action) {
                Some(a) => a.next = next.to_owned(),
                None => actions.push(Action {
                    button: action,
                    next: next.to_owned(),
                }),
            }
            format!("Button '{button}' of '{step}' now leads to '{next}'.")
        }
        None => {
            actions.retain(|a| a.button != action);
            format!("Button '{button}' of '{step}' now does nothing.")
        }
    })
}

// ---------------------------------------------------------------- updating one component

/// The whole patch checked and turned into values before anything changes.
fn update_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
    patch: &ComponentPatch,
) -> Result<String, EditError> {
    let (components, actions) = component_parts(def, step)?;
    let path = locate(components, step, component)?;
    let new_id = match patch.id.as_deref().map(str::trim) {
        Some(id) if id != component => {
            check_id("id", id)?;
            if flatten(components).iter().any(|c| c.id == id) {
                return Err(refuse(
                    "id",
                    "duplicate_component",
                    format!("'{step}' already has a component '{id}'."),
                ));
            }
            Some(id.to_owned())
        }
        _ => None,
    };
    let Some(target) = component_mut(components, &path) else {
        return Err(unknown_component("component", step, component));
    };
    let old_action = target.button_action().map(str::to_owned);
    if let (Some(id), Some(old), Some(actions)) = (&new_id, &old_action, &actions)
        && actions.iter().any(|a| a.button == *id && a.button != *old)
    {
        return Err(refuse(
            "id",
            "duplicate_action",
            format!("'{step}' already has an action for '{id}': remove it first."),
        ));
    }
    patch_component(target, patch)?;
    if let Some(id) = new_id {
        target.id = id.clone();
        if target.is_button() {
            target.action_id = Some(id.clone());
            if let (Some(old), Some(actions)) = (old_action, actions) {
                for a in actions.iter_mut().filter(|a| a.button == old) {
                    a.button = id.clone();
                }
            }
        }
        return Ok(format!("'{component}' of '{step}' saved as '{id}'."));
    }
    Ok(format!("'{component}' of '{step}' saved."))
}

/// Applies what the patch carries and the component's type uses; the rest is ignored.
fn patch_component(c: &mut Component, patch: &ComponentPatch) -> Result<(), EditError> {
    if let Some(name) = patch.variant.as_deref() {
        c.variant = parse_variant(c.kind, name)?;
    }
    let config = &mut c.config;
    match c.kind {
        ComponentType::Input => {
            patch_input(config, c.variant, patch)?;
        }
        ComponentType::Button | ComponentType::Typography | ComponentType::RichText => {
            set_text(&mut config.text, patch.text.as_deref());
        }
        ComponentType::Image => {
            if let Some(src) = patch.src.as_deref() {
                check_src(src.trim())?;
            }
            set_text(&mut config.src, patch.src.as_deref().map(str::trim));
            set_text(&mut config.alt, patch.alt.as_deref());
        }
        ComponentType::Form | ComponentType::Divider => {}
    }
    Ok(())
}

fn parse_variant(kind: ComponentType, name: &str) -> Result<Option<Variant>, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return if kind.variants().is_empty() {
            Ok(None)
        } else {
            Err(refuse(
                "variant",
                "bad_variant",
                format!(
                    "A {} needs a variant: one of {}.",
                    kind.as_name(),
                    names(kind.variants())
                ),
            ))
        };
    }
    let Some(variant) = Variant::from_name(name) else {
        return Err(refuse(
            "variant",
            "bad_variant",
            format!("There is no variant '{name}'."),
        ));
    };
    check_variant("variant", kind, Some(variant))?;
    Ok(Some(variant))
}

fn patch_input(
    config: &mut ComponentConfig,
    variant: Option<Variant>,
    patch: &ComponentPatch,
) -> Result<(), EditError> {
    if let Some(identifier) = patch.identifier.as_deref() {
        let identifier = identifier.trim();
        if identifier.is_empty() {
            return Err(refuse(
                "identifier",
                "required",
                "An input needs the name of the attribute it fills.",
            ));
        }
        if identifier.chars().any(char::is_whitespace) || identifier.len() > 200 {
            return Err(refuse(
                "identifier",
                "invalid_identifier",
                "An attribute name is one word (or a claim URI) of at most 200 characters.",
            ));
        }
        config.identifier = Some(identifier.to_owned());
    }
    set_text(&mut config.label, patch.label.as_deref());
    set_text(&mut config.placeholder, patch.placeholder.as_deref());
    set_text(&mut config.hint, patch.hint.as_deref());
    if let Some(required) = patch.required {
        config.required = required;
    }

    if variant == Some(Variant::Dropdown) {
        if let Some(options) = patch.options.as_deref() {
            config.options = parse_options(options)?;
        }
    } else {
        // Only a drop-down offers options; left over from a variant change they would be noise.
        config.options.clear();
    }

    if variant == Some(Variant::Otp) {
        if let Some(length) = patch.length.as_deref() {
            config.length = Some(parse_otp_length(length)?);
        }
        config.length.get_or_insert(DEFAULT_OTP_DIGITS);
    } else {
        config.length = None;
    }

    if matches!(variant, Some(Variant::Password | Variant::Otp)) {
        // Secrets are never echoed into a page, so a default would never show.
        config.default_value = None;
    } else {
        set_text(&mut config.default_value, patch.default_value.as_deref());
    }

    patch_rules(&mut config.validations, patch)
}

fn patch_rules(rules: &mut Vec<Validation>, patch: &ComponentPatch) -> Result<(), EditError> {
    let min = match patch.min_length.as_deref() {
        Some(raw) => parse_count("min_length", raw)?,
        None => rules.iter().find_map(|r| match r {
            Validation::MinLength { value } => Some(*value),
            _ => None,
        }),
    };
    let max = match patch.max_length.as_deref() {
        Some(raw) => parse_count("max_length", raw)?,
        None => rules.iter().find_map(|r| match r {
            Validation::MaxLength { value } => Some(*value),
            _ => None,
        }),
    };
    if max == Some(0) {
        return Err(refuse(
            "max_length",
            "out_of_range",
            "A longest length of 0 would refuse every value.",
        ));
    }
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(refuse(
            "min_length",
            "min_above_max",
            format!("The shortest length ({min}) is above the longest ({max})."),
        ));
    }
    let old_regex = rules.iter().find_map(|r| match r {
        Validation::Regex { pattern, message } => Some((pattern.clone(), message.clone())),
        _ => None,
    });
    let pattern = match patch.pattern.as_deref() {
        Some(raw) if raw.trim().is_empty() => None,
        Some(raw) => {
            // Checked as the engine will match it: anchored to the whole value.
            if let Err(e) = regex::Regex::new(&format!("^(?:{raw})$")) {
                return Err(refuse(
                    "pattern",
                    "bad_pattern",
                    format!(
                        "The pattern does not compile: {}",
                        last_line(&e.to_string())
                    ),
                ));
            }
            Some(raw.to_owned())
        }
        None => old_regex.as_ref().map(|(p, _)| p.clone()),
    };
    let message = match patch.pattern_message.as_deref() {
        Some(raw) => Some(raw.trim())
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        None => old_regex.and_then(|(_, m)| m),
    };
    let policy = patch
        .password_policy
        .unwrap_or_else(|| rules.contains(&Validation::PasswordPolicy));

    set_rule(
        rules,
        |r| matches!(r, Validation::MinLength { .. }),
        min.map(|value| Validation::MinLength { value }),
    );
    set_rule(
        rules,
        |r| matches!(r, Validation::MaxLength { .. }),
        max.map(|value| Validation::MaxLength { value }),
    );
    set_rule(
        rules,
        |r| matches!(r, Validation::Regex { .. }),
        pattern.map(|pattern| Validation::Regex { pattern, message }),
    );
    set_rule(
        rules,
        |r| *r == Validation::PasswordPolicy,
        policy.then_some(Validation::PasswordPolicy),
    );
    Ok(())
}

/// Replaces the rule of one kind where it stands (the first failing rule is the one shown),
/// appends it if new, or removes it.
fn set_rule(
    rules: &mut Vec<Validation>,
    is_kind: impl Fn(&Validation) -> bool,
    rule: Option<Validation>,
) {
    match (rules.iter().position(&is_kind), rule) {
        (Some(at), Some(rule)) => {
            if let Some(slot) = rules.get_mut(at) {
                *slot = rule;
            }
            let mut seen = false;
            rules.retain(|r| {
                let duplicate = seen && is_kind(r);
                seen |= is_kind(r);
                !duplicate
            });
        }
        (None, Some(rule)) => rules.push(rule),
        (_, None) => rules.retain(|r| !is_kind(r)),
    }
}

fn parse_count(field: &'static str, raw: &str) -> Result<Option<usize>, EditError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        refuse(
            field,
            "not_a_number",
            format!("'{raw}' is not a whole number of characters."),
        )
    })
}

fn parse_otp_length(raw: &str) -> Result<u8, EditError> {
    let raw = raw.trim();
    let digits: u8 = raw.parse().map_err(|_| {
        refuse(
            "length",
            "not_a_number",
            format!("'{raw}' is not a number of digits."),
        )
    })?;
    if !OTP_DIGITS.contains(&digits) {
        return Err(refuse(
            "length",
            "out_of_range",
            format!(
                "A code has {} to {} digits.",
                OTP_DIGITS.start(),
                OTP_DIGITS.end()
            ),
        ));
    }
    Ok(digits)
}

fn parse_options(raw: &str) -> Result<Vec<SelectOption>, EditError> {
    let mut options: Vec<SelectOption> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (value, label) = match line.split_once('|') {
            Some((value, label)) => (value.trim(), label.trim()),
            None => (line, line),
        };
        if value.is_empty() {
            return Err(refuse(
                "options",
                "bad_option",
                format!("'{line}' has no value before the '|'."),
            ));
        }
        if options.iter().any(|o| o.value == value) {
            return Err(refuse(
                "options",
                "duplicate_option",
                format!("The value '{value}' is offered twice."),
            ));
        }
        options.push(SelectOption {
            value: value.to_owned(),
            label: if label.is_empty() { value } else { label }.to_owned(),
        });
    }
    Ok(options)
}

/// Images load from the web or from this server; other schemes (`javascript:`, `data:`) are
/// refused rather than trusted to the browser.
fn check_src(src: &str) -> Result<(), EditError> {
    let fine = src.is_empty()
        || src.starts_with("https://")
        || src.starts_with("http://")
        || (src.starts_with('/') && !src.starts_with("//"));
    if fine {
        Ok(())
    } else {
        Err(refuse(
            "src",
            "bad_src",
            "An image address starts with https://, http:// or /.",
        ))
    }
}

/// `Some("")` (or blanks) clears, other text replaces, `None` leaves the value.
fn set_text(slot: &mut Option<String>, raw: Option<&str>) {
    if let Some(raw) = raw {
        *slot = Some(normalise_newlines(raw)).filter(|t| !t.trim().is_empty());
    }
}

/// Browsers send textarea lines as CRLF; rich text splits paragraphs on "\n\n".
fn normalise_newlines(raw: &str) -> String {
    raw.replace("\r\n", "\n")
}

/// The regex crate puts the pattern and a caret first and the reason last.
fn last_line(s: &str) -> &str {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
}
