//! Settings › client applications of the Flow Execution API: the `applicationId` a client
//! sends, the origins whose browsers may call the API, the return URL a finished flow
//! redirects to, its own start limit, and whether its clients must sign their calls. Every
//! change is an engine act (the same as `flows app …`); this module only reads the forms
//! and renders.

use super::ConfirmPage;
use super::{Admin, AdminLayout, AdminPost, done, failed};
use crate::engine::{ApplicationDraft, ApplicationRefusal, FieldProblems, starts_problem};
use crate::store::ApplicationRow;
use crate::web::admin::FormFields;
use crate::web::error;
use crate::web::page::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

const PATH: &str = "/admin/settings/applications";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(show_applications))
        .route(PATH, web::post().to(register))
        .route(
            "/admin/settings/applications/access",
            web::post().to(save_access),
        )
        .route(
            "/admin/settings/applications/{id}",
            web::get().to(show_application),
        )
        .route("/admin/settings/applications/{id}", web::post().to(change))
        .route(
            "/admin/settings/applications/{id}/key",
            web::post().to(new_key),
        )
        .route(
            "/admin/settings/applications/{id}/proof",
            web::post().to(drop_proof),
        )
        .route(
            "/admin/settings/applications/{id}/delete",
            web::get().to(confirm_delete),
        )
        .route(
            "/admin/settings/applications/{id}/delete",
            web::post().to(delete),
        );
}

pub struct AppLine {
    pub id: String,
    pub name: String,
    pub return_url: String,
    pub origins: Vec<String>,
    pub created: String,
    /// New flows its clients may start each minute; 0: no limit of its own.
    pub starts_per_minute: u32,
    pub proof: bool,
}

impl From<ApplicationRow> for AppLine {
    fn from(a: ApplicationRow) -> Self {
        Self {
            starts_per_minute: a.starts_per_minute,
            proof: a.proof.is_some(),
            created: super::when(a.created_at),
            id: a.id,
            name: a.name,
            return_url: a.return_url,
            origins: a.allowed_origins,
        }
    }
}

/// How to sign a start from a shell, shown under a new key: code, the same in every language.
pub const SIGN_SHELL: &str = r#"t=$(date +%s); n=$(openssl rand -hex 16)
v1=$(printf '%s' "$t.$n.REGISTRATION" | openssl dgst -sha256 -hmac "$KEY" -r | cut -d' ' -f1)
curl -H "Flows-Client-Proof: t=$t,n=$n,v1=$v1" …"#;

/// A key just made: (application name, key). Shown on the answer to the POST that made it,
/// never stored, never in the session.
type NewKey = Option<(String, String)>;

/// The form as typed: name, return URL, origins (one a line), starts per minute.
type Typed = [String; 4];

#[derive(Template)]
#[template(path = "admin/applications.html")]
struct ApplicationsPage {
    layout: AdminLayout,
    apps: Vec<AppLine>,
    errors: Vec<(String, String)>,
    typed: Typed,
    require_proof: bool,
    field_errors: Worded,
    new_key: NewKey,
    /// API starts need an applicationId.
    require_application: bool,
}

impl ApplicationsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.field_errors, field)
    }
}

#[derive(Template)]
#[template(path = "admin/application.html")]
struct ApplicationPage {
    layout: AdminLayout,
    app: AppLine,
    errors: Vec<(String, String)>,
    typed: Typed,
    field_errors: Worded,
    new_key: NewKey,
}

impl ApplicationPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.field_errors, field)
    }
}

/// (field, message) of each problem, in the console's language.
type Worded = Vec<(&'static str, String)>;

fn worded(admin: &Admin, problems: &FieldProblems) -> Worded {
    let tr = admin.console_tr();
    problems.iter().map(|(f, m)| (*f, m.in_(&tr))).collect()
}

fn summary(field_errors: &[(&'static str, String)]) -> Vec<(String, String)> {
    field_errors
        .iter()
        .map(|(f, m)| ((*f).to_owned(), m.clone()))
        .collect()
}

/// The form's draft, or every problem with it (the limit's as well as the engine's); and
/// the form as typed.
fn read_form(form: &FormFields) -> (Result<ApplicationDraft, FieldProblems>, Typed) {
    let raw_origins = form.get("origins").unwrap_or_default().to_owned();
    let raw_starts = form.text("starts_per_minute");
    let typed = [
        form.text("name"),
        form.text("return_url"),
        raw_origins.clone(),
        raw_starts.clone(),
    ];
    let starts = match raw_starts.trim() {
        "" => Some(0),
        raw => raw.parse::<u32>().ok(),
    };
    let draft = ApplicationDraft {
        name: typed[0].clone(),
        return_url: typed[1].clone(),
        origins: raw_origins.lines().map(str::to_owned).collect(),
        starts_per_minute: starts.unwrap_or_default(),
    };
    if starts.is_some() {
        return (Ok(draft), typed);
    }
    let mut problems = draft.problems();
    problems.push(("starts_per_minute", starts_problem()));
    (Err(problems), typed)
}

fn typed_of(app: &ApplicationRow) -> Typed {
    [
        app.name.clone(),
        app.return_url.clone(),
        app.allowed_origins.join("\n"),
        app.starts_per_minute.to_string(),
    ]
}

#[derive(Default)]
struct ListView {
    typed: Typed,
    require_proof: bool,
    field_errors: FieldProblems,
    new_key: NewKey,
}

async fn list_page(admin: &Admin, view: ListView) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let apps = match state.engine.applications().await {
        Ok(a) => a,
        Err(e) => return error::internal(req, &e),
    };
    let field_errors = worded(admin, &view.field_errors);
    let page = ApplicationsPage {
        layout: admin
            .settings_layout("")
            .retitle("ui.admin.applications.title")
            .section("applications"),
        apps: apps.into_iter().map(AppLine::from).collect(),
        errors: summary(&field_errors),
        typed: view.typed,
        require_proof: view.require_proof,
        new_key: view.new_key,
        require_application: state.engine.settings().api_requires_application,
        field_errors,
    };
    html(super::form_status(!page.field_errors.is_empty()), &page)
}

async fn show_applications(admin: Admin) -> HttpResponse {
    list_page(&admin, ListView::default()).await
}

/// Answers with the page itself when a key was made (200, not a redirect): a redirect would
/// need the key kept somewhere until the next request.
async fn register(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let require_proof = form.get("require_proof").is_some();
    let (draft, typed) = read_form(&form);
    let refused = |field_errors| ListView {
        typed: typed.clone(),
        require_proof,
        field_errors,
        new_key: None,
    };
    let draft = match draft {
        Ok(d) => d,
        Err(problems) => {
            return list_page(&admin, refused(problems)).await;
        }
    };
    let registered = match state
        .engine
        .register_application(&draft, require_proof, &admin.actor())
        .await
    {
        Ok(Ok(r)) => r,
        Ok(Err(ApplicationRefusal::Fields(problems))) => {
            return list_page(&admin, refused(problems)).await;
        }
        Ok(Err(ApplicationRefusal::Gone)) => {
            return failed(session, PATH, &admin.t("ui.admin.nothing_changed"));
        }
        Err(e) => return error::internal(req, &e),
    };
    let message = admin.console_tr().t_args(
        "ui.admin.applications.registered_one",
        &[
            ("name", registered.app.name.clone()),
            ("id", registered.app.id.clone()),
        ],
    );
    match registered.key {
        Some(key) => {
            crate::web::session::set_admin_flash(session, &message, false);
            let view = ListView {
                new_key: Some((registered.app.name, key)),
                ..ListView::default()
            };
            list_page(&admin, view).await
        }
        None => done(session, PATH, &message),
    }
}

async fn save_access(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let require = form.get("require_application").is_some();
    if let Err(e) = state.engine.save_api_access(require, &admin.actor()).await {
        return error::internal(req, &e);
    }
    let message = if require {
        admin.t("ui.admin.applications.access_required")
    } else {
        admin.t("ui.admin.applications.access_open")
    };
    done(session, PATH, &message)
}

async fn app_page(
    admin: &Admin,
    id: &str,
    edit: Option<(Typed, FieldProblems)>,
    new_key: NewKey,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let app = match super::found(req, state.engine.application(id)).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let (typed, problems) = edit.unwrap_or_else(|| (typed_of(&app), Vec::new()));
    let field_errors = worded(admin, &problems);
    let page = ApplicationPage {
        layout: admin
            .settings_layout(app.name.clone())
            .crumb(PATH, admin.t("ui.admin.applications.title"))
            .section("applications"),
        app: app.into(),
        errors: summary(&field_errors),
        typed,
        field_errors,
        new_key,
    };
    html(super::form_status(!page.field_errors.is_empty()), &page)
}

async fn show_application(admin: Admin, path: web::Path<String>) -> HttpResponse {
    app_page(&admin, &path, None, None).await
}

fn gone(admin: &Admin) -> HttpResponse {
    failed(
        admin.parts().1,
        PATH,
        &admin.t("ui.admin.applications.gone"),
    )
}

async fn change(path: web::Path<String>, AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (draft, typed) = read_form(&form);
    let refused = |problems| Some((typed.clone(), problems));
    let draft = match draft {
        Ok(d) => d,
        Err(problems) => {
            let edit = refused(problems);
            return app_page(&admin, &path, edit, None).await;
        }
    };
    match state
        .engine
        .change_application(&path, &draft, &admin.actor())
        .await
    {
        Ok(Ok(app)) => done(
            session,
            &format!("{PATH}/{}", app.id),
            &admin
                .console_tr()
                .t_args("ui.admin.applications.saved", &[("name", app.name.clone())]),
        ),
        Ok(Err(ApplicationRefusal::Fields(problems))) => {
            let edit = refused(problems);
            app_page(&admin, &path, edit, None).await
        }
        Ok(Err(ApplicationRefusal::Gone)) => gone(&admin),
        Err(e) => error::internal(req, &e),
    }
}

/// Requires a proof with a new key and shows the key on the answer, this once.
async fn new_key(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let new_key = match state
        .engine
        .new_application_key(&path, &admin.actor())
        .await
    {
        Ok(Ok((app, key))) => Some((app.name, key)),
        Ok(Err(_)) => return gone(&admin),
        Err(e) => return error::internal(req, &e),
    };
    app_page(&admin, &path, None, new_key).await
}

async fn drop_proof(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state
        .engine
        .drop_application_proof(&path, &admin.actor())
        .await
    {
        Ok(Ok(app)) => done(
            session,
            &format!("{PATH}/{}", app.id),
            &admin.console_tr().t_args(
                "ui.admin.applications.proof_dropped",
                &[("name", app.name.clone())],
            ),
        ),
        Ok(Err(_)) => gone(&admin),
        Err(e) => error::internal(req, &e),
    }
}

async fn confirm_delete(admin: Admin, path: web::Path<String>) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let app = match super::found(req, state.engine.application(&path)).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let tr = admin.console_tr();
    let name = [("name", app.name.clone())];
    let page = ConfirmPage {
        layout: admin
            .layout(tr.t_args("ui.admin.application.delete", &name))
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb(PATH, admin.t("ui.admin.applications.title"))
            .section("applications"),
        heading: tr.t_args("ui.admin.application.delete_ask", &name),
        paragraphs: vec![admin.t("ui.admin.application.delete_what")],
        items: Vec::new(),
        action: format!("{PATH}/{}/delete", app.id),
        hidden: Vec::new(),
        confirm: tr.t_args("ui.admin.application.delete", &name),
        cancel: PATH.into(),
    };
    html(StatusCode::OK, &page)
}

async fn delete(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state.engine.delete_application(&path, &admin.actor()).await {
        Ok(Ok(app)) => done(
            session,
            PATH,
            &admin
                .console_tr()
                .t_args("ui.admin.applications.deleted", &[("name", app.name)]),
        ),
        Ok(Err(_)) => gone(&admin),
        Err(e) => error::internal(req, &e),
    }
}
