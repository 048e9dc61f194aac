-- Bearer tokens of the flow management API. The token itself is shown once and never
-- stored: `token_hash` is its SHA-256 (hex). A revoked token stays listed, for the record;
-- a name is unique among live tokens only, so "ci" can be revoked and issued again.
CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
