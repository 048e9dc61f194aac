//! A real browser (Debian's Chromium through chromedriver, JavaScript disabled) walks the
//! default registration, including the Back button, and signs in.

use crate::helpers::*;
use fantoccini::{Client, ClientBuilder, Locator};
use std::time::Duration;

fn webdriver_url() -> String {
    std::env::var("FLOWS_TEST_WEBDRIVER")
        .expect("FLOWS_TEST_WEBDRIVER is not set: run the suite with `bash .ci/test`, which starts chromedriver")
}

async fn open_browser() -> Client {
    // The product promises to work without JavaScript: prove it with JavaScript off.
    open_session(false, &[]).await
}

/// A fresh Chromium session. `javascript` is only for the accessibility scanner, which runs
/// its own script in the page; the pages themselves carry none either way. `extra_args` go
/// to Chromium after the usual ones.
pub(crate) async fn open_session(javascript: bool, extra_args: &[&str]) -> Client {
    let profile = tempfile::tempdir().expect("profile dir").keep();
    let mut options = serde_json::json!({
        "binary": std::env::var("FLOWS_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())],
    });
    if let Some(args) = options["args"].as_array_mut() {
        args.extend(extra_args.iter().map(|a| serde_json::Value::from(*a)));
    }
    if !javascript {
        options["prefs"] =
            serde_json::json!({"profile.managed_default_content_settings.javascript": 2});
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    // Chromium sometimes fails to start while the rest of the suite loads both cores: retry.
    let mut last_error = None;
    for _ in 0..3 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&webdriver_url())
            .await
        {
            Ok(client) => return client,
            Err(e) => last_error = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("no chromedriver session: {last_error:?}")
}

/// Runs `walk` with a fresh app (mail through the real SMTP sink, as in production) and a
/// fresh browser, then closes the browser whatever happened, so no Chromium lingers.
async fn in_browser<F, Fut>(walk: F)
where
    F: FnOnce(Client, TestApp) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let client = open_browser().await;
    let outcome = tokio::spawn(walk(client.clone(), app)).await;
    client.close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// The page's heading, or "" while a navigation is still under way.
pub(crate) async fn h1(client: &Client) -> String {
    match client.find(Locator::Css("h1")).await {
        Ok(h1) => h1.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

pub(crate) async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("field {css}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

pub(crate) async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("button {css}"))
        .click()
        .await
        .expect("click");
}

pub(crate) async fn wait_for_h1(client: &Client, expected: &str) {
    for _ in 0..100 {
        if h1(client).await == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let source = client.source().await.unwrap_or_default();
    let reason = regex::Regex::new(r"ERR_[A-Z_]+|<h1[^>]*>[^<]*")
        .ok()
        .and_then(|re| re.find(&source).map(|m| m.as_str().to_owned()));
    panic!("h1 never became {expected:?}; found {reason:?}");
}

async fn journey(client: &Client, app: &TestApp) {
    let email = unique_email("browser");
    client
        .goto(&format!("{}/register", app.address))
        .await
        .expect("goto");
    wait_for_h1(client, "Create your account").await;

    type_into(client, "#given_name", "Grace").await;
    type_into(client, "#email", &email).await;
    type_into(client, "#password", GOOD_PASSWORD).await;
    click(client, "#terms").await;
    click(client, "button[value=continue]").await;
    wait_for_h1(client, "Check your e-mail").await;

    // Back lands on the current step again (pages are never cached), not on a dead form.
    client.back().await.expect("back");
    wait_for_h1(client, "Check your e-mail").await;

    // A wrong code shows the error beside the field; the code field comes back empty.
    let code = app.last_mail(&email, 1).await.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    type_into(client, "#otp", wrong).await;
    click(client, "button[value=verify]").await;
    let error = client
        .wait()
        .for_element(Locator::Css("#otp-error"))
        .await
        .expect("error shown");
    assert!(error.text().await.expect("text").contains("not right"));
    let kept = client
        .find(Locator::Css("#otp"))
        .await
        .expect("otp")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(kept.as_deref(), Some(""));

    type_into(client, "#otp", &code).await;
    click(client, "button[value=verify]").await;
    wait_for_h1(client, "Your account is ready").await;

    client
        .goto(&format!("{}/account", app.address))
        .await
        .expect("account");
    wait_for_h1(client, "Your account").await;
    let body = client.source().await.expect("source");
    assert!(body.contains(&email));
    assert!(!body.contains("<script"), "no page carries a script");
    assert_eq!(app.mails_to(&email).len(), 1);
}

#[tokio::test]
async fn registration_in_a_real_browser_without_javascript() {
    in_browser(|client, app| async move { journey(&client, &app).await }).await;
}

async fn recovery(client: &Client, app: &TestApp) {
    let email = unique_email("browser.recover");
    register_fully(app, "Grace", &email).await;
    client
        .goto(&format!("{}/recover", app.address))
        .await
        .expect("goto");
    wait_for_h1(client, "Reset your password").await;
    type_into(client, "#login", &email).await;
    click(client, "button[value=continue]").await;
    wait_for_h1(client, "Check your e-mail").await;

    // The link opens a page that only asks to confirm: opening it changes nothing.
    let link = app.last_mail(&email, 2).await.link();
    client.goto(&link).await.expect("open link");
    wait_for_h1(client, "Confirm your e-mail address").await;
    click(client, "button[type=submit].button--primary").await;
    wait_for_h1(client, "Choose a new password").await;
    type_into(client, "#password", "a brand new passphrase for me").await;
    click(client, "button[value=save]").await;
    wait_for_h1(client, "Your password has been changed").await;
    assert!(
        app.last_mail(&email, 3)
            .await
            .subject
            .contains("was changed")
    );
}

#[tokio::test]
async fn password_recovery_in_a_real_browser_without_javascript() {
    in_browser(|client, app| async move { recovery(&client, &app).await }).await;
}

async fn invitation(client: &Client, app: &TestApp) {
    let email = unique_email("browser.invite");
    let mut prefill = std::collections::BTreeMap::new();
    prefill.insert("given_name".to_owned(), "Katherine".to_owned());
    app.invite(&email, prefill, "Dorothy").await;
    let mail = app.last_mail(&email, 1).await;
    let link = mail.invitation_link();
    client.goto(&link).await.expect("open invitation");
    wait_for_h1(client, "You are invited").await;
    let url = client.current_url().await.expect("url");
    assert_eq!(url.path(), "/invite");
    assert!(url.query().is_none(), "the code left the address bar");
    type_into(client, "#password", GOOD_PASSWORD).await;
    click(client, "#terms").await;
    click(client, "button[value=accept]").await;
    wait_for_h1(client, "Your account is ready").await;
}

#[tokio::test]
async fn invited_registration_in_a_real_browser_without_javascript() {
    in_browser(|client, app| async move { invitation(&client, &app).await }).await;
}

pub(crate) async fn select(client: &Client, css: &str, value: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("select {css}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|_| panic!("option {value} of {css}"));
}

/// Waits (up to 10 s) until the page holds `text`: for a post that lands on a page with the
/// same heading as the one it left.
async fn wait_for_text(client: &Client, text: &str) {
    for _ in 0..200 {
        if source(client).await.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the page never showed {text:?}");
}

/// The draft's revision on the page shown.
async fn revision(client: &Client) -> String {
    match client.find(Locator::Css("input[name=revision]")).await {
        Ok(input) => input.attr("value").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Presses a button of the draft editor and waits (up to 10 s) for the page of the next
/// revision: the editor's heading stays the same, so the heading cannot tell.
async fn edit_and_wait(client: &Client, css: &str) {
    let before = revision(client).await;
    click(client, css).await;
    for _ in 0..200 {
        let now = revision(client).await;
        if !now.is_empty() && now != before {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the draft never moved past revision {before} after {css}");
}

pub(crate) async fn source(client: &Client) -> String {
    client.source().await.expect("source")
}

/// Registers through the hosted pages up to the page after the code, and returns its address.
async fn register_to_after_code(client: &Client, app: &TestApp, given: &str) -> String {
    let email = unique_email(given);
    client
        .goto(&format!("{}/register", app.address))
        .await
        .expect("goto");
    wait_for_h1(client, "Create your account").await;
    type_into(client, "#given_name", given).await;
    type_into(client, "#email", &email).await;
    type_into(client, "#password", GOOD_PASSWORD).await;
    click(client, "#terms").await;
    click(client, "button[value=continue]").await;
    wait_for_h1(client, "Check your e-mail").await;
    let code = app.last_mail(&email, 1).await.code();
    type_into(client, "#otp", &code).await;
    click(client, "button[value=verify]").await;
    email
}

/// The issue's tour: an administrator changes the registration flow in the console with
/// JavaScript off, publishes it, a person registers through it, and a roll-back restores
/// the old journey for the next person.
async fn console_tour(client: &Client, app: &TestApp) {
    let admin = unique_email("browser.admin");
    crate::console::create_admin(app, &admin).await;
    client
        .goto(&format!("{}/admin/flows", app.address))
        .await
        .expect("goto");
    wait_for_h1(client, "Sign in to the console").await;
    type_into(client, "#email", &admin).await;
    type_into(client, "#password", crate::console::ADMIN_PASSWORD).await;
    click(client, "button[type=submit].button--primary").await;
    wait_for_h1(client, "Flows").await;

    click(client, "a[href='/admin/flows/REGISTRATION']").await;
    wait_for_h1(client, "Self registration").await;
    click(client, "#source-registration-otp").await;
    click(client, "form[action$='/draft/start'] button[type=submit]").await;
    wait_for_h1(
        client,
        "Draft of “Basic details + password + e-mail OTP verification”",
    )
    .await;

    // The terms widget goes after the code check, before the account is created; its
    // form is folded, as every section below the list of steps.
    click(client, "#widgets > summary").await;
    select(client, "#widget-", "terms").await;
    select(client, "#edge-", "o:check_code:success").await;
    click(client, "form[action$='/draft/widget'] button[type=submit]").await;
    // The same heading before and after: wait for the page that says what was inserted.
    wait_for_text(client, "inserted").await;

    // A text field in the widget's form, moved above its button, with a label.
    select(client, "#what-terms", "INPUT:TEXT").await;
    type_into(client, "#id-terms", "nickname").await;
    click(client, "#step-terms form.add-form button[type=submit]").await;
    for _ in 0..50 {
        if source(client).await.contains("component-terms-nickname") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    edit_and_wait(
        client,
        "#component-terms-nickname .toolbar form:first-child button",
    )
    .await;
    click(client, "#component-terms-nickname summary").await;
    type_into(client, "#cfg-terms-nickname-label", "Nickname").await;
    edit_and_wait(
        client,
        "#component-terms-nickname details form button[type=submit]",
    )
    .await;

    // A button that leads nowhere is a problem, named and linked on top; fixing it clears it.
    select(client, "#next-terms-continue", "").await;
    edit_and_wait(
        client,
        "#step-terms form:has(#next-terms-continue) button[type=submit]",
    )
    .await;
    let problems = client
        .find(Locator::Css("#problems-title"))
        .await
        .expect("problems")
        .text()
        .await
        .expect("text");
    assert!(problems.contains("problem"), "{problems}");
    let page = source(client).await;
    assert!(
        page.contains("href=\"#component-terms-continue\"")
            || page.contains("href=\"#step-terms\"")
    );
    select(client, "#next-terms-continue", "provision").await;
    edit_and_wait(
        client,
        "#step-terms form:has(#next-terms-continue) button[type=submit]",
    )
    .await;
    let problems = client
        .find(Locator::Css("#problems-title"))
        .await
        .expect("problems")
        .text()
        .await
        .expect("text");
    assert_eq!(problems, "No problems");
    click(client, "form[action$='/draft/publish'] button[type=submit]").await;
    wait_for_h1(client, "Self registration").await;
    assert!(source(client).await.contains("Version 2 is published"));

    // A person registers through the new flow; the new field lands on the account.
    let email = register_to_after_code(client, app, "Mary").await;
    wait_for_h1(client, "Before you go on").await;
    type_into(client, "#nickname", "Mae").await;
    // Ticked already: the details page collected the same attribute.
    let ticked = client
        .find(Locator::Css("#terms"))
        .await
        .expect("terms")
        .is_selected()
        .await
        .expect("state");
    if !ticked {
        click(client, "#terms").await;
    }
    click(client, "button[value=continue]").await;
    wait_for_h1(client, "Your account is ready").await;
    let user = app
        .store()
        .await
        .user_by_email(&email.to_lowercase())
        .await
        .expect("store")
        .expect("account");
    assert_eq!(
        user.attributes.get("nickname").map(String::as_str),
        Some("Mae")
    );

    // Roll back to version 1: the next person goes straight from the code to the end.
    client
        .goto(&format!(
            "{}/admin/flows/REGISTRATION/versions",
            app.address
        ))
        .await
        .expect("history");
    wait_for_h1(client, "Version history").await;
    click(client, "form[action$='/versions/1/rollback'] button").await;
    // The page before the click has the same heading: wait for what the rollback says.
    wait_for_text(client, "as version 3").await;
    // A new visitor, in a browser of their own.
    let fresh = open_browser().await;
    let email = register_to_after_code(&fresh, app, "Nell").await;
    wait_for_h1(&fresh, "Your account is ready").await;
    fresh.close().await.expect("close");
    assert!(stored_user_exists(app, &email).await);
}

#[tokio::test]
async fn console_tour_in_a_real_browser_without_javascript() {
    in_browser(|client, app| async move { console_tour(&client, &app).await }).await;
}
