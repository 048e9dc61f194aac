//! PostgreSQL statements of `store::flows`.

pub const SELECT_VERSION: &str = "SELECT id::text AS id, flow_type, version, status, definition::text AS definition, \
     flows_time(created_at) AS created_at FROM flow_versions WHERE id = $1::uuid";

pub const SELECT_PUBLISHED: &str = "SELECT v.id::text, COALESCE(t.enabled, TRUE)::int::bigint FROM flow_versions v \
     LEFT JOIN flow_types t ON t.flow_type = v.flow_type WHERE v.flow_type = $1 AND v.status = 'PUBLISHED'";

pub const COUNT_VERSIONS: &str = "SELECT COUNT(*) FROM flow_versions WHERE flow_type = $1";

/// Numbered by `flows_next_version` (migration 0001): two at once do not take one number.
pub const INSERT_VERSION: &str = "INSERT INTO flow_versions (id, flow_type, version, status, definition, created_at, created_by) \
     VALUES ($1::uuid, $2, flows_next_version($2), 'DRAFT', $3::json, $4::timestamptz, $5)";

pub const ARCHIVE_PUBLISHED: &str =
    "UPDATE flow_versions SET status = 'ARCHIVED' WHERE flow_type = $1 AND status = 'PUBLISHED'";

pub const PUBLISH: &str =
    "UPDATE flow_versions SET status = 'PUBLISHED' WHERE id = $1::uuid AND flow_type = $2";

/// The no-op update locks the type's row till the end of the transaction, so two publishes
/// of one type (which start with this) run one after the other: the second archives the
/// first's version and numbers its own after it, instead of both failing a unique index.
pub const ENSURE_TYPE: &str = "INSERT INTO flow_types (flow_type, enabled) VALUES ($1, TRUE) \
     ON CONFLICT (flow_type) DO UPDATE SET enabled = flow_types.enabled";

pub const SET_ENABLED: &str = "UPDATE flow_types SET enabled = $2 <> 0 WHERE flow_type = $1";

/// Instances starting at once on an empty database seed a type one at a time: the second
/// finds the first one's version and adds none. Held to the end of the transaction.
pub const SEED_LOCK: &str = "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtext('flows_seed:' || $1::text))) AS locked";
