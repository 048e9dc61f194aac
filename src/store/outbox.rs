//! The outbox: mail is written in the transaction of the change that causes it and sent
//! later by a worker, so a crash or an SMTP outage loses nothing.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use time::OffsetDateTime;

pub struct NewMail {
    pub recipient: String,
    /// The address as accounts are keyed: what the per-recipient quota counts by.
    pub recipient_key: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// What kind of message, for metrics and the console (`otp`, `magic_link`, …).
    pub kind: &'static str,
    /// At most this many mails to `recipient_key` in the last hour, counting this one;
    /// `None` for mail an administrator sends on purpose to one address.
    pub quota_per_hour: Option<u32>,
    /// Set when the worker of the instance that queues the mail takes it straight from the
    /// commit: the row is written already claimed, which saves the claim's own commit.
    pub lease: Option<MailLease>,
}

/// A mail leased to this instance's worker as it is queued: its id, chosen before the
/// commit so that the worker can record exactly that row, and the end of the lease, after
/// which any worker may claim it as if it had never been handed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailLease {
    pub id: String,
    pub until: OffsetDateTime,
}

/// A mail its commit queued leased to this instance's worker, handed over with what the
/// worker sends: the row as it was written, so that sending it needs no read. The store
/// takes the lease off a mail it did not queue (past the recipient's quota), so only what
/// was written is handed over. No `Debug`: the bodies may hold a code or a link.
#[derive(Clone)]
pub struct HandedMail {
    pub until: OffsetDateTime,
    pub row: OutboxRow,
}

impl NewMail {
    /// What to hand this instance's worker once the commit that queued this mail is done;
    /// `None` when it was not leased (or not queued).
    pub fn handed(&self, queued_at: OffsetDateTime) -> Option<HandedMail> {
        let lease = self.lease.as_ref()?;
        Some(HandedMail {
            until: lease.until,
            row: OutboxRow {
                id: lease.id.clone(),
                recipient: self.recipient.clone(),
                subject: self.subject.clone(),
                text_body: self.text_body.clone(),
                html_body: self.html_body.clone(),
                kind: self.kind.to_owned(),
                attempts: 0,
                created_at: queued_at,
            },
        })
    }
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

/// Serialises the quota checks of the recipient `$key` until the transaction ends, so two
/// commits cannot both count below the quota: PostgreSQL's advisory lock; nothing on SQLite,
/// whose one writer does it already.
macro_rules! lock_recipient {
    ($conn:expr, $key:expr) => {
        if sql::outbox::LOCK_RECIPIENT.is_empty() {
            Ok(())
        } else {
            sqlx::query_scalar::<_, i64>(sql::outbox::LOCK_RECIPIENT)
                .bind($key)
                .fetch_one($conn)
                .await
                .map(|_| ())
        }
    };
}
pub(super) use lock_recipient;

/// Queues `$mail` on `$conn` (a transaction of whichever backend), so the mail commits with
/// the change that causes it. `Ok(false)`: the recipient's quota is used up and nothing was
/// queued; the count and the insert are one statement. `$conn` is evaluated once per
/// statement (`&mut *tx` reborrows each time).
macro_rules! queue_mail {
    ($conn:expr, $mail:expr, $now:expr) => {
        'queue: {
            if $mail.quota_per_hour.is_some()
                && let Err(e) = $crate::store::outbox::lock_recipient!($conn, &$mail.recipient_key)
            {
                break 'queue Err(e);
            }
            sqlx::query(sql::outbox::INSERT_MAIL)
                .bind(match &$mail.lease {
                    Some(lease) => lease.id.clone(),
                    None => uuid::Uuid::now_v7().to_string(),
                })
                .bind(&$mail.recipient)
                .bind(&$mail.subject)
                .bind(&$mail.text_body)
                .bind(&$mail.html_body)
                .bind($mail.kind)
                .bind($crate::store::to_text($now))
                .bind(&$mail.recipient_key)
                .bind(
                    $mail
                        .lease
                        .as_ref()
                        .map(|l| $crate::store::to_text(l.until)),
                )
                .bind($crate::store::to_text($now - time::Duration::hours(1)))
                .bind($mail.quota_per_hour.map(i64::from))
                .fetch_optional($conn)
                .await
                .map(|queued| queued.is_some())
        }
    };
}
pub(super) use queue_mail;

/// Queues the text message `$sms` on `$conn`, as `queue_mail!` does mail, under the same
/// per-recipient quota, counted in its insert. `Ok(false)`: the quota is used up and
/// nothing was queued.
macro_rules! queue_sms {
    ($conn:expr, $sms:expr, $now:expr) => {
        'queue: {
            if let Err(e) = $crate::store::outbox::lock_recipient!($conn, &$sms.recipient) {
                break 'queue Err(e);
            }
            sqlx::query(sql::outbox::INSERT_SMS)
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(&$sms.recipient)
                .bind(&$sms.body)
                .bind($sms.kind)
                .bind($crate::store::to_text($now))
                .bind(&$sms.prefix_key)
                .bind(&$sms.client_key)
                .bind($crate::store::to_text($now - time::Duration::hours(1)))
                .bind(i64::from($sms.quota_per_hour))
                .fetch_optional($conn)
                .await
                .map(|queued| queued.is_some())
        }
    };
}
pub(super) use queue_sms;

/// One text message to queue. Its body may hold a code: it lives in the outbox until sent.
pub struct NewSms {
    /// The number in E.164, also the key its per-recipient quota counts by.
    pub recipient: String,
    pub body: String,
    /// What kind of message, for metrics (`sms_otp`, `sms_recovery_code`).
    pub kind: &'static str,
    pub quota_per_hour: u32,
    /// The number without its last four digits: the range pumping limits count by.
    pub prefix_key: String,
    /// The client address that asked, when known.
    pub client_key: Option<String>,
}

/// Whether a row of the outbox is a mail or a text message: each has its own worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Mail,
    Sms,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Sms => "sms",
        }
    }
}

/// The audit entry for mail the quota held back: the address, so an owner can see who is
/// being bombed, and the kind of mail.
pub fn quota_entry(actor: String, mail: &NewMail) -> super::AuditEntry {
    super::AuditEntry {
        actor,
        action: "mail_quota.exceeded",
        subject: None,
        detail: serde_json::json!({
            "recipient": mail.recipient_key,
            "kind": mail.kind,
            "perHour": mail.quota_per_hour,
        }),
    }
}

/// The audit entry for a text message the per-number quota held back, as `quota_entry`
/// for mail; counted as a refusal too.
pub fn sms_quota_entry(actor: String, sms: &NewSms) -> super::AuditEntry {
    metrics::counter!("flows_sms_refused_total", "reason" => "recipient_quota").increment(1);
    super::AuditEntry {
        actor,
        action: "sms_quota.exceeded",
        subject: None,
        detail: serde_json::json!({
            "recipient": sms.recipient,
            "kind": sms.kind,
            "perHour": sms.quota_per_hour,
        }),
    }
}

type RawOutbox = (String, String, String, String, String, String, i64, String);

/// A code mail to `to` under a quota of five an hour, for tests.
#[cfg(test)]
pub(crate) fn test_mail(to: &str) -> NewMail {
    NewMail {
        recipient: to.into(),
        recipient_key: to.into(),
        subject: "s".into(),
        text_body: "t".into(),
        html_body: "h".into(),
        kind: "otp",
        quota_per_hour: Some(5),
        lease: None,
    }
}

fn outbox_row(
    (id, recipient, subject, text_body, html_body, kind, attempts, created_at): RawOutbox,
) -> Result<OutboxRow, StoreError> {
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
}

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
            let mut tx = p.begin_write().await?;
            if !queue_mail!(&mut *tx, mail, now)? {
                super::audit::insert_audit!(quota_entry(audit.actor.clone(), mail), now, &mut *tx)?;
            }
            super::audit::insert_audit!(audit, now, &mut *tx)?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    /// Claims due messages of one channel under a lease until `lease_until`.
    pub async fn claim_outbox(
        &self,
        channel: Channel,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let rows: Vec<RawOutbox> = on_db!(self, write p => sqlx::query_as(sql::outbox::CLAIM)
            .bind(to_text(now))
            .bind(to_text(lease_until))
            .bind(limit)
            .bind(channel.as_str())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(outbox_row).collect()
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

    /// Text messages queued in the hour before `now` to the number range `prefix`, and asked
    /// for by `client`: what the pumping limits count.
    pub async fn sms_last_hour(
        &self,
        prefix: &str,
        client: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(i64, i64), StoreError> {
        Ok(on_db!(self, p => sqlx::query_as(sql::outbox::SMS_SINCE)
            .bind(prefix)
            .bind(client)
            .bind(to_text(now - time::Duration::hours(1)))
            .fetch_one(p)
            .await)?)
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
    /// `false` when it is not (or no longer) failed, or its content is no longer kept.
    pub async fn retry_failed_mail(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::outbox::RETRY_FAILED).bind(id).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes at most `batch` of the oldest sent mail sent before `before`: a sent row keeps
    /// only its address, kind and times (`MARK_SENT` erases the rest), and even that not for
    /// longer than the retention setting. How many went.
    pub async fn purge_sent_mail(
        &self,
        before: OffsetDateTime,
        batch: i64,
    ) -> Result<u64, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::outbox::PURGE_SENT).bind(to_text(before)).bind(batch).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected())
    }

    /// Drops the bodies of mail that failed before `before`: past the longest life of a
    /// link they may hold, they are only secrets at rest, and no retry could help.
    pub async fn forget_failed_mail(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::outbox::FORGET_FAILED).bind(to_text(before)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{CommitOutcome, Effect, test_stores};
    use time::macros::datetime;

    #[tokio::test]
    async fn a_failed_mail_keeps_its_content_for_a_retry_until_it_is_forgotten() {
        let now = datetime!(2026-11-30 12:00 UTC);
        for store in test_stores().await {
            let backend = store.backend();
            let mail = super::NewMail {
                subject: "Your code".into(),
                text_body: "text".into(),
                html_body: "html".into(),
                quota_per_hour: None,
                ..super::test_mail("ada@example.com")
            };
            let audit = crate::store::AuditEntry {
                actor: "test".into(),
                action: "test.sent",
                subject: None,
                detail: serde_json::json!({}),
            };
            store.queue_mail_audited(&mail, &audit, now).await.unwrap();
            let claimed = claim(&store, now).await;
            let id = claimed[0].id.clone();
            store
                .mark_mail_failed(&id, "550 no such user")
                .await
                .unwrap();

            assert!(
                store.retry_failed_mail(&id, now).await.unwrap(),
                "{backend}"
            );
            let again = claim(&store, now).await;
            assert_eq!(
                again[0].text_body, "text",
                "{backend}: retried with its content"
            );
            store
                .mark_mail_failed(&id, "550 no such user")
                .await
                .unwrap();

            let forgotten = store
                .forget_failed_mail(now + time::Duration::days(8))
                .await
                .unwrap();
            assert_eq!(forgotten, 1, "{backend}");
            assert!(
                !store.retry_failed_mail(&id, now).await.unwrap(),
                "{backend}: nothing left to send"
            );
        }
    }

    /// Claims up to ten due mails at `at`, for a minute.
    async fn claim(store: &crate::store::Store, at: time::OffsetDateTime) -> Vec<super::OutboxRow> {
        store
            .claim_outbox(
                super::Channel::Mail,
                at,
                at + time::Duration::minutes(1),
                10,
            )
            .await
            .unwrap()
    }

    fn mail_to(to: &str, lease: Option<super::MailLease>) -> super::NewMail {
        super::NewMail {
            quota_per_hour: Some(1),
            lease,
            ..super::test_mail(to)
        }
    }

    fn lease_from(now: time::OffsetDateTime) -> super::MailLease {
        super::MailLease {
            id: uuid::Uuid::now_v7().to_string(),
            until: now + time::Duration::minutes(1),
        }
    }

    #[tokio::test]
    async fn mail_leased_as_it_is_queued_is_its_workers_alone_until_the_lease_ends() {
        let now = datetime!(2026-12-07 12:00 UTC);
        for store in test_stores().await {
            let backend = store.backend();
            let execution = crate::store::test_execution(&store, "details", now).await;
            let lease = lease_from(now);
            let mut effects = [
                Effect::Mail(mail_to("ada@example.com", Some(lease.clone()))),
                // Past the recipient's quota of one: not queued.
                Effect::Mail(mail_to("ada@example.com", Some(lease_from(now)))),
            ];
            let committed = store.commit(&execution, None, &mut effects, now).await;
            assert_eq!(committed.unwrap(), CommitOutcome::Committed, "{backend}");
            let handed: Vec<_> = effects
                .iter()
                .map(|e| match e {
                    Effect::Mail(mail) => mail.handed(now).map(|h| (h.row.id, h.until)),
                    _ => None,
                })
                .collect();
            assert_eq!(
                handed,
                vec![Some((lease.id.clone(), lease.until)), None],
                "{backend}: only the mail queued is handed to the worker"
            );
            assert!(
                claim(&store, now).await.is_empty(),
                "{backend}: no claim takes it"
            );

            // Its worker died with it: once the lease ends, a claim takes it (the worker of
            // another instance, or this one started again).
            let later = lease.until + time::Duration::seconds(1);
            let claimed = claim(&store, later).await;
            assert_eq!(claimed.len(), 1, "{backend}");
            assert_eq!(claimed[0].id, lease.id, "{backend}");
        }
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
