//! PostgreSQL statements of `store::login_failures`.

/// A failure opens a window or counts in the open one; a window older than `$3` starts over.
/// One statement: concurrent failures on several instances each count. `$4` is the account
/// the address belongs to, when it has one.
pub const RECORD: &str = "INSERT INTO login_failures (subject_hash, failures, window_start, user_id) VALUES ($1, 1, $2::timestamptz, $4::uuid) \
     ON CONFLICT (subject_hash) DO UPDATE SET \
     user_id = COALESCE($4::uuid, login_failures.user_id), \
     failures = CASE WHEN login_failures.window_start <= $3::timestamptz THEN 1 ELSE login_failures.failures + 1 END, \
     window_start = CASE WHEN login_failures.window_start <= $3::timestamptz THEN $2::timestamptz ELSE login_failures.window_start END \
     RETURNING failures";

/// Counting starts over once the block ends.
pub const BLOCK: &str = "UPDATE login_failures SET blocked_until = $2::timestamptz, failures = 0, \
     window_start = $2::timestamptz WHERE subject_hash = $1";

pub const BLOCKED_UNTIL: &str = "SELECT flows_time(blocked_until) FROM login_failures \
     WHERE subject_hash = $1 AND blocked_until > $2::timestamptz";

pub const CLEAR: &str = "DELETE FROM login_failures WHERE subject_hash = $1";

pub const PURGE: &str = "DELETE FROM login_failures WHERE window_start < $1::timestamptz \
     AND (blocked_until IS NULL OR blocked_until < $1::timestamptz)";
