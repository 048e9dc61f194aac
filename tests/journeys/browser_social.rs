//! Chromium, JavaScript off, through the journeys of codes by text message and sign-up
//! through a real OpenID Connect provider: the page that moves on by itself (no script, and
//! no redirect answering a form may leave the site under the pages' policy), the provider's
//! own pages, and the way back.

use crate::browser::{click, open_session, type_into, wait_for_h1};
use crate::helpers::*;

#[tokio::test]
async fn sign_up_through_a_provider_in_a_real_browser_without_javascript() {
    // The provider lives (and serves) until the end of the test.
    let crate::social::Setup {
        app,
        provider: _provider,
    } = crate::social::setup().await;
    let email = unique_email("browser.social");
    let client = open_session(false, &[]).await;
    let walk = {
        let client = client.clone();
        let address = app.address.clone();
        let email = email.clone();
        tokio::spawn(async move {
            client
                .goto(&format!("{address}/register"))
                .await
                .expect("goto");
            wait_for_h1(&client, "Create your account").await;
            click(&client, "button[value=social]").await;
            // The provider's own sign-in page, reached without a script.
            for _ in 0..100 {
                if client
                    .current_url()
                    .await
                    .is_ok_and(|u| !u.as_str().starts_with(&address))
                {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            client
                .wait()
                .for_element(fantoccini::Locator::Css("input[name=login]"))
                .await
                .expect("the provider's sign-in form");
            type_into(&client, "input[name=login]", &email).await;
            type_into(&client, "input[name=password]", "any password").await;
            click(&client, "button[type=submit]").await;
            client
                .wait()
                .for_element(fantoccini::Locator::Css(
                    "input[name=prompt][value=consent]",
                ))
                .await
                .expect("the provider's consent form");
            click(&client, "button[type=submit]").await;
            wait_for_h1(&client, "Complete your profile").await;
            click(&client, "#terms").await;
            click(&client, "button[value=create]").await;
            wait_for_h1(&client, "Your account is ready").await;
        })
    };
    let outcome = walk.await;
    client.close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
    let user = app
        .store()
        .await
        .user_by_email(&email)
        .await
        .unwrap()
        .expect("the account");
    assert!(user.email_verified);
}

#[tokio::test]
async fn a_texted_code_in_a_real_browser_without_javascript() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let mut def = template_json("registration-phone-otp");
    def["defaultRegion"] = serde_json::json!("GB");
    app.publish(&valid_definition(def)).await;
    let email = unique_email("browser.sms");
    let client = open_session(false, &[]).await;
    let walk = {
        let client = client.clone();
        let app_address = app.address.clone();
        let sms_dir = app.settings.sms_dir.clone();
        let email = email.clone();
        let mail = app.mail.clone();
        tokio::spawn(async move {
            client
                .goto(&format!("{app_address}/register"))
                .await
                .expect("goto");
            wait_for_h1(&client, "Create your account").await;
            type_into(&client, "#given_name", "Grace").await;
            type_into(&client, "#email", &email).await;
            type_into(&client, "#phone", "07400 123456").await;
            type_into(&client, "#password", GOOD_PASSWORD).await;
            click(&client, "#terms").await;
            click(&client, "button[value=continue]").await;
            wait_for_h1(&client, "Check your phone").await;
            let mut code = String::new();
            for _ in 0..200 {
                if let Some(text) = std::fs::read_dir(&sms_dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .find(|t| t.starts_with("To: +447400123456"))
                {
                    code = text
                        .lines()
                        .nth(2)
                        .and_then(|l| l.split_whitespace().next())
                        .unwrap_or_default()
                        .to_owned();
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            assert_eq!(code.len(), 6, "a six-digit code");
            type_into(&client, "#otp", &code).await;
            click(&client, "button[value=verify]").await;
            wait_for_h1(&client, "Check your e-mail").await;
            let mail_code = loop {
                if let Some(mail) = mails_in(&mail, &email).pop() {
                    break mail.code();
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            };
            type_into(&client, "#otp", &mail_code).await;
            click(&client, "button[value=verify]").await;
            wait_for_h1(&client, "Your account is ready").await;
        })
    };
    let outcome = walk.await;
    client.close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
