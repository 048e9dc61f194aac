//! PostgreSQL statements of `store::users`.

pub const BY_EMAIL: &str = "SELECT id::text AS id, email, email_verified::int::bigint AS email_verified, username, \
     attributes::text AS attributes, password_hash, status, auth_version, flows_time(created_at) AS created_at \
     FROM users WHERE email_key = $1";

pub const BY_ID: &str = "SELECT id::text AS id, email, email_verified::int::bigint AS email_verified, username, \
     attributes::text AS attributes, password_hash, status, auth_version, flows_time(created_at) AS created_at \
     FROM users WHERE id = $1::uuid";

pub const SET_STATUS: &str =
    "UPDATE users SET status = $2, updated_at = $3::timestamptz WHERE id = $1::uuid";

pub const BY_USERNAME: &str = "SELECT id::text AS id, email, email_verified::int::bigint AS email_verified, username, \
     attributes::text AS attributes, password_hash, status, auth_version, flows_time(created_at) AS created_at \
     FROM users WHERE username_key = $1 OR (username_key IS NULL AND username = $2) \
     ORDER BY COALESCE(username = $2, false) DESC LIMIT 1";

/// Accounts whose username has no key yet, oldest first: set by the server since SQL has
/// no NFKC.
pub const UNKEYED_USERNAMES: &str = "SELECT id::text AS id, username FROM users WHERE username IS NOT NULL AND username_key IS NULL ORDER BY created_at, id";

pub const SET_USERNAME_KEY: &str =
    "UPDATE users SET username_key = $1 WHERE id = $2::uuid AND username_key IS NULL";

/// Newest first; `$1` is a lower-case part of the address, username or name ('' for all).
pub const SEARCH: &str = "SELECT id::text AS id, email, email_verified::int::bigint AS email_verified, username, \
     attributes::text AS attributes, password_hash, status, auth_version, flows_time(created_at) AS created_at \
     FROM users WHERE $1 = '' OR strpos(email_key, $1) > 0 OR strpos(lower(COALESCE(username, '')), $1) > 0 \
     OR strpos(lower(attributes::text), $1) > 0 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";

pub const SIGN_OUT_EVERYWHERE: &str = "UPDATE users SET auth_version = auth_version + 1, \
     updated_at = $2::timestamptz WHERE id = $1::uuid";

pub const DELETE_USER: &str = "DELETE FROM users WHERE id = $1::uuid";

pub const COUNT_USERS: &str = "SELECT COUNT(*) FROM users";

pub const INSERT_ADMIN: &str = "INSERT INTO admins (id, email_key, email, password_hash, created_at) \
     VALUES ($1::uuid, $2, $3, $4, $5::timestamptz)";

pub const COUNT_ADMINS: &str = "SELECT COUNT(*) FROM admins";

pub const SINCE: &str = "SELECT COUNT(*) FROM users WHERE created_at >= $1::timestamptz";

/// Addresses keyed before keys took the punycode form of a domain (their key is not ASCII),
/// per table that keys addresses for look-ups.
pub const OLD_EMAIL_KEYS_USERS: &str =
    "SELECT id::text AS id, email FROM users WHERE email_key ~ '[^ -~]'";
pub const OLD_EMAIL_KEYS_ADMINS: &str =
    "SELECT id::text AS id, email FROM admins WHERE email_key ~ '[^ -~]'";
pub const OLD_EMAIL_KEYS_INVITATIONS: &str =
    "SELECT id::text AS id, email FROM invitations WHERE email_key ~ '[^ -~]'";

pub const SET_EMAIL_KEY_USERS: &str = "UPDATE users SET email_key = $1 WHERE id = $2::uuid";
pub const SET_EMAIL_KEY_ADMINS: &str = "UPDATE admins SET email_key = $1 WHERE id = $2::uuid";
pub const SET_EMAIL_KEY_INVITATIONS: &str =
    "UPDATE invitations SET email_key = $1 WHERE id = $2::uuid";

/// A password hash made again with the parameters in force; nothing happens when the password
/// changed meanwhile (the old hash no longer matches). Sessions stay: the password is the same.
pub const UPGRADE_PASSWORD_HASH: &str =
    "UPDATE users SET password_hash = $3 WHERE id = $1::uuid AND password_hash = $2";

/// A signed-in person's new password, if the stored hash is still the one they proved;
/// every session ends with the auth version.
pub const CHANGE_PASSWORD: &str = "UPDATE users SET password_hash = $3, auth_version = auth_version + 1, \
     updated_at = $4::timestamptz WHERE id = $1::uuid AND password_hash = $2 RETURNING auth_version";

/// Recoveries under way for the address end: the password they would replace is gone.
pub const END_RECOVERIES: &str = "UPDATE executions SET status = 'EXPIRED', revision = revision + 1, \
     updated_at = $2::timestamptz WHERE subject_key = $1 AND flow_type = 'PASSWORD_RECOVERY' AND status = 'INCOMPLETE'";
