//! PostgreSQL statements of `store::funnel`.

/// Per last step shown: all, completed, expired, abandoned. (No execution ends in an
/// error: a refused form comes back, counted per step by `REACHED`.)
pub const OUTCOMES: &str = "SELECT last_step, COUNT(*), \
     COUNT(*) FILTER (WHERE outcome = 'COMPLETE'), \
     COUNT(*) FILTER (WHERE outcome = 'EXPIRED'), \
     COUNT(*) FILTER (WHERE outcome IS NULL AND expires_at <= $4::timestamptz) \
     FROM funnel_executions WHERE flow_id = $1::uuid AND started_at >= $2::timestamptz AND started_at < $3::timestamptz \
     GROUP BY last_step";

/// `$2` is a JSON array of step ids: one statement, one primary-key slice per step.
/// Per step: executions shown it, forms sent back with an error there, and executions
/// sent back at least once.
pub const REACHED: &str = "SELECT step, COUNT(*), COALESCE(SUM(refused), 0)::bigint, \
     COUNT(*) FILTER (WHERE refused > 0) FROM funnel_steps \
     WHERE flow_id = $1::uuid AND step = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb))) \
     AND started_at >= $3::timestamptz AND started_at < $4::timestamptz GROUP BY step";

/// The middle one or two of the completion times (`$4` = (n - 1) / 2, `$5` = 1 or 2).
pub const MIDDLE_COMPLETION: &str = "SELECT completed_ms FROM funnel_executions \
     WHERE flow_id = $1::uuid AND started_at >= $2::timestamptz AND started_at < $3::timestamptz \
     AND outcome = 'COMPLETE' ORDER BY completed_ms LIMIT $5 OFFSET $4";

pub const MARK_EXPIRED: &str = "UPDATE funnel_executions SET outcome = 'EXPIRED' \
     WHERE flow_id = $1::uuid AND started_at = $2::timestamptz AND execution_id = $3::uuid AND outcome IS NULL";

/// By version first, so each delete is a primary-key range per version, not a full scan.
pub const PURGE_EXECUTIONS: &str = "DELETE FROM funnel_executions \
     WHERE flow_id IN (SELECT id FROM flow_versions) AND started_at < $1::timestamptz";

/// The (version, step) pairs come from the stored definitions, which name every step a
/// version can have shown.
pub const PURGE_STEPS: &str = "DELETE FROM funnel_steps WHERE (flow_id, step) IN \
     (SELECT v.id, s ->> 'id' FROM flow_versions v, json_array_elements(v.definition -> 'steps') s \
      WHERE json_typeof(v.definition -> 'steps') = 'array') \
     AND started_at < $1::timestamptz";

pub const RECORD_REFUSAL: &str = "UPDATE funnel_steps SET refused = refused + 1 \
     WHERE flow_id = $1::uuid AND step = $2 AND started_at = $3::timestamptz AND execution_id = $4::uuid";

/// Counted once per execution and branch, however often it went that way.
pub const RECORD_BRANCH: &str = "INSERT INTO funnel_branches \
     (flow_id, step, branch, started_at, execution_id) \
     VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::uuid) ON CONFLICT DO NOTHING";

/// Per decision step and branch: executions that took it.
pub const BRANCHES: &str = "SELECT step, branch, COUNT(*) FROM funnel_branches \
     WHERE flow_id = $1::uuid AND started_at >= $2::timestamptz AND started_at < $3::timestamptz \
     GROUP BY step, branch";

pub const PURGE_BRANCHES: &str = "DELETE FROM funnel_branches WHERE started_at < $1::timestamptz";

/// `$1` is a JSON array of `{flow, at, id, step, until}`: journeys shown their first view and
/// not stored (`Store::record_funnel_starts`).
pub const RECORD_STARTS: &str = "INSERT INTO funnel_executions \
     (flow_id, started_at, execution_id, last_step, expires_at) \
     SELECT (s->>'flow')::uuid, (s->>'at')::timestamptz, (s->>'id')::uuid, s->>'step', \
     (s->>'until')::timestamptz FROM jsonb_array_elements($1::jsonb) s ON CONFLICT DO NOTHING";

pub const RECORD_START_STEPS: &str = "INSERT INTO funnel_steps \
     (flow_id, step, started_at, execution_id) \
     SELECT (s->>'flow')::uuid, s->>'step', (s->>'at')::timestamptz, (s->>'id')::uuid \
     FROM jsonb_array_elements($1::jsonb) s ON CONFLICT DO NOTHING";
