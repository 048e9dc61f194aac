//! PostgreSQL statements of `store::executions`. Execution, version and user ids are typed
//! in Rust (parsed before they get here), so a plain `::uuid` cast is safe.

pub const SELECT_EXECUTION: &str = "SELECT id::text AS id, flow_id::text AS flow_id, flow_type, step, status, \
     attributes::text AS attributes, secrets::text AS secrets, user_id::text AS user_id, revision, \
     flows_time(created_at) AS created_at, flows_time(updated_at) AS updated_at, flows_time(expires_at) AS expires_at \
     FROM executions WHERE id = $1::uuid";

pub const INSERT_EXECUTION: &str = "INSERT INTO executions (id, flow_id, flow_type, step, status, attributes, secrets, user_id, \
     revision, created_at, updated_at, expires_at, subject_key) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::jsonb, $7::jsonb, \
     $8::uuid, $9, $10::timestamptz, $11::timestamptz, $12::timestamptz, $13)";

/// Conditional on the revision read: under read committed a second writer waits for the
/// first, then finds the revision moved and changes nothing.
pub const UPDATE_EXECUTION: &str = "UPDATE executions SET step = $2, status = $3, attributes = $4::jsonb, secrets = $5::jsonb, \
     user_id = $6::uuid, revision = revision + 1, updated_at = $7::timestamptz, expires_at = $8::timestamptz, subject_key = $10 \
     WHERE id = $1::uuid AND revision = $9";

/// Bumps the revision too, so a copy read before cannot be written back.
pub const END_OTHER_RECOVERIES: &str = "UPDATE executions SET status = 'EXPIRED', revision = revision + 1, updated_at = $3::timestamptz \
     WHERE subject_key = $1 AND flow_type = 'PASSWORD_RECOVERY' AND status = 'INCOMPLETE' AND id <> $2::uuid";

/// A provider's sign-in held by an account; one already held (by any account) stays as it is.
pub const LINK_IDENTITY: &str = "INSERT INTO user_identities (connection, subject, user_id, created_at) \
     VALUES ($1, $2, $3::uuid, $4::timestamptz) ON CONFLICT (connection, subject) DO NOTHING";

pub const INSERT_USER: &str = "INSERT INTO users (id, email, email_key, email_verified, username, attributes, password_hash, \
     status, auth_version, created_at, updated_at, username_key, locale) \
     VALUES ($1::uuid, $2, $3, $4 <> 0, $5, $6::jsonb, $7, $10, 1, $8::timestamptz, $8::timestamptz, $9, $11)";

pub const INSERT_LINK: &str = "INSERT INTO link_tokens (token_hash, execution_id, step, email_key, expires_at, created_at) \
     VALUES ($1, $2::uuid, $3, $4, $5::timestamptz, $6::timestamptz)";

pub const CONSUME_LINK: &str = "UPDATE link_tokens SET used_at = $2::timestamptz \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2::timestamptz";

pub const UPDATE_PASSWORD: &str = "UPDATE users SET password_hash = $2, auth_version = auth_version + 1, \
     updated_at = $3::timestamptz WHERE id = $1::uuid";

/// A link seen expired is expired for good: its time moves to the epoch, so a clock set
/// back later cannot bring it to life again.
pub const BURN_LINK: &str = "UPDATE link_tokens SET expires_at = $3::timestamptz \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at <= $2::timestamptz";

pub const END_LINKS_FOR: &str =
    "UPDATE link_tokens SET used_at = $2::timestamptz WHERE email_key = $1 AND used_at IS NULL";

pub const SELECT_LINK: &str = "SELECT execution_id::text, step, email_key, flows_time(expires_at), flows_time(used_at) \
     FROM link_tokens WHERE token_hash = $1";

pub const COUNT_LIVE: &str =
    "SELECT COUNT(*) FROM executions WHERE status = 'INCOMPLETE' AND expires_at > $1::timestamptz";

pub const PURGE_EXPIRED: &str = "DELETE FROM executions WHERE expires_at < $1::timestamptz";

pub const COUNT_ALL: &str = "SELECT COUNT(*) FROM executions";
