//! Reads for operators' reports and for operations: the audit log, funnels, and the figures
//! the readiness probe and the metrics take. They change nothing and audit nothing.

use super::{Engine, EngineError};
use crate::domain::{FlowVersionId, UserId};
use crate::store::{AuditFilter, AuditRow, Funnel, FunnelQuery};
use time::OffsetDateTime;

impl Engine {
    /// Entries matching `filter`, newest first, a page (or an export) at a time.
    pub async fn search_audit(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditRow>, EngineError> {
        Ok(self.inner.store.search_audit(filter, limit, offset).await?)
    }

    /// The newest entries about one account, for its page in the console.
    pub async fn user_audit(&self, id: UserId, limit: i64) -> Result<Vec<AuditRow>, EngineError> {
        Ok(self
            .inner
            .store
            .audit_about(&format!("user:{id}"), limit)
            .await?)
    }

    /// What became of the executions of a flow version that started in `[from, to)`, as
    /// they stand at `now`: the caller's `now`, which its range was measured from. Steps
    /// are the version's views in the order a person meets them.
    pub async fn funnel(
        &self,
        flow_id: FlowVersionId,
        from: OffsetDateTime,
        to: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<Funnel, EngineError> {
        let definition = self.flow(flow_id).await?;
        let steps: Vec<String> = definition
            .views_in_order()
            .into_iter()
            .map(str::to_owned)
            .collect();
        Ok(self
            .inner
            .store
            .funnel(&FunnelQuery {
                flow_id,
                steps: &steps,
                from,
                to,
                now,
            })
            .await?)
    }

    /// Whether the database answers, for the readiness probe.
    pub async fn ping_database(&self) -> Result<(), EngineError> {
        Ok(self.inner.store.ping().await?)
    }

    /// Executions in progress and not expired, for the metrics.
    pub async fn count_live_executions(&self) -> Result<i64, EngineError> {
        Ok(self.inner.store.count_live_executions(self.now()).await?)
    }

    /// Mail in the outbox by status, for the metrics.
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, EngineError> {
        Ok(self.inner.store.outbox_counts().await?)
    }

    /// The newest audit entries, for the console's home.
    pub async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditRow>, EngineError> {
        Ok(self.inner.store.recent_audit(limit).await?)
    }

    /// Accounts made since `since`.
    pub async fn count_users_since(&self, since: time::OffsetDateTime) -> Result<i64, EngineError> {
        Ok(self.inner.store.count_users_since(since).await?)
    }

    /// Mail the outbox gave up on, newest first.
    pub async fn failed_mail(
        &self,
        limit: i64,
    ) -> Result<Vec<crate::store::FailedMail>, EngineError> {
        Ok(self.inner.store.failed_mail(limit).await?)
    }
}
