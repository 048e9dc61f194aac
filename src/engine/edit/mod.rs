//! Editing a draft flow one small step at a time, as an admin console's form posts ask.
//! Nothing here knows HTTP: each edit comes in as plain values and either applies whole or
//! leaves the definition as it was, with a message for the form field at fault.
//!
//! Edits keep the definition well-formed (ids, variants, rules) but not necessarily valid as
//! a graph: a half-built flow is a normal state for a draft, and `FlowDefinition::validate`
//! tells the admin what is still missing.

mod actions;
mod branches;
mod components;
mod patch;
mod steps;
#[cfg(test)]
mod tests;

pub use components::{addable_components, free_component_id};
pub use steps::{dangling_if_removed, free_step_id};

use super::graph::{Action, ExecutorName, FlowDefinition, StepKind};
use super::rule::Condition;
use super::view::{Component, ComponentType, Variant};
use crate::i18n::Said;
use actions::{set_action_target, set_executor, set_extension, set_outcome};
use branches::{move_branch, remove_branch, set_branch, set_otherwise};
use components::{add_component, move_component, remove_component};
use patch::update_component;
use steps::{add_step, move_step, remove_step, rename_step, set_start};

/// The kind of step `Edit::AddStep` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewStepKind {
    View,
    Task(ExecutorName),
    /// A decision with no branch and no `otherwise` yet.
    Rule,
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
    /// The extension a `CallExtension` task calls, by name; `None` (or blank) names none.
    /// Refused on a step that is not a task (`not_a_task`) and on a task that calls no
    /// extension (`extension_without_call`).
    SetExtension {
        step: String,
        extension: Option<String>,
    },
    /// `outcome` must be one of the executor's outcomes; `None` removes it from `next`.
    SetOutcome {
        step: String,
        outcome: String,
        next: Option<String>,
    },
    /// Replaces branch `branch` of a decision step, or appends one when `None`. The condition
    /// must have no problem of its own (`Condition::problems`), and `next` must exist.
    SetBranch {
        step: String,
        branch: Option<usize>,
        when: Condition,
        next: String,
    },
    /// Order among the step's branches: the first that holds is taken.
    MoveBranch {
        step: String,
        branch: usize,
        direction: Direction,
    },
    RemoveBranch {
        step: String,
        branch: usize,
    },
    /// Where a decision leads when no branch holds; empty leads nowhere yet.
    SetOtherwise {
        step: String,
        next: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    /// The form field the message belongs beside, e.g. "id", "new_id", "pattern", "options", "next".
    pub field: &'static str,
    /// Stable snake_case code, e.g. "duplicate_step", "invalid_id", "bad_pattern", "unknown_step".
    pub code: &'static str,
    /// A sentence for the admin: English in logs and APIs, worded in the admin's language in
    /// the console.
    pub message: Said,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for EditError {}

fn refuse(field: &'static str, code: &'static str, message: Said) -> EditError {
    EditError {
        field,
        code,
        message,
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

/// Applies one edit; on success says what happened ("Step 'verify' added."), on failure
/// leaves `def` unchanged.
pub fn apply(def: &mut FlowDefinition, edit: &Edit) -> Result<Said, EditError> {
    // Edits check as they go; working on a copy keeps a refusal half-way from leaving
    // half an edit behind.
    let mut draft = def.clone();
    let said = apply_to(&mut draft, edit)?;
    *def = draft;
    Ok(said)
}

fn apply_to(def: &mut FlowDefinition, edit: &Edit) -> Result<Said, EditError> {
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
        Edit::SetExtension { step, extension } => set_extension(def, step, extension.as_deref()),
        Edit::SetOutcome {
            step,
            outcome,
            next,
        } => set_outcome(def, step, outcome, next.as_deref()),
        Edit::SetBranch {
            step,
            branch,
            when,
            next,
        } => set_branch(def, step, *branch, when, next),
        Edit::MoveBranch {
            step,
            branch,
            direction,
        } => move_branch(def, step, *branch, *direction),
        Edit::RemoveBranch { step, branch } => remove_branch(def, step, *branch),
        Edit::SetOtherwise { step, next } => set_otherwise(def, step, next),
    }
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
            Said::new("ui.edit.invalid_id")
                .with("id", id)
                .with("max", MAX_ID_CHARS),
        ))
    }
}

/// A usable id that no component of `step` (nested ones count) has yet.
fn check_new_component_id(
    components: &[crate::engine::Component],
    step: &str,
    id: &str,
) -> Result<(), EditError> {
    check_id("id", id)?;
    if crate::engine::flatten(components)
        .iter()
        .any(|c| c.id == id)
    {
        return Err(refuse(
            "id",
            "duplicate_component",
            Said::new("ui.edit.duplicate_component")
                .with("step", step)
                .with("id", id),
        ));
    }
    Ok(())
}

fn set_flow_info(
    def: &mut FlowDefinition,
    name: &str,
    description: &str,
) -> Result<Said, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(refuse(
            "name",
            "required",
            Said::new("ui.edit.name_required"),
        ));
    }
    check_text("name", name)?;
    check_text("description", description)?;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(refuse(
            "name",
            "too_long",
            Said::new("ui.edit.name_too_long").with("max", MAX_NAME_CHARS),
        ));
    }
    let description = description.trim();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(refuse(
            "description",
            "too_long",
            Said::new("ui.edit.description_too_long").with("max", MAX_DESCRIPTION_CHARS),
        ));
    }
    def.name = name.to_owned();
    def.description = normalise_newlines(description);
    Ok(Said::new("ui.edit.flow_info_saved"))
}

fn step_index(def: &FlowDefinition, field: &'static str, id: &str) -> Result<usize, EditError> {
    def.steps.iter().position(|s| s.id == id).ok_or_else(|| {
        refuse(
            field,
            "unknown_step",
            Said::new("ui.edit.unknown_step").with("step", id),
        )
    })
}

/// A step an edge may lead to: it must exist now.
fn check_target(def: &FlowDefinition, next: &str) -> Result<(), EditError> {
    step_index(def, "next", next).map(|_| ())
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
            Said::new("ui.edit.not_a_view").with("step", step),
        )),
    }
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
            Said::new("ui.edit.control_character"),
        ));
    }
    if raw.chars().count() > MAX_TEXT_CHARS {
        return Err(refuse(
            field,
            "too_long",
            Said::new("ui.edit.text_too_long").with("max", MAX_TEXT_CHARS),
        ));
    }
    Ok(())
}

/// Browsers send textarea lines as CRLF; rich text splits paragraphs on "\n\n".
fn normalise_newlines(raw: &str) -> String {
    raw.replace("\r\n", "\n")
}
