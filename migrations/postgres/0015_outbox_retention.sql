-- Sent mail is kept a week (the console's limits), then deleted in batches by the janitor
-- (src/engine/retention.rs): this index finds the oldest sent rows without scanning the queue.
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE status = 'SENT';
