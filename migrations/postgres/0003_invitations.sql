-- Invitations: an administrator invites an address; the e-mailed link (whose code is stored
-- only as a hash) opens the invited registration flow.
CREATE TABLE invitations (
    id           UUID PRIMARY KEY,
    email        TEXT NOT NULL,
    email_key    TEXT NOT NULL,
    code_hash    TEXT NOT NULL UNIQUE,
    attributes   JSONB NOT NULL DEFAULT '{}',
    invited_by   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'REVOKED', 'REPLACED')),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    accepted_at  TIMESTAMPTZ
);
CREATE INDEX invitations_email ON invitations (email_key, status);
