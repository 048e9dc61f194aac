//! The PostgreSQL backend: its connections and migrations here, its statements (`sql`) by
//! area. One pool serves reads and writes: PostgreSQL takes concurrent writers itself.

pub(crate) mod sql;

use super::{DbOptions, StoreError};
use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

#[derive(Clone, Debug)]
pub struct PgPools {
    pool: PgPool,
}

impl PgPools {
    pub(crate) fn reader(&self) -> &PgPool {
        &self.pool
    }

    pub(crate) fn writer(&self) -> &PgPool {
        &self.pool
    }
}

/// The channel `INSERT_MAIL` notifies when mail is queued.
const MAIL_CHANNEL: &str = "flows_outbox";
/// The channel `BUMP_REVISION` notifies when a console change commits.
const CONSOLE_CHANNEL: &str = "flows_console";

/// Wakes `wakes.mail` whenever any instance commits queued mail, and `wakes.console`
/// whenever one commits a console change, over one connection, for as long as the task
/// runs. A lost connection is reopened after a second; meanwhile mail waits for the worker's
/// next poll and console changes for the next check, as without notifications.
pub(super) fn listen(pools: &PgPools, wakes: super::Wakes) -> tokio::task::JoinHandle<()> {
    let pool = pools.pool.clone();
    tokio::spawn(async move {
        loop {
            let listened = async {
                let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
                listener.listen_all([MAIL_CHANNEL, CONSOLE_CHANNEL]).await?;
                // Mail may have been queued, and changes made, while no one listened.
                wakes.mail.notify_one();
                wakes.console.notify_one();
                loop {
                    let notification = listener.recv().await?;
                    match notification.channel() {
                        CONSOLE_CHANNEL => wakes.console.notify_one(),
                        _ => wakes.mail.notify_one(),
                    }
                }
                #[allow(unreachable_code)]
                Ok::<(), sqlx::Error>(())
            };
            if let Err(e) = listened.await {
                tracing::warn!(error = %e, "database notifications lost; listening again");
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    })
}

/// Opens the pool, after one connection of its own that tells a refused connection, a
/// timeout, bad credentials and a missing database apart: the pool would retry the first
/// until its deadline and report only that it timed out.
pub(super) async fn connect(url: &str, options: &DbOptions) -> Result<PgPools, StoreError> {
    let target = Target::of(url)?;
    let connect_options = target
        .options
        .clone()
        .options([(
            "statement_timeout",
            options.statement_timeout.as_millis().to_string(),
        )])
        // The statements are the store's constants, a few dozen: each connection keeps
        // them all prepared.
        .statement_cache_capacity(256);
    match tokio::time::timeout(options.connect_timeout, connect_options.connect()).await {
        Err(_) => {
            return Err(target.refused(&format!(
                "no answer within {} ms",
                options.connect_timeout.as_millis()
            )));
        }
        Ok(Err(e)) => return Err(target.explain(&e)),
        Ok(Ok(probe)) => {
            use sqlx::Connection;
            // Only the probe's close failed: the server answered, the pool will tell.
            let _ = probe.close().await;
        }
    }
    let pool = PgPoolOptions::new()
        .max_connections(options.pool_size.max(1))
        .acquire_timeout(options.connect_timeout)
        .connect_with(connect_options)
        .await
        .map_err(|e| target.explain(&e))?;
    Ok(PgPools { pool })
}

pub(super) async fn migrate(pools: &PgPools) -> Result<(), StoreError> {
    // sqlx's migrator holds a PostgreSQL advisory lock while it applies, so instances that
    // start together apply each version once (tests/journeys/postgres.rs). On a connection
    // without the statement timeout: a migration over a large table may take longer, and so
    // may waiting for the lock while another instance applies one.
    let mut conn = pools.writer().acquire().await?;
    sqlx::query(sql::NO_STATEMENT_TIMEOUT)
        .execute(&mut *conn)
        .await?;
    // `run_direct` on the connection itself: `run(&mut *conn)` would make the future's
    // Send depend on a lifetime, which callers that spawn it cannot name.
    let applied = sqlx::migrate!("./migrations/postgres")
        .run_direct(None, &mut *conn, false)
        .await;
    // Back to the configured timeout before the connection returns to the pool. After a
    // failure it is closed instead: the migrator may have left its session lock held.
    if applied.is_err()
        || sqlx::query(sql::DEFAULT_STATEMENT_TIMEOUT)
            .execute(&mut *conn)
            .await
            .is_err()
    {
        drop(conn.detach());
    }
    applied?;
    Ok(())
}

/// Where a URL points, for messages that name the server and never the password. No Debug:
/// the options hold the password.
struct Target {
    options: PgConnectOptions,
    passwords: Vec<String>,
}

impl Target {
    fn of(url: &str) -> Result<Self, StoreError> {
        let passwords = passwords_of(url);
        let options = PgConnectOptions::from_str(url).map_err(|e| {
            StoreError::Connect(redact(
                &format!(
                    "FLOWS_DATABASE_URL is not a valid PostgreSQL URL \
                     (postgres://user:password@host:port/database): {}",
                    reason(&e)
                ),
                &passwords,
            ))
        })?;
        Ok(Self { options, passwords })
    }

    fn server(&self) -> String {
        let o = &self.options;
        match o.get_socket() {
            Some(dir) => format!("PostgreSQL at {} (port {})", dir.display(), o.get_port()),
            None => format!("PostgreSQL at {}:{}", o.get_host(), o.get_port()),
        }
    }

    fn database(&self) -> &str {
        self.options
            .get_database()
            .unwrap_or(self.options.get_username())
    }

    fn refused(&self, why: &str) -> StoreError {
        StoreError::Connect(redact(
            &format!("cannot reach {}: {why}", self.server()),
            &self.passwords,
        ))
    }

    fn explain(&self, e: &sqlx::Error) -> StoreError {
        let message = match e {
            sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                return self.refused("connection refused");
            }
            sqlx::Error::Io(io) => return self.refused(&io.to_string()),
            sqlx::Error::PoolTimedOut => return self.refused("no connection within the timeout"),
            sqlx::Error::Database(db) => match db.code().as_deref() {
                // invalid_password, invalid_authorization_specification (no such role, or
                // pg_hba.conf refuses it)
                Some("28P01") | Some("28000") => format!(
                    "{} refused user {:?} (bad credentials: {})",
                    self.server(),
                    self.options.get_username(),
                    db.message()
                ),
                // invalid_catalog_name
                Some("3D000") => format!(
                    "{} has no database {:?} (create it, or fix the URL's path)",
                    self.server(),
                    self.database()
                ),
                _ => format!("{}: {}", self.server(), db.message()),
            },
            other => format!("{}: {}", self.server(), reason(other)),
        };
        StoreError::Connect(redact(&message, &self.passwords))
    }
}

/// sqlx's message, without its "error with configuration:" style prefix.
fn reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Configuration(inner) => inner.to_string(),
        other => other.to_string(),
    }
}

/// The passwords a URL holds, as written: in the user info (`user:password@host`) and in a
/// `password=` query parameter.
fn passwords_of(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Some((_, rest)) = url.split_once("://") else {
        return found;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
    {
        found.push(password.to_owned());
    }
    if let Some((_, query)) = rest.split_once('?') {
        let query = query.split('#').next().unwrap_or("");
        for pair in query.split('&') {
            if let Some(("password", value)) = pair.split_once('=') {
                found.push(value.to_owned());
            }
        }
    }
    found.retain(|p| !p.is_empty());
    found
}

/// `message` with every copy of each password (as written, and percent-decoded) masked.
fn redact(message: &str, passwords: &[String]) -> String {
    let mut out = message.to_owned();
    for password in passwords {
        out = out.replace(password.as_str(), "***");
        let decoded = percent_decode(password);
        if !decoded.is_empty() {
            out = out.replace(&decoded, "***");
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(((hex(h).unwrap_or(0) << 4) | hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn every_connection_cancels_a_statement_past_the_statement_timeout() {
        let url = crate::store::test_databases::fresh_postgres_url().await;
        let options = DbOptions {
            pool_size: 2,
            statement_timeout: Duration::from_millis(150),
            ..DbOptions::default()
        };
        let pools = connect(&url, &options).await.unwrap();
        let (shown,): (String,) = sqlx::query_as("SHOW statement_timeout")
            .fetch_one(pools.reader())
            .await
            .unwrap();
        assert_eq!(shown, "150ms");
        let err = sqlx::query("SELECT pg_sleep(2)")
            .execute(pools.writer())
            .await
            .unwrap_err();
        let code = err.as_database_error().and_then(|e| e.code());
        assert_eq!(code.as_deref(), Some("57014"), "query_canceled: {err}");
    }

    #[tokio::test]
    async fn migrations_run_without_the_statement_timeout_and_leave_it_in_force() {
        let url = crate::store::test_databases::fresh_postgres_url().await;
        let options = DbOptions {
            // One connection, so the one that migrated is the one asked afterwards.
            pool_size: 1,
            statement_timeout: Duration::from_millis(1),
            ..DbOptions::default()
        };
        let pools = connect(&url, &options).await.unwrap();
        migrate(&pools).await.unwrap();
        let (shown,): (String,) = sqlx::query_as("SHOW statement_timeout")
            .fetch_one(pools.reader())
            .await
            .unwrap();
        assert_eq!(shown, "1ms");
    }

    #[tokio::test]
    async fn a_server_that_never_answers_stops_the_start_at_the_connect_timeout() {
        // Accepts connections (the kernel does, into its backlog) and never says a word.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = silent.local_addr().unwrap().port();
        let options = DbOptions {
            connect_timeout: Duration::from_millis(300),
            ..DbOptions::default()
        };
        let started = std::time::Instant::now();
        let err = connect(
            &format!("postgres://flows:s3cret@127.0.0.1:{port}/flows"),
            &options,
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("cannot reach PostgreSQL at 127.0.0.1:{port}: no answer within 300 ms")
        );
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn a_malformed_url_is_one_line_without_the_password() {
        let Err(err) = Target::of("postgres://flows:s3cret@db.example:notaport/flows") else {
            panic!("a port that is not a number is refused");
        };
        let text = err.to_string();
        assert!(text.contains("not a valid PostgreSQL URL"), "{text}");
        assert!(text.contains("invalid port number"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }

    #[test]
    fn messages_name_the_server_user_and_database_but_never_the_password() {
        let target = Target::of("postgres://flows:p%40ss%20word@db.example:6543/identity").unwrap();
        assert_eq!(target.passwords, ["p%40ss%20word"]);
        let refused = target
            .explain(&sqlx::Error::Io(
                std::io::ErrorKind::ConnectionRefused.into(),
            ))
            .to_string();
        assert_eq!(
            refused,
            "cannot reach PostgreSQL at db.example:6543: connection refused"
        );
        assert_eq!(
            target.refused("no answer within 5000 ms").to_string(),
            "cannot reach PostgreSQL at db.example:6543: no answer within 5000 ms"
        );
        // A server message that quotes the password back is masked, written or decoded.
        assert_eq!(
            redact("a p@ss word and p%40ss%20word", &target.passwords),
            "a *** and ***"
        );
        assert_eq!(target.database(), "identity");
        assert_eq!(target.server(), "PostgreSQL at db.example:6543");
    }

    #[test]
    fn passwords_are_found_in_the_user_info_and_the_query() {
        assert_eq!(passwords_of("postgres://u:pw@h/db"), ["pw"]);
        assert_eq!(
            passwords_of("postgres://u@h/db?sslmode=disable&password=x"),
            ["x"]
        );
        assert!(passwords_of("postgres://h:5432/db").is_empty());
        assert!(passwords_of("postgresql://u:@h/db").is_empty());
        assert_eq!(passwords_of("postgres://u:a:b@c@h:1/db"), ["a:b@c"]);
    }
}
