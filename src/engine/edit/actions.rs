//! Where steps lead: a view's buttons through its actions, a task's outcomes through `next`.

use super::{EditError, check_target, component_parts, refuse, step_index};
use crate::engine::graph::{Action, ExecutorName, FlowDefinition, StepKind};
use crate::engine::view::{Component, flatten};
use crate::i18n::Said;
use std::collections::BTreeMap;

/// The step is checked first: its error is the one to show when both are wrong.
fn check_step_and_target(
    def: &FlowDefinition,
    step: &str,
    target: Option<&str>,
) -> Result<(), EditError> {
    step_index(def, "step", step)?;
    if let Some(target) = target {
        check_target(def, target)?;
    }
    Ok(())
}

pub(super) fn set_action_target(
    def: &mut FlowDefinition,
    step: &str,
    button: &str,
    next: Option<&str>,
) -> Result<Said, EditError> {
    check_step_and_target(def, step, next)?;
    let (components, actions) = component_parts(def, step)?;
    let Some(actions) = actions else {
        return Err(refuse(
            "step",
            "not_a_view",
            Said::new("ui.edit.end_has_no_actions").with("step", step),
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
            Said::new("ui.edit.no_button")
                .with("step", step)
                .with("button", button),
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
            Said::new("ui.edit.button_leads")
                .with("button", button)
                .with("step", step)
                .with("next", next)
        }
        None => {
            actions.retain(|a| a.button != action);
            Said::new("ui.edit.button_does_nothing")
                .with("button", button)
                .with("step", step)
        }
    })
}

type TaskParts<'a> = (
    &'a mut ExecutorName,
    &'a mut BTreeMap<String, String>,
    &'a mut Option<String>,
);

fn task_parts<'a>(def: &'a mut FlowDefinition, step: &str) -> Result<TaskParts<'a>, EditError> {
    let index = step_index(def, "step", step)?;
    match def.steps.get_mut(index).map(|s| &mut s.kind) {
        Some(StepKind::Task {
            executor,
            next,
            extension,
            ..
        }) => Ok((executor, next, extension)),
        _ => Err(refuse(
            "step",
            "not_a_task",
            Said::new("ui.edit.not_a_task").with("step", step),
        )),
    }
}

pub(super) fn set_executor(
    def: &mut FlowDefinition,
    step: &str,
    new: ExecutorName,
) -> Result<Said, EditError> {
    let (executor, next, extension) = task_parts(def, step)?;
    *executor = new;
    // Only a call names an extension: validation would refuse the name on any other task.
    if new != ExecutorName::CallExtension {
        *extension = None;
    }
    let before = next.len();
    next.retain(|outcome, _| new.outcomes().contains(&outcome.as_str()));
    let dropped = before - next.len();
    Ok(if dropped == 0 {
        Said::new("ui.edit.executor_set")
            .with("step", step)
            .with("executor", new.as_name())
    } else {
        Said::new("ui.edit.executor_set_dropped")
            .with("step", step)
            .with("executor", new.as_name())
            .with("dropped", dropped)
    })
}

pub(super) fn set_outcome(
    def: &mut FlowDefinition,
    step: &str,
    outcome: &str,
    target: Option<&str>,
) -> Result<Said, EditError> {
    check_step_and_target(def, step, target)?;
    let (executor, next, _) = task_parts(def, step)?;
    if !executor.outcomes().contains(&outcome) {
        return Err(refuse(
            "outcome",
            "unknown_outcome",
            Said::new("ui.edit.unknown_outcome")
                .with("executor", executor.as_name())
                .with("outcome", outcome)
                .with("outcomes", executor.outcomes().join(", ")),
        ));
    }
    Ok(match target {
        Some(target) => {
            next.insert(outcome.to_owned(), target.to_owned());
            Said::new("ui.edit.outcome_leads")
                .with("outcome", outcome)
                .with("step", step)
                .with("next", target)
        }
        None => {
            next.remove(outcome);
            Said::new("ui.edit.outcome_nowhere")
                .with("outcome", outcome)
                .with("step", step)
        }
    })
}

pub(super) fn set_extension(
    def: &mut FlowDefinition,
    step: &str,
    name: Option<&str>,
) -> Result<Said, EditError> {
    let (executor, _, extension) = task_parts(def, step)?;
    if *executor != ExecutorName::CallExtension {
        // The step is at fault, not the name: shown on top of it, where its executor is.
        return Err(refuse(
            "step",
            "extension_without_call",
            Said::new("ui.edit.extension_without_call")
                .with("step", step)
                .with("executor", executor.as_name()),
        ));
    }
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    // Whether it is registered is not the draft's business: it may be registered later, and
    // the call refuses (or allows) by its failure policy when it is not.
    if let Some(n) = name {
        crate::domain::extension::check_name(n)
            .map_err(|p| refuse("extension", "invalid_extension", p.message))?;
    }
    *extension = name.map(str::to_owned);
    Ok(match name {
        Some(n) => Said::new("ui.edit.extension_set")
            .with("step", step)
            .with("extension", n),
        None => Said::new("ui.edit.extension_none").with("step", step),
    })
}
