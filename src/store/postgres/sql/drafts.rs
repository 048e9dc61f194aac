//! PostgreSQL statements of `store::drafts`. Definitions are `json`: the text comes back as
//! it was written.

pub const SELECT_DRAFT: &str = "SELECT flow_type, definition::text AS definition, previous::text AS previous, \
     revision, source, flows_time(created_at) AS created_at, created_by, flows_time(updated_at) AS updated_at, \
     updated_by FROM flow_drafts WHERE flow_type = $1";

pub const INSERT_DRAFT: &str = "INSERT INTO flow_drafts (flow_type, definition, previous, revision, source, created_at, created_by, updated_at, updated_by) \
     VALUES ($1, $2::json, NULL, 1, $3, $4::timestamptz, $5, $4::timestamptz, $5) ON CONFLICT (flow_type) DO NOTHING";

pub const SAVE_DRAFT: &str = "UPDATE flow_drafts SET previous = definition, definition = $2::json, revision = revision + 1, \
     updated_at = $4::timestamptz, updated_by = $5 WHERE flow_type = $1 AND revision = $3";

pub const UNDO_DRAFT: &str = "UPDATE flow_drafts SET definition = previous, previous = NULL, revision = revision + 1, \
     updated_at = $3::timestamptz, updated_by = $4 WHERE flow_type = $1 AND revision = $2 AND previous IS NOT NULL";

pub const REPLACE_DRAFT: &str = "INSERT INTO flow_drafts (flow_type, definition, previous, revision, source, created_at, created_by, updated_at, updated_by) \
     VALUES ($1, $2::json, NULL, 1, $3, $4::timestamptz, $5, $4::timestamptz, $5) ON CONFLICT (flow_type) DO UPDATE SET \
     previous = flow_drafts.definition, definition = excluded.definition, revision = flow_drafts.revision + 1, \
     source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by \
     RETURNING revision";

pub const DELETE_DRAFT: &str = "DELETE FROM flow_drafts WHERE flow_type = $1 AND revision = $2";

pub const DRAFT_REVISION: &str =
    "SELECT revision, definition::text FROM flow_drafts WHERE flow_type = $1";

pub const LIST_VERSIONS: &str = "SELECT id::text AS id, version, status, definition::text AS definition, \
     flows_time(created_at) AS created_at, created_by, flows_time(published_at) AS published_at, note \
     FROM flow_versions WHERE flow_type = $1 ORDER BY version DESC";

pub const VERSION_BY_NUMBER: &str =
    "SELECT id::text FROM flow_versions WHERE flow_type = $1 AND version = $2";

/// Runs after `flows::ENSURE_TYPE` in the same transaction, which holds the type's row lock,
/// and is numbered by `flows_next_version` (migration 0001): two publishes of one type take
/// their numbers one after the other.
pub const INSERT_PUBLISHED: &str = "INSERT INTO flow_versions (id, flow_type, version, status, definition, created_at, created_by, published_at, note) \
     VALUES ($1::uuid, $2, flows_next_version($2), 'PUBLISHED', $3::json, $4::timestamptz, $5, $4::timestamptz, $6) \
     RETURNING version";

pub const ENABLED: &str = "SELECT enabled::int::bigint FROM flow_types WHERE flow_type = $1";
