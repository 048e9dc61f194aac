//! Bots without JavaScript or a CAPTCHA: the hosted flow forms carry a honeypot input and a
//! signed render time. A post that fills the honeypot, comes back faster than a person could
//! fill the form, or brings no genuine token is refused politely, sends nothing, changes
//! nothing and is audited. Self-registration may also refuse disposable mail domains.

use crate::browser::{click, open_session, type_into, wait_for_h1};
use crate::helpers::*;
use fantoccini::Locator;
use flows::store::AuditRow;
use reqwest::StatusCode;
use std::time::Duration;

const REFUSED: &str = "This form could not be accepted";

/// The `bot.refused` entries so far, oldest first.
async fn refusals(app: &TestApp) -> Vec<AuditRow> {
    crate::audit::audit_rows(app)
        .await
        .into_iter()
        .filter(|r| r.action == "bot.refused")
        .collect()
}

fn reason(row: &AuditRow) -> String {
    let detail: serde_json::Value = serde_json::from_str(&row.detail).expect("JSON detail");
    assert_eq!(detail["ip"], "127.0.0.1", "{}", row.detail);
    detail["reason"].as_str().expect("a reason").to_owned()
}

/// The details step of `page` filled in as a person would, plus `extra` over the top (a
/// field given twice keeps the later value: the test replaces, not appends).
fn details_post(page: &Page, email: &str, extra: &[(String, String)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = page
        .form_fields()
        .into_iter()
        .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
        .collect();
    fields.extend(extra.iter().cloned());
    fields.push(("action".into(), "continue".into()));
    fields.extend(
        details("Ada", email, GOOD_PASSWORD)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    fields
}

/// A refusal: the polite page, and nothing more said about why.
fn assert_refused(status: StatusCode, page: &Page) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{}", page.html);
    assert_eq!(page.h1(), REFUSED);
    let text = page.select_all("main").join(" ").to_lowercase();
    for telltale in ["honeypot", "token", "fast", "bot", "time", "empty"] {
        assert!(!text.contains(telltale), "{telltale:?} in {text}");
    }
}

/// Nothing happened: the person is still on the details step, no mail and no account.
async fn assert_nothing_done(app: &TestApp, browser: &Browser, email: &str) {
    assert_mail_count_stays(app, email, 0).await;
    assert!(!stored_user_exists(app, email).await);
    let page = browser.get("/register").await;
    assert_eq!(page.step().as_deref(), Some("details"));
}

/// The details form as a person sends it: accepted, and on to the code page.
async fn assert_goes_through(browser: &Browser, page: &Page, email: &str) {
    let (status, next) = browser
        .press(page, "continue", &details("Ada", email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", next.html);
    assert_eq!(next.h1(), CODE_PAGE);
}

#[tokio::test]
async fn every_flow_form_carries_a_hidden_honeypot_and_a_form_token() {
    let app = spawn_app().await;
    for path in ["/register", "/recover"] {
        let page = app.browser().get(path).await;
        let name = page.honeypot().expect("a honeypot");
        let input = format!("form.flow-form .field-aux input[name={name}]");
        assert_eq!(page.attr(&input, "type").as_deref(), Some("text"));
        assert_eq!(page.attr(&input, "tabindex").as_deref(), Some("-1"));
        assert_eq!(page.attr(&input, "autocomplete").as_deref(), Some("off"));
        assert_eq!(page.attr(&input, "value").as_deref(), Some(""));
        assert_eq!(
            page.attr(&input, "style"),
            None,
            "the CSP forbids inline style"
        );
        assert_eq!(
            page.text_of(&format!("label[for={name}]")),
            "Leave this field empty"
        );
        let token = page.form_token().expect("a form token");
        assert!(token.starts_with("t1."), "{token}");
    }
    let css = app.browser().get("/static/flows.css").await;
    assert!(css.html.contains(".field-aux"), "the hiding class ships");
}

#[tokio::test]
async fn the_honeypot_name_differs_between_executions() {
    let app = spawn_app().await;
    let a = app.browser().get("/register").await;
    let b = app.browser().get("/register").await;
    let (a, b) = (a.honeypot().expect("a"), b.honeypot().expect("b"));
    assert_ne!(a, b);
    // And between the steps of one execution.
    let browser = app.browser();
    let details = browser.get("/register").await;
    let code_page = to_code_page(&browser, "Ada", &unique_email("steps")).await;
    assert_ne!(details.honeypot(), code_page.honeypot());
}

#[tokio::test]
async fn a_filled_honeypot_is_refused_sends_nothing_and_is_audited() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("honeypot");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let honeypot = page.honeypot().expect("honeypot");
    let (status, refused) = browser
        .post(
            "/register",
            &details_post(&page, &email, &[(honeypot, "http://spam.example".into())]),
        )
        .await;
    assert_refused(status, &refused);
    assert_nothing_done(&app, &browser, &email).await;

    let rows = refusals(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(reason(&rows[0]), "honeypot");
    for secret in [email.as_str(), GOOD_PASSWORD, "spam.example", "Ada"] {
        assert!(!rows[0].detail.contains(secret), "{}", rows[0].detail);
    }

    // The same form with the honeypot left empty (as `press` sends it) goes through.
    assert_goes_through(&browser, &page, &email).await;
    app.wait_for_mails(&email, 1).await;
}

const HELD: &str = "Please check what you entered, then press the button again.";

#[tokio::test]
async fn a_quick_form_is_shown_again_with_its_values_and_the_next_press_goes_through() {
    // A minute: however loaded the machine, the first press comes sooner.
    let app = spawn_app_with(Options {
        smtp: true,
        form_min_fill_ms: Some(60_000),
        ..Options::default()
    })
    .await;
    let email = unique_email("hasty");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let (status, held) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    // The same step, calmly, with everything typed but the password; nothing done.
    assert_eq!(status, StatusCode::OK, "{}", held.html);
    assert_eq!(held.step().as_deref(), Some("details"));
    assert_eq!(held.notice().as_deref(), Some(HELD));
    assert_eq!(held.attr("#given_name", "value").as_deref(), Some("Ada"));
    assert_eq!(
        held.attr("#email", "value").as_deref(),
        Some(email.as_str())
    );
    assert_eq!(held.attr("#password", "value").unwrap_or_default(), "");
    assert!(!held.html.contains(GOOD_PASSWORD));
    assert_mail_count_stays(&app, &email, 0).await;
    assert!(!stored_user_exists(&app, &email).await);
    assert!(refusals(&app).await.is_empty(), "a quick person is no bot");

    // Pressing again at once goes through: a person is held at most once per form.
    assert_goes_through(&browser, &held, &email).await;
    let code = app.wait_for_mails(&email, 1).await[0].code();

    // The code step only checks what the person received: a pasted code is never held.
    let code_page = browser.get("/register").await;
    let (status, done) = browser.press(&code_page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);

    // Counted by outcome (other tests in this process count too: at least ours).
    for outcome in ["held", "let_through"] {
        assert!(too_fast_count(&app, outcome).await >= 1, "{outcome}");
    }
}

/// `flows_form_too_fast_total{outcome}` as `/metrics` shows it now.
async fn too_fast_count(app: &TestApp, outcome: &str) -> u64 {
    let metrics = app.metrics().await;
    let name = format!("flows_form_too_fast_total{{outcome=\"{outcome}\"}} ");
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(&name)?.trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_quick_form_after_a_proven_address_is_never_held() {
    let app = spawn_app_with(Options {
        smtp: true,
        form_min_fill_ms: Some(60_000),
        ..Options::default()
    })
    .await;
    // An invitation proves the address: its only form goes through at once.
    let invited = unique_email("quick.invited");
    app.invite(&invited, Default::default(), "Dorothy").await;
    let link = app.last_mail(&invited, 1).await.invitation_link();
    let browser = app.browser();
    let page = browser.get(&link).await;
    let (status, done) = browser
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Katherine"),
                ("password", GOOD_PASSWORD),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert!(stored_user_exists(&app, &invited).await);
}

#[tokio::test]
async fn a_form_shown_again_with_errors_keeps_counting_from_its_first_showing() {
    let app = spawn_app_with(Options {
        form_min_fill_ms: Some(1_500),
        ..Options::default()
    })
    .await;
    let email = unique_email("corrected");
    let browser = app.browser();
    let page = browser.get("/register").await;
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    // Forgot to accept the terms: the form comes back with the error...
    let mut inputs = details("Ada", &email, GOOD_PASSWORD);
    inputs.retain(|(k, _)| *k != "terms");
    let (status, invalid) = browser.press(&page, "continue", &inputs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", invalid.html);
    // ...and ticking the box and sending at once is not "too fast".
    assert_goes_through(&browser, &invalid, &email).await;
}

#[tokio::test]
async fn a_missing_forged_altered_or_foreign_form_token_is_refused() {
    let app = spawn_app().await;
    let email = unique_email("forger");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let genuine = page.form_token().expect("token");
    let other = app.browser().get("/register").await;
    let foreign = other.form_token().expect("other token");
    assert_ne!(genuine, foreign);

    let (version, rest) = genuine.split_once('.').expect("version");
    let (millis, mac) = rest.split_once('.').expect("time and mac");
    let earlier: i64 = millis.parse::<i64>().expect("millis") - 60_000;
    let flipped: String = mac
        .chars()
        .enumerate()
        .map(|(i, c)| match (i, c) {
            (0, '0') => '1',
            (0, _) => '0',
            (_, c) => c,
        })
        .collect();
    let cases = [
        (
            "forged",
            format!("{version}.{millis}.{}", "0".repeat(mac.len())),
        ),
        ("altered time", format!("{version}.{earlier}.{mac}")),
        ("altered mac", format!("{version}.{millis}.{flipped}")),
        ("another execution's", foreign),
        ("empty", String::new()),
    ];
    let mut pages = Vec::new();
    for (what, token) in &cases {
        let (status, refused) = browser
            .post(
                "/register",
                &details_post(&page, &email, &[("form_token".into(), token.clone())]),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {}", refused.html);
        assert_refused(status, &refused);
        pages.push(refused);
    }
    // No token at all.
    let mut fields = details_post(&page, &email, &[]);
    fields.retain(|(k, _)| k != "form_token");
    let (status, refused) = browser.post("/register", &fields).await;
    assert_refused(status, &refused);
    pages.push(refused);

    // Every refusal reads the same, whatever tripped it.
    let first = pages[0].comparable_html();
    for page in &pages {
        assert_eq!(page.comparable_html(), first);
    }
    assert_nothing_done(&app, &browser, &email).await;
    let reasons: Vec<String> = refusals(&app).await.iter().map(reason).collect();
    assert_eq!(
        reasons,
        vec![
            "bad_token",
            "bad_token",
            "bad_token",
            "bad_token",
            "bad_token",
            "missing_token"
        ]
    );

    // The genuine token still works: refusals changed nothing.
    assert_goes_through(&browser, &page, &email).await;
}

#[tokio::test]
async fn an_old_form_is_refused_as_stale_or_answered_as_expired() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("stale");
    let browser = app.browser();
    let old = browser.get("/register").await;
    app.advance(time::Duration::minutes(20));
    to_code_page(&browser, "Ada", &email).await;
    app.advance(time::Duration::minutes(15));
    // The execution lives on (it moved 15 minutes ago), but a 35-minute-old form is
    // older than any execution may stay idle.
    let (status, refused) = browser
        .press(&old, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_refused(status, &refused);
    let reasons: Vec<String> = refusals(&app).await.iter().map(reason).collect();
    assert_eq!(reasons, vec!["stale_token"]);
    assert_mail_count_stays(&app, &email, 1).await;

    // Once the execution itself has expired, an old form says so, as it always did.
    let page = browser.get("/register").await;
    app.advance(time::Duration::minutes(31));
    let (status, expired) = browser.press(&page, "verify", &[("otp", "123456")]).await;
    assert_eq!(status, StatusCode::GONE, "{}", expired.html);
    assert_eq!(expired.h1(), "This page has expired");
    assert_eq!(refusals(&app).await.len(), 1);
}

#[tokio::test]
async fn a_bot_on_recovery_or_an_invitation_is_refused_and_changes_nothing() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    // Recovery for an existing account: the honeypot stops the reset mail.
    let email = unique_email("owner");
    register_fully(&app, "Olive", &email).await;
    let browser = app.browser();
    let page = browser.get("/recover").await;
    let honeypot = page.honeypot().expect("honeypot");
    let mut fields = page.form_fields();
    fields.retain(|(k, _)| *k != honeypot);
    fields.extend([
        (honeypot, "filled".into()),
        ("action".into(), "continue".into()),
        ("login".into(), email.clone()),
    ]);
    let (status, refused) = browser.post("/recover", &fields).await;
    assert_refused(status, &refused);
    assert_mail_count_stays(&app, &email, 1).await;

    // An invitation: no account is made.
    let invited = unique_email("invited");
    app.invite(&invited, Default::default(), "Dorothy").await;
    let link = app.last_mail(&invited, 1).await.invitation_link();
    let browser = app.browser();
    let page = browser.get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let honeypot = page.honeypot().expect("honeypot on the invitation");
    let mut fields = page.form_fields();
    fields.retain(|(k, _)| *k != honeypot);
    fields.extend([
        (honeypot, "filled".into()),
        ("action".into(), "accept".into()),
        ("password".into(), GOOD_PASSWORD.into()),
        ("terms".into(), "true".into()),
    ]);
    let (status, refused) = browser.post("/invite", &fields).await;
    assert_refused(status, &refused);
    assert!(!stored_user_exists(&app, &invited).await);
    let reasons: Vec<String> = refusals(&app).await.iter().map(reason).collect();
    assert_eq!(reasons, vec!["honeypot", "honeypot"]);
}

#[tokio::test]
async fn a_disposable_address_is_refused_at_registration_only_when_the_setting_is_on() {
    let app = spawn_app_with(Options {
        refuse_disposable_email: true,
        ..Options::default()
    })
    .await;
    for address in [
        format!("{}@mailinator.com", uuid::Uuid::new_v4().simple()),
        format!("{}@inbox.Mailinator.com", uuid::Uuid::new_v4().simple()),
    ] {
        let browser = app.browser();
        let page = browser.get("/register").await;
        let (status, page) = browser
            .press(&page, "continue", &details("Ada", &address, GOOD_PASSWORD))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
        let error = page
            .field_error("email")
            .expect("an error beside the e-mail");
        assert!(error.contains("permanent e-mail address"), "{error}");
        assert_mail_count_stays(&app, &address, 0).await;
    }
    // In French too.
    let mut browser = app.browser();
    browser.accept_language = Some("fr".into());
    let page = browser.get("/register").await;
    let (_, page) = browser
        .press(
            &page,
            "continue",
            &details("Ada", "robot@yopmail.com", GOOD_PASSWORD),
        )
        .await;
    let error = page.field_error("email").expect("French error");
    assert!(error.contains("adresse e-mail permanente"), "{error}");

    // An ordinary address goes through.
    to_code_page(&app.browser(), "Ada", &unique_email("ordinary")).await;

    // With the setting off (the default), the same domain is accepted.
    let app = spawn_app().await;
    let address = format!("{}@mailinator.com", uuid::Uuid::new_v4().simple());
    to_code_page(&app.browser(), "Ada", &address).await;
}

#[tokio::test]
async fn a_person_in_a_real_browser_never_sees_the_honeypot_and_registers_after_the_minimum() {
    let app = spawn_app_with(Options {
        smtp: true,
        form_min_fill_ms: Some(1_000),
        ..Options::default()
    })
    .await;
    let client = open_session(false, &[]).await;
    let walk = {
        let client = client.clone();
        async move {
            let email = unique_email("browser.bots");
            client
                .goto(&format!("{}/register", app.address))
                .await
                .expect("goto");
            wait_for_h1(&client, "Create your account").await;
            let honeypot = client
                .find(Locator::Css("form.flow-form .field-aux input"))
                .await
                .expect("honeypot in the page");
            assert!(
                !honeypot.is_displayed().await.expect("displayed?"),
                "the honeypot is out of sight"
            );
            type_into(&client, "#given_name", "Grace").await;
            type_into(&client, "#email", &email).await;
            type_into(&client, "#password", GOOD_PASSWORD).await;
            click(&client, "#terms").await;
            // A person reads before sending; a headless browser types in no time.
            tokio::time::sleep(Duration::from_millis(1_100)).await;
            click(&client, "button[value=continue]").await;
            wait_for_h1(&client, CODE_PAGE).await;
            let code = app.last_mail(&email, 1).await.code();
            type_into(&client, "#otp", &code).await;
            tokio::time::sleep(Duration::from_millis(1_100)).await;
            click(&client, "button[value=verify]").await;
            wait_for_h1(&client, DONE).await;
            assert!(stored_user_exists(&app, &email).await);
        }
    };
    let outcome = tokio::spawn(walk).await;
    client.close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
