-- The funnel: which views each execution was shown and how it ended. Kept apart from
-- `executions`, with no foreign key to it, because the janitor deletes an execution a day
-- after it expires while its figures must stay (funnel rows have their own retention, see
-- `FUNNEL_RETENTION` in src/startup.rs). Each row names the flow version the execution ran,
-- so a version's figures do not move when a later version is published.
--
-- The triggers below write these rows in the statement that writes the execution, so they
-- share its transaction and no write path can forget them. Only the "expired" outcome comes
-- from the engine (Store::record_funnel_expired): it is known when a person comes back, not
-- when a row changes.
--
-- Both tables are clustered (WITHOUT ROWID) on what the funnel page asks for, a version and a
-- range of start times, so each of its figures is one range scan of one b-tree: no index to
-- look rows up from. Rows hold only what a figure reads: the fewer bytes, the faster a scan.

CREATE TABLE funnel_executions (
    -- flow_versions.id. No foreign key: versions are never deleted.
    flow_id       TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    execution_id  TEXT NOT NULL,
    -- The step shown last; where someone who gave up left.
    last_step     TEXT NOT NULL,
    -- When the execution stops accepting input unless used again; past it, with no outcome,
    -- the execution counts as abandoned.
    expires_at    TEXT NOT NULL,
    outcome       TEXT CHECK (outcome IN ('COMPLETE', 'FAILED', 'EXPIRED')),
    -- Milliseconds from start to completion, for the median.
    completed_ms  INTEGER,
    PRIMARY KEY (flow_id, started_at, execution_id)
) WITHOUT ROWID;

-- One row per view an execution was shown, the first time. Ordered by step first, so the
-- count of one step over a time range is one contiguous slice.
CREATE TABLE funnel_steps (
    flow_id       TEXT NOT NULL,
    step          TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    execution_id  TEXT NOT NULL,
    PRIMARY KEY (flow_id, step, started_at, execution_id)
) WITHOUT ROWID;

-- An execution stands on a view while INCOMPLETE, and on an end step once COMPLETE.
CREATE TRIGGER funnel_execution_started AFTER INSERT ON executions
BEGIN
    INSERT OR IGNORE INTO funnel_executions
        (flow_id, started_at, execution_id, last_step, expires_at, outcome, completed_ms)
    VALUES (
        NEW.flow_id, NEW.created_at, NEW.id, NEW.step, NEW.expires_at,
        CASE NEW.status WHEN 'COMPLETE' THEN 'COMPLETE' WHEN 'ERROR' THEN 'FAILED' END,
        CASE WHEN NEW.status = 'COMPLETE'
            THEN CAST(round((julianday(NEW.updated_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER) END
    );
    INSERT OR IGNORE INTO funnel_steps (flow_id, step, started_at, execution_id)
    SELECT NEW.flow_id, NEW.step, NEW.created_at, NEW.id WHERE NEW.status = 'INCOMPLETE';
END;

-- The first outcome stays: an execution ends once. (Right-hand sides read the old row.)
CREATE TRIGGER funnel_execution_changed AFTER UPDATE ON executions
BEGIN
    UPDATE funnel_executions SET
        last_step = NEW.step,
        expires_at = NEW.expires_at,
        outcome = COALESCE(outcome, CASE NEW.status WHEN 'COMPLETE' THEN 'COMPLETE' WHEN 'ERROR' THEN 'FAILED' END),
        completed_ms = CASE WHEN outcome IS NULL AND NEW.status = 'COMPLETE'
            THEN CAST(round((julianday(NEW.updated_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER)
            ELSE completed_ms END
    WHERE flow_id = NEW.flow_id AND started_at = NEW.created_at AND execution_id = NEW.id;
    INSERT OR IGNORE INTO funnel_steps (flow_id, step, started_at, execution_id)
    SELECT NEW.flow_id, NEW.step, NEW.created_at, NEW.id
    WHERE NEW.status = 'INCOMPLETE' AND NEW.step <> OLD.step;
END;

-- Executions already stored when this runs get their rows too, so that no step row lacks its
-- execution's row and the figures add up from the start. The views they were shown come
-- from `visited` in their secrets (a Back shortens it, so a view may be missed).
INSERT INTO funnel_executions (flow_id, started_at, execution_id, last_step, expires_at, outcome, completed_ms)
SELECT flow_id, created_at, id, step, expires_at,
    CASE status WHEN 'COMPLETE' THEN 'COMPLETE' WHEN 'ERROR' THEN 'FAILED' END,
    CASE WHEN status = 'COMPLETE'
        THEN CAST(round((julianday(updated_at) - julianday(created_at)) * 86400000) AS INTEGER) END
FROM executions;
INSERT OR IGNORE INTO funnel_steps (flow_id, step, started_at, execution_id)
SELECT e.flow_id, v.value, e.created_at, e.id
FROM executions e, json_each(e.secrets, '$.visited') v
WHERE json_valid(e.secrets);
