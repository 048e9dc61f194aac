//! Problems mapped to pages in one place. Causes are logged once here, never shown.

use crate::web::page::{MessagePage, html};
use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

/// Why a handler could not finish: shown to nobody, logged once, and telling a wait (the
/// database cannot serve now) from a bug.
pub trait Failure: std::fmt::Display {
    fn unavailable(&self) -> bool {
        self.reason().is_some()
    }

    /// Why it is unavailable, for the operator's log line.
    fn reason(&self) -> Option<&'static str> {
        None
    }

    /// The page shown when `unavailable`: saturation reads differently from an outage.
    fn busy(&self) -> bool {
        false
    }

    /// The engine refused an operator an owner's act: a refusal, not a fault.
    fn owner_only(&self) -> bool {
        false
    }

    /// Seconds to ask the client to wait when `unavailable`: the predicted wait for a
    /// hashing thread when hashing is saturated.
    fn retry_after(&self) -> u64 {
        u64::from(UNAVAILABLE_RETRY_SECONDS)
    }
}

impl Failure for crate::store::StoreError {
    fn reason(&self) -> Option<&'static str> {
        self.unavailable_reason()
    }
}

impl Failure for crate::engine::EngineError {
    fn reason(&self) -> Option<&'static str> {
        self.unavailable_reason()
    }

    fn busy(&self) -> bool {
        matches!(self, crate::engine::EngineError::Hash(e) if e.is_busy())
    }

    fn owner_only(&self) -> bool {
        matches!(self, crate::engine::EngineError::OwnerOnly)
    }

    fn retry_after(&self) -> u64 {
        match self {
            crate::engine::EngineError::Hash(e) => e.retry_after(),
            _ => u64::from(UNAVAILABLE_RETRY_SECONDS),
        }
    }
}

impl Failure for String {}
impl Failure for &str {}
impl Failure for askama::Error {}
impl Failure for serde_json::Error {}
impl Failure for crate::password_hash::HashError {
    fn reason(&self) -> Option<&'static str> {
        self.is_busy().then_some("password hashing is saturated")
    }

    fn busy(&self) -> bool {
        self.is_busy()
    }

    fn retry_after(&self) -> u64 {
        self.retry_after_seconds()
            .unwrap_or(u64::from(UNAVAILABLE_RETRY_SECONDS))
    }
}

/// Seconds a client is asked to wait while the database cannot serve or hashing is saturated.
pub const UNAVAILABLE_RETRY_SECONDS: u32 = 5;

/// The page for a failure: 503 with `Retry-After` while the database cannot serve (nothing
/// was changed, trying again will do), otherwise 500. Logged with its cause, shown without.
pub fn internal(req: &HttpRequest, cause: &dyn Failure) -> HttpResponse {
    let session = req.get_session();
    if cause.unavailable() {
        let reason = cause.reason().unwrap_or("");
        tracing::warn!(reason, error = %cause, path = req.path(), "cannot serve now");
        let key = if cause.busy() {
            "problem.busy"
        } else {
            "problem.unavailable"
        };
        let mut response = html(
            StatusCode::SERVICE_UNAVAILABLE,
            &MessagePage::new(req, &session, key)
                .link(&crate::web::page::own_path(req), "link.retry"),
        );
        response.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(cause.retry_after()),
        );
        return response;
    }
    if cause.owner_only() {
        return owner_only(req);
    }
    tracing::error!(error = %cause, path = req.path(), "internal error");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        &MessagePage::new(req, &session, "problem.internal").link("/", "link.home"),
    )
}

/// The console's answer to an operator who asked for an owner's page or act.
pub fn owner_only(req: &HttpRequest) -> HttpResponse {
    html(
        StatusCode::FORBIDDEN,
        &MessagePage::new(req, &req.get_session(), "problem.owner_only")
            .link("/admin", "link.admin_home"),
    )
}

pub async fn not_found(req: HttpRequest) -> HttpResponse {
    let session = req.get_session();
    html(
        StatusCode::NOT_FOUND,
        &MessagePage::new(&req, &session, "problem.not_found").link("/", "link.home"),
    )
}

pub fn form_error(err: actix_web::error::UrlencodedError, req: &HttpRequest) -> actix_web::Error {
    tracing::info!(error = %err, path = req.path(), "unreadable form");
    let session = req.get_session();
    // Say which problem it was (413 too large, 415 not a form, 411 no length) so clients and
    // proxies can tell; a reading problem on our side is still the client's 400.
    let status = match actix_web::ResponseError::status_code(&err) {
        s if s.is_client_error() => s,
        _ => StatusCode::BAD_REQUEST,
    };
    let response = html(
        status,
        &MessagePage::new(req, &session, "problem.bad_form")
            .link(&crate::web::page::own_path(req), "link.back"),
    );
    actix_web::error::InternalError::from_response(err, response).into()
}

pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    req: &HttpRequest,
) -> actix_web::Error {
    let session = req.get_session();
    let response = html(
        StatusCode::BAD_REQUEST,
        &MessagePage::new(req, &session, "problem.bad_link").link("/", "link.home"),
    );
    actix_web::error::InternalError::from_response(err, response).into()
}
