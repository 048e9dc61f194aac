//! Extensions as registered: the services flows call. The secret stays sealed here; only
//! the engine, which holds the key, opens it.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRow {
    pub id: String,
    pub name: String,
    pub url: String,
    /// `SealKey::seal` of the signing secret, with `id` as its context.
    pub secret_sealed: String,
    pub timeout_ms: u32,
    /// Attributes sent with each call, canonical names.
    pub send_attributes: Vec<String>,
    /// Attributes an answer may set.
    pub may_set: Vec<String>,
    /// `allow` or `deny`.
    pub on_failure: String,
    pub created_at: OffsetDateTime,
    /// The event types it receives after the fact (`flow.completed`, …).
    pub events: Vec<String>,
}

type RawExtension = (
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
);

fn extension_row(
    (id, name, url, secret_sealed, timeout_ms, send, may_set, on_failure, created_at, events): RawExtension,
) -> Result<ExtensionRow, StoreError> {
    Ok(ExtensionRow {
        id,
        name,
        url,
        secret_sealed,
        timeout_ms: u32::try_from(timeout_ms)
            .map_err(|_| StoreError::Corrupt(format!("extension timeout {timeout_ms}")))?,
        send_attributes: serde_json::from_str(&send)?,
        may_set: serde_json::from_str(&may_set)?,
        on_failure,
        created_at: from_text(&created_at)?,
        events: serde_json::from_str(&events)?,
    })
}

impl Store {
    /// `false` when an extension of that name exists.
    pub async fn create_extension(&self, row: &ExtensionRow) -> Result<bool, StoreError> {
        let send = serde_json::to_string(&row.send_attributes)?;
        let may_set = serde_json::to_string(&row.may_set)?;
        let result = on_db!(self, write p => sqlx::query(sql::extensions::INSERT)
            .bind(&row.id)
            .bind(&row.name)
            .bind(&row.url)
            .bind(&row.secret_sealed)
            .bind(i64::from(row.timeout_ms))
            .bind(send)
            .bind(may_set)
            .bind(&row.on_failure)
            .bind(to_text(row.created_at))
            .bind(serde_json::to_string(&row.events)?)
            .execute(p)
            .await.map(Done::from));
        Ok(!super::unique_violation(result)?)
    }

    pub async fn extensions(&self) -> Result<Vec<ExtensionRow>, StoreError> {
        let rows: Vec<RawExtension> =
            on_db!(self, p => sqlx::query_as(sql::extensions::ALL).fetch_all(p).await)?;
        rows.into_iter().map(extension_row).collect()
    }

    pub async fn extension_by_name(&self, name: &str) -> Result<Option<ExtensionRow>, StoreError> {
        let row: Option<RawExtension> = on_db!(self, p => sqlx::query_as(sql::extensions::BY_NAME)
            .bind(name).fetch_optional(p).await)?;
        row.map(extension_row).transpose()
    }

    pub async fn extension_by_id(&self, id: &str) -> Result<Option<ExtensionRow>, StoreError> {
        let row: Option<RawExtension> = on_db!(self, p => sqlx::query_as(sql::extensions::BY_ID)
            .bind(id).fetch_optional(p).await)?;
        row.map(extension_row).transpose()
    }

    /// `false` when there was no such extension.
    pub async fn delete_extension(&self, name: &str) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::extensions::DELETE).bind(name).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() > 0)
    }
}
