-- New flows per minute an application's clients may start through the Flow Execution API,
-- beside the per-address limit (0: none of its own). Counted per instance, in memory.
ALTER TABLE applications ADD COLUMN starts_per_minute INTEGER NOT NULL DEFAULT 0;
