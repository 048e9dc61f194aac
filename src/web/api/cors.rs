//! CORS for the Flow Execution API: browsers on the origins of a registered client
//! application may call it; any other origin gets no CORS headers at all (none by default).

use crate::web::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

fn origin(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
}

async fn allowed(req: &HttpRequest, state: &AppState) -> Option<HeaderValue> {
    let origin = origin(req)?;
    match state.engine.origin_allowed(origin).await {
        Ok(true) => HeaderValue::from_str(origin).ok(),
        Ok(false) => None,
        Err(e) => {
            tracing::error!(error = %e, "CORS origins could not be read");
            None
        }
    }
}

/// Adds the CORS headers to an answer when the request's origin is allowed.
pub async fn allow(req: &HttpRequest, state: &AppState, mut answer: HttpResponse) -> HttpResponse {
    let headers = answer.headers_mut();
    // The answer depends on the origin, whichever it is: caches must keep them apart.
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed(req, state).await {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    answer
}

/// The preflight (`OPTIONS`): the methods and headers a client may use, for allowed origins.
pub async fn preflight(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let mut answer = HttpResponse::NoContent();
    answer.insert_header((header::VARY, "Origin"));
    if let Some(origin) = allowed(&req, &state).await {
        answer
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS"))
            .insert_header((
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Content-Type, Accept, Accept-Language, Flows-Client-Proof",
            ))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"));
    }
    answer.finish()
}
