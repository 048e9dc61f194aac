//! The SQLite backend: its connections and migrations here, its statements (`sql`) by area.

pub(crate) mod sql;

use super::StoreError;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// SQLite takes one writer at a time. Writers on several pooled connections would contend
/// for the file lock and sleep in its busy handler (five sleeps per registration under the
/// load bench); one writer connection makes them queue in the pool instead, while readers
/// never wait for a writer in WAL mode.
#[derive(Clone, Debug)]
pub struct SqlitePools {
    read: SqlitePool,
    write: SqlitePool,
}

impl SqlitePools {
    pub(crate) fn reader(&self) -> &SqlitePool {
        &self.read
    }

    pub(crate) fn writer(&self) -> &SqlitePool {
        &self.write
    }
}

pub(super) async fn connect(url: &str) -> Result<SqlitePools, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: each commit is on the disk before it is answered. NORMAL survives a crash
        // of the process but not of the machine or the disk: a disk error that made the
        // file system read-only lost every account not yet checkpointed, the whole database
        // in tests/journeys/faults/disk.rs. Commits are few and hashing dominates anyway.
        .synchronous(SqliteSynchronous::Full)
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
        return Ok(SqlitePools {
            read: pool.clone(),
            write: pool,
        });
    }
    // Switch a new file to WAL on one connection first: two pooled connections
    // doing it at once can fail with "database is locked" (seen once in ~45 starts).
    {
        use sqlx::{ConnectOptions, Connection};
        options.clone().connect().await?.close().await?;
    }
    Ok(SqlitePools {
        write: sqlite_pool(options.clone(), 1).await?,
        // Reads are CPU-bound (the file stays in the OS cache): one per core.
        read: sqlite_pool(options, readers()).await?,
    })
}

pub(super) async fn migrate(pools: &SqlitePools) -> Result<(), StoreError> {
    sqlx::migrate!("./migrations/sqlite")
        .run(pools.writer())
        .await?;
    Ok(())
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
        // A transaction SQLite rolled back by itself (a full disk, an I/O error) is one
        // sqlx still counts open: its ROLLBACK fails, and every later BEGIN on that
        // connection would be refused for good. Such a connection is replaced; the check
        // reads a counter, no round trip.
        .before_acquire(|conn, _| {
            use sqlx::Connection;
            let usable = !conn.is_in_transaction();
            Box::pin(async move { Ok(usable) })
        })
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await?)
}

fn readers() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8) as u32)
}
