//! Connections as registered: the OpenID Connect providers people sign up through. The
//! client secret stays sealed here; only the engine, which holds the key, opens it.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRow {
    pub id: String,
    pub name: String,
    /// `oidc`, `google` or `microsoft`: what the form started from.
    pub preset: String,
    pub discovery_url: String,
    pub client_id: String,
    /// `SealKey::seal` of the client secret, with `id` as its context.
    pub secret_sealed: String,
    pub scopes: Vec<String>,
    /// Standard claim name to attribute name.
    pub mapping: BTreeMap<String, String>,
    pub created_at: OffsetDateTime,
    /// A plain OAuth 2.0 provider's endpoints; empty for one found by discovery.
    pub authorize_url: String,
    pub token_url: String,
    pub userinfo_url: String,
}

type RawConnection = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn connection_row(
    (
        id,
        name,
        preset,
        discovery_url,
        client_id,
        secret_sealed,
        scopes,
        mapping,
        created_at,
        authorize_url,
        token_url,
        userinfo_url,
    ): RawConnection,
) -> Result<ConnectionRow, StoreError> {
    Ok(ConnectionRow {
        id,
        name,
        preset,
        discovery_url,
        client_id,
        secret_sealed,
        scopes: scopes.split_whitespace().map(str::to_owned).collect(),
        mapping: serde_json::from_str(&mapping)?,
        created_at: from_text(&created_at)?,
        authorize_url,
        token_url,
        userinfo_url,
    })
}

impl Store {
    /// `false` when a connection of that name exists.
    pub async fn create_connection(&self, row: &ConnectionRow) -> Result<bool, StoreError> {
        let result = on_db!(self, write p => sqlx::query(sql::connections::INSERT)
            .bind(&row.id)
            .bind(&row.name)
            .bind(&row.preset)
            .bind(&row.discovery_url)
            .bind(&row.client_id)
            .bind(&row.secret_sealed)
            .bind(row.scopes.join(" "))
            .bind(serde_json::to_string(&row.mapping)?)
            .bind(to_text(row.created_at))
            .bind(&row.authorize_url)
            .bind(&row.token_url)
            .bind(&row.userinfo_url)
            .execute(p)
            .await.map(Done::from));
        Ok(!super::unique_violation(result)?)
    }

    pub async fn connections(&self) -> Result<Vec<ConnectionRow>, StoreError> {
        let rows: Vec<RawConnection> =
            on_db!(self, p => sqlx::query_as(sql::connections::ALL).fetch_all(p).await)?;
        rows.into_iter().map(connection_row).collect()
    }

    pub async fn connection_by_name(
        &self,
        name: &str,
    ) -> Result<Option<ConnectionRow>, StoreError> {
        let row: Option<RawConnection> = on_db!(self, p => sqlx::query_as(sql::connections::BY_NAME)
            .bind(name).fetch_optional(p).await)?;
        row.map(connection_row).transpose()
    }

    /// `false` when there was no such connection.
    pub async fn delete_connection(&self, name: &str) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::connections::DELETE).bind(name).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() > 0)
    }
}

impl Store {
    /// The provider sign-ins an account holds: (connection, subject), oldest first.
    pub async fn identities_of(
        &self,
        user: crate::domain::UserId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        Ok(
            on_db!(self, p => sqlx::query_as(sql::connections::IDENTITIES_OF)
            .bind(user.to_string())
            .fetch_all(p)
            .await)?,
        )
    }
}
