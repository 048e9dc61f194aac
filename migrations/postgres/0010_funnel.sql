-- The funnel: which views each execution was shown and how it ended, kept apart from
-- `executions` (no foreign key: the janitor deletes executions, the figures stay) and
-- written by triggers in the statement that writes the execution. See the SQLite version for
-- the reasoning; here the tables are plain heaps whose primary-key b-trees lead with the
-- version and the start time, so each figure is one index range scan (index-only where the
-- key holds every column the figure reads).

CREATE TABLE funnel_executions (
    flow_id       UUID NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    execution_id  UUID NOT NULL,
    last_step     TEXT NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    outcome       TEXT CHECK (outcome IN ('COMPLETE', 'FAILED', 'EXPIRED')),
    completed_ms  BIGINT,
    PRIMARY KEY (flow_id, started_at, execution_id)
);

CREATE TABLE funnel_steps (
    flow_id       UUID NOT NULL,
    step          TEXT NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    execution_id  UUID NOT NULL,
    PRIMARY KEY (flow_id, step, started_at, execution_id)
);

CREATE FUNCTION funnel_outcome(status TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status WHEN 'COMPLETE' THEN 'COMPLETE' WHEN 'ERROR' THEN 'FAILED' END
$$;

CREATE FUNCTION funnel_ms(started TIMESTAMPTZ, ended TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT round(extract(epoch FROM ended - started) * 1000)::BIGINT
$$;

CREATE FUNCTION funnel_execution_started() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO funnel_executions
        (flow_id, started_at, execution_id, last_step, expires_at, outcome, completed_ms)
    VALUES (
        NEW.flow_id, NEW.created_at, NEW.id, NEW.step, NEW.expires_at,
        funnel_outcome(NEW.status),
        CASE WHEN NEW.status = 'COMPLETE' THEN funnel_ms(NEW.created_at, NEW.updated_at) END
    )
    ON CONFLICT DO NOTHING;
    IF NEW.status = 'INCOMPLETE' THEN
        INSERT INTO funnel_steps (flow_id, step, started_at, execution_id)
        VALUES (NEW.flow_id, NEW.step, NEW.created_at, NEW.id)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- The first outcome stays: an execution ends once.
CREATE FUNCTION funnel_execution_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE funnel_executions SET
        last_step = NEW.step,
        expires_at = NEW.expires_at,
        outcome = COALESCE(outcome, funnel_outcome(NEW.status)),
        completed_ms = CASE WHEN outcome IS NULL AND NEW.status = 'COMPLETE'
            THEN funnel_ms(NEW.created_at, NEW.updated_at) ELSE completed_ms END
    WHERE flow_id = NEW.flow_id AND started_at = NEW.created_at AND execution_id = NEW.id;
    IF NEW.status = 'INCOMPLETE' AND NEW.step <> OLD.step THEN
        INSERT INTO funnel_steps (flow_id, step, started_at, execution_id)
        VALUES (NEW.flow_id, NEW.step, NEW.created_at, NEW.id)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER funnel_execution_started AFTER INSERT ON executions
    FOR EACH ROW EXECUTE FUNCTION funnel_execution_started();
CREATE TRIGGER funnel_execution_changed AFTER UPDATE ON executions
    FOR EACH ROW EXECUTE FUNCTION funnel_execution_changed();

-- Executions already stored when this runs get their rows too (views from `visited`).
INSERT INTO funnel_executions (flow_id, started_at, execution_id, last_step, expires_at, outcome, completed_ms)
SELECT flow_id, created_at, id, step, expires_at, funnel_outcome(status),
    CASE WHEN status = 'COMPLETE' THEN funnel_ms(created_at, updated_at) END
FROM executions;
INSERT INTO funnel_steps (flow_id, step, started_at, execution_id)
SELECT e.flow_id, v.step, e.created_at, e.id
FROM executions e, jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(e.secrets -> 'visited') = 'array' THEN e.secrets -> 'visited' ELSE '[]'::jsonb END
) AS v(step)
ON CONFLICT DO NOTHING;
