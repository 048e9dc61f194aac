//! The admin console over HTTP: sign-in, authorization and CSRF on every action, drafts and
//! their edits, publishing, versions, import and export, enable and disable, previews.

use crate::helpers::*;
use flows::engine::FlowType;
use flows::startup::{make_hasher, open_store};
use reqwest::StatusCode;
use secrecy::SecretString;

pub const ADMIN_PASSWORD: &str = "console keeper 42";

/// Creates an administrator the way `flows admin create` does.
pub async fn create_admin(app: &TestApp, email: &str) {
    let store = open_store(&app.settings).await.expect("store");
    let hash = make_hasher(&app.settings)
        .expect("hasher")
        .hash(&SecretString::from(ADMIN_PASSWORD.to_owned()))
        .await
        .expect("hash");
    let key = email.to_lowercase();
    assert!(
        store
            .create_admin(email, &key, &hash, time::OffsetDateTime::now_utc())
            .await
            .expect("admin")
    );
}

/// A browser signed in to the console as a new administrator.
pub async fn admin_browser(app: &TestApp) -> (Browser, String) {
    let email = unique_email("admin");
    create_admin(app, &email).await;
    let browser = app.browser();
    let login = browser.get("/admin/login").await;
    let (status, home) = browser
        .post(
            "/admin/login",
            &[
                ("csrf_token".into(), login.csrf()),
                ("email".into(), email.clone()),
                ("password".into(), ADMIN_PASSWORD.into()),
                ("next".into(), "/admin".into()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(home.h1(), "Console", "{}", home.html);
    (browser, email)
}

pub fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub(crate) const REG: &str = "/admin/flows/REGISTRATION";

/// Starts a registration draft from a template and returns the draft page.
pub(crate) async fn start_draft(browser: &Browser, template: &str) -> Page {
    let flow = browser.get(REG).await;
    let (status, draft) = browser
        .post(
            &format!("{REG}/draft/start"),
            &fields(&[
                ("csrf_token", &flow.csrf()),
                ("source", &format!("template:{template}")),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(draft.h1().starts_with("Draft of"), "{}", draft.html);
    draft
}

/// Every link of the error summary leads to an element of the page.
pub fn assert_summary_links_resolve(page: &Page) {
    let doc = page.doc();
    let links = scraper::Selector::parse(".error-summary a").unwrap();
    let mut seen = 0;
    for link in doc.select(&links) {
        let target = link.value().attr("href").unwrap().trim_start_matches('#');
        let by_id = scraper::Selector::parse(&format!("[id='{target}']")).unwrap();
        assert!(
            doc.select(&by_id).next().is_some(),
            "#{target} is not on the page"
        );
        seen += 1;
    }
    assert!(seen > 0, "no error summary: {}", page.html);
}

fn revision(page: &Page) -> String {
    page.attr("input[name=revision]", "value")
        .expect("revision")
}

/// Posts one edit made on `page`.
pub(crate) async fn edit(
    browser: &Browser,
    page: &Page,
    pairs: &[(&str, &str)],
) -> (StatusCode, Page) {
    let mut form = fields(&[("csrf_token", &page.csrf()), ("revision", &revision(page))]);
    form.extend(fields(pairs));
    browser.post(&format!("{REG}/draft/edit"), &form).await
}

/// An operator added by `owner` through the console and signed in: the browser, the
/// operator's address and the console home it sees.
pub async fn operator_browser(app: &TestApp, owner: &Browser) -> (Browser, String, Page) {
    let admins = owner.get("/admin/admins").await;
    let operator_email = unique_email("operator");
    let (status, added) = owner
        .post(
            "/admin/admins",
            &fields(&[
                ("csrf_token", &admins.csrf()),
                ("email", &operator_email),
                ("password", "long enough phrase"),
                ("role", "operator"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(added.html.contains("operator"));
    let operator = app.browser();
    let login = operator.get("/admin/login").await;
    operator
        .post(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &operator_email),
                ("password", "long enough phrase"),
            ]),
        )
        .await;
    let home = operator.get("/admin").await;
    assert_eq!(home.status, StatusCode::OK);
    (operator, operator_email, home)
}

/// Every POST of the console, with the fields it needs besides the CSRF token.
fn console_posts() -> Vec<&'static str> {
    vec![
        "/admin/login",
        "/admin/logout",
        "/admin/account/password",
        "/admin/account/language",
        "/admin/admins",
        "/admin/admins/0192f1a8-7c1e-7000-8000-000000000000/remove",
        "/admin/flows/REGISTRATION/enabled",
        "/admin/flows/REGISTRATION/draft/start",
        "/admin/flows/REGISTRATION/draft/edit",
        "/admin/flows/REGISTRATION/draft/discard",
        "/admin/flows/REGISTRATION/draft/undo",
        "/admin/flows/REGISTRATION/draft/publish",
        "/admin/flows/REGISTRATION/draft/widget",
        "/admin/flows/REGISTRATION/draft/preview/details",
        "/admin/flows/REGISTRATION/versions/1/preview/details",
        "/admin/flows/REGISTRATION/versions/1/rollback",
        "/admin/flows/REGISTRATION/import",
        "/admin/outbox/1/retry",
        "/admin/messages",
        "/admin/messages/import",
        "/admin/tokens",
        "/admin/tokens/revoke",
        "/admin/deliveries/resend",
        "/admin/extensions",
        "/admin/extensions/crm/remove",
        "/admin/connections",
        "/admin/connections/sso/test",
        "/admin/connections/sso/remove",
        "/admin/invitations",
        "/admin/invitations/bulk",
        "/admin/invitations/upload",
        "/admin/invitations/0192f1a8-7c1e-7000-8000-000000000000/resend",
        "/admin/invitations/0192f1a8-7c1e-7000-8000-000000000000/revoke",
        "/admin/approvals/0192f1a8-7c1e-7000-8000-000000000000/approve",
        "/admin/approvals/0192f1a8-7c1e-7000-8000-000000000000/reject",
        "/admin/settings/applications",
        "/admin/settings/applications/0192f1a8-7c1e-7000-8000-000000000000/delete",
        "/admin/settings/applications/access",
        "/admin/settings/applications/0192f1a8-7c1e-7000-8000-000000000000",
        "/admin/settings/applications/0192f1a8-7c1e-7000-8000-000000000000/key",
        "/admin/settings/applications/0192f1a8-7c1e-7000-8000-000000000000/proof",
        "/admin/settings/branding",
        "/admin/settings/branding/logo",
        "/admin/settings/branding/logo/remove",
        "/admin/settings/limits",
        "/admin/settings/password",
        "/admin/users/bulk",
        "/admin/users/0192f1a8-7c1e-7000-8000-000000000000/recovery-mail",
        "/admin/users/0192f1a8-7c1e-7000-8000-000000000000/disable",
        "/admin/settings/emails/otp",
        "/admin/settings/emails/otp/test",
    ]
}

/// Console posts anyone may send: signing in and out, and a preview's buttons, which show
/// the step again and change nothing.
fn open_to_anyone(post: &str) -> bool {
    matches!(post, "/admin/login" | "/admin/logout") || post.contains("/preview/")
}

/// The console's POST routes as `src/web/admin` declares them (`.route(PATH, web::post()…)`,
/// the path a literal or a `const` of the same file), so that a new one cannot be left out of
/// `console_posts()`.
fn declared_console_posts() -> Vec<String> {
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/admin")];
    let mut files = Vec::new();
    // A module may be a folder of files (`diagram/`): every file below counts.
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/web/admin") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let mut routes = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(file).expect("source");
        let constant = |name: &str| {
            let (_, rest) = source.split_once(&format!("const {name}: &str = \""))?;
            rest.split_once('"').map(|(path, _)| path.to_owned())
        };
        for (at, _) in source.match_indices("web::post()") {
            let route = &source[source[..at].rfind(".route(").expect("a route") + 7..at];
            let first = route.split(',').next().unwrap_or("").trim();
            let path = match first.strip_prefix('"') {
                Some(literal) => literal.trim_end_matches('"').to_owned(),
                None => constant(first).unwrap_or_else(|| panic!("const {first} not found")),
            };
            routes.push(path);
        }
    }
    routes.sort();
    routes
}

/// `/admin/users/{id}/remove` matches `/admin/users/0192…/remove`.
fn route_matches(pattern: &str, path: &str) -> bool {
    let (pattern, path): (Vec<_>, Vec<_>) =
        (pattern.split('/').collect(), path.split('/').collect());
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()))
}

#[test]
fn every_declared_console_post_is_in_the_csrf_list() {
    let declared = declared_console_posts();
    assert!(declared.len() >= 35, "{declared:?}");
    let listed = console_posts();
    for route in &declared {
        assert!(
            listed.iter().any(|path| route_matches(route, path)),
            "POST {route} is not in console_posts(): add it, so its CSRF check is tested"
        );
    }
}

pub(crate) fn console_pages() -> Vec<&'static str> {
    vec![
        "/admin",
        "/admin/flows",
        "/admin/account",
        "/admin/admins",
        "/admin/flows/REGISTRATION",
        "/admin/flows/REGISTRATION/draft",
        "/admin/flows/REGISTRATION/draft/discard",
        "/admin/flows/REGISTRATION/draft/remove?step=done",
        "/admin/flows/REGISTRATION/draft/preview/details",
        "/admin/flows/REGISTRATION/versions",
        "/admin/flows/REGISTRATION/versions/1",
        "/admin/flows/REGISTRATION/versions/1/export",
        "/admin/flows/REGISTRATION/versions/1/preview/details",
        "/admin/flows/REGISTRATION/diff",
        "/admin/flows/REGISTRATION/import",
        "/admin/messages",
        "/admin/messages?group=mail",
        "/admin/messages?q=password&missing=fr",
        "/admin/messages/export?lang=fr",
        "/admin/tokens",
        "/admin/extensions",
        "/admin/connections",
        "/admin/settings",
        "/admin/settings/branding",
        "/admin/settings/limits",
        "/admin/settings/password",
        "/admin/settings/emails",
        "/admin/settings/emails/otp?lang=fr",
        "/admin/settings/emails/invitation/preview?lang=en",
        "/admin/funnel",
        "/admin/approvals",
        "/admin/deliveries",
        "/admin/users?status=locked",
    ]
}

#[tokio::test]
async fn signed_out_and_end_users_are_refused_everywhere() {
    let app = spawn_app().await;
    let user = register_fully(&app, "Ada", &unique_email("user")).await;
    for browser in [app.browser(), user] {
        for page in console_pages() {
            let answer = browser.get_raw(page).await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "GET {page}");
            assert!(
                answer.location().starts_with("/admin/login?next=/admin"),
                "GET {page} -> {}",
                answer.location()
            );
        }
        let token = browser.get("/login").await.csrf();
        for post in console_posts().into_iter().filter(|p| !open_to_anyone(p)) {
            let answer = browser
                .post_raw(
                    post,
                    &fields(&[("csrf_token", &token), ("source", "published")]),
                )
                .await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "POST {post}");
        }
    }
    let stored = app.store().await;
    assert!(
        stored
            .draft(FlowType::Registration)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn every_console_post_checks_csrf() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    start_draft(&browser, "registration-otp").await;
    for post in console_posts() {
        let answer = browser
            .post_raw(
                post,
                &fields(&[("csrf_token", "forged"), ("revision", "1")]),
            )
            .await;
        if post == "/admin/logout" {
            // Signing out leads to the sign-in page whatever was sent; a forged one only
            // does not sign anyone out.
            assert_eq!(answer.status, StatusCode::SEE_OTHER);
            browser.post_raw(post, &[]).await;
            assert_eq!(
                browser.get("/admin").await.status,
                StatusCode::OK,
                "still signed in"
            );
            continue;
        }
        if post.contains("/preview/") {
            // A preview's buttons do nothing but show the same step again: no state to guard.
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "POST {post}");
            assert_eq!(answer.headers["location"], post);
            continue;
        }
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "POST {post}");
        let missing = browser.post_raw(post, &[]).await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "POST {post} without a token"
        );
    }
    let draft = browser.get(&format!("{REG}/draft")).await;
    assert_eq!(revision(&draft), "1", "nothing changed the draft");
}

#[tokio::test]
async fn admin_sign_in_is_checked_throttled_and_expires_when_idle() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("admin");
    create_admin(&app, &email).await;
    let browser = app.browser();
    let login = browser.get("/admin/login?next=%2Fadmin%2Fflows").await;
    assert_eq!(
        login.attr("input[name=next]", "value").unwrap(),
        "/admin/flows"
    );
    let (status, wrong) = browser
        .post(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &email),
                ("password", "not the password"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.summary().iter().any(|s| s.contains("not right")));
    // An end user's password never opens the console.
    let user = unique_email("user");
    register_fully(&app, "Ada", &user).await;
    let (status, _) = browser
        .post(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &user),
                ("password", "correct horse battery staple"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A sign-in never sends the browser to another site.
    let answer = browser
        .post_raw(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &email),
                ("password", ADMIN_PASSWORD),
                ("next", "https://evil.example/admin"),
            ]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/admin");
    assert_eq!(browser.get("/admin/flows").await.status, StatusCode::OK);
    // The console session is not an end-user session.
    assert!(!signed_in(&browser).await);

    app.advance(time::Duration::minutes(31));
    let expired = browser.get_raw("/admin/flows").await;
    assert_eq!(expired.status, StatusCode::SEE_OTHER);
    assert!(
        expired.location().contains("expired=1"),
        "{}",
        expired.location()
    );
    let page = browser.get(&expired.location()).await;
    assert!(
        page.notice().unwrap_or_default().contains("ended"),
        "{}",
        page.html
    );

    // Ten failures block the address for a while, even with the right password.
    let login = browser.get("/admin/login").await;
    for _ in 0..10 {
        browser
            .post_raw(
                "/admin/login",
                &fields(&[
                    ("csrf_token", &login.csrf()),
                    ("email", &email),
                    ("password", "guess"),
                ]),
            )
            .await;
    }
    let blocked = browser
        .post_raw(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &email),
                ("password", ADMIN_PASSWORD),
            ]),
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = blocked
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok());
    assert_eq!(wait, Some("900"), "the lockout's 15 minutes, to the second");
}

#[tokio::test]
async fn password_change_ends_other_sessions_and_admins_can_be_added() {
    let app = spawn_app().await;
    let (first, email) = admin_browser(&app).await;
    let second = app.browser();
    let login = second.get("/admin/login").await;
    second
        .post(
            "/admin/login",
            &fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &email),
                ("password", ADMIN_PASSWORD),
            ]),
        )
        .await;
    assert_eq!(second.get("/admin").await.status, StatusCode::OK);

    let account = first.get("/admin/account").await;
    let (status, wrong) = first
        .post(
            "/admin/account/password",
            &fields(&[
                ("csrf_token", &account.csrf()),
                ("current_password", "nope"),
                ("new_password", "a brand new phrase"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.field_error("current_password").is_some(),
        "{}",
        wrong.html
    );
    let (status, weak) = first
        .post(
            "/admin/account/password",
            &fields(&[
                ("csrf_token", &account.csrf()),
                ("current_password", ADMIN_PASSWORD),
                ("new_password", "password"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.field_error("new_password").is_some());
    let (status, done) = first
        .post(
            "/admin/account/password",
            &fields(&[
                ("csrf_token", &account.csrf()),
                ("current_password", ADMIN_PASSWORD),
                ("new_password", "a brand new phrase"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(done.notice().unwrap().contains("changed"));
    assert_eq!(
        first.get("/admin").await.status,
        StatusCode::OK,
        "this session goes on"
    );
    assert_eq!(
        second.get_raw("/admin").await.status,
        StatusCode::SEE_OTHER,
        "the other ends"
    );

    let admins = first.get("/admin/admins").await;
    let (status, refused) = first
        .post(
            "/admin/admins",
            &fields(&[
                ("csrf_token", &admins.csrf()),
                ("email", "not-an-address"),
                ("password", "long enough phrase"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error("email").is_some());
    assert_eq!(refused.attr("#email", "value").unwrap(), "not-an-address");
    let colleague = unique_email("colleague");
    let (status, added) = first
        .post(
            "/admin/admins",
            &fields(&[
                ("csrf_token", &admins.csrf()),
                ("email", &colleague),
                ("password", "long enough phrase"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(added.html.contains(&colleague));
    let audit = app.store().await.recent_audit(20).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for expected in ["admin.signed_in", "admin.password_changed", "admin.created"] {
        assert!(actions.contains(&expected), "{actions:?}");
    }
    assert!(
        audit.iter().all(|a| !a.detail.contains("brand new")),
        "no secret in the audit log"
    );
}

#[tokio::test]
async fn edits_are_saved_refused_beside_their_field_or_refused_when_stale() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let draft = start_draft(&browser, "registration-otp").await;
    assert_eq!(draft.text_of("#problems-title"), "No problems");

    // A new text input in the details form.
    let (status, page) = edit(
        &browser,
        &draft,
        &[
            ("op", "add_component"),
            ("step", "details"),
            ("what", "INPUT:TEXT"),
            ("id", "nickname"),
            ("parent", "details_form"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.exists("#component-details-nickname"), "{}", page.html);
    assert_eq!(revision(&page), "2");

    // An id the model cannot hold comes back beside its field, with what was typed.
    let (status, refused) = edit(
        &browser,
        &page,
        &[
            ("op", "update_component"),
            ("step", "details"),
            ("component", "nickname"),
            ("id", "not valid!"),
            ("label", "Nickname"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = refused
        .field_error("cfg-details-nickname-id")
        .unwrap_or_default();
    assert!(!error.is_empty(), "{}", refused.html);
    assert_eq!(
        refused.attr("#cfg-details-nickname-id", "value").unwrap(),
        "not valid!"
    );
    assert!(refused.summary().iter().any(|s| !s.is_empty()));
    assert_eq!(revision(&refused), "2", "a refused edit saves nothing");
    assert_summary_links_resolve(&refused);
    for bad in [
        vec![
            ("op", "rename_step"),
            ("step", "details"),
            ("new_id", "enter_code"),
        ],
        vec![
            ("op", "add_step"),
            ("step", "details"),
            ("kind", "view"),
            ("id", "no spaces"),
        ],
        vec![
            ("op", "add_component"),
            ("step", "details"),
            ("what", "INPUT:TEXT"),
            ("id", "email"),
        ],
        vec![
            ("op", "set_target"),
            ("step", "details"),
            ("button", "continue"),
            ("next", "ghost"),
        ],
        vec![
            ("op", "move_component"),
            ("step", "details"),
            ("component", "email"),
            ("to", "into:ghost"),
        ],
        vec![("op", "info"), ("name", "")],
    ] {
        let (status, refused) = edit(&browser, &page, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert_summary_links_resolve(&refused);
    }

    // The same page edited twice: the second edit is on a stale revision.
    let (status, _) = edit(
        &browser,
        &page,
        &[
            ("op", "update_component"),
            ("step", "details"),
            ("component", "nickname"),
            ("label", "Nickname"),
            ("identifier", "nickname"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, stale) = edit(
        &browser,
        &page,
        &[
            ("op", "rename_step"),
            ("step", "details"),
            ("new_id", "about_you"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        stale
            .summary()
            .iter()
            .any(|s| s.contains("changed since you opened it"))
    );
    assert!(
        stale.exists("#step-details"),
        "the stale edit was not applied"
    );

    // Undo restores the definition before the last edit.
    let current = browser.get(&format!("{REG}/draft")).await;
    assert!(current.html.contains("Nickname"));
    let (status, undone) = browser
        .post(
            &format!("{REG}/draft/undo"),
            &fields(&[
                ("csrf_token", &current.csrf()),
                ("revision", &revision(&current)),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!undone.html.contains("“Nickname”") && undone.exists("#component-details-nickname"));

    // Unknown operations and steps are refused, never a 500.
    let (status, _) = edit(&browser, &undone, &[("op", "explode")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = edit(
        &browser,
        &undone,
        &[("op", "remove_step"), ("step", "ghost")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn steps_are_added_renamed_moved_and_removed_with_a_confirmation() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let draft = start_draft(&browser, "registration-otp").await;
    let (status, page) = edit(
        &browser,
        &draft,
        &[
            ("op", "add_step"),
            ("step", "check_code"),
            ("kind", "view"),
            ("id", "about"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.exists("#step-about"));
    // Nothing leads to it yet: the problem list says so and links to it.
    assert!(
        page.exists("#problems a[href='?open=about#step-about']"),
        "{}",
        page.html
    );
    let (status, page) = edit(
        &browser,
        &page,
        &[
            ("op", "set_outcome"),
            ("step", "check_code"),
            ("outcome", "success"),
            ("next", "about"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = edit(
        &browser,
        &page,
        &[
            ("op", "set_target"),
            ("step", "about"),
            ("button", "continue"),
            ("next", "provision"),
        ],
    )
    .await;
    assert_eq!(
        page.text_of("#problems-title"),
        "No problems",
        "{:?}",
        page.select_all("#problems li")
    );
    let (_, page) = edit(
        &browser,
        &page,
        &[
            ("op", "rename_step"),
            ("step", "about"),
            ("new_id", "about_you"),
        ],
    )
    .await;
    assert!(page.exists("#step-about_you") && !page.exists("#step-about"));
    let (_, page) = edit(
        &browser,
        &page,
        &[
            ("op", "move_step"),
            ("step", "about_you"),
            ("direction", "down"),
        ],
    )
    .await;
    let order = page.select_all("section.step-editor h3");
    assert!(
        order.iter().position(|s| s.starts_with("about_you"))
            > order.iter().position(|s| s.starts_with("provision")),
        "{order:?}"
    );

    // Removing a step others lead to asks first and names what is left dangling.
    let confirm = browser
        .get(&format!("{REG}/draft/remove?step=about_you"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.html.contains("success") && confirm.html.contains("check_code"),
        "{}",
        confirm.html
    );
    let mut form = fields(&[("csrf_token", &confirm.csrf())]);
    for name in ["op", "step", "revision"] {
        form.push((
            name.into(),
            confirm
                .attr(&format!("input[name={name}]"), "value")
                .unwrap(),
        ));
    }
    let (status, page) = browser.post(&format!("{REG}/draft/edit"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!page.exists("#step-about_you"));
    assert!(
        page.select_all("#problems li")
            .iter()
            .any(|p| p.contains("about_you")),
        "dangling action listed"
    );

    // A "leads to" select can create the step it names.
    let (status, page) = edit(
        &browser,
        &page,
        &[
            ("op", "set_outcome"),
            ("step", "check_code"),
            ("outcome", "success"),
            ("next", "+view"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.exists("#step-view"), "{}", page.html);
    let selected = page.attr("#outcome-check_code-success option[selected]", "value");
    assert_eq!(selected.as_deref(), Some("view"));

    // A widget on an edge that does not exist is refused beside the widget select.
    let (status, refused) = browser
        .post(
            &format!("{REG}/draft/widget"),
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("revision", &revision(&page)),
                ("widget", "terms"),
                ("edge", "b:ghost:nothing"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error("widget-").is_some(), "{}", refused.html);
    assert_summary_links_resolve(&refused);
}

#[tokio::test]
async fn publish_is_refused_with_problems_then_rolls_forward_and_back() {
    let app = spawn_app().await;
    let (browser, email) = admin_browser(&app).await;
    let draft = start_draft(&browser, "registration-otp").await;
    let (_, broken) = edit(
        &browser,
        &draft,
        &[
            ("op", "set_target"),
            ("step", "details"),
            ("button", "continue"),
            ("next", ""),
        ],
    )
    .await;
    assert_ne!(broken.text_of("#problems-title"), "No problems");
    let (status, refused) = browser
        .post(
            &format!("{REG}/draft/publish"),
            &fields(&[
                ("csrf_token", &broken.csrf()),
                ("revision", &revision(&broken)),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        refused.notice().unwrap().contains("not published"),
        "{}",
        refused.html
    );
    let (_, fixed) = edit(
        &browser,
        &refused,
        &[
            ("op", "set_target"),
            ("step", "details"),
            ("button", "continue"),
            ("next", "set_password"),
        ],
    )
    .await;
    let (status, published) = browser
        .post(
            &format!("{REG}/draft/publish"),
            &fields(&[
                ("csrf_token", &fixed.csrf()),
                ("revision", &revision(&fixed)),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        published
            .notice()
            .unwrap()
            .contains("Version 2 is published"),
        "{}",
        published.html
    );

    let history = browser.get(&format!("{REG}/versions")).await;
    assert!(history.html.contains(&email), "the author is named");
    let (status, rolled) = browser
        .post(
            &format!("{REG}/versions/1/rollback"),
            &fields(&[("csrf_token", &history.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        rolled.notice().unwrap().contains("as version 3"),
        "{}",
        rolled.html
    );
    let v3 = browser.get(&format!("{REG}/versions/3")).await;
    assert!(v3.html.contains("Roll-back to version 1"));
    let (status, _) = browser
        .post(
            &format!("{REG}/versions/9/rollback"),
            &fields(&[("csrf_token", &history.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let export = browser.get(&format!("{REG}/versions/2/export")).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(
        export.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let def: flows::engine::FlowDefinition = serde_json::from_str(&export.html).unwrap();
    assert_eq!(def.flow_type, FlowType::Registration);

    let audit = app.store().await.recent_audit(50).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for expected in [
        "flow.draft_started",
        "flow.draft_edited",
        "flow.published",
        "flow.rolled_back",
    ] {
        assert!(actions.contains(&expected), "{actions:?}");
    }
    assert!(
        audit
            .iter()
            .all(|a| a.actor.starts_with("admin:") || a.actor.starts_with("execution:"))
    );
    assert!(
        audit
            .iter()
            .filter(|a| a.actor.starts_with("admin:"))
            .all(|a| a.detail.contains("\"ip\""))
    );
}

#[tokio::test]
async fn import_reports_bad_json_and_keeps_invalid_definitions_as_drafts() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let form = browser.get(&format!("{REG}/import")).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = browser.cookie_header().unwrap();
    let post = |text: &'static str, as_file: bool| {
        let part = reqwest::multipart::Part::text(text).file_name("flow.json");
        let mut multipart = reqwest::multipart::Form::new().text("csrf_token", form.csrf());
        multipart = if as_file {
            multipart.part("file", part)
        } else {
            multipart.text("definition", text)
        };
        client
            .post(format!("{}{REG}/import", app.address))
            .header("cookie", cookie.clone())
            .multipart(multipart)
            .send()
    };
    let bad = post(
        "{\n  \"flowType\": \"REGISTRATION\",\n  \"name\": 3\n}",
        false,
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.unwrap();
    assert!(body.contains("line 3, column"), "{body}");
    assert!(body.contains("expected"), "{body}");
    assert!(
        body.contains("&#34;name&#34;: 3"),
        "what was pasted is kept: {body}"
    );

    let wrong_type = post(
        r#"{"flowType": "PASSWORD_RECOVERY", "name": "x", "start": "a", "steps": []}"#,
        true,
    )
    .await
    .unwrap();
    assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let invalid = post(
        r#"{"flowType": "REGISTRATION", "name": "Half done", "start": "a", "steps": []}"#,
        true,
    )
    .await
    .unwrap();
    assert_eq!(invalid.status(), StatusCode::SEE_OTHER);
    let draft = browser.get(&format!("{REG}/draft")).await;
    assert!(draft.h1().contains("Half done"));
    assert!(
        draft
            .select_all("#problems li")
            .iter()
            .any(|p| p.contains("start step")),
        "{}",
        draft.html
    );
}

#[tokio::test]
async fn a_disabled_flow_says_so_politely_in_each_language() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let flow = browser.get(REG).await;
    let (status, _) = browser
        .post(
            &format!("{REG}/enabled"),
            &fields(&[("csrf_token", &flow.csrf()), ("enabled", "false")]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let visitor = app.browser();
    // A deliberate state, not a server error (a 5xx would be logged as one).
    let closed = visitor.get("/register").await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN);
    assert_eq!(closed.h1(), "Sign-up is closed right now");
    let fermé = visitor.get("/register?lang=fr").await;
    assert_eq!(fermé.status, StatusCode::FORBIDDEN);
    assert_eq!(fermé.h1(), "Les inscriptions sont fermées pour le moment");
    let (status, _) = browser
        .post(
            &format!("{REG}/enabled"),
            &fields(&[("csrf_token", &flow.csrf()), ("enabled", "true")]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        visitor.get("/register?lang=en").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn previews_render_hosted_pages_without_an_execution() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    start_draft(&browser, "registration-otp").await;
    let en = browser
        .get(&format!("{REG}/draft/preview/enter_code"))
        .await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.exists(".preview-banner"));
    assert!(
        en.html.contains("ada@example.com"),
        "sample values stand in"
    );
    assert!(en.exists("input[name=otp]"));
    let fr = browser
        .get(&format!("{REG}/draft/preview/enter_code?lang=fr"))
        .await;
    assert_ne!(fr.h1(), en.h1());
    let version = browser.get(&format!("{REG}/versions/1/preview/done")).await;
    assert_eq!(version.status, StatusCode::OK);
    assert_eq!(
        browser
            .get_raw(&format!("{REG}/draft/preview/nowhere"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let pressed = browser
        .post_raw(
            &format!("{REG}/draft/preview/enter_code"),
            &fields(&[("action", "verify")]),
        )
        .await;
    assert_eq!(pressed.status, StatusCode::SEE_OTHER);
    let store = open_store(&app.settings).await.unwrap();
    assert_eq!(
        store.count_executions().await.unwrap(),
        0,
        "a preview starts nothing"
    );
}

#[tokio::test]
async fn widgets_insert_on_an_edge_and_diffs_say_what_changed() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let draft = start_draft(&browser, "registration-otp").await;
    let edge = draft
        .doc()
        .select(&scraper::Selector::parse("#edge- option").unwrap())
        .filter_map(|o| o.value().attr("value").map(str::to_owned))
        .find(|v| v.contains("details") && v.contains("continue"))
        .expect("the details → set_password edge");
    let (status, page) = browser
        .post(
            &format!("{REG}/draft/widget"),
            &fields(&[
                ("csrf_token", &draft.csrf()),
                ("revision", &revision(&draft)),
                ("widget", "terms"),
                ("edge", &edge),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.notice().unwrap().contains("inserted"), "{}", page.html);
    let diff = browser
        .get(&format!("{REG}/diff?from=published&to=draft"))
        .await;
    assert_eq!(diff.status, StatusCode::OK);
    let changes = diff.select_all(".change");
    assert!(changes.iter().any(|c| c.contains("added")), "{changes:?}");
    assert!(changes.iter().any(|c| c.contains("details")), "{changes:?}");
    let same = browser
        .get(&format!("{REG}/diff?from=1&to=published"))
        .await;
    assert!(same.html.contains("The two are the same"));
    let missing = browser
        .get_raw(&format!("{REG}/diff?from=7&to=draft"))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn journeys_under_way_keep_the_version_they_started_on() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    // Someone is half-way through version 1 when version 2 adds a terms page.
    let early = app.browser();
    let early_email = unique_email("early");
    let code_page = to_code_page(&early, "Ada", &early_email).await;

    let draft = start_draft(&admin, "registration-otp").await;
    let (status, page) = admin
        .post(
            &format!("{REG}/draft/widget"),
            &fields(&[
                ("csrf_token", &draft.csrf()),
                ("revision", &revision(&draft)),
                ("widget", "terms"),
                ("edge", "o:check_code:success"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.text_of("#problems-title"), "No problems");
    let (status, _) = admin
        .post(
            &format!("{REG}/draft/publish"),
            &fields(&[("csrf_token", &page.csrf()), ("revision", &revision(&page))]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let code = app.last_mail(&early_email, 1).await.code();
    let (_, done) = early.press(&code_page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE, "version 1 has no terms page");

    let late = app.browser();
    let late_email = unique_email("late");
    let code_page = to_code_page(&late, "Grace", &late_email).await;
    let code = app.last_mail(&late_email, 1).await.code();
    let (_, terms) = late.press(&code_page, "verify", &[("otp", &code)]).await;
    assert_eq!(
        terms.step().as_deref(),
        Some("terms"),
        "version 2 asks for the terms"
    );
}

#[tokio::test]
async fn texts_are_changed_per_language_at_once_and_new_keys_are_translatable() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let texts = browser.get("/admin/messages?group=REGISTRATION").await;
    assert_eq!(texts.status, StatusCode::OK);
    assert!(
        texts.exists("#msg-register-title"),
        "a key the registration uses is listed"
    );
    assert!(
        !texts.exists("#msg-problem-csrf-title"),
        "only the group's keys"
    );
    assert!(
        browser
            .get("/admin/messages?group=errors&q=csrf")
            .await
            .exists("#msg-problem-csrf-title")
    );
    let visitor = app.browser();
    let built_in = visitor.get("/register?lang=fr").await.h1();

    // A text that does not parse comes back beside its field; nothing changes.
    let (status, refused) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &texts.csrf()),
                ("key", "register.title"),
                ("text_en", "Join us"),
                ("text_fr", "Rejoignez { oops"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.field_error("msg-register-title-fr").is_some(),
        "{}",
        refused.html
    );
    assert_eq!(
        refused.attr("#msg-register-title-fr", "lang").as_deref(),
        Some("fr")
    );
    assert_summary_links_resolve(&refused);
    assert_eq!(
        visitor.get("/register?lang=en").await.h1(),
        "Create your account"
    );

    // English changes at once; French keeps its built-in text.
    let (status, saved) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &texts.csrf()),
                ("key", "register.title"),
                ("text_en", "Join us"),
                ("text_fr", ""),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(saved.notice().unwrap().contains("saved"));
    assert_eq!(visitor.get("/register?lang=en").await.h1(), "Join us");
    assert_eq!(visitor.get("/register?lang=fr").await.h1(), built_in);

    // A new key, used as a label in a draft, shows in each language in the preview.
    let (status, _) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &texts.csrf()),
                ("new", "1"),
                ("key", "details.nickname"),
                ("text_en", "Nickname"),
                ("text_fr", "Surnom"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, bad_key) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &texts.csrf()),
                ("new", "1"),
                ("key", "not a key!"),
                ("text_en", "x"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_key.field_error("new-key").is_some());
    let draft = start_draft(&browser, "registration-otp").await;
    let (_, page) = edit(
        &browser,
        &draft,
        &[
            ("op", "add_component"),
            ("step", "details"),
            ("what", "INPUT:TEXT"),
            ("id", "nickname"),
            ("parent", "details_form"),
        ],
    )
    .await;
    edit(
        &browser,
        &page,
        &[
            ("op", "update_component"),
            ("step", "details"),
            ("component", "nickname"),
            ("label", "{{t(details.nickname)}}"),
        ],
    )
    .await;
    let fr = browser
        .get(&format!("{REG}/draft/preview/details?lang=fr"))
        .await;
    assert!(
        fr.text_of("label[for=nickname]").starts_with("Surnom"),
        "{}",
        fr.html
    );
    let en = browser
        .get(&format!("{REG}/draft/preview/details?lang=en"))
        .await;
    assert!(en.text_of("label[for=nickname]").starts_with("Nickname"));
    let listed = browser.get("/admin/messages?key=details.nickname").await;
    assert!(
        listed
            .text_of("#msg-details-nickname")
            .contains("Self registration, step “details” (draft)"),
        "{}",
        listed.html
    );

    // Emptying the field goes back to the built-in text.
    let (status, _) = browser
        .post(
            "/admin/messages",
            &fields(&[
                ("csrf_token", &texts.csrf()),
                ("key", "register.title"),
                ("text_en", ""),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        visitor.get("/register?lang=en").await.h1(),
        "Create your account"
    );
    let audit = app.store().await.recent_audit(50).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert!(
        actions.contains(&"message.changed") && actions.contains(&"message.reset"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn invitations_are_sent_listed_resent_and_revoked_from_the_console() {
    let app = spawn_app().await;
    let (browser, admin) = admin_browser(&app).await;
    let page = browser.get("/admin/invitations").await;
    assert_eq!(page.status, StatusCode::OK);

    // One person, with a prefilled name and the inviter's name shown in the mail.
    let grace = unique_email("grace");
    let (status, sent) = browser
        .post(
            "/admin/invitations",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("email", &grace),
                ("given_name", "Grace"),
                ("invited_by", "Dorothy"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(sent.notice().unwrap().contains(&grace));
    let mail = app.last_mail(&grace, 1).await;
    assert!(mail.subject.contains("Dorothy"), "{}", mail.subject);
    let first_link = mail.invitation_link();

    // A bad address and a registered one come back beside the field, typed values kept.
    let (status, refused) = browser
        .post(
            "/admin/invitations",
            &fields(&[("csrf_token", &page.csrf()), ("email", "not-an-address")]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error("email").is_some());
    assert_eq!(
        refused.attr("#email", "value").as_deref(),
        Some("not-an-address")
    );
    let member = unique_email("member");
    register_fully(&app, "Ada", &member).await;
    let (status, refused) = browser
        .post(
            "/admin/invitations",
            &fields(&[("csrf_token", &page.csrf()), ("email", &member)]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .field_error("email")
            .unwrap()
            .contains("already has an account")
    );

    // Several at once: each line its own result, a bad line stops nothing.
    let (one, two) = (unique_email("one"), unique_email("two"));
    let (status, bulk) = browser
        .post(
            "/admin/invitations/bulk",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("addresses", &format!("{one}\n\nnope\n{two}\n")),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let results = bulk.select_all("tr.result--ok, tr.result--failed");
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(bulk.select_all("tr.result--failed").len(), 1);
    app.wait_for_mails(&one, 1).await;
    app.wait_for_mails(&two, 1).await;
    let (status, empty) = browser
        .post(
            "/admin/invitations/bulk",
            &fields(&[("csrf_token", &page.csrf()), ("addresses", "  \n ")]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.field_error("addresses").is_some());

    // Listed and filtered.
    let listed = browser
        .get(&format!(
            "/admin/invitations?status=pending&address={}",
            &grace[..10]
        ))
        .await;
    assert!(
        listed.html.contains(&grace) && !listed.html.contains(&one),
        "{}",
        listed.html
    );
    let id = listed
        .attr("tr[id^=invitation-]", "id")
        .unwrap()
        .trim_start_matches("invitation-")
        .to_owned();

    // Resend: a new link, the old one stops working.
    let (status, resent) = browser
        .post(
            &format!("/admin/invitations/{id}/resend"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(resent.notice().unwrap().contains("new invitation"));
    let new_link = app.last_mail(&grace, 2).await.invitation_link();
    assert_ne!(new_link, first_link);
    let visitor = app.browser();
    let old = visitor
        .get(first_link.trim_start_matches(&app.address))
        .await;
    assert_eq!(old.status, StatusCode::GONE);
    let replaced = browser.get("/admin/invitations?status=replaced").await;
    assert!(replaced.html.contains(&grace));

    // Revoke the new one: its link says so.
    let pending = browser
        .get(&format!(
            "/admin/invitations?status=pending&address={}",
            &grace[..10]
        ))
        .await;
    let id = pending
        .attr("tr[id^=invitation-]", "id")
        .unwrap()
        .trim_start_matches("invitation-")
        .to_owned();
    let (status, revoked) = browser
        .post(
            &format!("/admin/invitations/{id}/revoke"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(revoked.notice().unwrap().contains("revoked"));
    let gone = app
        .browser()
        .get(new_link.trim_start_matches(&app.address))
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    let (status, again) = browser
        .post(
            &format!("/admin/invitations/{id}/revoke"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(again.notice().unwrap().contains("no longer pending"));
    let missing = browser
        .post_raw(
            "/admin/invitations/nope/revoke",
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let audit = app.store().await.recent_audit(100).await.unwrap();
    let mine: Vec<&str> = audit
        .iter()
        .filter(|a| a.actor == format!("admin:{admin}"))
        .map(|a| a.action.as_str())
        .collect();
    for expected in ["invitation.sent", "invitation.resent", "invitation.revoked"] {
        assert!(mine.contains(&expected), "{mine:?}");
    }
}

#[tokio::test]
async fn client_applications_are_registered_and_deleted_from_the_console() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    const APPS: &str = "/admin/settings/applications";
    let page = browser.get(APPS).await;
    assert_eq!(page.status, StatusCode::OK);

    let (status, refused) = browser
        .post(
            APPS,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("name", ""),
                ("return_url", "http://shop.example/"),
                ("origins", "https://shop.example/path"),
                ("starts_per_minute", "a lot"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "return_url", "origins", "starts_per_minute"] {
        assert!(
            refused.field_error(field).is_some(),
            "{field}: {}",
            refused.html
        );
    }
    assert_summary_links_resolve(&refused);
    assert_eq!(
        refused.attr("#return_url", "value").as_deref(),
        Some("http://shop.example/")
    );

    let (status, made) = browser
        .post(
            APPS,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("name", "Shop"),
                ("return_url", "https://shop.example/welcome"),
                ("origins", "https://Shop.example\n\nhttp://localhost:3000"),
                ("starts_per_minute", "30"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(made.html.contains("30 a minute"), "its own limit is listed");
    let id = made
        .attr("tr[id^=app-]", "id")
        .unwrap()
        .trim_start_matches("app-")
        .to_owned();
    assert!(
        made.notice().unwrap().contains(&id),
        "the notice gives the applicationId"
    );

    // The API knows it at once: its origin gets CORS, its return URL is where flows end.
    let preflight = reqwest::Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/server/v1/flow/execute", app.address),
        )
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let (status, again) = browser
        .post(
            APPS,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("name", "Shop"),
                ("return_url", "https://x.example"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.field_error("name").unwrap().contains("exists"));

    let confirm = browser.get(&format!("{APPS}/{id}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.h1().contains("Shop"));
    let (status, deleted) = browser
        .post(
            &format!("{APPS}/{id}/delete"),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!deleted.exists("tr[id^=app-]"));
    assert_eq!(
        browser.get_raw(&format!("{APPS}/{id}/delete")).await.status,
        StatusCode::NOT_FOUND
    );
    let audit = app.store().await.recent_audit(50).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert!(actions.contains(&"application.created") && actions.contains(&"application.deleted"));
}

#[tokio::test]
async fn the_home_counts_registrations_and_retries_mail_the_outbox_gave_up_on() {
    // An SMTP server nobody listens on: mail fails, quickly, for good.
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_with(Options {
        smtp_server: Some(("smtp://127.0.0.1:9".into(), dir.path().to_owned())),
        outbox_retry_base_ms: Some(1),
        ..Options::default()
    })
    .await;
    let (browser, _) = admin_browser(&app).await;
    let home = browser.get("/admin").await;
    assert_eq!(home.text_of("#registrations-title"), "Registrations");
    assert!(
        home.text_of("section[aria-labelledby=registrations-title]")
            .contains("Today0")
    );

    let stranded = unique_email("stranded");
    app.invite(&stranded, Default::default(), "Dorothy").await;
    let mut failed = None;
    for _ in 0..200 {
        let home = browser.get("/admin").await;
        if home.html.contains(&stranded) {
            failed = Some(home);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let home = failed.expect("the mail fails and is listed");
    assert!(
        home.text_of("#outbox").contains("Failed"),
        "{}",
        home.text_of("#outbox")
    );
    let id = home
        .attr("tr[id^=mail-]", "id")
        .unwrap()
        .trim_start_matches("mail-")
        .to_owned();
    let (status, retried) = browser
        .post(
            &format!("/admin/outbox/{id}/retry"),
            &fields(&[("csrf_token", &home.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(retried.notice().unwrap().contains("queued again"));
    let (status, twice) = browser
        .post(
            &format!("/admin/outbox/{id}/retry"),
            &fields(&[("csrf_token", &home.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(twice.notice().is_some());
    let audit = app.store().await.recent_audit(20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "outbox.retried"));
}

#[tokio::test]
async fn users_are_found_disabled_enabled_signed_out_and_deleted() {
    let app = spawn_app().await;
    let (browser, _) = admin_browser(&app).await;
    let ada = unique_email("ada.user");
    let person = register_fully(&app, "Ada", &ada).await;
    register_fully(&app, "Grace", &unique_email("grace.user")).await;

    let found = browser.get(&format!("/admin/users?q={}", &ada[..12])).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found.html.contains(&ada) && !found.html.contains("grace.user"),
        "{}",
        found.html
    );
    let everyone = browser.get("/admin/users").await;
    assert_eq!(everyone.select_all("tbody tr").len(), 2);
    let link = found.attr("tbody a", "href").unwrap();
    let page = browser.get(&link).await;
    assert_eq!(page.h1(), ada);
    assert!(page.html.contains("given_name") && page.html.contains("Ada"));

    // Each action asks first, on a page of its own.
    let confirm = browser.get(&format!("{link}/disable")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let (status, disabled) = browser
        .post(
            &format!("{link}/disable"),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(disabled.text_of(".facts").contains("Disabled"));
    assert!(
        !signed_in(&person).await,
        "a disabled account's sessions end"
    );
    let (status, _) = sign_in(&app, &ada, GOOD_PASSWORD).await;
    assert_ne!(status, StatusCode::SEE_OTHER, "and it cannot sign in");

    let (status, enabled) = browser
        .post(
            &format!("{link}/enable"),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(enabled.text_of(".facts").contains("Active"));
    let (status, _) = sign_in(&app, &ada, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = browser.get(&link).await;
    assert!(page.html.contains("user.signed_in") && page.html.contains("user.sign_in_failed"));
    assert!(
        !page.text_of(".facts").contains("Not in the last"),
        "the last sign-in is shown"
    );
    let (status, _) = sign_in(&app, &unique_email("nobody"), "some guess").await;
    assert_ne!(status, StatusCode::SEE_OTHER);
    let anonymous = browser.get("/admin/audit?actor=anonymous").await;
    assert_eq!(
        anonymous.select_all("tbody tr td:nth-child(3)"),
        vec!["user.sign_in_failed"]
    );

    let (status, _) = browser
        .post(
            &format!("{link}/unlock"),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = browser
        .post(
            &format!("{link}/sign-out"),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let history = browser.get(&link).await;
    for event in [
        "user.disabled",
        "user.enabled",
        "user.unlocked",
        "user.signed_out_everywhere",
    ] {
        assert!(
            history.html.contains(event),
            "{event} in the user's recent events"
        );
    }

    assert_eq!(
        browser.get_raw(&format!("{link}/explode")).await.status,
        StatusCode::NOT_FOUND
    );
    let (status, deleted) = browser
        .post(
            &format!("{link}/delete"),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(deleted.notice().unwrap().contains("deleted"));
    assert!(!stored_user_exists(&app, &ada).await);
    assert_eq!(browser.get_raw(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        browser.get_raw("/admin/users/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_audit_log_filters_pages_and_exports() {
    let app = spawn_app().await;
    let (browser, admin) = admin_browser(&app).await;
    register_fully(&app, "Ada", &unique_email("audited")).await;
    start_draft(&browser, "registration-otp").await;

    let all = browser.get("/admin/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    let actions = all.select_all("tbody tr td:nth-child(3)");
    for expected in ["admin.signed_in", "flow.draft_started", "user.registered"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    let mine = browser
        .get("/admin/audit?actor=admin%3A&action=flow.")
        .await;
    let actions = mine.select_all("tbody tr td:nth-child(3)");
    assert_eq!(actions, vec!["flow.draft_started"], "{}", mine.html);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let dated = browser
        .get(&format!("/admin/audit?from={today}&to={today}"))
        .await;
    assert!(!dated.select_all("tbody tr").is_empty());
    let none = browser
        .get("/admin/audit?from=2001-01-01&to=2001-01-02")
        .await;
    assert!(none.html.contains("No entry matches"));
    let (status, bad) = (
        browser
            .get_raw("/admin/audit?from=30%2F11%2F2026")
            .await
            .status,
        browser
            .get("/admin/audit?from=2026-12-02&to=2026-12-01")
            .await,
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field_error("to").is_some());

    let csv = browser
        .get("/admin/audit/export?actor=admin%3A&format=csv")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let mut lines = csv.html.lines();
    assert_eq!(
        lines.next(),
        Some("at,actor,actor_name,action,subject,subject_name,detail")
    );
    assert!(lines.all(|l| l.contains(&format!("\"admin:{admin}\""))));
    let jsonl = browser.get("/admin/audit/export?format=jsonl").await;
    let entries: Vec<serde_json::Value> = jsonl
        .html
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(entries.iter().any(|e| e["action"] == "user.registered"));
    assert!(!jsonl.html.contains(GOOD_PASSWORD), "no secret in the log");
}

#[tokio::test]
async fn operators_run_users_and_invitations_only_and_the_last_owner_stays() {
    let app = spawn_app().await;
    let (owner, owner_email) = admin_browser(&app).await;
    let (operator, operator_email, home) = operator_browser(&app, &owner).await;
    assert!(
        home.exists("nav a[href='/admin/users']") && !home.exists("nav a[href='/admin/flows']")
    );
    for allowed in ["/admin/users", "/admin/invitations", "/admin/account"] {
        assert_eq!(
            operator.get_raw(allowed).await.status,
            StatusCode::OK,
            "{allowed}"
        );
    }
    for owners_only in [
        "/admin/flows",
        "/admin/flows/REGISTRATION",
        "/admin/admins",
        "/admin/audit",
        "/admin/funnel",
        "/admin/deliveries",
        "/admin/messages",
        "/admin/tokens",
        "/admin/settings",
        "/admin/settings/branding",
        "/admin/settings/limits",
        "/admin/settings/password",
        "/admin/settings/applications",
    ] {
        assert_eq!(
            operator.get_raw(owners_only).await.status,
            StatusCode::FORBIDDEN,
            "{owners_only}"
        );
    }
    let refused = operator
        .post_raw(
            "/admin/flows/REGISTRATION/draft/start",
            &fields(&[("csrf_token", &home.csrf()), ("source", "published")]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        app.store()
            .await
            .draft(FlowType::Registration)
            .await
            .unwrap()
            .is_none()
    );

    // Removing: never oneself; the operator is removed, and their session ends with it.
    let list = owner.get("/admin/admins").await;
    let me = list
        .attr("tr[id^=admin-]", "id")
        .unwrap()
        .trim_start_matches("admin-")
        .to_owned();
    let (_, refused) = owner
        .post(
            &format!("/admin/admins/{me}/remove"),
            &fields(&[("csrf_token", &list.csrf())]),
        )
        .await;
    assert!(refused.notice().unwrap().contains("cannot remove yourself"));
    let store = flows::startup::open_store(&app.settings).await.unwrap();
    let op = store
        .admin_by_email(&operator_email.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    let confirm = owner.get(&format!("/admin/admins/{}/remove", op.id)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let (status, removed) = owner
        .post(
            &format!("/admin/admins/{}/remove", op.id),
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        removed
            .notice()
            .unwrap()
            .contains("no longer an administrator")
    );
    assert_eq!(
        operator.get_raw("/admin/users").await.status,
        StatusCode::SEE_OTHER
    );

    // The last owner stays, whoever asks.
    let last = store
        .admin_by_email(&owner_email.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    let entry = flows::store::AuditEntry {
        actor: "test".into(),
        action: "admin.removed",
        subject: None,
        detail: serde_json::json!({}),
    };
    assert!(
        !store
            .remove_admin(&last.id, &entry, time::OffsetDateTime::now_utc())
            .await
            .unwrap()
    );
}

/// The id of the account of `email`.
async fn user_id(app: &TestApp, email: &str) -> String {
    app.store()
        .await
        .user_by_email(&email.to_lowercase())
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

#[tokio::test]
async fn a_recovery_mail_sent_on_a_users_behalf_lets_them_choose_a_new_password() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let ada = unique_email("forgetful");
    register_fully(&app, "Ada", &ada).await;
    let (browser, admin) = admin_browser(&app).await;
    let link = format!("/admin/users/{}", user_id(&app, &ada).await);
    let page = browser.get(&link).await;
    assert_eq!(
        page.attr("form[action$='/recovery-mail'] button", "type")
            .as_deref(),
        Some("submit")
    );
    let post = format!("{link}/recovery-mail");

    let forged = browser
        .post_raw(&post, &fields(&[("csrf_token", "forged")]))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let stranger = app.browser();
    let token = stranger.get("/login").await.csrf();
    let refused = stranger
        .post_raw(&post, &fields(&[("csrf_token", &token)]))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_mail_count_stays(&app, &ada, 1).await;

    let (status, sent) = browser
        .post(&post, &fields(&[("csrf_token", &page.csrf())]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        sent.notice().unwrap().contains("on its way"),
        "{}",
        sent.html
    );
    let mail = app.last_mail(&ada, 2).await;
    assert!(mail.subject.contains("Reset your"), "{}", mail.subject);

    // The owner follows the link in a browser that never saw the recovery page.
    let owner = app.browser();
    let page = crate::audit::confirm_link(&owner, &mail.link()).await;
    assert_eq!(page.h1(), "Choose a new password", "{}", page.html);
    let new_password = "chosen after the admin's mail";
    let (status, done) = owner
        .press(&page, "save", &[("password", new_password)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    let (status, _) = sign_in(&app, &ada, new_password).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "signs in with the new password"
    );

    let log = browser
        .get("/admin/audit?action=user.recovery_sent_by_admin")
        .await;
    let cells = log.select_all("tbody tr td");
    assert_eq!(cells[1], format!("admin:{admin}"), "{cells:?}");
    assert_eq!(cells[4], "127.0.0.1");
    assert!(!cells[5].is_empty(), "names the execution it started");
    let history = browser.get(&link).await;
    assert!(history.html.contains("user.recovery_sent_by_admin"));
}

#[tokio::test]
async fn a_recovery_mail_is_refused_for_a_disabled_user_and_for_a_flow_that_checks_a_code() {
    let app = spawn_app_with(Options {
        template: Some("recovery-otp"),
        ..Options::default()
    })
    .await;
    let ada = unique_email("coded");
    register_fully(&app, "Ada", &ada).await;
    let (browser, _) = admin_browser(&app).await;
    let link = format!("/admin/users/{}", user_id(&app, &ada).await);
    let page = browser.get(&link).await;
    let post = format!("{link}/recovery-mail");
    let (status, refused) = browser
        .post(&post, &fields(&[("csrf_token", &page.csrf())]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let notice = refused.notice().unwrap();
    assert!(
        notice.contains("No e-mail was sent") && notice.contains("checks a code"),
        "{notice}"
    );
    assert!(refused.exists(".notice--error"));

    let (status, _) = browser
        .post(
            &format!("{link}/disable"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, refused) = browser
        .post(&post, &fields(&[("csrf_token", &page.csrf())]))
        .await;
    assert!(
        refused.notice().unwrap().contains("only an active account"),
        "{}",
        refused.html
    );
    assert!(!refused.exists("form[action$='/recovery-mail']"));
    assert_mail_count_stays(&app, &ada, 1).await;
    let rows = app.store().await.recent_audit(50).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.action != "user.recovery_sent_by_admin" && r.action != "recovery.requested"),
        "a refusal stores nothing"
    );
}
