//! PostgreSQL, the engine for several instances (issue 10), as far as it goes today: its
//! migration tree matches SQLite's version for version, and applies once and whole when
//! several instances start at the same moment.

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

/// A fresh database of its own on the test server, so no test depends on another or on
/// order; its URL.
pub async fn fresh_database() -> String {
    let admin = std::env::var("FLOWS_TEST_POSTGRES_URL").expect(
        "FLOWS_TEST_POSTGRES_URL is not set: run the suite with `bash .ci/test`, which starts PostgreSQL",
    );
    let name = format!("flows_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

#[tokio::test]
async fn migrations_apply_once_when_several_instances_start_together() {
    let url = fresh_database().await;
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
