-- Per-recipient mail quota: anyone can start journeys with someone else's address, so
-- mail to one address is counted across every execution and flow type. The key is the
-- address as accounts are keyed (lower case), so look-alike spellings share one count.
ALTER TABLE outbox ADD COLUMN recipient_key TEXT NOT NULL DEFAULT '';
UPDATE outbox SET recipient_key = lower(recipient);
CREATE INDEX outbox_recipient ON outbox (recipient_key, created_at);
