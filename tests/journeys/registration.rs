//! The three registration templates end to end, as a newcomer walks them.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn otp_registration_end_to_end_then_sign_in() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("ada");

    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Create your account");
    assert_eq!(page.step().as_deref(), Some("details"));

    let (status, page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a good POST redirects");
    assert_eq!(page.h1(), "Check your e-mail");
    assert!(
        page.html.contains(&email),
        "the code page names the address"
    );

    let mail = app.last_mail(&email, 1).await;
    assert!(
        mail.subject.contains("verification code"),
        "{}",
        mail.subject
    );
    let code = mail.code();
    assert!(mail.html.contains(&code));

    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.h1(), "Your account is ready");

    // Signed in at once.
    let account = browser.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.html.contains(&email));
    assert!(account.html.contains("Ada Lovelace"));

    // And the password works from a fresh browser.
    let (status, page) = sign_in(&app, &email.to_uppercase(), GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.h1(), "Your account");

    // Exactly one mail went out for the whole journey.
    assert_eq!(app.mails_to(&email).len(), 1);
}

#[tokio::test]
async fn otp_registration_through_a_real_smtp_server() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("smtp");

    let page = browser.get("/register").await;
    let (_, page) = browser
        .press(&page, "continue", &details("Alan", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.h1(), "Check your e-mail");

    // Delivered by SMTP into the sink's Maildir, multipart, quoted-printable decoded here.
    let mail = app.last_mail(&email, 1).await;
    assert!(
        mail.message_id.ends_with("@flows.outbox"),
        "{}",
        mail.message_id
    );
    assert!(!mail.html.is_empty() && !mail.text.is_empty());
    let (_, page) = browser
        .press(&page, "verify", &[("otp", &mail.code())])
        .await;
    assert_eq!(page.h1(), "Your account is ready");
    assert_eq!(app.mails_to(&email).len(), 1);
}

#[tokio::test]
async fn default_template_is_published_and_valid() {
    let app = spawn_app().await;
    let engine = app.engine().await;
    let (id, enabled) = app
        .store()
        .await
        .published_flow(flows::engine::FlowType::Registration)
        .await
        .expect("store")
        .expect("a published registration flow");
    assert!(enabled);
    let def = engine.flow(id).await.expect("definition");
    assert_eq!(
        def.name,
        "Basic details + password + e-mail OTP verification"
    );
    assert!(def.validate().is_empty());
}

#[tokio::test]
async fn a_disabled_flow_type_says_so_politely() {
    let app = spawn_app().await;
    let store = app.store().await.clone();
    store
        .set_flow_enabled(flows::engine::FlowType::Registration, false)
        .await
        .expect("disable");
    app.notice_changes().await;
    let page = app.browser().get("/register").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(page.h1(), "Sign-up is closed right now");
    let recovery_off = app.store().await;
    recovery_off
        .set_flow_enabled(flows::engine::FlowType::PasswordRecovery, false)
        .await
        .expect("disable recovery");
    app.notice_changes().await;
    let page = app.browser().get("/recover").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(page.h1(), "Password reset is not available right now");

    store
        .set_flow_enabled(flows::engine::FlowType::Registration, true)
        .await
        .expect("enable");
    app.notice_changes().await;
    let page = app.browser().get("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Create your account");
}

#[tokio::test]
async fn two_journeys_racing_for_one_address_create_one_account() {
    let app = spawn_app().await;
    let email = unique_email("race");
    let (first, second) = (app.browser(), app.browser());
    // Both ask for a code before either account exists, so both get a real code.
    let page = first.get("/register").await;
    let (_, first_code_page) = first
        .press(&page, "continue", &details("One", &email, GOOD_PASSWORD))
        .await;
    let page = second.get("/register").await;
    let (_, second_code_page) = second
        .press(&page, "continue", &details("Two", &email, GOOD_PASSWORD))
        .await;
    let mails = app.wait_for_mails(&email, 2).await;
    let (first_code, second_code) = (mails[0].code(), mails[1].code());

    let (_, done) = first
        .press(&first_code_page, "verify", &[("otp", &first_code)])
        .await;
    assert_eq!(done.h1(), "Your account is ready");
    let (status, page) = second
        .press(&second_code_page, "verify", &[("otp", &second_code)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.summary()
            .iter()
            .any(|e| e.contains("could not create this account")),
        "{:?}",
        page.summary()
    );
    assert_eq!(app.store().await.count_users().await.expect("count"), 1);
}
