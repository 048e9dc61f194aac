//! SQLite statements of `store::flows`.

pub const SELECT_VERSION: &str = "SELECT id, flow_type, version, status, definition, created_at FROM flow_versions WHERE id = $1";

pub const SELECT_PUBLISHED: &str = "SELECT v.id, COALESCE(t.enabled, 1) FROM flow_versions v \
     LEFT JOIN flow_types t ON t.flow_type = v.flow_type WHERE v.flow_type = $1 AND v.status = 'PUBLISHED'";

pub const COUNT_VERSIONS: &str = "SELECT COUNT(*) FROM flow_versions WHERE flow_type = $1";

pub const INSERT_VERSION: &str = "INSERT INTO flow_versions (id, flow_type, version, status, definition, created_at, created_by) \
     SELECT $1, $2, COALESCE(MAX(version), 0) + 1, 'DRAFT', $3, $4, $5 FROM flow_versions WHERE flow_type = $2";

pub const ARCHIVE_PUBLISHED: &str =
    "UPDATE flow_versions SET status = 'ARCHIVED' WHERE flow_type = $1 AND status = 'PUBLISHED'";

pub const PUBLISH: &str =
    "UPDATE flow_versions SET status = 'PUBLISHED' WHERE id = $1 AND flow_type = $2";

pub const ENSURE_TYPE: &str =
    "INSERT INTO flow_types (flow_type, enabled) VALUES ($1, 1) ON CONFLICT (flow_type) DO NOTHING";

pub const SET_ENABLED: &str = "UPDATE flow_types SET enabled = $2 WHERE flow_type = $1";

/// Seeding is serialised by SQLite's one writer already: a statement that only counts.
pub const SEED_LOCK: &str = "SELECT COUNT(*) FROM (SELECT $1)";
