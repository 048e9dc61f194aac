//! PostgreSQL statements of `store::messages`.

pub const LIST: &str = "SELECT locale, key, value, flows_time(updated_at), updated_by FROM message_overrides \
     ORDER BY key COLLATE \"C\", locale COLLATE \"C\"";

pub const UPSERT: &str = "INSERT INTO message_overrides (locale, key, value, updated_at, updated_by) \
     VALUES ($1, $2, $3, $4::timestamptz, $5) ON CONFLICT (locale, key) DO UPDATE SET \
     value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by";

pub const DELETE: &str = "DELETE FROM message_overrides WHERE locale = $1 AND key = $2";
