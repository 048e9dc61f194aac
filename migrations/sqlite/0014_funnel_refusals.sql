-- Forms sent back with an error (a wrong code, a refused password, a field to correct), per
-- execution and view: where people stumble, not only where they stop. The engine adds one
-- each time it answers a submit with errors (Store::record_funnel_refusal).
ALTER TABLE funnel_steps ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
