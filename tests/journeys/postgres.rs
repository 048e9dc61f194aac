//! PostgreSQL, the engine for several instances (issue 10): its migration tree matches
//! SQLite's version for version and applies once and whole when several instances start at
//! the same moment; a server that cannot be used stops the start with one line that names it
//! and never the password. (The journeys themselves run on it with FLOWS_TEST_BACKEND=postgres.)

use sqlx::Connection;
use std::collections::BTreeSet;

/// The migrations' versions in one tree (`0003_invitations.sql` → 3).
fn versions(tree: &str) -> BTreeSet<u32> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(tree);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".sql")?.split('_').next()?.parse().ok()
        })
        .collect()
}

#[test]
fn both_backends_have_the_same_migration_versions() {
    let sqlite = versions("migrations/sqlite");
    assert!(sqlite.len() >= 11, "{sqlite:?}");
    assert_eq!(versions("migrations/postgres"), sqlite);
}

#[tokio::test]
async fn migrations_apply_once_when_several_instances_start_together() {
    let url = crate::helpers::fresh_postgres_url().await;
    let starts = (0..4).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            let pool = sqlx::PgPool::connect(&url).await.expect("connect");
            // sqlx's migrator holds a PostgreSQL advisory lock while it applies: the other
            // instances wait, then find every version applied.
            sqlx::migrate!("./migrations/postgres")
                .run(&pool)
                .await
                .expect("migrations apply");
            pool.close().await;
        })
    });
    for start in starts {
        start.await.expect("instance start");
    }
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let applied: Vec<(i64, bool)> =
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let expected: Vec<(i64, bool)> = versions("migrations/sqlite")
        .into_iter()
        .map(|v| (i64::from(v), true))
        .collect();
    assert_eq!(applied, expected, "each version applied once");
    let tables: (i64,) = sqlx::query_as(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' \
         AND table_name IN ('executions', 'funnel_steps', 'branding_logo', 'outbox')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(tables.0, 4);
}

/// `flows serve` on `url`: it must refuse to start. Its exit code and standard error.
fn serve_refused(url: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flows"))
        .arg("serve")
        .current_dir(dir.path())
        .env("FLOWS_DATABASE_URL", url)
        .env("FLOWS_LISTEN", "127.0.0.1:0")
        .env("FLOWS_DATABASE_CONNECT_TIMEOUT_MS", "3000")
        .env("FLOWS_LOG", "warn")
        .env_remove("FLOWS_SMTP_URL")
        .output()
        .expect("flows runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The test server's `host:port`, from `FLOWS_TEST_POSTGRES_URL`.
fn test_server() -> String {
    let url = std::env::var("FLOWS_TEST_POSTGRES_URL").expect("FLOWS_TEST_POSTGRES_URL");
    let authority = url
        .split_once("://")
        .map_or(url.as_str(), |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or("")
        .to_owned();
    authority
        .rsplit_once('@')
        .map_or(authority.clone(), |(_, host)| host.to_owned())
}

#[test]
fn bad_credentials_stop_the_start_with_one_line_naming_the_server_not_the_password() {
    let server = test_server();
    // The test server trusts every local connection, so a wrong password alone would get
    // in: a user that does not exist is refused the same way (SQLSTATE 28000).
    let (code, err) = serve_refused(&format!(
        "postgres://nobody_here:Sw0rdf1sh-secret@{server}/postgres"
    ));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&format!("PostgreSQL at {server}")), "{err}");
    assert!(
        err.contains("nobody_here") && err.contains("bad credentials"),
        "{err}"
    );
    assert!(!err.contains("Sw0rdf1sh"), "the password leaked: {err}");
}

#[test]
fn a_missing_database_an_unreachable_server_and_a_malformed_url_each_say_so() {
    let server = test_server();
    let (code, err) = serve_refused(&format!(
        "postgresql://postgres:Sw0rdf1sh-secret@{server}/no_such_database"
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "PostgreSQL at {server} has no database \"no_such_database\""
        )),
        "{err}"
    );
    assert!(!err.contains("Sw0rdf1sh"), "{err}");

    // A port nothing listens on: refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let (code, err) = serve_refused(&format!(
        "postgres://flows:Sw0rdf1sh-secret@127.0.0.1:{port}/flows"
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused"
        )),
        "{err}"
    );
    assert!(!err.contains("Sw0rdf1sh"), "{err}");

    let (code, err) = serve_refused("postgres://flows:Sw0rdf1sh-secret@db.example:port/flows");
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("not a valid PostgreSQL URL"), "{err}");
    assert!(!err.contains("Sw0rdf1sh"), "{err}");
}
