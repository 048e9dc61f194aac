//! A minimal sign-in and account page, so a new password can be used at once.

use super::{Layout, html, rate_limited, see_other};
use crate::domain::Email;
use crate::password_hash::Priority;
use crate::web::render::error_text;
use crate::web::{AppState, csrf, error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use secrecy::SecretString;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(show_login))
        .route("/login", web::post().to(submit_login))
        .route("/logout", web::post().to(logout))
        .route("/account", web::get().to(show_account));
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
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

fn login_page(
    req: &HttpRequest,
    session: &Session,
    email: String,
    error: Option<String>,
) -> HttpResponse {
    let layout = Layout::new(req, session, String::new());
    let title = layout.t("login.title");
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
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
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
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
    // A new sign-in is the first work shed when hashing cannot keep up.
    let hasher = state.engine.hasher().at(Priority::Start);
    let Ok(email) = Email::parse(&form.email) else {
        // Same cost as a real check, so timing tells nothing.
        if let Err(e) = hasher.check(&password, None).await {
            return error::internal(&req, &e);
        }
        return refused(&session, form.email);
    };
    // Counted per address whether or not it has an account, so the throttle tells nothing
    // about which exist; checked before the hash, so a blocked guess costs no Argon2id.
    let throttle = state.login_throttle();
    let subject = crate::store::login_subject(&email.key());
    let store = state.engine.store();
    let now = state.engine.now();
    let throttled = |session: &Session, email: String, until: time::OffsetDateTime| {
        // Rounded up: the stored time keeps less precision than `now`.
        let left = until - now;
        let seconds = (left.whole_seconds() + i64::from(left.subsec_nanoseconds() > 0)).max(1);
        let minutes = (seconds + 59) / 60;
        let message = tr.t_args("error.login_throttled", &[("minutes", minutes.to_string())]);
        let mut answer = login_page(&req, session, email, Some(message));
        *answer.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        answer.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(seconds),
        );
        answer
    };
    if throttle.max_failures > 0 {
        match store.login_blocked_until(&subject, now).await {
            Ok(Some(until)) => return throttled(&session, form.email, until),
            Ok(None) => {}
            Err(e) => return error::internal(&req, &e),
        }
    }
    let user = match state.engine.store().user_by_email(&email.key()).await {
        Ok(u) => u,
        Err(e) => return error::internal(&req, &e),
    };
    let active = user.as_ref().filter(|u| u.status == "ACTIVE");
    let hash = active.and_then(|u| u.password_hash.as_deref());
    let verified = match hasher.check(&password, hash).await {
        Ok(matches) => active.filter(|_| matches),
        Err(e) => return error::internal(&req, &e),
    };
    // Every outcome writes one entry, known address or not, so the work done tells nothing.
    let record = |action: &'static str, known: Option<crate::domain::UserId>| {
        let entry = crate::store::AuditEntry {
            actor: known.map_or_else(|| "anonymous".to_owned(), |id| format!("user:{id}")),
            action,
            subject: known.map(|id| format!("user:{id}")),
            detail: serde_json::json!({
                "ip": crate::web::client_address(&req).unwrap_or_default(),
            }),
        };
        async move {
            if let Err(e) = store.audit(&entry, now).await {
                tracing::error!(error = %e, "sign-in audit entry not written");
            }
        }
    };
    let known = user.as_ref().map(|u| u.id);
    match verified {
        Some(user) => {
            if let Err(e) = store.clear_login_failures(&subject).await {
                return error::internal(&req, &e);
            }
            record("user.signed_in", Some(user.id)).await;
            if let Some(stored) = &user.password_hash {
                let owner = crate::engine::HashOwner::User(user.id);
                state.engine.rehash_if_outdated(owner, &password, stored);
            }
            session::sign_in(&session, user.id, user.auth_version);
            see_other("/account")
        }
        None if throttle.max_failures > 0 => {
            let blocked = store
                .record_login_failure(
                    &subject,
                    now,
                    throttle.lockout,
                    throttle.max_failures,
                    throttle.lockout,
                )
                .await;
            match blocked {
                Ok(Some(until)) => {
                    tracing::warn!("sign-ins refused for an address after repeated failures");
                    metrics::counter!("flows_login_throttled_total").increment(1);
                    record("user.sign_in_locked_out", known).await;
                    throttled(&session, form.email, until)
                }
                Ok(None) => {
                    record("user.sign_in_failed", known).await;
                    refused(&session, form.email)
                }
                Err(e) => error::internal(&req, &e),
            }
        }
        None => {
            record("user.sign_in_failed", known).await;
            refused(&session, form.email)
        }
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

async fn show_account(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some((id, auth_version)) = session::user(&session) else {
        return see_other("/login");
    };
    let user = match state.engine.store().user_by_id(id).await {
        Ok(Some(u)) if u.auth_version == auth_version && u.status == "ACTIVE" => u,
        Ok(_) => {
            // The password changed or the account went away since this session signed in.
            session::sign_out(&session);
            return see_other("/login");
        }
        Err(e) => return error::internal(&req, &e),
    };
    let layout = Layout::new(&req, &session, String::new());
    let title = layout.t("account.title");
    let name = user.display_name();
    let since = user.created_at.date().to_string();
    html(
        StatusCode::OK,
        &AccountPage {
            layout: Layout { title, ..layout },
            email: user.email,
            name,
            verified: user.email_verified,
            since,
        },
    )
}
