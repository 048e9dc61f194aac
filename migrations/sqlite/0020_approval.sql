-- Approval: an account may wait in status 'PENDING_APPROVAL' until an administrator approves
-- it (RequireApproval). The language it registered in is kept, so that the approval or the
-- refusal reaches the person in it; the queue is read oldest first through a partial index
-- that holds the waiting accounts only.
ALTER TABLE users ADD COLUMN locale TEXT;
CREATE INDEX users_pending_approval ON users (created_at) WHERE status = 'PENDING_APPROVAL';
