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
    let name = format!("flows_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let _ = conn.close().await;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}
