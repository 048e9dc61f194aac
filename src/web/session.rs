//! What the signed, encrypted cookie holds: execution ids per flow type, the CSRF token,
//! the signed-in user, the chosen language and a one-shot notice. Never a secret of the
//! person's (password, code, link token).

use crate::domain::{ExecutionId, UserId};
use crate::engine::{Execution, FlowType, Journey, UnstoredStart};
use actix_session::Session;
use time::OffsetDateTime;

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

fn revision_key(flow_type: FlowType) -> String {
    format!("r.{}", flow_type.as_str())
}

fn unstored_key(flow_type: FlowType) -> String {
    format!("s.{}", flow_type.as_str())
}

/// The start of a journey not stored yet: its version and when it began, in microseconds.
type StartFacts = (String, i64);

fn start_facts(session: &Session, flow_type: FlowType) -> Option<StartFacts> {
    session
        .get::<StartFacts>(&unstored_key(flow_type))
        .ok()
        .flatten()
}

/// The journey of a flow type this person is on: stored, or carried here until its first
/// change stores it.
pub fn journey(session: &Session, flow_type: FlowType) -> Option<Journey> {
    let id = execution(session, flow_type)?;
    let Some((flow_id, micros)) = start_facts(session, flow_type) else {
        return Some(Journey::Stored(id));
    };
    let started_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000).ok()?;
    Some(Journey::Unstored(UnstoredStart {
        id,
        flow_type,
        flow_id: flow_id.parse().ok()?,
        started_at,
    }))
}

/// The execution of a flow type this person is on, at the revision they last saw committed.
pub fn set_execution(session: &Session, flow_type: FlowType, execution: &Execution) {
    let _ = session.insert(execution_key(flow_type), execution.id.to_string());
    drop_start_facts(session, flow_type);
    saw_revision(session, flow_type, execution.revision);
}

/// A journey begun and not stored: its start's facts, which are no secret of anyone's.
pub fn set_unstored(session: &Session, start: &UnstoredStart) {
    let micros = (start.started_at.unix_timestamp_nanos() / 1_000) as i64;
    let facts: StartFacts = (start.flow_id.to_string(), micros);
    let _ = session.insert(execution_key(start.flow_type), start.id.to_string());
    let _ = session.insert(unstored_key(start.flow_type), facts);
    saw_revision(session, start.flow_type, 0);
}

/// The revision of their execution this person last saw committed, on whichever instance:
/// what a cached copy must reach to serve their next page view (`Engine::load_to_show`).
pub fn seen_revision(session: &Session, flow_type: FlowType) -> Option<i64> {
    session.get::<i64>(&revision_key(flow_type)).ok().flatten()
}

/// Records the revision of a reply; unchanged, it leaves the cookie as it was. A journey
/// past revision 0 is stored (`Engine::submit_to`): its start's facts are no longer needed.
pub fn saw_revision(session: &Session, flow_type: FlowType, revision: i64) {
    if seen_revision(session, flow_type) != Some(revision) {
        let _ = session.insert(revision_key(flow_type), revision);
    }
    if revision > 0 {
        drop_start_facts(session, flow_type);
    }
}

/// A stored journey's cookie no longer carries its start; one that carries none is left
/// as it was (a removal would write the cookie again).
fn drop_start_facts(session: &Session, flow_type: FlowType) {
    let key = unstored_key(flow_type);
    if session.contains_key(&key) {
        session.remove(&key);
    }
}

pub fn forget_execution(session: &Session, flow_type: FlowType) {
    session.remove(&execution_key(flow_type));
    session.remove(&revision_key(flow_type));
    session.remove(&unstored_key(flow_type));
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

/// The next page view sends the person on to the provider they chose to sign up through.
pub fn set_away(session: &Session) {
    let _ = session.insert("away", true);
}

/// Whether this page view is the one right after a press that sent the person away.
pub fn take_away(session: &Session) -> bool {
    session.contains_key("away") && session.remove_as::<bool>("away").is_some()
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

/// The console's own sign-in, beside (never instead of) an end user's: the administrator's
/// id, the auth version it was granted under, and when the console was last used, so an idle
/// session ends.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AdminSession {
    pub id: String,
    pub auth_version: i64,
    pub seen: i64,
}

const ADMIN_KEY: &str = "admin";

pub fn admin(session: &Session) -> Option<AdminSession> {
    session.get::<AdminSession>(ADMIN_KEY).ok().flatten()
}

pub fn set_admin(session: &Session, admin: &AdminSession) {
    let _ = session.insert(ADMIN_KEY, admin);
}

/// Signs an administrator in: a fresh session id and CSRF token prevent fixation.
pub fn sign_in_admin(session: &Session, admin: &AdminSession) {
    session.renew();
    set_admin(session, admin);
    crate::web::csrf::rotate(session);
}

pub fn sign_out_admin(session: &Session) {
    session.remove(ADMIN_KEY);
    session.renew();
    crate::web::csrf::rotate(session);
}

/// A one-line console message for the next page (Post/Redirect/Get). Console text is not
/// from the end users' catalogues, so it is stored as written.
pub fn set_admin_flash(session: &Session, text: &str, error: bool) {
    let _ = session.insert("admin_flash", (text.to_owned(), error));
}

pub fn take_admin_flash(session: &Session) -> Option<(String, bool)> {
    if !session.contains_key("admin_flash") {
        return None;
    }
    session
        .remove_as::<(String, bool)>("admin_flash")
        .and_then(Result::ok)
}
