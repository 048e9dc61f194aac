-- Events after the fact: each extension lists the events it receives, and each event is
-- queued per subscribed extension in the transaction of the change that causes it, then
-- delivered by a worker (signed, retried with backoff for up to a day), like mail in the
-- outbox. The row's id is the delivery's idempotency id (`webhook-id`): the same on every
-- attempt, so a receiver that sees it twice knows.
ALTER TABLE extensions ADD COLUMN events JSONB NOT NULL DEFAULT '[]';

CREATE TABLE event_deliveries (
    id               TEXT PRIMARY KEY,
    extension_id     TEXT NOT NULL REFERENCES extensions (id) ON DELETE CASCADE,
    event_type       TEXT NOT NULL,
    -- The whole body sent: {"type", "timestamp", "data"}.
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    locked_until     TIMESTAMPTZ,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ
);
CREATE INDEX event_deliveries_due ON event_deliveries (status, next_attempt_at);
