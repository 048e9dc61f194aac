//! Message text overrides written in the console, one per language and key. Each change
//! writes its audit entry in the same transaction, so the log never misses one.

use super::audit::{AuditEntry, audited, audited_unless_refused};
use super::{Store, StoreError, from_text, on_db, to_text};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideRow {
    /// A language tag, as `crate::i18n::Locale::tag` gives it.
    pub locale: String,
    /// A message key as code and flows name it (`register.title`), not the Fluent id.
    pub key: String,
    /// Fluent pattern syntax: `{ $email }`, plurals.
    pub value: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl Store {
    pub async fn message_overrides(&self) -> Result<Vec<OverrideRow>, StoreError> {
        let rows: Vec<(String, String, String, String, String)> =
            on_db!(self, p => sqlx::query_as(sql::messages::LIST).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(locale, key, value, updated_at, updated_by)| {
                Ok(OverrideRow {
                    locale,
                    key,
                    value,
                    updated_at: from_text(&updated_at)?,
                    updated_by,
                })
            })
            .collect()
    }

    /// Stores the text of `key` in one language, replacing any earlier override. The caller
    /// checks the value first (`crate::i18n::check_message`): the store keeps what it is given.
    pub async fn set_message_override(
        &self,
        locale: &str,
        key: &str,
        value: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            sqlx::query(sql::messages::UPSERT)
                .bind(locale)
                .bind(key)
                .bind(value)
                .bind(to_text(now))
                .bind(&audit.actor)
                .execute(&mut *tx)
                .await?;
            sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
        }))
    }

    /// Removes the override, so the compiled-in text shows again; `false` when there was none
    /// (and nothing was audited).
    pub async fn clear_message_override(
        &self,
        locale: &str,
        key: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let cleared: Result<(), ()> = on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = sqlx::query(sql::messages::DELETE)
                .bind(locale)
                .bind(key)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                Err(())
            } else {
                sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
                Ok(())
            }
        }))?;
        Ok(cleared.is_ok())
    }
    /// Applies many texts of one language in one transaction with one audit entry: each
    /// `(key, Some(text))` is stored, each `(key, None)` removed. All or nothing, so an
    /// imported file never lands half.
    pub async fn import_message_overrides(
        &self,
        locale: &str,
        changes: &[(String, Option<String>)],
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            for (key, value) in changes {
                match value {
                    Some(value) => {
                        sqlx::query(sql::messages::UPSERT)
                            .bind(locale)
                            .bind(key)
                            .bind(value)
                            .bind(to_text(now))
                            .bind(&audit.actor)
                            .execute(&mut *tx)
                            .await?;
                    }
                    None => {
                        sqlx::query(sql::messages::DELETE)
                            .bind(locale)
                            .bind(key)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            sqlx::query(sql::settings::BUMP_REVISION).execute(&mut *tx).await?;
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &'static str) -> AuditEntry {
        AuditEntry {
            actor: "ada".into(),
            action,
            subject: Some("fr register.title".into()),
            detail: serde_json::json!({}),
        }
    }

    #[tokio::test]
    async fn overrides_are_set_replaced_cleared_and_audited() {
        for store in crate::store::test_stores().await {
            let now = time::macros::datetime!(2026-01-02 03:04:05 UTC);
            assert!(store.message_overrides().await.unwrap().is_empty());

            let set = entry("message.set");
            store
                .set_message_override("fr", "register.title", "Inscription", &set, now)
                .await
                .unwrap();
            store
                .set_message_override("en", "custom.nickname", "Nickname", &set, now)
                .await
                .unwrap();
            store
                .set_message_override("fr", "register.title", "Créer un compte", &set, now)
                .await
                .unwrap();
            let rows = store.message_overrides().await.unwrap();
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[0].key, "custom.nickname", "sorted by key");
            assert_eq!(
                (rows[1].locale.as_str(), rows[1].key.as_str()),
                ("fr", "register.title")
            );
            assert_eq!(rows[1].value, "Créer un compte");
            assert_eq!(rows[1].updated_by, "ada");
            assert_eq!(rows[1].updated_at, now);

            let clear = entry("message.clear");
            assert!(
                store
                    .clear_message_override("fr", "register.title", &clear, now)
                    .await
                    .unwrap()
            );
            assert!(
                !store
                    .clear_message_override("fr", "register.title", &clear, now)
                    .await
                    .unwrap()
            );
            let rows = store.message_overrides().await.unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].key, "custom.nickname");

            let audit = store.recent_audit(10).await.unwrap();
            assert_eq!(audit.len(), 4, "three sets and one clear");
            assert_eq!(
                audit.iter().filter(|a| a.action == "message.clear").count(),
                1
            );
        }
    }
}
