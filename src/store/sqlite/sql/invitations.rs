//! SQLite statements of `store::invitations`.

pub const BY_CODE: &str = "SELECT id, email, email_key, attributes, invited_by, status, created_at, expires_at \
     FROM invitations WHERE code_hash = $1";

pub const BY_ID: &str = "SELECT id, email, email_key, attributes, invited_by, status, created_at, expires_at \
     FROM invitations WHERE id = $1";

/// Re-inviting replaces the older link.
pub const REPLACE_PENDING: &str =
    "UPDATE invitations SET status = 'REPLACED' WHERE email_key = $1 AND status = 'PENDING'";

pub const INSERT: &str = "INSERT INTO invitations (id, email, email_key, code_hash, attributes, invited_by, status, \
     created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8)";

/// Newest first. `$1`: a status (`PENDING` and `EXPIRED` are told apart by `$3`, now) or
/// '' for all; `$2`: part of the address ('' for any).
pub const LIST: &str = "SELECT id, email, email_key, attributes, invited_by, status, created_at, expires_at \
     FROM invitations WHERE ($2 = '' OR instr(email_key, $2) > 0) AND ( \
       $1 = '' \
       OR ($1 = 'PENDING' AND status = 'PENDING' AND expires_at > $3) \
       OR ($1 = 'EXPIRED' AND status = 'PENDING' AND expires_at <= $3) \
       OR ($1 NOT IN ('PENDING', 'EXPIRED') AND status = $1)) \
     ORDER BY created_at DESC, id DESC LIMIT $4";

pub const REVOKE: &str =
    "UPDATE invitations SET status = 'REVOKED' WHERE id = $1 AND status = 'PENDING'";

pub const ACCEPT: &str = "UPDATE invitations SET status = 'ACCEPTED', accepted_at = $2 WHERE id = $1 AND status = 'PENDING' AND expires_at > $2";
