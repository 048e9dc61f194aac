//! Decision steps: their branches (a condition and where it leads), in order, and where the
//! step leads when no branch holds.

use super::{Direction, EditError, check_target, refuse, step_index};
use crate::engine::graph::{FlowDefinition, StepKind};
use crate::engine::rule::{Branch, Condition};
use crate::i18n::{Arg, Said};

/// The branches and `otherwise` of a decision step.
fn rule_parts<'a>(
    def: &'a mut FlowDefinition,
    step: &str,
) -> Result<(&'a mut Vec<Branch>, &'a mut String), EditError> {
    let index = step_index(def, "step", step)?;
    match def.steps.get_mut(index).map(|s| &mut s.kind) {
        Some(StepKind::Rule {
            branches,
            otherwise,
        }) => Ok((branches, otherwise)),
        _ => Err(refuse(
            "step",
            "not_a_decision",
            Said::new("ui.edit.not_a_decision").with("step", step),
        )),
    }
}

fn unknown_branch(step: &str, branch: usize, count: usize) -> EditError {
    refuse(
        "branch",
        "unknown_branch",
        Said::new("ui.edit.unknown_branch")
            .with("step", step)
            .with("n", branch.saturating_add(1))
            .with("count", count),
    )
}

/// A problem on one line for a form: a pattern's compile error spans several (the pattern as
/// compiled, a caret under it, then what is wrong), and the pattern shown is not the one typed.
/// Each value of the sentence is put on one line.
fn one_line(mut why: Said) -> Said {
    for (_, value) in &mut why.args {
        *value = match std::mem::replace(value, Arg::Text(String::new())) {
            Arg::Text(text) => Arg::Text(one_line_text(&text)),
            Arg::Said(said) => Arg::Said(Box::new(one_line(*said))),
        };
    }
    why
}

fn one_line_text(why: &str) -> String {
    let mut lines = why.lines().map(str::trim).filter(|l| !l.is_empty());
    match (lines.next(), lines.next_back()) {
        (Some(first), Some(last)) => {
            format!("{first} {}", last.strip_prefix("error: ").unwrap_or(last))
        }
        _ => why.trim().to_owned(),
    }
}

/// `branch` of `step`, checked to exist: its index.
fn existing(branches: &[Branch], step: &str, branch: usize) -> Result<usize, EditError> {
    if branch < branches.len() {
        Ok(branch)
    } else {
        Err(unknown_branch(step, branch, branches.len()))
    }
}

/// The step, then the branch, then the condition, then the target: the first problem is
/// the one the admin sees.
pub(super) fn set_branch(
    def: &mut FlowDefinition,
    step: &str,
    branch: Option<usize>,
    when: &Condition,
    next: &str,
) -> Result<Said, EditError> {
    let (branches, _) = rule_parts(def, step)?;
    if let Some(b) = branch {
        existing(branches, step, b)?;
    }
    if let Some((code, why)) = when.problems().into_iter().next() {
        let said = Said::new("ui.edit.condition_unusable").with_said("why", one_line(why));
        return Err(refuse("when", code, said));
    }
    check_target(def, next)?;
    let (branches, _) = rule_parts(def, step)?;
    let new = Branch {
        when: when.clone(),
        next: next.to_owned(),
    };
    let n = match branch.and_then(|b| branches.get_mut(b).map(|slot| (b, slot))) {
        Some((b, slot)) => {
            *slot = new;
            b + 1
        }
        None => {
            branches.push(new);
            branches.len()
        }
    };
    let key = match branch {
        Some(_) => "ui.edit.branch_saved",
        None => "ui.edit.branch_added",
    };
    Ok(Said::new(key)
        .with("n", n)
        .with("step", step)
        .with("when", when.summary())
        .with("next", next))
}

pub(super) fn move_branch(
    def: &mut FlowDefinition,
    step: &str,
    branch: usize,
    direction: Direction,
) -> Result<Said, EditError> {
    let (branches, _) = rule_parts(def, step)?;
    let at = existing(branches, step, branch)?;
    let n = at + 1;
    let said = |key| Said::new(key).with("n", n).with("step", step);
    Ok(match direction {
        Direction::Up if at == 0 => said("ui.edit.branch_already_first"),
        Direction::Up => {
            branches.swap(at, at - 1);
            said("ui.edit.branch_moved").with("to", n - 1)
        }
        Direction::Down if n >= branches.len() => said("ui.edit.branch_already_last"),
        Direction::Down => {
            branches.swap(at, n);
            said("ui.edit.branch_moved").with("to", n + 1)
        }
    })
}

pub(super) fn remove_branch(
    def: &mut FlowDefinition,
    step: &str,
    branch: usize,
) -> Result<Said, EditError> {
    let (branches, _) = rule_parts(def, step)?;
    let at = existing(branches, step, branch)?;
    let gone = branches.remove(at);
    Ok(Said::new("ui.edit.branch_removed")
        .with("n", at + 1)
        .with("step", step)
        .with("when", gone.when.summary())
        .with("next", gone.next))
}

pub(super) fn set_otherwise(
    def: &mut FlowDefinition,
    step: &str,
    next: &str,
) -> Result<Said, EditError> {
    rule_parts(def, step)?;
    // Empty leaves it leading nowhere, as a new decision does; validation says so.
    if !next.is_empty() {
        check_target(def, next)?;
    }
    let (_, otherwise) = rule_parts(def, step)?;
    next.clone_into(otherwise);
    Ok(if next.is_empty() {
        Said::new("ui.edit.otherwise_nowhere").with("step", step)
    } else {
        Said::new("ui.edit.otherwise_set")
            .with("step", step)
            .with("next", next)
    })
}
