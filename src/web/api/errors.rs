//! Protocol errors of the Flow Execution API, in WSO2's shape and with WSO2's codes, mapped
//! in one place. A problem the person can fix (a wrong code, a field) is not one of these: it
//! comes back as the same view with its messages, and the execution stays alive.

use crate::engine::{EngineError, FlowType, ProofProblem};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: &'static str,
    pub description: String,
    pub flow_type: Option<FlowType>,
    /// Seconds, for a 429 or a 503.
    pub retry_after: Option<u64>,
    /// The methods the path takes, for a 405.
    pub allow: Option<String>,
    /// The scheme a 401 asks for, in `WWW-Authenticate`.
    pub challenge: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_type: Option<&'static str>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: &'static str,
        description: impl Into<String>,
        flow_type: Option<FlowType>,
    ) -> Self {
        Self {
            status,
            code,
            message,
            description: description.into(),
            flow_type,
            retry_after: None,
            allow: None,
            challenge: None,
        }
    }

    /// A method the path does not take (`TRACE`, `PUT`…): JSON like every other refusal,
    /// with the methods it does take in `Allow`.
    pub fn method_not_allowed(method: &str, path: &str, allow: &str) -> Self {
        Self {
            allow: Some(allow.to_owned()),
            ..Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "FE-60405",
                "Method not allowed.",
                format!("{method} {path} is not a route; this path takes {allow}."),
                None,
            )
        }
    }

    pub fn invalid_flow_id(flow_type: Option<FlowType>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60001",
            "Invalid flow id.",
            "The flowId is unknown or its flow has expired; start the flow again.",
            flow_type,
        )
    }

    pub fn no_flow_id() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60004",
            "Undefined flow id.",
            "An actionId was sent without the flowId of the flow it belongs to.",
            None,
        )
    }

    pub fn cannot_go_on(flow_type: FlowType, description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60006",
            "Flow execution failed.",
            description,
            Some(flow_type),
        )
    }

    pub fn unreadable(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60007",
            "The request could not be processed.",
            description,
            None,
        )
    }

    pub fn too_large(limit: usize) -> Self {
        Self {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            ..Self::unreadable(format!("The body is larger than {} KiB.", limit / 1024))
        }
    }

    pub fn not_json() -> Self {
        Self {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ..Self::unreadable("Send the request as Content-Type: application/json.")
        }
    }

    pub fn rate_limited(seconds: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: Some(seconds),
            ..Self::unreadable(format!(
                "Too many requests from this address; try again in {seconds} seconds."
            ))
        }
    }

    /// The client application has started as many flows as its own limit allows for now.
    pub fn application_busy(seconds: u64) -> Self {
        Self {
            description: format!(
                "This application has started as many flows as it may for now; try again in {seconds} seconds."
            ),
            ..Self::rate_limited(seconds)
        }
    }

    pub fn invalid_inputs(flow_type: Option<FlowType>, description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60008",
            "Invalid user inputs.",
            description,
            flow_type,
        )
    }

    pub fn invalid_action(flow_type: FlowType, action: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60009",
            "Invalid action id.",
            format!("{action:?} is not a button of the current view."),
            Some(flow_type),
        )
    }

    pub fn no_flow_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60011",
            "Flow type not provided.",
            "Send flowType to start a flow, or flowId to continue one.",
            None,
        )
    }

    pub fn unknown_flow_type(raw: &str) -> Self {
        let shown: String = raw.chars().take(64).collect();
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60103",
            "Invalid flow type.",
            format!(
                "{shown:?} is not a flow type: use REGISTRATION, PASSWORD_RECOVERY or INVITED_USER_REGISTRATION."
            ),
            None,
        )
    }

    pub fn disabled(flow_type: FlowType) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "FE-60104",
            "Flow is disabled.",
            format!("The {flow_type} flow is not available at the moment."),
            Some(flow_type),
        )
    }

    /// The client application requires a signed proof, and this call's is missing or bad.
    pub fn no_proof(problem: ProofProblem, flow_type: Option<FlowType>) -> Self {
        Self {
            challenge: Some(crate::engine::client_proof::HEADER),
            ..Self::new(
                StatusCode::UNAUTHORIZED,
                "FE-60401",
                "Client proof required.",
                problem.describe(),
                flow_type,
            )
        }
    }

    /// This server starts flows through the API only for registered applications.
    pub fn application_required(flow_type: FlowType) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FE-60403",
            "Application required.",
            "This server starts flows only for registered client applications: send the applicationId of yours.",
            Some(flow_type),
        )
    }

    pub fn server() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "FE-65001",
            "Server error.",
            "Something went wrong on the server; try again later.",
            None,
        )
    }

    /// The database cannot serve for a moment, or password hashing is saturated: nothing
    /// changed, the same request will do.
    pub fn unavailable() -> Self {
        Self {
            retry_after: Some(u64::from(crate::web::error::UNAVAILABLE_RETRY_SECONDS)),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "FE-65003",
                "Service unavailable.",
                "The server cannot serve this request for a moment (its database is unreachable, or it is saturated); nothing was changed. Send the same request again after Retry-After seconds.",
                None,
            )
        }
    }

    /// The engine's refusals that are the client's doing; anything else is ours (logged here,
    /// never described to the client).
    pub fn from_engine(e: EngineError, flow_type: Option<FlowType>) -> Self {
        match e {
            EngineError::UnknownExecution => Self::invalid_flow_id(flow_type),
            EngineError::Expired(execution) => Self::invalid_flow_id(Some(execution.flow_type)),
            EngineError::FlowDisabled(t) | EngineError::NoPublishedFlow(t) => Self::disabled(t),
            EngineError::InvalidAction(action) => match flow_type {
                Some(t) => Self::invalid_action(t, &action),
                None => Self::invalid_inputs(None, "That action is not offered."),
            },
            EngineError::UnexpectedInput(key) => {
                let shown: String = key.chars().take(64).collect();
                Self::invalid_inputs(
                    flow_type,
                    format!("The input {shown:?} is not offered by the current view."),
                )
            }
            other if other.is_unavailable() => {
                let reason = other.unavailable_reason().unwrap_or("");
                tracing::warn!(reason, error = %other, "flow execution API: cannot serve now");
                Self::unavailable()
            }
            other => {
                tracing::error!(error = %other, "flow execution API failed");
                Self::server()
            }
        }
    }

    pub fn response(&self) -> HttpResponse {
        let body = Body {
            code: self.code,
            message: self.message,
            description: &self.description,
            flow_type: self.flow_type.map(FlowType::as_str),
        };
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(scheme) = self.challenge {
            response.insert_header((actix_web::http::header::WWW_AUTHENTICATE, scheme));
        }
        if let Some(allow) = &self.allow {
            response.insert_header((actix_web::http::header::ALLOW, allow.clone()));
        }
        response.json(body)
    }
}
