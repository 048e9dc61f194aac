//! PostgreSQL statements of `store::settings`.

crate::store::statements::settings_statements!();

/// Raised with every change an administrator makes to what all instances must show
/// (settings, logo, message texts), in the change's own transaction: other instances
/// compare it to the one they loaded and reload when it moved. It notifies
/// `flows_console`, which PostgreSQL delivers at commit, so they reload at once rather than
/// at their next check.
pub const BUMP_REVISION: &str = "WITH bumped AS (INSERT INTO settings (name, value) VALUES ('console_revision', '1') \
     ON CONFLICT (name) DO UPDATE SET value = (settings.value::bigint + 1)::text RETURNING 1) \
     SELECT count(*) FROM bumped, LATERAL (SELECT pg_notify('flows_console', '')) AS notified";
