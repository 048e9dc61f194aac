-- Extensions: the organisation's own HTTPS services a flow calls (CallExtension). The signing
-- secret is sealed (AES-256-GCM under a key derived from the server's key, the row's id as
-- associated data): the table alone reveals no secret.
CREATE TABLE extensions (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    url              TEXT NOT NULL,
    secret_sealed    TEXT NOT NULL,
    timeout_ms       INTEGER NOT NULL CHECK (timeout_ms BETWEEN 1 AND 10000),
    -- JSON arrays of attribute names.
    send_attributes  TEXT NOT NULL DEFAULT '[]',
    may_set          TEXT NOT NULL DEFAULT '[]',
    on_failure       TEXT NOT NULL CHECK (on_failure IN ('allow', 'deny')),
    created_at       TEXT NOT NULL
);
