//! The flow management API under `/api/v1/flows`: read, replace, validate and publish the
//! definition of each flow type, as JSON (the format of `flows flow export`); and under
//! `/api/v1/approvals`, the accounts waiting for an administrator's approval. Callers
//! authenticate with an API token (`Authorization: Bearer flows_…`), never with the console's
//! session cookie, so no CSRF is involved. Every refusal is a JSON error with a stable
//! `FM-…` code (README, "Flow management API"); no request reaches an actix default page,
//! because the handlers read paths, headers and bodies themselves instead of through
//! extractors whose errors would answer in plain text.

use super::errors::{Api, ApiError};
use super::{ApiRoute, BodyProblem};
use crate::domain::ApiToken;
use crate::engine::{Actor, DraftProblem, EngineError, FlowDefinition, FlowType, Problem};
use crate::store::{ApiTokenRow, to_text};
use crate::web::AppState;
use actix_web::http::header::{self, HeaderName};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

/// A definition is a few kilobytes; this leaves room for the largest sensible one (the
/// console's import takes the same).
pub const MAX_BODY: usize = 512 * 1024;

/// Where the API lives; any other path below it is answered FM-40404.
pub const PREFIX: &str = "/api/v1/flows";
/// Where its approval queue lives; any other path below it is answered FM-40404 too.
pub const APPROVALS: &str = "/api/v1/approvals";
/// Where its extensions live; the same again.
pub const EXTENSIONS: &str = "/api/v1/extensions";
/// Where its connections live; the same again.
pub const CONNECTIONS: &str = "/api/v1/connections";

/// Whether `path` is one of this API's, all of which need a token (the document says so of
/// each).
#[cfg(test)]
pub fn is_managed(path: &str) -> bool {
    [PREFIX, APPROVALS, EXTENSIONS, CONNECTIONS]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")))
}

/// Every route of the API, one row per (method, path). Rows that share a path become one
/// resource, whose other methods are refused with FM-40500 and an `Allow` listing the rows'.
pub static ROUTES: &[ApiRoute] = &[
    route!(GET "/api/v1/flows" => list_flows),
    route!(GET "/api/v1/flows/{type}" => published),
    route!(GET "/api/v1/flows/{type}/versions" => versions),
    route!(GET "/api/v1/flows/{type}/versions/{version}" => version),
    route!(GET "/api/v1/flows/{type}/draft" => draft),
    route!(PUT "/api/v1/flows/{type}/draft" => replace_draft),
    route!(POST "/api/v1/flows/{type}/validate" => validate),
    route!(POST "/api/v1/flows/{type}/publish" => publish),
    route!(POST "/api/v1/flows/{type}/rollback" => roll_back),
    route!(PUT "/api/v1/flows/{type}/enabled" => set_enabled),
    // The approval queue (`super::approvals`): the same tokens, codes and refusals.
    route!(GET "/api/v1/approvals" => super::approvals::approval_queue),
    route!(POST "/api/v1/approvals/{id}/approve" => super::approvals::approve),
    route!(POST "/api/v1/approvals/{id}/reject" => super::approvals::reject),
    // Extensions (`super::extensions`): the same again.
    route!(GET "/api/v1/extensions" => super::extensions::list_extensions),
    route!(POST "/api/v1/extensions" => super::extensions::add_extension),
    route!(DELETE "/api/v1/extensions/{name}" => super::extensions::remove_extension),
    // Connections (`super::connections`): the same again.
    route!(GET "/api/v1/connections" => super::connections::list_connections),
    route!(POST "/api/v1/connections" => super::connections::add_connection),
    route!(DELETE "/api/v1/connections/{name}" => super::connections::remove_connection),
    route!(POST "/api/v1/connections/{name}/test" => super::connections::test_connection),
];

pub fn routes(cfg: &mut web::ServiceConfig) {
    let rows: Vec<&ApiRoute> = ROUTES.iter().collect();
    for (resource, allow) in super::resources_by_path(&rows) {
        cfg.service(resource.default_service(web::to(move |req, state| {
            refused_method(req, state, allow.clone())
        })));
    }
    // Mounted after the resources above: only a path none of them matches gets here.
    cfg.service(web::scope(PREFIX).default_service(web::to(unknown_route)));
    cfg.service(web::scope(APPROVALS).default_service(web::to(unknown_route)));
    cfg.service(web::scope(EXTENSIONS).default_service(web::to(unknown_route)));
    cfg.service(web::scope(CONNECTIONS).default_service(web::to(unknown_route)));
}

pub(super) type Answer = Result<HttpResponse, ApiError>;

/// An engine failure as this API answers it.
pub(super) fn failed(e: impl Into<EngineError>) -> ApiError {
    ApiError::engine(Api::Manage, e.into(), None)
}

/// The live API token the request carries, its use recorded.
pub(super) async fn caller(req: &HttpRequest, state: &AppState) -> Result<ApiTokenRow, ApiError> {
    let Some(presented) = crate::web::bearer_token(req) else {
        return Err(ApiError::unauthorized(None));
    };
    let Some(hash) = ApiToken::hash_of(presented) else {
        return Err(ApiError::unauthorized(Some("invalid_token")));
    };
    match state.engine.api_token_caller(&hash).await {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(ApiError::unauthorized(Some("invalid_token"))),
        Err(e) => Err(failed(e)),
    }
}

/// The flow type named in the path, any case.
fn flow_type(req: &HttpRequest) -> Result<FlowType, ApiError> {
    let raw = req.match_info().get("type").unwrap_or_default();
    raw.parse()
        .map_err(|()| ApiError::unknown_flow_type(Api::Manage, raw))
}

/// The token, then the flow type: what every route about one flow starts with.
async fn begin(req: &HttpRequest, state: &AppState) -> Result<(ApiTokenRow, FlowType), ApiError> {
    let token = caller(req, state).await?;
    Ok((token, flow_type(req)?))
}

/// Who a call is from, for the engine's audit entries: the token, and the client address.
pub(super) fn actor(req: &HttpRequest, token: &ApiTokenRow) -> Actor {
    Actor::token(&token.name, crate::web::client_address(req))
}

/// A definition exactly as `flows flow export` prints it, with the header that says which
/// one it is.
fn definition_response(def: &FlowDefinition, which: (HeaderName, String)) -> Answer {
    let json = serde_json::to_string_pretty(def).map_err(|e| ApiError::fault(Api::Manage, &e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(which)
        .body(json + "\n"))
}

fn version_header(version: i64) -> (HeaderName, String) {
    (
        HeaderName::from_static("x-flow-version"),
        version.to_string(),
    )
}

fn etag(revision: i64) -> (HeaderName, String) {
    (header::ETAG, format!("\"{revision}\""))
}

/// The revisions an `If-Match` header names: `None` without the header, `Some(None)` for
/// `*` (any current draft), otherwise the listed entity tags that are numbers.
fn if_match(req: &HttpRequest) -> Option<Option<Vec<i64>>> {
    let raw = req.headers().get(header::IF_MATCH)?;
    let text = raw.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Some(None);
    }
    Some(Some(
        text.split(',')
            .filter_map(|tag| {
                let tag = tag.trim();
                let tag = tag.strip_prefix("W/").unwrap_or(tag);
                tag.trim_matches('"').parse().ok()
            })
            .collect(),
    ))
}

/// Whether `If-Match` (when sent) names `current`.
fn matches(wanted: &Option<Option<Vec<i64>>>, current: Option<i64>) -> bool {
    match (wanted, current) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(None), Some(_)) => true,
        (Some(Some(list)), Some(r)) => list.contains(&r),
    }
}

/// Whether the request carries a body at all (HTTP/1.1 says so with these two headers).
fn has_body(req: &HttpRequest) -> bool {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(n) => n > 0,
        None => req.headers().contains_key(header::TRANSFER_ENCODING),
    }
}

fn is_json(req: &HttpRequest) -> bool {
    super::media_type(req).is_some_and(|essence| {
        essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"))
    })
}

/// The JSON body, read up to `MAX_BODY`; `None` when there is none.
pub(super) async fn json_body(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Option<web::Bytes>, ApiError> {
    if !has_body(req) {
        return Ok(None);
    }
    if !is_json(req) {
        return Err(ApiError::body_not_json());
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(ApiError::body(Api::Manage, BodyProblem::TooLarge, MAX_BODY));
    }
    let body = super::read_limited(payload, MAX_BODY)
        .await
        .map_err(|problem| ApiError::body(Api::Manage, problem, MAX_BODY))?;
    Ok(Some(body.freeze()))
}

/// The body as a `T`, or the 400 that says where and why it is not one.
pub(super) fn parse<T: serde::de::DeserializeOwned>(
    body: &[u8],
    what: &str,
) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::json(&e, what))
}

pub(super) fn required(body: Option<web::Bytes>, what: &str) -> Result<web::Bytes, ApiError> {
    body.ok_or_else(|| ApiError::no_body(what))
}

/// A definition from the body, for the flow type of the path.
fn definition_of(body: &[u8], flow_type: FlowType) -> Result<FlowDefinition, ApiError> {
    // serde first, for its line and column; then the document's schema, for what serde
    // would let through (a struct written as an array, a number for a name).
    let def: FlowDefinition = parse(body, "a flow definition")?;
    let value: Value = parse(body, "JSON")?;
    if let Some(problem) = super::openapi::definition_problem(&value) {
        return Err(ApiError::not_a_definition(&problem));
    }
    if def.flow_type != flow_type {
        return Err(ApiError::wrong_flow_type(def.flow_type, flow_type));
    }
    Ok(def)
}

fn problems_json(problems: &[Problem]) -> Value {
    json!(problems)
}

// --- Routes -------------------------------------------------------------------------------

async fn list_flows(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    caller(&req, &state).await?;
    let mut out = Vec::new();
    for flow_type in FlowType::ALL {
        let facts = state.engine.flow_facts(flow_type).await.map_err(failed)?;
        out.push(json!({
            "flowType": flow_type.as_str(),
            "enabled": facts.enabled,
            "publishedVersion": facts.published().map(|v| v.version),
            "hasDraft": facts.draft.is_some(),
        }));
    }
    Ok(HttpResponse::Ok().json(out))
}

async fn published(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let Some(row) = state
        .engine
        .published_version(flow_type)
        .await
        .map_err(failed)?
    else {
        return Err(ApiError::nothing_published(flow_type));
    };
    definition_response(&row.definition, version_header(row.version))
}

async fn versions(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let list = state
        .engine
        .flow_versions(flow_type)
        .await
        .map_err(failed)?;
    let out: Vec<Value> = list
        .iter()
        .map(|v| {
            json!({
                "version": v.version,
                "status": v.status,
                "name": v.name,
                "createdAt": to_text(v.created_at),
                "createdBy": v.created_by,
                "publishedAt": v.published_at.map(to_text),
                "note": v.note,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

async fn version(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let raw = req.match_info().get("version").unwrap_or_default();
    let Ok(number) = raw.parse::<i64>() else {
        return Err(ApiError::no_version(flow_type, raw));
    };
    match state
        .engine
        .flow_version_by_number(flow_type, number)
        .await
        .map_err(failed)?
    {
        Some(row) => definition_response(&row.definition, version_header(row.version)),
        None => Err(ApiError::no_version(flow_type, raw)),
    }
}

async fn draft(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let Some(draft) = state.engine.draft(flow_type).await.map_err(failed)? else {
        return Err(ApiError::no_draft(flow_type));
    };
    definition_response(&draft.definition, etag(draft.revision))
}

/// The revision `If-Match` asks a change to apply to: none without the header, the draft's
/// current one when the header names it (or is `*`), otherwise the 412 that says which.
async fn expected_revision(
    req: &HttpRequest,
    state: &AppState,
    flow_type: FlowType,
) -> Result<Option<i64>, ApiError> {
    let wanted = if_match(req);
    if wanted.is_none() {
        return Ok(None);
    }
    let current = state
        .engine
        .draft(flow_type)
        .await
        .map_err(failed)?
        .map(|d| d.revision);
    if matches(&wanted, current) {
        Ok(current)
    } else {
        Err(ApiError::stale(current))
    }
}

async fn replace_draft(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    let (token, flow_type) = begin(&req, &state).await?;
    let body = required(json_body(&req, payload).await?, "a flow definition")?;
    let def = definition_of(&body, flow_type)?;
    let expected = expected_revision(&req, &state, flow_type).await?;
    let source = format!("API (token {})", token.name);
    let (revision, problems) = state
        .engine
        .replace_draft(
            &def,
            expected,
            &source,
            "flow.draft_replaced",
            &actor(&req, &token),
        )
        .await
        .map_err(failed)?
        .map_err(|problem| match problem {
            // A draft published or discarded after If-Match was read.
            DraftProblem::Missing => ApiError::stale(None),
            other => ApiError::draft(flow_type, other),
        })?;
    let (name, value) = etag(revision);
    Ok(HttpResponse::Ok()
        .insert_header((name, value))
        .json(json!({ "revision": revision, "problems": problems_json(&problems) })))
}

async fn validate(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let def = match json_body(&req, payload).await? {
        Some(body) => definition_of(&body, flow_type)?,
        None => match state.engine.draft(flow_type).await.map_err(failed)? {
            Some(d) => d.definition,
            None => return Err(ApiError::no_draft(flow_type)),
        },
    };
    let problems = def.validate();
    Ok(HttpResponse::Ok()
        .json(json!({ "valid": problems.is_empty(), "problems": problems_json(&problems) })))
}

async fn publish(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (token, flow_type) = begin(&req, &state).await?;
    let Some(current) = state
        .engine
        .draft(flow_type)
        .await
        .map_err(failed)?
        .map(|d| d.revision)
    else {
        return Err(ApiError::no_draft(flow_type));
    };
    if !matches(&if_match(&req), Some(current)) {
        return Err(ApiError::stale(Some(current)));
    }
    // The revision checked here is the one published, or none.
    let expected = Some(current);
    let version = state
        .engine
        .publish_draft(flow_type, expected, &actor(&req, &token))
        .await
        .map_err(failed)?
        .map_err(|problem| ApiError::draft(flow_type, problem))?;
    Ok(HttpResponse::Ok().json(json!({ "version": version })))
}

#[derive(Deserialize)]
struct RollBack {
    version: i64,
}

async fn roll_back(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> Answer {
    let (token, flow_type) = begin(&req, &state).await?;
    let body = required(json_body(&req, payload).await?, "{\"version\": N}")?;
    let wanted: RollBack = parse(&body, "{\"version\": N}")?;
    match state
        .engine
        .roll_back(flow_type, wanted.version, &actor(&req, &token))
        .await
        .map_err(failed)?
    {
        Some(version) => {
            Ok(HttpResponse::Ok()
                .json(json!({ "version": version, "rolledBackTo": wanted.version })))
        }
        None => Err(ApiError::no_version(flow_type, &wanted.version.to_string())),
    }
}

#[derive(Deserialize)]
struct Enabled {
    enabled: bool,
}

async fn set_enabled(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    let (token, flow_type) = begin(&req, &state).await?;
    let body = required(json_body(&req, payload).await?, "{\"enabled\": true|false}")?;
    let wanted: Enabled = parse(&body, "{\"enabled\": true|false}")?;
    state
        .engine
        .set_flow_enabled(flow_type, wanted.enabled, &actor(&req, &token))
        .await
        .map_err(failed)?;
    Ok(HttpResponse::Ok()
        .json(json!({ "flowType": flow_type.as_str(), "enabled": wanted.enabled })))
}

/// A method the path does not take. The token is checked first, so that without one the
/// API says nothing about itself.
async fn refused_method(req: HttpRequest, state: web::Data<AppState>, allow: String) -> Answer {
    caller(&req, &state).await?;
    Err(ApiError::method_not_allowed(
        Api::Manage,
        req.method().as_str(),
        req.path(),
        &allow,
    ))
}

async fn unknown_route(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    caller(&req, &state).await?;
    Err(ApiError::no_route(req.method().as_str(), req.path()))
}
