//! The approval queue of the management API, under `/api/v1/approvals`: the accounts a
//! registration left waiting (`RequireApproval`), oldest first, and the decision on each.
//! The same tokens, body rules and `FM-…` codes as the rest of it (`manage.rs` mounts these
//! routes with its own); the engine decides, mails the person and audits, as the token.

use super::codes;
use super::errors::ApiError;
use super::manage::{Answer, actor, caller, failed, json_body, parse, required};
use crate::domain::UserId;
use crate::engine::{Decided, Decision, ReasonProblem};
use crate::store::{ApiTokenRow, to_text};
use crate::web::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

/// How many waiting accounts one `GET /api/v1/approvals` lists unless `limit` says, and at
/// most.
const LIMIT: (i64, i64) = (50, 200);

/// The integer query parameter `name`, `default` when absent, refused (FM-40005) outside
/// `range`.
fn query_number(
    query: &[(String, String)],
    name: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ApiError> {
    let Some((_, raw)) = query.iter().rev().find(|(k, _)| k == name) else {
        return Ok(default);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(ApiError::new(
            codes::FM_BAD_PARAMETER,
            format!(
                "`{name}` must be a whole number from {} to {}.",
                range.start(),
                range.end()
            ),
        )),
    }
}

pub(super) async fn approval_queue(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    caller(&req, &state).await?;
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let (default, most) = LIMIT;
    let limit = query_number(&query, "limit", default, 1..=most)?;
    let offset = query_number(&query, "offset", 0, 0..=i64::from(i32::MAX))?;
    let (rows, total) = state
        .engine
        .approval_queue(limit, offset)
        .await
        .map_err(failed)?;
    let accounts: Vec<Value> = rows
        .iter()
        .map(|u| {
            json!({
                "id": u.id.to_string(),
                "email": u.email,
                "attributes": u.attributes,
                "registeredAt": to_text(u.created_at),
                "locale": u.locale,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "total": total, "accounts": accounts })))
}

/// Nothing waits under the id of the path: never there, or decided already.
fn not_waiting(raw: &str) -> ApiError {
    let shown: String = raw.chars().take(64).collect();
    ApiError::new(
        codes::FM_NOT_WAITING,
        format!(
            "No account waits for approval under the id {shown}: someone decided on it already, or there was none."
        ),
    )
}

/// Takes `decision` on the account of the path, as `token`.
async fn decide(
    req: &HttpRequest,
    state: &AppState,
    token: &ApiTokenRow,
    decision: &Decision,
) -> Answer {
    let raw = req.match_info().get("id").unwrap_or_default();
    let Ok(id) = raw.parse::<UserId>() else {
        return Err(not_waiting(raw));
    };
    let decided = state
        .engine
        .decide_approval(id, decision, &actor(req, token))
        .await
        .map_err(failed)?
        .map_err(|problem| {
            let code = match problem {
                ReasonProblem::Missing => codes::FM_NO_REASON,
                ReasonProblem::TooLong => codes::FM_REASON_TOO_LONG,
            };
            ApiError::new(code, problem.to_string())
        })?;
    let status = match decided {
        Decided::Approved => "APPROVED",
        Decided::Rejected => "REJECTED",
        Decided::NotWaiting => return Err(not_waiting(raw)),
    };
    Ok(HttpResponse::Ok().json(json!({ "status": status })))
}

pub(super) async fn approve(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let token = caller(&req, &state).await?;
    decide(&req, &state, &token, &Decision::Approve).await
}

#[derive(Deserialize)]
struct Rejection {
    /// Missing is the engine's refusal (FM-40003), like an empty one.
    #[serde(default)]
    reason: String,
}

pub(super) async fn reject(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    // The token first, so that without one the API says nothing about the body.
    let token = caller(&req, &state).await?;
    const WHAT: &str = "{\"reason\": \"…\"}";
    let body = required(json_body(&req, payload).await?, WHAT)?;
    let wanted: Rejection = parse(&body, WHAT)?;
    decide(
        &req,
        &state,
        &token,
        &Decision::Reject {
            reason: wanted.reason,
        },
    )
    .await
}
