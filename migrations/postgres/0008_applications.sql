-- Client applications of the Flow Execution API. The id is the `applicationId` clients send,
-- compared as written: text, not uuid.
CREATE TABLE applications (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    allowed_origins  JSONB NOT NULL DEFAULT '[]',
    return_url       TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
