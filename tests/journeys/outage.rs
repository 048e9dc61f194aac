//! A database that cannot serve for a while (here: another process holds SQLite's write lock
//! past the busy timeout) is answered with 503 and `Retry-After`, on the hosted pages and in
//! both APIs — never a 500 — and the journey goes on once the database is back, with nothing
//! lost or sent twice.

use crate::api::Api;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

/// SQLite only: the lock is SQLite's. On PostgreSQL the outage is the server stopping, a
/// test of its own.
#[tokio::test]
async fn a_locked_database_is_a_polite_503_and_the_journey_then_finishes() {
    if test_backend() == "postgres" {
        return;
    }
    let app = spawn_app().await;
    let email = unique_email("outage");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let token = crate::manage_api::create_token(&app, "outage").await;

    // Another process takes the database's write lock and keeps it.
    let mut holder = sqlx::SqliteConnection::connect(&app.settings.database_url)
        .await
        .expect("second connection");
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .expect("lock");

    let (status, refused) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", refused.html);
    assert_eq!(refused.headers["retry-after"], "5");
    assert_eq!(refused.h1(), "Not available for a moment");

    let (status, answer) = Api::new(&app)
        .call(json!({"flowType": "REGISTRATION"}))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{answer}");
    assert_eq!(answer["code"], "FE-65003");
    // The management API says the same: try again, not "the server failed".
    let managed = reqwest::Client::new()
        .put(format!("{}/api/v1/flows/REGISTRATION/enabled", app.address))
        .bearer_auth(&token)
        .json(&json!({"enabled": false}))
        .send()
        .await
        .expect("management API");
    assert_eq!(managed.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(managed.headers()["retry-after"], "5");
    let body: serde_json::Value = managed.json().await.expect("JSON");
    assert_eq!(body["code"], "FM-50300", "{body}");

    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    holder.close().await.unwrap();

    // The same form, sent again, goes through: the journey finishes with one mail.
    let (status, page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let code = app.last_mail(&email, 1).await.code();
    let (_, done) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE);
    assert_mail_count_stays(&app, &email, 1).await;
    let (status, _) = Api::new(&app)
        .call(json!({"flowType": "REGISTRATION"}))
        .await;
    assert_eq!(status, StatusCode::OK);
}
