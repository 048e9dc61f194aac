//! Client applications of the Flow Execution API.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    pub id: String,
    pub name: String,
    /// Exact origins (`https://app.example`) whose browsers may call the API.
    pub allowed_origins: Vec<String>,
    pub return_url: String,
    pub created_at: OffsetDateTime,
    /// New flows per minute its clients may start through the API (0: no limit of its own).
    pub starts_per_minute: u32,
}

type RawApplication = (String, String, String, String, String, i64);

fn application_row(
    (id, name, origins, return_url, created_at, starts): RawApplication,
) -> Result<ApplicationRow, StoreError> {
    Ok(ApplicationRow {
        id,
        name,
        allowed_origins: serde_json::from_str(&origins)?,
        return_url,
        created_at: from_text(&created_at)?,
        starts_per_minute: u32::try_from(starts.max(0)).unwrap_or(u32::MAX),
    })
}

impl Store {
    /// `false` when an application of that name exists.
    pub async fn create_application(&self, app: &ApplicationRow) -> Result<bool, StoreError> {
        let origins = serde_json::to_string(&app.allowed_origins)?;
        let result = on_db!(self, write p => sqlx::query(sql::applications::INSERT)
            .bind(&app.id)
            .bind(&app.name)
            .bind(origins)
            .bind(&app.return_url)
            .bind(to_text(app.created_at))
            .bind(i64::from(app.starts_per_minute))
            .execute(p)
            .await.map(Done::from));
        match result {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn applications(&self) -> Result<Vec<ApplicationRow>, StoreError> {
        let raw: Vec<RawApplication> =
            on_db!(self, p => sqlx::query_as(sql::applications::ALL).fetch_all(p).await)?;
        raw.into_iter().map(application_row).collect()
    }

    pub async fn application(&self, id: &str) -> Result<Option<ApplicationRow>, StoreError> {
        let raw: Option<RawApplication> = on_db!(self, p => sqlx::query_as(sql::applications::BY_ID).bind(id).fetch_optional(p).await)?;
        raw.map(application_row).transpose()
    }

    /// Deletes by id or by name; `false` when there was none.
    pub async fn delete_application(&self, id_or_name: &str) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::applications::DELETE).bind(id_or_name).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() > 0)
    }

    /// Whether any application lets browsers on `origin` call the API.
    pub async fn origin_allowed(&self, origin: &str) -> Result<bool, StoreError> {
        Ok(self
            .applications()
            .await?
            .iter()
            .any(|a| a.allowed_origins.iter().any(|o| o == origin)))
    }
}
