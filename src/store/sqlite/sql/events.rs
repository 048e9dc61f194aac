//! SQLite statements of `store::events`.

/// Which extensions receive which events (a JSON array each).
pub const SUBSCRIBERS: &str = "SELECT id, events FROM extensions";

pub const INSERT: &str = "INSERT INTO event_deliveries (id, extension_id, event_type, payload, status, attempts, \
     next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 'PENDING', 0, $5, $5)";

/// Due deliveries, each reserved until `$2` so that another instance leaves it alone.
pub const CLAIM: &str = "UPDATE event_deliveries SET locked_until = $2 WHERE id IN (SELECT id FROM event_deliveries \
     WHERE status = 'PENDING' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) \
     ORDER BY next_attempt_at LIMIT CAST($3 AS INTEGER)) AND (locked_until IS NULL OR locked_until <= $1) \
     RETURNING id, extension_id, event_type, payload, attempts, created_at";

pub const MARK_SENT: &str = "UPDATE event_deliveries SET status = 'SENT', sent_at = $2, attempts = attempts + 1, \
     locked_until = NULL, last_error = NULL WHERE id = $1";

pub const MARK_RETRY: &str = "UPDATE event_deliveries SET attempts = attempts + 1, next_attempt_at = $2, \
     locked_until = NULL, last_error = $3 WHERE id = $1";

pub const MARK_FAILED: &str = "UPDATE event_deliveries SET status = 'FAILED', attempts = attempts + 1, \
     locked_until = NULL, last_error = $2 WHERE id = $1";

/// Newest first, with the extension's name.
pub const FAILED: &str = "SELECT d.id, e.name, d.event_type, d.attempts, COALESCE(d.last_error, ''), d.created_at \
     FROM event_deliveries d JOIN extensions e ON e.id = d.extension_id \
     WHERE d.status = 'FAILED' ORDER BY d.created_at DESC LIMIT CAST($1 AS INTEGER)";

/// Sends a failed delivery again from now, same id: the receiver can tell it is the same.
pub const RESEND: &str = "UPDATE event_deliveries SET status = 'PENDING', next_attempt_at = $2, locked_until = NULL \
     WHERE id = $1 AND status = 'FAILED'";

pub const PURGE_SENT: &str = "DELETE FROM event_deliveries WHERE status = 'SENT' AND sent_at < $1";
