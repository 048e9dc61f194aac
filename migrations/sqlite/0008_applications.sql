-- Client applications of the Flow Execution API: the `applicationId` a client sends names
-- one of these; a finished flow redirects to its stored return URL (never one from the
-- request), and browsers on its origins may call the API (CORS).
CREATE TABLE applications (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    allowed_origins  TEXT NOT NULL DEFAULT '[]',
    return_url       TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
