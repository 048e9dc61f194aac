//! Settings › client applications of the Flow Execution API: the `applicationId` a client
//! sends, the origins whose browsers may call the API, and the return URL a finished flow
//! redirects to. The same checks as `flows app create`.

use super::ConfirmPage;
use super::{AdminLayout, AdminPost, audit, done, failed, require_admin};
use crate::domain::{parse_origin, parse_return_url};
use crate::store::{AdminRow, ApplicationRow};
use crate::web::pages::html;
use crate::web::{AppState, error};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

const PATH: &str = "/admin/settings/applications";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(show_applications))
        .route(PATH, web::post().to(create_application))
        .route(
            "/admin/settings/applications/{id}/delete",
            web::get().to(confirm_delete),
        )
        .route(
            "/admin/settings/applications/{id}/delete",
            web::post().to(delete_application),
        );
}

pub struct AppLine {
    pub id: String,
    pub name: String,
    pub return_url: String,
    pub origins: Vec<String>,
    pub created: String,
    /// "30 a minute", or "no limit of its own".
    pub starts: String,
}

#[derive(Template)]
#[template(path = "admin/applications.html")]
struct ApplicationsPage {
    layout: AdminLayout,
    apps: Vec<AppLine>,
    errors: Vec<(String, String)>,
    /// The form as typed: name, return URL, origins, starts per minute.
    typed: [String; 4],
    /// (field, message) beside each refused field.
    field_errors: Vec<(&'static str, String)>,
}

impl ApplicationsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.field_errors, field)
    }
}

async fn page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    admin: &AdminRow,
    typed: [String; 4],
    field_errors: Vec<(&'static str, String)>,
) -> HttpResponse {
    let apps = match state.engine.store().applications().await {
        Ok(a) => a,
        Err(e) => return error::internal(req, &e),
    };
    let status = super::form_status(!field_errors.is_empty());
    let page = ApplicationsPage {
        layout: AdminLayout::new(req, session, Some(admin), "Client applications")
            .crumb("/admin", "Console")
            .section("applications"),
        apps: apps
            .into_iter()
            .map(|a| AppLine {
                id: a.id,
                name: a.name,
                return_url: a.return_url,
                origins: a.allowed_origins,
                created: super::when(a.created_at),
                starts: match a.starts_per_minute {
                    0 => "no limit of its own".to_owned(),
                    n => format!("{n} a minute"),
                },
            })
            .collect(),
        errors: field_errors
            .iter()
            .map(|(f, m)| ((*f).to_owned(), m.clone()))
            .collect(),
        typed,
        field_errors,
    };
    html(status, &page)
}

async fn show_applications(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
) -> HttpResponse {
    match require_admin(&req, &session, &state).await {
        Ok(admin) => {
            page(
                &req,
                &session,
                &state,
                &admin,
                Default::default(),
                Vec::new(),
            )
            .await
        }
        Err(refused) => refused,
    }
}

async fn create_application(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    AdminPost { admin, form }: AdminPost,
) -> HttpResponse {
    let name = form.text("name");
    let return_url = form.text("return_url");
    let raw_origins = form.get("origins").unwrap_or_default().to_owned();
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.push((
            "name",
            "Give the application a name of up to 100 characters.".to_owned(),
        ));
    }
    let return_url = match parse_return_url(&return_url) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(("return_url", format!("{e}.")));
            None
        }
    };
    let mut origins = Vec::new();
    for line in raw_origins.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parse_origin(line) {
            Ok(o) => origins.push(o),
            Err(e) => {
                errors.push(("origins", format!("{e}.")));
                break;
            }
        }
    }
    let raw_starts = form.text("starts_per_minute");
    let starts_per_minute = match raw_starts.trim() {
        "" => Some(0),
        raw => raw.parse::<u32>().ok().filter(|n| *n <= 100_000),
    };
    if starts_per_minute.is_none() {
        errors.push((
            "starts_per_minute",
            "Write a whole number from 0 (no limit of its own) to 100000.".to_owned(),
        ));
    }
    let typed = [
        name.clone(),
        form.text("return_url"),
        raw_origins.clone(),
        raw_starts,
    ];
    let Some(return_url) = return_url.filter(|_| errors.is_empty()) else {
        return page(&req, &session, &state, &admin, typed, errors).await;
    };
    let app = ApplicationRow {
        id: uuid::Uuid::new_v4().simple().to_string(),
        name: name.clone(),
        allowed_origins: origins,
        return_url,
        created_at: state.engine.now(),
        starts_per_minute: starts_per_minute.unwrap_or(0),
    };
    let store = state.engine.store();
    match store.create_application(&app).await {
        Ok(true) => {}
        Ok(false) => {
            let errors = vec![("name", "An application of that name exists.".to_owned())];
            return page(&req, &session, &state, &admin, typed, errors).await;
        }
        Err(e) => return error::internal(&req, &e),
    }
    let entry = audit(
        &req,
        &admin,
        "application.created",
        Some(format!("application:{}", app.id)),
        serde_json::json!({
            "name": app.name,
            "origins": app.allowed_origins,
            "startsPerMinute": app.starts_per_minute,
        }),
    );
    if let Err(e) = store.audit(&entry, state.engine.now()).await {
        return error::internal(&req, &e);
    }
    done(
        &session,
        PATH,
        &format!(
            "Application {name} registered: its applicationId is {}.",
            app.id
        ),
    )
}

async fn confirm_delete(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let admin = match require_admin(&req, &session, &state).await {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    let app = match state.engine.store().application(&path).await {
        Ok(Some(a)) => a,
        Ok(None) => return super::not_found(&req, &session),
        Err(e) => return error::internal(&req, &e),
    };
    let page = ConfirmPage {
        layout: AdminLayout::new(&req, &session, Some(&admin), format!("Delete {}", app.name))
            .crumb("/admin", "Console")
            .crumb(PATH, "Client applications")
            .section("applications"),
        heading: format!("Delete the application {}?", app.name),
        paragraphs: vec![
            "Its clients can still run flows, but a finished flow no longer redirects to its return URL, and browsers on its origins can no longer call the API.".into(),
        ],
        items: Vec::new(),
        action: format!("{PATH}/{}/delete", app.id),
        hidden: Vec::new(),
        confirm: format!("Delete {}", app.name),
        cancel: PATH.into(),
    };
    html(StatusCode::OK, &page)
}

async fn delete_application(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let store = state.engine.store();
    let app = match store.application(&path).await {
        Ok(Some(a)) => a,
        Ok(None) => return failed(&session, PATH, "That application no longer exists."),
        Err(e) => return error::internal(&req, &e),
    };
    if let Err(e) = store.delete_application(&app.id).await {
        return error::internal(&req, &e);
    }
    let entry = audit(
        &req,
        &admin,
        "application.deleted",
        Some(format!("application:{}", app.id)),
        serde_json::json!({ "name": app.name }),
    );
    if let Err(e) = store.audit(&entry, state.engine.now()).await {
        return error::internal(&req, &e);
    }
    done(
        &session,
        PATH,
        &format!("Application {} deleted.", app.name),
    )
}
