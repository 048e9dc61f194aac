//! Edits to the list of steps: adding, renaming, ordering and removing them, and the start.

use super::components::new_component;
use super::{Direction, EditError, NewStepKind, check_id, free_id, refuse, step_index};
use crate::engine::graph::{FlowDefinition, Step, StepKind};
use crate::engine::view::{Component, ComponentConfig, ComponentType, Variant};
use std::collections::BTreeMap;

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
            StepKind::Rule {
                branches,
                otherwise,
            } => {
                for (i, _) in branches.iter().enumerate().filter(|(_, b)| b.next == step) {
                    out.push(format!("Branch {} of '{}'", i + 1, s.id));
                }
                if otherwise == step {
                    out.push(format!("'Otherwise' of '{}'", s.id));
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
    Ok(format!("Step '{id}' added."))
}

pub(super) fn rename_step(
    def: &mut FlowDefinition,
    step: &str,
    new_id: &str,
) -> Result<String, EditError> {
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
        for target in s.targets_mut().into_iter().filter(|n| *n == step) {
            *target = new_id.to_owned();
        }
    }
    Ok(format!("Step '{step}' renamed to '{new_id}'."))
}

pub(super) fn move_step(
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

pub(super) fn remove_step(def: &mut FlowDefinition, step: &str) -> Result<String, EditError> {
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

pub(super) fn set_start(def: &mut FlowDefinition, step: &str) -> Result<String, EditError> {
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
