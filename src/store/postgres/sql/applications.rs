//! PostgreSQL statements of `store::applications`. The id is text here too (see 0008).

pub const INSERT: &str = "INSERT INTO applications (id, name, allowed_origins, return_url, created_at, starts_per_minute) \
     VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz, $6)";

pub const ALL: &str = "SELECT id, name, allowed_origins::text, return_url, flows_time(created_at), starts_per_minute::bigint \
     FROM applications ORDER BY name COLLATE \"C\"";

pub const BY_ID: &str = "SELECT id, name, allowed_origins::text, return_url, flows_time(created_at), starts_per_minute::bigint \
     FROM applications WHERE id = $1";

pub const DELETE: &str = "DELETE FROM applications WHERE id = $1 OR name = $1";
