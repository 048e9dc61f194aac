use super::{Mailer, SendError};
use crate::clock::Clock;
use crate::store::Store;
use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Drains the outbox: claims due mail under a lease, sends it, and records the result.
/// Temporary failures back off exponentially; permanent ones, or too many tries, are kept
/// as FAILED for the console to show.
pub struct OutboxWorker {
    pub store: Store,
    pub mailer: Mailer,
    pub from: Mailbox,
    pub clock: Arc<dyn Clock>,
    pub wake: Arc<Notify>,
    pub poll: Duration,
    /// The first retry delay after a temporary failure (doubles each time).
    pub retry_base: Duration,
    /// How long claimed mail stays reserved to this worker: longer than a batch takes to
    /// send, or another instance sends it too.
    pub lease: Duration,
}

const BATCH: i64 = 20;
const MAX_ATTEMPTS: i64 = 12;

/// Waits `base`, then twice as long after each failure, at most an hour.
pub fn backoff(base: Duration, attempts: i64) -> time::Duration {
    let base_ms = i64::try_from(base.as_millis()).unwrap_or(5_000).max(1);
    let ms = base_ms
        .saturating_mul(1 << attempts.clamp(0, 20))
        .min(3_600_000);
    time::Duration::milliseconds(ms)
}

impl OutboxWorker {
    pub async fn run(self) {
        loop {
            match self.drain_once().await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox: could not read the queue"),
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// Sends what is due now; returns how many messages it handled.
    pub async fn drain_once(&self) -> Result<usize, crate::store::StoreError> {
        let now = self.clock.now();
        let lease = time::Duration::try_from(self.lease).unwrap_or(time::Duration::MINUTE);
        let rows = self.store.claim_mail(now, now + lease, BATCH).await?;
        for row in &rows {
            match self.mailer.send(&self.from, row).await {
                Ok(()) => {
                    self.store.mark_mail_sent(&row.id, self.clock.now()).await?;
                    metrics::counter!("flows_mail_sent_total", "kind" => row.kind.clone())
                        .increment(1);
                    tracing::info!(mail_id = %row.id, kind = %row.kind, "mail sent");
                }
                Err(SendError::Permanent(e)) => {
                    self.store.mark_mail_failed(&row.id, &e).await?;
                    metrics::counter!("flows_mail_failed_total", "kind" => row.kind.clone())
                        .increment(1);
                    tracing::error!(mail_id = %row.id, kind = %row.kind, error = %e, "mail failed permanently");
                }
                Err(SendError::Temporary(e)) if row.attempts + 1 >= MAX_ATTEMPTS => {
                    self.store.mark_mail_failed(&row.id, &e).await?;
                    metrics::counter!("flows_mail_failed_total", "kind" => row.kind.clone())
                        .increment(1);
                    tracing::error!(mail_id = %row.id, kind = %row.kind, error = %e, "mail failed: too many attempts");
                }
                Err(SendError::Temporary(e)) => {
                    let next = self.clock.now() + backoff(self.retry_base, row.attempts);
                    self.store.mark_mail_retry(&row.id, next, &e).await?;
                    tracing::warn!(mail_id = %row.id, kind = %row.kind, attempt = row.attempts + 1, error = %e, "mail delayed");
                }
            }
        }
        Ok(rows.len())
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_grows_and_caps() {
        let base = std::time::Duration::from_secs(5);
        assert_eq!(backoff(base, 0).whole_seconds(), 5);
        assert_eq!(backoff(base, 1).whole_seconds(), 10);
        assert_eq!(backoff(base, 3).whole_seconds(), 40);
        assert_eq!(backoff(base, 30).whole_seconds(), 3600);
        assert_eq!(
            backoff(std::time::Duration::from_millis(200), 1).whole_milliseconds(),
            400
        );
    }
}
