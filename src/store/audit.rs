use super::{Done, Store, StoreError, from_text, on_db};
use time::OffsetDateTime;

/// One audited change: who did what, to what, when (the store stamps the time), from where
/// (in `detail`). Never a secret.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: String,
    pub action: &'static str,
    pub subject: Option<String>,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
}

/// Binds an entry to `sql::audit::INSERT`, for use inside another write's transaction.
macro_rules! insert_audit {
    ($entry:expr, $now:expr, $executor:expr) => {
        sqlx::query(sql::audit::INSERT)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind($crate::store::to_text($now))
            .bind(&$entry.actor)
            .bind($entry.action)
            .bind(&$entry.subject)
            .bind($entry.detail.to_string())
            .execute($executor)
            .await
            .map($crate::store::Done::from)
    };
}
pub(crate) use insert_audit;

impl Store {
    pub async fn audit(&self, entry: &AuditEntry, now: OffsetDateTime) -> Result<(), StoreError> {
        on_db!(self, write p => insert_audit!(entry, now, p))?;
        Ok(())
    }

    /// Deletes at most `batch` of the oldest entries written before `before` (the retention
    /// setting); how many went. Small batches keep each write short beside live traffic.
    pub async fn purge_audit(&self, before: OffsetDateTime, batch: i64) -> Result<u64, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::audit::PURGE).bind(super::to_text(before)).bind(batch).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected())
    }

    /// The newest entries first.
    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>, String)> =
            on_db!(self, p => sqlx::query_as(sql::audit::RECENT).bind(limit).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(at, actor, action, subject, detail)| {
                Ok(AuditRow {
                    at: from_text(&at)?,
                    actor,
                    action,
                    subject,
                    detail,
                })
            })
            .collect()
    }

    /// Entries by part of the actor and of the action, in `[from, to)`, newest first.
    pub async fn search_audit(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>, String)> = on_db!(self, p => sqlx::query_as(sql::audit::SEARCH)
            .bind(&filter.actor)
            .bind(&filter.action)
            .bind(super::to_text(filter.from))
            .bind(super::to_text(filter.to))
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(|(at, actor, action, subject, detail)| {
                Ok(AuditRow {
                    at: from_text(&at)?,
                    actor,
                    action,
                    subject,
                    detail,
                })
            })
            .collect()
    }
}

/// What the audit log page filters by.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
}
