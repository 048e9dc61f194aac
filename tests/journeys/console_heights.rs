//! How tall the console's busiest pages are in a real browser, 1280 px wide: an operator
//! must reach what they came for without scrolling through everything else. The figures
//! are printed (the closing note quotes them) and bounded.

use crate::browser::{click, open_session, type_into, wait_for_h1};
use crate::helpers::*;
use fantoccini::Client;

/// About three screens of the 1280×1000 window the suite's Chromium opens.
const THREE_SCREENS: f64 = 3000.0;

async fn height(client: &Client) -> f64 {
    client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .expect("height")
        .as_f64()
        .expect("a number")
}

/// The distance from the top of the page to the first element `css` matches.
async fn top_of(client: &Client, css: &str) -> f64 {
    client
        .execute(
            "const e = document.querySelector(arguments[0]); \
             return e ? e.getBoundingClientRect().top + window.scrollY : -1;",
            vec![serde_json::Value::from(css)],
        )
        .await
        .expect("top")
        .as_f64()
        .expect("a number")
}

async fn visit(client: &Client, app: &TestApp, path: &str, h1: &str) {
    client
        .goto(&format!("{}{path}", app.address))
        .await
        .expect("goto");
    wait_for_h1(client, h1).await;
}

#[tokio::test]
async fn texts_and_the_draft_editor_stay_within_a_few_screens() {
    let app = spawn_app().await;
    let client = open_session(true, &[]).await;
    let admin = unique_email("heights.admin");
    crate::console::create_admin(&app, &admin).await;
    visit(&client, &app, "/admin/login", "Sign in to the console").await;
    type_into(&client, "#email", &admin).await;
    type_into(&client, "#password", crate::console::ADMIN_PASSWORD).await;
    click(&client, "button[type=submit].button--primary").await;
    wait_for_h1(&client, "Console").await;

    let mut texts = Vec::new();
    for path in [
        "/admin/messages",
        "/admin/messages?group=REGISTRATION",
        "/admin/messages?group=mail",
        "/admin/messages?group=pages",
        "/admin/messages?q=password",
        "/admin/messages?missing=fr",
    ] {
        visit(&client, &app, path, "Texts and translations").await;
        texts.push((path, height(&client).await));
        if std::env::var("FLOWS_TEST_SHOTS").is_ok() {
            let png = client.screenshot().await.expect("shot");
            std::fs::write(format!("/tmp/shot-{}.png", texts.len()), png).expect("write");
        }
    }

    visit(
        &client,
        &app,
        "/admin/flows/REGISTRATION",
        "Self registration",
    )
    .await;
    click(&client, "#source-registration-otp").await;
    click(&client, "form[action$='/draft/start'] button[type=submit]").await;
    wait_for_h1(
        &client,
        "Draft of “Basic details + password + e-mail OTP verification”",
    )
    .await;
    let draft = height(&client).await;
    let first_fold = top_of(&client, "details").await;
    if std::env::var("FLOWS_TEST_SHOTS").is_ok() {
        let png = client.screenshot().await.expect("shot");
        std::fs::write("/tmp/shot-draft.png", png).expect("write");
    }
    client.close().await.expect("close browser");

    eprintln!(
        "heights at 1280 px: {texts:?}; draft editor {draft} px, its first folded section \
         at {first_fold} px"
    );
    for (path, h) in texts {
        assert!(h < THREE_SCREENS, "{path} is {h} px tall");
    }
    assert!(draft < THREE_SCREENS, "the draft editor is {draft} px tall");
    assert!(
        (0.0..THREE_SCREENS).contains(&first_fold),
        "the draft editor's first folded section is at {first_fold} px"
    );
}
