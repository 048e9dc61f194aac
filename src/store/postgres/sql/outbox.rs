//! PostgreSQL statements of `store::outbox`.

/// Queues a message unless its recipient's quota is used up (`$11` mail at most since `$10`,
/// none when `$11` is NULL; `LOCK_RECIPIENT` first), and notifies `flows_outbox`: PostgreSQL
/// delivers the notification when the transaction commits (never for one rolled back), to
/// every instance listening, so a worker wakes at once instead of at its next poll. Mail
/// leased at once to the queuing instance's worker (`$9`, `store::outbox::MailLease`) wakes no
/// one. One row back when queued, none when not.
pub const INSERT_MAIL: &str = "WITH queued AS (INSERT INTO outbox (id, recipient, subject, text_body, html_body, kind, status, \
     attempts, next_attempt_at, created_at, recipient_key, locked_until) SELECT $1::uuid, $2, $3, $4, $5, $6, 'PENDING', 0, \
     $7::timestamptz, $7::timestamptz, $8, $9::timestamptz \
     WHERE $11::bigint IS NULL OR (SELECT COUNT(*) FROM outbox WHERE recipient_key = $8 AND created_at > $10::timestamptz) < $11::bigint \
     RETURNING 1) \
     SELECT 1::bigint FROM queued LEFT JOIN LATERAL (SELECT pg_notify('flows_outbox', '') WHERE $9::timestamptz IS NULL) AS notified ON true";

/// Serialises the quota check of one address until the transaction ends: under READ
/// COMMITTED two transactions could otherwise both count below the quota and both queue.
pub const LOCK_RECIPIENT: &str = "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtext('flows_mail:' || $1::text))) AS locked";

/// Mail queued to one address since a time, whatever became of it.
pub const QUEUED_TO_SINCE: &str =
    "SELECT COUNT(*) FROM outbox WHERE recipient_key = $1 AND created_at > $2::timestamptz";

/// Claims due mail for one lease. The lease makes a crashed sender's mail due again once it
/// runs out: at most one duplicate, never a loss. Rows another worker is claiming right now
/// are skipped rather than waited for; the outer condition, checked again on the locked row,
/// keeps a row from being claimed twice in any case. An UPDATE returns its rows in no
/// particular order, so they are put back in queue order: mail goes out as it was queued.
pub const CLAIM: &str = "WITH claimed AS (UPDATE outbox SET locked_until = $2::timestamptz WHERE id IN (SELECT id FROM outbox \
     WHERE status = 'PENDING' AND next_attempt_at <= $1::timestamptz \
     AND (locked_until IS NULL OR locked_until <= $1::timestamptz) AND channel = $4 ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) \
     AND (locked_until IS NULL OR locked_until <= $1::timestamptz) \
     RETURNING id, recipient, subject, text_body, html_body, kind, attempts, next_attempt_at, created_at) \
     SELECT id::text, recipient, subject, text_body, html_body, kind, attempts, flows_time(created_at) \
     FROM claimed ORDER BY next_attempt_at, created_at, id";

/// Bodies and subject are dropped once sent: they may hold a code (a code mail's subject
/// starts with it) or a link.
pub const MARK_SENT: &str = "UPDATE outbox SET status = 'SENT', sent_at = $2::timestamptz, attempts = attempts + 1, \
     locked_until = NULL, subject = '', text_body = '', html_body = '', last_error = NULL WHERE id = $1::uuid";

pub const MARK_RETRY: &str = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2::timestamptz, \
     locked_until = NULL, last_error = $3 WHERE id = $1::uuid";

/// The bodies stay, so that an administrator can send the mail again (`RETRY_FAILED`); the
/// housekeeping loop drops them once no link in them could still work (`FORGET_FAILED`).
pub const MARK_FAILED: &str = "UPDATE outbox SET status = 'FAILED', attempts = attempts + 1, locked_until = NULL, last_error = $2 WHERE id = $1::uuid";

pub const FAILED: &str = "SELECT id::text, recipient, subject, kind, attempts, COALESCE(last_error, ''), flows_time(created_at) \
     FROM outbox WHERE status = 'FAILED' ORDER BY created_at DESC LIMIT $1";

/// The id comes from the console's Retry button: `flows_uuid`.
pub const RETRY_FAILED: &str = "UPDATE outbox SET status = 'PENDING', attempts = 0, next_attempt_at = $2::timestamptz, \
     locked_until = NULL WHERE id = flows_uuid($1) AND status = 'FAILED' AND text_body <> ''";

pub const FORGET_FAILED: &str = "UPDATE outbox SET text_body = '', html_body = '' WHERE status = 'FAILED' \
     AND created_at < $1::timestamptz AND text_body <> ''";

pub const COUNT_BY_STATUS: &str = "SELECT status, COUNT(*) FROM outbox GROUP BY status";

/// A batch of the oldest sent mail (`$2` rows at most) sent before `$1`.
pub const PURGE_SENT: &str = "DELETE FROM outbox WHERE id IN \
     (SELECT id FROM outbox WHERE status = 'SENT' AND sent_at < $1::timestamptz ORDER BY sent_at LIMIT $2)";

/// A text message: its body in `text_body`, no subject or HTML. Its worker is woken in
/// process and polls; other instances' mail workers need no wake for it.
/// Queues a text message unless its number has had `$9` messages since `$8`
/// (`LOCK_RECIPIENT` first); one row back when queued, none when not.
pub const INSERT_SMS: &str = "INSERT INTO outbox (id, recipient, subject, text_body, html_body, kind, status, attempts, \
     next_attempt_at, created_at, recipient_key, channel, prefix_key, client_key) \
     SELECT $1::uuid, $2, '', $3, '', $4, 'PENDING', 0, $5::timestamptz, $5::timestamptz, $2, 'sms', $6, $7 \
     WHERE (SELECT COUNT(*) FROM outbox WHERE recipient_key = $2 AND created_at > $8::timestamptz) < $9::bigint \
     RETURNING 1::bigint";

/// Text messages queued since `$3` to the number range `$1`, and asked for by the client `$2`.
pub const SMS_SINCE: &str = "SELECT COUNT(*) FILTER (WHERE prefix_key = $1), COUNT(*) FILTER (WHERE client_key = $2) \
     FROM outbox WHERE (prefix_key = $1 OR client_key = $2) AND created_at > $3::timestamptz";
