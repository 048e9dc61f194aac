//! Invited user registration: an administrator invites an address, the person accepts.

use crate::helpers::*;
use reqwest::StatusCode;
use std::collections::BTreeMap;

async fn invite(app: &TestApp, email: &str, given: Option<&str>) -> String {
    let mut prefill = BTreeMap::new();
    if let Some(g) = given {
        prefill.insert("given_name".to_owned(), g.to_owned());
    }
    app.invite(email, prefill, "Grace Hopper").await
}

#[tokio::test]
async fn an_invited_person_accepts_and_gets_a_verified_account() {
    let app = spawn_app().await;
    let email = unique_email("invited");
    invite(&app, &email, Some("Ada")).await;
    let mail = app.last_mail(&email, 1).await;
    assert!(
        mail.subject.contains("Grace Hopper invited you"),
        "{}",
        mail.subject
    );
    let link = mail.invitation_link();

    let browser = app.browser();
    let first = browser.get_raw(&link).await;
    assert_eq!(
        first.status,
        StatusCode::SEE_OTHER,
        "the code leaves the address bar"
    );
    let page = browser.get(&link).await;
    assert_eq!(page.h1(), "You are invited");
    assert!(
        page.html.contains("Grace Hopper") && page.html.contains(&email),
        "shows who invited whom"
    );
    assert_eq!(
        page.attr("#given_name", "value").as_deref(),
        Some("Ada"),
        "prefilled by the admin"
    );

    let (status, page) = browser
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Ada"),
                ("password", "password1"),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("password").is_some());
    let (status, page) = browser
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Ada"),
                ("password", GOOD_PASSWORD),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.h1(), DONE);
    assert!(signed_in(&browser).await);
    let user = app
        .store()
        .await
        .user_by_email(&email.to_lowercase())
        .await
        .expect("store")
        .expect("user");
    assert!(
        user.email_verified,
        "the invitation link proved the address"
    );

    let again = app.browser().get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.h1(), "This invitation has already been accepted");
}

#[tokio::test]
async fn a_new_invitation_replaces_the_old_link_and_dead_links_say_why() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("reinvited");
    invite(&app, &email, None).await;
    invite(&app, &email, None).await;
    // Invitations were queued on the real clock; bring the server's frozen clock past it.
    app.advance(time::Duration::minutes(1));
    let mails = app.wait_for_mails(&email, 2).await;
    let (old, new) = (mails[0].invitation_link(), mails[1].invitation_link());
    let page = app.browser().get(&old).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert_eq!(page.h1(), "This invitation was replaced by a newer one");
    assert_eq!(app.browser().get(&new).await.h1(), "You are invited");

    let unknown = app.browser().get("/invite?code=not-a-real-code").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bare = app.browser().get("/invite").await;
    assert_eq!(
        bare.status,
        StatusCode::NOT_FOUND,
        "only an invitation starts this journey"
    );

    app.advance(time::Duration::days(8));
    let expired = app.browser().get(&new).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(expired.h1(), "This invitation has expired");
}

#[tokio::test]
async fn a_revoked_invitation_cannot_be_accepted_even_from_an_open_page() {
    let app = spawn_app().await;
    let email = unique_email("revoked");
    let id = invite(&app, &email, Some("Ada")).await;
    let mail = app.last_mail(&email, 1).await;
    let link = mail.invitation_link();
    let browser = app.browser();
    let page = browser.get(&link).await;
    assert!(
        app.store()
            .await
            .revoke_invitation(&id)
            .await
            .expect("revoke")
    );
    let (status, page) = browser
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Ada"),
                ("password", GOOD_PASSWORD),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.summary()
            .iter()
            .any(|s| s.contains("cannot be used any more")),
        "{:?}",
        page.summary()
    );
    assert!(!stored_user_exists(&app, &email).await);
    assert_eq!(
        app.browser().get(&link).await.h1(),
        "This invitation was withdrawn"
    );
}

#[tokio::test]
async fn the_profile_template_asks_for_a_password_then_the_profile() {
    let app = spawn_app_with(Options {
        template: Some("invite-profile"),
        ..Options::default()
    })
    .await;
    let email = unique_email("profile");
    invite(&app, &email, None).await;
    let mail = app.last_mail(&email, 1).await;
    let link = mail.invitation_link();
    let browser = app.browser();
    let page = browser.get(&link).await;
    let (_, page) = browser
        .press(&page, "continue", &[("password", GOOD_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Tell us about yourself");
    let (status, page) = browser
        .press(
            &page,
            "finish",
            &[
                ("given_name", "Ada"),
                ("phone", "not a phone"),
                ("country", "FR"),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("phone").is_some());
    let (_, page) = browser
        .press(
            &page,
            "finish",
            &[
                ("given_name", "Ada"),
                ("phone", "+33 6 12 34 56 78"),
                ("country", "FR"),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(page.h1(), DONE);
    let user = app
        .store()
        .await
        .user_by_email(&email.to_lowercase())
        .await
        .expect("store")
        .expect("user");
    assert_eq!(
        user.attributes.get("country").map(String::as_str),
        Some("FR")
    );
    assert_eq!(
        user.attributes.get("phone").map(String::as_str),
        Some("+33612345678"),
        "stored as E.164, however it was typed"
    );
    assert!(
        !user.attributes.contains_key("invitation_id"),
        "journey bookkeeping is not profile data"
    );
}
