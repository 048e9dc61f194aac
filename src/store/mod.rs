//! Persistence only. One `Store` with a variant per backend; every method's body is written
//! once and compiled against each backend's own driver by `on_db!`, so a PostgreSQL variant
//! slots in beside SQLite with its own migration tree and no `if sqlite` in the queries.
//!
//! The store sits below the engine: it uses `domain` types, never the engine's. A flow
//! definition is JSON text here, written and read by the engine (`engine/stored.rs`).

mod admins;
mod api_tokens;
mod applications;
pub(crate) mod audit;
mod drafts;
mod executions;
mod flows;
mod funnel;
mod invitations;
mod login_failures;
mod messages;
mod outbox;
mod settings;
mod sqlite;
mod time_text;
mod users;

pub use admins::AdminRow;
pub use api_tokens::{ApiTokenRow, TokenRefusal};
pub use applications::ApplicationRow;
pub use audit::{AuditEntry, AuditFilter, AuditRow};
pub use drafts::{DraftRefusal, DraftRow, VersionSummary};
pub use executions::{CommitOutcome, Effect, LinkRow, NewUser};
pub use flows::{FlowVersionRow, FlowVersionStatus};
pub use funnel::{Funnel, FunnelQuery, StepFigures};
pub use invitations::{InvitationRow, NewInvitation};
pub use login_failures::{admin_login_subject, login_subject};
pub use messages::OverrideRow;
pub use outbox::{FailedMail, NewMail, OutboxRow};
pub use time_text::{from_text, to_text};
pub use users::UserRow;

use sqlite::SqlitePools;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("unsupported database URL (expected sqlite://…): {0}")]
    UnsupportedUrl(String),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePools),
}

/// Runs `$body` with `$p` bound to the backend's pool, type-checked per backend: the
/// `write` form for anything that changes the database, even in part.
macro_rules! on_db {
    ($store:expr, $p:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite(pools) => {
                // Unused only by a body with no statement of its own (a test's raw SQL).
                #[allow(unused_imports)]
                use $crate::store::sqlite::sql;
                let $p = pools.reader();
                $body
            }
        }
    };
    ($store:expr, write $p:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite(pools) => {
                // Unused only by a body with no statement of its own (a test's raw SQL).
                #[allow(unused_imports)]
                use $crate::store::sqlite::sql;
                let $p = pools.writer();
                $body
            }
        }
    };
}
pub(crate) use on_db;

impl Store {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(sqlite::connect(url).await?))
        } else {
            Err(StoreError::UnsupportedUrl(
                url.split("://").next().unwrap_or("").to_owned(),
            ))
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pools) => sqlite::migrate(pools).await?,
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, p => sqlx::query(sql::PING).execute(p).await)?;
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
        }
    }
}
