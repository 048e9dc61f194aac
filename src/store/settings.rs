//! Named values: generated secrets (the session key, the code key) and the settings owners
//! save in the console (`console.*`, JSON the engine reads), plus the branding logo.

use super::audit::audited;
use super::{AuditEntry, Store, StoreError, on_db, to_text};
use time::OffsetDateTime;

/// Inside a transaction: saves a console setting, and raises the revision other instances
/// reload at.
macro_rules! save_setting {
    ($tx:expr, $name:expr, $json:expr) => {
        sqlx::query(sql::settings::UPSERT)
            .bind($name)
            .bind($json)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(sql::settings::BUMP_REVISION)
            .execute(&mut *$tx)
            .await?;
    };
}

impl Store {
    pub async fn secret_or_init(
        &self,
        name: &'static str,
        generate: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        let value = generate();
        on_db!(self, write p => {
            sqlx::query(sql::settings::INSERT).bind(name).bind(&value).execute(p).await?;
            let stored: (String,) = sqlx::query_as(sql::settings::SELECT).bind(name).fetch_one(p).await?;
            Ok(stored.0)
        })
    }

    /// How many console changes were ever saved (0 before the first): cheap to read, so
    /// every instance can poll it.
    pub async fn console_revision(&self) -> Result<i64, StoreError> {
        let row: Option<(String,)> =
            on_db!(self, p => sqlx::query_as(sql::settings::REVISION).fetch_optional(p).await)?;
        row.map_or(Ok(0), |(v,)| {
            v.parse()
                .map_err(|_| StoreError::Corrupt(format!("console_revision {v:?}")))
        })
    }

    /// Every setting saved from the console: (name, JSON).
    pub async fn console_settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_db!(self, p => sqlx::query_as(sql::settings::CONSOLE_ROWS).fetch_all(p).await)?)
    }

    /// Saves one console setting with the audit entry of the change, both or neither.
    pub async fn save_console_setting(
        &self,
        name: &str,
        json: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            save_setting!(tx, name, json);
        }))
    }

    /// The logo: (content type, bytes, SHA-256 hex).
    pub async fn logo(&self) -> Result<Option<(String, Vec<u8>, String)>, StoreError> {
        Ok(on_db!(self, p => sqlx::query_as(sql::settings::LOGO).fetch_optional(p).await)?)
    }

    /// Replaces (or with `None` removes) the logo, and saves the setting that names it in
    /// the same transaction, so the two never disagree.
    pub async fn save_logo(
        &self,
        logo: Option<(&str, &[u8], &str)>,
        setting: &str,
        json: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            match logo {
                Some((content_type, bytes, sha256)) => {
                    sqlx::query(sql::settings::PUT_LOGO)
                        .bind(content_type)
                        .bind(bytes)
                        .bind(sha256)
                        .bind(to_text(now))
                        .execute(&mut *tx)
                        .await?;
                }
                None => {
                    sqlx::query(sql::settings::DROP_LOGO).execute(&mut *tx).await?;
                }
            }
            save_setting!(tx, setting, json);
        }))
    }
}
