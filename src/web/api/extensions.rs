//! Extensions in the management API, under `/api/v1/extensions`: list them, register one
//! (a secret Flows made is in the answer, this once) and remove one. The same tokens, body
//! rules and `FM-…` codes as the rest of it (`manage.rs` mounts these routes with its own);
//! the engine checks, stores and audits, as the token.

use super::codes;
use super::errors::ApiError;
use super::manage::{Answer, actor, caller, failed, json_body, parse, required};
use crate::engine::{Extension, NewExtension};
use crate::store::to_text;
use crate::web::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

fn extension_json(e: &Extension) -> Value {
    json!({
        "name": e.name,
        "url": e.url,
        "timeoutMs": e.timeout_ms,
        "sendAttributes": e.send_attributes,
        "maySet": e.may_set,
        "onFailure": e.on_failure.as_str(),
        "events": e.events,
        "createdAt": to_text(e.created_at),
    })
}

pub(super) async fn list_extensions(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let token = caller(&req, &state).await?;
    let list = state
        .engine
        .extensions(&actor(&req, &token))
        .await
        .map_err(failed)?;
    let extensions: Vec<Value> = list.iter().map(extension_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "extensions": extensions })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Registration {
    name: String,
    url: String,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    timeout_ms: Option<u32>,
    #[serde(default)]
    send_attributes: Vec<String>,
    #[serde(default)]
    may_set: Vec<String>,
    #[serde(default)]
    on_failure: Option<String>,
    #[serde(default)]
    events: Vec<String>,
}

/// The engine's field names, as the API's JSON spells them.
fn wire_field(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "url" => "url",
        "secret" => "secret",
        "timeout_ms" => "timeoutMs",
        "send_attributes" => "sendAttributes",
        "may_set" => "maySet",
        "events" => "events",
        _ => "onFailure",
    }
}

pub(super) async fn add_extension(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    // The token first, so that without one the API says nothing about the body.
    let token = caller(&req, &state).await?;
    const WHAT: &str = "{\"name\": \"…\", \"url\": \"https://…\"}";
    let body = required(json_body(&req, payload).await?, WHAT)?;
    let wanted: Registration = parse(&body, WHAT)?;
    let actor = actor(&req, &token);
    let name = wanted.name.trim().to_owned();
    // The engine refuses a taken name like any other problem with the name; the API says it
    // with its own status, so a client can tell "change it" from "it is there already".
    let existing = state.engine.extensions(&actor).await.map_err(failed)?;
    if existing.iter().any(|e| e.name == name) {
        return Err(taken(&name));
    }
    let new = NewExtension {
        name: name.clone(),
        url: wanted.url,
        secret: wanted.secret.unwrap_or_default(),
        timeout_ms: wanted.timeout_ms,
        send_attributes: wanted.send_attributes,
        may_set: wanted.may_set,
        on_failure: wanted.on_failure.unwrap_or_default(),
        events: wanted.events,
    };
    let made = match state
        .engine
        .add_extension(&new, &actor)
        .await
        .map_err(failed)?
    {
        Ok(made) => made,
        Err(problem) => {
            // Taken between the look above and the act (another call registered it).
            if problem.field == "name"
                && let Ok(now) = state.engine.extensions(&actor).await
                && now.iter().any(|e| e.name == name)
            {
                return Err(taken(&name));
            }
            return Err(
                ApiError::new(codes::FM_EXTENSION_REFUSED, problem.message.english())
                    .with("field", wire_field(problem.field)),
            );
        }
    };
    let added = state
        .engine
        .extensions(&actor)
        .await
        .map_err(failed)?
        .into_iter()
        .find(|e| e.name == name)
        // Removed again between the two calls: as good as never there.
        .ok_or_else(|| no_extension(&name))?;
    let mut answer = json!({ "extension": extension_json(&added) });
    if let Some(secret) = made {
        answer["secret"] = secret.into();
    }
    Ok(HttpResponse::Created().json(answer))
}

fn taken(name: &str) -> ApiError {
    ApiError::new(
        codes::FM_EXTENSION_TAKEN,
        format!("There is already an extension called '{name}': remove it first, or choose another name."),
    )
    .with("field", "name")
}

fn no_extension(raw: &str) -> ApiError {
    let shown: String = raw.chars().take(64).collect();
    ApiError::new(
        codes::FM_NO_EXTENSION,
        format!("There is no extension called '{shown}'."),
    )
}

pub(super) async fn remove_extension(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let token = caller(&req, &state).await?;
    let name = req.match_info().get("name").unwrap_or_default().to_owned();
    let removed = state
        .engine
        .remove_extension(&name, &actor(&req, &token))
        .await
        .map_err(failed)?;
    if !removed {
        return Err(no_extension(&name));
    }
    Ok(HttpResponse::NoContent().finish())
}
