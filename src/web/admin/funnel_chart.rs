//! The funnel as a horizontal bar chart, drawn on the server as inline SVG: one bar for the
//! executions started, one per view (reached, with the part that stopped there marked), one
//! for those completed. Colours come from classes in console.css: the CSP allows no inline
//! style. The table beside it carries the same figures for whoever cannot see the chart.

use crate::i18n::Tr;
use crate::store::Funnel;
use askama::Template;

const WIDTH: i64 = 720;
const LABEL_RIGHT: i64 = 170;
const BAR_LEFT: i64 = 180;
/// Room is left after the longest bar for its figures.
const BAR_SPAN: i64 = 380;
const ROW: i64 = 30;
const BAR_HEIGHT: i64 = 18;
const TOP: i64 = 8;
const LEGEND: i64 = 30;
const MAX_LABEL_CHARS: usize = 24;

#[derive(Template)]
#[template(path = "admin/funnel.svg", escape = "html")]
struct FunnelSvg {
    title: String,
    description: String,
    width: i64,
    height: i64,
    bars: Vec<Bar>,
    legend_y: i64,
    label_right: i64,
    bar_left: i64,
    bar_height: i64,
    /// The legend's two entries.
    reached_label: String,
    stopped_label: String,
}

struct Bar {
    class: &'static str,
    label: String,
    /// Text baseline, bar top.
    text_y: i64,
    y: i64,
    width: i64,
    /// The part of the bar that stopped at this step, drawn over its right end.
    stopped: Option<(i64, i64)>,
    figures: String,
    figures_x: i64,
}

/// The chart's SVG markup in `tr`'s language; `title` names the flow and version.
pub fn render(title: &str, funnel: &Funnel, tr: &Tr) -> Result<String, askama::Error> {
    let scale = funnel
        .steps
        .iter()
        .map(|s| s.reached)
        .chain([funnel.started, funnel.completed])
        .max()
        .unwrap_or(0);
    let length = |n: i64| {
        if scale == 0 {
            0
        } else {
            (n * BAR_SPAN + scale / 2) / scale
        }
    };
    let mut rows: Vec<(&'static str, String, i64, i64)> = vec![(
        "funnel-bar--started",
        tr.t("ui.admin.funnel.started"),
        funnel.started,
        0,
    )];
    rows.extend(
        funnel
            .steps
            .iter()
            .map(|s| ("funnel-bar", s.step.clone(), s.reached, s.stopped)),
    );
    rows.push((
        "funnel-bar--completed",
        tr.t("ui.admin.funnel.completed"),
        funnel.completed,
        0,
    ));
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (class, label, count, stopped))| {
            let y = TOP + i as i64 * ROW;
            let width = length(count);
            let stopped_width = length(stopped).min(width);
            Bar {
                class,
                label: truncate(&label, MAX_LABEL_CHARS),
                text_y: y + BAR_HEIGHT - 4,
                y,
                width,
                stopped: (stopped > 0).then_some((BAR_LEFT + width - stopped_width, stopped_width)),
                figures: if stopped > 0 {
                    tr.t_args(
                        "ui.admin.funnel.chart.stopped_here",
                        &[
                            ("count", count.to_string()),
                            ("stopped", stopped.to_string()),
                        ],
                    )
                } else {
                    count.to_string()
                },
                figures_x: BAR_LEFT + width + 6,
            }
        })
        .collect::<Vec<_>>();
    let legend_y = TOP + bars.len() as i64 * ROW + 4;
    let svg = FunnelSvg {
        title: title.to_owned(),
        description: describe(funnel, tr),
        width: WIDTH,
        height: legend_y + LEGEND,
        bars,
        legend_y,
        label_right: LABEL_RIGHT,
        bar_left: BAR_LEFT,
        bar_height: BAR_HEIGHT,
        reached_label: tr.t("ui.admin.funnel.chart.reached"),
        stopped_label: tr.t("ui.admin.funnel.chart.stopped"),
    };
    svg.render()
}

/// The chart in one sentence per bar, for its text alternative.
fn describe(funnel: &Funnel, tr: &Tr) -> String {
    let mut parts = vec![tr.t_args(
        "ui.admin.funnel.chart.started",
        &[("count", funnel.started.to_string())],
    )];
    parts.extend(funnel.steps.iter().map(|s| {
        tr.t_args(
            "ui.admin.funnel.chart.step",
            &[
                ("reached", s.reached.to_string()),
                ("step", s.step.clone()),
                ("stopped", s.stopped.to_string()),
            ],
        )
    }));
    parts.push(tr.t_args(
        "ui.admin.funnel.chart.completed",
        &[("count", funnel.completed.to_string())],
    ));
    parts.join(" ")
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StepFigures;

    fn funnel() -> Funnel {
        Funnel {
            started: 10,
            completed: 5,
            abandoned: 4,
            in_progress: 1,
            steps: vec![
                StepFigures {
                    step: "details".into(),
                    reached: 10,
                    stopped: 1,
                    refused: 2,
                    refused_executions: 1,
                },
                StepFigures {
                    step: "enter_code <&> a very long step name indeed".into(),
                    reached: 9,
                    stopped: 3,
                    refused: 0,
                    refused_executions: 0,
                },
            ],
            ..Funnel::default()
        }
    }

    #[test]
    fn bars_are_to_scale_labelled_and_described() {
        let tr = Tr::new(crate::i18n::Locale::default());
        let svg = render("Funnel of Self registration, version 1", &funnel(), &tr).unwrap();
        let doc = roxmltree::Document::parse(&svg).expect("well-formed");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let widths: Vec<i64> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("rect")
                    && n.attribute("class") != Some("funnel-bar--stopped")
                    && !n
                        .attribute("class")
                        .unwrap_or("")
                        .starts_with("funnel-legend")
            })
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        assert_eq!(widths, vec![BAR_SPAN, BAR_SPAN, 342, 190]);
        let stopped: Vec<i64> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("funnel-bar--stopped"))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        assert_eq!(stopped, vec![38, 114]);
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(texts.contains(&"enter_code <&> a very l…"), "{texts:?}");
        assert!(texts.contains(&"9 (3 stopped here)"));
        let desc = doc
            .descendants()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(
            desc.starts_with("10 started. 10 reached details, 1 stopped there."),
            "{desc}"
        );
    }

    #[test]
    fn nothing_started_draws_empty_bars() {
        let tr = Tr::new(crate::i18n::Locale::default());
        let svg = render("Empty", &Funnel::default(), &tr).unwrap();
        assert!(roxmltree::Document::parse(&svg).is_ok());
        assert!(svg.contains("width=\"0\""));
    }
}
