//! PostgreSQL statements of `store::drafts`. Definitions are `json`: the text comes back as
//! it was written.

crate::store::statements::drafts_statements!();

/// Runs after `flows::ENSURE_TYPE` in the same transaction, which holds the type's row lock,
/// and is numbered by `flows_next_version` (migration 0001): two publishes of one type take
/// their numbers one after the other.
pub const INSERT_PUBLISHED: &str = "INSERT INTO flow_versions (id, flow_type, version, status, definition, created_at, created_by, published_at, note) \
     VALUES ($1::uuid, $2, flows_next_version($2), 'PUBLISHED', $3::json, $4::timestamptz, $5, $4::timestamptz, $6) \
     RETURNING version";
