-- The address an execution is about (lower-cased), so that a password change can end every
-- other recovery under way for the same account.
ALTER TABLE executions ADD COLUMN subject_key TEXT;
CREATE INDEX executions_subject ON executions (subject_key, flow_type, status);
