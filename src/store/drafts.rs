//! Console drafts (one per flow type) and publishing them as numbered versions. Every change
//! writes its audit entry in the same transaction, so the log never misses one.

use super::audit::{AuditEntry, audited, audited_unless_refused, insert_audit};
use super::{Store, StoreError, from_text, on_db, to_text};
use crate::domain::{FlowType, FlowVersionId};
use time::OffsetDateTime;

/// `D` is the definition: JSON text the store keeps and never reads (`String`), or what the
/// engine reads it as (`engine::Draft`).
#[derive(Debug, Clone)]
pub struct DraftRow<D = String> {
    pub flow_type: FlowType,
    pub definition: D,
    pub can_undo: bool,
    pub revision: i64,
    /// Where the draft came from, in words: "template registration-otp", "version 3", "import".
    pub source: String,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl<D> DraftRow<D> {
    /// The same draft with its definition read by `read`.
    pub fn read<T, E>(self, read: impl FnOnce(D) -> Result<T, E>) -> Result<DraftRow<T>, E> {
        Ok(DraftRow {
            flow_type: self.flow_type,
            definition: read(self.definition)?,
            can_undo: self.can_undo,
            revision: self.revision,
            source: self.source,
            created_at: self.created_at,
            created_by: self.created_by,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        })
    }
}

/// A version in the history list.
#[derive(Debug, Clone)]
pub struct VersionSummary {
    pub id: FlowVersionId,
    pub version: i64,
    pub status: String,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub created_by: Option<String>,
    pub published_at: Option<OffsetDateTime>,
    pub note: Option<String>,
}

/// What `Store::take_back_draft` takes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeBack {
    LastEdit,
    Draft,
}

/// Why a draft change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftRefusal {
    /// Someone changed the draft since the page was loaded.
    Stale,
    /// There is no draft (any more).
    Missing,
    /// There is one already.
    Exists,
}

#[derive(sqlx::FromRow)]
struct RawDraft {
    flow_type: String,
    definition: String,
    previous: Option<String>,
    revision: i64,
    source: String,
    created_at: String,
    created_by: String,
    updated_at: String,
    updated_by: String,
}

impl TryFrom<RawDraft> for DraftRow {
    type Error = StoreError;
    fn try_from(r: RawDraft) -> Result<Self, StoreError> {
        Ok(DraftRow {
            flow_type: r
                .flow_type
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("flow type {}", r.flow_type)))?,
            definition: r.definition,
            can_undo: r.previous.is_some(),
            revision: r.revision,
            source: r.source,
            created_at: from_text(&r.created_at)?,
            created_by: r.created_by,
            updated_at: from_text(&r.updated_at)?,
            updated_by: r.updated_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RawSummary {
    id: String,
    version: i64,
    status: String,
    definition: String,
    created_at: String,
    created_by: Option<String>,
    published_at: Option<String>,
    note: Option<String>,
}

impl TryFrom<RawSummary> for VersionSummary {
    type Error = StoreError;
    fn try_from(r: RawSummary) -> Result<Self, StoreError> {
        #[derive(serde::Deserialize)]
        struct NameOnly {
            name: String,
        }
        let named: NameOnly = serde_json::from_str(&r.definition)?;
        Ok(VersionSummary {
            id: r
                .id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("flow id {}", r.id)))?,
            version: r.version,
            status: r.status,
            name: named.name,
            created_at: from_text(&r.created_at)?,
            created_by: r.created_by,
            published_at: r.published_at.as_deref().map(from_text).transpose()?,
            note: r.note,
        })
    }
}

fn refused_or_missing(exists: bool) -> DraftRefusal {
    if exists {
        DraftRefusal::Stale
    } else {
        DraftRefusal::Missing
    }
}

/// Inside a transaction, after a change to the draft of `$flow_type` at a given revision
/// matched no row: whether the draft moved on or is gone.
macro_rules! why_refused {
    ($tx:expr, $flow_type:expr) => {{
        let draft: Option<(i64, String)> = sqlx::query_as(sql::drafts::DRAFT_REVISION)
            .bind($flow_type.as_str())
            .fetch_optional(&mut *$tx)
            .await?;
        refused_or_missing(draft.is_some())
    }};
}

/// A write to the draft of `$flow_type` by `$query`, stamped with the audit entry's actor
/// and time: the statement's `$1` to `$3`, its own parameters bound after.
macro_rules! draft_write {
    ($query:path, $statement:expr, $flow_type:expr, $audit:expr, $now:expr) => {
        $query($statement)
            .bind($flow_type.as_str())
            .bind(to_text($now))
            .bind(&$audit.actor)
    };
}

/// Inside a transaction: archives the live version of the type, stores `$json` as the next
/// version, live, and writes the audit entry with that number. Evaluates to the number.
macro_rules! publish_version {
    ($tx:expr, $flow_type:expr, $json:expr, $note:expr, $audit:expr, $now:expr) => {{
        sqlx::query(sql::flows::ENSURE_TYPE)
            .bind($flow_type.as_str())
            .execute(&mut *$tx)
            .await?;
        sqlx::query(sql::flows::ARCHIVE_PUBLISHED)
            .bind($flow_type.as_str())
            .execute(&mut *$tx)
            .await?;
        let (version,): (i64,) = sqlx::query_as(sql::drafts::INSERT_PUBLISHED)
            .bind(FlowVersionId::new().to_string())
            .bind($flow_type.as_str())
            .bind($json)
            .bind(to_text($now))
            .bind(&$audit.actor)
            .bind($note)
            .fetch_one(&mut *$tx)
            .await?;
        let mut audit = $audit.clone();
        if let serde_json::Value::Object(detail) = &mut audit.detail {
            detail.insert("version".into(), version.into());
        }
        insert_audit!(audit, $now, &mut *$tx)?;
        // Every instance keeps which version is live (`Engine::published`): it reloads when
        // the console revision moves.
        sqlx::query(sql::settings::BUMP_REVISION)
            .execute(&mut *$tx)
            .await?;
        version
    }};
}

impl Store {
    pub async fn draft(&self, flow_type: FlowType) -> Result<Option<DraftRow>, StoreError> {
        let raw: Option<RawDraft> = on_db!(self, p => sqlx::query_as(sql::drafts::SELECT_DRAFT).bind(flow_type.as_str()).fetch_optional(p).await)?;
        raw.map(DraftRow::try_from).transpose()
    }

    /// Starts the draft of a type with `definition` (JSON text); refused when one exists (one
    /// draft per type).
    pub async fn create_draft(
        &self,
        flow_type: FlowType,
        definition: &str,
        source: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Result<(), DraftRefusal>, StoreError> {
        on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = draft_write!(sqlx::query, sql::drafts::INSERT_DRAFT, flow_type, audit, now)
                .bind(definition)
                .bind(source)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 1 { Ok(()) } else { Err(DraftRefusal::Exists) }
        }))
    }

    /// Saves an edit made on the page that showed `revision`; the old definition becomes
    /// the one Undo restores.
    pub async fn save_draft(
        &self,
        flow_type: FlowType,
        definition: &str,
        revision: i64,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Result<i64, DraftRefusal>, StoreError> {
        on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let save = draft_write!(sqlx::query, sql::drafts::SAVE_DRAFT, flow_type, audit, now);
            let done = save.bind(definition).bind(revision).execute(&mut *tx).await?;
            if done.rows_affected() == 1 { Ok(revision + 1) } else { Err(why_refused!(tx, flow_type)) }
        }))
    }

    /// An imported definition becomes the draft, whatever was there (kept for Undo).
    /// Evaluates to the draft's new revision.
    pub async fn replace_draft(
        &self,
        flow_type: FlowType,
        definition: &str,
        source: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            let (revision,): (i64,) = draft_write!(sqlx::query_as, sql::drafts::REPLACE_DRAFT, flow_type, audit, now)
                .bind(definition)
                .bind(source)
                .fetch_one(&mut *tx)
                .await?;
            revision
        }))
    }

    /// Undoes the last edit of the draft seen at `revision` (its definition before comes
    /// back), or discards the draft.
    pub async fn take_back_draft(
        &self,
        what: TakeBack,
        flow_type: FlowType,
        revision: i64,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Result<(), DraftRefusal>, StoreError> {
        on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = match what {
                TakeBack::LastEdit => {
                    let undo = draft_write!(sqlx::query, sql::drafts::UNDO_DRAFT, flow_type, audit, now);
                    undo.bind(revision).execute(&mut *tx).await?
                }
                TakeBack::Draft => sqlx::query(sql::drafts::DELETE_DRAFT).bind(flow_type.as_str()).bind(revision).execute(&mut *tx).await?,
            };
            if done.rows_affected() == 1 { Ok(()) } else { Err(why_refused!(tx, flow_type)) }
        }))
    }

    /// Makes the draft seen at `revision` the live version (numbered next), archives the one
    /// it replaces and ends the draft, in one transaction. The caller has validated it.
    pub async fn publish_draft(
        &self,
        flow_type: FlowType,
        revision: i64,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Result<i64, DraftRefusal>, StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            let draft: Option<(i64, String)> = sqlx::query_as(sql::drafts::DRAFT_REVISION).bind(flow_type.as_str()).fetch_optional(&mut *tx).await?;
            let definition = match draft {
                Some((r, definition)) if r == revision => definition,
                found => {
                    tx.rollback().await?;
                    return Ok(Err(refused_or_missing(found.is_some())));
                }
            };
            let version = publish_version!(tx, flow_type, definition, None::<String>, audit, now);
            sqlx::query(sql::drafts::DELETE_DRAFT).bind(flow_type.as_str()).bind(revision).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(Ok(version))
        })
    }

    /// Publishes an old version's definition again, as a new version. `None` when there is
    /// no such version.
    pub async fn roll_back_flow(
        &self,
        flow_type: FlowType,
        to_version: i64,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        let Some(old) = self.flow_version_by_number(flow_type, to_version).await? else {
            return Ok(None);
        };
        // The stored text as it is, as publishing a draft copies it.
        let note = format!("Roll-back to version {to_version}");
        let version = self
            .publish_definition(flow_type, &old.definition, Some(note), audit, now)
            .await?;
        Ok(Some(version))
    }

    /// Publishes `definition` (JSON text) as the next version, its author the audit entry's
    /// actor, with an optional note; the draft, if any, stays as it is.
    pub async fn publish_definition(
        &self,
        flow_type: FlowType,
        definition: &str,
        note: Option<String>,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            let version = publish_version!(tx, flow_type, definition, note.clone(), audit, now);
            tx.commit().await?;
            Ok(version)
        })
    }

    /// Newest first.
    pub async fn flow_versions(
        &self,
        flow_type: FlowType,
    ) -> Result<Vec<VersionSummary>, StoreError> {
        let raw: Vec<RawSummary> = on_db!(self, p => sqlx::query_as(sql::drafts::LIST_VERSIONS).bind(flow_type.as_str()).fetch_all(p).await)?;
        raw.into_iter().map(VersionSummary::try_from).collect()
    }

    pub async fn flow_version_by_number(
        &self,
        flow_type: FlowType,
        version: i64,
    ) -> Result<Option<super::FlowVersionRow>, StoreError> {
        let id: Option<(String,)> = on_db!(self, p => sqlx::query_as(sql::drafts::VERSION_BY_NUMBER).bind(flow_type.as_str()).bind(version).fetch_optional(p).await)?;
        let Some((id,)) = id else {
            return Ok(None);
        };
        let id = id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("flow id {id}")))?;
        self.flow_version(id).await
    }

    pub async fn flow_enabled(&self, flow_type: FlowType) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = on_db!(self, p => sqlx::query_as(sql::drafts::ENABLED).bind(flow_type.as_str()).fetch_optional(p).await)?;
        Ok(row.is_none_or(|(e,)| e != 0))
    }

    pub async fn set_flow_enabled_audited(
        &self,
        flow_type: FlowType,
        enabled: bool,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            sqlx::query(sql::flows::ENSURE_TYPE).bind(flow_type.as_str()).execute(&mut *tx).await?;
            sqlx::query(sql::flows::SET_ENABLED).bind(flow_type.as_str()).bind(i64::from(enabled)).execute(&mut *tx).await?;
            sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
        }))
    }
}
