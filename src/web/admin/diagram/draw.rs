//! The markup: the Askama SVG template filled in from a layout, with links, titles and classes.

use super::layout::{P, Placed, Rect};
use super::{MAX_EDGE_LABEL_CHARS, MAX_EXECUTOR_CHARS, MAX_ID_CHARS, Model, NodeKind, truncate};
use crate::engine::FlowDefinition;
use crate::i18n::Tr;
use askama::Template;

const MARGIN: f64 = 16.0;

#[derive(Template)]
#[template(path = "admin/diagram.svg", escape = "html")]
pub(super) struct DiagramSvg {
    title: String,
    width: String,
    height: String,
    nodes: Vec<NodeView>,
    edges: Vec<EdgeView>,
}

struct NodeView {
    /// Steps link to the editor; missing steps and the start marker do not.
    href: Option<String>,
    title: String,
    class: String,
    shape: RectView,
    /// End steps get a second, inner border.
    inner: Option<RectView>,
    lines: Vec<TextView>,
}

struct RectView {
    x: String,
    y: String,
    w: String,
    h: String,
    rx: String,
}

struct TextView {
    x: String,
    y: String,
    class: &'static str,
    text: String,
}

struct EdgeView {
    title: Option<String>,
    class: &'static str,
    d: String,
    marker: &'static str,
    label: Option<TextView>,
}

/// Coordinates with one decimal, without a trailing ".0".
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Rough label box (11px text, 6.5px a character), used for the bounds and by the tests.
pub(super) fn label_box(text: &str, at: P) -> Rect {
    let w = text.chars().count() as f64 * 6.5 + 8.0;
    Rect {
        x: at.x - w / 2.0,
        y: at.y - 9.0,
        w,
        h: 16.0,
    }
}

pub(super) fn to_template(
    def: &FlowDefinition,
    model: &Model,
    placed: &Placed,
    problem_steps: &[String],
    href: &dyn Fn(&str) -> String,
    tr: &Tr,
) -> DiagramSvg {
    let said = |key: &str, args: &[(&str, String)]| tr.t_args(key, args);
    let labels: Vec<String> = model
        .edges
        .iter()
        .map(|e| truncate(&e.label, MAX_EDGE_LABEL_CHARS))
        .collect();

    // Bounds of everything drawn, to shift it all to the margin.
    let mut min = P {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let mut max = P {
        x: f64::NEG_INFINITY,
        y: f64::NEG_INFINITY,
    };
    let mut grow = |r: Rect| {
        min.x = min.x.min(r.x);
        min.y = min.y.min(r.y);
        max.x = max.x.max(r.x + r.w);
        max.y = max.y.max(r.y + r.h);
    };
    placed.nodes.iter().for_each(|r| grow(*r));
    for ((path, at), label) in placed.edges.iter().zip(&labels) {
        for p in path.iter().flatten() {
            grow(Rect {
                x: p.x,
                y: p.y,
                w: 0.0,
                h: 0.0,
            });
        }
        if !label.is_empty() {
            grow(label_box(label, *at));
        }
    }
    if !min.x.is_finite() {
        min = P { x: 0.0, y: 0.0 };
        max = min;
    }
    let dx = MARGIN - min.x;
    let dy = MARGIN - min.y;
    let x = |v: f64| num(v + dx);
    let y = |v: f64| num(v + dy);

    let nodes = model
        .nodes
        .iter()
        .zip(&placed.nodes)
        .enumerate()
        .map(|(i, (node, r))| {
            let cx = x(r.x + r.w / 2.0);
            let line = |offset: f64, class: &'static str, text: String| TextView {
                x: cx.clone(),
                y: y(r.y + offset),
                class,
                text,
            };
            let id = truncate(&node.id, MAX_ID_CHARS);
            let problem = problem_steps.contains(&node.id);
            let is_start = model.start == Some(i);
            let mut class = String::from("node");
            let (kind_class, title, rx, lines) = match &node.kind {
                NodeKind::View => (
                    "node--view",
                    said("ui.diagram.view", &[("id", node.id.clone())]),
                    3.0,
                    vec![
                        line(17.0, "node-kind", tr.t("ui.diagram.kind.view")),
                        line(36.0, "node-label", id),
                    ],
                ),
                NodeKind::Task(executor) => (
                    "node--task",
                    said(
                        "ui.diagram.task",
                        &[("id", node.id.clone()), ("executor", executor.clone())],
                    ),
                    14.0,
                    vec![
                        line(21.0, "node-label", id),
                        line(
                            38.0,
                            "node-executor",
                            truncate(executor, MAX_EXECUTOR_CHARS),
                        ),
                    ],
                ),
                NodeKind::Rule => (
                    "node--rule",
                    said("ui.diagram.rule", &[("id", node.id.clone())]),
                    3.0,
                    vec![
                        line(17.0, "node-kind", tr.t("ui.diagram.kind.rule")),
                        line(36.0, "node-label", id),
                    ],
                ),
                NodeKind::End => (
                    "node--end",
                    said("ui.diagram.end", &[("id", node.id.clone())]),
                    r.h / 2.0,
                    vec![
                        line(17.0, "node-kind", tr.t("ui.diagram.kind.end")),
                        line(36.0, "node-label", id),
                    ],
                ),
                NodeKind::Missing => (
                    "node--missing node--problem",
                    said("ui.diagram.missing", &[("id", node.id.clone())]),
                    3.0,
                    vec![line(
                        23.0,
                        "node-label",
                        truncate(
                            &said("ui.diagram.missing_label", &[("id", node.id.clone())]),
                            MAX_ID_CHARS + 2,
                        ),
                    )],
                ),
                NodeKind::Start => (
                    "node--start-marker",
                    said("ui.diagram.start", &[("id", node.id.clone())]),
                    r.h / 2.0,
                    vec![line(16.0, "node-kind", tr.t("ui.diagram.kind.start"))],
                ),
            };
            class.push(' ');
            class.push_str(kind_class);
            if is_start {
                class.push_str(" node--start");
            }
            if problem
                && matches!(
                    node.kind,
                    NodeKind::View | NodeKind::Task(_) | NodeKind::Rule | NodeKind::End
                )
            {
                class.push_str(" node--problem");
            }
            let inset = 3.5;
            NodeView {
                href: matches!(
                    node.kind,
                    NodeKind::View | NodeKind::Task(_) | NodeKind::Rule | NodeKind::End
                )
                .then(|| href(&node.id)),
                title,
                class,
                shape: RectView {
                    x: x(r.x),
                    y: y(r.y),
                    w: num(r.w),
                    h: num(r.h),
                    rx: num(rx),
                },
                inner: (node.kind == NodeKind::End).then(|| RectView {
                    x: x(r.x + inset),
                    y: y(r.y + inset),
                    w: num(r.w - 2.0 * inset),
                    h: num(r.h - 2.0 * inset),
                    rx: num(rx - inset),
                }),
                lines,
            }
        })
        .collect();

    let edges = model
        .edges
        .iter()
        .zip(&placed.edges)
        .zip(labels)
        .map(|((edge, (path, at)), label)| {
            let mut d = String::new();
            if let Some([start, ..]) = path.first() {
                d.push_str(&format!("M{},{}", x(start.x), y(start.y)));
            }
            for [_, c1, c2, end] in path {
                d.push_str(&format!(
                    " C{},{} {},{} {},{}",
                    x(c1.x),
                    y(c1.y),
                    x(c2.x),
                    y(c2.y),
                    x(end.x),
                    y(end.y)
                ));
            }
            let (class, marker) = match (edge.dangling, edge.title.is_none()) {
                (true, _) => ("edge edge--problem", "flow-diagram-arrow-problem"),
                (false, true) => ("edge edge--start", "flow-diagram-arrow"),
                (false, false) => ("edge", "flow-diagram-arrow"),
            };
            EdgeView {
                title: edge.title.clone(),
                class,
                d,
                marker,
                label: (!label.is_empty()).then(|| TextView {
                    x: x(at.x),
                    // Centred on the slot: 11px text sits about 4px below its middle.
                    y: y(at.y + 4.0),
                    class: "edge-label",
                    text: label,
                }),
            }
        })
        .collect();

    let steps = def.steps.len();
    DiagramSvg {
        title: said(
            "ui.diagram.title",
            &[
                ("name", def.name.clone()),
                ("count", steps.to_string()),
                ("start", def.start.clone()),
            ],
        ),
        width: num(max.x - min.x + 2.0 * MARGIN),
        height: num(max.y - min.y + 2.0 * MARGIN),
        nodes,
        edges,
    }
}
