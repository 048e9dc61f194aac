//! Limits that protect the service: form posts per client address.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn form_posts_are_limited_per_address() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(6),
        ..Options::default()
    })
    .await;
    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    let fields = sign_in_form(&csrf, "nobody@example.com", "wrong password here");
    let attempt = || browser.post_raw("/login", &fields);
    // The burst (5) goes through and is answered normally.
    for _ in 0..5 {
        assert_eq!(attempt().await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = attempt().await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.h1(), "Too many attempts");
    let retry: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "retry after {retry}");
    // Reading pages is not limited.
    assert_eq!(browser.get("/register").await.status, StatusCode::OK);
}
