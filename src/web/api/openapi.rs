//! `GET /api/openapi.json`: the OpenAPI 3.1 document of both JSON APIs, written by hand in
//! `openapi.json` and served byte for byte.
//!
//! Why by hand rather than generated (utoipa): the shapes worth documenting are not Rust
//! types here. The management API answers with `json!` values and its errors carry extra
//! fields per code; the execute API's components are `serde_json::Value`s and its statuses
//! `&'static str`s; the engine's `FlowDefinition`, `Step` and `Component` would need
//! `ToSchema` derives (and schema overrides for serde's `flatten` and tagged enums), putting
//! an HTTP-documentation dependency into the engine, which stays HTTP-free. Routes are
//! mounted from our own table with per-path fallbacks (FM-40500), which utoipa's actix
//! integration would not see either. A generated document would need as many hand-written
//! overrides as the document itself, and would still need the tests that keep a hand-written
//! one true: the route table compared with `paths` (`super::tests`), and real answers
//! validated against these schemas (`tests/journeys/openapi.rs`).

use super::ApiRoute;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};

pub const PATH: &str = "/api/openapi.json";

pub const TEXT: &str = include_str!("openapi.json");

pub static ROUTES: &[ApiRoute] = &[ApiRoute {
    method: Method::GET,
    path: PATH,
    handler: |m| web::method(m).to(serve),
}];

/// The document, as JSON (tests read it through this).
#[cfg(test)]
pub fn document() -> serde_json::Value {
    serde_json::from_str(TEXT).unwrap_or_default()
}

async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        // Public and the same for everyone until the server is upgraded: cacheable, and
        // readable from any origin (API tools and client generators run in browsers too).
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        .body(TEXT)
}
