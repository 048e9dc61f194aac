//! PostgreSQL statements of `store::settings`.

pub const UPSERT: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET value = excluded.value";

pub const CONSOLE_ROWS: &str =
    "SELECT name, value FROM settings WHERE name LIKE 'console.%' ORDER BY name COLLATE \"C\"";

pub const LOGO: &str = "SELECT content_type, bytes, sha256 FROM branding_logo WHERE id = 1";

pub const PUT_LOGO: &str = "INSERT INTO branding_logo (id, content_type, bytes, sha256, updated_at) \
     VALUES (1, $1, $2, $3, $4::timestamptz) ON CONFLICT (id) DO UPDATE SET content_type = excluded.content_type, \
     bytes = excluded.bytes, sha256 = excluded.sha256, updated_at = excluded.updated_at";

pub const DROP_LOGO: &str = "DELETE FROM branding_logo";

/// Raised with every change an administrator makes to what all instances must show
/// (settings, logo, message texts), in the change's own transaction: other instances
/// compare it to the one they loaded and reload when it moved.
pub const BUMP_REVISION: &str = "INSERT INTO settings (name, value) VALUES ('console_revision', '1') \
     ON CONFLICT (name) DO UPDATE SET value = (settings.value::bigint + 1)::text";

pub const REVISION: &str = "SELECT value FROM settings WHERE name = 'console_revision'";

pub const INSERT: &str =
    "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

pub const SELECT: &str = "SELECT value FROM settings WHERE name = $1";
