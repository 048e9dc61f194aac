//! A flow as a server-rendered SVG diagram for the admin console: one linked node per
//! step, one labelled arrow per button action and task outcome. No script: the links are
//! plain `<a href>`, the text alternatives are `<title>` elements, the colours are classes
//! styled by `static/flows.css` (with presentation-attribute fallbacks, never `style=`).
//!
//! Layout comes from `layout-rs` (Sugiyama-style layered layout, top to bottom). We never
//! use its SVG writer: a recording [`RenderBackend`] collects the box of every node and the
//! Bézier path of every edge, keyed by the `properties` string we attach to them, and the
//! Askama template `admin/diagram.svg` draws those positions with our links, titles and
//! classes. Edge labels go through layout-rs too (it gives each one a slot of its own in a
//! layer, so a label never sits on a node); we only read back where it put them.

use crate::engine::{FlowDefinition, StepKind};
use askama::Template;
// Named by the doc comment above; `layout` alone is our module here, hence the `::`.
#[cfg(doc)]
use ::layout::core::format::RenderBackend;
use draw::to_template;
use layout::place;
use std::collections::HashMap;

mod draw;
mod layout;
#[cfg(test)]
mod tests;

/// Step boxes: wide enough for a 20-character id in bold 13px.
const NODE_W: f64 = 184.0;
const NODE_H: f64 = 50.0;
const MISSING_H: f64 = 36.0;
const START_W: f64 = 64.0;
const START_H: f64 = 24.0;
/// Characters that fit in a box (bold 13px ≈ 8px a character) and on an edge.
const MAX_ID_CHARS: usize = 21;
const MAX_EXECUTOR_CHARS: usize = 26;
const MAX_EDGE_LABEL_CHARS: usize = 18;

/// The flow as an inline `<svg>` element. `href(step_id)` gives each node's link target
/// (e.g. "#step-details"); steps named in `problem_steps` are marked (class "node--problem").
pub fn render(
    def: &FlowDefinition,
    problem_steps: &[String],
    href: &dyn Fn(&str) -> String,
    tr: &crate::i18n::Tr,
) -> String {
    let model = Model::of(def);
    let placed = place(&model);
    let svg = to_template(def, &model, &placed, problem_steps, href, tr);
    svg.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, flow = %def.name, "flow diagram did not render");
        String::new()
    })
}

/// Shared by the layout, which reserves room for each edge label as it will be drawn.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

// ---------- The graph to draw ----------

#[derive(Debug, Clone, PartialEq)]
enum NodeKind {
    View,
    Task(String),
    /// A decision (`RULE`) step.
    Rule,
    End,
    /// A step that some edge names but that does not exist.
    Missing,
    /// The "start" marker above the start step.
    Start,
}

#[derive(Debug)]
struct Node {
    kind: NodeKind,
    /// The step id (the missing id for a missing node).
    id: String,
    size: (f64, f64),
}

#[derive(Debug)]
struct Edge {
    from: usize,
    to: usize,
    /// Button id or outcome name; empty for the start marker's arrow.
    label: String,
    /// Text alternative; `None` for the start marker's arrow.
    title: Option<String>,
    dangling: bool,
}

struct Model {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// Index of the node of the start step, when it exists.
    start: Option<usize>,
}

impl Model {
    fn of(def: &FlowDefinition) -> Model {
        let mut nodes: Vec<Node> = def
            .steps
            .iter()
            .map(|s| Node {
                kind: match &s.kind {
                    StepKind::View { .. } => NodeKind::View,
                    // A call names the service it asks: several can look alike otherwise.
                    StepKind::Task {
                        executor,
                        extension: Some(name),
                        ..
                    }
                    | StepKind::Task {
                        executor,
                        connection: Some(name),
                        ..
                    } => NodeKind::Task(format!("{executor:?} {name}")),
                    StepKind::Task { executor, .. } => NodeKind::Task(format!("{executor:?}")),
                    StepKind::Rule { .. } => NodeKind::Rule,
                    StepKind::End { .. } => NodeKind::End,
                },
                id: s.id.clone(),
                size: (NODE_W, NODE_H),
            })
            .collect();
        // The first step of a duplicated id is the one edges reach, as in `FlowDefinition::step`.
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, s) in def.steps.iter().enumerate() {
            index.entry(s.id.clone()).or_insert(i);
        }
        let mut missing: HashMap<String, usize> = HashMap::new();
        let mut target = |id: &str, nodes: &mut Vec<Node>| -> (usize, bool) {
            if let Some(&i) = index.get(id) {
                return (i, false);
            }
            let i = *missing.entry(id.to_owned()).or_insert_with(|| {
                nodes.push(Node {
                    kind: NodeKind::Missing,
                    id: id.to_owned(),
                    size: (NODE_W, MISSING_H),
                });
                nodes.len() - 1
            });
            (i, true)
        };

        let mut edges = Vec::new();
        for (from, step) in def.steps.iter().enumerate() {
            let leads: Vec<(&str, String, String)> = match &step.kind {
                StepKind::View { actions, .. } => actions
                    .iter()
                    .map(|a| {
                        (
                            a.next.as_str(),
                            format!("by button {}", a.button),
                            a.button.clone(),
                        )
                    })
                    .collect(),
                StepKind::Task { next, .. } => next
                    .iter()
                    .map(|(outcome, n)| {
                        (n.as_str(), format!("on outcome {outcome}"), outcome.clone())
                    })
                    .collect(),
                // Each branch is labelled with its condition, as an admin reads it.
                StepKind::Rule {
                    branches,
                    otherwise,
                } => branches
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        (
                            b.next.as_str(),
                            format!("by branch {} when {}", i + 1, b.when.summary()),
                            b.when.summary(),
                        )
                    })
                    .chain([(
                        otherwise.as_str(),
                        "otherwise".to_owned(),
                        "otherwise".to_owned(),
                    )])
                    .collect(),
                StepKind::End { .. } => Vec::new(),
            };
            for (next, how, label) in leads {
                let (to, dangling) = target(next, &mut nodes);
                let missing_note = if dangling { " (missing)" } else { "" };
                edges.push(Edge {
                    from,
                    to,
                    label,
                    title: Some(format!("{} → {next}{missing_note} {how}", step.id)),
                    dangling,
                });
            }
        }

        let (start_target, start_dangling) = target(&def.start, &mut nodes);
        nodes.push(Node {
            kind: NodeKind::Start,
            id: def.start.clone(),
            size: (START_W, START_H),
        });
        edges.push(Edge {
            from: nodes.len() - 1,
            to: start_target,
            label: String::new(),
            title: None,
            dangling: start_dangling,
        });
        Model {
            nodes,
            edges,
            start: (!start_dangling).then_some(start_target),
        }
    }
}
