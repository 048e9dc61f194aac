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

/// A failed sign-in sent as if through a load balancer that forwards `forwarded_for`.
async fn sign_in_via(app: &TestApp, forwarded_for: &str) -> StatusCode {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let login = client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("text");
    let csrf = regex::Regex::new(r#"name="csrf_token" value="([^"]+)""#)
        .expect("pattern")
        .captures(&login)
        .map(|c| c[1].to_owned())
        .expect("a CSRF token");
    client
        .post(format!("{}/login", app.address))
        .header("x-forwarded-for", forwarded_for)
        .form(&sign_in_form(
            &csrf,
            "nobody@example.com",
            "wrong password here",
        ))
        .send()
        .await
        .expect("answer")
        .status()
}

#[tokio::test]
async fn behind_a_listed_proxy_each_forwarded_client_is_limited_and_audited_on_its_own() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(6),
        trusted_proxies: Some("127.0.0.1"),
        ..Options::default()
    })
    .await;
    for _ in 0..5 {
        assert_eq!(
            sign_in_via(&app, "198.51.100.1").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        sign_in_via(&app, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same balancer is not held back by the first.
    assert_eq!(
        sign_in_via(&app, "198.51.100.2").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // What the client wrote itself before the balancer's entry is not believed.
    assert_eq!(
        sign_in_via(&app, "198.51.100.2, 198.51.100.3").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let recorded: Vec<String> = crate::audit::audit_rows(&app)
        .await
        .into_iter()
        .filter(|r| r.action == "user.sign_in_failed")
        .map(|r| r.detail)
        .collect();
    assert!(
        recorded.iter().any(|d| d.contains("198.51.100.3")),
        "{recorded:?}"
    );
    assert!(
        recorded.iter().all(|d| !d.contains("127.0.0.1")),
        "{recorded:?}"
    );

    // Without the setting the header is anybody's to write, and is ignored.
    let direct = spawn_app_with(Options {
        rate_limit_per_minute: Some(6),
        ..Options::default()
    })
    .await;
    for n in 0..5 {
        let forged = format!("203.0.113.{n}");
        assert_eq!(
            sign_in_via(&direct, &forged).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        sign_in_via(&direct, "203.0.113.99").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_ipv6_client_taking_a_new_address_for_each_post_is_limited_by_its_network() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(6),
        trusted_proxies: Some("127.0.0.1"),
        ..Options::default()
    })
    .await;
    for n in 1..=5 {
        assert_eq!(
            sign_in_via(&app, &format!("2001:db8:7:1::{n}")).await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        sign_in_via(&app, "2001:db8:7:1:abcd:ef01:2345:6789").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a sixth address of the same /64"
    );
    assert_eq!(
        sign_in_via(&app, "2001:db8:7:2::1").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the next /64 is another client"
    );
}
