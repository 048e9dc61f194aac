-- Flows schema, PostgreSQL: the same versions as migrations/sqlite/, in PostgreSQL's own
-- types: uuid ids, timestamptz times, jsonb for data read by key, json where the text itself
-- must come back as written (flow definitions keep their key order for export).

-- The store's Rust code is written once for both backends: it binds ids and times as text
-- and reads them back as text. Statements cast at that boundary, with these two helpers.

-- A time as `store::to_text` writes it: RFC 3339 in UTC, always six fractional digits, so
-- that what is read back parses (and compares) exactly as what was written. STABLE, as
-- to_char is: the planner then inlines it into each statement.
CREATE FUNCTION flows_time(t TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- An id that came from outside (a console form, a URL path): NULL, which matches no row,
-- when it is not a uuid, as an unknown id is on SQLite; a plain `::uuid` would fail the
-- statement instead. Not STRICT (NULL gives NULL all the same), so that it is inlined and
-- `id = flows_uuid($1)` stays an index lookup.
CREATE FUNCTION flows_uuid(id TEXT) RETURNS UUID LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
        THEN id::uuid END
$$;

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE flow_types (
    flow_type TEXT PRIMARY KEY,
    enabled   BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE flow_versions (
    id          UUID PRIMARY KEY,
    flow_type   TEXT NOT NULL,
    version     BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'ARCHIVED')),
    definition  JSON NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    UNIQUE (flow_type, version)
);
-- At most one published version per flow type.
CREATE UNIQUE INDEX flow_versions_one_published ON flow_versions (flow_type) WHERE status = 'PUBLISHED';

-- The next version number of a flow type, taken under a lock on the type that is held to the
-- end of the transaction: instances storing a version of one type at once (two that start on
-- an empty database both seed the default flows) number theirs one after the other, instead
-- of both taking the same number and one failing on the unique key. VOLATILE, so the count
-- made after the wait sees what the other committed.
CREATE FUNCTION flows_next_version(kind TEXT) RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('flows.flow_versions'), hashtext(kind));
    RETURN (SELECT COALESCE(MAX(version), 0) + 1 FROM flow_versions WHERE flow_type = kind);
END
$$;

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL UNIQUE,
    email_verified  BOOLEAN NOT NULL DEFAULT FALSE,
    username        TEXT UNIQUE,
    attributes      JSONB NOT NULL DEFAULT '{}',
    password_hash   TEXT,
    status          TEXT NOT NULL DEFAULT 'ACTIVE',
    -- Bumped when the password changes, so older sign-in sessions stop working.
    auth_version    BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE admins (
    id             UUID PRIMARY KEY,
    email_key      TEXT NOT NULL UNIQUE,
    email          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE executions (
    id          UUID PRIMARY KEY,
    flow_id     UUID NOT NULL REFERENCES flow_versions (id),
    flow_type   TEXT NOT NULL,
    step        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attributes  JSONB NOT NULL,
    secrets     JSONB NOT NULL,
    user_id     UUID,
    revision    BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX executions_expires ON executions (expires_at);

CREATE TABLE link_tokens (
    token_hash    TEXT PRIMARY KEY,
    execution_id  UUID NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    step          TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX link_tokens_execution ON link_tokens (execution_id);

CREATE TABLE outbox (
    id               UUID PRIMARY KEY,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    locked_until     TIMESTAMPTZ,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE audit_log (
    id        UUID PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT,
    -- json, not jsonb: read back byte for byte as written, as the CSV and JSON-lines
    -- exports give it on either backend.
    detail    JSON NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
