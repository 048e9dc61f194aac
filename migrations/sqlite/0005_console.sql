-- The admin console. One draft per flow type, saved after every edit; `revision` lets an edit
-- made on a stale page be refused instead of overwriting a colleague's; `previous` holds the
-- definition before the last edit, so one Undo is always possible.
CREATE TABLE flow_drafts (
    flow_type   TEXT PRIMARY KEY,
    definition  TEXT NOT NULL,
    previous    TEXT,
    revision    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- Who published a version, and why (a roll-back names the version it restored).
ALTER TABLE flow_versions ADD COLUMN published_at TEXT;
ALTER TABLE flow_versions ADD COLUMN note TEXT;

-- Bumped when an administrator's password changes, so their other console sessions end.
ALTER TABLE admins ADD COLUMN auth_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX audit_log_actor ON audit_log (actor, at);
