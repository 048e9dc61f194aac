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
/// Any one setting of a component: room for a long rich text, not for a book.
const MAX_TEXT_CHARS: usize = 10_000;
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

fn set_flow_info(
    def: &mut FlowDefinition,
    name: &str,
    description: &str,
) -> Result<String, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(refuse("name", "required", "The flow needs a name."));
    }
    check_text("name", name)?;
    check_text("description", description)?;
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
    // The step is named first: its error is the one to show when both are wrong.
    step_index(def, "step", step)?;
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
    step_index(def, "step", step)?;
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

/// The whole patch checked and turned into values before anything changes.
fn update_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
    patch: &ComponentPatch,
) -> Result<String, EditError> {
    check_patch_text(patch)?;
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

/// Text the pages would show or the engine would match: printable, with line breaks and tabs
/// only, and of a sensible length. Control characters have no business in a label and can
/// break what reads it (terminals, mail headers, other clients of the JSON API).
fn check_text(field: &'static str, raw: &str) -> Result<(), EditError> {
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(refuse(
            field,
            "control_character",
            "Remove the invisible control characters from this text.",
        ));
    }
    if raw.chars().count() > MAX_TEXT_CHARS {
        return Err(refuse(
            field,
            "too_long",
            format!("Keep this to {MAX_TEXT_CHARS} characters."),
        ));
    }
    Ok(())
}

fn check_patch_text(patch: &ComponentPatch) -> Result<(), EditError> {
    let fields: [(&'static str, &Option<String>); 15] = [
        ("id", &patch.id),
        ("variant", &patch.variant),
        ("identifier", &patch.identifier),
        ("label", &patch.label),
        ("placeholder", &patch.placeholder),
        ("hint", &patch.hint),
        ("default_value", &patch.default_value),
        ("options", &patch.options),
        ("min_length", &patch.min_length),
        ("max_length", &patch.max_length),
        ("pattern", &patch.pattern),
        ("pattern_message", &patch.pattern_message),
        ("text", &patch.text),
        ("length", &patch.length),
        ("src", &patch.src),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            check_text(field, value)?;
        }
    }
    if let Some(alt) = &patch.alt {
        check_text("alt", alt)?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::FlowType;
    use crate::engine::starter;

    fn template(id: &str) -> FlowDefinition {
        starter::by_id(id).unwrap().definition().unwrap()
    }

    fn registration() -> FlowDefinition {
        template("registration-otp")
    }

    fn ok(def: &mut FlowDefinition, edit: Edit) -> String {
        apply(def, &edit).unwrap()
    }

    /// Applies an edit that must be refused, and checks it changed nothing.
    fn refused(def: &mut FlowDefinition, edit: Edit) -> EditError {
        let before = def.clone();
        let error = apply(def, &edit).unwrap_err();
        assert_eq!(*def, before, "a refused edit changed the definition");
        assert!(!error.message.is_empty());
        error
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

    fn update(step: &str, component: &str, patch: ComponentPatch) -> Edit {
        Edit::UpdateComponent {
            step: step.into(),
            component: component.into(),
            patch,
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
        let said = ok(
            &mut def,
            Edit::SetFlowInfo {
                name: "  Sign up  ".into(),
                description: "Line one\r\nLine two".into(),
            },
        );
        assert_eq!(said, "Name and description saved.");
        assert_eq!(def.name, "Sign up");
        assert_eq!(def.description, "Line one\nLine two");

        let e = refused(
            &mut def,
            Edit::SetFlowInfo {
                name: "   ".into(),
                description: String::new(),
            },
        );
        assert_eq!((e.field, e.code), ("name", "required"));
        let e = refused(
            &mut def,
            Edit::SetFlowInfo {
                name: "x".repeat(201),
                description: String::new(),
            },
        );
        assert_eq!((e.field, e.code), ("name", "too_long"));
        let e = refused(
            &mut def,
            Edit::SetFlowInfo {
                name: "ok".into(),
                description: "x".repeat(2001),
            },
        );
        assert_eq!((e.field, e.code), ("description", "too_long"));
    }

    #[test]
    fn add_step_places_and_fills_new_steps() {
        let mut def = registration();
        let said = ok(
            &mut def,
            Edit::AddStep {
                id: "verify".into(),
                kind: NewStepKind::View,
                after: Some("details".into()),
            },
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

        ok(
            &mut def,
            Edit::AddStep {
                id: "bye".into(),
                kind: NewStepKind::End,
                after: None,
            },
        );
        assert_eq!(step_ids(&def).last(), Some(&"bye"));
        let end = def.step("bye").unwrap();
        assert!(matches!(end.kind, StepKind::End { .. }));
        assert_eq!(end.components().len(), 1);
        assert_eq!(end.components()[0].variant, Some(Variant::H1));

        ok(
            &mut def,
            Edit::AddStep {
                id: "resolve".into(),
                kind: NewStepKind::Task(ExecutorName::AccountResolve),
                after: Some("bye".into()),
            },
        );
        assert_eq!(step_ids(&def).last(), Some(&"resolve"));
        assert!(next(&def, "resolve").is_empty());
    }

    #[test]
    fn add_step_refusals() {
        let mut def = registration();
        for bad in ["", "9lives", "has space", "dot.ted", "é", &"a".repeat(65)] {
            let e = refused(
                &mut def,
                Edit::AddStep {
                    id: bad.into(),
                    kind: NewStepKind::End,
                    after: None,
                },
            );
            assert_eq!((e.field, e.code), ("id", "invalid_id"), "{bad:?}");
        }
        ok(
            &mut def,
            Edit::AddStep {
                id: format!("a{}", "-_9".repeat(21)),
                kind: NewStepKind::End,
                after: None,
            },
        );
        let e = refused(
            &mut def,
            Edit::AddStep {
                id: "details".into(),
                kind: NewStepKind::View,
                after: None,
            },
        );
        assert_eq!((e.field, e.code), ("id", "duplicate_step"));
        let e = refused(
            &mut def,
            Edit::AddStep {
                id: "fresh".into(),
                kind: NewStepKind::View,
                after: Some("ghost".into()),
            },
        );
        assert_eq!((e.field, e.code), ("after", "unknown_step"));
    }

    #[test]
    fn rename_step_moves_every_reference() {
        let mut def = registration();
        let said = ok(
            &mut def,
            Edit::RenameStep {
                step: "details".into(),
                new_id: "profile".into(),
            },
        );
        assert_eq!(said, "Step 'details' renamed to 'profile'.");
        assert_eq!(def.start, "profile");
        // Referenced by an outcome (set_password) and an action (resend on enter_code).
        ok(
            &mut def,
            Edit::RenameStep {
                step: "send_code".into(),
                new_id: "mail_code".into(),
            },
        );
        assert_eq!(next(&def, "set_password")["success"], "mail_code");
        assert!(actions(&def, "enter_code").contains(&("resend".into(), "mail_code".into())));
        // Referenced by an action (verify).
        ok(
            &mut def,
            Edit::RenameStep {
                step: "check_code".into(),
                new_id: "check-code".into(),
            },
        );
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
                ok(
                    &mut def,
                    Edit::RenameStep {
                        step: id.clone(),
                        new_id: format!("renamed_{id}"),
                    },
                );
            }
            assert_eq!(def.validate(), vec![], "{}", t.id);
        }
    }

    #[test]
    fn rename_step_refusals() {
        let mut def = registration();
        let e = refused(
            &mut def,
            Edit::RenameStep {
                step: "details".into(),
                new_id: "done".into(),
            },
        );
        assert_eq!((e.field, e.code), ("new_id", "duplicate_step"));
        let e = refused(
            &mut def,
            Edit::RenameStep {
                step: "details".into(),
                new_id: "_x".into(),
            },
        );
        assert_eq!((e.field, e.code), ("new_id", "invalid_id"));
        let e = refused(
            &mut def,
            Edit::RenameStep {
                step: "ghost".into(),
                new_id: "spirit".into(),
            },
        );
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
        let before = def.clone();
        ok(
            &mut def,
            Edit::RenameStep {
                step: "details".into(),
                new_id: "details".into(),
            },
        );
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
        assert_eq!(
            dangling_if_removed(&def, "send_code"),
            // In the order of `steps`.
            vec![
                "Outcome 'success' of 'set_password'".to_owned(),
                "Button 'resend' of 'enter_code'".to_owned(),
            ]
        );
        assert_eq!(
            dangling_if_removed(&def, "details"),
            vec!["the start".to_owned()]
        );
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

        let e = refused(
            &mut def,
            Edit::RemoveStep {
                step: "details".into(),
            },
        );
        assert_eq!((e.field, e.code), ("step", "remove_start"));
        let e = refused(
            &mut def,
            Edit::RemoveStep {
                step: "ghost".into(),
            },
        );
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
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
        let e = refused(
            &mut def,
            Edit::SetStart {
                step: "done".into(),
            },
        );
        assert_eq!((e.field, e.code), ("step", "start_is_end"));
        let e = refused(
            &mut def,
            Edit::SetStart {
                step: "ghost".into(),
            },
        );
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
    }

    #[test]
    fn builds_a_valid_flow_from_nothing() {
        let mut def = FlowDefinition {
            flow_type: FlowType::Registration,
            name: "New".into(),
            description: String::new(),
            start: String::new(),
            steps: Vec::new(),
        };
        let step = |id: &str, kind| Edit::AddStep {
            id: id.into(),
            kind,
            after: None,
        };
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

    #[test]
    fn add_component_defaults() {
        let mut def = registration();
        let said = ok(
            &mut def,
            add_into(
                "details",
                ComponentType::Input,
                Some(Variant::Text),
                "nickname",
                "details_form",
            ),
        );
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
        let e = refused(
            &mut def,
            add("details", ComponentType::Input, Some(Variant::H1), "x"),
        );
        assert_eq!((e.field, e.code), ("variant", "bad_variant"));
        let e = refused(
            &mut def,
            add(
                "details",
                ComponentType::Divider,
                Some(Variant::Primary),
                "x",
            ),
        );
        assert_eq!((e.field, e.code), ("variant", "bad_variant"));
        // Nested components count.
        let e = refused(
            &mut def,
            add("details", ComponentType::Divider, None, "email"),
        );
        assert_eq!((e.field, e.code), ("id", "duplicate_component"));
        let e = refused(
            &mut def,
            add("details", ComponentType::Divider, None, "1st"),
        );
        assert_eq!((e.field, e.code), ("id", "invalid_id"));
        let e = refused(
            &mut def,
            add_into("details", ComponentType::Divider, None, "x", "ghost"),
        );
        assert_eq!((e.field, e.code), ("parent", "unknown_component"));
        // Only a FORM takes children.
        let e = refused(
            &mut def,
            add_into("details", ComponentType::Divider, None, "x", "heading"),
        );
        assert_eq!((e.field, e.code), ("parent", "unknown_component"));
        let e = refused(
            &mut def,
            add_into("details", ComponentType::Form, None, "x", "details_form"),
        );
        assert_eq!((e.field, e.code), ("parent", "nested_form"));
        let e = refused(
            &mut def,
            add("send_code", ComponentType::Divider, None, "x"),
        );
        assert_eq!((e.field, e.code), ("step", "not_a_view"));
        let e = refused(&mut def, add("ghost", ComponentType::Divider, None, "x"));
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
        let e = refused(&mut def, add("done", ComponentType::Button, None, "again"));
        assert_eq!((e.field, e.code), ("kind", "not_in_end"));
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
    fn add_then_update_round_trip() {
        let mut def = registration();
        ok(
            &mut def,
            add_into(
                "details",
                ComponentType::Input,
                Some(Variant::Text),
                "nickname",
                "details_form",
            ),
        );
        let said = ok(
            &mut def,
            update(
                "details",
                "nickname",
                ComponentPatch {
                    identifier: Some(" nickname ".into()),
                    label: Some("Nickname".into()),
                    placeholder: Some("e.g. Kim".into()),
                    hint: Some("What we call you".into()),
                    required: Some(true),
                    default_value: Some("friend".into()),
                    min_length: Some("2".into()),
                    max_length: Some(" 40 ".into()),
                    pattern: Some("[a-z]+".into()),
                    pattern_message: Some("Lower-case letters only".into()),
                    password_policy: Some(false),
                    // Not used by a text input: ignored.
                    text: Some("ignored".into()),
                    length: Some("junk".into()),
                    src: Some("javascript:alert(1)".into()),
                    options: Some("a|A".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        assert_eq!(said, "'nickname' of 'details' saved.");
        let c = component(&def, "details", "nickname");
        assert_eq!(c.config.identifier.as_deref(), Some("nickname"));
        assert_eq!(c.config.label.as_deref(), Some("Nickname"));
        assert_eq!(c.config.placeholder.as_deref(), Some("e.g. Kim"));
        assert_eq!(c.config.hint.as_deref(), Some("What we call you"));
        assert!(c.config.required);
        assert_eq!(c.config.default_value.as_deref(), Some("friend"));
        assert_eq!(
            c.config.validations,
            vec![
                Validation::MinLength { value: 2 },
                Validation::MaxLength { value: 40 },
                Validation::Regex {
                    pattern: "[a-z]+".into(),
                    message: Some("Lower-case letters only".into()),
                },
            ]
        );
        assert_eq!(c.config.text, None);
        assert!(c.config.options.is_empty());
        assert_eq!(c.config.length, None);

        // The stored JSON reads back as the same thing.
        let json = serde_json::to_string(&def).unwrap();
        assert_eq!(serde_json::from_str::<FlowDefinition>(&json).unwrap(), def);

        // Fields the form did not carry stay; empty ones clear.
        ok(
            &mut def,
            update(
                "details",
                "nickname",
                ComponentPatch {
                    hint: Some(String::new()),
                    min_length: Some(String::new()),
                    pattern: Some(String::new()),
                    password_policy: Some(true),
                    ..ComponentPatch::default()
                },
            ),
        );
        let c = component(&def, "details", "nickname");
        assert_eq!(c.config.hint, None);
        assert_eq!(c.config.label.as_deref(), Some("Nickname"));
        assert_eq!(
            c.config.validations,
            vec![
                Validation::MaxLength { value: 40 },
                Validation::PasswordPolicy
            ]
        );
        // An empty patch changes nothing.
        let before = def.clone();
        ok(
            &mut def,
            update("details", "nickname", ComponentPatch::default()),
        );
        assert_eq!(def, before);
    }

    #[test]
    fn update_keeps_rule_order_and_messages() {
        let mut def = registration();
        // given_name carries MAX_LENGTH 100 from the template.
        ok(
            &mut def,
            update(
                "details",
                "given_name",
                ComponentPatch {
                    pattern: Some("\\p{L}+".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        ok(
            &mut def,
            update(
                "details",
                "given_name",
                ComponentPatch {
                    max_length: Some("50".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        assert_eq!(
            component(&def, "details", "given_name").config.validations,
            vec![
                Validation::MaxLength { value: 50 },
                Validation::Regex {
                    pattern: "\\p{L}+".into(),
                    message: None
                },
            ]
        );
    }

    #[test]
    fn update_variant_and_variant_specific_fields() {
        let mut def = registration();
        ok(
            &mut def,
            update(
                "details",
                "given_name",
                ComponentPatch {
                    variant: Some("DROPDOWN".into()),
                    options: Some("fi|Finland\r\n\r\n se | Sweden \nno".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        let c = component(&def, "details", "given_name");
        assert_eq!(c.variant, Some(Variant::Dropdown));
        let options: Vec<(&str, &str)> = c
            .config
            .options
            .iter()
            .map(|o| (o.value.as_str(), o.label.as_str()))
            .collect();
        assert_eq!(options, [("fi", "Finland"), ("se", "Sweden"), ("no", "no")]);

        // Leaving DROPDOWN drops its options; OTP gets a length; secrets lose defaults.
        ok(
            &mut def,
            update(
                "details",
                "given_name",
                ComponentPatch {
                    variant: Some("otp".into()),
                    default_value: Some("123456".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        let c = component(&def, "details", "given_name");
        assert_eq!(c.variant, Some(Variant::Otp));
        assert!(c.config.options.is_empty());
        assert_eq!(c.config.length, Some(6));
        assert_eq!(c.config.default_value, None);
        ok(
            &mut def,
            update(
                "enter_code",
                "otp",
                ComponentPatch {
                    length: Some("8".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        assert_eq!(component(&def, "enter_code", "otp").config.length, Some(8));

        ok(
            &mut def,
            update(
                "details",
                "heading",
                ComponentPatch {
                    variant: Some("H2".into()),
                    text: Some("Join us".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        let heading = component(&def, "details", "heading");
        assert_eq!(heading.variant, Some(Variant::H2));
        assert_eq!(heading.config.text.as_deref(), Some("Join us"));

        ok(&mut def, add("details", ComponentType::Image, None, "logo"));
        ok(
            &mut def,
            update(
                "details",
                "logo",
                ComponentPatch {
                    variant: Some(String::new()),
                    src: Some(" /static/logo.svg ".into()),
                    alt: Some("Logo".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        let logo = component(&def, "details", "logo");
        assert_eq!(logo.config.src.as_deref(), Some("/static/logo.svg"));
        assert_eq!(logo.config.alt.as_deref(), Some("Logo"));
        assert_eq!(logo.variant, None);
    }

    #[test]
    fn update_refusals() {
        let mut def = registration();
        let patch = |f: fn(&mut ComponentPatch)| {
            let mut p = ComponentPatch::default();
            f(&mut p);
            p
        };
        let cases: Vec<(&str, ComponentPatch, &str, &str)> = vec![
            (
                "given_name",
                patch(|p| p.variant = Some("H1".into())),
                "variant",
                "bad_variant",
            ),
            (
                "given_name",
                patch(|p| p.variant = Some("HUGE".into())),
                "variant",
                "bad_variant",
            ),
            (
                "given_name",
                patch(|p| p.variant = Some(String::new())),
                "variant",
                "bad_variant",
            ),
            (
                "heading",
                patch(|p| p.variant = Some("PRIMARY".into())),
                "variant",
                "bad_variant",
            ),
            (
                "given_name",
                patch(|p| p.min_length = Some("abc".into())),
                "min_length",
                "not_a_number",
            ),
            (
                "given_name",
                patch(|p| p.max_length = Some("-1".into())),
                "max_length",
                "not_a_number",
            ),
            (
                "given_name",
                patch(|p| p.max_length = Some("0".into())),
                "max_length",
                "out_of_range",
            ),
            // Against the template's MAX_LENGTH 100.
            (
                "given_name",
                patch(|p| p.min_length = Some("101".into())),
                "min_length",
                "min_above_max",
            ),
            (
                "given_name",
                patch(|p| {
                    p.min_length = Some("10".into());
                    p.max_length = Some("5".into());
                }),
                "min_length",
                "min_above_max",
            ),
            (
                "given_name",
                patch(|p| p.pattern = Some("([a-z]".into())),
                "pattern",
                "bad_pattern",
            ),
            (
                "given_name",
                patch(|p| p.identifier = Some(" ".into())),
                "identifier",
                "required",
            ),
            (
                "given_name",
                patch(|p| p.identifier = Some("first name".into())),
                "identifier",
                "invalid_identifier",
            ),
            (
                "given_name",
                patch(|p| p.id = Some("email".into())),
                "id",
                "duplicate_component",
            ),
            (
                "given_name",
                patch(|p| p.id = Some("given name".into())),
                "id",
                "invalid_id",
            ),
            (
                "terms",
                patch(|p| {
                    p.variant = Some("DROPDOWN".into());
                    p.options = Some("a\na|again".into());
                }),
                "options",
                "duplicate_option",
            ),
            (
                "terms",
                patch(|p| {
                    p.variant = Some("DROPDOWN".into());
                    p.options = Some("|nothing".into());
                }),
                "options",
                "bad_option",
            ),
        ];
        for (id, patch, field, code) in cases {
            let e = refused(&mut def, update("details", id, patch.clone()));
            assert_eq!((e.field, e.code), (field, code), "{id} {patch:?}");
        }

        for (length, code) in [
            ("3", "out_of_range"),
            ("11", "out_of_range"),
            ("six", "not_a_number"),
            ("", "not_a_number"),
        ] {
            let e = refused(
                &mut def,
                update(
                    "enter_code",
                    "otp",
                    ComponentPatch {
                        length: Some(length.into()),
                        ..ComponentPatch::default()
                    },
                ),
            );
            assert_eq!((e.field, e.code), ("length", code), "{length}");
        }

        ok(&mut def, add("details", ComponentType::Image, None, "logo"));
        for src in [
            "javascript:alert(1)",
            "data:image/png;base64,AA",
            "//evil.example/x.png",
        ] {
            let e = refused(
                &mut def,
                update(
                    "details",
                    "logo",
                    ComponentPatch {
                        src: Some(src.into()),
                        ..ComponentPatch::default()
                    },
                ),
            );
            assert_eq!((e.field, e.code), ("src", "bad_src"), "{src}");
        }

        let e = refused(
            &mut def,
            update("details", "ghost", ComponentPatch::default()),
        );
        assert_eq!((e.field, e.code), ("component", "unknown_component"));
        let e = refused(
            &mut def,
            update("ghost", "email", ComponentPatch::default()),
        );
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
        let e = refused(
            &mut def,
            update("send_code", "email", ComponentPatch::default()),
        );
        assert_eq!((e.field, e.code), ("step", "not_a_view"));
    }

    #[test]
    fn renaming_a_button_moves_its_action() {
        let mut def = registration();
        let said = ok(
            &mut def,
            update(
                "enter_code",
                "resend",
                ComponentPatch {
                    id: Some("send_again".into()),
                    text: Some("Send again".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        assert_eq!(said, "'resend' of 'enter_code' saved as 'send_again'.");
        let button = component(&def, "enter_code", "send_again");
        assert_eq!(button.button_action(), Some("send_again"));
        assert_eq!(button.config.text.as_deref(), Some("Send again"));
        assert!(actions(&def, "enter_code").contains(&("send_again".into(), "send_code".into())));
        assert_eq!(def.validate(), vec![]);

        // An input keeps its identifier when renamed.
        ok(
            &mut def,
            update(
                "details",
                "email",
                ComponentPatch {
                    id: Some("mail".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        assert_eq!(
            component(&def, "details", "mail").attribute(),
            Some("email")
        );
        assert_eq!(def.validate(), vec![]);
    }

    #[test]
    fn renaming_a_button_onto_a_stray_action_is_refused() {
        let mut def = registration();
        if let StepKind::View { actions, .. } = &mut def.steps[3].kind {
            actions.push(Action {
                button: "stray".into(),
                next: "done".into(),
            });
        }
        let e = refused(
            &mut def,
            update(
                "enter_code",
                "resend",
                ComponentPatch {
                    id: Some("stray".into()),
                    ..ComponentPatch::default()
                },
            ),
        );
        assert_eq!((e.field, e.code), ("id", "duplicate_action"));
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
        let e = refused(
            &mut def,
            move_component(
                "details",
                "extra",
                ComponentMove::IntoForm("details_form".into()),
            ),
        );
        assert_eq!((e.field, e.code), ("to", "nested_form"));
        let e = refused(
            &mut def,
            move_component(
                "details",
                "intro",
                ComponentMove::IntoForm("heading".into()),
            ),
        );
        assert_eq!((e.field, e.code), ("to", "unknown_component"));
        let e = refused(
            &mut def,
            move_component("details", "intro", ComponentMove::IntoForm("ghost".into())),
        );
        assert_eq!((e.field, e.code), ("to", "unknown_component"));
        let e = refused(
            &mut def,
            move_component("details", "intro", ComponentMove::OutOfForm),
        );
        assert_eq!((e.field, e.code), ("to", "not_in_form"));
        let e = refused(
            &mut def,
            move_component("details", "ghost", ComponentMove::Up),
        );
        assert_eq!((e.field, e.code), ("component", "unknown_component"));
    }

    #[test]
    fn removing_a_button_removes_its_action() {
        let mut def = registration();
        let said = ok(
            &mut def,
            Edit::RemoveComponent {
                step: "enter_code".into(),
                component: "resend".into(),
            },
        );
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
        ok(
            &mut def,
            Edit::RemoveComponent {
                step: "enter_code".into(),
                component: "code_form".into(),
            },
        );
        assert_eq!(top_ids(&def, "enter_code"), ["heading", "sent_to"]);
        assert!(actions(&def, "enter_code").is_empty());
        assert!(codes(&def).contains(&"dead_end"));

        ok(
            &mut def,
            Edit::RemoveComponent {
                step: "done".into(),
                component: "body".into(),
            },
        );
        assert_eq!(top_ids(&def, "done"), ["heading"]);
        let e = refused(
            &mut def,
            Edit::RemoveComponent {
                step: "done".into(),
                component: "body".into(),
            },
        );
        assert_eq!((e.field, e.code), ("component", "unknown_component"));
    }

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
        let e = refused(&mut def, target("enter_code", "resend", Some("ghost")));
        assert_eq!((e.field, e.code), ("next", "unknown_step"));
        let e = refused(&mut def, target("enter_code", "ghost", Some("done")));
        assert_eq!((e.field, e.code), ("button", "unknown_component"));
        let e = refused(&mut def, target("enter_code", "otp", Some("done")));
        assert_eq!((e.field, e.code), ("button", "unknown_component"));
        let e = refused(&mut def, target("done", "heading", None));
        assert_eq!((e.field, e.code), ("step", "not_a_view"));
        let e = refused(&mut def, target("send_code", "x", None));
        assert_eq!((e.field, e.code), ("step", "not_a_view"));
        let e = refused(&mut def, target("ghost", "x", Some("ghost")));
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
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
        let e = refused(
            &mut def,
            Edit::SetExecutor {
                step: "details".into(),
                executor: ExecutorName::EmailOtpSend,
            },
        );
        assert_eq!((e.field, e.code), ("step", "not_a_task"));
        let e = refused(
            &mut def,
            Edit::SetExecutor {
                step: "ghost".into(),
                executor: ExecutorName::EmailOtpSend,
            },
        );
        assert_eq!((e.field, e.code), ("step", "unknown_step"));
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

        let e = refused(&mut def, outcome("send_code", "verified", Some("done")));
        assert_eq!((e.field, e.code), ("outcome", "unknown_outcome"));
        let e = refused(&mut def, outcome("send_code", "success", Some("ghost")));
        assert_eq!((e.field, e.code), ("next", "unknown_step"));
        let e = refused(&mut def, outcome("details", "success", Some("done")));
        assert_eq!((e.field, e.code), ("step", "not_a_task"));
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

    #[test]
    fn control_characters_and_huge_texts_are_refused() {
        let mut def = registration();
        let before = def.clone();
        let label = |text: &str| Edit::UpdateComponent {
            step: "details".into(),
            component: "email".into(),
            patch: ComponentPatch {
                label: Some(text.into()),
                ..ComponentPatch::default()
            },
        };
        assert_eq!(
            refused(&mut def, label("a\u{0}b")).code,
            "control_character"
        );
        assert_eq!(
            refused(&mut def, label("a\u{1b}[31m")).code,
            "control_character"
        );
        assert_eq!(
            refused(&mut def, label(&"x".repeat(10_001))).code,
            "too_long"
        );
        let info = Edit::SetFlowInfo {
            name: "A\u{7}".into(),
            description: String::new(),
        };
        assert_eq!(refused(&mut def, info).code, "control_character");
        assert_eq!(def, before);
        ok(&mut def, label("Line one\r\nline two\tand a tab"));
    }
}
