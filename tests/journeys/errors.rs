//! What a person sees when something goes wrong: bad input, wrong or old codes, throttled
//! resends, an expired journey, dead links, and an address that already has an account.

use crate::helpers::*;
use reqwest::StatusCode;

const TOO_MANY: &str = "Too many wrong codes";

/// Six digits standing alone, not part of a longer run, a colour or a word.
fn has_six_digit_code(text: &str) -> bool {
    regex::Regex::new(r"(?:^|[^#0-9A-Za-z])[0-9]{6}(?:[^0-9A-Za-z]|$)")
        .map(|re| re.is_match(text))
        .unwrap_or(true)
}

// ---------------------------------------------------------------- details step validation

#[tokio::test]
async fn invalid_email_is_shown_beside_the_field_and_the_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let browser = app.browser();
    let page = browser.get("/register").await;

    let (status, page) = browser
        .press(
            &page,
            "continue",
            &details("Ada", "ada.example.com", GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = "Enter an e-mail address like name@example.com.";
    let beside = page.field_error("email").unwrap_or_default();
    assert!(beside.contains(message), "field error: {beside:?}");
    assert_eq!(page.summary(), vec![message.to_owned()]);
    assert_eq!(
        page.attr(".error-summary__list a", "href").as_deref(),
        Some("#email"),
        "the summary links to the field"
    );
    assert_eq!(page.attr("#email", "aria-invalid").as_deref(), Some("true"));
    assert!(
        page.attr("#email", "aria-describedby")
            .unwrap_or_default()
            .contains("email-error")
    );
    assert!(page.h1() == "Create your account");
    assert!(
        page.text_of("title").starts_with("Error"),
        "title: {}",
        page.text_of("title")
    );

    // What was typed comes back, except the password.
    assert_eq!(page.attr("#given_name", "value").as_deref(), Some("Ada"));
    assert_eq!(
        page.attr("#family_name", "value").as_deref(),
        Some("Lovelace")
    );
    assert_eq!(
        page.attr("#email", "value").as_deref(),
        Some("ada.example.com")
    );
    assert_eq!(page.attr("#password", "value").as_deref(), Some(""));
    assert!(!page.html.contains(GOOD_PASSWORD), "password echoed");
    assert!(
        page.exists("#terms[checked]"),
        "the ticked box stays ticked"
    );
    // The other fields carry no error.
    for id in ["given_name", "family_name", "password", "terms"] {
        assert_eq!(page.field_error(id), None, "{id} has an error");
    }

    // Nothing moved: the step is still the details.
    let again = browser.get("/register").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.step().as_deref(), Some("details"));
}

#[tokio::test]
async fn missing_required_fields_are_each_reported_in_order() {
    let app = spawn_app().await;
    let browser = app.browser();
    let page = browser.get("/register").await;

    let (status, page) = browser
        .press(
            &page,
            "continue",
            &[
                ("given_name", "  "),
                ("family_name", ""),
                ("email", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let required = "This field is required.";
    for id in ["given_name", "email", "password"] {
        let e = page.field_error(id).unwrap_or_default();
        assert!(e.contains(required), "{id}: {e:?}");
    }
    let terms = page.field_error("terms").unwrap_or_default();
    assert!(
        terms.contains("You need to accept this to continue."),
        "{terms:?}"
    );
    assert_eq!(page.field_error("family_name"), None, "optional field");
    assert_eq!(
        page.summary(),
        vec![
            required.to_owned(),
            required.to_owned(),
            required.to_owned(),
            "You need to accept this to continue.".to_owned(),
        ]
    );
    let links: Vec<String> = {
        let doc = page.doc();
        let sel = scraper::Selector::parse(".error-summary__list a").ok();
        sel.map(|s| {
            doc.select(&s)
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
    };
    assert_eq!(links, vec!["#given_name", "#email", "#password", "#terms"]);
    assert_eq!(page.step().as_deref(), Some("details"));
}

#[tokio::test]
async fn unticked_terms_are_refused_and_nothing_is_sent() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("terms");
    let page = browser.get("/register").await;

    let mut inputs = details("Ada", &email, GOOD_PASSWORD);
    inputs.retain(|(k, _)| *k != "terms");
    let (status, page) = browser.press(&page, "continue", &inputs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = page.field_error("terms").unwrap_or_default();
    assert!(e.contains("You need to accept this to continue."), "{e:?}");
    assert_eq!(page.summary().len(), 1);
    assert!(!page.exists("#terms[checked]"));
    assert_eq!(
        page.attr("#email", "value").as_deref(),
        Some(email.as_str())
    );
    assert_eq!(page.attr("#password", "value").as_deref(), Some(""));
    assert_mail_count_stays(&app, &email, 0).await;
}

#[tokio::test]
async fn short_password_is_refused_with_the_minimum_length() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("short");
    let page = browser.get("/register").await;

    let (status, page) = browser
        .press(&page, "continue", &details("Ada", &email, "tiny12"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = page.field_error("password").unwrap_or_default();
    assert!(
        e.contains("Your password must have at least 8 characters."),
        "{e:?}"
    );
    assert_eq!(
        page.attr(".error-summary__list a", "href").as_deref(),
        Some("#password")
    );
    assert!(!page.html.contains("tiny12"), "password echoed");
    assert_eq!(page.attr("#password", "value").as_deref(), Some(""));
    assert_eq!(
        page.attr("#email", "value").as_deref(),
        Some(email.as_str())
    );
    assert_mail_count_stays(&app, &email, 0).await;
}

#[tokio::test]
async fn common_passwords_and_passwords_equal_to_the_email_are_refused() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("weak");
    let local = email.split('@').next().unwrap_or_default().to_owned();
    let mut page = browser.get("/register").await;

    for common in ["password123", "Password1!", "qwertyuiop"] {
        let (status, next) = browser
            .press(&page, "continue", &details("Ada", &email, common))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{common}");
        let e = next.field_error("password").unwrap_or_default();
        assert!(
            e.contains("This password is too common. Choose one that is harder to guess."),
            "{common}: {e:?}"
        );
        assert!(!next.html.contains(common), "{common} echoed");
        page = next;
    }

    let personal = "Your password must not be your name or e-mail address.";
    for same in [email.clone(), email.to_uppercase(), local] {
        let (status, next) = browser
            .press(&page, "continue", &details("Ada", &email, &same))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{same}");
        let e = next.field_error("password").unwrap_or_default();
        assert!(e.contains(personal), "{same}: {e:?}");
        assert_eq!(next.summary(), vec![personal.to_owned()]);
        page = next;
    }

    // A name is personal too.
    let (status, next) = browser
        .press(
            &page,
            "continue",
            &details("Augustaada", &email, "augustaada"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        next.field_error("password")
            .unwrap_or_default()
            .contains(personal)
    );

    assert_eq!(next.step().as_deref(), Some("details"));
    assert_mail_count_stays(&app, &email, 0).await;
}

// ---------------------------------------------------------------- codes

#[tokio::test]
async fn five_wrong_codes_burn_the_code_and_only_a_new_code_works() {
    let app = spawn_app_with(Options {
        resend_interval_seconds: Some(0),
        ..Default::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("burn");
    let mut page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();
    let wrong = wrong_code(&code);

    for remaining in (1..=4).rev() {
        let (status, next) = browser.press(&page, "verify", &[("otp", wrong)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = next.field_error("otp").unwrap_or_default();
        assert!(
            e.contains(&format!(
                "That code is not right. You have {remaining} {} left.",
                tries(remaining)
            )),
            "{e:?}"
        );
        assert_eq!(
            next.attr("#otp", "value").as_deref(),
            Some(""),
            "code echoed"
        );
        page = next;
    }
    let (status, next) = browser.press(&page, "verify", &[("otp", wrong)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = next.field_error("otp").unwrap_or_default();
    assert!(e.contains(TOO_MANY), "fifth wrong code: {e:?}");
    page = next;

    // The code is burnt: even the right one fails now, with the same explanation.
    let (status, next) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(next.h1(), CODE_PAGE);
    let e = next.field_error("otp").unwrap_or_default();
    assert!(e.contains(TOO_MANY), "right code after five wrong: {e:?}");
    assert!(!signed_in(&browser).await);
    assert!(!stored_user_exists(&app, &email).await);
    page = next;

    // Resend (a secondary button: it submits no values) gives a new code that works.
    let (status, next) = browser.press(&page, "resend", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", next.html);
    assert_eq!(next.h1(), CODE_PAGE);
    assert_eq!(next.notice().as_deref(), Some("We sent you a new code."));
    let mails = app.wait_for_mails(&email, 2).await;
    let fresh = mails[1].code();
    let (status, done) = browser.press(&next, "verify", &[("otp", &fresh)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);
    assert!(signed_in(&browser).await);
    assert!(stored_user_exists(&app, &email).await);
}

#[tokio::test]
async fn a_code_older_than_ten_minutes_has_expired() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Default::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("late");
    let page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();

    app.advance(time::Duration::minutes(11));
    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = page.field_error("otp").unwrap_or_default();
    assert!(
        e.contains("That code has expired. Send a new code."),
        "{e:?}"
    );
    assert_eq!(page.h1(), CODE_PAGE);
    assert!(!signed_in(&browser).await);
    assert!(!stored_user_exists(&app, &email).await);

    // Trying again does not revive it.
    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("otp")
            .unwrap_or_default()
            .contains("expired")
    );
}

#[tokio::test]
async fn resend_waits_for_the_interval_then_sends_a_new_code() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Default::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("resend");
    let page = to_code_page(&browser, "Ada", &email).await;
    let first = app.last_mail(&email, 1).await.code();

    // At once: refused, with how long to wait, and no mail.
    let (status, page) = browser.press(&page, "resend", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = page.summary().join(" ");
    assert!(
        summary.contains("Please wait 30 seconds before asking for another message."),
        "{summary:?}"
    );
    assert!(summary.contains("seconds"));
    assert_eq!(page.h1(), CODE_PAGE);
    assert_mail_count_stays(&app, &email, 1).await;

    // Still too early after 20 s.
    app.advance(time::Duration::seconds(20));
    let (status, page) = browser.press(&page, "resend", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.summary().join(" ").contains("seconds"),
        "{:?}",
        page.summary()
    );
    assert_mail_count_stays(&app, &email, 1).await;

    // After the interval: sent, and said so.
    app.advance(time::Duration::seconds(11));
    let (status, page) = browser.press(&page, "resend", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    assert_eq!(page.notice().as_deref(), Some("We sent you a new code."));
    let mails = app.wait_for_mails(&email, 2).await;
    assert_eq!(mails.len(), 2);
    let second = mails[1].code();

    // The newest code replaces the old one.
    if second != first {
        let (status, refused) = browser.press(&page, "verify", &[("otp", &first)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.field_error("otp").is_some());
    }
    let (status, done) = browser.press(&page, "verify", &[("otp", &second)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);
}

// ---------------------------------------------------------------- expiry

#[tokio::test]
async fn an_idle_journey_expires_and_start_again_keeps_the_given_name() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Default::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("idle");
    let code_page = to_code_page(&browser, "Grace", &email).await;
    let code = app.last_mail(&email, 1).await.code();

    app.advance(time::Duration::minutes(31));
    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::GONE);
    assert_eq!(page.h1(), "This page has expired");
    assert_eq!(
        page.attr("form.flow-form", "action").as_deref(),
        Some("/register/restart")
    );
    assert_eq!(page.text_of("form.flow-form button"), "Start again");
    assert_eq!(
        page.attr("form.flow-form", "method").as_deref(),
        Some("post")
    );

    // The old code page acts on nothing any more.
    let (status, stale) = browser.press(&code_page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::GONE, "{}", stale.html);
    assert_eq!(stale.h1(), "This page has expired");
    assert!(!stored_user_exists(&app, &email).await);

    // Start again: a new journey at the first step, the name kept, no secret kept.
    let (status, fresh) = browser.press(&page, "start_again", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", fresh.html);
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(fresh.step().as_deref(), Some("details"));
    assert_eq!(fresh.h1(), "Create your account");
    assert_eq!(fresh.attr("#given_name", "value").as_deref(), Some("Grace"));
    assert_eq!(fresh.attr("#password", "value").as_deref(), Some(""));
    assert!(!fresh.exists("#terms[checked]"), "consent is asked again");

    // And it can be finished.
    let (status, page) = browser
        .press(&fresh, "continue", &details("Grace", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    let new_code = app.last_mail(&email, 2).await.code();
    let (status, done) = browser.press(&page, "verify", &[("otp", &new_code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);
    assert!(stored_user_exists(&app, &email).await);
}

// ---------------------------------------------------------------- links

/// Starts the magic-link journey in `browser`; returns the link mailed to `email`.
async fn magic_link_sent(app: &TestApp, browser: &Browser, email: &str) -> String {
    let page = browser.get("/register").await;
    assert_eq!(page.step().as_deref(), Some("details"));
    let (status, page) = browser
        .press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    assert_eq!(page.step().as_deref(), Some("check_email"));
    assert!(page.html.contains(email));
    let mail = app.last_mail(email, 1).await;
    assert!(
        mail.subject.contains("Confirm your e-mail address"),
        "{}",
        mail.subject
    );
    mail.link()
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap_or_default().to_owned()
}

/// Opens `link` in `browser` and presses the confirm button.
async fn confirm(browser: &Browser, link: &str) -> (StatusCode, Page) {
    let landing = browser.get(link).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.html);
    assert_eq!(landing.h1(), "Confirm your e-mail address");
    browser
        .post(
            "/link",
            &[
                ("csrf_token".into(), landing.csrf()),
                ("token".into(), token_of(link)),
            ],
        )
        .await
}

#[tokio::test]
async fn a_used_link_shows_the_used_page_on_another_browser() {
    let app = spawn_app_with(Options {
        template: Some("registration-magic-link"),
        ..Default::default()
    })
    .await;
    let first = app.browser();
    let email = unique_email("used");
    let link = magic_link_sent(&app, &first, &email).await;

    let second = app.browser();
    let (status, page) = confirm(&second, &link).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), DONE);
    assert!(signed_in(&second).await);

    // A third browser: the link is spent, whether opened or posted.
    let third = app.browser();
    let page = third.get(&link).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert_eq!(page.h1(), "This link has already been used");
    assert!(!page.exists("input[name=token]"), "no confirm button");
    let csrf = third.get("/login").await.csrf();
    let (status, page) = third
        .post(
            "/link",
            &[
                ("csrf_token".into(), csrf),
                ("token".into(), token_of(&link)),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(page.h1(), "This link has already been used");
    assert!(!signed_in(&third).await);

    // The browser that confirmed it is simply taken back to where it is.
    let back = second.get_raw(&link).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(back.location(), "/register");

    // Still one account, one mail.
    assert!(stored_user_exists(&app, &email).await);
    assert_mail_count_stays(&app, &email, 1).await;
}

#[tokio::test]
async fn an_unknown_link_token_is_not_found() {
    let app = spawn_app_with(Options {
        template: Some("registration-magic-link"),
        ..Default::default()
    })
    .await;
    let browser = app.browser();

    for path in ["/link?token=not-a-real-token", "/link?token=", "/link"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.h1(), "This link is not valid", "{path}");
        assert!(!page.exists("input[name=token]"), "{path}");
    }

    let csrf = browser.get("/login").await.csrf();
    let (status, page) = browser
        .post(
            "/link",
            &[
                ("csrf_token".into(), csrf),
                ("token".into(), "not-a-real-token".into()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(page.h1(), "This link is not valid");
    assert!(!signed_in(&browser).await);
}

#[tokio::test]
async fn opening_a_link_does_not_use_it() {
    let app = spawn_app_with(Options {
        template: Some("registration-magic-link"),
        ..Default::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("scanner");
    let link = magic_link_sent(&app, &browser, &email).await;

    // A mail scanner, then the person, open it: neither acts.
    let scanner = app.browser();
    for who in [&scanner, &browser, &browser] {
        let page = who.get(&link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Confirm your e-mail address");
        assert_eq!(
            page.attr("form.flow-form", "method").as_deref(),
            Some("post")
        );
    }
    assert!(!stored_user_exists(&app, &email).await);
    let still = browser.get("/register").await;
    assert_eq!(still.step().as_deref(), Some("check_email"));

    // The button does.
    let (status, page) = confirm(&browser, &link).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), DONE);
    assert!(signed_in(&browser).await);
    assert!(stored_user_exists(&app, &email).await);
}

// ---------------------------------------------------------------- existing account

/// The page as a person would compare it: without the session's token and whose it is.
fn normalised(page: &Page, email: &str, given: &str) -> String {
    page.comparable_html()
        .replace(email, "EMAIL")
        .replace(given, "NAME")
}

#[tokio::test]
async fn an_address_with_an_account_sees_the_same_pages_and_no_code_works() {
    let app = spawn_app().await;
    let taken = unique_email("owner");
    let owner = register_fully(&app, "Olive", &taken).await;
    assert!(signed_in(&owner).await);
    let owner_id = app
        .store()
        .await
        .user_by_email(&taken)
        .await
        .ok()
        .flatten()
        .map(|u| u.id);
    assert!(owner_id.is_some());

    // Someone registers again with the taken address; someone else with a new one.
    let again = app.browser();
    let again_page = to_code_page(&again, "Mallory", &taken).await;
    let newcomer = app.browser();
    let fresh = unique_email("fresh");
    let fresh_page = to_code_page(&newcomer, "Mallory", &fresh).await;
    assert_eq!(again_page.status, fresh_page.status);
    assert_eq!(
        normalised(&again_page, &taken, "Mallory"),
        normalised(&fresh_page, &fresh, "Mallory"),
        "the code page gives away whether the address has an account"
    );

    // The owner is told, without a code.
    let mails = app.wait_for_mails(&taken, 2).await;
    assert_eq!(mails.len(), 2);
    let notice = &mails[1];
    assert!(
        notice.subject.contains("You already have"),
        "{}",
        notice.subject
    );
    assert!(!has_six_digit_code(&notice.subject), "{}", notice.subject);
    assert!(!has_six_digit_code(&notice.text), "{}", notice.text);
    assert!(!has_six_digit_code(&notice.html), "{}", notice.html);
    assert!(notice.text.contains("/login"), "{}", notice.text);

    // No code works: not the owner's old one, not a guess.
    let old_code = mails[0].code();
    let mut page = again_page;
    for guess in [old_code.as_str(), "123456", "000000"] {
        let (status, next) = again.press(&page, "verify", &[("otp", guess)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{guess}");
        assert_eq!(next.h1(), CODE_PAGE);
        assert!(next.field_error("otp").is_some(), "{guess}");
        page = next;
    }
    assert!(!signed_in(&again).await);

    // The wrong-code answers look like the newcomer's.
    let (_, fresh_wrong) = newcomer
        .press(&fresh_page, "verify", &[("otp", "123456")])
        .await;
    let (_, again_wrong) = again.press(&page, "verify", &[("otp", "123456")]).await;
    assert_eq!(
        fresh_wrong
            .field_error("otp")
            .map(|e| e.contains("not right")),
        Some(true)
    );
    assert_eq!(
        again_wrong
            .field_error("otp")
            .map(|e| e.contains("not right")),
        Some(true),
        "{:?}",
        again_wrong.field_error("otp")
    );

    // The account is untouched and still the owner's.
    let after = app
        .store()
        .await
        .user_by_email(&taken)
        .await
        .ok()
        .flatten()
        .map(|u| u.id);
    assert_eq!(after, owner_id);
    assert_eq!(app.store().await.count_users().await.ok(), Some(1));
    assert!(signed_in(&owner).await);
}

// ---------------------------------------------------------------- other templates

#[tokio::test]
async fn passwordless_registration_end_to_end() {
    let app = spawn_app_with(Options {
        template: Some("registration-passwordless"),
        ..Default::default()
    })
    .await;
    let browser = app.browser();
    let email = unique_email("nopass");

    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Create your account");
    assert_eq!(page.step().as_deref(), Some("email"));
    assert!(!page.exists("input[type=password]"), "no password asked");

    let (status, page) = browser.press(&page, "continue", &[("email", &email)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    assert!(page.html.contains(&email));

    let mail = app.last_mail(&email, 1).await;
    assert!(
        mail.subject.contains("Confirm your e-mail address"),
        "{}",
        mail.subject
    );
    let link = mail.link();
    let (status, page) = confirm(&browser, &link).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), "Tell us about yourself");
    assert_eq!(page.step().as_deref(), Some("profile"));
    assert!(
        page.html.contains(&email),
        "the profile page names the address"
    );
    assert_eq!(
        page.notice().as_deref(),
        Some("Your e-mail address is confirmed.")
    );
    assert!(
        !stored_user_exists(&app, &email).await,
        "not before the profile"
    );

    // The profile has its own validation.
    let (status, invalid) = browser
        .press(&page, "finish", &[("given_name", ""), ("terms", "true")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid
            .field_error("given_name")
            .unwrap_or_default()
            .contains("This field is required.")
    );

    let (status, done) = browser
        .press(
            &invalid,
            "finish",
            &[
                ("given_name", "Hedy"),
                ("family_name", "Lamarr"),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);

    let account = browser.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.html.contains(&email));
    assert!(account.html.contains("Hedy Lamarr"));

    let user = app.store().await.user_by_email(&email).await.ok().flatten();
    assert!(user.as_ref().is_some_and(|u| u.email_verified));
    assert!(
        user.as_ref().is_some_and(|u| u.password_hash.is_none()),
        "passwordless accounts have no password"
    );
    assert_mail_count_stays(&app, &email, 1).await;
}

#[tokio::test]
async fn magic_link_registration_finished_on_a_second_device() {
    let app = spawn_app_with(Options {
        template: Some("registration-magic-link"),
        ..Default::default()
    })
    .await;
    let laptop = app.browser();
    let email = unique_email("phone");
    let link = magic_link_sent(&app, &laptop, &email).await;
    assert!(!stored_user_exists(&app, &email).await);

    let phone = app.browser();
    let (status, page) = confirm(&phone, &link).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), DONE);
    assert_eq!(
        page.notice().as_deref(),
        Some("Your e-mail address is confirmed.")
    );

    // The device that confirmed is signed in; the one that started is not.
    let account = phone.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.html.contains(&email));
    assert!(account.html.contains("Ada Lovelace"));
    assert!(!signed_in(&laptop).await);

    let user = app.store().await.user_by_email(&email).await.ok().flatten();
    assert!(user.as_ref().is_some_and(|u| u.email_verified));

    // The password from the details step works anywhere.
    let (status, page) = sign_in(&app, &email, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.h1(), "Your account");
    assert_mail_count_stays(&app, &email, 1).await;
}

/// The catalogue's plural of "try".
fn tries(n: u32) -> &'static str {
    if n == 1 { "try" } else { "tries" }
}
