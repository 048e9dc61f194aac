//! The outbox: mail is written in the transaction of the change that causes it and sent
//! later by a worker, so a crash or an SMTP outage loses nothing.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use time::OffsetDateTime;

pub struct NewMail {
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// What kind of message, for metrics and the console (`otp`, `magic_link`, …).
    pub kind: &'static str,
}

#[derive(Clone)]
pub struct OutboxRow {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub kind: String,
    pub attempts: i64,
    pub created_at: OffsetDateTime,
}

/// Queues `$mail` on `$conn` (a transaction of whichever backend), so the mail commits with
/// the change that causes it.
macro_rules! queue_mail {
    ($conn:expr, $mail:expr, $now:expr) => {
        sqlx::query(sql::outbox::INSERT_MAIL)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&$mail.recipient)
            .bind(&$mail.subject)
            .bind(&$mail.text_body)
            .bind(&$mail.html_body)
            .bind($mail.kind)
            .bind($crate::store::to_text($now))
            .execute($conn)
            .await
    };
}
pub(super) use queue_mail;

type RawOutbox = (String, String, String, String, String, String, i64, String);

impl Store {
    /// Queues one mail on its own (not caused by an execution's change), with its audit
    /// entry in the same transaction.
    pub async fn queue_mail_audited(
        &self,
        mail: &NewMail,
        audit: &super::AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin().await?;
            queue_mail!(&mut *tx, mail, now)?;
            super::audit::insert_audit!(audit, now, &mut *tx)?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    pub async fn claim_mail(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let rows: Vec<RawOutbox> = on_db!(self, write p => sqlx::query_as(sql::outbox::CLAIM)
            .bind(to_text(now))
            .bind(to_text(lease_until))
            .bind(limit)
            .fetch_all(p)
            .await)?;
        rows.into_iter()
            .map(
                |(id, recipient, subject, text_body, html_body, kind, attempts, created_at)| {
                    Ok(OutboxRow {
                        id,
                        recipient,
                        subject,
                        text_body,
                        html_body,
                        kind,
                        attempts,
                        created_at: from_text(&created_at)?,
                    })
                },
            )
            .collect()
    }

    pub async fn mark_mail_sent(&self, id: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::outbox::MARK_SENT).bind(id).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(())
    }

    pub async fn mark_mail_retry(
        &self,
        id: &str,
        next_attempt_at: OffsetDateTime,
        error: &str,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::outbox::MARK_RETRY).bind(id).bind(to_text(next_attempt_at)).bind(error).execute(p).await.map(Done::from))?;
        Ok(())
    }

    pub async fn mark_mail_failed(&self, id: &str, error: &str) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::outbox::MARK_FAILED).bind(id).bind(error).execute(p).await.map(Done::from))?;
        Ok(())
    }

    /// Count of outbox rows by status (`PENDING`, `SENT`, `sql::outbox::FAILED`).
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_db!(self, p => sqlx::query_as(sql::outbox::COUNT_BY_STATUS).fetch_all(p).await)?)
    }

    /// Mail the outbox gave up on, newest first, for an administrator to look at and retry.
    pub async fn failed_mail(&self, limit: i64) -> Result<Vec<FailedMail>, StoreError> {
        let raw: Vec<(String, String, String, String, i64, String, String)> =
            on_db!(self, p => sqlx::query_as(sql::outbox::FAILED).bind(limit).fetch_all(p).await)?;
        raw.into_iter()
            .map(
                |(id, recipient, subject, kind, attempts, last_error, created_at)| {
                    Ok(FailedMail {
                        id,
                        recipient,
                        subject,
                        kind,
                        attempts,
                        last_error,
                        created_at: from_text(&created_at)?,
                    })
                },
            )
            .collect()
    }

    /// Puts a failed mail back in the queue, due now, with its attempts counted afresh;
    /// `false` when it is not (or no longer) failed.
    pub async fn retry_failed_mail(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::outbox::RETRY_FAILED).bind(id).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }
}

/// A mail the outbox gave up on.
#[derive(Debug, Clone)]
pub struct FailedMail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub kind: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: OffsetDateTime,
}
