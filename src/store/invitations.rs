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
}

pub struct NewInvitation {
    pub id: String,
    pub email: String,
    pub email_key: String,
    pub code_hash: String,
    pub attributes: BTreeMap<String, String>,
    pub invited_by: String,
    pub expires_at: OffsetDateTime,
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
);

fn row(
    (id, email, email_key, attributes, invited_by, status, created_at, expires_at): RawInvitation,
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
}
