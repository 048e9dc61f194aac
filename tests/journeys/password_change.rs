//! A signed-in person changes their password on their account page: the current one proven,
//! the new one held to the policy, every other session ended, a notice mailed.

use crate::helpers::*;
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "a brand new passphrase for me";

async fn signed_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    let (status, _) = browser
        .post("/login", &sign_in_form(&csrf, email, password))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    browser
}

async fn change(browser: &Browser, current: &str, new: &str) -> (StatusCode, Page) {
    let account = browser.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    let form = vec![
        ("csrf_token".to_owned(), account.csrf()),
        ("current_password".to_owned(), current.to_owned()),
        ("new_password".to_owned(), new.to_owned()),
    ];
    browser.post("/account/password", &form).await
}

#[tokio::test]
async fn a_changed_password_ends_every_other_session_keeps_this_one_and_is_mailed() {
    let app = spawn_app().await;
    let email = unique_email("changer");
    register_fully(&app, "Ada", &email).await;
    let here = signed_in(&app, &email, GOOD_PASSWORD).await;
    let elsewhere = signed_in(&app, &email, GOOD_PASSWORD).await;
    let page = here.get("/account").await;
    assert!(page.html.contains("Change your password"), "{}", page.html);
    assert!(
        page.html.contains("Not a commonly used password"),
        "the rules are listed"
    );

    let (status, page) = change(&here, GOOD_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert!(
        page.html.contains("Your password has been changed"),
        "{}",
        page.html
    );
    assert_eq!(
        here.get("/account").await.status,
        StatusCode::OK,
        "this session goes on"
    );
    let other = elsewhere.get_raw("/account").await;
    assert_eq!(
        other.status,
        StatusCode::SEE_OTHER,
        "the other session ended"
    );
    assert_eq!(other.location(), "/login");

    let mail = app.last_mail(&email, 2).await;
    assert!(
        mail.subject.contains("password was changed"),
        "{}",
        mail.subject
    );
    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in(&app, &email, NEW_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );
    let entries = crate::audit::audit_rows(&app).await;
    assert!(entries.iter().any(|r| r.action == "user.password_changed"));
    assert!(entries.iter().all(|r| !r.detail.contains(NEW_PASSWORD)));
}

#[tokio::test]
async fn a_wrong_current_password_or_a_weak_new_one_is_said_beside_its_field() {
    let app = spawn_app().await;
    let email = unique_email("weakchange");
    register_fully(&app, "Ada", &email).await;
    let browser = signed_in(&app, &email, GOOD_PASSWORD).await;

    let (status, page) = change(&browser, "not my password", NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = page.field_error("current_password").unwrap_or_default();
    assert!(shown.contains("current password is not right"), "{shown:?}");
    assert!(
        !page.html.contains("not my password"),
        "a password is never shown again"
    );

    for (weak, says) in [
        ("short", "at least"),
        ("password123", "too common"),
        (GOOD_PASSWORD, "different from your current"),
        (email.as_str(), "not be your name or e-mail"),
        ("", "required"),
    ] {
        let (status, page) = change(&browser, GOOD_PASSWORD, weak).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{weak:?}");
        let shown = page.field_error("new_password").unwrap_or_default();
        assert!(shown.contains(says), "{weak:?}: {shown:?}");
    }
    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::SEE_OTHER,
        "unchanged"
    );

    // A forged token changes nothing; signed out, the form leads to the sign-in page.
    let forged = vec![
        ("csrf_token".to_owned(), "forged".to_owned()),
        ("current_password".to_owned(), GOOD_PASSWORD.to_owned()),
        ("new_password".to_owned(), NEW_PASSWORD.to_owned()),
    ];
    assert_eq!(
        browser.post_raw("/account/password", &forged).await.status,
        StatusCode::FORBIDDEN
    );
    let stranger = app.browser();
    let csrf = stranger.get("/login").await.csrf();
    let mut form = forged.clone();
    form[0].1 = csrf;
    let answer = stranger.post_raw("/account/password", &form).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/login");
    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::SEE_OTHER,
        "unchanged"
    );
}

#[tokio::test]
async fn guessing_the_current_password_runs_into_the_sign_in_throttle() {
    let app = spawn_app().await;
    let email = unique_email("guesser");
    register_fully(&app, "Ada", &email).await;
    let browser = signed_in(&app, &email, GOOD_PASSWORD).await;
    for n in 0..9 {
        let (status, _) = change(&browser, &format!("guess number {n}"), NEW_PASSWORD).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "guess {n}");
    }
    // The guess that reaches the limit is told so at once, as a sign-in is.
    let (status, _) = change(&browser, "guess number 9", NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, page) = change(&browser, GOOD_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}", page.html);
    assert!(page.headers.get("retry-after").is_some(), "a 429 says when");
    // The same count as failed sign-ins: the address's sign-ins wait too.
    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
}
