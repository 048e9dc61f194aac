//! Console sign-in and sign-out, the administrator's own password, and other administrators.
//! Administrators sign in with Argon2id and the same per-address throttle as end users,
//! counted apart from theirs.

use super::{Admin, AdminLayout, AdminPost, FormFields, done};
use crate::engine::{AdminPasswordChange, AdminRefusal, RemovalRefusal, SignIn};
use crate::web::page::{SignInForm, html, see_other};
use crate::web::pages::{block_wait, blocked, rate_limited};
use crate::web::session::AdminSession;
use crate::web::{AppState, csrf, error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use secrecy::SecretString;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/login", web::get().to(show_login))
        .route("/admin/login", web::post().to(submit_login))
        .route("/admin/logout", web::post().to(logout))
        .route("/admin/account", web::get().to(show_account))
        .route("/admin/account/password", web::post().to(change_password))
        .route("/admin/account/language", web::post().to(change_language))
        .route("/admin/admins", web::get().to(show_admins))
        .route("/admin/admins", web::post().to(add_admin))
        .route(
            "/admin/admins/{id}/remove",
            web::get().to(confirm_remove_admin),
        )
        .route("/admin/admins/{id}/remove", web::post().to(remove_admin));
}

/// One text-like input of a console form.
pub struct Field {
    pub id: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub hint: Option<String>,
    pub value: String,
    pub error: Option<String>,
}

impl Field {
    pub fn new(id: &'static str, label: &'static str, kind: &'static str) -> Self {
        let autocomplete = match (id, kind) {
            (_, "email") => "email",
            ("current_password", _) => "current-password",
            (_, "password") => "new-password",
            _ => "off",
        };
        Self {
            id,
            label,
            kind,
            autocomplete,
            hint: None,
            value: String::new(),
            error: None,
        }
    }

    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}

/// Sets errors on fields by id and returns the summary list.
fn with_errors(fields: &mut [Field], errors: &[(&str, String)]) -> Vec<(String, String)> {
    for f in fields.iter_mut() {
        f.error = errors
            .iter()
            .find(|(id, _)| *id == f.id)
            .map(|(_, m)| m.clone());
    }
    errors
        .iter()
        .map(|(id, m)| ((*id).to_owned(), m.clone()))
        .collect()
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    layout: AdminLayout,
    email: String,
    next: String,
    error: Option<String>,
    expired: bool,
}

#[derive(serde::Deserialize)]
struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    expired: Option<String>,
}

/// Only a console path may follow a sign-in: never another site, and nothing a `Location`
/// header cannot carry (a line break there would be a 500, or worse, a second header).
fn safe_next(next: &str) -> &str {
    if next.starts_with("/admin")
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
    {
        next
    } else {
        "/admin"
    }
}

async fn show_login(
    req: HttpRequest,
    session: Session,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    if session::admin(&session).is_some() && query.expired.is_none() {
        return see_other(safe_next(&query.next));
    }
    let page = LoginPage {
        layout: AdminLayout::new(&req, &session, None, "").retitle("ui.login.button"),
        email: String::new(),
        next: safe_next(&query.next).to_owned(),
        error: None,
        expired: query.expired.is_some(),
    };
    html(StatusCode::OK, &page)
}

async fn submit_login(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Some(refused) = rate_limited(&req, &session) {
        return refused;
    }
    // `message` is a key of the console's catalogue, `minutes` its one variable if any.
    let page = |session: &Session, status: StatusCode, email: String, message: &str, minutes| {
        let layout = AdminLayout::new(&req, session, None, "").retitle("ui.login.button");
        let error = layout.t1(message, "minutes", minutes);
        let page = LoginPage {
            layout,
            email,
            next: safe_next(&form.next).to_owned(),
            error: Some(error),
            expired: false,
        };
        html(status, &page)
    };
    if !csrf::verify(&req, &session, Some(&form.csrf_token)) {
        return page(
            &session,
            StatusCode::FORBIDDEN,
            form.email.clone(),
            "ui.login.csrf",
            0,
        );
    }
    let password = SecretString::from(form.password.clone());
    let client = crate::web::client_address(&req);
    let admin = match state
        .engine
        .sign_in_admin(&form.email, &password, client.as_deref())
        .await
    {
        Ok(SignIn::SignedIn(admin)) => admin,
        Ok(SignIn::Wrong) => {
            return page(
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                form.email.clone(),
                "ui.login.wrong",
                0,
            );
        }
        Ok(SignIn::Blocked(until)) => {
            let (seconds, minutes) = block_wait(until, state.engine.now());
            let answer = page(
                &session,
                StatusCode::TOO_MANY_REQUESTS,
                form.email.clone(),
                "ui.login.blocked",
                minutes,
            );
            return blocked(answer, seconds);
        }
        Err(e) => return error::internal(&req, &e),
    };
    session::sign_in_admin(
        &session,
        &AdminSession {
            id: admin.id.clone(),
            auth_version: admin.auth_version,
            seen: state.engine.now().unix_timestamp(),
        },
    );
    see_other(safe_next(&form.next))
}

async fn logout(
    req: HttpRequest,
    session: Session,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let form = FormFields::new(form.into_inner());
    if csrf::verify(&req, &session, form.get("csrf_token")) {
        session::sign_out_admin(&session);
    }
    see_other("/admin/login")
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountPage {
    layout: AdminLayout,
    /// The stored choice of language ("" follows the browser), and (tag, name) of each.
    chosen: String,
    languages: Vec<(&'static str, &'static str)>,
    email: String,
    errors: Vec<(String, String)>,
    fields: Vec<Field>,
}

fn password_fields(state: &AppState, tr: &crate::i18n::Tr) -> Vec<Field> {
    let min = state.engine.settings().password_policy.min_length;
    vec![
        Field::new(
            "current_password",
            "ui.account.password.current",
            "password",
        ),
        Field {
            hint: Some(tr.t_args("ui.account.password.hint", &[("min", min.to_string())])),
            ..Field::new("new_password", "ui.account.password.new", "password")
        },
    ]
}

fn account_page(admin: &Admin, errors: &[(&str, String)]) -> HttpResponse {
    let (_, _, state) = admin.parts();
    let mut fields = password_fields(state, &admin.console_tr());
    let errors = with_errors(&mut fields, errors);
    let status = super::form_status(!errors.is_empty());
    let page = AccountPage {
        chosen: admin.locale.clone().unwrap_or_default(),
        languages: crate::i18n::Locale::all()
            .map(|l| (l.tag(), l.name()))
            .collect(),
        layout: admin
            .section_layout("", "account")
            .retitle("ui.account.title"),
        email: admin.email.clone(),
        errors,
        fields,
    };
    html(status, &page)
}

async fn show_account(admin: Admin) -> HttpResponse {
    account_page(&admin, &[])
}

async fn change_password(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let current = SecretString::from(form.get("current_password").unwrap_or_default().to_owned());
    let new = SecretString::from(form.get("new_password").unwrap_or_default().to_owned());
    let auth_version = match state
        .engine
        .change_admin_password(&admin, &current, &new, &admin.actor())
        .await
    {
        Ok(AdminPasswordChange::Changed { auth_version }) => auth_version,
        Ok(AdminPasswordChange::WrongCurrent) => {
            let message = admin.t("ui.account.password.wrong");
            return account_page(&admin, &[("current_password", message)]);
        }
        Ok(AdminPasswordChange::Blocked(until)) => {
            let (seconds, minutes) = block_wait(until, state.engine.now());
            let message = admin.console_tr().t_args(
                "ui.account.password.blocked",
                &[("minutes", minutes.to_string())],
            );
            let answer = account_page(&admin, &[("current_password", message)]);
            return blocked(answer, seconds);
        }
        Ok(AdminPasswordChange::Refused(e)) => {
            let message = password_problem(&admin, e.code);
            return account_page(&admin, &[("new_password", message)]);
        }
        Err(e) => return error::internal(req, &e),
    };
    let now = state.engine.now();
    // This session goes on under the new version; every other one ends.
    session::sign_in_admin(
        session,
        &AdminSession {
            id: admin.id.clone(),
            auth_version,
            seen: now.unix_timestamp(),
        },
    );
    done(
        session,
        "/admin/account",
        &admin.t("ui.account.password.changed"),
    )
}

/// The console's language for this administrator: one of the catalogues, or the browser's.
async fn change_language(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let asked = form.text("lang");
    let locale = crate::i18n::Locale::from_tag(&asked);
    if locale.is_none() && !asked.is_empty() {
        return account_page(&admin, &[("lang", admin.t("problem.bad_form.body"))]);
    }
    if let Err(e) = state
        .engine
        .set_console_language(&admin, locale, &admin.actor())
        .await
    {
        return error::internal(req, &e);
    }
    // Said in the language just chosen, as the next page will be.
    let shown = locale.unwrap_or_else(|| super::console_locale(req, None));
    let tr = state.engine.messages().tr(shown);
    let message = match locale {
        Some(l) => tr.t_args(
            "ui.account.language.saved",
            &[("language", l.name().to_owned())],
        ),
        None => tr.t("ui.account.language.follows"),
    };
    done(session, "/admin/account", &message)
}

/// The console's words for a password the policy refuses.
fn password_problem(admin: &Admin, code: &str) -> String {
    match code {
        "required" | "password_too_short" | "password_too_long" | "password_common"
        | "password_personal" | "password_breached" => {
            admin.t(&format!("ui.admin.password_problem.{code}"))
        }
        other => admin.console_tr().t_args(
            "ui.admin.password_problem.other",
            &[("code", other.to_owned())],
        ),
    }
}

#[derive(Template)]
#[template(path = "admin/admins.html")]
struct AdminsPage {
    layout: AdminLayout,
    /// (id, address, role, since, is it the one signed in)
    admins: Vec<(String, String, String, String, bool)>,
    role: String,
    errors: Vec<(String, String)>,
    fields: Vec<Field>,
}

async fn admins_page(admin: &Admin, typed: &str, errors: &[(&str, String)]) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let list = match state.engine.admins().await {
        Ok(l) => l,
        Err(e) => return error::internal(req, &e),
    };
    let min = state.engine.settings().password_policy.min_length;
    let mut fields = vec![
        Field {
            value: typed.to_owned(),
            ..Field::new("email", "ui.admin.admins.email", "email")
        },
        Field {
            hint: Some(
                admin
                    .console_tr()
                    .t_args("ui.admin.admins.password.hint", &[("min", min.to_string())]),
            ),
            ..Field::new("password", "ui.admin.admins.password", "password")
        },
    ];
    let errors = with_errors(&mut fields, errors);
    let status = super::form_status(!errors.is_empty());
    let page = AdminsPage {
        layout: admin
            .section_layout("", "admins")
            .retitle("ui.admin.admins.title"),
        admins: list
            .into_iter()
            .map(|a| {
                let me = a.id == admin.id;
                let role = admin.t(&format!("ui.admin.admins.role.{}", a.role));
                (a.id, a.email, role, a.created_at.date().to_string(), me)
            })
            .collect(),
        role: String::new(),
        errors,
        fields,
    };
    html(status, &page)
}

async fn show_admins(admin: Admin) -> HttpResponse {
    admins_page(&admin, "", &[]).await
}

async fn add_admin(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let typed = form.text("email");
    let password = SecretString::from(form.get("password").unwrap_or_default().to_owned());
    let operator = form.get("role") == Some("operator");
    let refused = |field: &'static str, message: String| {
        let errors = [(field, message)];
        let (admin, typed) = (&admin, &typed);
        async move { admins_page(admin, typed, &errors).await }
    };
    match state
        .engine
        .add_admin(&typed, &password, operator, &admin.actor())
        .await
    {
        Ok(Ok(created)) => done(
            session,
            "/admin/admins",
            &admin.console_tr().t_args(
                "ui.admin.admins.added",
                &[("email", created.email.to_string())],
            ),
        ),
        Ok(Err(AdminRefusal::Email(_))) => {
            refused("email", admin.t("ui.admin.email.bad_address")).await
        }
        Ok(Err(AdminRefusal::Password(e))) => {
            refused("password", password_problem(&admin, e.code)).await
        }
        Ok(Err(AdminRefusal::Exists)) => refused("email", admin.t("ui.admin.admins.exists")).await,
        Err(e) => error::internal(req, &e),
    }
}

async fn confirm_remove_admin(admin: Admin, path: web::Path<String>) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let other = match super::found(req, state.engine.admin(&path)).await {
        Ok(a) => a,
        Err(answer) => return answer,
    };
    let tr = admin.console_tr();
    let email = [("email", other.email.to_string())];
    let page = super::ConfirmPage {
        layout: admin
            .layout(tr.t_args("ui.admin.admins.remove_one", &email))
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb("/admin/admins", admin.t("ui.admin.admins.title"))
            .section("admins"),
        heading: tr.t_args("ui.admin.admins.remove_ask", &email),
        paragraphs: vec![admin.t("ui.admin.admins.remove_what")],
        items: Vec::new(),
        action: format!("/admin/admins/{}/remove", other.id),
        hidden: Vec::new(),
        confirm: tr.t_args("ui.admin.admins.remove_one", &email),
        cancel: "/admin/admins".into(),
    };
    html(StatusCode::OK, &page)
}

/// Removes another administrator; never the last owner (the store refuses it in the same
/// statement), and not oneself (that would be signing out for good by mistake).
async fn remove_admin(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state
        .engine
        .remove_admin(&path, &admin, &admin.actor())
        .await
    {
        Ok(Ok(other)) => done(
            session,
            "/admin/admins",
            &admin.console_tr().t_args(
                "ui.admin.admins.removed",
                &[("email", other.email.to_string())],
            ),
        ),
        Ok(Err(RemovalRefusal::Gone)) => {
            super::failed(session, "/admin/admins", &admin.t("ui.admin.admins.gone"))
        }
        Ok(Err(RemovalRefusal::Yourself)) => super::failed(
            session,
            "/admin/admins",
            &admin.t("ui.admin.admins.yourself"),
        ),
        Ok(Err(RemovalRefusal::LastOwner)) => super::failed(
            session,
            "/admin/admins",
            &admin.t("ui.admin.admins.last_owner"),
        ),
        Err(e) => error::internal(req, &e),
    }
}
