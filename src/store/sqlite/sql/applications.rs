//! SQLite statements of `store::applications`.

pub const INSERT: &str = "INSERT INTO applications (id, name, allowed_origins, return_url, created_at, starts_per_minute) VALUES ($1, $2, $3, $4, $5, $6)";

pub const ALL: &str = "SELECT id, name, allowed_origins, return_url, created_at, starts_per_minute FROM applications ORDER BY name";

pub const BY_ID: &str = "SELECT id, name, allowed_origins, return_url, created_at, starts_per_minute FROM applications WHERE id = $1";

pub const DELETE: &str = "DELETE FROM applications WHERE id = $1 OR name = $1";
