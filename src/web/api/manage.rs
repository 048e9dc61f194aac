//! The flow management API under `/api/v1/flows`: read, replace, validate and publish the
//! definition of each flow type, as JSON (the format of `flows flow export`). Callers
//! authenticate with an API token (`Authorization: Bearer flows_…`), never with the console's
//! session cookie, so no CSRF is involved. Every refusal is a JSON error with a stable
//! `FM-…` code (README, "Flow management API"); no request reaches an actix default page,
//! because the handlers read paths, headers and bodies themselves instead of through
//! extractors whose errors would answer in plain text.

use super::ApiRoute;
use crate::domain::ApiToken;
use crate::engine::{Actor, DraftProblem, FlowDefinition, FlowType, Problem};
use crate::store::{ApiTokenRow, to_text};
use crate::web::AppState;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

/// A definition is a few kilobytes; this leaves room for the largest sensible one (the
/// console's import takes the same).
pub const MAX_BODY: usize = 512 * 1024;

/// Where the API lives; any other path below it is answered FM-40404.
pub const PREFIX: &str = "/api/v1/flows";

/// Every route of the API, one row per (method, path). Rows that share a path become one
/// resource, whose other methods are refused with FM-40500 and an `Allow` listing the rows'.
pub static ROUTES: &[ApiRoute] = &[
    ApiRoute {
        method: Method::GET,
        path: "/api/v1/flows",
        handler: |m| web::method(m).to(list_flows),
    },
    ApiRoute {
        method: Method::GET,
        path: "/api/v1/flows/{type}",
        handler: |m| web::method(m).to(published),
    },
    ApiRoute {
        method: Method::GET,
        path: "/api/v1/flows/{type}/versions",
        handler: |m| web::method(m).to(versions),
    },
    ApiRoute {
        method: Method::GET,
        path: "/api/v1/flows/{type}/versions/{version}",
        handler: |m| web::method(m).to(version),
    },
    ApiRoute {
        method: Method::GET,
        path: "/api/v1/flows/{type}/draft",
        handler: |m| web::method(m).to(draft),
    },
    ApiRoute {
        method: Method::PUT,
        path: "/api/v1/flows/{type}/draft",
        handler: |m| web::method(m).to(replace_draft),
    },
    ApiRoute {
        method: Method::POST,
        path: "/api/v1/flows/{type}/validate",
        handler: |m| web::method(m).to(validate),
    },
    ApiRoute {
        method: Method::POST,
        path: "/api/v1/flows/{type}/publish",
        handler: |m| web::method(m).to(publish),
    },
    ApiRoute {
        method: Method::POST,
        path: "/api/v1/flows/{type}/rollback",
        handler: |m| web::method(m).to(roll_back),
    },
    ApiRoute {
        method: Method::PUT,
        path: "/api/v1/flows/{type}/enabled",
        handler: |m| web::method(m).to(set_enabled),
    },
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
}

/// A refusal: its HTTP status, stable code, a short message, what to do about it, and any
/// fields that say more (`line` and `column` of a JSON error, the `problems` of a draft).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: &'static str,
    description: String,
    extra: serde_json::Map<String, Value>,
    headers: Vec<(HeaderName, String)>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: &'static str,
        description: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message,
            description: description.into(),
            extra: serde_json::Map::new(),
            headers: Vec::new(),
        }
    }

    fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    fn header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// An unexpected failure: logged with its cause, answered without it.
    fn internal(req: &HttpRequest, cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, path = req.path(), "internal error (management API)");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "FM-50000",
            "Internal error",
            "The server could not complete the request. It is logged; try again later.",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.message)
    }
}

impl actix_web::ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = serde_json::Map::new();
        body.insert("code".into(), self.code.into());
        body.insert("message".into(), self.message.into());
        body.insert("description".into(), self.description.clone().into());
        body.extend(self.extra.clone());
        let mut res = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                res.insert_header((name.clone(), v));
            }
        }
        res.json(Value::Object(body))
    }
}

type Answer = Result<HttpResponse, ApiError>;

/// A failure of ours (engine or store) as the API answers it: logged, never described.
fn failed<E: crate::web::error::Failure>(req: &HttpRequest) -> impl Fn(E) -> ApiError + '_ {
    move |e| ApiError::internal(req, &e)
}

/// The live API token the request carries, its use recorded.
async fn caller(req: &HttpRequest, state: &AppState) -> Result<ApiTokenRow, ApiError> {
    let presented = crate::web::bearer_token(req);
    let refuse = |error: Option<&str>| {
        let challenge = match error {
            Some(e) => format!("Bearer realm=\"flows\", error=\"{e}\""),
            None => "Bearer realm=\"flows\"".to_owned(),
        };
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "FM-40100",
            "Unauthorized",
            "Send a live API token as `Authorization: Bearer flows_…` (flows admin token create, or the console's API tokens page).",
        )
        .header(header::WWW_AUTHENTICATE, challenge)
    };
    let Some(presented) = presented else {
        return Err(refuse(None));
    };
    let Some(hash) = ApiToken::hash_of(presented) else {
        return Err(refuse(Some("invalid_token")));
    };
    match state.engine.api_token_caller(&hash).await {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(refuse(Some("invalid_token"))),
        Err(e) => Err(ApiError::internal(req, &e)),
    }
}

/// The flow type named in the path, any case.
fn flow_type(req: &HttpRequest) -> Result<FlowType, ApiError> {
    let raw = req.match_info().get("type").unwrap_or_default();
    raw.parse().map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "FM-40400",
            "Unknown flow type",
            format!(
                "{raw:?} is not a flow type: use REGISTRATION, PASSWORD_RECOVERY or INVITED_USER_REGISTRATION."
            ),
        )
    })
}

/// The token, then the flow type: what every route about one flow starts with.
async fn begin(req: &HttpRequest, state: &AppState) -> Result<(ApiTokenRow, FlowType), ApiError> {
    let token = caller(req, state).await?;
    Ok((token, flow_type(req)?))
}

/// Who a call is from, for the engine's audit entries: the token, and the client address.
fn actor(req: &HttpRequest, token: &ApiTokenRow) -> Actor {
    Actor::token(&token.name, crate::web::client_address(req))
}

/// A definition exactly as `flows flow export` prints it.
fn definition_response(def: &FlowDefinition, req: &HttpRequest) -> Answer {
    let json = serde_json::to_string_pretty(def).map_err(|e| ApiError::internal(req, &e))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(json + "\n"))
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

fn stale(current: Option<i64>) -> ApiError {
    let description = match current {
        Some(r) => format!(
            "The draft is at revision {r}, not the one in If-Match: someone changed it since you read it. GET the draft again, reapply your change, and send it with If-Match: \"{r}\"."
        ),
        None => "There is no draft to match If-Match (it was published or discarded).".into(),
    };
    ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "FM-41200",
        "Stale revision",
        description,
    )
    .with("revision", current)
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

fn no_draft(flow_type: FlowType) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "FM-40402",
        "No draft",
        format!("{flow_type} has no draft: PUT one to …/draft first."),
    )
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

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "FM-41300",
        "Body too large",
        format!("The body is larger than {} KiB.", MAX_BODY / 1024),
    )
    .with("limit", MAX_BODY)
}

/// The JSON body, read up to `MAX_BODY`; `None` when there is none.
async fn json_body(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Option<web::Bytes>, ApiError> {
    if !has_body(req) {
        return Ok(None);
    }
    if !is_json(req) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "FM-41500",
            "Not JSON",
            "Send the body as JSON, with Content-Type: application/json.",
        ));
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let body = super::read_limited(payload, MAX_BODY)
        .await
        .map_err(|problem| match problem {
            super::BodyProblem::TooLarge => too_large(),
            super::BodyProblem::Broken(e) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "FM-40000",
                "Malformed JSON",
                format!("The body could not be read: {e}."),
            ),
        })?;
    Ok(Some(body.freeze()))
}

/// The body as a `T`, or the 400 that says where and why it is not one.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        let message = e.to_string();
        // serde's message without its position, which the fields give.
        let why = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(why, _)| why);
        let (code, title, description) = match e.classify() {
            serde_json::error::Category::Data => (
                "FM-40002",
                "Not the expected JSON",
                format!(
                    "The JSON is not {what} at line {}, column {}: {why}.",
                    e.line(),
                    e.column()
                ),
            ),
            _ => (
                "FM-40000",
                "Malformed JSON",
                format!(
                    "The JSON could not be read at line {}, column {}: {why}.",
                    e.line(),
                    e.column()
                ),
            ),
        };
        ApiError::new(StatusCode::BAD_REQUEST, code, title, description)
            .with("line", e.line())
            .with("column", e.column())
    })
}

fn required(body: Option<web::Bytes>, what: &str) -> Result<web::Bytes, ApiError> {
    body.ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "FM-40000",
            "Malformed JSON",
            format!("The request has no body: send {what} as JSON."),
        )
    })
}

/// A definition from the body, for the flow type of the path.
fn definition_of(body: &[u8], flow_type: FlowType) -> Result<FlowDefinition, ApiError> {
    // serde first, for its line and column; then the document's schema, for what serde
    // would let through (a struct written as an array, a number for a name).
    let def: FlowDefinition = parse(body, "a flow definition")?;
    let value: Value = parse(body, "JSON")?;
    if let Some(problem) = super::openapi::definition_problem(&value) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "FM-40002",
            "Not the expected JSON",
            format!(
                "The JSON is not a flow definition as the API document describes it: {problem}."
            ),
        ));
    }
    if def.flow_type != flow_type {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "FM-40001",
            "Wrong flow type",
            format!(
                "The body is a {} definition; this path is for {flow_type}.",
                def.flow_type
            ),
        )
        .with("flowType", def.flow_type.as_str()));
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
        let facts = state
            .engine
            .flow_facts(flow_type)
            .await
            .map_err(failed(&req))?;
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
        .map_err(failed(&req))?
    else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "FM-40403",
            "Nothing published",
            format!("{flow_type} has no published version."),
        ));
    };
    let mut res = definition_response(&row.definition, &req)?;
    if let Ok(v) = HeaderValue::from_str(&row.version.to_string()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-flow-version"), v);
    }
    Ok(res)
}

async fn versions(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let list = state
        .engine
        .flow_versions(flow_type)
        .await
        .map_err(failed(&req))?;
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

fn no_version(flow_type: FlowType, raw: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "FM-40401",
        "No such version",
        format!("{flow_type} has no version {raw}."),
    )
}

async fn version(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let raw = req.match_info().get("version").unwrap_or_default();
    let Ok(number) = raw.parse::<i64>() else {
        return Err(no_version(flow_type, raw));
    };
    match state
        .engine
        .flow_version_by_number(flow_type, number)
        .await
        .map_err(failed(&req))?
    {
        Some(row) => {
            let mut res = definition_response(&row.definition, &req)?;
            if let Ok(v) = HeaderValue::from_str(&row.version.to_string()) {
                res.headers_mut()
                    .insert(HeaderName::from_static("x-flow-version"), v);
            }
            Ok(res)
        }
        None => Err(no_version(flow_type, raw)),
    }
}

async fn draft(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let (_, flow_type) = begin(&req, &state).await?;
    let Some(draft) = state.engine.draft(flow_type).await.map_err(failed(&req))? else {
        return Err(no_draft(flow_type));
    };
    let mut res = definition_response(&draft.definition, &req)?;
    let (name, value) = etag(draft.revision);
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(name, v);
    }
    Ok(res)
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
        .map_err(failed(req))?
        .map(|d| d.revision);
    if matches(&wanted, current) {
        Ok(current)
    } else {
        Err(stale(current))
    }
}

/// A draft act's refusal as the API says it.
fn refused(flow_type: FlowType, problem: DraftProblem) -> ApiError {
    match problem {
        DraftProblem::Missing => no_draft(flow_type),
        DraftProblem::Stale(current) => stale(current),
        DraftProblem::Problems { revision, problems } => ApiError::new(
            StatusCode::CONFLICT,
            "FM-40900",
            "The draft has problems",
            format!(
                "The draft was not published: it has {} problem(s). Fix them (PUT …/draft) and publish again.",
                problems.len()
            ),
        )
        .with("revision", revision)
        .with("problems", problems_json(&problems)),
        DraftProblem::Exists | DraftProblem::NothingToUndo => stale(None),
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
        .map_err(failed(&req))?
        .map_err(|problem| match problem {
            // A draft published or discarded after If-Match was read.
            DraftProblem::Missing => stale(None),
            other => refused(flow_type, other),
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
        None => match state.engine.draft(flow_type).await.map_err(failed(&req))? {
            Some(d) => d.definition,
            None => return Err(no_draft(flow_type)),
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
        .map_err(failed(&req))?
        .map(|d| d.revision)
    else {
        return Err(no_draft(flow_type));
    };
    if !matches(&if_match(&req), Some(current)) {
        return Err(stale(Some(current)));
    }
    // The revision checked here is the one published, or none.
    let expected = Some(current);
    let version = state
        .engine
        .publish_draft(flow_type, expected, &actor(&req, &token))
        .await
        .map_err(failed(&req))?
        .map_err(|problem| refused(flow_type, problem))?;
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
        .map_err(failed(&req))?
    {
        Some(version) => {
            Ok(HttpResponse::Ok()
                .json(json!({ "version": version, "rolledBackTo": wanted.version })))
        }
        None => Err(no_version(flow_type, &wanted.version.to_string())),
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
        .map_err(failed(&req))?;
    Ok(HttpResponse::Ok()
        .json(json!({ "flowType": flow_type.as_str(), "enabled": wanted.enabled })))
}

/// A method the path does not take. The token is checked first, so that without one the
/// API says nothing about itself.
async fn refused_method(req: HttpRequest, state: web::Data<AppState>, allow: String) -> Answer {
    caller(&req, &state).await?;
    Err(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "FM-40500",
        "Method not allowed",
        format!(
            "{} {} is not a route; this path takes {allow}.",
            req.method(),
            req.path()
        ),
    )
    .header(header::ALLOW, allow))
}

async fn unknown_route(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    caller(&req, &state).await?;
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "FM-40404",
        "No such route",
        format!(
            "{} {} is not a route of the flow management API.",
            req.method(),
            req.path()
        ),
    ))
}
