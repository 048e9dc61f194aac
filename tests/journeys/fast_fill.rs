//! A quick person in a real browser (JavaScript off): autofill or a password manager fills
//! and sends every form 100 ms after it loads, under the production minimum fill time. Each
//! journey completes, at most one form per journey is shown again (with what was typed
//! kept, but the password), and the code and the steps after a proven address never are.

use crate::browser::{click, h1, open_session, type_into, wait_for_h1};
use crate::helpers::*;
use fantoccini::{Client, Locator};
use flows::config::Settings;
use std::time::Duration;

/// As quick as autofill: the form is sent this long after its page loaded.
const AFTER_LOAD: Duration = Duration::from_millis(100);
const HELD: &str = "Please check what you entered, then press the button again.";

/// One form as the quick person fills it: text fields (`#id`, value), boxes to tick, the
/// button, and the heading that proves the form went through.
struct Form<'a> {
    fill: &'a [(&'a str, &'a str)],
    tick: &'a [&'a str],
    button: &'a str,
    next: &'a str,
}

async fn value(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("field {css}"))
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

async fn checked(client: &Client, css: &str) -> bool {
    let field = client.find(Locator::Css(css)).await.expect("checkbox");
    field.prop("checked").await.expect("checked").as_deref() == Some("true")
}

async fn is_password(client: &Client, css: &str) -> bool {
    let field = client.find(Locator::Css(css)).await.expect("field");
    field.attr("type").await.expect("type").as_deref() == Some("password")
}

/// Sends `form` 100 ms after its page loaded, and once more if it comes back held.
/// Returns how many extra presses it took.
async fn send_quickly(client: &Client, form: &Form<'_>) -> usize {
    tokio::time::sleep(AFTER_LOAD).await;
    for (css, text) in form.fill {
        type_into(client, css, text).await;
    }
    for css in form.tick {
        click(client, css).await;
    }
    click(client, form.button).await;
    for _ in 0..200 {
        let heading = h1(client).await;
        if heading == form.next {
            return 0;
        }
        let source = client.source().await.unwrap_or_default();
        if source.contains(HELD) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        client.source().await.unwrap_or_default().contains(HELD),
        "neither {:?} nor the held form",
        form.next
    );
    // Held: everything typed is still there but the password, which is typed again.
    for (css, text) in form.fill {
        if is_password(client, css).await {
            assert_eq!(value(client, css).await, "", "{css} is never sent back");
            type_into(client, css, text).await;
        } else {
            assert_eq!(value(client, css).await, *text, "{css} kept");
        }
    }
    for css in form.tick {
        assert!(checked(client, css).await, "{css} kept");
    }
    tokio::time::sleep(AFTER_LOAD).await;
    click(client, form.button).await;
    wait_for_h1(client, form.next).await;
    1
}

/// Registers `email` quickly; returns the extra presses.
async fn registration(client: &Client, app: &TestApp, email: &str) -> usize {
    let url = format!("{}/register", app.address);
    client.goto(&url).await.expect("goto");
    wait_for_h1(client, "Create your account").await;
    let mut extra = send_quickly(
        client,
        &Form {
            fill: &[
                ("#given_name", "Grace"),
                ("#email", email),
                ("#password", GOOD_PASSWORD),
            ],
            tick: &["#terms"],
            button: "button[value=continue]",
            next: CODE_PAGE,
        },
    )
    .await;
    let code = app.last_mail(email, 1).await.code();
    extra += send_quickly(
        client,
        &Form {
            fill: &[("#otp", &code)],
            tick: &[],
            button: "button[value=verify]",
            next: DONE,
        },
    )
    .await;
    assert!(stored_user_exists(app, email).await);
    assert_eq!(app.mails_to(email).len(), 1, "one code, however quick");
    extra
}

/// Recovers the account of `email` (registered, one mail so far) quickly.
async fn recovery(client: &Client, app: &TestApp, email: &str) -> usize {
    let url = format!("{}/recover", app.address);
    client.goto(&url).await.expect("goto");
    wait_for_h1(client, "Reset your password").await;
    let mut extra = send_quickly(
        client,
        &Form {
            fill: &[("#login", email)],
            tick: &[],
            button: "button[value=continue]",
            next: "Check your e-mail",
        },
    )
    .await;
    let link = app.last_mail(email, 2).await.link();
    client.goto(&link).await.expect("open link");
    wait_for_h1(client, "Confirm your e-mail address").await;
    tokio::time::sleep(AFTER_LOAD).await;
    click(client, "button[type=submit].button--primary").await;
    wait_for_h1(client, "Choose a new password").await;
    extra += send_quickly(
        client,
        &Form {
            fill: &[("#password", "a brand new passphrase for me")],
            tick: &[],
            button: "button[value=save]",
            next: "Your password has been changed",
        },
    )
    .await;
    extra
}

async fn invitation(client: &Client, app: &TestApp) -> usize {
    let email = unique_email("quick.invite");
    app.invite(&email, Default::default(), "Dorothy").await;
    let link = app.last_mail(&email, 1).await.invitation_link();
    client.goto(&link).await.expect("open invitation");
    wait_for_h1(client, "You are invited").await;
    let extra = send_quickly(
        client,
        &Form {
            fill: &[("#given_name", "Katherine"), ("#password", GOOD_PASSWORD)],
            tick: &["#terms"],
            button: "button[value=accept]",
            next: DONE,
        },
    )
    .await;
    assert!(stored_user_exists(app, &email).await);
    extra
}

#[tokio::test]
async fn a_browser_that_sends_every_form_100_ms_after_it_loads_completes_every_journey() {
    let app = spawn_app_with(Options {
        smtp: true,
        // The production default, twenty times what this person takes.
        form_min_fill_ms: Some(2_000),
        ..Options::default()
    })
    .await;
    assert_eq!(Settings::default().form_min_fill_ms, 2_000);
    let client = open_session(false, &[]).await;
    let walk = {
        let client = client.clone();
        async move {
            let email = unique_email("quick");
            let extra = [
                ("registration", registration(&client, &app, &email).await),
                ("recovery", recovery(&client, &app, &email).await),
                ("invitation", invitation(&client, &app).await),
            ];
            // Only the forms that ask for an account or a mail are ever held, and once at
            // most (a slow machine may take the whole minimum to type: then none is held).
            println!("extra presses: {extra:?}");
            for (journey, presses) in &extra {
                assert!(*presses <= 1, "{journey}: {presses} extra presses");
            }
            assert_eq!(
                extra[2].1, 0,
                "an invitation proves the address: never held"
            );
        }
    };
    let outcome = tokio::spawn(walk).await;
    client.close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
