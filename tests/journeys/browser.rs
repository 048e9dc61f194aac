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
    let profile = tempfile::tempdir().expect("profile dir").keep();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("FLOWS_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())],
            // The product promises to work without JavaScript: prove it with JavaScript off.
            "prefs": {"profile.managed_default_content_settings.javascript": 2}
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
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
async fn h1(client: &Client) -> String {
    match client.find(Locator::Css("h1")).await {
        Ok(h1) => h1.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("field {css}"));
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("button {css}"))
        .click()
        .await
        .expect("click");
}

async fn wait_for_h1(client: &Client, expected: &str) {
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
    app.engine()
        .await
        .invite(&email, prefill, "Dorothy", flows::i18n::Locale::En)
        .await
        .expect("invite");
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
