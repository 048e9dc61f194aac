//! The approval queue end to end: people register through the hosted pages with the
//! `registration-approval` starter template and wait; an operator approves and rejects them in
//! the console (`/admin/approvals`), or a script does through the management API with a token.
//! Each decision mails the person and is audited; an approved account signs in, a rejected one
//! is gone.

use crate::console::{admin_browser, fields, operator_browser};
use crate::helpers::*;
use crate::manage_api::create_token;
use reqwest::StatusCode;
use serde_json::{Value, json};

const WAITING: &str = "Thank you: your request is waiting for approval";
const QUEUE: &str = "/admin/approvals";

async fn approval_app() -> TestApp {
    spawn_app_with(Options {
        template: Some("registration-approval"),
        smtp: true,
        ..Options::default()
    })
    .await
}

/// Registers `email` through the hosted pages, code and all; the account then waits. The
/// person has two mails: the code, and "waiting for approval".
async fn register_and_wait(app: &TestApp, given: &str, email: &str) {
    let browser = app.browser();
    let page = to_code_page(&browser, given, email).await;
    let code = app.last_mail(email, 1).await.code();
    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), WAITING, "{}", page.html);
    let waiting = app.last_mail(email, 2).await;
    assert!(
        waiting.subject.contains("waiting for approval"),
        "{}",
        waiting.subject
    );
    // Waiting is not signed in, and cannot sign in.
    assert!(!signed_in(&browser).await);
    let (status, _) = sign_in(app, email, GOOD_PASSWORD).await;
    assert_ne!(
        status,
        StatusCode::SEE_OTHER,
        "{email} signed in while waiting"
    );
}

/// The row of the queue page for `email`: its account id.
fn row_id(page: &Page, email: &str) -> String {
    let doc = page.doc();
    let rows = scraper::Selector::parse("tr[id^=account-]").unwrap();
    doc.select(&rows)
        .find(|row| row.text().any(|t| t.trim() == email))
        .and_then(|row| row.value().attr("id"))
        .map(|id| id.trim_start_matches("account-").to_owned())
        .unwrap_or_else(|| panic!("{email} is not in the queue: {}", page.html))
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    app.engine()
        .await
        .recent_audit(100)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.actor))
        .collect()
}

#[tokio::test]
async fn an_operator_approves_one_account_and_rejects_another_with_a_reason() {
    let app = approval_app().await;
    let ada = unique_email("ada.waits");
    let bob = unique_email("bob.waits");
    register_and_wait(&app, "Ada", &ada).await;
    register_and_wait(&app, "Bob", &bob).await;

    let (owner, _) = admin_browser(&app).await;
    let (operator, operator_email, home) = operator_browser(&app, &owner).await;
    // The home says how many wait, linking to the queue; the navigation leads there too.
    assert_eq!(
        home.text_of(&format!("#today a[href='{QUEUE}']")),
        "2 accounts wait for approval"
    );
    assert!(home.exists(".site-nav a[href='/admin/approvals']"));

    let queue = operator.get(QUEUE).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.html);
    assert_eq!(queue.h1(), "Approvals");
    assert!(queue.html.contains("2 accounts wait"), "{}", queue.html);
    let ada_id = row_id(&queue, &ada);
    let bob_id = row_id(&queue, &bob);
    // Oldest first, with the name, when and the language.
    let rows = queue.select_all("tr[id^=account-] td:nth-child(1)");
    assert_eq!(rows, vec![ada.clone(), bob.clone()]);
    let ada_row = queue.select_all(&format!("#account-{ada_id} td"));
    assert_eq!(ada_row[1], "Ada Lovelace");
    assert!(ada_row[2].ends_with("UTC"), "{ada_row:?}");
    assert!(ada_row[3].contains("(en)"), "{ada_row:?}");
    // The reason field is labelled and bounded.
    let reason = format!("#reason-{bob_id}");
    assert_eq!(queue.attr(&reason, "maxlength").as_deref(), Some("1000"));
    assert!(queue.exists(&format!("label[for=reason-{bob_id}]")));

    // The user's page says it waits, in words, and links to the queue.
    let user = operator.get(&format!("/admin/users/{ada_id}")).await;
    assert!(user.html.contains("Waiting for approval"), "{}", user.html);
    assert!(user.exists("a[href^='/admin/approvals']"));
    // So does the list of users, each waiting one linking to its place in the queue.
    let users = operator.get("/admin/users").await;
    assert!(
        users.exists(&format!("a[href='/admin/approvals#account-{ada_id}']")),
        "{}",
        users.html
    );

    // Approve Ada: a notice, her mail, and she signs in.
    let (status, after) = operator
        .post(
            &format!("{QUEUE}/{ada_id}/approve"),
            &fields(&[("csrf_token", &queue.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        after.notice().as_deref(),
        Some(format!("Approved {ada}.").as_str())
    );
    assert!(
        !after.exists(&format!("#account-{ada_id}")),
        "{}",
        after.html
    );
    assert!(after.html.contains("1 account waits"), "{}", after.html);
    let approved = app.last_mail(&ada, 3).await;
    assert!(
        approved.subject.starts_with("Your ") && approved.subject.ends_with("account is approved"),
        "{}",
        approved.subject
    );
    let (status, _) = sign_in(&app, &ada, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "Ada signs in once approved");
    // Approving again: someone decided already.
    let (status, again) = operator
        .post(
            &format!("{QUEUE}/{ada_id}/approve"),
            &fields(&[("csrf_token", &after.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.notice().as_deref(),
        Some("Someone decided on this account already.")
    );

    // Reject Bob without a reason: refused beside his reason field, nothing changed.
    let refused = operator
        .post_raw(
            &format!("{QUEUE}/{bob_id}/reject"),
            &fields(&[("csrf_token", &again.csrf()), ("reason", "   ")]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.field_error(&format!("reason-{bob_id}")).as_deref(),
        Some("Error: Say why, so that the person knows.")
    );
    assert_eq!(
        refused.summary(),
        vec!["Say why, so that the person knows."]
    );
    crate::console::assert_summary_links_resolve(&refused);
    assert!(stored_user_exists(&app, &bob).await);
    assert_mail_count_stays(&app, &bob, 2).await;
    // Too long: refused too, the typed reason kept.
    let long = "x".repeat(1001);
    let refused = operator
        .post_raw(
            &format!("{QUEUE}/{bob_id}/reject"),
            &fields(&[("csrf_token", &again.csrf()), ("reason", &long)]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.text_of(&format!("#reason-{bob_id}")), long);
    assert!(
        refused
            .field_error(&format!("reason-{bob_id}"))
            .is_some_and(|e| e.contains("1,000"))
    );
    assert!(stored_user_exists(&app, &bob).await);

    // With a reason: he is told it, and the account is gone.
    let why = "We only open accounts for our partners' staff.";
    let (status, after) = operator
        .post(
            &format!("{QUEUE}/{bob_id}/reject"),
            &fields(&[("csrf_token", &refused.csrf()), ("reason", why)]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        after.notice().as_deref(),
        Some(format!("Rejected {bob}.").as_str())
    );
    assert!(
        after.html.contains("No account waits for approval"),
        "{}",
        after.html
    );
    let rejected = app.last_mail(&bob, 3).await;
    assert!(rejected.text.contains(why), "{}", rejected.text);
    assert!(!stored_user_exists(&app, &bob).await);
    // Rejecting again, as from a page opened before: someone decided already.
    let (status, again) = operator
        .post(
            &format!("{QUEUE}/{bob_id}/reject"),
            &fields(&[("csrf_token", &after.csrf()), ("reason", why)]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.notice().as_deref(),
        Some("Someone decided on this account already.")
    );
    assert_mail_count_stays(&app, &bob, 3).await;

    let audit = audit_actions(&app).await;
    let by_operator = format!("admin:{operator_email}");
    for action in ["user.approved", "user.rejected"] {
        assert!(
            audit
                .iter()
                .any(|(a, who)| a == action && *who == by_operator),
            "{action} by {by_operator} not in {audit:?}"
        );
    }
    // Nothing waits: the home says nothing about approvals.
    let home = operator.get("/admin").await;
    assert!(
        !home.exists(&format!("#today a[href='{QUEUE}']")),
        "{}",
        home.html
    );
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let client = reqwest::Client::new();
    let mut req = client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Holds answers to the served OpenAPI document's schemas (`#/components/schemas/NAME`).
struct Schemas {
    registry: jsonschema::Registry<'static>,
}

impl Schemas {
    const BASE: &'static str = "urn:flows:openapi";

    async fn fetch(app: &TestApp) -> Self {
        let doc: Value = reqwest::get(format!("{}/api/openapi.json", app.address))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let registry = jsonschema::Registry::new()
            .add(Self::BASE, doc)
            .unwrap()
            .prepare()
            .unwrap();
        Self { registry }
    }

    fn assert_valid(&self, name: &str, instance: &Value) {
        let wrapper = json!({"$ref": format!("{}#/components/schemas/{name}", Self::BASE)});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(&wrapper)
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{instance} is not a {name}: {errors:?}");
    }
}

#[tokio::test]
async fn a_token_approves_and_rejects_through_the_management_api() {
    let app = approval_app().await;
    let ada = unique_email("ada.api");
    let bob = unique_email("bob.api");
    register_and_wait(&app, "Ada", &ada).await;
    register_and_wait(&app, "Bob", &bob).await;
    let token = create_token(&app, "approver").await;
    use reqwest::Method;

    // Without a token: refused like every management route.
    let (status, body) = call(&app, Method::GET, "/api/v1/approvals", "nope", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "FM-40100");

    let (status, queue) = call(&app, Method::GET, "/api/v1/approvals", &token, None).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue["total"], 2);
    let accounts = queue["accounts"].as_array().unwrap();
    assert_eq!(accounts[0]["email"], ada.as_str());
    assert_eq!(accounts[1]["email"], bob.as_str());
    assert_eq!(accounts[0]["attributes"]["given_name"], "Ada");
    assert_eq!(accounts[0]["locale"], "en");
    assert!(accounts[0]["registeredAt"].as_str().unwrap().contains('T'));
    let schemas = Schemas::fetch(&app).await;
    schemas.assert_valid("ApprovalQueue", &queue);
    let ada_id = accounts[0]["id"].as_str().unwrap().to_owned();
    let bob_id = accounts[1]["id"].as_str().unwrap().to_owned();
    // Paged: the total stays, one account a page.
    let (status, second) = call(
        &app,
        Method::GET,
        "/api/v1/approvals?limit=1&offset=1",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second["total"], 2);
    assert_eq!(second["accounts"][0]["email"], bob.as_str());
    assert_eq!(second["accounts"].as_array().unwrap().len(), 1);
    let (status, body) = call(&app, Method::GET, "/api/v1/approvals?limit=0", &token, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "FM-40005");
    schemas.assert_valid("FmError", &body);

    let approve = format!("/api/v1/approvals/{ada_id}/approve");
    let (status, body) = call(&app, Method::POST, &approve, &token, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"status": "APPROVED"}));
    schemas.assert_valid("Decided", &body);
    let approved = app.last_mail(&ada, 3).await;
    assert!(
        approved.subject.ends_with("account is approved"),
        "{}",
        approved.subject
    );
    let (status, _) = sign_in(&app, &ada, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, body) = call(&app, Method::POST, &approve, &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40405");
    schemas.assert_valid("FmError", &body);

    let reject = format!("/api/v1/approvals/{bob_id}/reject");
    for (sent, code) in [
        (json!({}), "FM-40003"),
        (json!({"reason": "  "}), "FM-40003"),
        (json!({"reason": "x".repeat(1001)}), "FM-40004"),
        (json!({"reason": 7}), "FM-40002"),
    ] {
        let (status, body) = call(&app, Method::POST, &reject, &token, Some(sent)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["code"], code, "{body}");
        schemas.assert_valid("FmError", &body);
    }
    assert!(stored_user_exists(&app, &bob).await);
    let why = "Only staff of our partners.";
    let (status, body) = call(
        &app,
        Method::POST,
        &reject,
        &token,
        Some(json!({"reason": why})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"status": "REJECTED"}));
    schemas.assert_valid("Decided", &body);
    let rejected = app.last_mail(&bob, 3).await;
    assert!(rejected.text.contains(why), "{}", rejected.text);
    assert!(!stored_user_exists(&app, &bob).await);
    let (status, body) = call(
        &app,
        Method::POST,
        &reject,
        &token,
        Some(json!({"reason": why})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40405");
    let (status, body) = call(
        &app,
        Method::POST,
        "/api/v1/approvals/not-an-id/approve",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40405");
    let (status, body) = call(
        &app,
        Method::GET,
        "/api/v1/approvals/elsewhere",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40404");

    let (_, queue) = call(&app, Method::GET, "/api/v1/approvals", &token, None).await;
    assert_eq!(queue, json!({"total": 0, "accounts": []}));
    let audit = audit_actions(&app).await;
    for action in ["user.approved", "user.rejected"] {
        assert!(
            audit
                .iter()
                .any(|(a, who)| a == action && who == "token:approver"),
            "{action} by the token not in {audit:?}"
        );
    }
}
