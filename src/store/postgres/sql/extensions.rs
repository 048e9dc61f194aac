//! PostgreSQL statements of `store::extensions`.

pub const INSERT: &str = "INSERT INTO extensions (id, name, url, secret_sealed, timeout_ms, send_attributes, may_set, on_failure, created_at, events) \
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9::timestamptz, $10::jsonb)";

pub const ALL: &str = "SELECT id, name, url, secret_sealed, timeout_ms::bigint, send_attributes::text, may_set::text, on_failure, flows_time(created_at), events::text \
     FROM extensions ORDER BY name COLLATE \"C\"";

pub const BY_NAME: &str = "SELECT id, name, url, secret_sealed, timeout_ms::bigint, send_attributes::text, may_set::text, on_failure, flows_time(created_at), events::text \
     FROM extensions WHERE name = $1";

pub const BY_ID: &str = "SELECT id, name, url, secret_sealed, timeout_ms::bigint, send_attributes::text, may_set::text, on_failure, flows_time(created_at), events::text \
     FROM extensions WHERE id = $1";

pub const DELETE: &str = "DELETE FROM extensions WHERE name = $1";
