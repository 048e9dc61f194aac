//! PostgreSQL statements of `store::settings`.

crate::store::statements::settings_statements!();

/// Raised with every change an administrator makes to what all instances must show
/// (settings, logo, message texts), in the change's own transaction: other instances
/// compare it to the one they loaded and reload when it moved.
pub const BUMP_REVISION: &str = "INSERT INTO settings (name, value) VALUES ('console_revision', '1') \
     ON CONFLICT (name) DO UPDATE SET value = (settings.value::bigint + 1)::text";
