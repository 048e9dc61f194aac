//! The console's home and flow pages: one card per flow type, the published version of a
//! type (read-only, with its diagram), enabling and disabling a type, starting a draft.

use super::{Admin, AdminFlow, AdminLayout, AdminPost, FlowPost, done, failed, flow_url, when};
use crate::engine::{
    DraftProblem, DraftStart, FlowDefinition, FlowType, StepKind, flatten, starter,
};
use crate::store::VersionSummary;
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(show_home))
        .route("/admin/flows", web::get().to(show_flows))
        .route("/admin/outbox/{id}/retry", web::post().to(retry_mail))
        .route("/admin/flows/{type}", web::get().to(show_flow))
        .route("/admin/flows/{type}/enabled", web::post().to(set_enabled))
        .route(
            "/admin/flows/{type}/draft/start",
            web::post().to(start_draft),
        );
}

pub struct VersionFacts {
    pub version: i64,
    pub name: String,
    pub author: String,
    pub at: String,
}

impl VersionFacts {
    pub fn of(v: &VersionSummary) -> Self {
        Self {
            version: v.version,
            name: v.name.clone(),
            author: super::who(v.created_by.as_deref().unwrap_or("system")),
            at: when(v.published_at.unwrap_or(v.created_at)),
        }
    }
}

pub struct DraftFacts {
    pub author: String,
    pub at: String,
    pub problems: usize,
}

pub struct Card {
    pub flow_type: &'static str,
    pub enabled: bool,
    pub published: Option<VersionFacts>,
    pub draft: Option<DraftFacts>,
}

/// What the console's home shows besides the flows.
pub struct Stats {
    pub today: i64,
    pub week: i64,
    /// Mail in the outbox by status.
    pub outbox: Vec<(String, i64)>,
    /// (id, recipient, subject, attempts, last error, when)
    pub failed: Vec<(String, String, String, i64, String, String)>,
}

async fn stats(
    state: &AppState,
    tr: &crate::i18n::Tr,
) -> Result<Stats, crate::engine::EngineError> {
    let engine = &state.engine;
    let now = state.engine.now();
    let today = now.replace_time(time::Time::MIDNIGHT);
    let monday = today - time::Duration::days(i64::from(now.weekday().number_days_from_monday()));
    Ok(Stats {
        today: engine.count_users_since(today).await?,
        week: engine.count_users_since(monday).await?,
        outbox: engine.outbox_counts().await?,
        failed: engine
            .failed_mail(20)
            .await?
            .into_iter()
            .map(|m| {
                let error: String = m.last_error.chars().take(300).collect();
                // A text message has no subject: its kind says what it was.
                let subject = if m.subject.is_empty() {
                    tr.t_args("ui.home.text_message", &[("kind", m.kind.clone())])
                } else {
                    m.subject
                };
                (
                    m.id,
                    m.recipient,
                    subject,
                    m.attempts,
                    error,
                    when(m.created_at),
                )
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "admin/flows.html")]
struct FlowsPage {
    layout: AdminLayout,
    stats: Option<Stats>,
    /// (link, what) of each thing that waits on an operator; on the home only.
    today: Vec<(String, String)>,
    cards: Vec<Card>,
    /// (when, who, what, subject)
    audit: Vec<(String, String, String, String)>,
}

async fn cards(state: &AppState) -> Result<Vec<Card>, crate::engine::EngineError> {
    let mut out = Vec::new();
    for flow_type in FlowType::ALL {
        let facts = state.engine.flow_facts(flow_type).await?;
        out.push(Card {
            flow_type: flow_type.as_str(),
            enabled: facts.enabled,
            published: facts.published().map(VersionFacts::of),
            draft: facts.draft.map(|d| DraftFacts {
                author: super::who(&d.updated_by),
                at: when(d.updated_at),
                problems: d.definition.validate().len(),
            }),
        });
    }
    Ok(out)
}

async fn flows_page(admin: Admin, home: bool) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let cards = match cards(state).await {
        Ok(c) => c,
        Err(e) => return error::internal(req, &e),
    };
    let audit = if home {
        match state.engine.recent_audit(10).await {
            Ok(rows) => rows
                .into_iter()
                .map(|r| (when(r.at), r.actor, r.action, r.subject.unwrap_or_default()))
                .collect(),
            Err(e) => return error::internal(req, &e),
        }
    } else {
        Vec::new()
    };
    let stats = if home {
        match stats(state, &admin.console_tr()).await {
            Ok(s) => Some(s),
            Err(e) => return error::internal(req, &e),
        }
    } else {
        None
    };
    let title = if home {
        "ui.home.title"
    } else {
        "ui.flows.title"
    };
    let mut layout = admin.layout("").retitle(title);
    if !home {
        let console = layout.t("ui.crumb.console");
        layout = layout.crumb("/admin", console);
    }
    let today = if home {
        match state.engine.today(&admin.actor()).await {
            Ok(t) => today_lines(&t, &layout),
            Err(e) => return error::internal(req, &e),
        }
    } else {
        Vec::new()
    };
    html(
        StatusCode::OK,
        &FlowsPage {
            layout,
            stats,
            today,
            cards,
            audit,
        },
    )
}

/// What waits on an operator, each with where it is done, in the console's language.
fn today_lines(t: &crate::engine::Today, layout: &AdminLayout) -> Vec<(String, String)> {
    let counted = [
        (
            usize::try_from(t.approvals_waiting).unwrap_or_default(),
            "/admin/approvals",
            "ui.today.approvals",
        ),
        (
            t.renewals_asked,
            "/admin/invitations?status=renewal",
            "ui.today.renewals",
        ),
        (t.mail_failed, "#outbox-failed", "ui.today.mail_failed"),
        (
            t.deliveries_failed,
            "/admin/deliveries",
            "ui.today.deliveries_failed",
        ),
    ];
    let mut lines: Vec<(String, String)> = counted
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, href, key)| (href.to_owned(), layout.t1(key, "count", n)))
        .collect();
    for flow_type in &t.flows_disabled {
        lines.push((
            super::flow_url(*flow_type),
            layout.t1(
                "ui.today.flow_off",
                "flow",
                layout.flow_label(flow_type.as_str()),
            ),
        ));
    }
    for drop in &t.funnel_drops {
        lines.push((
            format!("/admin/funnel?type={}&period=7d", drop.flow_type.as_str()),
            layout.tr.t_args(
                "ui.today.funnel_drop",
                &[
                    ("flow", layout.flow_label(drop.flow_type.as_str())),
                    ("now", drop.now.to_string()),
                    ("before", drop.before.to_string()),
                ],
            ),
        ));
    }
    if t.invitations_unopened > 0 {
        lines.push((
            "/admin/invitations?status=pending".to_owned(),
            layout.t1("ui.today.unopened", "count", t.invitations_unopened),
        ));
    }
    lines
}

async fn show_home(admin: Admin) -> HttpResponse {
    flows_page(admin, true).await
}

async fn show_flows(admin: Admin) -> HttpResponse {
    flows_page(admin, false).await
}

/// One step as a read-only summary: what it shows or runs, and where it leads.
pub struct StepSummary {
    pub id: String,
    pub kind: &'static str,
    /// The kind in the console's language.
    pub kind_label: String,
    pub is_start: bool,
    pub lines: Vec<super::editor::Summary>,
    /// (what, target)
    pub edges: Vec<(String, String)>,
    pub previewable: bool,
}

pub fn summarize(def: &FlowDefinition, tr: &crate::i18n::Tr) -> Vec<StepSummary> {
    def.steps
        .iter()
        .map(|step| {
            let (kind, edges, previewable) = match &step.kind {
                StepKind::View { actions, .. } => (
                    "View",
                    actions
                        .iter()
                        .map(|a| {
                            (
                                tr.t_args(
                                    "ui.builder.edge.button",
                                    &[("button", a.button.clone())],
                                ),
                                a.next.clone(),
                            )
                        })
                        .collect(),
                    true,
                ),
                StepKind::Task { executor, next, .. } => (
                    "Task",
                    std::iter::once((
                        tr.t_args("ui.builder.edge.runs", &[("task", format!("{executor:?}"))]),
                        String::new(),
                    ))
                    .chain(next.iter().map(|(o, n)| {
                        (
                            tr.t_args("ui.builder.edge.outcome", &[("outcome", o.to_string())]),
                            n.clone(),
                        )
                    }))
                    .collect(),
                    false,
                ),
                StepKind::Rule {
                    branches,
                    otherwise,
                } => (
                    "Decision",
                    branches
                        .iter()
                        .enumerate()
                        .map(|(i, b)| {
                            (
                                tr.t_args(
                                    "ui.builder.edge.branch",
                                    &[("n", (i + 1).to_string()), ("when", b.when.summary())],
                                ),
                                b.next.clone(),
                            )
                        })
                        .chain([(tr.t("ui.builder.edge.otherwise"), otherwise.clone())])
                        .collect(),
                    false,
                ),
                StepKind::End { .. } => ("End", Vec::new(), true),
            };
            StepSummary {
                id: step.id.clone(),
                kind,
                kind_label: tr.t(&format!("ui.builder.kind.{}", kind.to_lowercase())),
                is_start: step.id == def.start,
                lines: flatten(step.components())
                    .into_iter()
                    .map(|c| super::editor::component_summary(c, tr))
                    .collect(),
                edges,
                previewable,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/flow.html")]
struct FlowPage {
    layout: AdminLayout,
    flow_type: &'static str,
    label: String,
    enabled: bool,
    published: Option<VersionFacts>,
    definition: Option<FlowDefinition>,
    diagram: String,
    steps: Vec<StepSummary>,
    has_draft: bool,
    /// (id, name) of the starter templates of this type.
    templates: Vec<(&'static str, String)>,
    preview_base: String,
}

async fn show_flow(AdminFlow { admin, flow_type }: AdminFlow) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let facts = async {
        let facts = state.engine.flow_facts(flow_type).await?;
        let published = facts.published().cloned();
        let definition = match &published {
            Some(p) => state.engine.flow_version(p.id).await?.map(|r| r.definition),
            None => None,
        };
        Ok::<_, crate::engine::EngineError>((
            published,
            definition,
            facts.draft.is_some(),
            facts.enabled,
        ))
    };
    let (published, definition, has_draft, enabled) = match facts.await {
        Ok(f) => f,
        Err(e) => return error::internal(req, &e),
    };
    let diagram = definition
        .as_ref()
        .map(|d| {
            let href = |step: &str| format!("#step-{step}");
            super::diagram::render(d, &[], &href, &admin.console_tr())
        })
        .unwrap_or_default();
    let label = admin.t(&format!(
        "ui.flow_type.{}",
        flow_type.as_str().to_lowercase()
    ));
    let page = FlowPage {
        layout: admin
            .layout(label.clone())
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb("/admin/flows", admin.t("ui.flows.title")),
        flow_type: flow_type.as_str(),
        label,
        enabled,
        published: published.as_ref().map(VersionFacts::of),
        steps: definition
            .as_ref()
            .map(|d| summarize(d, &admin.console_tr()))
            .unwrap_or_default(),
        definition,
        diagram,
        has_draft,
        templates: templates_of(flow_type),
        preview_base: format!(
            "{}/versions/{}/preview",
            flow_url(flow_type),
            published.as_ref().map_or(0, |p| p.version)
        ),
    };
    html(StatusCode::OK, &page)
}

pub fn templates_of(flow_type: FlowType) -> Vec<(&'static str, String)> {
    starter::all()
        .iter()
        .filter(|t| t.flow_type == flow_type)
        .filter_map(|t| Some((t.id, t.definition().ok()?.name)))
        .collect()
}

async fn set_enabled(
    FlowPost {
        admin,
        flow_type,
        form,
    }: FlowPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let enabled = match form.get("enabled") {
        Some("true") => true,
        Some("false") => false,
        _ => {
            return failed(
                session,
                &flow_url(flow_type),
                &admin.t("ui.builder.flow.choose_enabled"),
            );
        }
    };
    if let Err(e) = state
        .engine
        .set_flow_enabled(flow_type, enabled, &admin.actor())
        .await
    {
        return error::internal(req, &e);
    }
    let label = admin.t(&format!(
        "ui.flow_type.{}",
        flow_type.as_str().to_lowercase()
    ));
    let key = if enabled {
        "ui.builder.flow.now_enabled"
    } else {
        "ui.builder.flow.now_disabled"
    };
    let message = admin.console_tr().t_args(key, &[("flow", label)]);
    done(session, &flow_url(flow_type), &message)
}

/// `source` is `published` or `template:ID`.
async fn start_draft(
    FlowPost {
        admin,
        flow_type,
        form,
    }: FlowPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let back = flow_url(flow_type);
    let source = form.text("source");
    let start = if source == "published" {
        DraftStart::Published
    } else if let Some(template) = source
        .strip_prefix("template:")
        .and_then(starter::by_id)
        .filter(|t| t.flow_type == flow_type)
    {
        match template.definition() {
            Ok(d) => DraftStart::Definition(d, format!("template {}", template.id)),
            Err(e) => return error::internal(req, &e),
        }
    } else {
        return failed(session, &back, &admin.t("ui.builder.flow.choose_source"));
    };
    match state
        .engine
        .start_draft(flow_type, start, &admin.actor())
        .await
    {
        Ok(Ok(from)) => done(
            session,
            &format!("{back}/draft"),
            &admin
                .console_tr()
                .t_args("ui.builder.flow.started", &[("from", from)]),
        ),
        Ok(Err(None)) => failed(session, &back, &admin.t("ui.builder.flow.no_published")),
        Ok(Err(Some(DraftProblem::Exists))) => failed(
            session,
            &format!("{back}/draft"),
            &admin.t("ui.builder.flow.draft_exists"),
        ),
        Ok(Err(Some(_))) => failed(session, &back, &admin.t("ui.builder.flow.not_started")),
        Err(e) => error::internal(req, &e),
    }
}

/// Puts a mail the outbox gave up on back in the queue and wakes the worker.
async fn retry_mail(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state.engine.retry_failed_mail(&path, &admin.actor()).await {
        Ok(true) => {}
        Ok(false) => {
            return failed(session, "/admin#outbox", &admin.t("ui.home.not_retried"));
        }
        Err(e) => return error::internal(req, &e),
    }
    done(session, "/admin#outbox", &admin.t("ui.home.retried"))
}
