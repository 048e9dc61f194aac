-- A hosted page's journey is stored with its first change, not when its first page is shown
-- (the signed cookie carries its start until then: src/engine/starts.rs). So the row that
-- starts an execution may already stand past its first view, and its funnel row may already
-- be there: bare starts, shown and never sent, are written in batches
-- (Store::record_funnel_starts), and a batch may come before or after the first change.
-- The start's trigger therefore records every view the execution was shown (`visited`) and
-- brings a funnel row written earlier up to date, keeping its first outcome as
-- funnel_execution_changed does. Written in either order, the rows come out the same.
CREATE OR REPLACE FUNCTION funnel_execution_started() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO funnel_executions AS f
        (flow_id, started_at, execution_id, last_step, expires_at, outcome, completed_ms)
    VALUES (
        NEW.flow_id, NEW.created_at, NEW.id, NEW.step, NEW.expires_at,
        funnel_outcome(NEW.status),
        CASE WHEN NEW.status = 'COMPLETE' THEN funnel_ms(NEW.created_at, NEW.updated_at) END
    )
    ON CONFLICT (flow_id, started_at, execution_id) DO UPDATE SET
        last_step = EXCLUDED.last_step,
        expires_at = EXCLUDED.expires_at,
        outcome = COALESCE(f.outcome, EXCLUDED.outcome),
        completed_ms = CASE WHEN f.outcome IS NULL THEN EXCLUDED.completed_ms ELSE f.completed_ms END;
    INSERT INTO funnel_steps (flow_id, step, started_at, execution_id)
    SELECT NEW.flow_id, v.step, NEW.created_at, NEW.id
    FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(NEW.secrets -> 'visited') = 'array' THEN NEW.secrets -> 'visited' ELSE '[]'::jsonb END
    ) AS v(step)
    ON CONFLICT DO NOTHING;
    IF NEW.status = 'INCOMPLETE' THEN
        INSERT INTO funnel_steps (flow_id, step, started_at, execution_id)
        VALUES (NEW.flow_id, NEW.step, NEW.created_at, NEW.id)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
