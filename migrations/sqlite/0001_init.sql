-- Flows schema, SQLite. migrations/postgres/ will hold the same versions.
-- Ids are UUID text; times are RFC 3339 text in UTC, which sorts chronologically.

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE flow_types (
    flow_type TEXT PRIMARY KEY,
    enabled   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE flow_versions (
    id          TEXT PRIMARY KEY,
    flow_type   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
    definition  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    UNIQUE (flow_type, version)
);
-- At most one published version per flow type.
CREATE UNIQUE INDEX flow_versions_one_published ON flow_versions (flow_type) WHERE status = 'PUBLISHED';

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL UNIQUE,
    email_verified  INTEGER NOT NULL DEFAULT 0,
    username        TEXT UNIQUE,
    attributes      TEXT NOT NULL DEFAULT '{}',
    password_hash   TEXT,
    status          TEXT NOT NULL DEFAULT 'ACTIVE',
    -- Bumped when the password changes, so older sign-in sessions stop working.
    auth_version    INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE admins (
    id             TEXT PRIMARY KEY,
    email_key      TEXT NOT NULL UNIQUE,
    email          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE executions (
    id          TEXT PRIMARY KEY,
    flow_id     TEXT NOT NULL REFERENCES flow_versions (id),
    flow_type   TEXT NOT NULL,
    step        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attributes  TEXT NOT NULL,
    secrets     TEXT NOT NULL,
    user_id     TEXT,
    revision    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX executions_expires ON executions (expires_at);

CREATE TABLE link_tokens (
    token_hash    TEXT PRIMARY KEY,
    execution_id  TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    step          TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX link_tokens_execution ON link_tokens (execution_id);

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    locked_until     TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT,
    detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
