//! Problems mapped to pages in one place. Causes are logged once here, never shown.

use crate::web::pages::{MessagePage, html};
use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};

/// The page for an unexpected failure: logged with its cause, shown without it.
pub fn internal(req: &HttpRequest, cause: &dyn std::fmt::Display) -> HttpResponse {
    tracing::error!(error = %cause, path = req.path(), "internal error");
    let session = req.get_session();
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        &MessagePage::new(req, &session, "problem.internal").link("/", "link.home"),
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
    let response = html(
        StatusCode::BAD_REQUEST,
        &MessagePage::new(req, &session, "problem.bad_form").link(req.path(), "link.back"),
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
