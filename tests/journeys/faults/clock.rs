//! The clock jumping forwards and backwards: codes and links expire by their own rules, a
//! clock set back revives nothing, and nothing is accepted twice.

use crate::helpers::*;
use reqwest::StatusCode;
use time::Duration;

async fn manual_app() -> TestApp {
    spawn_app_with(Options {
        manual_clock: true,
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_code_seen_expired_stays_expired_when_the_clock_goes_back() {
    let app = manual_app().await;
    let browser = app.browser();
    let email = unique_email("clockcode");
    let page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();

    app.advance(Duration::minutes(11));
    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("otp")
            .unwrap_or_default()
            .contains("expired")
    );

    // Back to nine minutes after the code was sent: by the clock it would be young again.
    // The open form was rendered "in the future" now, which is quick, but a code step is
    // never held: both it and a fresh page's form are judged on the code alone.
    app.advance(Duration::minutes(-20));
    let fresh = browser.get("/register").await;
    assert_eq!(fresh.h1(), CODE_PAGE);
    for page in [page, fresh] {
        let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
        assert!(
            page.field_error("otp")
                .unwrap_or_default()
                .contains("expired")
        );
    }
    assert!(!stored_user_exists(&app, &email).await);
}

#[tokio::test]
async fn a_resend_wait_is_not_skipped_by_the_clock_going_back() {
    let app = manual_app().await;
    let browser = app.browser();
    let email = unique_email("clockresend");
    to_code_page(&browser, "Ada", &email).await;
    app.last_mail(&email, 1).await;

    app.advance(Duration::minutes(-10));
    let page = browser.get("/register").await;
    let (status, page) = browser.press(&page, "resend", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.summary().join(" ").contains("seconds"));
    assert_mail_count_stays(&app, &email, 1).await;

    // Back where it was, the wait still runs from the first mail.
    app.advance(Duration::minutes(10) + Duration::seconds(10));
    let page = browser.get("/register").await;
    let (status, _) = browser.press(&page, "resend", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_mail_count_stays(&app, &email, 1).await;
}

/// Opens a reset link's landing page and confirms it.
async fn use_link(browser: &Browser, link: &str) -> (StatusCode, Page) {
    let landing = browser.get(link).await;
    if landing.status != StatusCode::OK {
        return (landing.status, landing);
    }
    press_link(browser, &landing, link).await
}

async fn ask_for_link(app: &TestApp, email: &str, mails: usize) -> String {
    let browser = app.browser();
    let page = browser.get("/recover").await;
    let (status, _) = browser.press(&page, "continue", &[("login", email)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.last_mail(email, mails).await.link()
}

#[tokio::test]
async fn a_link_is_used_once_and_an_expired_one_stays_expired_whatever_the_clock() {
    let app = manual_app().await;
    let email = unique_email("clocklink");
    register_fully(&app, "Ada", &email).await;

    // Used once, then the clock goes back an hour: still used.
    let link = ask_for_link(&app, &email, 2).await;
    let browser = app.browser();
    let (_, page) = use_link(&browser, &link).await;
    assert_eq!(page.h1(), "Choose a new password");
    app.advance(Duration::hours(-1));
    let (status, again) = use_link(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE, "{}", again.html);
    assert_eq!(again.h1(), "This link has already been used");
    app.advance(Duration::hours(1));

    // Seen expired, then the clock goes back to within its lifetime: still expired.
    let link = ask_for_link(&app, &email, 3).await;
    app.advance(Duration::minutes(16));
    let (status, page) = use_link(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(page.h1(), "This link has expired");
    app.advance(Duration::minutes(-10));
    let (status, page) = use_link(&app.browser(), &link).await;
    assert_eq!(status, StatusCode::GONE, "{}", page.html);
    assert_ne!(page.h1(), "Choose a new password");
}

#[tokio::test]
async fn a_sign_in_lockout_outlasts_a_clock_going_back() {
    let app = manual_app().await;
    let email = unique_email("clocklock");
    register_fully(&app, "Ada", &email).await;
    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    for _ in 0..10 {
        browser
            .post("/login", &sign_in_form(&csrf, &email, "a wrong guess"))
            .await;
    }
    let page = browser
        .post_raw("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);

    app.advance(Duration::hours(-1));
    let page = browser
        .post_raw("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.html);

    // Forward past the block as it was set: the person may sign in again.
    app.advance(Duration::hours(1) + Duration::minutes(16));
    let (status, _) = browser
        .post("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
