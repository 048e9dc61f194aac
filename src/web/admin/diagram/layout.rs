//! The geometry: where layout-rs puts each step box, edge path and edge label.

use super::{MAX_EDGE_LABEL_CHARS, Model, NODE_W, NodeKind, truncate};
use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use std::collections::HashMap;

/// Font size layout-rs reserves label room with; it counts one em per character, which is
/// more than our 11px labels take.
const LABEL_FONT: usize = 11;
/// (Nodes, edges) up to which layout-rs runs with its optimisers, and at all.
const OPTIMISED_LAYOUT_MAX: (usize, usize) = (24, 48);
const LAYOUT_MAX: (usize, usize) = (60, 120);

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct P {
    pub(super) x: f64,
    pub(super) y: f64,
}

impl From<Point> for P {
    fn from(p: Point) -> P {
        P { x: p.x, y: p.y }
    }
}

/// One cubic Bézier piece: start, two control points, end.
type Cubic = [P; 4];

#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
}

pub(super) struct Placed {
    pub(super) nodes: Vec<Rect>,
    /// Per edge: its path, and the centre of its label.
    pub(super) edges: Vec<(Vec<Cubic>, P)>,
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

pub(super) fn place(model: &Model) -> Placed {
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
pub(super) fn column(model: &Model) -> Placed {
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
