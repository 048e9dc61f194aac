-- A hosted page's journey is stored with its first change, not when its first page is shown
-- (the signed cookie carries its start until then: src/engine/starts.rs). So the row that
-- starts an execution may already stand past its first view, and its funnel row may already
-- be there: bare starts, shown and never sent, are written in batches
-- (Store::record_funnel_starts), and a batch may come before or after the first change.
-- The start's trigger therefore records every view the execution was shown (`visited`) and
-- brings a funnel row written earlier up to date, keeping its first outcome as
-- funnel_execution_changed does. Written in either order, the rows come out the same.
DROP TRIGGER funnel_execution_started;
CREATE TRIGGER funnel_execution_started AFTER INSERT ON executions
BEGIN
    INSERT INTO funnel_executions
        (flow_id, started_at, execution_id, last_step, expires_at, outcome, completed_ms)
    VALUES (
        NEW.flow_id, NEW.created_at, NEW.id, NEW.step, NEW.expires_at,
        CASE NEW.status WHEN 'COMPLETE' THEN 'COMPLETE' WHEN 'ERROR' THEN 'FAILED' END,
        CASE WHEN NEW.status = 'COMPLETE'
            THEN CAST(round((julianday(NEW.updated_at) - julianday(NEW.created_at)) * 86400000) AS INTEGER) END
    )
    ON CONFLICT DO UPDATE SET
        last_step = excluded.last_step,
        expires_at = excluded.expires_at,
        outcome = COALESCE(outcome, excluded.outcome),
        completed_ms = CASE WHEN outcome IS NULL THEN excluded.completed_ms ELSE completed_ms END;
    INSERT OR IGNORE INTO funnel_steps (flow_id, step, started_at, execution_id)
    SELECT NEW.flow_id, v.value, NEW.created_at, NEW.id
    FROM json_each(NEW.secrets, '$.visited') v;
    INSERT OR IGNORE INTO funnel_steps (flow_id, step, started_at, execution_id)
    SELECT NEW.flow_id, NEW.step, NEW.created_at, NEW.id WHERE NEW.status = 'INCOMPLETE';
END;
