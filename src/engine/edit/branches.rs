//! Decision steps: their branches (a condition and where it leads), in order, and where the
//! step leads when no branch holds.

use super::{Direction, EditError, check_target, refuse, step_index};
use crate::engine::graph::{FlowDefinition, StepKind};
use crate::engine::rule::{Branch, Condition};

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
            format!("'{step}' is not a decision step."),
        )),
    }
}

fn unknown_branch(step: &str, branch: usize, count: usize) -> EditError {
    refuse(
        "branch",
        "unknown_branch",
        format!(
            "'{step}' has no branch {} (it has {count}).",
            branch.saturating_add(1)
        ),
    )
}

/// A problem on one line for a form: a pattern's compile error spans several (the pattern as
/// compiled, a caret under it, then what is wrong), and the pattern shown is not the one typed.
fn one_line(why: &str) -> String {
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
) -> Result<String, EditError> {
    let (branches, _) = rule_parts(def, step)?;
    if let Some(b) = branch {
        existing(branches, step, b)?;
    }
    if let Some((code, why)) = when.problems().into_iter().next() {
        return Err(refuse(
            "when",
            code,
            format!("This condition is not usable: {}.", one_line(&why)),
        ));
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
    Ok(match branch {
        Some(_) => format!(
            "Branch {n} of '{step}' saved: when {}, go to '{next}'.",
            when.summary()
        ),
        None => format!(
            "Branch {n} added to '{step}': when {}, go to '{next}'.",
            when.summary()
        ),
    })
}

pub(super) fn move_branch(
    def: &mut FlowDefinition,
    step: &str,
    branch: usize,
    direction: Direction,
) -> Result<String, EditError> {
    let (branches, _) = rule_parts(def, step)?;
    let at = existing(branches, step, branch)?;
    let n = at + 1;
    match direction {
        Direction::Up if at == 0 => Ok(format!("Branch {n} of '{step}' is already first.")),
        Direction::Up => {
            branches.swap(at, at - 1);
            Ok(format!("Branch {n} of '{step}' is now branch {}.", n - 1))
        }
        Direction::Down if n >= branches.len() => {
            Ok(format!("Branch {n} of '{step}' is already last."))
        }
        Direction::Down => {
            branches.swap(at, n);
            Ok(format!("Branch {n} of '{step}' is now branch {}.", n + 1))
        }
    }
}

pub(super) fn remove_branch(
    def: &mut FlowDefinition,
    step: &str,
    branch: usize,
) -> Result<String, EditError> {
    let (branches, _) = rule_parts(def, step)?;
    let at = existing(branches, step, branch)?;
    let gone = branches.remove(at);
    Ok(format!(
        "Branch {} of '{step}' removed (when {}, go to '{}').",
        at + 1,
        gone.when.summary(),
        gone.next
    ))
}

pub(super) fn set_otherwise(
    def: &mut FlowDefinition,
    step: &str,
    next: &str,
) -> Result<String, EditError> {
    rule_parts(def, step)?;
    // Empty leaves it leading nowhere, as a new decision does; validation says so.
    if !next.is_empty() {
        check_target(def, next)?;
    }
    let (_, otherwise) = rule_parts(def, step)?;
    next.clone_into(otherwise);
    Ok(if next.is_empty() {
        format!("When no branch of '{step}' holds, it now leads nowhere.")
    } else {
        format!("When no branch of '{step}' holds, it goes to '{next}'.")
    })
}
