//! Rules that two copies used to hold differently, now one engine act each: where they
//! disagreed, the stricter one holds for every way in (docs/ARCHITECTURE.md).

use crate::audit::audit_rows;
use crate::console::{ADMIN_PASSWORD, admin_browser, create_admin, fields};
use crate::helpers::*;
use reqwest::StatusCode;

async fn admin_login(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let browser = app.browser();
    let login = browser.get("/admin/login").await;
    let (status, _) = browser
        .post(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", email),
                ("password", password),
                ("next", "/admin"),
            ]),
        )
        .await;
    status
}

#[tokio::test]
async fn administrators_sign_in_as_people_do_every_outcome_audited_and_throttled() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let email = unique_email("door.admin");
    create_admin(&app, &email).await;

    // A wrong password, and an address with no administrator, are each audited (the
    // console used to audit only successes).
    assert_eq!(
        admin_login(&app, &email, "not the password").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let nobody = unique_email("door.nobody");
    assert_eq!(
        admin_login(&app, &nobody, "whatever it is").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        admin_login(&app, &email, ADMIN_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    let rows = audit_rows(&app).await;
    let seen =
        |actor: &str, action: &str| rows.iter().any(|r| r.actor == actor && r.action == action);
    let me = format!("admin:{email}");
    assert!(seen(&me, "admin.sign_in_failed"), "{rows:?}");
    assert!(seen("anonymous", "admin.sign_in_failed"), "{rows:?}");
    assert!(seen(&me, "admin.signed_in"), "{rows:?}");

    // Guessing the current password on the account page counts against the same throttle
    // as signing in (it did for people only).
    let (browser, other) = admin_browser(&app).await;
    let account = browser.get("/admin/account").await;
    let mut last = StatusCode::OK;
    for n in 0..10 {
        let (status, _) = browser
            .post(
                "/admin/account/password",
                &fields(&[
                    ("csrf_token", &account.csrf()),
                    ("current_password", &format!("guess number {n}")),
                    ("new_password", "a brand new phrase"),
                ]),
            )
            .await;
        last = status;
        if status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "guess {n}");
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        admin_login(&app, &other, ADMIN_PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the address's sign-ins wait too"
    );
}
