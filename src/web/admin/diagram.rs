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
use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use std::collections::HashMap;

/// Step boxes: wide enough for a 20-character id in bold 13px.
const NODE_W: f64 = 184.0;
const NODE_H: f64 = 50.0;
const MISSING_H: f64 = 36.0;
const START_W: f64 = 64.0;
const START_H: f64 = 24.0;
const MARGIN: f64 = 16.0;
/// Font size layout-rs reserves label room with; it counts one em per character, which is
/// more than our 11px labels take.
const LABEL_FONT: usize = 11;
/// Characters that fit in a box (bold 13px ≈ 8px a character) and on an edge.
const MAX_ID_CHARS: usize = 21;
const MAX_EXECUTOR_CHARS: usize = 26;
const MAX_EDGE_LABEL_CHARS: usize = 18;
/// (Nodes, edges) up to which layout-rs runs with its optimisers, and at all.
const OPTIMISED_LAYOUT_MAX: (usize, usize) = (24, 48);
const LAYOUT_MAX: (usize, usize) = (60, 120);

/// The flow as an inline `<svg>` element. `href(step_id)` gives each node's link target
/// (e.g. "#step-details"); steps named in `problem_steps` are marked (class "node--problem").
pub fn render(
    def: &FlowDefinition,
    problem_steps: &[String],
    href: &dyn Fn(&str) -> String,
) -> String {
    let model = Model::of(def);
    let placed = place(&model);
    let svg = to_template(def, &model, &placed, problem_steps, href);
    svg.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, flow = %def.name, "flow diagram did not render");
        String::new()
    })
}

// ---------- The graph to draw ----------

#[derive(Debug, Clone, PartialEq)]
enum NodeKind {
    View,
    Task(String),
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
                    StepKind::Task { executor, .. } => NodeKind::Task(format!("{executor:?}")),
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
            let leads: Vec<(&str, String, &str)> = match &step.kind {
                StepKind::View { actions, .. } => actions
                    .iter()
                    .map(|a| {
                        (
                            a.next.as_str(),
                            format!("by button {}", a.button),
                            a.button.as_str(),
                        )
                    })
                    .collect(),
                StepKind::Task { next, .. } => next
                    .iter()
                    .map(|(outcome, n)| {
                        (
                            n.as_str(),
                            format!("on outcome {outcome}"),
                            outcome.as_str(),
                        )
                    })
                    .collect(),
                StepKind::End { .. } => Vec::new(),
            };
            for (next, how, label) in leads {
                let (to, dangling) = target(next, &mut nodes);
                let missing_note = if dangling { " (missing)" } else { "" };
                edges.push(Edge {
                    from,
                    to,
                    label: label.to_owned(),
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

// ---------- Layout ----------

#[derive(Debug, Clone, Copy, PartialEq)]
struct P {
    x: f64,
    y: f64,
}

impl From<Point> for P {
    fn from(p: Point) -> P {
        P { x: p.x, y: p.y }
    }
}

/// One cubic Bézier piece: start, two control points, end.
type Cubic = [P; 4];

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

struct Placed {
    nodes: Vec<Rect>,
    /// Per edge: its path, and the centre of its label.
    edges: Vec<(Vec<Cubic>, P)>,
}

/// Collects what layout-rs would draw, keyed by the `properties` we gave each node and edge.
#[derive(Default)]
struct Recorder {
    rects: HashMap<usize, Rect>,
    texts: Vec<(P, String)>,
    arrows: HashMap<usize, (Vec<Cubic>, bool)>,
}

impl RenderBackend for Recorder {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        if let Some(key) = properties.and_then(|p| p.parse().ok()) {
            self.rects.insert(
                key,
                Rect {
                    x: xy.x,
                    y: xy.y,
                    w: size.x,
                    h: size.y,
                },
            );
        }
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if !text.is_empty() {
            self.texts.push((xy.into(), text.to_owned()));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        if let Some(key) = properties.and_then(|p| p.parse().ok()) {
            // A back edge comes out reversed, its head at the start.
            self.arrows.insert(key, (cubics(path), head.0 && !head.1));
        }
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// layout-rs paths are `[(start, control), (control, point), (control, point)…]`, as for
/// SVG's `M C S S…`: each later piece's first control point mirrors the previous one.
fn cubics(path: &[(Point, Point)]) -> Vec<Cubic> {
    let Some(((start, control), rest)) = path.split_first() else {
        return Vec::new();
    };
    let (mut from, mut c1) = (P::from(*start), P::from(*control));
    let mut out = Vec::new();
    for (c2, end) in rest {
        let (c2, end) = (P::from(*c2), P::from(*end));
        out.push([from, c1, c2, end]);
        c1 = P {
            x: 2.0 * end.x - c2.x,
            y: 2.0 * end.y - c2.y,
        };
        from = end;
    }
    out
}

fn reversed(path: &[Cubic]) -> Vec<Cubic> {
    path.iter()
        .rev()
        .map(|[a, b, c, d]| [*d, *c, *b, *a])
        .collect()
}

fn place(model: &Model) -> Placed {
    // layout-rs's time grows steeply with the graph (a debug build takes 0.2 s for 20 steps
    // of two edges each with its crossing and rank optimisers, 20 s for 60; 1.5 s without
    // them). Flows have about ten steps; past these sizes the optimisers are skipped, then
    // layout-rs too, so that no definition can hold a worker for long.
    let (nodes, edges) = (model.nodes.len(), model.edges.len());
    if nodes > LAYOUT_MAX.0 || edges > LAYOUT_MAX.1 {
        return column(model);
    }
    let optimise = nodes <= OPTIMISED_LAYOUT_MAX.0 && edges <= OPTIMISED_LAYOUT_MAX.1;
    let labels: Vec<String> = model
        .edges
        .iter()
        .map(|e| truncate(&e.label, MAX_EDGE_LABEL_CHARS))
        .collect();
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let handles: Vec<_> = model
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            vg.add_node(Element::create_with_properties(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::TopToBottom,
                Point::new(n.size.0, n.size.1),
                i.to_string(),
            ))
        })
        .collect();
    let mut look = StyleAttr::simple();
    look.font_size = LABEL_FONT;
    for (i, e) in model.edges.iter().enumerate() {
        if let (Some(from), Some(to)) = (handles.get(e.from), handles.get(e.to)) {
            let mut arrow = Arrow::simple(&labels[i]);
            arrow.look = look.clone();
            arrow.properties = Some(i.to_string());
            vg.add_edge(arrow, *from, *to);
        }
    }
    // layout-rs asserts its invariants with panics. The graph always has the start marker,
    // so it is never empty (its one known panic); should another fire anyway, the admin
    // still gets a plain column rather than a failed page.
    let recorded = std::panic::catch_unwind(move || {
        let mut rec = Recorder::default();
        vg.do_it(false, !optimise, false, &mut rec);
        rec
    });
    match recorded {
        Ok(rec) => from_recording(model, &labels, rec).unwrap_or_else(|| column(model)),
        Err(_) => {
            tracing::error!("layout-rs failed on a flow graph; drawing it as a column");
            column(model)
        }
    }
}

fn from_recording(model: &Model, labels: &[String], mut rec: Recorder) -> Option<Placed> {
    let nodes = (0..model.nodes.len())
        .map(|i| rec.rects.get(&i).copied())
        .collect::<Option<Vec<_>>>()?;
    let mut edges = Vec::with_capacity(model.edges.len());
    for (i, label) in labels.iter().enumerate() {
        let (path, backwards) = rec.arrows.remove(&i)?;
        let path = if backwards { reversed(&path) } else { path };
        let mid = midpoint(&path)?;
        // Label slots are layout nodes that the edge passes through; take the nearest one
        // holding this text.
        let at = rec
            .texts
            .iter()
            .enumerate()
            .filter(|(_, (_, t))| t == label)
            .min_by(|(_, (a, _)), (_, (b, _))| closest(&path, *a).total_cmp(&closest(&path, *b)))
            .map(|(j, _)| j);
        let label_at = match at {
            Some(j) => rec.texts.swap_remove(j).0,
            None => mid,
        };
        edges.push((path, label_at));
    }
    Some(Placed { nodes, edges })
}

/// Distance from `p` to the nearest end or control point of `path`.
fn closest(path: &[Cubic], p: P) -> f64 {
    path.iter()
        .flatten()
        .map(|q| (q.x - p.x).hypot(q.y - p.y))
        .fold(f64::INFINITY, f64::min)
}

fn midpoint(path: &[Cubic]) -> Option<P> {
    let [a, b, c, d] = path.get(path.len() / 2)?;
    // The Bézier point at t = 0.5.
    Some(P {
        x: (a.x + 3.0 * b.x + 3.0 * c.x + d.x) / 8.0,
        y: (a.y + 3.0 * b.y + 3.0 * c.y + d.y) / 8.0,
    })
}

/// The fallback: every node in one column, in definition order, the start marker first;
/// edges between neighbours straight, the others as curves out to the right.
fn column(model: &Model) -> Placed {
    let gap = 56.0;
    let mut order: Vec<usize> = (0..model.nodes.len()).collect();
    order.sort_by_key(|&i| model.nodes[i].kind != NodeKind::Start);
    let mut nodes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0
        };
        model.nodes.len()
    ];
    let mut y = 0.0;
    for &i in &order {
        let (w, h) = model.nodes[i].size;
        nodes[i] = Rect {
            x: (NODE_W - w) / 2.0,
            y,
            w,
            h,
        };
        y += h + gap;
    }
    let edges = model
        .edges
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let (a, b) = (nodes[e.from], nodes[e.to]);
            let cx = a.x + a.w / 2.0;
            let path = if b.y > a.y && b.y - (a.y + a.h) <= gap + 1.0 {
                let (s, t) = (
                    P {
                        x: cx,
                        y: a.y + a.h,
                    },
                    P { x: cx, y: b.y },
                );
                [s, s, t, t]
            } else {
                let bend = NODE_W + 40.0 + 24.0 * (k % 4) as f64;
                let s = P {
                    x: a.x + a.w,
                    y: a.y + a.h / 2.0,
                };
                let t = P {
                    x: b.x + b.w,
                    y: b.y + b.h / 2.0,
                };
                [s, P { x: bend, y: s.y }, P { x: bend, y: t.y }, t]
            };
            let label = midpoint(std::slice::from_ref(&path)).unwrap_or(path[0]);
            (vec![path], label)
        })
        .collect();
    Placed { nodes, edges }
}

// ---------- The template ----------

#[derive(Template)]
#[template(path = "admin/diagram.svg", escape = "html")]
struct DiagramSvg {
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

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Rough label box (11px text, 6.5px a character), used for the bounds and by the tests.
fn label_box(text: &str, at: P) -> Rect {
    let w = text.chars().count() as f64 * 6.5 + 8.0;
    Rect {
        x: at.x - w / 2.0,
        y: at.y - 9.0,
        w,
        h: 16.0,
    }
}

fn to_template(
    def: &FlowDefinition,
    model: &Model,
    placed: &Placed,
    problem_steps: &[String],
    href: &dyn Fn(&str) -> String,
) -> DiagramSvg {
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
                    format!("View step {}", node.id),
                    3.0,
                    vec![
                        line(17.0, "node-kind", "view".into()),
                        line(36.0, "node-label", id),
                    ],
                ),
                NodeKind::Task(executor) => (
                    "node--task",
                    format!("Task {}: {executor}", node.id),
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
                NodeKind::End => (
                    "node--end",
                    format!("End step {}", node.id),
                    r.h / 2.0,
                    vec![
                        line(17.0, "node-kind", "end".into()),
                        line(36.0, "node-label", id),
                    ],
                ),
                NodeKind::Missing => (
                    "node--missing node--problem",
                    format!("Missing step {}: nothing is called that", node.id),
                    3.0,
                    vec![line(
                        23.0,
                        "node-label",
                        truncate(&format!("missing: {}", node.id), MAX_ID_CHARS + 2),
                    )],
                ),
                NodeKind::Start => (
                    "node--start-marker",
                    format!("The flow starts at {}", node.id),
                    r.h / 2.0,
                    vec![line(16.0, "node-kind", "start".into())],
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
                    NodeKind::View | NodeKind::Task(_) | NodeKind::End
                )
            {
                class.push_str(" node--problem");
            }
            let inset = 3.5;
            NodeView {
                href: matches!(
                    node.kind,
                    NodeKind::View | NodeKind::Task(_) | NodeKind::End
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
        title: format!(
            "Diagram of the flow “{}”: {steps} step{}, starting at {}",
            def.name,
            if steps == 1 { "" } else { "s" },
            def.start
        ),
        width: num(max.x - min.x + 2.0 * MARGIN),
        height: num(max.y - min.y + 2.0 * MARGIN),
        nodes,
        edges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Action;
    use crate::engine::starter;

    fn href(id: &str) -> String {
        format!("#step-{id}")
    }

    fn svg_of(def: &FlowDefinition) -> String {
        render(def, &[], &href)
    }

    fn number(node: roxmltree::Node<'_, '_>, attr: &str) -> f64 {
        node.attribute(attr).unwrap().parse().unwrap()
    }

    /// Outer rectangles of the nodes (not the inner border of an end step).
    fn node_rects<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<(String, Rect)> {
        doc.descendants()
            .filter(|n| {
                n.has_tag_name("rect")
                    && n.attribute("class") == Some("node-shape")
                    && n.ancestors()
                        .any(|a| a.attribute("class").is_some_and(|c| c.starts_with("node ")))
            })
            .map(|n| {
                let owner = n
                    .ancestors()
                    .find(|a| a.attribute("class").is_some_and(|c| c.starts_with("node ")))
                    .unwrap();
                (
                    owner.attribute("class").unwrap().to_owned(),
                    Rect {
                        x: number(n, "x"),
                        y: number(n, "y"),
                        w: number(n, "width"),
                        h: number(n, "height"),
                    },
                )
            })
            .collect()
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    }

    fn edge_titles(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| {
                n.has_tag_name("title")
                    && n.parent()
                        .and_then(|p| p.attribute("class"))
                        .is_some_and(|c| c.split(' ').any(|c| c == "edge"))
            })
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn every_starter_template_draws_cleanly() {
        for t in starter::all() {
            let def = t.definition().unwrap();
            let svg = svg_of(&def);
            let doc = roxmltree::Document::parse(&svg)
                .unwrap_or_else(|e| panic!("{}: not XML: {e}\n{svg}", t.id));
            assert!(!svg.contains("style="), "{}", t.id);
            assert!(!svg.to_lowercase().contains("<script"), "{}", t.id);
            let root = doc.root_element();
            // A group, not an img: an img's children are presentational, which would hide
            // the step links inside it from assistive technology (axe: nested-interactive).
            assert_eq!(root.attribute("role"), Some("group"));
            assert!(root.attribute("viewBox").is_some());
            let title_id = root.attribute("aria-labelledby").unwrap();
            assert!(
                doc.descendants()
                    .any(|n| n.has_tag_name("title") && n.attribute("id") == Some(title_id))
            );

            // One link per step, to that step.
            let links: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("a"))
                .map(|n| n.attribute("href").unwrap())
                .collect();
            let expected: Vec<String> = def.steps.iter().map(|s| href(&s.id)).collect();
            assert_eq!(links, expected, "{}", t.id);

            // One titled edge per action and per outcome.
            let mut wanted = Vec::new();
            for s in &def.steps {
                match &s.kind {
                    StepKind::View { actions, .. } => {
                        for a in actions {
                            wanted.push(format!("{} → {} by button {}", s.id, a.next, a.button));
                        }
                    }
                    StepKind::Task { next, .. } => {
                        for (o, n) in next {
                            wanted.push(format!("{} → {n} on outcome {o}", s.id));
                        }
                    }
                    StepKind::End { .. } => {}
                }
            }
            assert_eq!(edge_titles(&doc), wanted, "{}", t.id);

            // No two nodes overlap; no edge label lies on a node.
            let rects = node_rects(&doc);
            assert_eq!(
                rects.len(),
                def.steps.len() + 1,
                "{}: steps and the start marker",
                t.id
            );
            for (i, (ca, a)) in rects.iter().enumerate() {
                for (cb, b) in &rects[i + 1..] {
                    assert!(!overlap(a, b), "{}: {ca} {a:?} overlaps {cb} {b:?}", t.id);
                }
            }
            for label in doc
                .descendants()
                .filter(|n| n.attribute("class") == Some("edge-label"))
            {
                let text = label.text().unwrap();
                let at = P {
                    x: number(label, "x"),
                    y: number(label, "y") - 4.0,
                };
                let b = label_box(text, at);
                for (c, r) in &rects {
                    assert!(!overlap(&b, r), "{}: label {text} {b:?} on {c} {r:?}", t.id);
                }
            }
        }
    }

    #[test]
    fn titles_shapes_and_start() {
        let def = starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap();
        let svg = svg_of(&def);
        assert!(svg.contains("<title>View step details</title>"), "{svg}");
        assert!(svg.contains("<title>Task send_code: EmailOtpSend</title>"));
        assert!(svg.contains("<title>details → set_password by button continue</title>"));
        assert!(svg.contains("<title>send_code → enter_code on outcome success</title>"));
        assert!(svg.contains("node node--view node--start"));
        assert!(svg.contains("node node--task"));
        assert!(svg.contains("node node--end"));
        assert!(svg.contains(">EmailOtpSend</text>"));
    }

    #[test]
    fn marks_problems_and_draws_dangling_edges_to_a_missing_node() {
        let mut def = starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap();
        if let StepKind::View { actions, .. } = &mut def.steps[0].kind {
            actions.push(Action {
                button: "back".into(),
                next: "nowhere".into(),
            });
        }
        let svg = render(&def, &["details".into()], &href);
        roxmltree::Document::parse(&svg).unwrap();
        assert!(
            svg.contains("node node--view node--start node--problem"),
            "{svg}"
        );
        assert!(svg.contains("missing: nowhere"));
        assert!(svg.contains("node node--missing node--problem"));
        assert!(svg.contains("<title>details → nowhere (missing) by button back</title>"));
        assert!(svg.contains("edge edge--problem"));
        // Only the step itself is marked, not the start marker that names it.
        assert!(svg.contains("node node--start-marker\""), "{svg}");
        // The missing node is not a step: no link.
        assert_eq!(svg.matches("<a ").count(), def.steps.len());
    }

    #[test]
    fn escapes_and_truncates_text() {
        let mut def = starter::by_id("invite-password")
            .unwrap()
            .definition()
            .unwrap();
        def.name = "<b>&\"".into();
        let long = "a_very_long_step_identifier_indeed_<x>";
        for s in &mut def.steps {
            if s.id == "done" {
                s.id = long.into();
            }
            if let StepKind::Task { next, .. } = &mut s.kind {
                for n in next.values_mut() {
                    if n == "done" {
                        *n = long.into();
                    }
                }
            }
        }
        let svg = svg_of(&def);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert!(!svg.contains("<b>"));
        assert!(!svg.contains("<x>"));
        assert!(svg.contains("a_very_long_step_ide…"), "{svg}");
        let title = doc.root_element().first_element_child().unwrap();
        assert!(title.text().unwrap().contains("<b>&\""));
        assert!(
            doc.descendants()
                .any(|n| n.has_tag_name("title") && n.text() == Some(&format!("End step {long}")))
        );
    }

    #[test]
    fn odd_graphs_still_draw() {
        let base = starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap();
        // A missing start, a self loop, two buttons to one step, no steps at all.
        let mut missing_start = base.clone();
        missing_start.start = "ghost".into();
        let mut self_loop = base.clone();
        if let StepKind::View { actions, .. } = &mut self_loop.steps[0].kind {
            actions.push(Action {
                button: "again".into(),
                next: "details".into(),
            });
            actions.push(Action {
                button: "twice".into(),
                next: "set_password".into(),
            });
        }
        let mut empty = base.clone();
        empty.steps.clear();
        for def in [missing_start, self_loop, empty] {
            let svg = svg_of(&def);
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
            assert_eq!(svg.matches("<a ").count(), def.steps.len());
        }
    }

    /// A chain of views, each with a second button back to an earlier one.
    fn big(n: usize) -> FlowDefinition {
        let mut def = starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap();
        let view = def.steps[0].clone();
        def.steps = (0..n)
            .map(|i| {
                let mut s = view.clone();
                s.id = format!("s{i}");
                if let StepKind::View { actions, .. } = &mut s.kind {
                    actions[0].next = if i + 1 == n {
                        "s0".into()
                    } else {
                        format!("s{}", i + 1)
                    };
                    actions.push(Action {
                        button: "back".into(),
                        next: format!("s{}", (i * 7) % n),
                    });
                }
                s
            })
            .collect();
        def.start = "s0".into();
        def
    }

    #[test]
    fn large_graphs_draw_without_overlaps() {
        // Optimised layout, plain layout-rs, and the column.
        for n in [12, 25, 80] {
            let svg = svg_of(&big(n));
            let doc = roxmltree::Document::parse(&svg).unwrap();
            assert_eq!(doc.descendants().filter(|n| n.has_tag_name("a")).count(), n);
            assert_eq!(edge_titles(&doc).len(), 2 * n);
            let rects = node_rects(&doc);
            for (i, (_, a)) in rects.iter().enumerate() {
                for (_, b) in &rects[i + 1..] {
                    assert!(!overlap(a, b), "{n} steps: {a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn column_fallback_is_well_formed() {
        let def = starter::by_id("recovery-otp")
            .unwrap()
            .definition()
            .unwrap();
        let model = Model::of(&def);
        let placed = column(&model);
        let svg = to_template(&def, &model, &placed, &[], &href)
            .render()
            .unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let rects = node_rects(&doc);
        for (i, (_, a)) in rects.iter().enumerate() {
            for (_, b) in &rects[i + 1..] {
                assert!(!overlap(a, b));
            }
        }
        if let Ok(out) = std::env::var("FLOWS_DIAGRAM_PREVIEW") {
            std::fs::write(format!("{out}.column.svg"), svg).unwrap();
        }
    }

    /// Writes the largest starter template's diagram, in a page with the site stylesheet,
    /// for a look in a browser: `FLOWS_DIAGRAM_PREVIEW=/tmp/x.html cargo test --lib web::admin`
    /// (and every template, side by side, to `/tmp/x.html.all.html`).
    #[test]
    fn preview_page() {
        let Ok(out) = std::env::var("FLOWS_DIAGRAM_PREVIEW") else {
            return;
        };
        let css = concat!(env!("CARGO_MANIFEST_DIR"), "/static/flows.css");
        let page = |body: String| {
            format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Diagram</title>\
                 <link rel=\"stylesheet\" href=\"file://{css}\"></head><body><main class=\"page\">\
                 {body}</main></body></html>"
            )
        };
        let defs: Vec<FlowDefinition> = starter::all()
            .iter()
            .map(|t| t.definition().unwrap())
            .collect();
        let largest = defs.iter().max_by_key(|d| d.steps.len()).unwrap();
        let svg = render(largest, &["check_code".into()], &href);
        std::fs::write(&out, page(format!("<h1>{}</h1>{svg}", largest.name))).unwrap();
        let mut broken = defs[0].clone();
        broken.name = "Broken: a dangling button".into();
        if let StepKind::View { actions, .. } = &mut broken.steps[0].kind {
            actions.push(Action {
                button: "back".into(),
                next: "nowhere".into(),
            });
        }
        let broken = render(&broken, &["details".into()], &href);
        let all: String = defs
            .iter()
            .map(|d| {
                format!(
                    "<section class=\"preview\"><h2>{}</h2>{}</section>",
                    d.name,
                    svg_of(d)
                )
            })
            .collect();
        let all = format!("{all}<section class=\"preview\"><h2>Broken</h2>{broken}</section>");
        std::fs::write(format!("{out}.all.html"), page(all)).unwrap();
    }
}
