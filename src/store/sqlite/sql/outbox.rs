//! SQLite statements of `store::outbox`.

/// `$9`, when set, leases the mail at once to the worker of the instance that queues it
/// (`store::outbox::MailLease`).
/// Queues a mail unless its recipient's quota is used up: `$11` mail at most since `$10`
/// (none when `$11` is NULL). One row back when queued, none when not: the count and the
/// insert in one statement, one round trip to the connection's thread.
pub const INSERT_MAIL: &str = "INSERT INTO outbox (id, recipient, subject, text_body, html_body, kind, status, attempts, \
     next_attempt_at, created_at, recipient_key, locked_until) SELECT $1, $2, $3, $4, $5, $6, 'PENDING', 0, $7, $7, $8, $9 \
     WHERE $11 IS NULL OR (SELECT COUNT(*) FROM outbox WHERE recipient_key = $8 AND created_at > $10) < $11 \
     RETURNING 1";

/// None: SQLite has one writer at a time, and the transaction that counts has already
/// written (its execution), so no other can count between its count and its insert. Empty
/// rather than a statement that does nothing, which cost a round trip to the connection's
/// thread on every mail queued.
pub const LOCK_RECIPIENT: &str = "";

/// Mail queued to one address since a time, whatever became of it.
pub const QUEUED_TO_SINCE: &str =
    "SELECT COUNT(*) FROM outbox WHERE recipient_key = $1 AND created_at > $2";

/// Claims due mail for one lease. The lease makes a crashed sender's mail due again once it
/// runs out: at most one duplicate, never a loss.
pub const CLAIM: &str = "UPDATE outbox SET locked_until = $2 WHERE id IN (SELECT id FROM outbox WHERE status = 'PENDING' \
     AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) AND channel = $4 ORDER BY next_attempt_at LIMIT CAST($3 AS INTEGER)) \
     AND (locked_until IS NULL OR locked_until <= $1) \
     RETURNING id, recipient, subject, text_body, html_body, kind, attempts, created_at";

/// Bodies and subject are dropped once sent: they may hold a code (a code mail's subject
/// starts with it) or a link.
pub const MARK_SENT: &str = "UPDATE outbox SET status = 'SENT', sent_at = $2, attempts = attempts + 1, locked_until = NULL, \
     subject = '', text_body = '', html_body = '', last_error = NULL WHERE id = $1";

pub const MARK_RETRY: &str = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, locked_until = NULL, last_error = $3 \
     WHERE id = $1";

/// The bodies stay, so that an administrator can send the mail again (`RETRY_FAILED`); the
/// housekeeping loop drops them once no link in them could still work (`FORGET_FAILED`).
pub const MARK_FAILED: &str = "UPDATE outbox SET status = 'FAILED', attempts = attempts + 1, locked_until = NULL, last_error = $2 WHERE id = $1";

pub const FAILED: &str = "SELECT id, recipient, subject, kind, attempts, COALESCE(last_error, ''), created_at \
     FROM outbox WHERE status = 'FAILED' ORDER BY created_at DESC LIMIT CAST($1 AS INTEGER)";

pub const RETRY_FAILED: &str = "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = $2, \
     locked_until = NULL WHERE id = $1 AND status = 'FAILED' AND text_body <> ''";

pub const FORGET_FAILED: &str = "UPDATE outbox SET text_body = '', html_body = '' WHERE status = 'FAILED' \
     AND created_at < $1 AND text_body <> ''";

pub const COUNT_BY_STATUS: &str = "SELECT status, COUNT(*) FROM outbox GROUP BY status";

/// A batch of the oldest sent mail (`$2` rows at most) sent before `$1`.
pub const PURGE_SENT: &str = "DELETE FROM outbox WHERE id IN \
     (SELECT id FROM outbox WHERE status = 'SENT' AND sent_at < $1 ORDER BY sent_at LIMIT CAST($2 AS INTEGER))";

/// A text message: its body in `text_body`, no subject or HTML.
/// Queues a text message unless its number has had `$9` messages since `$8`; one row back
/// when queued, none when not.
pub const INSERT_SMS: &str = "INSERT INTO outbox (id, recipient, subject, text_body, html_body, kind, status, attempts, \
     next_attempt_at, created_at, recipient_key, channel, prefix_key, client_key) \
     SELECT $1, $2, '', $3, '', $4, 'PENDING', 0, $5, $5, $2, 'sms', $6, $7 \
     WHERE (SELECT COUNT(*) FROM outbox WHERE recipient_key = $2 AND created_at > $8) < $9 \
     RETURNING 1";

/// Text messages queued since `$3` to the number range `$1`, and asked for by the client `$2`.
pub const SMS_SINCE: &str = "SELECT COALESCE(SUM(CASE WHEN prefix_key = $1 THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN client_key = $2 THEN 1 ELSE 0 END), 0) FROM outbox \
     WHERE (prefix_key = $1 OR client_key = $2) AND created_at > $3";
