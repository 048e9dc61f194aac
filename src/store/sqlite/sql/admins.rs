//! SQLite statements of `store::admins`.

pub const BY_EMAIL: &str = "SELECT id, email, password_hash, auth_version, role, created_at, locale FROM admins WHERE email_key = $1";

pub const BY_ID: &str = "SELECT id, email, password_hash, auth_version, role, created_at, locale FROM admins WHERE id = $1";

pub const ALL: &str = "SELECT id, email, password_hash, auth_version, role, created_at, locale FROM admins ORDER BY created_at";

pub const SET_PASSWORD: &str =
    "UPDATE admins SET password_hash = $2, auth_version = auth_version + 1 WHERE id = $1";

pub const SET_ROLE: &str = "UPDATE admins SET role = $2 WHERE id = $1";

pub const REMOVE: &str = "DELETE FROM admins WHERE id = $1 AND (role <> 'owner' \
     OR (SELECT COUNT(*) FROM admins WHERE role = 'owner') > 1)";

/// As `users::UPGRADE_PASSWORD_HASH`, for an administrator.
pub const UPGRADE_PASSWORD_HASH: &str =
    "UPDATE admins SET password_hash = $3 WHERE id = $1 AND password_hash = $2";

pub const SET_LOCALE: &str = "UPDATE admins SET locale = $2 WHERE id = $1";
