//! SQLite statements of `store::audit`.

pub const INSERT: &str = "INSERT INTO audit_log (id, at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)";

/// Newest first. `$1` part of the actor, `$2` part of the action ('' for any), `$3`..`$4`
/// the time range (RFC 3339 text sorts in time order).
pub const SEARCH: &str = "SELECT at, actor, action, subject, detail FROM audit_log \
     WHERE ($1 = '' OR instr(actor, $1) > 0) AND ($2 = '' OR instr(action, $2) > 0) \
     AND at >= $3 AND at < $4 ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6";

pub const RECENT: &str =
    "SELECT at, actor, action, subject, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1";

/// A batch of the oldest entries (`$2` at most) written before `$1`.
pub const PURGE: &str = "DELETE FROM audit_log WHERE id IN \
     (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)";
