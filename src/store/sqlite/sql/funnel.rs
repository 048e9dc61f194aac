//! SQLite statements of `store::funnel`.

/// Per last step shown: all, completed, expired, abandoned. (No execution ends in an
/// error: a refused form comes back, counted per step by `REACHED`.)
pub const OUTCOMES: &str = "SELECT last_step, COUNT(*), \
     COALESCE(SUM(outcome = 'COMPLETE'), 0), \
     COALESCE(SUM(outcome = 'EXPIRED'), 0), COALESCE(SUM(outcome IS NULL AND expires_at <= $4), 0) \
     FROM funnel_executions WHERE flow_id = $1 AND started_at >= $2 AND started_at < $3 \
     GROUP BY last_step";

/// `$2` is a JSON array of step ids: one statement, one primary-key slice per step.
/// Per step: executions shown it, forms sent back with an error there, and executions
/// sent back at least once.
pub const REACHED: &str = "SELECT step, COUNT(*), COALESCE(SUM(refused), 0), \
     COALESCE(SUM(refused > 0), 0) FROM funnel_steps \
     WHERE flow_id = $1 AND step IN (SELECT value FROM json_each($2)) \
     AND started_at >= $3 AND started_at < $4 GROUP BY step";

/// The middle one or two of the completion times (`$4` = (n - 1) / 2, `$5` = 1 or 2).
pub const MIDDLE_COMPLETION: &str = "SELECT completed_ms FROM funnel_executions \
     WHERE flow_id = $1 AND started_at >= $2 AND started_at < $3 AND outcome = 'COMPLETE' \
     ORDER BY completed_ms LIMIT CAST($5 AS INTEGER) OFFSET $4";

pub const MARK_EXPIRED: &str = "UPDATE funnel_executions SET outcome = 'EXPIRED' \
     WHERE flow_id = $1 AND started_at = $2 AND execution_id = $3 AND outcome IS NULL";

/// By version first, so each delete is a primary-key range per version, not a full scan.
pub const PURGE_EXECUTIONS: &str = "DELETE FROM funnel_executions \
     WHERE flow_id IN (SELECT id FROM flow_versions) AND started_at < $1";

/// The (version, step) pairs come from the stored definitions, which name every step a
/// version can have shown.
pub const PURGE_STEPS: &str = "DELETE FROM funnel_steps WHERE (flow_id, step) IN \
     (SELECT v.id, json_extract(s.value, '$.id') FROM flow_versions v, json_each(v.definition, '$.steps') s) \
     AND started_at < $1";

pub const RECORD_REFUSAL: &str = "UPDATE funnel_steps SET refused = refused + 1 \
     WHERE flow_id = $1 AND step = $2 AND started_at = $3 AND execution_id = $4";

/// Counted once per execution and branch, however often it went that way.
pub const RECORD_BRANCH: &str = "INSERT OR IGNORE INTO funnel_branches \
     (flow_id, step, branch, started_at, execution_id) VALUES ($1, $2, $3, $4, $5)";

/// Per decision step and branch: executions that took it.
pub const BRANCHES: &str = "SELECT step, branch, COUNT(*) FROM funnel_branches \
     WHERE flow_id = $1 AND started_at >= $2 AND started_at < $3 GROUP BY step, branch";

pub const PURGE_BRANCHES: &str = "DELETE FROM funnel_branches WHERE started_at < $1";

/// `$1` is a JSON array of `{flow, at, id, step, until}`: journeys shown their first view and
/// not stored (`Store::record_funnel_starts`).
pub const RECORD_STARTS: &str = "INSERT OR IGNORE INTO funnel_executions \
     (flow_id, started_at, execution_id, last_step, expires_at) \
     SELECT json_extract(value, '$.flow'), json_extract(value, '$.at'), json_extract(value, '$.id'), \
     json_extract(value, '$.step'), json_extract(value, '$.until') FROM json_each($1)";

pub const RECORD_START_STEPS: &str = "INSERT OR IGNORE INTO funnel_steps \
     (flow_id, step, started_at, execution_id) \
     SELECT json_extract(value, '$.flow'), json_extract(value, '$.step'), json_extract(value, '$.at'), \
     json_extract(value, '$.id') FROM json_each($1)";
