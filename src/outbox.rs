//! The outbox worker: drains one channel (mail or text messages) of what the engine's commits
//! queued. It decides nothing; it sends, and records what became of each message.

use crate::clock::Clock;
use crate::mail::{Mailer, SendError};
use crate::sms::SmsSender;
use crate::store::{Channel, HandedMail, OutboxRow, Store};
use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::sync::mpsc::Receiver;

/// How one channel of the outbox goes out.
pub enum Sender {
    Mail { mailer: Mailer, from: Mailbox },
    Sms(SmsSender),
}

impl Sender {
    fn channel(&self) -> Channel {
        match self {
            Sender::Mail { .. } => Channel::Mail,
            Sender::Sms(_) => Channel::Sms,
        }
    }

    async fn send(&self, row: &OutboxRow) -> Result<(), SendError> {
        match self {
            Sender::Mail { mailer, from } => mailer.send(from, row).await,
            Sender::Sms(sms) => sms.send(row).await,
        }
    }
}

/// Drains one channel of the outbox: claims due messages under a lease, sends them, and
/// records the result. Temporary failures back off exponentially; permanent ones, or too
/// many tries, are kept as FAILED for the console to show.
pub struct OutboxWorker {
    pub store: Store,
    pub sender: Sender,
    pub clock: Arc<dyn Clock>,
    pub wake: Arc<Notify>,
    pub poll: Duration,
    /// The first retry delay after a temporary failure (doubles each time).
    pub retry_base: Duration,
    /// How long claimed mail stays reserved to this worker: longer than a batch takes to
    /// send, or another instance sends it too.
    pub lease: Duration,
    /// Mail this instance's commits leased to this worker as they queued it
    /// (`Engine::hand_mail_to`): sent without a claim.
    pub handoff: Option<Receiver<HandedMail>>,
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
    /// The lease, as the store's times count it: what a claim reserves, and what the
    /// engine leases handed-over mail for.
    pub fn lease_span(&self) -> time::Duration {
        time::Duration::try_from(self.lease).unwrap_or(time::Duration::MINUTE)
    }

    pub async fn run(mut self) {
        let mut handoff = self.handoff.take();
        loop {
            match self.drain_once().await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox: could not read the queue"),
            }
            // Handed-over mail is sent as it comes, without a claim; the claim above runs
            // again at the latest after `poll`, for retries and for leases that ran out.
            let claim_again = tokio::time::Instant::now() + self.poll;
            loop {
                tokio::select! {
                    Some(mail) = next_handed(&mut handoff) => {
                        let mut handed = vec![mail];
                        while let Some(more) = handoff.as_mut().and_then(|h| h.try_recv().ok()) {
                            handed.push(more);
                            if handed.len() as i64 == BATCH {
                                break;
                            }
                        }
                        if let Err(e) = self.send_handed(handed).await {
                            tracing::warn!(error = %e, "outbox: could not record handed-over mail; what is not recorded goes out again once its lease ends");
                        }
                    }
                    _ = self.wake.notified() => break,
                    _ = tokio::time::sleep_until(claim_again) => break,
                }
            }
        }
    }

    /// Sends what is due now; returns how many messages it handled.
    pub async fn drain_once(&self) -> Result<usize, crate::store::StoreError> {
        let now = self.clock.now();
        let rows = self
            .store
            .claim_outbox(self.sender.channel(), now, now + self.lease_span(), BATCH)
            .await?;
        self.send(&rows).await?;
        Ok(rows.len())
    }

    /// Sends the handed-over mail that is still this worker's: a lease half run out is left
    /// to the claim that will take it once it ends, rather than raced. Half a lease is also
    /// the margin within which the clocks of two instances may disagree.
    async fn send_handed(&self, handed: Vec<HandedMail>) -> Result<(), crate::store::StoreError> {
        let half = self.lease_span() / 2;
        let now = self.clock.now();
        let rows: Vec<OutboxRow> = handed
            .into_iter()
            .filter(|mail| now + half <= mail.until)
            .map(|mail| mail.row)
            .collect();
        self.send(&rows).await
    }

    /// Sends `rows`, which this worker holds under a lease, and records what became of each
    /// as soon as it is known: a crash then sends again at most the one mail in flight.
    async fn send(&self, rows: &[OutboxRow]) -> Result<(), crate::store::StoreError> {
        let channel = self.sender.channel();
        let (sent, failed) = match channel {
            Channel::Mail => ("flows_mail_sent_total", "flows_mail_failed_total"),
            Channel::Sms => ("flows_sms_sent_total", "flows_sms_failed_total"),
        };
        let channel = channel.as_str();
        for row in rows {
            match self.sender.send(row).await {
                Ok(()) => {
                    self.record_sent(&row.id).await?;
                    metrics::counter!(sent, "kind" => row.kind.clone()).increment(1);
                    tracing::info!(message_id = %row.id, channel, kind = %row.kind, "message sent");
                }
                Err(SendError::Permanent(e)) => {
                    self.store.mark_mail_failed(&row.id, &e).await?;
                    metrics::counter!(failed, "kind" => row.kind.clone()).increment(1);
                    tracing::error!(message_id = %row.id, channel, kind = %row.kind, error = %e, "message failed permanently");
                }
                Err(SendError::Temporary(e)) if row.attempts + 1 >= MAX_ATTEMPTS => {
                    self.store.mark_mail_failed(&row.id, &e).await?;
                    metrics::counter!(failed, "kind" => row.kind.clone()).increment(1);
                    tracing::error!(message_id = %row.id, channel, kind = %row.kind, error = %e, "message failed: too many attempts");
                }
                Err(SendError::Temporary(e)) => {
                    let next = self.clock.now() + backoff(self.retry_base, row.attempts);
                    self.store.mark_mail_retry(&row.id, next, &e).await?;
                    tracing::warn!(message_id = %row.id, channel, kind = %row.kind, attempt = row.attempts + 1, error = %e, "message delayed");
                }
            }
        }
        Ok(())
    }

    /// Records a mail the SMTP server took, trying again while the database cannot serve
    /// (a full disk, a lock) for as long as the lease keeps the mail ours: given up on, the
    /// record is lost and the mail goes out a second time once the lease ends.
    async fn record_sent(&self, id: &str) -> Result<(), crate::store::StoreError> {
        let give_up = tokio::time::Instant::now() + self.lease;
        let mut wait = Duration::from_millis(100);
        loop {
            match self.store.mark_mail_sent(id, self.clock.now()).await {
                Err(e) if e.is_unavailable() && tokio::time::Instant::now() + wait < give_up => {
                    tracing::warn!(mail_id = %id, error = %e, "outbox: sent, not yet recorded");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(5));
                }
                done => return done,
            }
        }
    }
}

/// The next mail handed over, or never when there is no hand-over (or it ended).
async fn next_handed(handoff: &mut Option<Receiver<HandedMail>>) -> Option<HandedMail> {
    match handoff {
        Some(receiver) => receiver.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::{OutboxWorker, backoff};
    use crate::store::{AuditEntry, DbOptions, NewMail, Store};
    use sqlx::Connection;
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn a_sent_mail_is_recorded_once_the_database_serves_again_within_the_lease() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("flows.db").display());
        let store = Store::connect(&url, &DbOptions::default()).await.unwrap();
        store.migrate().await.unwrap();
        let now = time::OffsetDateTime::now_utc();
        let mail = NewMail {
            quota_per_hour: None,
            ..crate::store::test_mail("ada@example.com")
        };
        let audit = AuditEntry {
            actor: "test".into(),
            action: "test.mail",
            subject: None,
            detail: serde_json::json!({}),
        };
        store.queue_mail_audited(&mail, &audit, now).await.unwrap();
        let lease = time::Duration::seconds(30);
        let id = store
            .claim_outbox(crate::store::Channel::Mail, now, now + lease, 1)
            .await
            .unwrap()[0]
            .id
            .clone();

        // Another process holds the write lock past the busy timeout (5 s): the first record
        // fails as unavailable, and a later one goes through.
        let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut holder)
            .await
            .unwrap();
        let release = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(5_500)).await;
            sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
        });
        let worker = OutboxWorker {
            store: store.clone(),
            sender: super::Sender::Mail {
                mailer: crate::mail::Mailer::Dir(dir.path().join("mail")),
                from: "flows@example.com".parse().unwrap(),
            },
            clock: Arc::new(crate::clock::SystemClock),
            wake: Arc::default(),
            poll: Duration::from_millis(50),
            retry_base: Duration::from_millis(100),
            lease: Duration::from_secs(30),
            handoff: None,
        };
        worker.record_sent(&id).await.unwrap();
        release.await.unwrap();
        let counts = store.outbox_counts().await.unwrap();
        assert_eq!(counts, vec![("SENT".to_owned(), 1)]);
    }

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
