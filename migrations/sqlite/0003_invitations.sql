-- Invitations: an administrator invites an address; the e-mailed link (whose code is stored
-- only as a hash) opens the invited registration flow.
CREATE TABLE invitations (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    email_key    TEXT NOT NULL,
    code_hash    TEXT NOT NULL UNIQUE,
    attributes   TEXT NOT NULL DEFAULT '{}',
    invited_by   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'REVOKED', 'REPLACED')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT
);
CREATE INDEX invitations_email ON invitations (email_key, status);
