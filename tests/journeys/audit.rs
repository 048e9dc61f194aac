//! The audit log as end users fill it: every security-relevant event, with the client address
//! it came from and the execution it belongs to, and never a password, code or token.

use crate::console::admin_browser;
use crate::helpers::*;
use flows::store::{AuditFilter, AuditRow};
use reqwest::StatusCode;

const NEW_PASSWORD: &str = "a brand new passphrase for me";

/// Every entry so far, oldest first.
pub(crate) async fn audit_rows(app: &TestApp) -> Vec<AuditRow> {
    let filter = AuditFilter {
        who: String::new(),
        action: String::new(),
        from: time::OffsetDateTime::UNIX_EPOCH,
        // Far enough ahead for a test that moved its clock on by days.
        to: time::OffsetDateTime::now_utc() + time::Duration::days(400),
    };
    let mut rows = app
        .store()
        .await
        .search_audit(&filter, 10_000, 0)
        .await
        .expect("audit rows");
    rows.reverse();
    rows
}

fn detail(row: &AuditRow) -> serde_json::Value {
    serde_json::from_str(&row.detail).expect("detail is JSON")
}

/// The entries of `action`, checked to name the test client's address.
fn entries<'a>(rows: &'a [AuditRow], action: &str) -> Vec<&'a AuditRow> {
    let found: Vec<&AuditRow> = rows.iter().filter(|r| r.action == action).collect();
    assert!(
        !found.is_empty(),
        "{action} is not in the log: {:#?}",
        rows.iter().map(|r| &r.action).collect::<Vec<_>>()
    );
    for row in &found {
        assert_eq!(detail(row)["ip"], "127.0.0.1", "{action}: {}", row.detail);
    }
    found
}

/// The entries of `action`, each naming the execution it belongs to.
fn execution_entries<'a>(rows: &'a [AuditRow], action: &str) -> Vec<(&'a AuditRow, String)> {
    entries(rows, action)
        .into_iter()
        .map(|row| {
            let execution = detail(row)["execution"]
                .as_str()
                .unwrap_or_else(|| panic!("{action} names no execution: {}", row.detail))
                .to_owned();
            assert_eq!(row.actor, format!("execution:{execution}"));
            (row, execution)
        })
        .collect()
}

/// Opens an e-mailed link's landing page and presses its button; the page it leads to.
pub async fn confirm_link(browser: &Browser, link: &str) -> Page {
    let landing = browser.get(link).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.html);
    let (_, page) = press_link(browser, &landing, link).await;
    page
}

#[tokio::test]
async fn registration_and_recovery_are_audited_with_address_and_execution_and_no_secret() {
    let app = spawn_app().await;
    let email = unique_email("audited");
    let browser = app.browser();
    let page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();
    let (status, _) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Recovery by link, on another device.
    let other = app.browser();
    let page = other.get("/recover").await;
    let (status, _) = other.press(&page, "continue", &[("login", &email)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mail = app.last_mail(&email, 2).await;
    let link = mail.link();
    let page = confirm_link(&other, &link).await;
    assert_eq!(page.h1(), "Choose a new password");
    let (status, page) = other
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);

    // And for an address without an account: audited, yet the page says the same.
    let stranger = app.browser();
    let page = stranger.get("/recover").await;
    let (status, asked) = stranger
        .press(&page, "continue", &[("login", &unique_email("nobody"))])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(asked.h1(), "Check your e-mail");

    let rows = audit_rows(&app).await;
    let user = app
        .store()
        .await
        .user_by_email(&email.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    let about_user = Some(format!("user:{}", user.id));

    let (_, registration) = execution_entries(&rows, "email.verified_by_code")[0].clone();
    let registered = execution_entries(&rows, "user.registered");
    assert_eq!(registered[0].1, registration, "the same execution");
    assert_eq!(registered[0].0.subject, about_user);

    let requested = execution_entries(&rows, "recovery.requested");
    assert_eq!(requested.len(), 2);
    assert_eq!(requested[0].0.subject, about_user);
    let recovery = requested[0].1.clone();
    assert_ne!(recovery, registration);
    assert_eq!(requested[1].0.subject, None, "no account named");
    let (_, unknown) = execution_entries(&rows, "recovery.no_active_account")[0].clone();
    assert_eq!(unknown, requested[1].1);
    assert_eq!(
        execution_entries(&rows, "email.verified_by_link")[0].1,
        recovery
    );
    let reset = execution_entries(&rows, "user.password_reset");
    assert_eq!(reset[0].1, recovery);
    assert_eq!(reset[0].0.subject, about_user);

    // The whole log, every field, holds none of what was secret.
    let token = link.split("token=").nth(1).unwrap();
    for row in &rows {
        let text = format!(
            "{} {} {:?} {}",
            row.actor, row.action, row.subject, row.detail
        );
        for secret in [code.as_str(), GOOD_PASSWORD, NEW_PASSWORD, token] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }

    // The console's log shows where each came from and which execution.
    let (admin, _) = admin_browser(&app).await;
    let log = admin.get("/admin/audit?action=user.password_reset").await;
    assert_eq!(log.status, StatusCode::OK);
    let cells = log.select_all("tbody tr td");
    assert!(cells.iter().any(|c| c == "127.0.0.1"), "{cells:?}");
    assert!(cells.contains(&recovery), "{cells:?}");
}

#[tokio::test]
async fn sign_ins_failures_and_lockouts_are_audited_with_the_address() {
    let app = spawn_app().await;
    let email = unique_email("signs.in");
    register_fully(&app, "Ada", &email).await;
    let (status, _) = sign_in(&app, &email, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    let mut last = StatusCode::OK;
    for _ in 0..10 {
        last = browser
            .post_raw("/login", &sign_in_form(&csrf, &email, "not the password"))
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);

    let rows = audit_rows(&app).await;
    for action in [
        "user.signed_in",
        "user.sign_in_failed",
        "user.sign_in_locked_out",
    ] {
        assert!(entries(&rows, action)[0].subject.is_some(), "{action}");
    }
    assert!(
        rows.iter()
            .all(|r| !r.detail.contains("not the password") && !r.detail.contains(GOOD_PASSWORD))
    );
}

#[tokio::test]
async fn invitations_are_audited_when_sent_and_when_accepted() {
    let app = spawn_app().await;
    let (admin, admin_email) = admin_browser(&app).await;
    let email = unique_email("invited.audit");
    let page = admin.get("/admin/invitations").await;
    let (status, _) = admin
        .post(
            "/admin/invitations",
            &[
                ("csrf_token".into(), page.csrf()),
                ("email".into(), email.clone()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let link = app.last_mail(&email, 1).await.invitation_link();
    let browser = app.browser();
    let page = browser.get(&link).await;
    let (status, page) = browser
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Ada"),
                ("password", GOOD_PASSWORD),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);

    let rows = audit_rows(&app).await;
    let sent = entries(&rows, "invitation.sent");
    assert_eq!(sent[0].actor, format!("admin:{admin_email}"));
    let accepted = execution_entries(&rows, "invitation.accepted");
    assert_eq!(
        accepted[0].0.subject, sent[0].subject,
        "the same invitation"
    );
    let code = link.split("code=").nth(1).unwrap();
    assert!(rows.iter().all(|r| !r.detail.contains(code)
        && !r.detail.contains(GOOD_PASSWORD)
        && !r.subject.clone().unwrap_or_default().contains(code)));
}

/// The audit page's rows: (who, what, subject) as the cells read.
fn audit_cells(page: &Page) -> Vec<(String, String, String)> {
    let who = page.select_all("tbody tr td:nth-child(2)");
    let what = page.select_all("tbody tr td:nth-child(3)");
    let subject = page.select_all("tbody tr td:nth-child(4)");
    who.into_iter()
        .zip(what)
        .zip(subject)
        .map(|((a, b), c)| (a, b, c))
        .collect()
}

#[tokio::test]
async fn the_audit_log_names_people_and_finds_them_by_address_before_during_and_after_the_account()
{
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let email = unique_email("Named.Person");
    register_fully(&app, "Ada", &email).await;
    let store = app.store().await.clone();
    let user = store
        .user_by_email(&email.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    let search = |who: &str| {
        format!(
            "/admin/audit?{}",
            serde_urlencoded::to_string([("who", who)]).unwrap()
        )
    };

    // Found by the address in any case: the journey before the account existed (its actor
    // is the execution, named by the address it collected) and the registration itself.
    let page = admin.get(&search(&email.to_uppercase())).await;
    let rows = audit_cells(&page);
    let what: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    for expected in ["email.verified_by_code", "user.registered"] {
        assert!(what.contains(&expected), "{expected} in {what:?}");
    }
    let registered = rows.iter().find(|r| r.1 == "user.registered").unwrap();
    assert!(
        registered.0.starts_with(&email),
        "the journey named by its address: {registered:?}"
    );
    assert!(registered.2.starts_with(&email), "{registered:?}");
    let account_page = format!("a[href='/admin/users/{}']", user.id);
    assert!(page.exists(&account_page), "linked to the account");

    // An operator acts on the account, then deletes it.
    for action in ["disable", "delete"] {
        let link = format!("/admin/users/{}/{action}", user.id);
        let confirm = admin.get(&link).await;
        let (status, _) = admin
            .post(
                &link,
                &crate::console::fields(&[("csrf_token", &confirm.csrf())]),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{action}");
    }
    assert!(store.user_by_id(user.id).await.unwrap().is_none());

    // Still found by the address, and named by it, once the account is gone; no link leads
    // to a page that no longer exists.
    let page = admin.get(&search(&email)).await;
    let rows = audit_cells(&page);
    for action in ["user.deleted", "user.disabled", "user.registered"] {
        let row = rows
            .iter()
            .find(|r| r.1 == action)
            .unwrap_or_else(|| panic!("{action} in {rows:?}"));
        assert!(row.2.starts_with(&email), "{row:?}");
    }
    assert!(!page.exists(&account_page));
    // By the id too, as before.
    let by_id = admin.get(&search(&user.id.to_string())).await;
    assert!(audit_cells(&by_id).iter().any(|r| r.1 == "user.deleted"));

    // The exports carry the same names.
    let csv = admin
        .get(&format!(
            "{}&format=csv",
            search(&email).replace("/admin/audit?", "/admin/audit/export?")
        ))
        .await;
    let deleted = csv
        .html
        .lines()
        .find(|l| l.contains("user.deleted"))
        .expect("the deletion in the CSV");
    assert!(deleted.contains(&format!("\"{email}\"")), "{deleted}");
    let jsonl = admin
        .get(&format!(
            "{}&format=jsonl",
            search(&email).replace("/admin/audit?", "/admin/audit/export?")
        ))
        .await;
    let entries: Vec<serde_json::Value> = jsonl
        .html
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let registered = entries
        .iter()
        .find(|e| e["action"] == "user.registered")
        .expect("registered");
    assert_eq!(registered["subjectName"], email.as_str());
    assert_eq!(registered["actorName"], email.as_str());
}
