//! A language's texts as a Fluent file: downloaded for a translator, uploaded back. The
//! engine checks the whole file first; a refused one changes nothing and comes back with
//! each problem and its line.

use super::{Admin, AdminLayout, AdminUpload, TextUpload, UploadProblem, done};
use crate::i18n::{FileProblem, Locale};
use crate::web::error;
use crate::web::page::html;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/messages/export", web::get().to(export))
        .route("/admin/messages/import", web::post().to(import));
}

/// The built-in catalogues are some 30 KiB a language; this leaves room for long texts.
const MAX_FILE: usize = 512 * 1024;

/// The upload form: `csrf_token`, `lang` and `file`.
type ImportForm = TextUpload<MAX_FILE>;

#[derive(serde::Deserialize)]
struct ExportQuery {
    #[serde(default)]
    lang: String,
}

async fn export(admin: Admin, query: web::Query<ExportQuery>) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let Some(locale) = Locale::from_tag(&query.lang) else {
        return super::not_found(req, session);
    };
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"flows-{}.ftl\"", locale.tag()),
        ))
        .body(state.engine.export_messages(locale))
}

#[derive(Template)]
#[template(path = "admin/texts_import.html")]
struct RefusedPage {
    layout: AdminLayout,
    language: &'static str,
    errors: Vec<(String, String)>,
    problems: Vec<FileProblem>,
}

async fn refused(
    admin: &Admin,
    locale: Option<Locale>,
    problems: Vec<FileProblem>,
) -> HttpResponse {
    let layout = admin.section_layout("", "messages");
    let texts = layout.t("ui.texts.title");
    let layout = layout
        .retitle("ui.texts.import.refused")
        .crumb("/admin/messages", texts);
    let page = RefusedPage {
        language: locale.map_or("", Locale::name),
        errors: vec![(
            "import-problems".into(),
            layout.t1("ui.texts.import.count", "count", problems.len()),
        )],
        layout,
        problems,
    };
    html(super::form_status(true), &page)
}

fn problem(message: String) -> Vec<FileProblem> {
    vec![FileProblem { line: 1, message }]
}

async fn import(AdminUpload { admin, form }: AdminUpload<ImportForm>) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let locale = Locale::from_tag(form.text("lang"));
    match form.problem {
        Some(UploadProblem::TooLarge) => {
            let kib = MAX_FILE / 1024;
            return refused(
                &admin,
                locale,
                problem(
                    admin
                        .console_tr()
                        .t_args("ui.texts.import.too_large", &[("kib", kib.to_string())]),
                ),
            )
            .await;
        }
        Some(UploadProblem::Unreadable) => {
            return refused(&admin, locale, problem(admin.t("ui.texts.import.not_utf8"))).await;
        }
        None => {}
    }
    let Some(locale) = locale else {
        return refused(
            &admin,
            None,
            problem(admin.t("ui.texts.import.no_language")),
        )
        .await;
    };
    if form.text("file").trim().is_empty() {
        return refused(
            &admin,
            Some(locale),
            problem(admin.t("ui.texts.import.no_file")),
        )
        .await;
    }
    let report = match state
        .engine
        .import_messages(locale, form.text("file"), &admin.actor())
        .await
    {
        Ok(Ok(report)) => report,
        Ok(Err(problems)) => return refused(&admin, Some(locale), problems).await,
        Err(e) => return error::internal(req, &e),
    };
    let message = admin.console_tr().t_args(
        "ui.texts.imported",
        &[
            ("language", locale.name().to_owned()),
            ("changed", report.changed.len().to_string()),
            ("reset", report.reset.len().to_string()),
            ("unchanged", report.unchanged.to_string()),
        ],
    );
    done(session, "/admin/messages", &message)
}
