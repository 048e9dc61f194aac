//! A minimal sign-in and account page, so a new password can be used at once.

use super::{Layout, Visit, block_wait, blocked, form_status, html, rate_limited, see_other};
use crate::engine::PasswordChange;
use crate::engine::SignIn;
use crate::engine::error_text;
use crate::web::page::SignInForm;
use crate::web::{AppState, csrf, error, session};
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use secrecy::SecretString;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(show_login))
        .route("/login", web::post().to(submit_login))
        .route("/logout", web::post().to(logout))
        .route("/account", web::get().to(show_account))
        .route("/account/password", web::post().to(change_password));
}

#[derive(Template)]
#[template(path = "pages/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/account.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    name: String,
    verified: bool,
    since: String,
    /// The password policy's rules, listed before typing.
    rules: Vec<String>,
    current_error: Option<String>,
    new_error: Option<String>,
    /// Just after a password change.
    changed: bool,
}

fn login_page(
    req: &HttpRequest,
    session: &Session,
    email: String,
    error: Option<String>,
) -> HttpResponse {
    let layout = Layout::new(req, session, String::new());
    let title = layout.t("login.title");
    let status = form_status(error.is_some());
    html(
        status,
        &LoginPage {
            layout: Layout { title, ..layout },
            email,
            error,
        },
    )
}

async fn show_login(req: HttpRequest, session: Session) -> HttpResponse {
    if session::user(&session).is_some() {
        return see_other("/account");
    }
    login_page(&req, &session, String::new(), None)
}

async fn submit_login(
    Visit(req, session, state): Visit,
    form: web::Form<SignInForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Some(refused) = rate_limited(&req, &session) {
        return refused;
    }
    let tr = Layout::new(&req, &session, String::new()).tr;
    if !csrf::verify(&req, &session, Some(&form.csrf_token)) {
        return login_page(&req, &session, form.email, Some(tr.t("problem.csrf.body")));
    }
    let password = SecretString::from(form.password);
    let refused = |session: &Session, email: String| {
        let message = error_text(&tr, &crate::domain::FieldError::new("login_failed"));
        login_page(&req, session, email, Some(message))
    };
    let throttled = |session: &Session, email: String, until: time::OffsetDateTime| {
        let (seconds, minutes) = block_wait(until, state.engine.now());
        let message = tr.t_args("error.login_throttled", &[("minutes", minutes.to_string())]);
        blocked(login_page(&req, session, email, Some(message)), seconds)
    };
    let client = crate::web::client_address(&req);
    match state
        .engine
        .sign_in_person(&form.email, &password, client.as_deref())
        .await
    {
        Ok(SignIn::SignedIn(user)) => {
            session::sign_in(&session, user.id, user.auth_version);
            see_other("/account")
        }
        Ok(SignIn::Wrong) => refused(&session, form.email),
        Ok(SignIn::Blocked(until)) => throttled(&session, form.email, until),
        Err(e) => error::internal(&req, &e),
    }
}

async fn logout(
    req: HttpRequest,
    session: Session,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let token = form
        .iter()
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.as_str());
    if csrf::verify(&req, &session, token) {
        session::sign_out(&session);
    }
    see_other("/login")
}

/// The signed-in person's account, or `None` (and the session ended) when the password
/// changed or the account went away since this session signed in.
async fn signed_in_user(
    session: &Session,
    state: &AppState,
) -> Result<Option<crate::store::UserRow>, crate::engine::EngineError> {
    let Some((id, auth_version)) = session::user(session) else {
        return Ok(None);
    };
    let user = state.engine.signed_in_person(id, auth_version).await?;
    if user.is_none() {
        session::sign_out(session);
    }
    Ok(user)
}

#[derive(serde::Deserialize)]
struct ShownQuery {
    #[serde(default)]
    changed: Option<String>,
}

async fn show_account(
    Visit(req, session, state): Visit,
    query: web::Query<ShownQuery>,
) -> HttpResponse {
    let user = match signed_in_user(&session, &state).await {
        Ok(Some(u)) => u,
        Ok(None) => return see_other("/login"),
        Err(e) => return error::internal(&req, &e),
    };
    let changed = query.changed.is_some();
    account_page(&req, &session, &state, user, (None, None), changed)
}

fn account_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    user: crate::store::UserRow,
    (current_error, new_error): (Option<String>, Option<String>),
    changed: bool,
) -> HttpResponse {
    let layout = Layout::new(req, session, String::new());
    let title = layout.t("account.title");
    let rules = state.engine.password_rules(&layout.tr);
    let name = user.display_name();
    let since = user.created_at.date().to_string();
    let status = form_status(current_error.is_some() || new_error.is_some());
    html(
        status,
        &AccountPage {
            layout: Layout { title, ..layout },
            email: user.email,
            name,
            verified: user.email_verified,
            since,
            rules,
            current_error,
            new_error,
            changed,
        },
    )
}

#[derive(serde::Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    csrf_token: String,
}

/// The current password proven, the new one set: every other session ends, this one goes
/// on under the new auth version, and a notice goes to the address. A wrong current
/// password counts towards the address's sign-in throttle, as a failed sign-in does.
async fn change_password(
    Visit(req, session, state): Visit,
    form: web::Form<PasswordForm>,
) -> HttpResponse {
    let form = form.into_inner();
    if let Some(refused) = super::refuse_post(&req, &session, Some(&form.csrf_token), "/account") {
        return refused;
    }
    let user = match signed_in_user(&session, &state).await {
        Ok(Some(u)) => u,
        Ok(None) => return see_other("/login"),
        Err(e) => return error::internal(&req, &e),
    };
    let tr = Layout::new(&req, &session, String::new()).tr;
    let current = SecretString::from(form.current_password);
    let new = SecretString::from(form.new_password);
    let locale = super::locale(&req, &session);
    let client = crate::web::client_address(&req);
    let outcome = state
        .engine
        .change_password(&user, &current, &new, locale, client)
        .await;
    match outcome {
        Ok(PasswordChange::Changed { auth_version }) => {
            session::sign_in(&session, user.id, auth_version);
            see_other("/account?changed=1")
        }
        Ok(PasswordChange::Blocked(until)) => {
            let (seconds, minutes) = block_wait(until, state.engine.now());
            let message = tr.t_args("error.login_throttled", &[("minutes", minutes.to_string())]);
            let page = account_page(&req, &session, &state, user, (Some(message), None), false);
            blocked(page, seconds)
        }
        Ok(PasswordChange::WrongCurrent) => {
            let message = error_text(
                &tr,
                &crate::domain::FieldError::new("current_password_wrong"),
            );
            account_page(&req, &session, &state, user, (Some(message), None), false)
        }
        Ok(PasswordChange::Refused(errors)) => {
            let message = errors.fields.first().map(|(_, e)| error_text(&tr, e));
            account_page(&req, &session, &state, user, (None, message), false)
        }
        Err(e) => error::internal(&req, &e),
    }
}
