//! The one error both JSON APIs answer with: a code from `codes::TABLE`, a description of
//! what happened this time, the fields some codes add, and the headers some statuses need.
//! The engine's errors become answers in one place (`ApiError::engine`), each API with its
//! own codes. A problem the person can fix (a wrong code, a field) is not one of these: the
//! execute API answers it as the same view with its messages, and the execution stays alive.

use super::BodyProblem;
use super::codes::{self, Code};
use crate::engine::{DraftProblem, EngineError, FlowType, ProofProblem};
use crate::web::error::Failure;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// Which API answers. They map the same problems, each with its own codes: the execute
/// API's are WSO2's, which its clients know, and the management API's are its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Execute,
    Manage,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::Execute => "flow execution",
            Api::Manage => "flow management",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static Code,
    description: String,
    /// The flow the refusal is about, sent as `flowType`.
    pub flow_type: Option<FlowType>,
    /// Fields a code adds beside the four (`line`, `revision`, `problems`…).
    extra: Map<String, Value>,
    headers: Vec<(HeaderName, String)>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_type: Option<&'static str>,
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

impl ApiError {
    pub fn new(code: &'static Code, description: impl Into<String>) -> Self {
        Self {
            status: code.status,
            code,
            description: description.into(),
            flow_type: None,
            extra: Map::new(),
            headers: Vec::new(),
        }
    }

    /// The same code at another of the statuses its row allows (FE-60007's 413, 415, 429).
    fn at(mut self, status: StatusCode) -> Self {
        debug_assert!(self.code.answers(status), "{} at {status}", self.code.code);
        self.status = status;
        self
    }

    pub fn about(mut self, flow_type: Option<FlowType>) -> Self {
        self.flow_type = flow_type;
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    pub fn header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn retry_after(self, seconds: u64) -> Self {
        self.header(header::RETRY_AFTER, seconds.to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code.code, self.code.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                response.insert_header((name.clone(), value));
            }
        }
        response.json(Body {
            code: self.code.code,
            message: self.code.message,
            description: &self.description,
            flow_type: self.flow_type.map(FlowType::as_str),
            extra: &self.extra,
        })
    }
}

/// At most 64 characters of what a client sent, to name it in a description.
fn shown(raw: &str) -> String {
    raw.chars().take(64).collect()
}

/// serde's message without its position, which the descriptions give in their own words.
pub fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.rsplit_once(" at line ")
        .map_or(text.as_str(), |(why, _)| why)
        .to_owned()
}

// --- Refusals both APIs make, each with its own code -------------------------------------

impl ApiError {
    /// A method the path does not take (`TRACE`, `PUT`…): JSON like every other refusal,
    /// with the methods it does take in `Allow`.
    pub fn method_not_allowed(api: Api, method: &str, path: &str, allow: &str) -> Self {
        let code = match api {
            Api::Execute => codes::FE_METHOD,
            Api::Manage => codes::FM_METHOD,
        };
        Self::new(
            code,
            format!("{method} {path} is not a route; this path takes {allow}."),
        )
        .header(header::ALLOW, allow)
    }

    pub fn unknown_flow_type(api: Api, raw: &str) -> Self {
        let code = match api {
            Api::Execute => codes::FE_UNKNOWN_FLOW_TYPE,
            Api::Manage => codes::FM_UNKNOWN_FLOW_TYPE,
        };
        Self::new(
            code,
            format!(
                "{:?} is not a flow type: use REGISTRATION, PASSWORD_RECOVERY or INVITED_USER_REGISTRATION.",
                shown(raw)
            ),
        )
    }

    /// A body that could not be read within `limit` bytes. The reader's own words stay in
    /// the log: they describe the connection, not the request.
    pub fn body(api: Api, problem: BodyProblem, limit: usize) -> Self {
        if let BodyProblem::Broken(cause) = problem {
            tracing::info!(api = api.name(), %cause, "a request body could not be read");
            let code = match api {
                Api::Execute => codes::FE_UNREADABLE,
                Api::Manage => codes::FM_MALFORMED,
            };
            return Self::new(code, "The body could not be read.");
        }
        let description = format!("The body is larger than {} KiB.", limit / 1024);
        match api {
            Api::Execute => Self::unreadable(description).at(StatusCode::PAYLOAD_TOO_LARGE),
            Api::Manage => Self::new(codes::FM_TOO_LARGE, description).with("limit", limit),
        }
    }

    /// The engine's refusals that are the client's doing, as `api` says them; anything else
    /// is a fault of ours.
    pub fn engine(api: Api, e: EngineError, flow_type: Option<FlowType>) -> Self {
        match (api, e) {
            (Api::Execute, EngineError::UnknownExecution) => Self::invalid_flow_id(flow_type),
            (Api::Execute, EngineError::Expired(execution)) => {
                Self::invalid_flow_id(Some(execution.flow_type))
            }
            (Api::Execute, EngineError::FlowDisabled(t) | EngineError::NoPublishedFlow(t)) => {
                Self::disabled(t)
            }
            (Api::Manage, EngineError::NoPublishedFlow(t)) => Self::nothing_published(t),
            (Api::Execute, EngineError::InvalidAction(action)) => match flow_type {
                Some(t) => Self::invalid_action(t, &action),
                None => Self::invalid_inputs(None, "That action is not offered."),
            },
            (Api::Execute, EngineError::UnexpectedInput(key)) => Self::invalid_inputs(
                flow_type,
                format!(
                    "The input {:?} is not offered by the current view.",
                    shown(&key)
                ),
            ),
            (api, other) => Self::fault(api, &other),
        }
    }

    /// The execute API's name for `engine`.
    pub fn from_engine(e: EngineError, flow_type: Option<FlowType>) -> Self {
        Self::engine(Api::Execute, e, flow_type)
    }

    /// A failure of ours: logged with its cause, answered without it. While the database
    /// cannot serve, both APIs say when to try again (503 and `Retry-After`).
    pub fn fault(api: Api, cause: &dyn Failure) -> Self {
        if cause.unavailable() {
            let reason = cause.reason().unwrap_or("");
            tracing::warn!(api = api.name(), reason, error = %cause, "API: cannot serve now");
            return Self::unavailable(api, cause.retry_after());
        } else {
            tracing::error!(api = api.name(), error = %cause, "API request failed");
        }
        match api {
            Api::Execute => Self::new(
                codes::FE_SERVER,
                "Something went wrong on the server; try again later.",
            ),
            Api::Manage => Self::new(
                codes::FM_INTERNAL,
                "The server could not complete the request. It is logged; try again later.",
            ),
        }
    }
}

// --- The Flow Execution API's own (WSO2's shape, docs/API.md) -----------------------------

impl ApiError {
    pub fn invalid_flow_id(flow_type: Option<FlowType>) -> Self {
        Self::new(
            codes::FE_INVALID_FLOW_ID,
            "The flowId is unknown or its flow has expired; start the flow again.",
        )
        .about(flow_type)
    }

    pub fn no_flow_id() -> Self {
        Self::new(
            codes::FE_NO_FLOW_ID,
            "An actionId was sent without the flowId of the flow it belongs to.",
        )
    }

    pub fn cannot_go_on(flow_type: FlowType, description: impl Into<String>) -> Self {
        Self::new(codes::FE_CANNOT_GO_ON, description).about(Some(flow_type))
    }

    pub fn unreadable(description: impl Into<String>) -> Self {
        Self::new(codes::FE_UNREADABLE, description)
    }

    pub fn not_json() -> Self {
        Self::unreadable("Send the request as Content-Type: application/json.")
            .at(StatusCode::UNSUPPORTED_MEDIA_TYPE)
    }

    pub fn rate_limited(seconds: u64) -> Self {
        Self::unreadable(format!(
            "Too many requests from this address; try again in {seconds} seconds."
        ))
        .at(StatusCode::TOO_MANY_REQUESTS)
        .retry_after(seconds)
    }

    /// The client application has started as many flows as its own limit allows for now.
    pub fn application_busy(seconds: u64) -> Self {
        Self::unreadable(format!(
            "This application has started as many flows as it may for now; try again in {seconds} seconds."
        ))
        .at(StatusCode::TOO_MANY_REQUESTS)
        .retry_after(seconds)
    }

    pub fn invalid_inputs(flow_type: Option<FlowType>, description: impl Into<String>) -> Self {
        Self::new(codes::FE_INVALID_INPUTS, description).about(flow_type)
    }

    pub fn invalid_action(flow_type: FlowType, action: &str) -> Self {
        Self::new(
            codes::FE_INVALID_ACTION,
            format!("{action:?} is not a button of the current view."),
        )
        .about(Some(flow_type))
    }

    pub fn no_flow_type() -> Self {
        Self::new(
            codes::FE_NO_FLOW_TYPE,
            "Send flowType to start a flow, or flowId to continue one.",
        )
    }

    pub fn disabled(flow_type: FlowType) -> Self {
        Self::new(
            codes::FE_DISABLED,
            format!("The {flow_type} flow is not available at the moment."),
        )
        .about(Some(flow_type))
    }

    /// The client application requires a signed proof, and this call's is missing or bad.
    pub fn no_proof(problem: ProofProblem, flow_type: Option<FlowType>) -> Self {
        Self::new(codes::FE_NO_PROOF, problem.describe())
            .about(flow_type)
            .header(
                header::WWW_AUTHENTICATE,
                crate::engine::client_proof::HEADER,
            )
    }

    /// This server starts flows through the API only for registered applications.
    pub fn application_required(flow_type: FlowType) -> Self {
        Self::new(
            codes::FE_APPLICATION_REQUIRED,
            "This server starts flows only for registered client applications: send the applicationId of yours.",
        )
        .about(Some(flow_type))
    }

    /// The database cannot serve for a moment, or password hashing is saturated: nothing
    /// changed, the same request will do.
    fn unavailable(api: Api, retry_after: u64) -> Self {
        let code = match api {
            Api::Execute => codes::FE_UNAVAILABLE,
            Api::Manage => codes::FM_UNAVAILABLE,
        };
        Self::new(
            code,
            "The server cannot serve this request for a moment (its database is unreachable, or it is saturated); nothing was changed. Send the same request again after Retry-After seconds.",
        )
        .retry_after(retry_after)
    }
}

// --- The flow management API's own (README.md, "Flow management API") --------------------

impl ApiError {
    /// No live API token; `error` is the RFC 6750 error when a token was sent.
    pub fn unauthorized(error: Option<&str>) -> Self {
        let challenge = match error {
            Some(e) => format!("Bearer realm=\"flows\", error=\"{e}\""),
            None => "Bearer realm=\"flows\"".to_owned(),
        };
        Self::new(
            codes::FM_UNAUTHORIZED,
            "Send a live API token as `Authorization: Bearer flows_…` (flows admin token create, or the console's API tokens page).",
        )
        .header(header::WWW_AUTHENTICATE, challenge)
    }

    pub fn no_route(method: &str, path: &str) -> Self {
        Self::new(
            codes::FM_NO_ROUTE,
            format!("{method} {path} is not a route of the flow management API."),
        )
    }

    pub fn no_draft(flow_type: FlowType) -> Self {
        Self::new(
            codes::FM_NO_DRAFT,
            format!("{flow_type} has no draft: PUT one to …/draft first."),
        )
    }

    pub fn no_version(flow_type: FlowType, raw: &str) -> Self {
        Self::new(
            codes::FM_NO_VERSION,
            format!("{flow_type} has no version {raw}."),
        )
    }

    pub fn nothing_published(flow_type: FlowType) -> Self {
        Self::new(
            codes::FM_NOTHING_PUBLISHED,
            format!("{flow_type} has no published version."),
        )
    }

    /// `If-Match` names another revision than the draft's `current` one.
    pub fn stale(current: Option<i64>) -> Self {
        let description = match current {
            Some(r) => format!(
                "The draft is at revision {r}, not the one in If-Match: someone changed it since you read it. GET the draft again, reapply your change, and send it with If-Match: \"{r}\"."
            ),
            None => "There is no draft to match If-Match (it was published or discarded).".into(),
        };
        Self::new(codes::FM_STALE, description).with("revision", current)
    }

    /// A draft act's refusal.
    pub fn draft(flow_type: FlowType, problem: DraftProblem) -> Self {
        match problem {
            DraftProblem::Missing => Self::no_draft(flow_type),
            DraftProblem::Stale(current) => Self::stale(current),
            DraftProblem::Problems { revision, problems } => Self::new(
                codes::FM_DRAFT_PROBLEMS,
                format!(
                    "The draft was not published: it has {} problem(s). Fix them (PUT …/draft) and publish again.",
                    problems.len()
                ),
            )
            .with("revision", revision)
            .with("problems", json!(problems)),
            DraftProblem::Exists | DraftProblem::NothingToUndo => Self::stale(None),
        }
    }

    pub fn body_not_json() -> Self {
        Self::new(
            codes::FM_NOT_JSON,
            "Send the body as JSON, with Content-Type: application/json.",
        )
    }

    /// A route that needs a body got none.
    pub fn no_body(what: &str) -> Self {
        Self::new(
            codes::FM_MALFORMED,
            format!("The request has no body: send {what} as JSON."),
        )
    }

    /// A body serde could not read as `what`, with where.
    pub fn json(e: &serde_json::Error, what: &str) -> Self {
        let why = without_position(e);
        let (line, column) = (e.line(), e.column());
        let (code, description) = match e.classify() {
            serde_json::error::Category::Data => (
                codes::FM_NOT_EXPECTED,
                format!("The JSON is not {what} at line {line}, column {column}: {why}."),
            ),
            _ => (
                codes::FM_MALFORMED,
                format!("The JSON could not be read at line {line}, column {column}: {why}."),
            ),
        };
        Self::new(code, description)
            .with("line", line)
            .with("column", column)
    }

    /// JSON serde took, which the document's schema refuses (`problem` says where).
    pub fn not_a_definition(problem: &str) -> Self {
        Self::new(
            codes::FM_NOT_EXPECTED,
            format!(
                "The JSON is not a flow definition as the API document describes it: {problem}."
            ),
        )
    }

    /// A definition of `found`, sent to the path of `path_type`.
    pub fn wrong_flow_type(found: FlowType, path_type: FlowType) -> Self {
        Self::new(
            codes::FM_WRONG_FLOW_TYPE,
            format!("The body is a {found} definition; this path is for {path_type}."),
        )
        .about(Some(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(e: &ApiError) -> (StatusCode, Value, Vec<(String, String)>) {
        let response = e.error_response();
        let headers = response
            .headers()
            .iter()
            .filter(|(name, _)| *name != header::CONTENT_TYPE)
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        let body = actix_web::body::to_bytes(response.into_body());
        let body = futures_util::FutureExt::now_or_never(body)
            .unwrap()
            .unwrap();
        (e.status, serde_json::from_slice(&body).unwrap(), headers)
    }

    #[test]
    fn both_apis_answer_in_one_shape() {
        let (status, body, headers) = answer(&ApiError::rate_limited(7));
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            body,
            json!({"code": "FE-60007", "message": "The request could not be processed.",
                   "description": "Too many requests from this address; try again in 7 seconds."})
        );
        assert_eq!(headers, [("retry-after".to_owned(), "7".to_owned())]);

        let (status, body, headers) = answer(&ApiError::wrong_flow_type(
            FlowType::Registration,
            FlowType::PasswordRecovery,
        ));
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "FM-40001");
        assert_eq!(body["flowType"], "REGISTRATION");
        assert!(headers.is_empty());

        let (_, body, _) = answer(&ApiError::stale(None));
        assert_eq!(body["revision"], Value::Null, "{body}");
    }

    #[test]
    fn each_api_says_a_wrong_method_with_its_own_code_and_the_same_allow() {
        for (api, code) in [(Api::Execute, "FE-60405"), (Api::Manage, "FM-40500")] {
            let (status, body, headers) = answer(&ApiError::method_not_allowed(
                api, "TRACE", "/x", "GET, PUT",
            ));
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
            assert_eq!(body["code"], code);
            assert_eq!(headers, [("allow".to_owned(), "GET, PUT".to_owned())]);
        }
    }

    #[test]
    fn the_engine_refusals_map_per_api_and_faults_say_nothing_of_their_cause() {
        let e = ApiError::engine(Api::Execute, EngineError::UnknownExecution, None);
        assert_eq!(
            (e.code.code, e.status),
            ("FE-60001", StatusCode::BAD_REQUEST)
        );
        let e = ApiError::engine(
            Api::Execute,
            EngineError::NoPublishedFlow(FlowType::Registration),
            None,
        );
        assert_eq!(e.code.code, "FE-60104");
        let e = ApiError::engine(
            Api::Manage,
            EngineError::NoPublishedFlow(FlowType::Registration),
            None,
        );
        assert_eq!(e.code.code, "FM-40403");
        for (api, code) in [(Api::Execute, "FE-65001"), (Api::Manage, "FM-50000")] {
            let e = ApiError::engine(api, EngineError::Mail("secret detail".into()), None);
            let (status, body, _) = answer(&e);
            assert_eq!(
                (e.code.code, status),
                (code, StatusCode::INTERNAL_SERVER_ERROR)
            );
            assert!(!body.to_string().contains("secret"), "{body}");
        }
    }

    #[test]
    fn a_broken_body_is_refused_without_the_readers_words() {
        for (api, code) in [(Api::Execute, "FE-60007"), (Api::Manage, "FM-40000")] {
            let e = ApiError::body(api, BodyProblem::Broken("socket detail".into()), 1024);
            let (status, body, _) = answer(&e);
            assert_eq!((e.code.code, status), (code, StatusCode::BAD_REQUEST));
            assert_eq!(body["description"], "The body could not be read.");
        }
    }

    #[test]
    fn an_unknown_flow_type_is_echoed_at_most_64_characters_long() {
        let long = "X".repeat(500);
        for api in [Api::Execute, Api::Manage] {
            let e = ApiError::unknown_flow_type(api, &long);
            assert!(e.description.len() < 200, "{}", e.description);
        }
    }
}
