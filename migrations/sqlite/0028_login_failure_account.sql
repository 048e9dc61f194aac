-- The account a throttled address belongs to, when it has one, so the console can list the
-- accounts whose sign-ins are refused now. Set by the failure that counts; rows written
-- before this column have none and end with their window (minutes).
ALTER TABLE login_failures ADD COLUMN user_id TEXT;
CREATE INDEX login_failures_user ON login_failures (user_id) WHERE user_id IS NOT NULL;
