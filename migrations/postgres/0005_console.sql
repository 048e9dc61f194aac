-- The admin console: one draft per flow type (`revision` refuses an edit made on a stale
-- page; `previous` allows one Undo), who published a version and why, console sessions that
-- end when an administrator's password changes.
CREATE TABLE flow_drafts (
    flow_type   TEXT PRIMARY KEY,
    definition  JSON NOT NULL,
    previous    JSON,
    revision    BIGINT NOT NULL,
    source      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL
);

ALTER TABLE flow_versions ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE flow_versions ADD COLUMN note TEXT;

ALTER TABLE admins ADD COLUMN auth_version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX audit_log_actor ON audit_log (actor, at);
