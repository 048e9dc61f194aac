//! Version history: the list, one version read-only, a diff in words between any two (or
//! the draft), roll-back (an old version published again as a new one), JSON download.

use super::flows::{StepSummary, VersionFacts, summarize};
use super::when;
use super::{AdminFlow, AdminLayout, FlowPost, done, failed, flow_url, not_found};
use crate::engine::diff::{Change, ChangeKind, diff};
use crate::engine::{FlowDefinition, FlowType};
use crate::i18n::Tr;
use crate::store::VersionSummary;
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/flows/{type}/versions", web::get().to(show_versions))
        .route(
            "/admin/flows/{type}/versions/{n}",
            web::get().to(show_version),
        )
        .route(
            "/admin/flows/{type}/versions/{n}/export",
            web::get().to(export_version),
        )
        .route(
            "/admin/flows/{type}/versions/{n}/rollback",
            web::post().to(roll_back),
        )
        .route(
            "/admin/flows/{type}/draft/export",
            web::get().to(export_draft),
        )
        .route("/admin/flows/{type}/diff", web::get().to(show_diff));
}

pub struct VersionLine {
    pub facts: VersionFacts,
    pub status: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "admin/versions.html")]
struct VersionsPage {
    layout: AdminLayout,
    flow_type: &'static str,
    versions: Vec<VersionLine>,
    has_draft: bool,
    published: Option<i64>,
}

async fn show_versions(AdminFlow { admin, flow_type }: AdminFlow) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let (versions, draft) = match state.engine.flow_facts(flow_type).await {
        Ok(facts) => (facts.versions, facts.draft),
        Err(e) => return error::internal(req, &e),
    };
    let page = VersionsPage {
        layout: admin
            .layout("")
            .retitle("ui.builder.history")
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb("/admin/flows", admin.t("ui.flows.title"))
            .crumb(
                flow_url(flow_type),
                admin.t(&format!(
                    "ui.flow_type.{}",
                    flow_type.as_str().to_lowercase()
                )),
            ),
        flow_type: flow_type.as_str(),
        published: versions
            .iter()
            .find(|v| v.status == "PUBLISHED")
            .map(|v| v.version),
        versions: versions
            .iter()
            .map(|v: &VersionSummary| VersionLine {
                facts: VersionFacts::of(v),
                status: admin.t(match v.status.as_str() {
                    "PUBLISHED" => "ui.builder.live",
                    "ARCHIVED" => "ui.builder.versions.replaced",
                    _ => "ui.builder.versions.not_published",
                }),
                note: v.note.clone().unwrap_or_default(),
            })
            .collect(),
        has_draft: draft.is_some(),
    };
    html(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "admin/version.html")]
struct VersionPage {
    layout: AdminLayout,
    flow_type: &'static str,
    version: i64,
    live: bool,
    facts: VersionFacts,
    note: String,
    name: String,
    description: String,
    diagram: String,
    steps: Vec<StepSummary>,
    preview_base: String,
}

async fn show_version(
    AdminFlow { admin, flow_type }: AdminFlow,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (_, number) = path.into_inner();
    let versions = match state.engine.flow_versions(flow_type).await {
        Ok(v) => v,
        Err(e) => return error::internal(req, &e),
    };
    let Some(summary) = versions.iter().find(|v| v.version == number) else {
        return not_found(req, session);
    };
    let def = match state.engine.flow_version(summary.id).await {
        Ok(Some(row)) => row.definition,
        Ok(None) => return not_found(req, session),
        Err(e) => return error::internal(req, &e),
    };
    let href = |step: &str| format!("#step-{step}");
    let page = VersionPage {
        layout: under_history(
            &admin,
            flow_type,
            admin
                .console_tr()
                .t_args("ui.builder.version_n", &[("version", number.to_string())]),
        ),
        flow_type: flow_type.as_str(),
        version: number,
        live: summary.status == "PUBLISHED",
        facts: VersionFacts::of(summary),
        note: summary.note.clone().unwrap_or_default(),
        name: def.name.clone(),
        description: def.description.clone(),
        diagram: super::diagram::render(&def, &[], &href, &admin.console_tr()),
        steps: summarize(&def, &admin.console_tr()),
        preview_base: format!("{}/versions/{number}/preview", flow_url(flow_type)),
    };
    html(StatusCode::OK, &page)
}

/// A definition as the CLI writes it, as a download.
fn json_download(def: &FlowDefinition, file: &str) -> HttpResponse {
    match serde_json::to_string_pretty(def) {
        Ok(json) => HttpResponse::Ok()
            .content_type("application/json")
            .insert_header((
                "content-disposition",
                format!("attachment; filename=\"{file}\""),
            ))
            .body(json + "\n"),
        Err(e) => {
            tracing::error!(error = %e, "flow definition did not serialize");
            HttpResponse::InternalServerError().finish()
        }
    }
}

async fn export_version(
    AdminFlow { admin, flow_type }: AdminFlow,
    path: web::Path<(String, i64)>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (_, number) = path.into_inner();
    match state.engine.flow_version_by_number(flow_type, number).await {
        Ok(Some(row)) => json_download(
            &row.definition,
            &format!("{}-v{number}.json", flow_type.as_str().to_lowercase()),
        ),
        Ok(None) => not_found(req, session),
        Err(e) => error::internal(req, &e),
    }
}

async fn export_draft(AdminFlow { admin, flow_type }: AdminFlow) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state.engine.draft(flow_type).await {
        Ok(Some(d)) => json_download(
            &d.definition,
            &format!("{}-draft.json", flow_type.as_str().to_lowercase()),
        ),
        Ok(None) => not_found(req, session),
        Err(e) => error::internal(req, &e),
    }
}

async fn roll_back(
    path: web::Path<(String, i64)>,
    FlowPost {
        admin, flow_type, ..
    }: FlowPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (_, number) = path.into_inner();
    let history = format!("{}/versions", flow_url(flow_type));
    match state
        .engine
        .roll_back(flow_type, number, &admin.actor())
        .await
    {
        Ok(Some(version)) => done(
            session,
            &history,
            &admin.console_tr().t_args(
                "ui.builder.versions.rolled_back",
                &[
                    ("number", number.to_string()),
                    ("version", version.to_string()),
                ],
            ),
        ),
        Ok(None) => failed(
            session,
            &history,
            &admin.console_tr().t_args(
                "ui.builder.versions.no_such",
                &[("number", number.to_string())],
            ),
        ),
        Err(e) => error::internal(req, &e),
    }
}

#[derive(serde::Deserialize)]
struct DiffQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "admin/diff.html")]
struct DiffPage {
    layout: AdminLayout,
    flow_type: &'static str,
    from: String,
    to: String,
    /// (value, label) of what can be compared.
    choices: Vec<(String, String)>,
    changes: Vec<(&'static str, String, String)>,
    error: Option<String>,
}

/// `published`, `draft` or a version number.
async fn definition_named(
    state: &AppState,
    flow_type: FlowType,
    name: &str,
) -> Result<Option<FlowDefinition>, crate::engine::EngineError> {
    match name {
        "draft" => Ok(state.engine.draft(flow_type).await?.map(|d| d.definition)),
        "published" => Ok(state
            .engine
            .published_version(flow_type)
            .await?
            .map(|v| v.definition)),
        n => match n.parse::<i64>() {
            Ok(n) => Ok(state
                .engine
                .flow_version_by_number(flow_type, n)
                .await?
                .map(|r| r.definition)),
            Err(_) => Ok(None),
        },
    }
}

/// A change as the diff page lists it, its sentence in the administrator's language.
fn change_row(c: Change, tr: &Tr) -> (&'static str, String, String) {
    let kind = match c.kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    };
    (kind, c.step.unwrap_or_default(), c.text.in_(tr))
}

async fn show_diff(
    AdminFlow { admin, flow_type }: AdminFlow,
    query: web::Query<DiffQuery>,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let (versions, draft) = match state.engine.flow_facts(flow_type).await {
        Ok(facts) => (facts.versions, facts.draft),
        Err(e) => return error::internal(req, &e),
    };
    let mut choices: Vec<(String, String)> = Vec::new();
    if draft.is_some() {
        choices.push(("draft".into(), admin.t("ui.builder.diff.the_draft")));
    }
    choices.push(("published".into(), admin.t("ui.builder.the_published")));
    let tr = admin.console_tr();
    choices.extend(versions.iter().map(|v| {
        (
            v.version.to_string(),
            tr.t_args(
                "ui.builder.diff.choice",
                &[
                    ("version", v.version.to_string()),
                    ("name", v.name.clone()),
                    ("at", when(v.created_at)),
                ],
            ),
        )
    }));
    let from = if query.from.is_empty() {
        "published".to_owned()
    } else {
        query.from.clone()
    };
    let to = if query.to.is_empty() {
        if draft.is_some() {
            "draft".to_owned()
        } else {
            "published".to_owned()
        }
    } else {
        query.to.clone()
    };
    let (old, new) = match (
        definition_named(state, flow_type, &from).await,
        definition_named(state, flow_type, &to).await,
    ) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return error::internal(req, &e),
    };
    let (changes, error, status) = match (old, new) {
        (Some(old), Some(new)) => (
            diff(&old, &new)
                .into_iter()
                .map(|c| change_row(c, &tr))
                .collect(),
            None,
            StatusCode::OK,
        ),
        _ => (
            Vec::new(),
            Some(admin.t("ui.builder.diff.missing")),
            StatusCode::NOT_FOUND,
        ),
    };
    let page = DiffPage {
        layout: under_history(&admin, flow_type, admin.t("ui.builder.diff.title")),
        flow_type: flow_type.as_str(),
        from,
        to,
        choices,
        changes,
        error,
    };
    html(status, &page)
}

/// The layout of a page under a flow's version history.
fn under_history(
    admin: &super::Admin,
    flow_type: FlowType,
    title: impl Into<String>,
) -> AdminLayout {
    admin.layout(title).under_flow(flow_type).crumb(
        format!("{}/versions", flow_url(flow_type)),
        admin.t("ui.builder.history"),
    )
}
