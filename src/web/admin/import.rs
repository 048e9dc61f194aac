//! Import: a JSON definition, uploaded as a file or pasted, becomes the draft. JSON that
//! does not parse is refused with its line, column and what was expected; a definition that
//! parses but does not validate is kept as the draft, with its problems listed there.

use super::{
    Admin, AdminFlow, AdminLayout, AdminUpload, TextUpload, UploadProblem, done, flow_type_of,
    flow_url, not_found,
};
use crate::engine::{FlowDefinition, FlowType};
use crate::web::error;
use crate::web::page::html;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/flows/{type}/import", web::get().to(show_import))
        .route("/admin/flows/{type}/import", web::post().to(import));
}

/// A definition is a few kilobytes; this leaves room for the largest sensible one.
const MAX_IMPORT: usize = 512 * 1024;

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    layout: AdminLayout,
    flow_type: &'static str,
    pasted: String,
    errors: Vec<(String, String)>,
    error: Option<String>,
    has_draft: bool,
}

async fn import_page(
    admin: &Admin,
    flow_type: FlowType,
    pasted: String,
    error: Option<String>,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let has_draft = match state.engine.draft(flow_type).await {
        Ok(d) => d.is_some(),
        Err(e) => return error::internal(req, &e),
    };
    let status = super::form_status(error.is_some());
    let page = ImportPage {
        layout: admin
            .layout("")
            .retitle("ui.builder.import.title")
            .under_flow(flow_type),
        flow_type: flow_type.as_str(),
        pasted,
        errors: error
            .iter()
            .map(|e| ("definition".to_owned(), e.clone()))
            .collect(),
        error,
        has_draft,
    };
    html(status, &page)
}

async fn show_import(AdminFlow { admin, flow_type }: AdminFlow) -> HttpResponse {
    import_page(&admin, flow_type, String::new(), None).await
}

/// The import form: `csrf_token`, `file` and `definition`.
type ImportForm = TextUpload<MAX_IMPORT>;

/// serde's message without its position, which the console says in its own words.
fn json_problem(e: &serde_json::Error, tr: &crate::i18n::Tr) -> String {
    let message = e.to_string();
    let what = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(what, _)| what);
    tr.t_args(
        "ui.builder.import.unreadable_json",
        &[
            ("line", e.line().to_string()),
            ("column", e.column().to_string()),
            ("what", what.to_owned()),
        ],
    )
}

async fn import(
    path: web::Path<String>,
    AdminUpload { admin, form }: AdminUpload<ImportForm>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let Some(flow_type) = flow_type_of(&path) else {
        return not_found(req, session);
    };
    let (text, source) = if form.text("file").trim().is_empty() {
        (form.text("definition").to_owned(), "import (pasted)")
    } else {
        (form.text("file").to_owned(), "import (file)")
    };
    let refuse = |message: String| {
        import_page(
            &admin,
            flow_type,
            form.text("definition").to_owned(),
            Some(message),
        )
    };
    match form.problem {
        Some(UploadProblem::TooLarge) => {
            let kib = MAX_IMPORT / 1024;
            return refuse(
                admin
                    .console_tr()
                    .t_args("ui.builder.import.too_large", &[("kib", kib.to_string())]),
            )
            .await;
        }
        Some(UploadProblem::Unreadable) => {
            return refuse(admin.t("ui.builder.import.not_utf8")).await;
        }
        None => {}
    }
    if text.trim().is_empty() {
        return refuse(admin.t("ui.builder.import.empty")).await;
    }
    let def: FlowDefinition = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => return refuse(json_problem(&e, &admin.console_tr())).await,
    };
    if def.flow_type != flow_type {
        let under = admin.t(&format!(
            "ui.flow_type.{}",
            def.flow_type.as_str().to_lowercase()
        ));
        return refuse(admin.console_tr().t_args(
            "ui.builder.import.wrong_type",
            &[("type", def.flow_type.to_string()), ("flow", under)],
        ))
        .await;
    }
    let problems = match state
        .engine
        .replace_draft(&def, None, source, "flow.imported", &admin.actor())
        .await
    {
        Ok(Ok((_, problems))) => problems.len(),
        Ok(Err(_)) => {
            return error::internal(req, &"a draft replaced without a revision was refused");
        }
        Err(e) => return error::internal(req, &e),
    };
    let message = if problems == 0 {
        admin.t("ui.builder.import.done")
    } else {
        admin.console_tr().t_args(
            "ui.builder.import.done_problems",
            &[("count", problems.to_string())],
        )
    };
    done(session, &format!("{}/draft", flow_url(flow_type)), &message)
}
