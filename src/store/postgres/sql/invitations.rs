//! PostgreSQL statements of `store::invitations`. Invitation ids reach the store from the
//! console's URLs and forms: `flows_uuid`.

pub const BY_CODE: &str = "SELECT id::text, email, email_key, attributes::text, invited_by, status, \
     flows_time(created_at), flows_time(expires_at) FROM invitations WHERE code_hash = $1";

pub const BY_ID: &str = "SELECT id::text, email, email_key, attributes::text, invited_by, status, \
     flows_time(created_at), flows_time(expires_at) FROM invitations WHERE id = flows_uuid($1)";

/// Re-inviting replaces the older link.
pub const REPLACE_PENDING: &str =
    "UPDATE invitations SET status = 'REPLACED' WHERE email_key = $1 AND status = 'PENDING'";

pub const INSERT: &str = "INSERT INTO invitations (id, email, email_key, code_hash, attributes, invited_by, status, \
     created_at, expires_at) VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6, 'PENDING', $7::timestamptz, $8::timestamptz)";

/// Newest first. `$1`: a status (`PENDING` and `EXPIRED` are told apart by `$3`, now) or
/// '' for all; `$2`: part of the address ('' for any).
pub const LIST: &str = "SELECT id::text, email, email_key, attributes::text, invited_by, status, \
     flows_time(created_at), flows_time(expires_at) \
     FROM invitations WHERE ($2 = '' OR strpos(email_key, $2) > 0) AND ( \
       $1 = '' \
       OR ($1 = 'PENDING' AND status = 'PENDING' AND expires_at > $3::timestamptz) \
       OR ($1 = 'EXPIRED' AND status = 'PENDING' AND expires_at <= $3::timestamptz) \
       OR ($1 NOT IN ('PENDING', 'EXPIRED') AND status = $1)) \
     ORDER BY created_at DESC, id DESC LIMIT $4";

pub const REVOKE: &str =
    "UPDATE invitations SET status = 'REVOKED' WHERE id = flows_uuid($1) AND status = 'PENDING'";

pub const ACCEPT: &str = "UPDATE invitations SET status = 'ACCEPTED', accepted_at = $2::timestamptz \
     WHERE id = flows_uuid($1) AND status = 'PENDING' AND expires_at > $2::timestamptz";
