use super::audit::{AuditEntry, audited_unless_refused};
use super::{Done, NewMail, Store, StoreError, from_text, on_db, to_text};
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[derive(Clone)]
pub struct InvitationRow {
    pub id: String,
    pub email: String,
    pub email_key: String,
    pub attributes: BTreeMap<String, String>,
    pub invited_by: String,
    pub status: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// The invitee's language tag, as chosen at invite time: every mail of the invitation
    /// and the pages its link opens use it.
    pub locale: String,
    /// When the link was first followed.
    pub opened_at: Option<OffsetDateTime>,
    /// When the invitee, holding the expired link, asked for a new one.
    pub renewal_requested_at: Option<OffsetDateTime>,
}

pub struct NewInvitation {
    pub id: String,
    pub email: String,
    pub email_key: String,
    pub code_hash: String,
    pub attributes: BTreeMap<String, String>,
    pub invited_by: String,
    pub expires_at: OffsetDateTime,
    pub locale: String,
}

type RawInvitation = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn row(
    (
        id,
        email,
        email_key,
        attributes,
        invited_by,
        status,
        created_at,
        expires_at,
        locale,
        opened_at,
        renewal_requested_at,
    ): RawInvitation,
) -> Result<InvitationRow, StoreError> {
    Ok(InvitationRow {
        id,
        email,
        email_key,
        attributes: serde_json::from_str(&attributes)?,
        invited_by,
        status,
        created_at: from_text(&created_at)?,
        expires_at: from_text(&expires_at)?,
        locale,
        opened_at: opened_at.as_deref().map(from_text).transpose()?,
        renewal_requested_at: renewal_requested_at.as_deref().map(from_text).transpose()?,
    })
}

impl Store {
    /// Stores an invitation, replacing any pending one for the address, and queues its
    /// e-mail and its `invitation.sent` event (`event` its data), all in one transaction.
    /// `false`: the address's mail quota is used up, and nothing changed.
    pub async fn create_invitation(
        &self,
        invitation: &NewInvitation,
        mail: &NewMail,
        event: &serde_json::Value,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let events = [(
            "invitation.sent",
            super::events::payload("invitation.sent", event, now),
        )];
        let attributes = serde_json::to_string(&invitation.attributes)?;
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql::invitations::REPLACE_PENDING).bind(&invitation.email_key).execute(&mut *tx).await?;
            sqlx::query(sql::invitations::INSERT)
                .bind(&invitation.id)
                .bind(&invitation.email)
                .bind(&invitation.email_key)
                .bind(&invitation.code_hash)
                .bind(&attributes)
                .bind(&invitation.invited_by)
                .bind(to_text(now))
                .bind(to_text(invitation.expires_at))
                .bind(&invitation.locale)
                .execute(&mut *tx)
                .await?;
            if !super::outbox::queue_mail!(&mut *tx, mail, now)? {
                tx.rollback().await?;
                return Ok(false);
            }
            super::events::queue_events!(&mut *tx, &events, now)?;
            tx.commit().await?;
        });
        Ok(true)
    }

    pub async fn invitation_by_code(
        &self,
        code_hash: &str,
    ) -> Result<Option<InvitationRow>, StoreError> {
        let raw: Option<RawInvitation> = on_db!(self, p => sqlx::query_as(sql::invitations::BY_CODE).bind(code_hash).fetch_optional(p).await)?;
        raw.map(row).transpose()
    }

    pub async fn invitation(&self, id: &str) -> Result<Option<InvitationRow>, StoreError> {
        let raw: Option<RawInvitation> = on_db!(self, p => sqlx::query_as(sql::invitations::BY_ID).bind(id).fetch_optional(p).await)?;
        raw.map(row).transpose()
    }

    pub async fn revoke_invitation(&self, id: &str) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::invitations::REVOKE).bind(id).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    /// Invitations matching a status and part of an address, newest first, at most `limit`.
    pub async fn invitations(
        &self,
        status: &str,
        address_part: &str,
        now: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<InvitationRow>, StoreError> {
        let raw: Vec<RawInvitation> = on_db!(self, p => sqlx::query_as(sql::invitations::LIST)
            .bind(status)
            .bind(address_part.to_lowercase())
            .bind(to_text(now))
            .bind(limit)
            .fetch_all(p)
            .await)?;
        raw.into_iter().map(row).collect()
    }

    /// Records the first opening of the invitation's link, with its audit entry; `false`,
    /// and nothing written, when it was opened before.
    pub async fn invitation_opened(
        &self,
        id: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = sqlx::query(sql::invitations::OPENED).bind(id).bind(to_text(now)).execute(&mut *tx).await.map(Done::from)?;
            if done.rows_affected() == 1 { Ok(()) } else { Err(()) }
        }))?;
        Ok(done.is_ok())
    }

    /// Records the invitee's request for a new link, with its audit entry: only for a
    /// pending, expired invitation without a request already; `false`, and nothing written,
    /// otherwise.
    pub async fn ask_invitation_renewal(
        &self,
        id: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = sqlx::query(sql::invitations::ASK_RENEWAL).bind(id).bind(to_text(now)).execute(&mut *tx).await.map(Done::from)?;
            if done.rows_affected() == 1 { Ok(()) } else { Err(()) }
        }))?;
        Ok(done.is_ok())
    }

    /// How many mails were queued to `recipient_key` since `since`: what an invitation batch
    /// checks against the mail quota before it sends anything.
    pub async fn mails_queued_to_since(
        &self,
        recipient_key: &str,
        since: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        Ok(
            on_db!(self, p => sqlx::query_scalar(sql::outbox::QUEUED_TO_SINCE)
            .bind(recipient_key)
            .bind(to_text(since))
            .fetch_one(p)
            .await)?,
        )
    }
}
