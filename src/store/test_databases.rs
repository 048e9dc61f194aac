//! Databases of their own for tests, on the PostgreSQL test server. Shared by the library's
//! unit tests (`store::test_stores`) and the journeys (`tests/journeys/helpers.rs` includes
//! this file), so that both make them the same way.

/// A fresh database of its own on the server at `FLOWS_TEST_POSTGRES_URL`, so no test
/// depends on another or on order; its URL. Without that variable the test fails: CI always
/// sets it, and a test suite that skipped PostgreSQL quietly would prove nothing about it.
pub async fn fresh_postgres_url() -> String {
    use sqlx::Connection;
    let admin = std::env::var("FLOWS_TEST_POSTGRES_URL").expect(
        "FLOWS_TEST_POSTGRES_URL is not set: run the suite with `bash .ci/test`, or \
         `source /tmp/flows-ci/env.sh` after `bash .ci/services.sh start`",
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // The creation time in the name: see `drop_stale`.
    let name = format!("flows_test_{now}_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test PostgreSQL server answers");
    drop_stale(&mut conn, now).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let _ = conn.close().await;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

/// Each database costs about 8 MB and a run makes one per journey: those made more than an
/// hour ago, whose tests are long over, are dropped as new ones are made, so a server kept
/// between runs does not fill its disk. Best effort: another test may be dropping the same.
async fn drop_stale(conn: &mut sqlx::PgConnection, now: u64) {
    let cutoff = i64::try_from(now).unwrap_or(i64::MAX) - 3600;
    let stale: Vec<(String,)> = sqlx::query_as(
        "SELECT datname FROM pg_database WHERE datname ~ '^flows_test_[0-9]+_[0-9a-f]{32}$' \
         AND split_part(datname, '_', 3)::bigint < $1",
    )
    .bind(cutoff)
    .fetch_all(&mut *conn)
    .await
    .unwrap_or_default();
    for (name,) in stale {
        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
            .execute(&mut *conn)
            .await;
    }
}
