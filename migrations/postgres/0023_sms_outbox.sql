-- Text messages share the outbox with mail: queued in the transaction of the change that
-- causes them, claimed under a lease, retried with backoff, held to the per-recipient quota.
-- Each channel has its own worker, so a slow SMS gateway never holds mail back.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail';
-- SMS pumping protection counts text messages per number range (the number without its
-- last four digits) and per client address.
ALTER TABLE outbox ADD COLUMN prefix_key TEXT;
ALTER TABLE outbox ADD COLUMN client_key TEXT;
CREATE INDEX outbox_prefix ON outbox (prefix_key, created_at) WHERE prefix_key IS NOT NULL;
CREATE INDEX outbox_client ON outbox (client_key, created_at) WHERE client_key IS NOT NULL;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (channel, status, next_attempt_at);
