//! SQLite statements of `store::invitations`.

/// The columns `store::invitations` reads an invitation from, in its order.
macro_rules! columns {
    () => {
        "id, email, email_key, attributes, invited_by, status, created_at, expires_at, locale, \
         opened_at, renewal_requested_at"
    };
}

pub const BY_CODE: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM invitations WHERE code_hash = $1"
);

pub const BY_ID: &str = concat!("SELECT ", columns!(), " FROM invitations WHERE id = $1");

/// Re-inviting replaces the older link.
pub const REPLACE_PENDING: &str =
    "UPDATE invitations SET status = 'REPLACED' WHERE email_key = $1 AND status = 'PENDING'";

pub const INSERT: &str = "INSERT INTO invitations (id, email, email_key, code_hash, attributes, invited_by, status, \
     created_at, expires_at, locale) VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $8, $9)";

/// Newest first. `$1`: a status (`PENDING` and `EXPIRED` are told apart by `$3`, now;
/// `OPENED` is a pending one whose link was followed, `RENEWAL` an expired one whose invitee
/// asked for a new link) or '' for all; `$2`: part of the address ('' for any).
pub const LIST: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM invitations WHERE ($2 = '' OR instr(email_key, $2) > 0) AND ( \
       $1 = '' \
       OR ($1 = 'PENDING' AND status = 'PENDING' AND expires_at > $3) \
       OR ($1 = 'OPENED' AND status = 'PENDING' AND expires_at > $3 AND opened_at IS NOT NULL) \
       OR ($1 = 'EXPIRED' AND status = 'PENDING' AND expires_at <= $3) \
       OR ($1 = 'RENEWAL' AND status = 'PENDING' AND renewal_requested_at IS NOT NULL) \
       OR ($1 NOT IN ('PENDING', 'OPENED', 'EXPIRED', 'RENEWAL') AND status = $1)) \
     ORDER BY created_at DESC, id DESC LIMIT CAST($4 AS INTEGER)"
);

pub const REVOKE: &str =
    "UPDATE invitations SET status = 'REVOKED' WHERE id = $1 AND status = 'PENDING'";

pub const ACCEPT: &str = "UPDATE invitations SET status = 'ACCEPTED', accepted_at = $2 WHERE id = $1 AND status = 'PENDING' AND expires_at > $2";

/// The first time the link is followed; later openings change nothing.
pub const OPENED: &str =
    "UPDATE invitations SET opened_at = $2 WHERE id = $1 AND opened_at IS NULL";

/// One pending request per invitation, and only for one that is pending and expired.
pub const ASK_RENEWAL: &str = "UPDATE invitations SET renewal_requested_at = $2 \
     WHERE id = $1 AND status = 'PENDING' AND expires_at <= $2 AND renewal_requested_at IS NULL";
