//! SQLite statements of `store::executions`.

pub const SELECT_EXECUTION: &str = "SELECT id, flow_id, flow_type, step, status, attributes, secrets, user_id, revision, \
     created_at, updated_at, expires_at FROM executions WHERE id = $1";

pub const INSERT_EXECUTION: &str = "INSERT INTO executions (id, flow_id, flow_type, step, status, attributes, secrets, user_id, \
     revision, created_at, updated_at, expires_at, subject_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

pub const UPDATE_EXECUTION: &str = "UPDATE executions SET step = $2, status = $3, attributes = $4, secrets = $5, user_id = $6, \
     revision = revision + 1, updated_at = $7, expires_at = $8, subject_key = $10 WHERE id = $1 AND revision = $9";

/// Bumps the revision too, so a copy read before cannot be written back.
pub const END_OTHER_RECOVERIES: &str = "UPDATE executions SET status = 'EXPIRED', revision = revision + 1, updated_at = $3 \
     WHERE subject_key = $1 AND flow_type = 'PASSWORD_RECOVERY' AND status = 'INCOMPLETE' AND id <> $2";

/// A provider's sign-in held by an account; one already held (by any account) stays as it is.
pub const LINK_IDENTITY: &str = "INSERT INTO user_identities (connection, subject, user_id, created_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (connection, subject) DO NOTHING";

pub const INSERT_USER: &str = "INSERT INTO users (id, email, email_key, email_verified, username, attributes, password_hash, \
     status, auth_version, created_at, updated_at, username_key, locale) VALUES ($1, $2, $3, $4, $5, $6, $7, $10, 1, $8, $8, $9, $11)";

pub const INSERT_LINK: &str = "INSERT INTO link_tokens (token_hash, execution_id, step, email_key, expires_at, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6)";

pub const CONSUME_LINK: &str = "UPDATE link_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";

pub const UPDATE_PASSWORD: &str = "UPDATE users SET password_hash = $2, auth_version = auth_version + 1, updated_at = $3 WHERE id = $1";

/// A link seen expired is expired for good: its time moves to the epoch, so a clock set
/// back later cannot bring it to life again.
pub const BURN_LINK: &str = "UPDATE link_tokens SET expires_at = $3 \
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at <= $2";

pub const END_LINKS_FOR: &str =
    "UPDATE link_tokens SET used_at = $2 WHERE email_key = $1 AND used_at IS NULL";

pub const SELECT_LINK: &str = "SELECT execution_id, step, email_key, expires_at, used_at FROM link_tokens WHERE token_hash = $1";

pub const COUNT_LIVE: &str =
    "SELECT COUNT(*) FROM executions WHERE status = 'INCOMPLETE' AND expires_at > $1";

pub const PURGE_EXPIRED: &str = "DELETE FROM executions WHERE expires_at < $1";

pub const COUNT_ALL: &str = "SELECT COUNT(*) FROM executions";
