-- Which branch of a decision (RULE) step each execution took: one row per execution, step
-- and branch, the first time it went that way. Like `funnel_steps` (0010), no foreign key:
-- the rows outlive the executions and are purged with the funnel's other rows.
CREATE TABLE funnel_branches (
    flow_id       TEXT NOT NULL,
    step          TEXT NOT NULL,
    -- The branch's place in the version's definition (0 is the first), or 'otherwise'.
    branch        TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    execution_id  TEXT NOT NULL,
    PRIMARY KEY (flow_id, step, branch, started_at, execution_id)
) WITHOUT ROWID;
