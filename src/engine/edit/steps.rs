//! Edits to the list of steps: adding, renaming, ordering and removing them, and the start.

use super::components::new_component;
use super::{Direction, EditError, NewStepKind, check_id, free_id, refuse, step_index};
use crate::engine::graph::{FlowDefinition, Step, StepKind};
use crate::engine::view::{Component, ComponentConfig, ComponentType, Variant};
use crate::i18n::Said;
use std::collections::BTreeMap;

/// What would be left pointing nowhere if `step` were removed, in words, one per edge:
/// e.g. "Button 'continue' of 'details'", "Outcome 'success' of 'send_code'", "the start".
pub fn dangling_if_removed(def: &FlowDefinition, step: &str) -> Vec<Said> {
    let mut out = Vec::new();
    if def.start == step {
        out.push(Said::new("ui.edit.edge_start"));
    }
    // Edges from the step itself go with it.
    for s in def.steps.iter().filter(|s| s.id != step) {
        match &s.kind {
            StepKind::View { actions, .. } => {
                for a in actions.iter().filter(|a| a.next == step) {
                    out.push(
                        Said::new("ui.edit.edge_button")
                            .with("button", &a.button)
                            .with("step", &s.id),
                    );
                }
            }
            StepKind::Task { next, .. } => {
                for (outcome, _) in next.iter().filter(|(_, n)| *n == step) {
                    out.push(
                        Said::new("ui.edit.edge_outcome")
                            .with("outcome", outcome)
                            .with("step", &s.id),
                    );
                }
            }
            StepKind::Rule {
                branches,
                otherwise,
            } => {
                for (i, _) in branches.iter().enumerate().filter(|(_, b)| b.next == step) {
                    out.push(
                        Said::new("ui.edit.edge_branch")
                            .with("n", i + 1)
                            .with("step", &s.id),
                    );
                }
                if otherwise == step {
                    out.push(Said::new("ui.edit.edge_otherwise").with("step", &s.id));
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

pub(super) fn add_step(
    def: &mut FlowDefinition,
    id: &str,
    kind: NewStepKind,
    after: Option<&str>,
) -> Result<Said, EditError> {
    check_id("id", id)?;
    if def.step(id).is_some() {
        return Err(refuse(
            "id",
            "duplicate_step",
            Said::new("ui.edit.duplicate_step").with("step", id),
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
            extension: None,
            connection: None,
        },
        NewStepKind::Rule => StepKind::Rule {
            branches: Vec::new(),
            otherwise: String::new(),
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
    Ok(Said::new("ui.edit.step_added").with("step", id))
}

pub(super) fn rename_step(
    def: &mut FlowDefinition,
    step: &str,
    new_id: &str,
) -> Result<Said, EditError> {
    let index = step_index(def, "step", step)?;
    check_id("new_id", new_id)?;
    if new_id == step {
        return Ok(Said::new("ui.edit.step_keeps_name").with("step", step));
    }
    if def.step(new_id).is_some() {
        return Err(refuse(
            "new_id",
            "duplicate_step",
            Said::new("ui.edit.duplicate_step").with("step", new_id),
        ));
    }
    if let Some(s) = def.steps.get_mut(index) {
        s.id = new_id.to_owned();
    }
    if def.start == step {
        def.start = new_id.to_owned();
    }
    for s in &mut def.steps {
        for target in s.targets_mut().into_iter().filter(|n| *n == step) {
            *target = new_id.to_owned();
        }
    }
    Ok(Said::new("ui.edit.step_renamed")
        .with("step", step)
        .with("new_id", new_id))
}

pub(super) fn move_step(
    def: &mut FlowDefinition,
    step: &str,
    direction: Direction,
) -> Result<Said, EditError> {
    let index = step_index(def, "step", step)?;
    let key = match direction {
        Direction::Up if index == 0 => "ui.edit.step_already_first",
        Direction::Up => {
            def.steps.swap(index, index - 1);
            "ui.edit.step_moved_up"
        }
        Direction::Down if index + 1 >= def.steps.len() => "ui.edit.step_already_last",
        Direction::Down => {
            def.steps.swap(index, index + 1);
            "ui.edit.step_moved_down"
        }
    };
    Ok(Said::new(key).with("step", step))
}

pub(super) fn remove_step(def: &mut FlowDefinition, step: &str) -> Result<Said, EditError> {
    let index = step_index(def, "step", step)?;
    if def.start == step {
        return Err(refuse(
            "step",
            "remove_start",
            Said::new("ui.edit.remove_start").with("step", step),
        ));
    }
    let dangling = dangling_if_removed(def, step);
    def.steps.remove(index);
    Ok(match list(dangling) {
        None => Said::new("ui.edit.step_removed").with("step", step),
        Some(edges) => Said::new("ui.edit.step_removed_dangling")
            .with("step", step)
            .with_said("edges", edges),
    })
}

pub(super) fn set_start(def: &mut FlowDefinition, step: &str) -> Result<Said, EditError> {
    let index = step_index(def, "step", step)?;
    if matches!(
        def.steps.get(index).map(|s| &s.kind),
        Some(StepKind::End { .. })
    ) {
        return Err(refuse(
            "step",
            "start_is_end",
            Said::new("ui.edit.start_is_end").with("step", step),
        ));
    }
    def.start = step.to_owned();
    Ok(Said::new("ui.edit.start_set").with("step", step))
}

/// Sentences one after another, separated by commas in the reader's language; `None` for
/// none.
pub(super) fn list(items: Vec<Said>) -> Option<Said> {
    items.into_iter().rev().reduce(|rest, first| {
        Said::new("ui.edit.list")
            .with_said("first", first)
            .with_said("rest", rest)
    })
}
