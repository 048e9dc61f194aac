//! What the signed, encrypted cookie holds: execution ids per flow type, the CSRF token,
//! the signed-in user, the chosen language and a one-shot notice. Never a secret of the
//! person's (password, code, link token).

use crate::domain::{ExecutionId, UserId};
use crate::engine::FlowType;
use actix_session::Session;

fn execution_key(flow_type: FlowType) -> String {
    format!("x.{}", flow_type.as_str())
}

pub fn execution(session: &Session, flow_type: FlowType) -> Option<ExecutionId> {
    session
        .get::<String>(&execution_key(flow_type))
        .ok()
        .flatten()
        .and_then(|s| s.parse().ok())
}

pub fn set_execution(session: &Session, flow_type: FlowType, id: ExecutionId) {
    let _ = session.insert(execution_key(flow_type), id.to_string());
}

pub fn forget_execution(session: &Session, flow_type: FlowType) {
    session.remove(&execution_key(flow_type));
}

/// A notice to show once on the next page (Post/Redirect/Get).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Flash {
    pub key: String,
    pub args: Vec<(String, String)>,
    pub error: bool,
}

pub fn set_flash(session: &Session, key: &str, args: Vec<(String, String)>, error: bool) {
    let _ = session.insert(
        "flash",
        Flash {
            key: key.to_owned(),
            args,
            error,
        },
    );
}

pub fn take_flash(session: &Session) -> Option<Flash> {
    // `remove` marks the session changed even when there is nothing to remove, which would
    // re-encrypt and re-send the cookie on every page view.
    if !session.contains_key("flash") {
        return None;
    }
    session.remove_as::<Flash>("flash").and_then(Result::ok)
}

pub fn user(session: &Session) -> Option<(UserId, i64)> {
    let id = session.get::<String>("uid").ok().flatten()?.parse().ok()?;
    let version = session.get::<i64>("uav").ok().flatten()?;
    Some((id, version))
}

/// Signs a user in: a fresh session id prevents fixation.
pub fn sign_in(session: &Session, id: UserId, auth_version: i64) {
    session.renew();
    let _ = session.insert("uid", id.to_string());
    let _ = session.insert("uav", auth_version);
    crate::web::csrf::rotate(session);
}

pub fn sign_out(session: &Session) {
    session.remove("uid");
    session.remove("uav");
    session.renew();
    crate::web::csrf::rotate(session);
}

pub fn language(session: &Session) -> Option<String> {
    session.get::<String>("lang").ok().flatten()
}

pub fn set_language(session: &Session, tag: &str) {
    let _ = session.insert("lang", tag.to_owned());
}
