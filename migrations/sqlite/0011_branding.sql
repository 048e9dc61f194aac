-- The console's branding logo: at most one, kept apart from the settings rows so that
-- reading the settings never drags the image along. Named by its digest in URLs.
CREATE TABLE branding_logo (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    content_type  TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    sha256        TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
