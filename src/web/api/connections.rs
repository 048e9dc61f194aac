//! Connections in the management API, under `/api/v1/connections`: list them, register one
//! (its client secret is sealed and never in any answer), remove one and ask whether its
//! provider answers. The same tokens, body rules and `FM-…` codes as the rest of it
//! (`manage.rs` mounts these routes with its own); the engine checks, stores and audits, as
//! the token.

use super::codes;
use super::errors::ApiError;
use super::manage::{Answer, actor, caller, failed, json_body, parse, required};
use crate::engine::{Connection, NewConnection};
use crate::store::to_text;
use crate::web::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn connection_json(c: &Connection) -> Value {
    json!({
        "name": c.name,
        "preset": c.preset,
        "discoveryUrl": c.discovery_url,
        "clientId": c.client_id,
        "scopes": c.scopes,
        "mapping": c.mapping,
        "createdAt": to_text(c.created_at),
    })
}

pub(super) async fn list_connections(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let token = caller(&req, &state).await?;
    let list = state
        .engine
        .connections(&actor(&req, &token))
        .await
        .map_err(failed)?;
    let connections: Vec<Value> = list.iter().map(connection_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "connections": connections })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Registration {
    name: String,
    #[serde(default)]
    preset: Option<String>,
    #[serde(default)]
    discovery_url: Option<String>,
    client_id: String,
    client_secret: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    mapping: BTreeMap<String, String>,
    #[serde(default)]
    authorize_url: String,
    #[serde(default)]
    token_url: String,
    #[serde(default)]
    userinfo_url: String,
}

/// The engine's field names, as the API's JSON spells them.
fn wire_field(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "preset" => "preset",
        "discovery_url" => "discoveryUrl",
        "client_id" => "clientId",
        "client_secret" => "clientSecret",
        "scopes" => "scopes",
        "authorize_url" => "authorizeUrl",
        "token_url" => "tokenUrl",
        "userinfo_url" => "userinfoUrl",
        _ => "mapping",
    }
}

async fn find(
    state: &AppState,
    req: &HttpRequest,
    token: &crate::store::ApiTokenRow,
    name: &str,
) -> Result<Option<Connection>, ApiError> {
    Ok(state
        .engine
        .connections(&actor(req, token))
        .await
        .map_err(failed)?
        .into_iter()
        .find(|c| c.name == name))
}

pub(super) async fn add_connection(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Answer {
    // The token first, so that without one the API says nothing about the body.
    let token = caller(&req, &state).await?;
    const WHAT: &str = "{\"name\": \"…\", \"discoveryUrl\": \"https://…\", \"clientId\": \"…\", \"clientSecret\": \"…\"}";
    let body = required(json_body(&req, payload).await?, WHAT)?;
    let wanted: Registration = parse(&body, WHAT)?;
    let name = wanted.name.trim().to_owned();
    // The engine refuses a taken name like any other problem with the name; the API says it
    // with its own status, so a client can tell "change it" from "it is there already".
    if find(&state, &req, &token, &name).await?.is_some() {
        return Err(taken(&name));
    }
    let new = NewConnection {
        name: name.clone(),
        preset: wanted.preset.unwrap_or_default(),
        discovery_url: wanted.discovery_url.unwrap_or_default(),
        client_id: wanted.client_id,
        client_secret: wanted.client_secret,
        scopes: wanted.scopes,
        mapping: wanted.mapping,
        authorize_url: wanted.authorize_url,
        token_url: wanted.token_url,
        userinfo_url: wanted.userinfo_url,
    };
    if let Err(problem) = state
        .engine
        .add_connection(&new, &actor(&req, &token))
        .await
        .map_err(failed)?
    {
        // Taken between the look above and the act (another call registered it).
        if problem.field == "name" && find(&state, &req, &token, &name).await?.is_some() {
            return Err(taken(&name));
        }
        return Err(
            ApiError::new(codes::FM_CONNECTION_REFUSED, problem.message.english())
                .with("field", wire_field(problem.field)),
        );
    }
    let added = find(&state, &req, &token, &name)
        .await?
        // Removed again between the two calls: as good as never there.
        .ok_or_else(|| no_connection(&name))?;
    Ok(HttpResponse::Created().json(json!({ "connection": connection_json(&added) })))
}

fn taken(name: &str) -> ApiError {
    ApiError::new(
        codes::FM_CONNECTION_TAKEN,
        format!("There is already a connection called '{name}': remove it first, or choose another name."),
    )
    .with("field", "name")
}

fn no_connection(raw: &str) -> ApiError {
    let shown: String = raw.chars().take(64).collect();
    ApiError::new(
        codes::FM_NO_CONNECTION,
        format!("There is no connection called '{shown}'."),
    )
}

pub(super) async fn remove_connection(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let token = caller(&req, &state).await?;
    let name = req.match_info().get("name").unwrap_or_default().to_owned();
    let removed = state
        .engine
        .remove_connection(&name, &actor(&req, &token))
        .await
        .map_err(failed)?;
    if !removed {
        return Err(no_connection(&name));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// A provider that does not answer is the answer to this question, not a failure of the
/// call: 200 with `answers: false` and the reason.
pub(super) async fn test_connection(req: HttpRequest, state: web::Data<AppState>) -> Answer {
    let token = caller(&req, &state).await?;
    let name = req.match_info().get("name").unwrap_or_default().to_owned();
    match state
        .engine
        .test_connection(&name, &actor(&req, &token))
        .await
        .map_err(failed)?
    {
        None => Err(no_connection(&name)),
        Some(Ok(())) => Ok(HttpResponse::Ok().json(json!({ "answers": true }))),
        Some(Err(why)) => Ok(HttpResponse::Ok().json(json!({ "answers": false, "problem": why }))),
    }
}
