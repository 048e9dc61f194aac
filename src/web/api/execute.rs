//! `POST /api/server/v1/flow/execute` (and `/t/{tenant}/…`): the Flow Execution API. The
//! same engine, executions, limits and audit as the hosted pages; only the rendering differs.

use super::errors::{Api, ApiError, without_position};
use super::wire::{self, ExecuteRequest};
use super::{ApiRoute, cors};
use crate::engine::{FlowType, InvitationProblem, Reply, Submission};
use crate::i18n::{Locale, Tr};
use crate::web::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use std::collections::HashMap;

pub const PATH: &str = "/api/server/v1/flow/execute";
pub const TENANT_PATH: &str = "/t/{tenant}/api/server/v1/flow/execute";

/// A request is a few inputs; this leaves room for long ones and refuses floods.
const MAX_BODY: usize = 64 * 1024;

/// POST runs the flow, OPTIONS answers the CORS preflight; at both paths. Each row is one
/// route of its own (another method at these paths falls through to the site's 404).
pub static ROUTES: &[ApiRoute] = &[
    route!(POST PATH => execute),
    route!(OPTIONS PATH => cors::preflight),
    route!(POST TENANT_PATH => execute),
    route!(OPTIONS TENANT_PATH => cors::preflight),
];

async fn execute(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let started = tokio::time::Instant::now();
    let (answer, flow_type) = match run(&req, payload, &state).await {
        Ok((response, flow_type)) => (HttpResponse::Ok().json(response), Some(flow_type)),
        Err(e) => (e.error_response(), e.flow_type),
    };
    // The same floor as the hosted recovery pages: whether an account exists changes the
    // work done around a request, and a padded answer does not show it.
    if flow_type == Some(FlowType::PasswordRecovery) {
        tokio::time::sleep_until(started + crate::web::RECOVERY_ANSWER_FLOOR).await;
    }
    cors::allow(&req, &state, answer).await
}

async fn read_body(req: &HttpRequest, payload: web::Payload) -> Result<web::BytesMut, ApiError> {
    if super::media_type(req).as_deref() != Some("application/json") {
        return Err(ApiError::not_json());
    }
    super::read_limited(payload, MAX_BODY)
        .await
        .map_err(|problem| ApiError::body(Api::Execute, problem, MAX_BODY))
}

fn parse(body: &[u8]) -> Result<ExecuteRequest, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::unreadable(
            "The body is empty: send a JSON object.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        let what = without_position(&e);
        let description = format!("{what} (line {}, column {}).", e.line(), e.column());
        if e.is_data() {
            ApiError::invalid_inputs(None, description)
        } else {
            ApiError::unreadable(format!("The body is not valid JSON: {description}"))
        }
    })
}

/// The client's language, from `Accept-Language`.
fn translator(req: &HttpRequest, state: &AppState) -> Tr {
    let locale = Locale::negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    Tr::with(locale, state.engine.messages())
}

async fn run(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
) -> Result<(wire::ExecuteResponse, FlowType), ApiError> {
    if let Some(seconds) = crate::web::pages::limited_for(req) {
        return Err(ApiError::rate_limited(seconds));
    }
    let body = read_body(req, payload).await?;
    let request = parse(&body)?;
    let tr = translator(req, state);
    let reply = match request.flow_id.clone() {
        Some(raw_id) => continue_flow(req, state, &tr, &raw_id, request).await?,
        None => start_flow(req, state, &tr, request).await?,
    };
    let flow_type = reply.execution().flow_type;
    Ok((render(state, &tr, reply).await?, flow_type))
}

async fn start_flow(
    req: &HttpRequest,
    state: &AppState,
    tr: &Tr,
    request: ExecuteRequest,
) -> Result<Reply, ApiError> {
    if request.action_id.is_some() {
        return Err(ApiError::no_flow_id());
    }
    let raw = request
        .flow_type
        .as_deref()
        .ok_or_else(ApiError::no_flow_type)?;
    let flow_type: FlowType = raw
        .parse()
        .map_err(|()| ApiError::unknown_flow_type(Api::Execute, raw))?;
    let mut inputs = wire::inputs_of(request.inputs, Some(flow_type))?;
    let mut prefill = HashMap::new();
    // An empty `applicationId` is none: SDKs send "" when no application is configured.
    match request.application_id.filter(|app| !app.trim().is_empty()) {
        Some(app) => {
            let known = state
                .engine
                .application(&app)
                .await
                .map_err(|e| ApiError::from_engine(e, Some(flow_type)))?;
            let Some(known) = known else {
                return Err(ApiError::invalid_inputs(
                    Some(flow_type),
                    "The applicationId names no registered application.",
                ));
            };
            // Checked before its limit is counted: calls without its proof must not use up
            // what its own clients may start.
            state
                .engine
                .check_client_proof(&known, proof_of(req), flow_type.as_str(), true)
                .map_err(|problem| ApiError::no_proof(problem, Some(flow_type)))?;
            // Its own limit, beside the per-address one: a minute's worth may come at once.
            let limit = known.starts_per_minute;
            if let Err(wait) =
                state
                    .app_starts
                    .take(known.id.clone(), std::time::Instant::now(), limit, limit)
            {
                metrics::counter!("flows_application_limited_total").increment(1);
                return Err(ApiError::application_busy(wait));
            }
            prefill.insert("application_id".to_owned(), app);
        }
        None if state.engine.settings().api_requires_application => {
            return Err(ApiError::application_required(flow_type));
        }
        None => {}
    }
    let engine = &state.engine;
    let client = crate::web::client_address(req);
    let reply = if flow_type == FlowType::InvitedUserRegistration {
        let code = inputs.remove("confirmationCode").ok_or_else(|| {
            ApiError::invalid_inputs(
                Some(flow_type),
                "An invited registration starts with inputs.confirmationCode, the code from the invitation link.",
            )
        })?;
        match Box::pin(engine.start_invitation_with(&code, tr.locale, prefill, client.as_deref()))
            .await
        {
            Ok(Ok(reply)) => reply,
            Ok(Err(problem)) => {
                return Err(ApiError::cannot_go_on(
                    flow_type,
                    invitation_words(&problem),
                ));
            }
            Err(e) => return Err(ApiError::from_engine(e, Some(flow_type))),
        }
    } else {
        Box::pin(engine.start(flow_type, prefill, tr.locale, client.as_deref()))
            .await
            .map_err(|e| ApiError::from_engine(e, Some(flow_type)))?
    };
    Ok(reply)
}

/// The `Flows-Client-Proof` header, if the call carries a readable one.
fn proof_of(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(crate::engine::client_proof::HEADER)
        .and_then(|v| v.to_str().ok())
}

fn invitation_words(problem: &InvitationProblem) -> &'static str {
    match problem {
        InvitationProblem::Unknown => "Invalid Code: the invitation code is not known.",
        InvitationProblem::Accepted => "The invitation was accepted already.",
        InvitationProblem::Revoked => "The invitation was revoked.",
        InvitationProblem::Replaced => "A newer invitation replaced this one.",
        InvitationProblem::Expired => "The invitation has expired.",
        InvitationProblem::AccountExists => "The invited address already has an account.",
    }
}

async fn continue_flow(
    req: &HttpRequest,
    state: &AppState,
    tr: &Tr,
    raw_id: &str,
    request: ExecuteRequest,
) -> Result<Reply, ApiError> {
    let id = raw_id
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid_flow_id(None))?;
    let engine = &state.engine;
    // `flowType` on a continuation is ignored: WSO2's clients send it on every call.
    let execution = engine
        .load(id)
        .await
        .map_err(|e| ApiError::from_engine(e, None))?;
    let flow_type = execution.flow_type;
    if let Some(app) = execution.attribute("application_id") {
        // An application deleted since the flow started no longer asks for anything.
        if let Some(app) = engine
            .application(app)
            .await
            .map_err(|e| ApiError::from_engine(e, Some(flow_type)))?
        {
            engine
                .check_client_proof(&app, proof_of(req), &id.to_string(), false)
                .map_err(|problem| ApiError::no_proof(problem, Some(flow_type)))?;
        }
    }
    let inputs = wire::inputs_of(request.inputs, Some(flow_type))?;
    if execution.is_away()
        && ["code", "state", "error"]
            .iter()
            .any(|k| inputs.contains_key(*k))
    {
        // The provider's callback, handed over by the client, as WSO2 documents it.
        let callback = crate::engine::Callback {
            code: inputs.get("code").cloned(),
            state: inputs.get("state").cloned(),
            error: inputs.get("error").cloned(),
        };
        let client = crate::web::client_address(req);
        return Box::pin(engine.social_callback(id, callback, tr.locale, client.as_deref()))
            .await
            .map_err(|e| ApiError::from_engine(e, Some(flow_type)));
    }
    let Some(action) = request.action_id else {
        // No action: where the flow stands now (say, after its e-mailed link was confirmed
        // on another device).
        return Ok(Reply::Stale { execution });
    };
    // Only now: the call that asks where the flow stands (above) has no use for it.
    let client = crate::web::client_address(req);
    let submission = Submission {
        step: None,
        action,
        inputs,
        // The API has no rendered form to time; clients are guarded by their own limits.
        too_fast: false,
    };
    // Boxed, as are the starts above: a submit runs executors, and its future is many
    // kilobytes that a call asking only where the flow stands would otherwise carry and copy.
    Box::pin(engine.submit(id, submission, tr.locale, client.as_deref()))
        .await
        .map_err(|e| ApiError::from_engine(e, Some(flow_type)))
}

async fn render(
    state: &AppState,
    tr: &Tr,
    reply: Reply,
) -> Result<wire::ExecuteResponse, ApiError> {
    let shown = state
        .engine
        .show(&reply, tr)
        .await
        .map_err(|e| ApiError::from_engine(e, Some(reply.execution().flow_type)))?;
    Ok(wire::response(shown))
}
