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
use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};

pub const PATH: &str = "/api/openapi.json";

pub const TEXT: &str = include_str!("openapi.json");

pub static ROUTES: &[ApiRoute] = &[route!(GET PATH => serve)];

/// Where the document is known to the schema registry.
const BASE: &str = "urn:flows:openapi";

/// The document's schema of a flow definition, compiled once. The management API holds every
/// definition it reads to it before reading it into the engine's types, so the document and
/// the server cannot disagree on what they take (serde alone would also take, say, a struct
/// written as an array).
static DEFINITION_SCHEMA: std::sync::LazyLock<Option<jsonschema::Validator>> =
    std::sync::LazyLock::new(|| compile("FlowDefinition"));

fn compile(name: &str) -> Option<jsonschema::Validator> {
    let document: serde_json::Value = serde_json::from_str(TEXT).ok()?;
    let registry = jsonschema::Registry::new()
        .add(BASE, document)
        .ok()?
        .prepare()
        .ok()?;
    let wrapper = serde_json::json!({"$ref": format!("{BASE}#/components/schemas/{name}")});
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_registry(&registry)
        .build(&wrapper)
        .ok()
}

/// Where `definition` departs from the document's `FlowDefinition`, if it does: the first
/// problem, with the JSON pointer to where it is.
pub fn definition_problem(definition: &serde_json::Value) -> Option<String> {
    let validator = DEFINITION_SCHEMA.as_ref()?;
    let error = validator.iter_errors(definition).next()?;
    // The message opens with the offending value, which may be a whole step: named by
    // where it is instead.
    let message = error.to_string();
    let value = error.instance().to_string();
    let at = error.instance_path().to_string();
    let place = if at.is_empty() {
        "the definition".to_owned()
    } else {
        format!("the value at {at}")
    };
    Some(match message.strip_prefix(&value) {
        Some(rest) => format!("{place}{rest}"),
        None => format!("{message} ({place})"),
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_schema_compiles_and_holds_a_definition_to_the_document() {
        assert!(
            DEFINITION_SCHEMA.is_some(),
            "FlowDefinition does not compile"
        );
        let starter = crate::engine::starter::by_id("registration-otp")
            .and_then(|t| t.definition().ok())
            .and_then(|d| d.to_stored().ok())
            .expect("a starter definition");
        let good: serde_json::Value = serde_json::from_str(&starter).expect("JSON");
        assert_eq!(definition_problem(&good), None);
        let mut as_array = good.clone();
        as_array["steps"][0]["components"][0]["config"] = serde_json::json!([null]);
        let problem = definition_problem(&as_array).expect("an array is no config");
        assert!(
            problem.starts_with("the value at /steps/0 is not valid"),
            "{problem}"
        );
    }
}
