//! The funnel of one flow version over a range of start times the administrator picks (a GET
//! form): how many executions started, reached each view, completed, failed, expired or were
//! abandoned, where people stop, and the median time to complete; as a table and a chart.

use super::{Admin, AdminLayout};
use crate::engine::{FlowDefinition, FlowType};
use crate::i18n::{Said, Tr};
use crate::store::{Funnel, VersionSummary};
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::{HttpResponse, web};
use askama::Template;
use time::{Date, Duration, OffsetDateTime, Time};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/funnel", web::get().to(show_funnel));
}

#[derive(serde::Deserialize, Default)]
struct Query {
    #[serde(default, rename = "type")]
    flow_type: String,
    /// A version number; empty for the published one.
    #[serde(default)]
    version: String,
    /// One of `PERIODS`, or `dates` for `from`..`to`.
    #[serde(default)]
    period: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    to: String,
}

/// The periods offered, by value and the catalogue key of their label.
const PERIODS: [(&str, &str); 4] = [
    ("24h", "ui.admin.funnel.period.day"),
    ("7d", "ui.admin.funnel.period.week"),
    ("30d", "ui.admin.funnel.period.month"),
    ("dates", "ui.admin.funnel.period.dates"),
];
const DEFAULT_PERIOD: &str = "30d";

/// A field of the form and what is wrong with it (a catalogue key, or the words themselves
/// once said in the console's language).
type Refusal = (&'static str, String);

/// Start times counted: `[from, to)`.
#[derive(Debug, PartialEq, Eq)]
struct Range {
    from: OffsetDateTime,
    to: OffsetDateTime,
}

/// The period a query names; dates given without a period mean those dates.
fn period_of(q: &Query) -> &str {
    match q.period.trim() {
        "" if !q.from.trim().is_empty() || !q.to.trim().is_empty() => "dates",
        "" => DEFAULT_PERIOD,
        p => p,
    }
}

fn date(raw: &str, field: &'static str) -> Result<Option<Date>, Refusal> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format)
        .map(Some)
        .map_err(|_| (field, "ui.admin.audit.bad_date".to_owned()))
}

fn range_of(q: &Query, now: OffsetDateTime) -> Result<Range, Refusal> {
    // Up to now inclusive: the range is half-open, and times are stored to the microsecond.
    let back = |by: Duration| {
        Ok(Range {
            from: now - by,
            to: now + Duration::microseconds(1),
        })
    };
    match period_of(q) {
        "24h" => back(Duration::hours(24)),
        "7d" => back(Duration::days(7)),
        "30d" => back(Duration::days(30)),
        "dates" => {
            let from =
                date(&q.from, "from")?.ok_or(("from", "ui.admin.funnel.first_day".to_owned()))?;
            let to = date(&q.to, "to")?.unwrap_or(now.date());
            if to < from {
                return Err(("to", "ui.admin.funnel.days_reversed".to_owned()));
            }
            let start = |d: Date| OffsetDateTime::new_utc(d, Time::MIDNIGHT);
            Ok(Range {
                from: start(from),
                // Inclusive of the whole last day.
                to: to.next_day().map_or(start(Date::MAX), start),
            })
        }
        _ => Err(("period", "ui.admin.funnel.bad_period".to_owned())),
    }
}

/// The flow type asked for; self registration when none is.
fn chosen_type(q: &Query) -> Result<FlowType, Refusal> {
    match q.flow_type.trim() {
        "" => Ok(FlowType::Registration),
        raw => super::flow_type_of(raw).ok_or(("type", "ui.admin.funnel.bad_flow".into())),
    }
}

/// The version asked for, or the published one (the newest when none is).
fn version_of<'a>(
    q: &Query,
    flow_name: &str,
    versions: &'a [VersionSummary],
    tr: &Tr,
) -> Result<Option<&'a VersionSummary>, Refusal> {
    let raw = q.version.trim();
    if raw.is_empty() {
        return Ok(versions
            .iter()
            .find(|v| v.status == "PUBLISHED")
            .or(versions.first()));
    }
    let unknown = || {
        // Echoed, so kept short: the query is anyone's to write.
        let said: String = raw.chars().take(20).collect();
        let message = tr.t_args(
            "ui.admin.funnel.no_such_version",
            &[("flow", flow_name.to_owned()), ("version", said)],
        );
        ("version", message)
    };
    let number: i64 = raw.parse().map_err(|_| unknown())?;
    versions
        .iter()
        .find(|v| v.version == number)
        .map(Some)
        .ok_or_else(unknown)
}

struct Figure {
    /// For the element's id.
    key: &'static str,
    label: String,
    count: i64,
    share: String,
}

struct StepRow {
    label: String,
    reached: i64,
    reached_share: String,
    stopped: String,
    stopped_share: String,
    /// Forms sent back with an error, and by how many executions.
    refused: i64,
    refused_executions: i64,
}

/// One way out of a decision step and how many went that way.
struct BranchRow {
    step: String,
    /// "Branch 1: email domain_in corp.example" or "Otherwise".
    label: String,
    next: String,
    taken: i64,
    /// Of the executions that passed the decision.
    share: String,
}

/// What the page shows of a version's funnel.
struct Shown {
    heading: String,
    range: String,
    figures: Vec<Figure>,
    adds_up: String,
    median: String,
    rows: Vec<StepRow>,
    /// The views most people stopped at, most first.
    give_up: Vec<String>,
    chart: String,
    branches: Vec<BranchRow>,
}

#[derive(Template)]
#[template(path = "admin/funnel.html")]
struct FunnelPage {
    layout: AdminLayout,
    types: Vec<(&'static str, String)>,
    flow_type: String,
    versions: Vec<(String, String)>,
    version: String,
    periods: Vec<(&'static str, String)>,
    period: String,
    from: String,
    to: String,
    errors: Vec<(String, String)>,
    field_error: Option<Refusal>,
    shown: Option<Shown>,
    /// Why nothing is shown when nothing is wrong with the query.
    empty: Option<String>,
    idle_minutes: i64,
}

impl FunnelPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.field_error, field)
    }
}

async fn show_funnel(admin: Admin, query: web::Query<Query>) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let tr = admin.console_tr();
    let q = query.into_inner();
    let now = state.engine.now();
    let (flow_type, type_error) = match chosen_type(&q) {
        Ok(t) => (t, None),
        Err(refusal) => (FlowType::Registration, Some(refusal)),
    };
    let flow_name = flow_label(&tr, flow_type);
    let versions = match state.engine.flow_versions(flow_type).await {
        Ok(v) => v,
        Err(e) => return error::internal(req, &e),
    };
    let chosen = version_of(&q, &flow_name, &versions, &tr);
    // A refusal's key, said in the console's language (a version's is said already).
    let said = |(field, message): Refusal| {
        let words = if message.starts_with("ui.") {
            tr.t(&message)
        } else {
            message
        };
        (field, words)
    };
    let type_error = type_error.map(said);
    let chosen = chosen.map_err(said);
    let range = range_of(&q, now).map_err(said);
    let mut field_error = type_error;
    let mut shown = None;
    let mut empty = None;
    match (chosen, range) {
        _ if field_error.is_some() => {}
        (Err(refusal), _) | (_, Err(refusal)) => field_error = Some(refusal),
        (Ok(None), _) => {
            empty = Some(tr.t_args("ui.admin.funnel.no_version", &[("flow", flow_name.clone())]))
        }
        (Ok(Some(version)), Ok(range)) => {
            match show(state, &flow_name, version, &range, now, &tr).await {
                Ok(s) => shown = Some(s),
                Err(e) => return error::internal(req, &e),
            }
        }
    }
    let page = FunnelPage {
        layout: admin
            .section_layout("", "funnel")
            .retitle("ui.admin.funnel.title"),
        types: FlowType::ALL
            .iter()
            .map(|t| (t.as_str(), flow_label(&tr, *t)))
            .collect(),
        flow_type: flow_type.as_str().to_owned(),
        versions: versions
            .iter()
            .map(|v| {
                (
                    v.version.to_string(),
                    tr.t_args(
                        "ui.admin.funnel.version",
                        &[
                            ("version", v.version.to_string()),
                            ("status", v.status.to_lowercase()),
                        ],
                    ),
                )
            })
            .collect(),
        version: q.version.trim().to_owned(),
        periods: PERIODS
            .iter()
            .map(|(value, key)| (*value, tr.t(key)))
            .collect(),
        period: period_of(&q).to_owned(),
        errors: field_error
            .iter()
            .map(|(f, m)| ((*f).to_owned(), m.clone()))
            .collect(),
        field_error,
        from: q.from,
        to: q.to,
        shown,
        empty,
        idle_minutes: state.engine.settings().execution_idle.whole_minutes(),
    };
    html(super::form_status(page.field_error.is_some()), &page)
}

/// A flow type's name in the console's language.
fn flow_label(tr: &Tr, flow_type: FlowType) -> String {
    tr.t(&format!(
        "ui.flow_type.{}",
        flow_type.as_str().to_lowercase()
    ))
}

async fn show(
    state: &AppState,
    flow_name: &str,
    version: &VersionSummary,
    range: &Range,
    now: OffsetDateTime,
    tr: &Tr,
) -> Result<Shown, crate::engine::EngineError> {
    let funnel = state
        .engine
        .funnel(version.id, range.from, range.to, now)
        .await?;
    let heading = tr.t_args(
        "ui.admin.funnel.heading",
        &[
            ("flow", flow_name.to_owned()),
            ("version", version.version.to_string()),
        ],
    );
    let chart = funnel_chart_of(&heading, &funnel, tr);
    Ok(Shown {
        range: tr.t_args(
            "ui.admin.funnel.range",
            &[
                ("from", super::when(range.from)),
                ("to", super::when(range.to)),
            ],
        ),
        figures: figures(&funnel, tr),
        adds_up: tr.t_args(
            "ui.admin.funnel.adds_up",
            &[
                ("started", funnel.started.to_string()),
                ("completed", funnel.completed.to_string()),
                ("expired", funnel.expired.to_string()),
                ("abandoned", funnel.abandoned.to_string()),
                ("in_progress", funnel.in_progress.to_string()),
            ],
        ),
        median: funnel.median_to_complete.map_or_else(
            || tr.t("ui.admin.funnel.none_completed"),
            |d| spoken(d).in_(tr),
        ),
        rows: funnel
            .steps
            .iter()
            .map(|s| StepRow {
                label: s.step.clone(),
                reached: s.reached,
                reached_share: share(s.reached, funnel.started),
                stopped: s.stopped.to_string(),
                stopped_share: share(s.stopped, s.reached),
                refused: s.refused,
                refused_executions: s.refused_executions,
            })
            .collect(),
        give_up: give_up(&funnel, tr),
        branches: branch_rows(&*state.engine.flow(version.id).await?, &funnel, tr),
        heading,
        chart,
    })
}

/// Every way out of every decision step of the version, taken or not, in definition order.
fn branch_rows(def: &FlowDefinition, funnel: &Funnel, tr: &Tr) -> Vec<BranchRow> {
    let mut rows = Vec::new();
    for (step, branches, otherwise) in def.decisions() {
        let taken = |branch: Option<usize>| {
            funnel
                .branches
                .iter()
                .find(|b| b.step == step.id && b.branch == branch)
                .map_or(0, |b| b.taken)
        };
        let passed: i64 = funnel
            .branches
            .iter()
            .filter(|b| b.step == step.id)
            .map(|b| b.taken)
            .sum();
        let ways = branches
            .iter()
            .enumerate()
            .map(|(i, b)| {
                (
                    Some(i),
                    tr.t_args(
                        "ui.admin.funnel.branch",
                        &[("number", (i + 1).to_string()), ("when", b.when.summary())],
                    ),
                    b.next.as_str(),
                )
            })
            .chain([(None, tr.t("ui.admin.funnel.otherwise"), otherwise)]);
        for (branch, label, next) in ways {
            let n = taken(branch);
            rows.push(BranchRow {
                step: step.id.clone(),
                label,
                next: next.to_owned(),
                taken: n,
                share: share(n, passed),
            });
        }
    }
    rows
}

fn funnel_chart_of(heading: &str, funnel: &Funnel, tr: &Tr) -> String {
    let title = tr.t_args(
        "ui.admin.funnel.chart.title",
        &[("heading", heading.to_owned())],
    );
    super::funnel_chart::render(&title, funnel, tr).unwrap_or_else(|e| {
        // The table holds the same figures: the page stays useful without its chart.
        tracing::error!(error = %e, "funnel chart failed to render");
        String::new()
    })
}

fn figures(f: &Funnel, tr: &Tr) -> Vec<Figure> {
    [
        ("started", "ui.admin.funnel.started", f.started),
        ("completed", "ui.admin.funnel.completed", f.completed),
        ("expired", "ui.admin.funnel.expired", f.expired),
        ("abandoned", "ui.admin.funnel.abandoned", f.abandoned),
        ("in-progress", "ui.admin.funnel.in_progress", f.in_progress),
    ]
    .into_iter()
    .map(|(key, label, count)| Figure {
        key,
        label: tr.t(label),
        count,
        share: share(count, f.started),
    })
    .collect()
}

/// Up to three views where most stopped, with how many of those who reached them.
fn give_up(f: &Funnel, tr: &Tr) -> Vec<String> {
    let mut steps: Vec<_> = f.steps.iter().filter(|s| s.stopped > 0).collect();
    steps.sort_by_key(|s| std::cmp::Reverse(s.stopped));
    steps
        .into_iter()
        .take(3)
        .map(|s| {
            tr.t_args(
                "ui.admin.funnel.give_up",
                &[
                    ("step", s.step.clone()),
                    ("stopped", s.stopped.to_string()),
                    ("share", share(s.stopped, s.reached)),
                ],
            )
        })
        .collect()
}

/// `part` as a whole percentage of `whole`; a dash when there is no whole.
fn share(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "–".to_owned()
    } else {
        format!("{}%", (part * 100 + whole / 2) / whole)
    }
}

/// A duration as people say it, to the second under an hour, in the catalogue's units.
fn spoken(d: Duration) -> Said {
    let s = d.whole_seconds().max(0);
    match s {
        0..60 => Said::new("ui.duration.seconds").with("s", s),
        60..3600 => Said::new("ui.duration.minutes")
            .with("m", s / 60)
            .with("s", s % 60),
        3600..86400 => Said::new("ui.duration.hours")
            .with("h", s / 3600)
            .with("m", s % 3600 / 60),
        _ => Said::new("ui.duration.days")
            .with("d", s / 86400)
            .with("h", s % 86400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-30 12:34 UTC);

    fn q(period: &str, from: &str, to: &str) -> Query {
        Query {
            period: period.into(),
            from: from.into(),
            to: to.into(),
            ..Query::default()
        }
    }

    #[test]
    fn periods_and_dates_make_ranges() {
        assert_eq!(
            range_of(&q("", "", ""), NOW).unwrap().from,
            NOW - Duration::days(30),
            "30 days by default"
        );
        assert_eq!(
            range_of(&q("24h", "2020-01-01", ""), NOW).unwrap(),
            Range {
                from: NOW - Duration::hours(24),
                to: NOW + Duration::microseconds(1)
            },
            "a preset wins over dates"
        );
        assert_eq!(
            range_of(&q("", "2026-11-02", "2026-11-02"), NOW).unwrap(),
            Range {
                from: datetime!(2026-11-02 0:00 UTC),
                to: datetime!(2026-11-03 0:00 UTC)
            },
            "dates alone mean those dates, the last one whole"
        );
        assert_eq!(
            range_of(&q("dates", "2026-11-02", ""), NOW).unwrap().to,
            datetime!(2026-12-01 0:00 UTC),
            "up to the end of today"
        );
    }

    #[test]
    fn bad_ranges_are_refused_beside_their_field() {
        let field = |q: Query| range_of(&q, NOW).unwrap_err().0;
        assert_eq!(field(q("dates", "30/11/2026", "")), "from");
        assert_eq!(field(q("dates", "", "")), "from");
        assert_eq!(field(q("dates", "2026-11-02", "2026-13-01")), "to");
        assert_eq!(field(q("dates", "2026-11-02", "2026-11-01")), "to");
        assert_eq!(field(q("week", "", "")), "period");
    }

    #[test]
    fn shares_and_durations_read_well() {
        assert_eq!(share(1, 3), "33%");
        assert_eq!(share(2, 3), "67%");
        assert_eq!(share(0, 0), "–");
        let fr = Tr::new(crate::i18n::Locale::from_tag("fr").unwrap());
        for (d, en, in_french) in [
            (Duration::seconds(42), "42 s", "42 s"),
            (Duration::seconds(125), "2 min 5 s", "2 min 5 s"),
            (Duration::minutes(125), "2 h 5 min", "2 h 5 min"),
            (Duration::hours(50), "2 d 2 h", "2 j 2 h"),
        ] {
            let said = spoken(d);
            assert!(said.faults().is_empty(), "{:?}", said.faults());
            assert_eq!(said.english(), en);
            assert_eq!(said.in_(&fr), in_french);
        }
    }
}
