//! SQLite statements of `store::applications`.

pub const INSERT: &str = "INSERT INTO applications (id, name, allowed_origins, return_url, created_at, starts_per_minute, proof_nonce, previous_proof_nonce, proof_changed_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

pub const ALL: &str = "SELECT id, name, allowed_origins, return_url, created_at, starts_per_minute, proof_nonce, previous_proof_nonce, proof_changed_at \
     FROM applications ORDER BY name";

pub const BY_ID: &str = "SELECT id, name, allowed_origins, return_url, created_at, starts_per_minute, proof_nonce, previous_proof_nonce, proof_changed_at \
     FROM applications WHERE id = $1";

pub const BY_NAME: &str = "SELECT id, name, allowed_origins, return_url, created_at, starts_per_minute, proof_nonce, previous_proof_nonce, proof_changed_at \
     FROM applications WHERE name = $1";

pub const UPDATE: &str = "UPDATE applications SET name = $2, allowed_origins = $3, return_url = $4, starts_per_minute = $5 WHERE id = $1";

pub const SET_PROOF: &str = "UPDATE applications SET proof_nonce = $2, previous_proof_nonce = $3, proof_changed_at = $4 WHERE id = $1";

pub const DELETE: &str = "DELETE FROM applications WHERE id = $1";
