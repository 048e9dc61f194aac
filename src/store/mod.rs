//! Persistence only. One `Store` with a variant per backend (SQLite, PostgreSQL); every
//! method's body is written once and compiled against each backend's own driver by `on_db!`,
//! each backend with its own statements and migration tree and no `if sqlite` in the queries.
//!
//! The store sits below the engine: it uses `domain` types, never the engine's. A flow
//! definition is JSON text here, written and read by the engine (`engine/stored.rs`).

mod admins;
mod api_tokens;
mod applications;
pub(crate) mod audit;
#[cfg(test)]
mod concurrent;
mod connections;
mod drafts;
mod events;
mod executions;
mod extensions;
mod flows;
mod funnel;
mod invitations;
mod login_failures;
mod messages;
mod outbox;
mod postgres;
mod settings;
mod sqlite;
mod statements;
#[cfg(test)]
pub(crate) mod test_databases;
mod time_text;
mod users;

pub use admins::AdminRow;
pub use api_tokens::{ApiTokenRow, TokenRefusal};
pub use applications::{ApplicationRow, ProofNonces};
pub use audit::{AuditEntry, AuditFilter, AuditRow, Name};
pub use connections::ConnectionRow;
pub use drafts::{DraftRefusal, DraftRow, TakeBack, VersionSummary};
pub use events::{DeliveryRow, FailedDelivery};
pub use executions::{CommitOutcome, Effect, LinkRow, NewUser};
pub use extensions::ExtensionRow;
pub use flows::{FlowVersionRow, FlowVersionStatus};
pub use funnel::{BranchFigures, Funnel, FunnelQuery, StepFigures};
pub use invitations::{InvitationRow, NewInvitation};
pub use login_failures::{admin_login_subject, login_subject};
pub use messages::OverrideRow;
#[cfg(test)]
pub(crate) use outbox::test_mail;
pub use outbox::{
    Channel, FailedMail, HandedMail, MailLease, NewMail, NewSms, OutboxRow, quota_entry,
};
pub use time_text::{from_text, to_text};
pub use users::UserRow;

use postgres::PgPools;
use sqlite::SqlitePools;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error(
        "unsupported database URL scheme {0:?} (expected sqlite:, postgres:// or postgresql://)"
    )]
    UnsupportedUrl(String),
    /// Why the database could not be opened, in one line that names the server and never
    /// the password.
    #[error("{0}")]
    Connect(String),
}

/// What a statement that returns no rows did, the same type on every backend (each driver has
/// its own), so that a body written once can hand it out of `on_db!`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done {
    rows_affected: u64,
}

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

impl From<sqlx::sqlite::SqliteQueryResult> for Done {
    fn from(r: sqlx::sqlite::SqliteQueryResult) -> Self {
        Done {
            rows_affected: r.rows_affected(),
        }
    }
}

impl From<sqlx::postgres::PgQueryResult> for Done {
    fn from(r: sqlx::postgres::PgQueryResult) -> Self {
        Done {
            rows_affected: r.rows_affected(),
        }
    }
}

/// Whether a statement was refused by a unique constraint (another writer got there first),
/// rather than done; any other failure is the error it was.
pub(crate) fn unique_violation<T>(result: Result<T, sqlx::Error>) -> Result<bool, sqlx::Error> {
    match result {
        Ok(_) => Ok(false),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(true),
        Err(e) => Err(e),
    }
}

/// How connections to a database server are made. SQLite ignores them: its file needs no
/// pool to speak of, no network and no server-side timeout.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// At most this many connections per instance.
    pub pool_size: u32,
    /// How long to wait for the server to accept a connection.
    pub connect_timeout: Duration,
    /// Any statement running longer is cancelled by the server (`statement_timeout`).
    pub statement_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            pool_size: 10,
            connect_timeout: Duration::from_millis(5_000),
            statement_timeout: Duration::from_millis(5_000),
        }
    }
}

impl StoreError {
    /// The database cannot serve now — unreachable, restarting, out of connections, out of
    /// disk, read-only — rather than refusing this request: a reason to answer 503 and try
    /// again, not a bug.
    pub fn is_unavailable(&self) -> bool {
        self.unavailable_reason().is_some()
    }

    /// Why the database cannot serve now, in words for the operator's log, when that is
    /// the case: sqlx's own text for a disk error is SQLite's bare "disk I/O error".
    pub fn unavailable_reason(&self) -> Option<&'static str> {
        let StoreError::Db(e) = self else {
            return None;
        };
        match e {
            sqlx::Error::PoolTimedOut => Some("no database connection free in time"),
            sqlx::Error::PoolClosed => Some("the database pool is closed (shutting down)"),
            sqlx::Error::Io(_) | sqlx::Error::Tls(_) => Some("the database cannot be reached"),
            sqlx::Error::WorkerCrashed => Some("the database connection's worker stopped"),
            sqlx::Error::Database(db) => db.code().and_then(|code| unavailable_code(&code)),
            _ => None,
        }
    }
}

/// SQLite's primary result codes for a busy, full, read-only or failing disk (the low byte
/// of an extended code), and PostgreSQL's classes for a lost connection (08), too many
/// connections (53300), a server shutting down or starting (57P01–57P03) and a full disk
/// (53100); each with what it means for the operator.
/// SQLSTATEs are five characters; SQLite's extended codes have at most four digits.
fn unavailable_code(code: &str) -> Option<&'static str> {
    if code.len() == 5 {
        return match code {
            _ if code.starts_with("08") => Some("the connection to PostgreSQL was lost"),
            "53100" => Some("PostgreSQL's disk is full"),
            "53300" => Some("PostgreSQL has no connection free"),
            "57P01" | "57P02" | "57P03" => Some("PostgreSQL is shutting down or starting"),
            _ => None,
        };
    }
    match code.parse::<i64>().ok()? & 0xff {
        5 | 6 => Some("the database file is locked by another writer"),
        8 => Some("the database file is read-only"),
        // What a disk that failed, or that the kernel made read-only after an error, gives.
        10 => Some("the database's disk failed a read or write, or is read-only"),
        13 => Some("the database's disk is full"),
        14 => Some("the database file cannot be opened"),
        _ => None,
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

#[cfg(test)]
mod unavailable_tests {
    use super::unavailable_code;

    #[test]
    fn waits_are_told_from_refusals() {
        // SQLITE_BUSY, SQLITE_READONLY_DBMOVED (extended), SQLITE_FULL; PostgreSQL's
        // connection failure, too many connections and shutdown.
        for code in ["5", "1032", "13", "778", "08006", "53300", "57P01"] {
            assert!(unavailable_code(code).is_some(), "{code}");
        }
        assert_eq!(unavailable_code("13"), Some("the database's disk is full"));
        // SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's unique violation and syntax error.
        for code in ["2067", "23505", "42601"] {
            assert_eq!(unavailable_code(code), None, "{code}");
        }
    }
}

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePools),
    Postgres(PgPools),
}

/// Opens a transaction that will write.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for sqlx::SqlitePool {
    type Db = sqlx::Sqlite;
    /// SQLite's plain `BEGIN` takes the write lock only at the first write. A transaction
    /// that reads first fails at once with "database is locked", whatever the busy timeout,
    /// when another process (the CLI beside a running server) wrote in between: its snapshot
    /// is stale. `IMMEDIATE` takes the lock up front, where the busy timeout waits for it.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for sqlx::PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// Runs `$body` with `$p` bound to the backend's pool, type-checked per backend: the
/// `write` form for anything that changes the database, even in part.
macro_rules! on_db {
    ($store:expr, $p:ident => $body:expr) => {
        $crate::store::on_db!(@pool $store, reader, $p => $body)
    };
    ($store:expr, write $p:ident => $body:expr) => {
        $crate::store::on_db!(@pool $store, writer, $p => $body)
    };
    (@pool $store:expr, $pool:ident, $p:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite(pools) => {
                $crate::store::on_db!(@on sqlite, pools.$pool(), $p => $body)
            }
            $crate::store::Store::Postgres(pools) => {
                $crate::store::on_db!(@on postgres, pools.$pool(), $p => $body)
            }
        }
    };
    (@on $backend:ident, $pool:expr, $p:ident => $body:expr) => {{
        // Unused only by a body with no statement of its own (a test's raw SQL), or one
        // that only reads.
        #[allow(unused_imports)]
        use $crate::store::BeginWrite;
        #[allow(unused_imports)]
        use $crate::store::$backend::sql;
        let $p = $pool;
        $body
    }};
}
pub(crate) use on_db;

/// What another instance's commits wake here (`Store::listen`).
pub struct Wakes {
    pub mail: std::sync::Arc<tokio::sync::Notify>,
    pub console: std::sync::Arc<tokio::sync::Notify>,
}

impl Store {
    /// The backend follows the URL's scheme: `sqlite:`, or `postgres://` / `postgresql://`.
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(sqlite::connect(url).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(postgres::connect(url, options).await?))
        } else {
            // The scheme alone: whatever follows may hold a password.
            Err(StoreError::UnsupportedUrl(
                url.split(':').next().unwrap_or("").to_owned(),
            ))
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pools) => sqlite::migrate(pools).await?,
            Store::Postgres(pools) => postgres::migrate(pools).await?,
        }
        // Data fix-ups SQL cannot do (NFKC, IDNA): each scans its tables, so each runs once
        // per database, not at every start. Rows written since carry their keys already.
        if self.first_time("fixup.username_keys").await? {
            self.key_usernames().await?;
            self.remember("fixup.username_keys").await?;
        }
        if self.first_time("fixup.email_keys_punycode").await? {
            self.rekey_emails().await?;
            self.remember("fixup.email_keys_punycode").await?;
        }
        Ok(())
    }

    async fn first_time(&self, name: &str) -> Result<bool, StoreError> {
        let done: Option<(String,)> = on_db!(self, p => sqlx::query_as(sql::settings::SELECT).bind(name).fetch_optional(p).await)?;
        Ok(done.is_none())
    }

    async fn remember(&self, name: &str) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::settings::INSERT).bind(name).bind("done").execute(p).await.map(Done::from))?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, p => sqlx::query(sql::PING).execute(p).await.map(Done::from))?;
        Ok(())
    }

    /// Wakes `wakes` when another instance queues mail or saves a console change, where the
    /// backend can tell (PostgreSQL's LISTEN/NOTIFY); `None` for SQLite, whose one instance
    /// wakes its own worker and reloads its own changes in process.
    pub fn listen(&self, wakes: Wakes) -> Option<tokio::task::JoinHandle<()>> {
        match self {
            Store::Sqlite(_) => None,
            Store::Postgres(pools) => Some(postgres::listen(pools, wakes)),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }
}

/// A flow definition for store tests: the store keeps it as text it does not read.
#[cfg(test)]
pub(crate) const TEST_DEFINITION: &str = r#"{"flowType":"REGISTRATION","name":"Registration","start":"details","steps":[{"id":"details"}]}"#;

/// A new registration execution at `step`, on a flow version stored for it.
#[cfg(test)]
pub(crate) async fn test_execution(
    store: &Store,
    step: &str,
    now: time::OffsetDateTime,
) -> crate::domain::Execution {
    let flow_id = store
        .insert_flow_draft(
            crate::domain::FlowType::Registration,
            TEST_DEFINITION,
            None,
            now,
        )
        .await
        .unwrap();
    crate::domain::Execution::new(
        crate::domain::ExecutionId::new(),
        flow_id,
        crate::domain::FlowType::Registration,
        step,
        now,
        time::Duration::minutes(30),
    )
}

/// One migrated store per backend, each on an empty database of its own: a store test that
/// is about behaviour loops over both.
#[cfg(test)]
pub(crate) async fn test_stores() -> Vec<Store> {
    let mut stores = Vec::new();
    for url in [
        "sqlite::memory:".to_owned(),
        test_databases::fresh_postgres_url().await,
    ] {
        let store = Store::connect(&url, &DbOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        stores.push(store);
    }
    stores
}
