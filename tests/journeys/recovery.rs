//! Password recovery by e-mailed link, as a person who forgot their password walks it.

use crate::helpers::*;
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "a brand new passphrase for me";

/// Opens the link's landing page and presses its confirm button.
async fn confirm_link(browser: &Browser, link: &str) -> (StatusCode, Page) {
    let landing = browser.get(link).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.html);
    press_link(browser, &landing, link).await
}

async fn ask_for_link(browser: &Browser, email: &str) -> Page {
    let page = browser.get("/recover").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Reset your password");
    let (status, page) = browser.press(&page, "continue", &[("login", email)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), "Check your e-mail");
    page
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_and_signs_out_every_other_session() {
    let app = spawn_app().await;
    let email = unique_email("forgot");
    let old_session = register_fully(&app, "Ada", &email).await;
    assert!(signed_in(&old_session).await);

    // Another device asks for the link and follows it.
    let browser = app.browser();
    ask_for_link(&browser, &email).await;
    let mail = app.last_mail(&email, 2).await;
    assert!(mail.subject.contains("Reset your"), "{}", mail.subject);
    let (_, page) = confirm_link(&browser, &mail.link()).await;
    assert_eq!(page.h1(), "Choose a new password");

    // The policy applies, and the current password is not a new one.
    let (status, page) = browser
        .press(&page, "save", &[("password", "password123")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("password")
            .expect("error")
            .contains("too common")
    );
    let (status, page) = browser
        .press(&page, "save", &[("password", GOOD_PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("password")
            .expect("error")
            .contains("different from your current")
    );

    let (status, page) = browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.h1(), "Your password has been changed");
    assert!(
        signed_in(&browser).await,
        "the device that reset is signed in"
    );
    assert!(
        !signed_in(&old_session).await,
        "every other session is signed out"
    );

    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in(&app, &email, NEW_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );

    let changed = app.last_mail(&email, 3).await;
    assert!(
        changed.subject.contains("was changed"),
        "{}",
        changed.subject
    );

    // The link is spent.
    let again = app.browser().get(&mail.link()).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.h1(), "This link has already been used");
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_page_and_no_mail() {
    let app = spawn_app().await;
    let known = unique_email("known");
    register_fully(&app, "Ada", &known).await;
    let unknown = unique_email("unknown");

    let known_page = ask_for_link(&app.browser(), &known).await;
    let unknown_page = ask_for_link(&app.browser(), &unknown).await;
    let normalise = |page: &Page, email: &str| page.comparable_html().replace(email, "EMAIL");
    assert_eq!(
        normalise(&known_page, &known),
        normalise(&unknown_page, &unknown)
    );
    assert_eq!(known_page.status, unknown_page.status);

    app.wait_for_mails(&known, 2).await;
    assert_mail_count_stays(&app, &unknown, 0).await;
}

#[tokio::test]
async fn a_new_password_ends_every_other_outstanding_link() {
    let app = spawn_app_with(Options {
        resend_interval_seconds: Some(0),
        ..Options::default()
    })
    .await;
    let email = unique_email("twolinks");
    register_fully(&app, "Ada", &email).await;

    let first_browser = app.browser();
    ask_for_link(&first_browser, &email).await;
    let second_browser = app.browser();
    ask_for_link(&second_browser, &email).await;
    let mails = app.wait_for_mails(&email, 3).await;
    let (first_link, second_link) = (mails[1].link(), mails[2].link());
    assert_ne!(first_link, second_link);

    let (_, page) = confirm_link(&second_browser, &second_link).await;
    let (_, page) = second_browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");

    let stale = app.browser().get(&first_link).await;
    assert_eq!(stale.status, StatusCode::GONE, "{}", stale.html);
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_or_recover_and_its_session_ends() {
    let app = spawn_app().await;
    let email = unique_email("disabled");
    let session = register_fully(&app, "Ada", &email).await;
    let store = app.store().await.clone();
    let user = store
        .user_by_email(&email.to_lowercase())
        .await
        .expect("store")
        .expect("user");
    for status in ["DISABLED", "LOCKED"] {
        assert!(
            store
                .set_user_status(user.id, status, time::OffsetDateTime::now_utc())
                .await
                .expect("status")
        );

        // Same answer as a wrong password: the state of the account is not disclosed.
        let refused = sign_in(&app, &email, GOOD_PASSWORD).await.0;
        assert_eq!(refused, StatusCode::UNPROCESSABLE_ENTITY);
        // The open session ends at its next request.
        assert!(!signed_in(&session).await);
        // Recovery shows the usual page and sends nothing.
        ask_for_link(&app.browser(), &email).await;
        assert_mail_count_stays(&app, &email, 1).await;
    }

    assert!(
        store
            .set_user_status(user.id, "ACTIVE", time::OffsetDateTime::now_utc())
            .await
            .expect("status")
    );
    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );
    ask_for_link(&app.browser(), &email).await;
    app.wait_for_mails(&email, 2).await;
}

#[tokio::test]
async fn a_reset_link_expires_after_fifteen_minutes() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("slow");
    register_fully(&app, "Ada", &email).await;
    let browser = app.browser();
    let page = ask_for_link(&browser, &email).await;
    assert!(page.html.contains(&email));
    let link = app.last_mail(&email, 2).await.link();
    app.advance(time::Duration::minutes(16));
    let landing = browser.get(&link).await;
    assert_eq!(landing.status, StatusCode::GONE);
    assert_eq!(landing.h1(), "This link has expired");
    assert!(
        landing.html.contains("href=\"/recover\""),
        "offers to start again"
    );
}

#[tokio::test]
async fn a_code_by_e_mail_then_a_new_password() {
    let app = spawn_app_with(Options {
        template: Some("recovery-otp"),
        ..Options::default()
    })
    .await;
    let email = unique_email("code");
    register_fully(&app, "Ada", &email).await;
    let browser = app.browser();
    let page = browser.get("/recover").await;
    let (_, page) = browser.press(&page, "continue", &[("login", &email)]).await;
    assert_eq!(page.h1(), CODE_PAGE);
    let mail = app.last_mail(&email, 2).await;
    assert!(
        mail.subject.contains("password reset code"),
        "{}",
        mail.subject
    );
    let (_, page) = browser
        .press(&page, "verify", &[("otp", &mail.code())])
        .await;
    assert_eq!(page.h1(), "Choose a new password");
    let (_, page) = browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");
    assert_eq!(
        sign_in(&app, &email, NEW_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_code_for_an_unknown_address_is_never_sent_and_never_matches() {
    let app = spawn_app_with(Options {
        template: Some("recovery-otp"),
        ..Options::default()
    })
    .await;
    let known = unique_email("known");
    register_fully(&app, "Ada", &known).await;
    let unknown = unique_email("ghost");

    let ask = |email: String| {
        let browser = app.browser();
        async move {
            let page = browser.get("/recover").await;
            let (_, page) = browser.press(&page, "continue", &[("login", &email)]).await;
            (browser, page)
        }
    };
    let (_, known_page) = ask(known.clone()).await;
    let (browser, unknown_page) = ask(unknown.clone()).await;
    let normalise = |page: &Page, email: &str| page.comparable_html().replace(email, "EMAIL");
    assert_eq!(
        normalise(&known_page, &known),
        normalise(&unknown_page, &unknown)
    );

    let (status, page) = browser
        .press(&unknown_page, "verify", &[("otp", "123456")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("otp")
            .expect("error")
            .contains("not right")
    );
    assert_mail_count_stays(&app, &unknown, 0).await;
}

#[tokio::test]
async fn a_new_password_ends_other_recoveries_and_their_codes() {
    let app = spawn_app_with(Options {
        template: Some("recovery-otp"),
        resend_interval_seconds: Some(0),
        ..Options::default()
    })
    .await;
    let email = unique_email("codes");
    register_fully(&app, "Ada", &email).await;
    let start = |browser: Browser| {
        let email = email.clone();
        async move {
            let page = browser.get("/recover").await;
            let (_, page) = browser.press(&page, "continue", &[("login", &email)]).await;
            (browser, page)
        }
    };
    let (first, first_page) = start(app.browser()).await;
    let (second, second_page) = start(app.browser()).await;
    let mails = app.wait_for_mails(&email, 3).await;
    let (first_code, second_code) = (mails[1].code(), mails[2].code());

    let (_, page) = second
        .press(&second_page, "verify", &[("otp", &second_code)])
        .await;
    let (_, page) = second
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");

    // The first recovery, and its still-unused code, are over.
    let (status, page) = first
        .press(&first_page, "verify", &[("otp", &first_code)])
        .await;
    assert_eq!(status, StatusCode::GONE, "{}", page.html);
    assert_eq!(page.h1(), "This page has expired");
}

/// Publishes the default registration with a username field, as an administrator might.
async fn registration_with_username(app: &TestApp) {
    let store = app.store().await.clone();
    let mut def = flows::engine::starter::by_id("registration-otp")
        .expect("template")
        .definition()
        .expect("parses");
    let username: flows::engine::Component = serde_json::from_value(serde_json::json!({
        "id": "username", "type": "INPUT", "variant": "TEXT",
        "config": {"identifier": "http://wso2.org/claims/username", "label": "Username", "required": true}
    }))
    .expect("component");
    if let flows::engine::StepKind::View { components, .. } = &mut def.steps[0].kind {
        components
            .iter_mut()
            .find(|c| c.id == "details_form")
            .expect("form")
            .components
            .insert(0, username);
    }
    assert!(def.validate().is_empty(), "{:?}", def.validate());
    let id = store
        .insert_flow_draft(
            def.flow_type,
            &def.to_stored().expect("serializes"),
            Some("test"),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("draft");
    assert!(
        store
            .publish_flow(def.flow_type, id)
            .await
            .expect("publish")
    );
    app.notice_changes().await;
}

#[tokio::test]
async fn recovery_by_username_mails_the_account_address_and_never_shows_it() {
    let app = spawn_app().await;
    registration_with_username(&app).await;
    let email = unique_email("named");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let mut fields = details("Ada", &email, GOOD_PASSWORD);
    fields.push(("username", "ada_lovelace"));
    let (_, page) = browser.press(&page, "continue", &fields).await;
    let code = app.last_mail(&email, 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE);

    let known = ask_for_link(&app.browser(), "ada_lovelace").await;
    assert!(
        !known.html.contains(&email),
        "the page never reveals the account's address"
    );
    let unknown = ask_for_link(&app.browser(), "nobody_here").await;
    let normalise = |page: &Page, login: &str| page.comparable_html().replace(login, "LOGIN");
    assert_eq!(
        normalise(&known, "ada_lovelace"),
        normalise(&unknown, "nobody_here")
    );

    let mail = app.last_mail(&email, 2).await;
    assert!(mail.subject.contains("Reset your"));
    let browser = app.browser();
    let (_, page) = confirm_link(&browser, &mail.link()).await;
    let (_, page) = browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");
    assert_eq!(
        sign_in(&app, &email, NEW_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn recovery_answers_are_padded_to_the_same_floor_either_way() {
    let app = spawn_app().await;
    let known = unique_email("timed");
    register_fully(&app, "Ada", &known).await;
    let timed = |login: String| {
        let browser = app.browser();
        async move {
            let page = browser.get("/recover").await;
            let mut fields = page.form_fields();
            fields.push(("action".into(), "continue".into()));
            fields.push(("login".into(), login));
            let started = std::time::Instant::now();
            let answer = browser.post_raw("/recover", &fields).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER);
            started.elapsed()
        }
    };
    for _ in 0..3 {
        let floor = std::time::Duration::from_millis(25);
        assert!(timed(known.clone()).await >= floor);
        assert!(timed(unique_email("nobody")).await >= floor);
    }
}

#[tokio::test]
async fn a_password_reset_ends_a_sign_in_block() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let email = unique_email("locked-out");
    register_fully(&app, "Ada", &email).await;
    // Someone else runs the address into the sign-in throttle.
    for _ in 0..10 {
        sign_in(&app, &email, "a wrong guess").await;
    }
    assert_eq!(
        sign_in(&app, &email, GOOD_PASSWORD).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );

    // The owner resets the password and can sign in with the new one at once.
    let browser = app.browser();
    ask_for_link(&browser, &email).await;
    let mail = app.last_mail(&email, 2).await;
    let (_, page) = confirm_link(&browser, &mail.link()).await;
    let (status, page) = browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(
        sign_in(&app, &email, NEW_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_look_alike_username_cannot_make_a_second_account_and_finds_the_first() {
    let app = spawn_app().await;
    registration_with_username(&app).await;
    let app = &app;
    let register = |email: String, username: &'static str| {
        let browser = app.browser();
        async move {
            let page = browser.get("/register").await;
            let mut fields = details("Ada", &email, GOOD_PASSWORD);
            fields.push(("username", username));
            let (_, page) = browser.press(&page, "continue", &fields).await;
            let code = app.last_mail(&email, 1).await.code();
            browser.press(&page, "verify", &[("otp", &code)]).await.1
        }
    };
    let first = unique_email("folded");
    assert_eq!(register(first.clone(), "Ada_Lovelace").await.h1(), DONE);
    // Case, fullwidth letters and a zero-width space: each reads as the first name.
    for look_alike in [
        "ada_lovelace",
        "\u{FF21}DA_LOVELACE",
        "Ada_\u{200B}Lovelace",
    ] {
        let page = register(unique_email("lookalike"), look_alike).await;
        assert_ne!(page.h1(), DONE, "{look_alike:?} made a second account");
        assert!(
            page.html.contains("We could not create this account"),
            "{look_alike:?}: {}",
            page.html
        );
    }
    // Recovery by the name as the person remembers it reaches the one account.
    ask_for_link(&app.browser(), "ADA_LOVELACE").await;
    let mail = app.last_mail(&first, 2).await;
    assert!(mail.subject.contains("Reset your"), "{}", mail.subject);
}
