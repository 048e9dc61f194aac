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
    pub actor_name: Name,
    pub subject_name: Name,
}

/// The address an actor or subject goes by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Name {
    /// An account that exists now, by its address now.
    Account(String),
    /// The name recorded when the entry was written (an account since deleted, a journey's
    /// address, an administrator, an invitation).
    Recorded(String),
    /// None known (`cli`, `token:…`, entries written before names were recorded).
    #[default]
    Unknown,
}

impl Name {
    fn of(now: Option<String>, recorded: Option<String>) -> Self {
        match (now, recorded) {
            (Some(now), _) => Name::Account(now),
            (None, Some(recorded)) => Name::Recorded(recorded),
            (None, None) => Name::Unknown,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Name::Account(n) | Name::Recorded(n) => Some(n),
            Name::Unknown => None,
        }
    }
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

/// Inside `on_db!(…, write p => …)`: runs `$body` in one write transaction bound to `$tx`,
/// then writes the audit entry and commits: the change and its entry, both or neither.
/// Evaluates to `Ok(body)`.
macro_rules! audited {
    ($p:ident, $audit:expr, $now:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = $p.begin_write().await?;
        let value = $body;
        $crate::store::audit::insert_audit!($audit, $now, &mut *$tx)?;
        $tx.commit().await?;
        Ok::<_, $crate::store::StoreError>(value)
    }};
}
pub(crate) use audited;

/// As `audited!`, for a change that may be refused: `$body` evaluates to `Ok(value)`, which
/// is audited and committed, or to `Err(refusal)`, which rolls back so that a refused change
/// leaves nothing, not even an audit entry. Evaluates to `Ok(body)`.
macro_rules! audited_unless_refused {
    ($p:ident, $audit:expr, $now:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = $p.begin_write().await?;
        match $body {
            Ok(value) => {
                $crate::store::audit::insert_audit!($audit, $now, &mut *$tx)?;
                $tx.commit().await?;
                Ok::<_, $crate::store::StoreError>(Ok(value))
            }
            Err(refusal) => {
                $tx.rollback().await?;
                Ok::<_, $crate::store::StoreError>(Err(refusal))
            }
        }
    }};
}
pub(crate) use audited_unless_refused;

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
        let rows: Vec<RawRow> =
            on_db!(self, p => sqlx::query_as(sql::audit::RECENT).bind(limit).fetch_all(p).await)?;
        rows.into_iter().map(AuditRow::from_raw).collect()
    }

    /// The newest entries about `subject` (e.g. `user:<id>`).
    pub async fn audit_about(
        &self,
        subject: &str,
        limit: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let rows: Vec<RawRow> = on_db!(self, p => sqlx::query_as(sql::audit::ABOUT).bind(subject).bind(limit).fetch_all(p).await)?;
        rows.into_iter().map(AuditRow::from_raw).collect()
    }

    /// Entries about someone (`filter.who`, any case: their id or their name, then or now,
    /// as actor or as subject) and with part of an action, in `[from, to)`, newest first.
    pub async fn search_audit(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let rows: Vec<RawRow> = on_db!(self, p => sqlx::query_as(sql::audit::SEARCH)
            .bind(filter.who.to_lowercase())
            .bind(&filter.action)
            .bind(super::to_text(filter.from))
            .bind(super::to_text(filter.to))
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(AuditRow::from_raw).collect()
    }
}

/// At, actor, action, subject, detail, then the actor's and the subject's account address
/// now and recorded name.
type RawRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl AuditRow {
    fn from_raw(raw: RawRow) -> Result<Self, StoreError> {
        let (at, actor, action, subject, detail, actor_now, actor_then, subject_now, subject_then) =
            raw;
        Ok(Self {
            at: from_text(&at)?,
            actor,
            action,
            subject,
            detail,
            actor_name: Name::of(actor_now, actor_then),
            subject_name: Name::of(subject_now, subject_then),
        })
    }
}

/// What the audit log page filters by.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    /// Part of who the entry is about: an id, an address or a username.
    pub who: String,
    pub action: String,
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
}
