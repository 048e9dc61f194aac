//! Bearer tokens of the flow management API, stored only as SHA-256 hashes. Creating and
//! revoking one writes its audit entry in the same transaction.

use super::audit::{AuditEntry, audited_unless_refused};
use super::{Done, Store, StoreError, from_text, on_db, to_text, unique_violation};
use time::OffsetDateTime;

/// A token as listed: never the token itself, which is not stored.
#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    pub id: String,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// Why a token change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// A live token has this name already.
    NameTaken,
    /// No live token has this name.
    Unknown,
}

type RawToken = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn token_row(
    (id, name, created_at, created_by, last_used_at, revoked_at): RawToken,
) -> Result<ApiTokenRow, StoreError> {
    Ok(ApiTokenRow {
        id,
        name,
        created_at: from_text(&created_at)?,
        created_by,
        last_used_at: last_used_at.as_deref().map(from_text).transpose()?,
        revoked_at: revoked_at.as_deref().map(from_text).transpose()?,
    })
}

/// `last_used_at` is for people ("used today"): refreshing it on every call would make each
/// read of the API a write.
const TOUCH_EVERY: time::Duration = time::Duration::minutes(1);

impl Store {
    /// Stores a new token's hash under `name`; refused when a live token has that name.
    pub async fn create_api_token(
        &self,
        name: &str,
        token_hash: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Result<ApiTokenRow, TokenRefusal>, StoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        let created: Result<(), TokenRefusal> = on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let taken: Option<(String,)> = sqlx::query_as(sql::api_tokens::LIVE_BY_NAME).bind(name).fetch_optional(&mut *tx).await?;
            // Another writer may take the name between the check and the insert.
            if taken.is_some() || unique_violation(sqlx::query(sql::api_tokens::INSERT)
                .bind(&id)
                .bind(name)
                .bind(token_hash)
                .bind(to_text(now))
                .bind(&audit.actor)
                .execute(&mut *tx)
                .await)?
            {
                Err(TokenRefusal::NameTaken)
            } else {
                Ok(())
            }
        }))?;
        Ok(created.map(|()| ApiTokenRow {
            id,
            name: name.to_owned(),
            created_at: now,
            created_by: audit.actor.clone(),
            last_used_at: None,
            revoked_at: None,
        }))
    }

    /// Live tokens first, then revoked ones; newest first within each.
    pub async fn api_tokens(&self) -> Result<Vec<ApiTokenRow>, StoreError> {
        let raw: Vec<RawToken> =
            on_db!(self, p => sqlx::query_as(sql::api_tokens::ALL).fetch_all(p).await)?;
        raw.into_iter().map(token_row).collect()
    }

    /// Revokes the live token named `name`: it stops working at once.
    pub async fn revoke_api_token(
        &self,
        name: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Result<(), TokenRefusal>, StoreError> {
        on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = sqlx::query(sql::api_tokens::REVOKE).bind(name).bind(to_text(now)).execute(&mut *tx).await?;
            if done.rows_affected() == 1 { Ok(()) } else { Err(TokenRefusal::Unknown) }
        }))
    }

    /// The live token with this hash, if any.
    pub async fn api_token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        let raw: Option<RawToken> = on_db!(self, p => sqlx::query_as(sql::api_tokens::LIVE_BY_HASH).bind(token_hash).fetch_optional(p).await)?;
        raw.map(token_row).transpose()
    }

    /// The live token with this hash, its use recorded (at most once a minute).
    pub async fn use_api_token(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        let Some(mut row) = self.api_token_by_hash(token_hash).await? else {
            return Ok(None);
        };
        if row.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
            on_db!(self, write p => sqlx::query(sql::api_tokens::TOUCH).bind(&row.id).bind(to_text(now)).execute(p).await.map(Done::from))?;
            row.last_used_at = Some(now);
        }
        Ok(Some(row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ApiToken;

    fn entry(action: &'static str) -> AuditEntry {
        AuditEntry {
            actor: "cli".into(),
            action,
            subject: Some("token:ci".into()),
            detail: serde_json::json!({}),
        }
    }

    #[tokio::test]
    async fn tokens_are_created_once_per_live_name_found_by_hash_and_revoked() {
        for store in crate::store::test_stores().await {
            let now = time::macros::datetime!(2026-01-02 03:04:05 UTC);
            let token = ApiToken::generate();
            let created = store
                .create_api_token("ci", &token.hash(), &entry("api_token.created"), now)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(created.name, "ci");
            let other = ApiToken::generate();
            assert_eq!(
                store
                    .create_api_token("ci", &other.hash(), &entry("api_token.created"), now)
                    .await
                    .unwrap()
                    .unwrap_err(),
                TokenRefusal::NameTaken
            );

            let used = store.use_api_token(&token.hash(), now).await.unwrap();
            assert_eq!(used.unwrap().last_used_at, Some(now));
            let later = now + time::Duration::seconds(10);
            let again = store.use_api_token(&token.hash(), later).await.unwrap();
            assert_eq!(
                again.unwrap().last_used_at,
                Some(now),
                "not touched twice a minute"
            );
            assert!(
                store
                    .use_api_token(&other.hash(), now)
                    .await
                    .unwrap()
                    .is_none()
            );

            store
                .revoke_api_token("ci", &entry("api_token.revoked"), later)
                .await
                .unwrap()
                .unwrap();
            assert!(
                store
                    .api_token_by_hash(&token.hash())
                    .await
                    .unwrap()
                    .is_none()
            );
            assert_eq!(
                store
                    .revoke_api_token("ci", &entry("api_token.revoked"), later)
                    .await
                    .unwrap()
                    .unwrap_err(),
                TokenRefusal::Unknown
            );
            // The name is free again; the revoked one stays listed.
            store
                .create_api_token("ci", &other.hash(), &entry("api_token.created"), later)
                .await
                .unwrap()
                .unwrap();
            let listed = store.api_tokens().await.unwrap();
            assert_eq!(listed.len(), 2);
            assert!(listed[0].revoked_at.is_none() && listed[1].revoked_at.is_some());
            let actions: Vec<String> = store
                .recent_audit(10)
                .await
                .unwrap()
                .into_iter()
                .map(|a| a.action)
                .collect();
            assert_eq!(
                actions
                    .iter()
                    .filter(|a| a.as_str() == "api_token.created")
                    .count(),
                2
            );
            assert!(actions.iter().any(|a| a == "api_token.revoked"));
        }
    }
}
