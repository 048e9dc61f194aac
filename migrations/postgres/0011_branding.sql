-- The console's branding logo: at most one, apart from the settings rows.
CREATE TABLE branding_logo (
    id            BIGINT PRIMARY KEY CHECK (id = 1),
    content_type  TEXT NOT NULL,
    bytes         BYTEA NOT NULL,
    sha256        TEXT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
