-- Connections: the OpenID Connect providers people may sign up through (Google, Microsoft,
-- any provider with discovery). The client secret is sealed (AES-256-GCM under a key derived
-- from the server's key, the row's id as associated data), as extensions' secrets are.
CREATE TABLE connections (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    preset           TEXT NOT NULL,
    discovery_url    TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    secret_sealed    TEXT NOT NULL,
    -- Space-separated, as OAuth writes them.
    scopes           TEXT NOT NULL,
    -- A provider without OpenID Connect (OAuth 2.0 and a user API, as GitHub): its endpoints;
    -- empty for one found by discovery.
    authorize_url    TEXT NOT NULL DEFAULT '',
    token_url        TEXT NOT NULL DEFAULT '',
    userinfo_url     TEXT NOT NULL DEFAULT '',
    -- A JSON object: standard claim name to attribute name.
    mapping          TEXT NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL
);
