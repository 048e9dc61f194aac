//! Persistence only. One `Store` with a variant per backend; every method's body is written
//! once and compiled against each backend's own driver by `on_db!`, so a PostgreSQL variant
//! slots in beside SQLite with its own migration tree and no `if sqlite` in the queries.

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

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

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

/// SQLite takes one writer at a time. Writers on several pooled connections would contend
/// for the file lock and sleep in its busy handler (five sleeps per registration under the
/// load bench); one writer connection makes them queue in the pool instead, while readers
/// never wait for a writer in WAL mode.
#[derive(Clone, Debug)]
pub struct SqlitePools {
    read: SqlitePool,
    write: SqlitePool,
}

/// Runs `$body` with `$p` bound to the backend's pool, type-checked per backend: the
/// `write` form for anything that changes the database, even in part.
macro_rules! on_db {
    ($store:expr, $p:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite(pools) => {
                let $p = pools.reader();
                $body
            }
        }
    };
    ($store:expr, write $p:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite(pools) => {
                let $p = pools.writer();
                $body
            }
        }
    };
}
pub(crate) use on_db;

impl SqlitePools {
    pub(crate) fn reader(&self) -> &SqlitePool {
        &self.read
    }

    pub(crate) fn writer(&self) -> &SqlitePool {
        &self.write
    }
}

impl Store {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // 1 MiB of page cache per connection instead of SQLite's 2 MiB: the file
                // stays in the OS's cache anyway, and three connections' caches were a tenth
                // of the server's peak memory.
                .pragma("cache_size", "-1024");
            let in_memory = url.contains(":memory:") || url.contains("mode=memory");
            if in_memory {
                // Every connection to :memory: would be its own database: one for all.
                let pool = sqlite_pool(options, 1).await?;
                return Ok(Store::Sqlite(SqlitePools {
                    read: pool.clone(),
                    write: pool,
                }));
            }
            // Switch a new file to WAL on one connection first: two pooled connections
            // doing it at once can fail with "database is locked" (seen once in ~45 starts).
            {
                use sqlx::{ConnectOptions, Connection};
                options.clone().connect().await?.close().await?;
            }
            Ok(Store::Sqlite(SqlitePools {
                write: sqlite_pool(options.clone(), 1).await?,
                // Reads are CPU-bound (the file stays in the OS cache): one per core.
                read: sqlite_pool(options, readers()).await?,
            }))
        } else {
            Err(StoreError::UnsupportedUrl(
                url.split("://").next().unwrap_or("").to_owned(),
            ))
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pools) => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(pools.writer())
                    .await?
            }
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, p => sqlx::query("SELECT 1").execute(p).await)?;
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
        }
    }
}

async fn sqlite_pool(
    options: SqliteConnectOptions,
    connections: u32,
) -> Result<SqlitePool, StoreError> {
    Ok(SqlitePoolOptions::new()
        .max_connections(connections)
        .min_connections(1)
        // A local file cannot drop the connection; the ping would be one more round trip
        // to the connection's thread on every query.
        .test_before_acquire(false)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await?)
}

fn readers() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8) as u32)
}
