//! Issue 9's walk in a real browser with JavaScript off: an owner brands the pages and
//! rewrites the invitation e-mail, invites someone, the invitee registers and sees both, the
//! owner finds the invitation accepted and the account listed, disables it (its sign-in then
//! fails), and finds every step in the audit log and the funnel.

use crate::browser::{click, open_session, select, source, type_into, wait_for_h1};
use crate::helpers::*;
use fantoccini::{Client, Locator};
use std::time::Duration;

/// Waits (up to 10 s) until the page holds `text`.
async fn wait_for(client: &Client, text: &str) {
    for _ in 0..200 {
        if source(client).await.contains(text) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let page = source(client).await;
    panic!("the page never showed {text:?}: {page}");
}

async fn wait_for_url(client: &Client, part: &str) {
    for _ in 0..200 {
        let url = client.current_url().await.expect("url");
        if url.as_str().contains(part) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the address never held {part:?}");
}

async fn go(client: &Client, app: &TestApp, path: &str) {
    client
        .goto(&format!("{}{path}", app.address))
        .await
        .unwrap_or_else(|e| panic!("goto {path}: {e}"));
}

const PRODUCT: &str = "Northwind Access";
const SUBJECT: &str = "Come aboard Northwind, from { $inviter }";

async fn walk(client: &Client, app: &TestApp) {
    let owner = unique_email("browser.owner");
    crate::console::create_admin(app, &owner).await;
    go(client, app, "/admin/settings/branding").await;
    wait_for_h1(client, "Sign in to the console").await;
    type_into(client, "#email", &owner).await;
    type_into(client, "#password", crate::console::ADMIN_PASSWORD).await;
    click(client, "button[type=submit].button--primary").await;
    wait_for_h1(client, "Branding").await;

    // 1. Branding and an e-mail text.
    type_into(client, "#product_name", PRODUCT).await;
    type_into(client, "#primary_colour", "#7a2e0e").await;
    click(client, "form[action='/admin/settings/branding'] button").await;
    wait_for(client, "Branding saved").await;
    let logo = tempfile::Builder::new()
        .suffix(".png")
        .tempfile()
        .expect("logo file");
    std::fs::write(logo.path(), crate::settings::PNG).expect("write logo");
    client
        .find(Locator::Css("#logo"))
        .await
        .expect("file field")
        .send_keys(&logo.path().display().to_string())
        .await
        .expect("choose the file");
    click(
        client,
        "form[action='/admin/settings/branding/logo'] button",
    )
    .await;
    wait_for(client, "Logo uploaded").await;

    go(client, app, "/admin/settings/emails/invitation?lang=en").await;
    type_into(client, "#text-mail-invite-subject", SUBJECT).await;
    click(
        client,
        "form[action='/admin/settings/emails/invitation'] button",
    )
    .await;
    wait_for(client, "Come aboard Northwind").await;

    // 2. An invitation.
    let invitee = unique_email("browser.invitee");
    go(client, app, "/admin/invitations").await;
    wait_for_h1(client, "Invitations").await;
    type_into(client, "#email", &invitee).await;
    type_into(client, "#given_name", "Katherine").await;
    type_into(client, "#invited_by", "Dorothy").await;
    click(client, "form[action='/admin/invitations'] button").await;
    wait_for(client, "pending").await;

    // 3. The invitee's journey, with the new text and branding in the mail and on the page.
    let mail = app.last_mail(&invitee, 1).await;
    assert_eq!(mail.subject, "Come aboard Northwind, from Dorothy");
    assert!(mail.html.contains(PRODUCT), "{}", mail.html);
    assert!(mail.html.contains("/branding/logo/"), "{}", mail.html);
    assert!(mail.html.contains("background:#7a2e0e"), "{}", mail.html);
    client
        .goto(&mail.invitation_link())
        .await
        .expect("open the invitation");
    wait_for_h1(client, "You are invited").await;
    let page = source(client).await;
    assert!(page.contains(PRODUCT), "the header names the product");
    assert!(
        page.contains("class=\"brand-logo\""),
        "the header shows the logo"
    );
    assert!(
        page.contains("/branding/colour/7a2e0e.css"),
        "the colour is applied"
    );
    type_into(client, "#password", GOOD_PASSWORD).await;
    click(client, "#terms").await;
    click(client, "button[value=accept]").await;
    wait_for_h1(client, "Your account is ready").await;

    // 4. The invitation is accepted; the account is listed.
    go(client, app, "/admin/invitations").await;
    select(client, "#status", "accepted").await;
    type_into(client, "#address", &invitee).await;
    click(client, "form.inline-form button").await;
    // The unfiltered list shows the badge too: wait for the filtered page itself, or its
    // late arrival would replace the next page (seen under load).
    wait_for_url(client, "status=accepted").await;
    wait_for(client, "<span class=\"badge\">accepted</span>").await;
    go(client, app, &format!("/admin/users?q={invitee}")).await;
    // The search box holds the address too: wait for the row itself.
    wait_for(client, &format!(">{invitee}</a>")).await;
    click(client, "table a[href^='/admin/users/']").await;
    wait_for_h1(client, &invitee).await;

    // 5. Disabled, the account cannot sign in.
    click(client, "a[href$='/disable']").await;
    wait_for(client, "button--danger").await;
    click(client, "button.button--danger").await;
    wait_for(client, "badge\">Disabled<").await;
    go(client, app, "/login").await;
    wait_for_h1(client, "Sign in").await;
    type_into(client, "#email", &invitee).await;
    type_into(client, "#password", GOOD_PASSWORD).await;
    click(client, "form[action='/login'] button[type=submit]").await;
    wait_for(client, "error-summary__list").await;
    assert!(!signed_in_as(client, app).await);

    // 6. Every step is in the audit log, and the invitation in the funnel.
    go(client, app, "/admin/audit").await;
    wait_for_h1(client, "Audit log").await;
    let log = source(client).await;
    for action in [
        "settings.branding_changed",
        "settings.logo_changed",
        "message.changed",
        "invitation.sent",
        "invitation.accepted",
        "user.registered",
        "user.disabled",
        "user.sign_in_failed",
    ] {
        assert!(log.contains(action), "{action} is in the audit log");
    }
    go(client, app, "/admin/funnel?type=INVITED_USER_REGISTRATION").await;
    wait_for_h1(client, "Funnel").await;
    let funnel = source(client).await;
    assert!(funnel.contains("<svg"), "the chart is drawn");
    let completed = client
        .find(Locator::Css("#figure-completed"))
        .await
        .expect("the completed figure")
        .text()
        .await
        .expect("text");
    assert!(
        completed.trim().starts_with("1 "),
        "the invitee's journey completed: {completed}"
    );
}

/// Whether the browser's end-user session reaches /account.
async fn signed_in_as(client: &Client, app: &TestApp) -> bool {
    go(client, app, "/account").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    client
        .current_url()
        .await
        .map(|u| u.path() == "/account")
        .unwrap_or(false)
}

#[tokio::test]
async fn an_owner_runs_branding_texts_invitations_users_audit_and_funnel_in_a_real_browser() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let client = open_session(false, &[]).await;
    let outcome = tokio::spawn({
        let client = client.clone();
        async move { walk(&client, &app).await }
    })
    .await;
    client.close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
