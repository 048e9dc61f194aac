//! Nothing kept longer than needed. One pass deletes what has outlived its use: executions
//! a day after they expired (their links with them), sign-in failures after a day, audit
//! entries and records of sent mail past their retention settings, funnel rows past 400 days,
//! and the bodies of failed mail once no link in them could still work. Large deletions go
//! in small batches, so no write holds the database for long beside live traffic.

use super::{Engine, EngineError};
use time::Duration;

/// How long the funnel keeps an execution's figures, counted from its start: a year and a
/// month, so this month can be set beside the same month last year.
pub const FUNNEL_RETENTION: Duration = Duration::days(400);

/// Executions stay a day past their expiry, so a late visit still reads "expired" rather
/// than "unknown"; sign-in failures a day past their window.
pub const EXPIRED_KEPT_FOR: Duration = Duration::days(1);

/// Rows one statement deletes at most.
pub const BATCH: i64 = 500;

/// What one pass deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub executions: u64,
    pub login_failures: u64,
    pub audit_entries: u64,
    pub sent_mail: u64,
    pub failed_mail_bodies: u64,
    pub funnel_rows: u64,
    /// Event deliveries an extension took, kept as long as sent mail.
    pub sent_events: u64,
}

impl Engine {
    /// Deletes everything past its retention, as of the engine's clock.
    pub async fn purge_past_retention(&self) -> Result<Purged, EngineError> {
        let now = self.now();
        let settings = self.settings();
        let store = &self.inner.store;
        let expired = now - EXPIRED_KEPT_FOR;
        let mut purged = Purged {
            executions: store.purge_executions(expired).await?,
            login_failures: store.purge_login_failures(expired).await?,
            ..Purged::default()
        };
        purged.audit_entries =
            in_batches(|| store.purge_audit(now - settings.audit_retention, BATCH)).await?;
        purged.sent_mail =
            in_batches(|| store.purge_sent_mail(now - settings.sent_mail_retention, BATCH)).await?;
        // An invitation's link lives longest of all a mail may carry.
        purged.failed_mail_bodies = store
            .forget_failed_mail(now - settings.invitation_lifetime)
            .await?;
        purged.funnel_rows = store.purge_funnel(now - FUNNEL_RETENTION).await?;
        purged.sent_events = store
            .purge_sent_deliveries(now - settings.sent_mail_retention)
            .await?;
        Ok(purged)
    }
}

/// Runs `batch` until it deletes less than a full batch; the total.
async fn in_batches<F, Fut>(batch: F) -> Result<u64, EngineError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<u64, crate::store::StoreError>>,
{
    let mut total = 0;
    loop {
        let n = batch().await?;
        total += n;
        if n < BATCH.unsigned_abs() {
            return Ok(total);
        }
        // Let waiting requests have the database between batches.
        tokio::task::yield_now().await;
    }
}
