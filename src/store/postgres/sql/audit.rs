//! PostgreSQL statements of `store::audit`.

pub const INSERT: &str = "INSERT INTO audit_log (id, at, actor, action, subject, detail) \
     VALUES ($1::uuid, $2::timestamptz, $3, $4, $5, $6::json)";

/// Newest first. `$1` part of the actor, `$2` part of the action ('' for any), `$3`..`$4`
/// the time range.
pub const SEARCH: &str = "SELECT flows_time(at), actor, action, subject, detail::text FROM audit_log \
     WHERE ($1 = '' OR strpos(actor, $1) > 0) AND ($2 = '' OR strpos(action, $2) > 0) \
     AND at >= $3::timestamptz AND at < $4::timestamptz ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6";

pub const RECENT: &str = "SELECT flows_time(at), actor, action, subject, detail::text FROM audit_log \
     ORDER BY at DESC, id DESC LIMIT $1";

/// A batch of the oldest entries (`$2` at most) written before `$1`.
pub const PURGE: &str = "DELETE FROM audit_log WHERE id IN \
     (SELECT id FROM audit_log WHERE at < $1::timestamptz ORDER BY at LIMIT $2)";
