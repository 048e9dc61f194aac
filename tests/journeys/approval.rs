//! Registrations that wait for an administrator (`RequireApproval`): the starter templates
//! through the hosted pages and the execution API, the person's mails in their language, no
//! sign-in until approved, and a rejected account gone.

use crate::api::{Api, component_ids, details as api_details};
use crate::helpers::*;
use flows::engine::{Actor, Decided, Decision, ReasonProblem};
use reqwest::StatusCode;
use serde_json::json;

const WAITING: &str = "Thank you: your request is waiting for approval";

fn outside_address(label: &str) -> String {
    format!(
        "{label}.{}@partner.example.org",
        uuid::Uuid::new_v4().simple()
    )
}

async fn app_with(template: &'static str) -> TestApp {
    spawn_app_with(Options {
        smtp: true,
        template: Some(template),
        ..Options::default()
    })
    .await
}

/// Registers `email` through the hosted pages (in `language`, when given) up to the end page.
async fn register(app: &TestApp, email: &str, language: Option<&str>) -> (Browser, Page) {
    let mut browser = app.browser();
    browser.accept_language = language.map(str::to_owned);
    let before = app.mails_to(email).len();
    let page = browser.get("/register").await;
    let (status, page) = browser
        .press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("enter_code"), "{}", page.html);
    let code = app.last_mail(email, before + 1).await.code();
    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    (browser, page)
}

#[tokio::test]
async fn company_addresses_go_straight_in_and_others_wait_until_approved() {
    let app = app_with("registration-domains-approval").await;

    // An address at the company's domain is ready at once, and signed in.
    let insider = unique_email("approval.insider");
    let (browser, page) = register(&app, &insider, None).await;
    assert_eq!(page.h1(), DONE);
    assert!(signed_in(&browser).await);

    // Anyone else sees that they wait, is not signed in, and is told by mail.
    let outsider = outside_address("approval.outsider");
    let (browser, page) = register(&app, &outsider, None).await;
    assert_eq!(page.h1(), WAITING, "{}", page.html);
    assert!(!signed_in(&browser).await);
    let told = app.last_mail(&outsider, 2).await;
    assert!(
        told.subject.contains("is waiting for approval"),
        "{}",
        told.subject
    );
    let user = app
        .store()
        .await
        .user_by_email(&outsider.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.status, "PENDING_APPROVAL");

    // Signing in is refused like any wrong sign-in: nothing says the account exists.
    let (status, page) = sign_in(&app, &outsider, GOOD_PASSWORD).await;
    assert_ne!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let (_, wrong) = sign_in(&app, &outsider, "not the password at all").await;
    assert_eq!(page.summary(), wrong.summary());

    // Approved: told by mail, and the password works.
    let engine = app.engine().await;
    let decided = engine
        .decide_approval(user.id, &Decision::Approve, &Actor::cli())
        .await
        .unwrap();
    assert_eq!(decided, Ok(Decided::Approved));
    let approved = app.last_mail(&outsider, 3).await;
    assert!(
        approved.subject.contains("is approved"),
        "{}",
        approved.subject
    );
    assert!(approved.text.contains("/login"), "{}", approved.text);
    let (status, page) = sign_in(&app, &outsider, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    // Deciding twice finds nothing waiting.
    let again = engine
        .decide_approval(user.id, &Decision::Approve, &Actor::cli())
        .await
        .unwrap();
    assert_eq!(again, Ok(Decided::NotWaiting));
}

#[tokio::test]
async fn a_rejection_needs_a_reason_reaches_the_person_in_their_language_and_frees_the_address() {
    let app = app_with("registration-approval").await;
    let email = unique_email("approval.refused");
    let (_, page) = register(&app, &email, Some("fr")).await;
    assert_eq!(page.h1(), "Merci : votre demande attend une validation");
    let waiting_mail = app.last_mail(&email, 2).await;
    assert!(
        waiting_mail.subject.contains("attend une validation"),
        "{}",
        waiting_mail.subject
    );

    let engine = app.engine().await;
    let (queue, total) = engine.approval_queue(50, 0).await.unwrap();
    assert_eq!(total, 1);
    let user = &queue[0];
    assert_eq!(user.email, email);
    assert_eq!(user.locale.as_deref(), Some("fr"));

    for (reason, problem) in [
        ("  ", ReasonProblem::Missing),
        (&*"x".repeat(1001), ReasonProblem::TooLong),
    ] {
        let refused = engine
            .decide_approval(
                user.id,
                &Decision::Reject {
                    reason: reason.into(),
                },
                &Actor::cli(),
            )
            .await
            .unwrap();
        assert_eq!(refused, Err(problem));
    }
    assert_eq!(
        engine.approval_queue(50, 0).await.unwrap().1,
        1,
        "nothing changed"
    );

    let rejected = engine
        .decide_approval(
            user.id,
            &Decision::Reject {
                reason: "Nous n'ouvrons de comptes qu'aux partenaires.".into(),
            },
            &Actor::cli(),
        )
        .await
        .unwrap();
    assert_eq!(rejected, Ok(Decided::Rejected));
    let mail = app.last_mail(&email, 3).await;
    assert!(
        mail.subject.contains("n'a pas été validée"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text
            .contains("Nous n'ouvrons de comptes qu'aux partenaires."),
        "{}",
        mail.text
    );
    assert!(
        !stored_user_exists(&app, &email).await,
        "the account is gone"
    );
    let audit = app.store().await.recent_audit(20).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"user.approval_required"), "{actions:?}");
    assert!(actions.contains(&"user.rejected"), "{actions:?}");

    // The address may register again.
    let (_, page) = register(&app, &email, None).await;
    assert_eq!(page.h1(), WAITING);
}

#[tokio::test]
async fn the_execution_api_reports_an_account_that_waits() {
    let app = app_with("registration-approval").await;
    let api = Api::new(&app);
    let email = unique_email("approval.api");
    let first = api.start("REGISTRATION").await;
    let code_view = api.press(&first, "continue", api_details(&email)).await;
    assert!(component_ids(&code_view).contains(&"otp".to_owned()));
    let code = app.last_mail(&email, 1).await.code();
    let done = api.press(&code_view, "verify", json!({"otp": code})).await;
    assert_eq!(done["flowStatus"], "COMPLETE", "{done}");
    assert_eq!(
        done["data"]["additionalData"]["accountStatus"], "PENDING_APPROVAL",
        "{done}"
    );

    // A registration that needs no approval says nothing of the kind.
    let plain = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let api = Api::new(&plain);
    let email = unique_email("approval.none");
    let first = api.start("REGISTRATION").await;
    let code_view = api.press(&first, "continue", api_details(&email)).await;
    let code = plain.last_mail(&email, 1).await.code();
    let done = api.press(&code_view, "verify", json!({"otp": code})).await;
    assert_eq!(done["flowStatus"], "COMPLETE");
    assert!(
        done["data"]["additionalData"]
            .get("accountStatus")
            .is_none()
    );
}
