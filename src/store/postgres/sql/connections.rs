//! PostgreSQL statements of `store::connections`.

pub const INSERT: &str = "INSERT INTO connections (id, name, preset, discovery_url, client_id, secret_sealed, scopes, mapping, created_at, authorize_url, token_url, userinfo_url) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10, $11, $12)";

pub const ALL: &str = "SELECT id, name, preset, discovery_url, client_id, secret_sealed, scopes, mapping, flows_time(created_at), authorize_url, token_url, userinfo_url \
     FROM connections ORDER BY name COLLATE \"C\"";

pub const BY_NAME: &str = "SELECT id, name, preset, discovery_url, client_id, secret_sealed, scopes, mapping, flows_time(created_at), authorize_url, token_url, userinfo_url \
     FROM connections WHERE name = $1";

pub const DELETE: &str = "DELETE FROM connections WHERE name = $1";

pub const IDENTITIES_OF: &str =
    "SELECT connection, subject FROM user_identities WHERE user_id = $1::uuid ORDER BY created_at";
