//! The console's Users list for daily work: filtered by the accounts' state through the search
//! form (so a filtered list has an address, and its pages keep the filter), until when an
//! address's sign-ins are refused, and unlock, disable or enable for the accounts ticked in
//! the list, each audited on its own.

use crate::console::{admin_browser, assert_summary_links_resolve, operator_browser};
use crate::helpers::*;
use reqwest::StatusCode;

const BULK: &str = "/admin/users/bulk";

/// The account of `email` put in `status` (`LOCKED`, `PENDING_APPROVAL`…) as the store
/// keeps it: nothing in a journey locks an account for good, an operator's tool may.
async fn set_status(app: &TestApp, email: &str, status: &str) {
    let user = stored_user(app, email).await;
    assert!(
        app.store()
            .await
            .set_user_status(user.id, status, time::OffsetDateTime::now_utc())
            .await
            .unwrap()
    );
}

/// A browser on a client address of its own: the per-client post limit counts the posts of
/// the registrations before, and is not what these tests are about.
fn elsewhere(app: &TestApp) -> Browser {
    static NEXT: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(2);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Browser::from_address(&app.address, std::net::Ipv4Addr::new(127, 0, 9, n).into())
}

/// Signs in from a client address of its own; the POST's status.
async fn sign_in_elsewhere(app: &TestApp, email: &str) -> StatusCode {
    let browser = elsewhere(app);
    let csrf = browser.get("/login").await.csrf();
    browser
        .post_raw("/login", &sign_in_form(&csrf, email, GOOD_PASSWORD))
        .await
        .status
}

/// Ten wrong passwords: the throttle then refuses the address's sign-ins for a while.
async fn throttle(app: &TestApp, email: &str) {
    let browser = elsewhere(app);
    let csrf = browser.get("/login").await.csrf();
    let mut last = StatusCode::OK;
    for _ in 0..10 {
        last = browser
            .post_raw("/login", &sign_in_form(&csrf, email, "not the password"))
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

/// The addresses the list shows, in its order.
fn listed(page: &Page) -> Vec<String> {
    page.select_all("tbody tr td:nth-child(2)")
}

/// The bulk form's post from `list`: its hidden fields (the filter), `action` and the ids.
fn bulk_form(list: &Page, action: &str, ids: &[&str]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = ["csrf_token", "q", "status", "page"]
        .iter()
        .map(|name| {
            let css = format!("form#accounts input[type=hidden][name={name}]");
            (
                (*name).to_owned(),
                list.attr(&css, "value").unwrap_or_default(),
            )
        })
        .collect();
    form.push(("action".into(), action.into()));
    form.extend(ids.iter().map(|id| ("id".to_owned(), (*id).to_owned())));
    form
}

async fn id_of(app: &TestApp, email: &str) -> String {
    stored_user(app, email).await.id.to_string()
}

/// The audit entries `action` about `user:<id>`.
async fn audited(app: &TestApp, action: &str, id: &str) -> usize {
    let rows = app.store().await.recent_audit(200).await.unwrap();
    let subject = format!("user:{id}");
    rows.iter()
        .filter(|r| r.action == action && r.subject.as_deref() == Some(subject.as_str()))
        .count()
}

#[tokio::test]
async fn the_list_filters_by_state_and_says_until_when_sign_ins_are_refused() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let [active, locked, disabled, pending, throttled] =
        ["active", "locked", "disabled", "pending", "throttled"].map(unique_email);
    for (given, email) in [
        ("Ada", &active),
        ("Lin", &locked),
        ("Dee", &disabled),
        ("Pat", &pending),
        ("Tom", &throttled),
    ] {
        register_fully(&app, given, email).await;
    }
    set_status(&app, &locked, "LOCKED").await;
    set_status(&app, &pending, "PENDING_APPROVAL").await;
    let everyone = browser.get("/admin/users").await;
    let (status, _) = browser
        .post(
            BULK,
            &bulk_form(&everyone, "disable", &[&id_of(&app, &disabled).await]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    throttle(&app, &throttled).await;

    for (word, expected) in [
        // Who cannot sign in: held locked, or refused by the sign-in throttle now.
        ("locked", vec![throttled.as_str(), locked.as_str()]),
        ("disabled", vec![disabled.as_str()]),
        ("pending", vec![pending.as_str()]),
        ("active", vec![active.as_str()]),
    ] {
        let page = browser.get(&format!("/admin/users?status={word}")).await;
        assert_eq!(page.status, StatusCode::OK, "{word}");
        assert_eq!(listed(&page), expected, "{word}");
        assert_eq!(
            page.attr("#status option[selected]", "value").as_deref(),
            Some(word)
        );
    }
    let locked_list = browser.get("/admin/users?status=locked").await;
    let pending_list = browser.get("/admin/users?status=pending").await;
    assert!(pending_list.exists("tbody a[href^='/admin/approvals#account-']"));

    // Each locked row says until when: the held one until someone unlocks it, the
    // throttled one as the console writes times (`2026-12-07 10:15 UTC`), its state named.
    let refused = locked_list.select_all("tbody .locked-until");
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert_eq!(refused[1], "Until unlocked");
    assert_eq!(
        locked_list.select_all("tbody tr td:nth-child(4)")[0],
        format!("Active{}", refused[0])
    );
    let until = refused[0]
        .strip_prefix("Sign-in refused until ")
        .unwrap_or_else(|| panic!("{refused:?}"));
    let console_time =
        |t: time::OffsetDateTime| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute());
    let now = time::OffsetDateTime::now_utc();
    // Fifteen minutes after the last failure, which was a moment ago.
    assert!(
        until.len() == console_time(now).len()
            && *until > *console_time(now + time::Duration::minutes(13))
            && *until <= *console_time(now + time::Duration::minutes(15)),
        "{until}"
    );

    // The search and the state together; an unknown state is all of them.
    let both = browser
        .get(&format!("/admin/users?q={}&status=active", &active[..12]))
        .await;
    assert_eq!(listed(&both), vec![active.as_str()]);
    let none = browser
        .get(&format!("/admin/users?q={}&status=locked", &active[..12]))
        .await;
    assert!(none.exists("p#accounts") && !none.exists("tbody"));
    let unknown = browser.get("/admin/users?status=sleeping").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(listed(&unknown).len(), 5);
    assert_eq!(
        unknown.attr("#status option[selected]", "value").as_deref(),
        Some("")
    );
}

#[tokio::test]
async fn ticked_accounts_are_disabled_enabled_and_unlocked_each_audited() {
    let app = spawn_app().await;
    let (owner, _) = admin_browser(&app).await;
    // An operator may, as on an account's own page.
    let (browser, _, _) = operator_browser(&app, &owner).await;
    let [ada, bea, cy] = ["ada.bulk", "bea.bulk", "cy.bulk"].map(unique_email);
    for email in [&ada, &bea, &cy] {
        register_fully(&app, "Ada", email).await;
    }
    let [ada_id, bea_id, cy_id] = [
        id_of(&app, &ada).await,
        id_of(&app, &bea).await,
        id_of(&app, &cy).await,
    ];

    let list = browser.get("/admin/users?status=active").await;
    for (id, email) in [(&ada_id, &ada), (&bea_id, &bea)] {
        assert_eq!(
            list.text_of(&format!("label[for=choose-{id}]")),
            format!("Choose {email}")
        );
    }
    let (status, disabled) = browser
        .post(BULK, &bulk_form(&list, "disable", &[&ada_id, &bea_id]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        disabled.url,
        format!("{}/admin/users?status=active", app.address)
    );
    assert_eq!(disabled.notice().as_deref(), Some("2 accounts disabled."));
    assert_eq!(listed(&disabled), vec![cy.as_str()], "the filter is kept");
    for email in [&ada, &bea] {
        assert_eq!(stored_user(&app, email).await.status, "DISABLED");
        let status = sign_in_elsewhere(&app, email).await;
        assert_ne!(status, StatusCode::SEE_OTHER, "{email} signed in");
    }

    let list = browser.get("/admin/users").await;
    let (status, enabled) = browser
        .post(
            BULK,
            &bulk_form(&list, "enable", &[&ada_id, &bea_id, &cy_id]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        enabled.notice().as_deref(),
        Some(format!("2 accounts enabled. Nothing to do for {cy} (already active).").as_str())
    );
    for id in [&ada_id, &bea_id] {
        assert_eq!(audited(&app, "user.disabled", id).await, 1);
        assert_eq!(audited(&app, "user.enabled", id).await, 1);
    }
    assert_eq!(audited(&app, "user.enabled", &cy_id).await, 0, "left alone");

    // One address throttled, one account held locked; a third has nothing to unlock.
    throttle(&app, &ada).await;
    set_status(&app, &bea, "LOCKED").await;
    let list = browser.get("/admin/users").await;
    let (status, unlocked) = browser
        .post(
            BULK,
            &bulk_form(&list, "unlock", &[&ada_id, &bea_id, &cy_id]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        unlocked.notice().as_deref(),
        Some(
            format!("2 accounts unlocked. Nothing to do for {cy} (neither locked nor refusing sign-ins).")
                .as_str()
        )
    );
    assert!(!unlocked.exists("tbody .locked-until"), "{}", unlocked.html);
    for email in [&ada, &bea] {
        let status = sign_in_elsewhere(&app, email).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{email} signs in again");
    }
    for id in [&ada_id, &bea_id] {
        assert_eq!(audited(&app, "user.unlocked", id).await, 1);
    }
    assert_eq!(audited(&app, "user.unlocked", &cy_id).await, 0);
    // The console's audit log names what each account went through.
    let log = owner.get("/admin/audit?action=user.unlocked").await;
    assert_eq!(log.select_all("tbody tr").len(), 2, "{}", log.html);
}

#[tokio::test]
async fn no_choice_an_unknown_action_and_bogus_ids_are_answered_with_words() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let ada = unique_email("ada.bulk");
    register_fully(&app, "Ada", &ada).await;
    let ada_id = id_of(&app, &ada).await;

    let list = browser.get("/admin/users?status=active").await;
    let (status, refused) = browser.post(BULK, &bulk_form(&list, "disable", &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.summary(),
        vec!["Choose at least one account to be disabled: tick the box of each."]
    );
    assert_summary_links_resolve(&refused);
    assert_eq!(
        refused.attr("#status option[selected]", "value").as_deref(),
        Some("active"),
        "the list as it was"
    );
    assert_eq!(listed(&refused), vec![ada.as_str()]);

    let (status, refused) = browser
        .post(BULK, &bulk_form(&list, "explode", &[&ada_id]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.summary(), vec!["Choose Unlock, Disable or Enable."]);

    let nobody = "0192f1a8-7c1e-7000-8000-000000000000";
    let (status, answered) = browser
        .post(BULK, &bulk_form(&list, "disable", &["not-an-id", nobody]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(answered.exists(".notice--error"));
    assert_eq!(
        answered.notice().as_deref(),
        Some(format!("No account disabled. No such account: {nobody}, not-an-id.").as_str())
    );
    let (status, mixed) = browser
        .post(
            BULK,
            &bulk_form(&list, "disable", &[&ada_id, nobody, &ada_id]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        mixed.notice().as_deref(),
        Some(format!("1 account disabled. No such account: {nobody}.").as_str())
    );
    assert_eq!(audited(&app, "user.disabled", &ada_id).await, 1, "once");
}

/// `count` more accounts like `model`'s, in `status`, straight into the database: the list's
/// pages need more than fifty, and registering each through the pages takes long.
async fn copies(app: &TestApp, model: &str, count: usize, status: &str) {
    use sqlx::Connection;
    let url = &app.settings.database_url;
    let postgres = url.starts_with("postgres");
    let insert = if postgres {
        "INSERT INTO users (id, email, email_key, email_verified, attributes, status, created_at, updated_at) \
         SELECT $1::uuid, $2, $2, email_verified, attributes, $3, created_at, updated_at FROM users WHERE email_key = $4"
    } else {
        "INSERT INTO users (id, email, email_key, email_verified, attributes, status, created_at, updated_at) \
         SELECT $1, $2, $2, email_verified, attributes, $3, created_at, updated_at FROM users WHERE email_key = $4"
    };
    for n in 0..count {
        let id = uuid::Uuid::now_v7().to_string();
        let email = unique_email(&format!("copy{n}"));
        let model = model.to_lowercase();
        let done = if postgres {
            let mut db = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(insert)
                .bind(&id)
                .bind(&email)
                .bind(status)
                .bind(&model)
                .execute(&mut db)
                .await
                .unwrap()
                .rows_affected()
        } else {
            let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(insert)
                .bind(&id)
                .bind(&email)
                .bind(status)
                .bind(&model)
                .execute(&mut db)
                .await
                .unwrap()
                .rows_affected()
        };
        assert_eq!(done, 1);
    }
}

#[tokio::test]
async fn the_pages_of_a_filtered_list_keep_its_filter() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let model = unique_email("model");
    register_fully(&app, "Ada", &model).await;
    copies(&app, &model, 51, "DISABLED").await;

    let first = browser.get("/admin/users?status=disabled").await;
    assert_eq!(listed(&first).len(), 50);
    let next = first.attr("a[rel=next]", "href").unwrap();
    assert_eq!(next, "/admin/users?status=disabled&page=2");
    let second = browser.get(&next).await;
    assert_eq!(listed(&second).len(), 1, "the active model is not listed");
    assert!(!second.exists("a[rel=next]"));
    assert_eq!(
        second.attr("a[rel=prev]", "href").as_deref(),
        Some("/admin/users?status=disabled")
    );

    // The bulk form's answer comes back to the same page of the same list.
    let last = second.attr("tbody input[name=id]", "value").unwrap();
    let (status, enabled) = browser
        .post(BULK, &bulk_form(&second, "enable", &[&last]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        enabled.url,
        format!("{}/admin/users?status=disabled&page=2", app.address)
    );
    assert_eq!(enabled.notice().as_deref(), Some("1 account enabled."));
    assert_eq!(
        listed(&browser.get("/admin/users?status=active").await).len(),
        2
    );
}
