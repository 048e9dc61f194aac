//! SQLite statements of `store::applications`.

pub const INSERT: &str = "INSERT INTO applications (id, name, allowed_origins, return_url, created_at) VALUES ($1, $2, $3, $4, $5)";

pub const ALL: &str =
    "SELECT id, name, allowed_origins, return_url, created_at FROM applications ORDER BY name";

pub const BY_ID: &str =
    "SELECT id, name, allowed_origins, return_url, created_at FROM applications WHERE id = $1";

pub const DELETE: &str = "DELETE FROM applications WHERE id = $1 OR name = $1";
