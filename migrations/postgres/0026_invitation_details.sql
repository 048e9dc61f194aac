-- Invitations as full objects: the invitee's language (every mail of the invitation and the
-- pages its link opens use it), when its link was first opened, and when the invitee, holding
-- an expired link, asked for a new one (cleared by resending: the new invitation has none).
ALTER TABLE invitations ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
ALTER TABLE invitations ADD COLUMN opened_at TIMESTAMPTZ;
ALTER TABLE invitations ADD COLUMN renewal_requested_at TIMESTAMPTZ;
