//! Accessibility is measured: axe-core (installed from npm by `.ci/services.sh install`)
//! scans every hosted and console page the browser tests visit. A serious or critical
//! violation fails the test; moderate and minor ones are printed.
//!
//! The pages carry no script and their CSP (`default-src 'none'`) would refuse one. The
//! scanner therefore runs in a separate Chromium session with JavaScript allowed, and hands
//! axe to the page through WebDriver's "execute script": chromedriver evaluates it over the
//! DevTools protocol, which the page's CSP does not govern. The test proves that the CSP still
//! stands: a script the page itself would load is refused. The journeys are driven in that
//! session by clicks and typing, as in `browser.rs`, so pages that answer a POST (a form with
//! errors, a refused edit) are scanned too.

use crate::browser::{click, open_session, select, source, type_into, wait_for_h1};
use crate::helpers::*;
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

/// Where axe.min.js is: `$FLOWS_TEST_AXE` (written to env.sh by `.ci/services.sh start`), or
/// the npm install under tests/axe. Missing is a failure, never a skip.
fn axe_source() -> String {
    let path = std::env::var("FLOWS_TEST_AXE").unwrap_or_else(|_| {
        format!(
            "{}/tests/axe/node_modules/axe-core/axe.min.js",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {path} ({e}): run `bash .ci/services.sh install` \
             (npm ci --prefix tests/axe) and source /tmp/flows-ci/env.sh, or set FLOWS_TEST_AXE"
        )
    })
}

/// Opens every `<details>`, so the forms inside them are scanned too, then runs axe on the
/// whole document and answers its violations, and the ids of the rules it could not decide
/// (axe's "incomplete", e.g. text in an SVG, whose background it cannot compute).
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
document.querySelectorAll('details').forEach((d) => { d.open = true; });
axe.run(document, { resultTypes: ['violations'] })
  .then((r) => done({
    undecided: r.incomplete.map((v) => v.id),
    violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact || 'unknown', help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')
        + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : '')),
    })),
  }))
  .catch((e) => done({ error: String(e) }));
"#;

#[derive(Debug, serde::Deserialize)]
struct Violation {
    id: String,
    impact: String,
    help: String,
    nodes: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Outcome {
    error: Option<String>,
    #[serde(default)]
    undecided: Vec<String>,
    #[serde(default)]
    violations: Vec<Violation>,
}

struct Scanner {
    client: Client,
    axe: String,
    scheme: &'static str,
    scanned: Vec<String>,
    failures: Vec<String>,
}

impl Scanner {
    async fn open(scheme: &'static str) -> Self {
        let axe = axe_source();
        // Chromium's preferred colour scheme, which the stylesheets' `prefers-color-scheme` follows.
        let args: &[&str] = if scheme == "dark" {
            &["--force-dark-mode"]
        } else {
            &[]
        };
        let client = open_session(true, args).await;
        Self {
            client,
            axe,
            scheme,
            scanned: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Hands axe to the page (unless it has it already) and runs it.
    async fn run_axe(&self, url: &str) -> Outcome {
        let loaded = self
            .client
            .execute(
                &format!(
                    "if (typeof window.axe !== 'object') {{\n{}\n}}\nreturn typeof window.axe;",
                    self.axe
                ),
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("injecting axe into {url}: {e}"));
        assert_eq!(loaded, "object", "axe did not load into {url}");
        let result = self
            .client
            .execute_async(RUN_AXE, vec![])
            .await
            .unwrap_or_else(|e| panic!("running axe on {url}: {e}"));
        let outcome: Outcome = serde_json::from_value(result.clone())
            .unwrap_or_else(|e| panic!("axe answered {result} on {url}: {e}"));
        if let Some(error) = &outcome.error {
            panic!("axe failed on {url}: {error}");
        }
        outcome
    }

    /// Scans the page the session is on: serious and critical violations are failures.
    async fn scan(&mut self) {
        let url = self.client.current_url().await.expect("url").to_string();
        let outcome = self.run_axe(&url).await;
        let scheme = self.scheme;
        for v in outcome.violations {
            let line = format!(
                "[{}] {} ({}) on {url} ({scheme})\n    {}",
                v.impact,
                v.id,
                v.help,
                v.nodes.join("\n    ")
            );
            eprintln!("axe: {line}");
            if matches!(v.impact.as_str(), "serious" | "critical") {
                self.failures.push(line);
            }
        }
        if !outcome.undecided.is_empty() {
            eprintln!(
                "axe: for review on {url} ({scheme}): {:?}",
                outcome.undecided
            );
        }
        self.scanned.push(url);
    }

    /// Opens `path` on `app`, waits for its heading (unless `h1` is empty) and scans it.
    async fn visit(&mut self, app: &TestApp, path: &str, h1: &str) {
        self.client
            .goto(&format!("{}{path}", app.address))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
        if !h1.is_empty() {
            wait_for_h1(&self.client, h1).await;
        }
        self.scan().await;
    }

    /// Submits with `button` and scans the page it leads to, once its heading is `h1`.
    async fn press(&mut self, button: &str, h1: &str) {
        click(&self.client, button).await;
        wait_for_h1(&self.client, h1).await;
        self.scan().await;
    }

    /// Waits until `css` is on the page (after a submit that stays on the same heading).
    async fn wait_for(&self, css: &str) {
        self.client
            .wait()
            // Generous: the whole suite shares two cores with this browser.
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("{css} never appeared"));
    }

    async fn forget_cookies(&self) {
        self.client.delete_all_cookies().await.expect("cookies");
    }
}

/// The scan does not weaken the policy it runs under: in this very session, with JavaScript
/// allowed, the page's CSP still refuses a script the page itself would load.
async fn csp_still_blocks_page_scripts(scanner: &Scanner, app: &TestApp) {
    scanner
        .client
        .goto(&format!("{}/register", app.address))
        .await
        .expect("goto");
    let ran = scanner
        .client
        .execute_async(
            r#"
const done = arguments[arguments.length - 1];
const s = document.createElement('script');
s.src = 'data:text/javascript,window.__ran_by_page=1';
s.onload = () => done(window.__ran_by_page === 1);
s.onerror = () => done(false);
document.head.appendChild(s);
"#,
            vec![],
        )
        .await
        .expect("csp probe");
    assert_eq!(ran, false, "the page's CSP should refuse a page script");
}

/// The scanner sees what it should: an image without a text alternative and grey-on-grey
/// text, planted in a real page, are reported as the failures they are.
async fn scanner_sees_violations(scanner: &Scanner, app: &TestApp) {
    scanner
        .client
        .goto(&format!("{}/login", app.address))
        .await
        .expect("goto");
    scanner
        .client
        .execute(
            "const main = document.querySelector('main');
             const img = document.createElement('img');
             img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
             img.width = 10; img.height = 10;
             main.appendChild(img);
             const p = document.createElement('p');
             p.textContent = 'Hard to read';
             p.style.color = '#aaaaaa'; p.style.background = '#bbbbbb';
             main.appendChild(p);",
            vec![],
        )
        .await
        .expect("plant");
    let outcome = scanner.run_axe("the planted page").await;
    let found: Vec<(&str, &str)> = outcome
        .violations
        .iter()
        .map(|v| (v.id.as_str(), v.impact.as_str()))
        .collect();
    assert!(found.contains(&("image-alt", "critical")), "{found:?}");
    assert!(found.contains(&("color-contrast", "serious")), "{found:?}");
}

async fn hosted_pages(s: &mut Scanner, app: &TestApp) {
    s.visit(app, "/", "").await;
    // Registration: the first step, in both languages; errors; the code step; the end.
    s.visit(app, "/register?lang=fr", "Créez votre compte")
        .await;
    s.visit(app, "/register?lang=en", "Create your account")
        .await;
    s.press("button[value=continue]", "Create your account")
        .await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    let email = unique_email("axe");
    type_into(&s.client, "#given_name", "Grace").await;
    type_into(&s.client, "#email", &email).await;
    type_into(&s.client, "#password", GOOD_PASSWORD).await;
    click(&s.client, "#terms").await;
    s.press("button[value=continue]", CODE_PAGE).await;
    let code = app.last_mail(&email, 1).await.code();
    type_into(&s.client, "#otp", wrong_code(&code)).await;
    click(&s.client, "button[value=verify]").await;
    s.wait_for("#otp-error").await;
    s.scan().await;
    type_into(&s.client, "#otp", &code).await;
    s.press("button[value=verify]", DONE).await;
    s.visit(app, "/account", "Your account").await;

    // Sign-in, and a refused sign-in.
    s.forget_cookies().await;
    s.visit(app, "/login", "Sign in").await;
    type_into(&s.client, "#email", &email).await;
    type_into(&s.client, "#password", "not the password").await;
    click(&s.client, "button[type=submit].button--primary").await;
    s.wait_for(".error-summary").await;
    s.scan().await;

    // Recovery, through its link, to a new password; the used link again.
    s.forget_cookies().await;
    s.visit(app, "/recover", "Reset your password").await;
    type_into(&s.client, "#login", &email).await;
    s.press("button[value=continue]", CODE_PAGE).await;
    let link = app.last_mail(&email, 2).await.link();
    let path = link.trim_start_matches(&app.address).to_owned();
    s.visit(app, &path, "Confirm your e-mail address").await;
    s.press(
        "button[type=submit].button--primary",
        "Choose a new password",
    )
    .await;
    type_into(&s.client, "#password", "short").await;
    click(&s.client, "button[value=save]").await;
    s.wait_for("#password-error").await;
    s.scan().await;
    type_into(&s.client, "#password", "a brand new passphrase for me").await;
    s.press("button[value=save]", "Your password has been changed")
        .await;
    s.forget_cookies().await;
    s.visit(app, &path, "This link has already been used").await;

    // An invitation.
    s.forget_cookies().await;
    let invited = unique_email("axe.invite");
    let mut prefill = std::collections::BTreeMap::new();
    prefill.insert("given_name".to_owned(), "Katherine".to_owned());
    app.invite(&invited, prefill, "Dorothy").await;
    let link = app.last_mail(&invited, 1).await.invitation_link();
    let path = link.trim_start_matches(&app.address).to_owned();
    s.visit(app, &path, "You are invited").await;

    // Problem pages.
    s.visit(
        app,
        "/link?token=not-a-real-token",
        "This link is not valid",
    )
    .await;
    s.client
        .goto(&format!("{}/no/such/page", app.address))
        .await
        .expect("goto");
    s.scan().await;
}

async fn console_pages(s: &mut Scanner, app: &TestApp) {
    const REG: &str = "/admin/flows/REGISTRATION";
    const DRAFT: &str = "Draft of “Basic details + password + e-mail OTP verification”";
    s.forget_cookies().await;
    let admin = unique_email("axe.admin");
    crate::console::create_admin(app, &admin).await;
    s.visit(app, "/admin/login", "Sign in to the console").await;
    type_into(&s.client, "#email", &admin).await;
    type_into(&s.client, "#password", "not the password").await;
    click(&s.client, "button[type=submit].button--primary").await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    type_into(&s.client, "#email", &admin).await;
    type_into(&s.client, "#password", crate::console::ADMIN_PASSWORD).await;
    s.press("button[type=submit].button--primary", "Console")
        .await;
    s.visit(app, "/admin/flows", "Flows").await;
    s.visit(app, REG, "Self registration").await;

    // A draft from a template, with a widget inserted (so the draft has a diff), then a
    // refused edit (422) beside its field.
    click(&s.client, "#source-registration-otp").await;
    s.press("form[action$='/draft/start'] button[type=submit]", DRAFT)
        .await;
    s.client
        .execute("document.getElementById('widgets').open = true;", vec![])
        .await
        .expect("unfold the widget form");
    select(&s.client, "#widget-", "terms").await;
    select(&s.client, "#edge-", "o:check_code:success").await;
    click(
        &s.client,
        "form[action$='/draft/widget'] button[type=submit]",
    )
    .await;
    wait_for_h1(&s.client, DRAFT).await;
    for _ in 0..50 {
        if source(&s.client).await.contains("step-terms") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    s.client
        .execute(
            "document.querySelectorAll('details').forEach((d) => { d.open = true; });",
            vec![],
        )
        .await
        .expect("open details");
    type_into(&s.client, "#cfg-terms-continue-id", "not valid!").await;
    click(
        &s.client,
        "#component-terms-continue details form button[type=submit]",
    )
    .await;
    s.wait_for("#cfg-terms-continue-id-error").await;
    s.scan().await;

    s.visit(
        app,
        &format!("{REG}/draft/remove?step=done"),
        "Remove step done?",
    )
    .await;
    s.visit(app, &format!("{REG}/draft/discard"), "Discard the draft?")
        .await;
    s.visit(
        app,
        &format!("{REG}/draft/preview/details"),
        "Create your account",
    )
    .await;
    s.visit(app, &format!("{REG}/versions"), "Version history")
        .await;
    s.visit(
        app,
        &format!("{REG}/versions/1"),
        "Version 1: Basic details + password + e-mail OTP verification",
    )
    .await;
    s.visit(
        app,
        &format!("{REG}/versions/1/preview/enter_code"),
        CODE_PAGE,
    )
    .await;
    s.visit(app, &format!("{REG}/diff?from=published&to=draft"), "")
        .await;
    s.visit(app, &format!("{REG}/import"), "").await;
    s.visit(app, "/admin/invitations?status=pending", "Invitations")
        .await;
    s.visit(app, "/admin/settings", "Settings").await;
    s.visit(app, "/admin/settings/branding", "Branding").await;
    s.visit(app, "/admin/settings/limits", "Lifetimes and limits")
        .await;
    s.visit(app, "/admin/settings/password", "Password policy")
        .await;
    s.visit(app, "/admin/settings/applications", "Client applications")
        .await;
    // Registered with a proof: the key shown once, then the application's own page.
    type_into(&s.client, "#name", "Kiosk").await;
    type_into(&s.client, "#return_url", "https://kiosk.example/").await;
    click(&s.client, "#require_proof").await;
    click(
        &s.client,
        "form[action='/admin/settings/applications'] button[type=submit]",
    )
    .await;
    s.wait_for("#new-key").await;
    s.scan().await;
    click(&s.client, "tr[id^=app-] td a").await;
    wait_for_h1(&s.client, "Kiosk").await;
    s.scan().await;
    s.visit(app, "/admin/extensions", "Extensions").await;
    // Refused: the summary and the message beside the field.
    click(
        &s.client,
        "form[action='/admin/extensions'] button[type=submit]",
    )
    .await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    // Added with a secret Flows made: shown once.
    type_into(&s.client, "#name", "crm").await;
    type_into(&s.client, "#url", "https://hooks.example.com/flows").await;
    click(
        &s.client,
        "form[action='/admin/extensions'] button[type=submit]",
    )
    .await;
    s.wait_for("#new-secret").await;
    s.scan().await;
    s.visit(app, "/admin/connections", "Connections").await;
    // Refused: the summary and the message beside the field.
    click(
        &s.client,
        "form[action='/admin/connections'] button[type=submit]",
    )
    .await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    // Added with a preset: listed with its Test and Remove buttons.
    type_into(&s.client, "#name", "google").await;
    select(&s.client, "#preset", "google").await;
    type_into(&s.client, "#client_id", "flows.apps.googleusercontent.com").await;
    type_into(&s.client, "#client_secret", "a client secret").await;
    click(
        &s.client,
        "form[action='/admin/connections'] button[type=submit]",
    )
    .await;
    s.wait_for("#connection-google").await;
    s.scan().await;
    s.visit(app, "/admin/users", "Users").await;
    s.visit(app, "/admin/users?status=active", "Users").await;
    // The approval queue with an account waiting (one registered above, left waiting as a
    // RequireApproval task leaves it), then a rejection refused beside its reason field.
    let store = app.store().await;
    let registered = store.search_users("axe.", 10, 0).await.expect("users");
    let waiting = registered
        .iter()
        .find(|u| !u.email.starts_with("axe.admin"))
        .expect("an account registered above");
    assert!(
        store
            .set_user_status(
                waiting.id,
                "PENDING_APPROVAL",
                time::OffsetDateTime::now_utc()
            )
            .await
            .expect("status")
    );
    s.visit(app, "/admin/approvals", "Approvals").await;
    click(
        &s.client,
        &format!("form[action$='/{}/reject'] button[type=submit]", waiting.id),
    )
    .await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    s.visit(app, "/admin/audit", "Audit log").await;
    s.visit(app, "/admin/funnel?type=REGISTRATION&period=7d", "Funnel")
        .await;
    s.visit(app, "/admin/messages", "Texts and translations")
        .await;
    s.visit(app, "/admin/messages?q=password", "Texts and translations")
        .await;
    s.visit(app, "/admin/settings/emails", "E-mail texts").await;
    s.visit(
        app,
        "/admin/settings/emails/otp?lang=fr",
        "Verification code",
    )
    .await;
    // A text Fluent refuses comes back beside its field, with the summary.
    type_into(&s.client, "#text-mail-otp-subject", "{ $code").await;
    click(
        &s.client,
        "form[action='/admin/settings/emails/otp'] button[type=submit]",
    )
    .await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    // API tokens: the empty list, a refused name (422), a new token shown once, the list.
    s.visit(app, "/admin/tokens", "API tokens").await;
    let create = "form[action='/admin/tokens'] button[type=submit]";
    type_into(&s.client, "#name", "two words").await;
    click(&s.client, create).await;
    s.wait_for(".error-summary").await;
    s.scan().await;
    type_into(&s.client, "#name", "axe").await;
    click(&s.client, create).await;
    s.wait_for("#new-token").await;
    s.scan().await;
    s.visit(app, "/admin/tokens", "API tokens").await;
    // Failed event deliveries (none here: the empty list).
    s.visit(app, "/admin/deliveries", "Event deliveries").await;
    s.visit(app, "/admin/admins", "Administrators").await;
    s.visit(app, "/admin/account", "").await;
    s.visit(app, "/admin", "Console").await;
}

/// A journey left idle past its lifetime and an invitation past its own: their pages, on an
/// app of its own whose clock the test moves.
async fn expired_page(s: &mut Scanner) {
    let app = &spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    s.visit(app, "/register", "Create your account").await;
    app.advance(time::Duration::minutes(31));
    s.visit(app, "/register", "This page has expired").await;

    // An invitation past its lifetime: its page offers to ask for a new one, and the answer.
    s.forget_cookies().await;
    let late = unique_email("axe.late");
    app.invite(&late, std::collections::BTreeMap::new(), "Dorothy")
        .await;
    let link = app.last_mail(&late, 1).await.invitation_link();
    app.advance(time::Duration::days(8));
    s.visit(
        app,
        link.trim_start_matches(&app.address),
        "This invitation has expired",
    )
    .await;
    s.press(
        "form[action='/invite/renew'] button[type=submit]",
        "Request sent",
    )
    .await;
}

/// Walks every page in one scanning session; returns the pages scanned and the failures.
async fn walk(scheme: &'static str) {
    let started = Instant::now();
    let app = spawn_app().await;
    let mut scanner = Scanner::open(scheme).await;
    let walk = async {
        csp_still_blocks_page_scripts(&scanner, &app).await;
        scanner_sees_violations(&scanner, &app).await;
        hosted_pages(&mut scanner, &app).await;
        console_pages(&mut scanner, &app).await;
        expired_page(&mut scanner).await;
    };
    let outcome = futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(walk)).await;
    scanner.client.clone().close().await.expect("close browser");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
    eprintln!(
        "axe scanned {} pages ({scheme}) in {:.1} s:\n  {}",
        scanner.scanned.len(),
        started.elapsed().as_secs_f64(),
        scanner.scanned.join("\n  ")
    );
    assert!(
        scanner.failures.is_empty(),
        "{} serious or critical accessibility violation(s) ({scheme} colour scheme):\n{}",
        scanner.failures.len(),
        scanner.failures.join("\n")
    );
}

#[tokio::test]
async fn accessibility_of_every_page_in_the_light_colour_scheme() {
    walk("light").await;
}

#[tokio::test]
async fn accessibility_of_every_page_in_the_dark_colour_scheme() {
    walk("dark").await;
}
