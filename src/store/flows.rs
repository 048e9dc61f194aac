use super::{Done, Store, StoreError, from_text, on_db, to_text};
use crate::domain::{FlowType, FlowVersionId};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowVersionStatus {
    Draft,
    Published,
    Archived,
}

impl FlowVersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowVersionStatus::Draft => "DRAFT",
            FlowVersionStatus::Published => "PUBLISHED",
            FlowVersionStatus::Archived => "ARCHIVED",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FlowVersionRow<D = String> {
    pub id: FlowVersionId,
    pub flow_type: FlowType,
    pub version: i64,
    pub status: String,
    /// The definition as stored: JSON text the store keeps and never reads (`String`), or
    /// what the engine reads it as (`engine::FlowVersion`).
    pub definition: D,
    pub created_at: OffsetDateTime,
}

impl<D> FlowVersionRow<D> {
    /// The same version with its definition read by `read`.
    pub fn read<T, E>(self, read: impl FnOnce(D) -> Result<T, E>) -> Result<FlowVersionRow<T>, E> {
        Ok(FlowVersionRow {
            id: self.id,
            flow_type: self.flow_type,
            version: self.version,
            status: self.status,
            definition: read(self.definition)?,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct RawFlowVersion {
    id: String,
    flow_type: String,
    version: i64,
    status: String,
    definition: String,
    created_at: String,
}

impl TryFrom<RawFlowVersion> for FlowVersionRow {
    type Error = StoreError;
    fn try_from(r: RawFlowVersion) -> Result<Self, StoreError> {
        Ok(FlowVersionRow {
            id: r
                .id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("flow id {}", r.id)))?,
            flow_type: r
                .flow_type
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("flow type {}", r.flow_type)))?,
            version: r.version,
            status: r.status,
            definition: r.definition,
            created_at: from_text(&r.created_at)?,
        })
    }
}

impl Store {
    pub async fn flow_version(
        &self,
        id: FlowVersionId,
    ) -> Result<Option<FlowVersionRow>, StoreError> {
        let raw: Option<RawFlowVersion> = on_db!(self, p => sqlx::query_as(sql::flows::SELECT_VERSION).bind(id.to_string()).fetch_optional(p).await)?;
        raw.map(FlowVersionRow::try_from).transpose()
    }

    /// The live version of a flow type and whether the type is enabled.
    pub async fn published_flow(
        &self,
        flow_type: FlowType,
    ) -> Result<Option<(FlowVersionId, bool)>, StoreError> {
        let row: Option<(String, i64)> = on_db!(self, p => sqlx::query_as(sql::flows::SELECT_PUBLISHED).bind(flow_type.as_str()).fetch_optional(p).await)?;
        row.map(|(id, enabled)| {
            let id = id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("flow id {id}")))?;
            Ok((id, enabled != 0))
        })
        .transpose()
    }

    pub async fn count_flow_versions(&self, flow_type: FlowType) -> Result<i64, StoreError> {
        let n: (i64,) = on_db!(self, p => sqlx::query_as(sql::flows::COUNT_VERSIONS).bind(flow_type.as_str()).fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Stores and publishes `definition` as the type's first version, unless the type has a
    /// version already (then nothing, `false`): what the server does at start for each type,
    /// safe when several instances start at once.
    pub async fn seed_flow(
        &self,
        flow_type: FlowType,
        definition: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let id = FlowVersionId::new();
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql::flows::SEED_LOCK).bind(flow_type.as_str()).execute(&mut *tx).await?;
            let (versions,): (i64,) = sqlx::query_as(sql::flows::COUNT_VERSIONS)
                .bind(flow_type.as_str())
                .fetch_one(&mut *tx)
                .await?;
            if versions > 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(sql::flows::INSERT_VERSION)
                .bind(id.to_string())
                .bind(flow_type.as_str())
                .bind(definition)
                .bind(to_text(now))
                .bind("system")
                .execute(&mut *tx)
                .await?;
            sqlx::query(sql::flows::ENSURE_TYPE).bind(flow_type.as_str()).execute(&mut *tx).await?;
            sqlx::query(sql::flows::PUBLISH).bind(id.to_string()).bind(flow_type.as_str()).execute(&mut *tx).await?;
            sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Stores a new draft version of `definition` (JSON text); the version number is the next
    /// free one for its type.
    pub async fn insert_flow_draft(
        &self,
        flow_type: FlowType,
        definition: &str,
        created_by: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<FlowVersionId, StoreError> {
        let id = FlowVersionId::new();
        on_db!(self, write p => sqlx::query(sql::flows::INSERT_VERSION)
            .bind(id.to_string())
            .bind(flow_type.as_str())
            .bind(definition)
            .bind(to_text(now))
            .bind(created_by)
            .execute(p)
            .await.map(Done::from))?;
        Ok(id)
    }

    /// Makes one version live, archiving the one it replaces, in one transaction.
    pub async fn publish_flow(
        &self,
        flow_type: FlowType,
        id: FlowVersionId,
    ) -> Result<bool, StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql::flows::ENSURE_TYPE).bind(flow_type.as_str()).execute(&mut *tx).await?;
            sqlx::query(sql::flows::ARCHIVE_PUBLISHED).bind(flow_type.as_str()).execute(&mut *tx).await?;
            let done = sqlx::query(sql::flows::PUBLISH).bind(id.to_string()).bind(flow_type.as_str()).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn set_flow_enabled(
        &self,
        flow_type: FlowType,
        enabled: bool,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql::flows::ENSURE_TYPE).bind(flow_type.as_str()).execute(&mut *tx).await?;
            sqlx::query(sql::flows::SET_ENABLED).bind(flow_type.as_str()).bind(i64::from(enabled)).execute(&mut *tx).await?;
            sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
