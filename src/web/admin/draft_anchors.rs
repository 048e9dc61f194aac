//! Where the draft editor opens: after an edit, on the step it changed, unfolded; from a
//! problem, on the step (unfolded) and the field the problem is about. Each is a URL's query
//! (`open=step`) and fragment, so the server unfolds the step and the browser scrolls to it.

use super::decisions;
use super::editor::{component_anchor, rule_field_id};
use crate::engine::Edit;

/// `?open=step#anchor`, or `#anchor` alone with no step to unfold.
fn opening(step: Option<&str>, anchor: &str) -> String {
    match step {
        Some(step) => format!(
            "?open={}#{anchor}",
            url::form_urlencoded::byte_serialize(step.as_bytes()).collect::<String>()
        ),
        None => format!("#{anchor}"),
    }
}

pub fn problem_link(p: &crate::engine::Problem) -> String {
    let step = p.step.as_deref();
    let anchor = match (step, p.component.as_deref(), p.branch) {
        (Some(s), Some(c), _) => component_anchor(s, c),
        (Some(s), None, Some(b)) => rule_field_id(s, &b.to_string(), "branch"),
        (Some(s), None, None) => format!("step-{s}"),
        _ => "flow-info".into(),
    };
    opening(step, &anchor)
}

/// Where the page should open after an edit: the step it changed, unfolded, at the part
/// changed.
pub fn anchor_after(edit: &Edit, def: &crate::engine::FlowDefinition) -> String {
    let fragment = fragment_after(edit, def);
    let anchor = fragment.trim_start_matches('#');
    match edited_step(edit) {
        Some(step) if def.step(step).is_some() => opening(Some(step), anchor),
        _ => opening(None, anchor),
    }
}

/// The step an edit changed, as it is named after it.
fn edited_step(edit: &Edit) -> Option<&str> {
    match edit {
        Edit::SetFlowInfo { .. } | Edit::RemoveStep { .. } => None,
        Edit::AddStep { id, .. } => Some(id),
        Edit::RenameStep { new_id, .. } => Some(new_id),
        Edit::MoveStep { step, .. }
        | Edit::SetStart { step }
        | Edit::SetActionTarget { step, .. }
        | Edit::SetExecutor { step, .. }
        | Edit::SetExtension { step, .. }
        | Edit::SetOutcome { step, .. }
        | Edit::SetBranch { step, .. }
        | Edit::MoveBranch { step, .. }
        | Edit::RemoveBranch { step, .. }
        | Edit::SetOtherwise { step, .. }
        | Edit::RemoveComponent { step, .. }
        | Edit::AddComponent { step, .. }
        | Edit::UpdateComponent { step, .. }
        | Edit::MoveComponent { step, .. } => Some(step),
    }
}

fn fragment_after(edit: &Edit, def: &crate::engine::FlowDefinition) -> String {
    if let Some(anchor) = decisions::anchor_after(edit, def) {
        return anchor;
    }
    match edit {
        Edit::SetFlowInfo { .. } => "#flow-info".into(),
        Edit::AddComponent { step, id, .. } => format!("#{}", component_anchor(step, id)),
        Edit::UpdateComponent {
            step,
            component,
            patch,
        } => {
            let id = patch.id.as_deref().unwrap_or(component);
            let exists = def.step(step).is_some_and(|s| {
                crate::engine::flatten(s.components())
                    .iter()
                    .any(|c| c.id == id)
            });
            if exists {
                format!("#{}", component_anchor(step, id))
            } else {
                format!("#step-{step}")
            }
        }
        Edit::MoveComponent {
            step, component, ..
        } => format!("#{}", component_anchor(step, component)),
        // Any other edit: its step as it is named after it, or the list of steps.
        _ => edited_step(edit).map_or_else(|| "#steps".into(), |step| format!("#step-{step}")),
    }
}
