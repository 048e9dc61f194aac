//! SQLite statements of `store::drafts`.

crate::store::statements::drafts_statements!();

pub const INSERT_PUBLISHED: &str = "INSERT INTO flow_versions (id, flow_type, version, status, definition, created_at, created_by, published_at, note) \
     SELECT $1, $2, COALESCE(MAX(version), 0) + 1, 'PUBLISHED', $3, $4, $5, $4, $6 FROM flow_versions WHERE flow_type = $2 \
     RETURNING version";
