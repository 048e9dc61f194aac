//! PostgreSQL statements of `store::admins`.

pub const BY_EMAIL: &str = "SELECT id::text, email, password_hash, auth_version, role, flows_time(created_at), locale \
     FROM admins WHERE email_key = $1";

pub const BY_ID: &str = "SELECT id::text, email, password_hash, auth_version, role, flows_time(created_at), locale \
     FROM admins WHERE id = flows_uuid($1)";

pub const ALL: &str = "SELECT id::text, email, password_hash, auth_version, role, flows_time(created_at), locale \
     FROM admins ORDER BY created_at";

pub const SET_PASSWORD: &str = "UPDATE admins SET password_hash = $2, auth_version = auth_version + 1 \
     WHERE id = flows_uuid($1)";

pub const SET_ROLE: &str = "UPDATE admins SET role = $2 WHERE id = flows_uuid($1)";

/// The owners are counted under a row lock: two removals at once would otherwise each see
/// the other's owner still there (read committed) and leave none. The second waits for the
/// first, then counts without the row it deleted.
pub const REMOVE: &str = "DELETE FROM admins WHERE id = flows_uuid($1) AND (role <> 'owner' \
     OR (SELECT COUNT(*) FROM (SELECT id FROM admins WHERE role = 'owner' FOR UPDATE) owners) > 1)";

/// As `users::UPGRADE_PASSWORD_HASH`, for an administrator.
pub const UPGRADE_PASSWORD_HASH: &str =
    "UPDATE admins SET password_hash = $3 WHERE id = flows_uuid($1) AND password_hash = $2";

pub const SET_LOCALE: &str = "UPDATE admins SET locale = $2 WHERE id = flows_uuid($1)";
