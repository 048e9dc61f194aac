//! PostgreSQL statements of `store::api_tokens`.

pub const INSERT: &str = "INSERT INTO api_tokens (id, name, token_hash, created_at, created_by) \
     VALUES ($1::uuid, $2, $3, $4::timestamptz, $5)";

pub const LIVE_BY_NAME: &str =
    "SELECT id::text FROM api_tokens WHERE name = $1 AND revoked_at IS NULL";

pub const ALL: &str = "SELECT id::text, name, flows_time(created_at), created_by, flows_time(last_used_at), \
     flows_time(revoked_at) FROM api_tokens ORDER BY revoked_at IS NOT NULL, created_at DESC";

pub const REVOKE: &str = "UPDATE api_tokens SET revoked_at = $2::timestamptz \
     WHERE name = $1 AND revoked_at IS NULL";

pub const LIVE_BY_HASH: &str = "SELECT id::text, name, flows_time(created_at), created_by, flows_time(last_used_at), \
     flows_time(revoked_at) FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL";

pub const TOUCH: &str = "UPDATE api_tokens SET last_used_at = $2::timestamptz WHERE id = $1::uuid";
