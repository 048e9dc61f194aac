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
    /// Set when its clients must sign their calls; the key is derived from these.
    pub proof: Option<ProofNonces>,
}

/// What an application's proof key is derived from: no key is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofNonces {
    pub current: String,
    /// The key before the last change, still accepted for a while after `changed_at`.
    pub previous: Option<String>,
    pub changed_at: OffsetDateTime,
}

type RawApplication = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn application_row(
    (id, name, origins, return_url, created_at, starts, nonce, previous, changed_at): RawApplication,
) -> Result<ApplicationRow, StoreError> {
    let proof = match (nonce, changed_at) {
        (Some(current), Some(changed_at)) => Some(ProofNonces {
            current,
            previous,
            changed_at: from_text(&changed_at)?,
        }),
        _ => None,
    };
    Ok(ApplicationRow {
        id,
        name,
        allowed_origins: serde_json::from_str(&origins)?,
        return_url,
        created_at: from_text(&created_at)?,
        starts_per_minute: u32::try_from(starts.max(0)).unwrap_or(u32::MAX),
        proof,
    })
}

fn is_name_taken<T>(result: Result<T, sqlx::Error>) -> Result<Option<T>, StoreError> {
    match result {
        Ok(done) => Ok(Some(done)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// `false` when an application of that name exists.
    pub async fn create_application(&self, app: &ApplicationRow) -> Result<bool, StoreError> {
        let origins = serde_json::to_string(&app.allowed_origins)?;
        let proof = app.proof.as_ref();
        let result = on_db!(self, write p => sqlx::query(sql::applications::INSERT)
            .bind(&app.id)
            .bind(&app.name)
            .bind(origins)
            .bind(&app.return_url)
            .bind(to_text(app.created_at))
            .bind(i64::from(app.starts_per_minute))
            .bind(proof.map(|p| p.current.clone()))
            .bind(proof.and_then(|p| p.previous.clone()))
            .bind(proof.map(|p| to_text(p.changed_at)))
            .execute(p)
            .await.map(Done::from));
        Ok(is_name_taken(result)?.is_some())
    }

    /// Its name, origins, return URL and limit, as `app` has them; `None` when another
    /// application has that name, `Some(false)` when there is no such application.
    pub async fn update_application(
        &self,
        app: &ApplicationRow,
    ) -> Result<Option<bool>, StoreError> {
        let origins = serde_json::to_string(&app.allowed_origins)?;
        let result = on_db!(self, write p => sqlx::query(sql::applications::UPDATE)
            .bind(&app.id)
            .bind(&app.name)
            .bind(origins)
            .bind(&app.return_url)
            .bind(i64::from(app.starts_per_minute))
            .execute(p)
            .await.map(Done::from));
        Ok(is_name_taken(result)?.map(|done| done.rows_affected() > 0))
    }

    /// Requires a proof with these nonces, or none; `false` when there is no such application.
    pub async fn set_application_proof(
        &self,
        id: &str,
        proof: Option<&ProofNonces>,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::applications::SET_PROOF)
            .bind(id)
            .bind(proof.map(|p| p.current.clone()))
            .bind(proof.and_then(|p| p.previous.clone()))
            .bind(proof.map(|p| to_text(p.changed_at)))
            .execute(p)
            .await.map(Done::from))?;
        Ok(done.rows_affected() > 0)
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

    pub async fn application_by_name(
        &self,
        name: &str,
    ) -> Result<Option<ApplicationRow>, StoreError> {
        let raw: Option<RawApplication> = on_db!(self, p => sqlx::query_as(sql::applications::BY_NAME).bind(name).fetch_optional(p).await)?;
        raw.map(application_row).transpose()
    }

    /// `false` when there was none.
    pub async fn delete_application(&self, id: &str) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::applications::DELETE).bind(id).execute(p).await.map(Done::from))?;
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
