//! Checks of the drawn SVG as XML: links, titles, classes, escaping, and no overlaps.

use super::draw::label_box;
use super::layout::{P, Rect, column};
use super::*;
use crate::engine::Action;
use crate::engine::starter;

fn href(id: &str) -> String {
    format!("#step-{id}")
}

fn svg_of(def: &FlowDefinition) -> String {
    render(def, &[], &href, &english())
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
                StepKind::Rule {
                    branches,
                    otherwise,
                } => {
                    for (i, b) in branches.iter().enumerate() {
                        wanted.push(format!(
                            "{} → {} by branch {} when {}",
                            s.id,
                            b.next,
                            i + 1,
                            b.when.summary()
                        ));
                    }
                    wanted.push(format!("{} → {otherwise} otherwise", s.id));
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
    let svg = render(&def, &["details".into()], &href, &english());
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
    let svg = to_template(&def, &model, &placed, &[], &href, &english())
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
    let svg = render(largest, &["check_code".into()], &href, &english());
    std::fs::write(&out, page(format!("<h1>{}</h1>{svg}", largest.name))).unwrap();
    let mut broken = defs[0].clone();
    broken.name = "Broken: a dangling button".into();
    if let StepKind::View { actions, .. } = &mut broken.steps[0].kind {
        actions.push(Action {
            button: "back".into(),
            next: "nowhere".into(),
        });
    }
    let broken = render(&broken, &["details".into()], &href, &english());
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

/// The console's words in English, as the tests read them.
fn english() -> crate::i18n::Tr {
    crate::i18n::Tr::new(crate::i18n::Locale::default())
}
