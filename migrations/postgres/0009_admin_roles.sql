-- Two kinds of administrator: an owner does everything; an operator runs invitations and
-- users only.
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'operator'));
