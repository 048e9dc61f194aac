//! Sessions and tokens under attack: cookies sealed with another key or cut short, CSRF
//! tokens carried to another session, execution ids guessed or borrowed, links and codes
//! used in the wrong place, and every redirect that could be pointed at another site.
//! (Tampered cookies, missing and made-up CSRF tokens, HSTS and Referrer-Policy are in
//! security.rs.)

use crate::api::{Api, EXECUTE};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

/// `cookie_header` with the `flows_session` value replaced by `value`.
fn with_session(cookie_header: &str, value: &str) -> String {
    cookie_header
        .split("; ")
        .map(|pair| match pair.split_once('=') {
            Some(("flows_session", _)) => format!("flows_session={value}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn session_value(browser: &Browser) -> String {
    browser
        .cookie_header()
        .unwrap_or_default()
        .split("; ")
        .find_map(|pair| pair.strip_prefix("flows_session=").map(str::to_owned))
        .expect("a flows_session cookie")
}

/// After the forged cookie: the code is refused, nothing is made, and the person starts over.
async fn assert_counts_as_no_session(app: &TestApp, browser: &Browser, page: &Page, email: &str) {
    let code = app.last_mail(email, 1).await.code();
    let (status, refused) = browser.press(page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(!stored_user_exists(app, email).await);
    assert!(!signed_in(browser).await);
    let fresh = browser.get("/register").await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(fresh.step().as_deref(), Some("details"));
    assert_eq!(fresh.attr("#email", "value").as_deref(), Some(""));
}

#[tokio::test]
async fn a_cookie_sealed_with_another_key_or_cut_short_counts_as_no_session() {
    // Each app keeps its own random session key in its own database: a cookie minted by
    // `other` is well-formed, signed and encrypted, only not with `app`'s key.
    let app = spawn_app().await;
    let other = spawn_app().await;
    let email = unique_email("otherkey");
    let browser = app.browser();
    let page = to_code_page(&browser, "Ada", &email).await;
    let stranger = other.browser();
    to_code_page(&stranger, "Ada", &email).await;
    let foreign = session_value(&stranger);
    let own = browser.cookie_header().unwrap_or_default();
    assert_ne!(foreign, session_value(&browser));
    browser.restore_cookies(&with_session(&own, &foreign));
    assert_eq!(session_value(&browser), foreign);
    assert_counts_as_no_session(&app, &browser, &page, &email).await;

    // Cut short: half the value, and the value less its last character.
    for cut in [|v: &str| v.len() / 2, |v: &str| v.len() - 1] {
        let email = unique_email("truncated");
        let browser = app.browser();
        let page = to_code_page(&browser, "Ada", &email).await;
        let value = session_value(&browser);
        let short = value[..cut(&value)].to_owned();
        let own = browser.cookie_header().unwrap_or_default();
        browser.restore_cookies(&with_session(&own, &short));
        assert_counts_as_no_session(&app, &browser, &page, &email).await;
    }

    // Signed in elsewhere is not signed in here either, and no page breaks on it.
    let signed = register_fully(&other, "Ada", &unique_email("elsewhere")).await;
    let visitor = app.browser();
    visitor.get("/register").await;
    let mine = visitor.cookie_header().unwrap_or_default();
    visitor.restore_cookies(&with_session(&mine, &session_value(&signed)));
    for path in ["/account", "/admin", "/register", "/recover", "/login", "/"] {
        let page = visitor.get_raw(path).await;
        assert!(!page.status.is_server_error(), "{path}: {}", page.status);
    }
    assert!(!signed_in(&visitor).await);
}

#[tokio::test]
async fn a_csrf_token_from_another_session_sends_nothing_and_confirms_nothing() {
    // security.rs refuses another session's token on the details step; here the steps that
    // would send mail, confirm a link or sign in.
    let app = spawn_app().await;
    let email = unique_email("crosscsrf");
    let victim = app.browser();
    let code_page = to_code_page(&victim, "Ada", &email).await;
    app.wait_for_mails(&email, 1).await;
    let attacker = app.browser();
    let foreign = attacker.get("/register").await.csrf();
    assert_ne!(foreign, code_page.csrf());
    let mut fields: Vec<(String, String)> = code_page
        .form_fields()
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    fields.push(("csrf_token".into(), foreign.clone()));
    fields.push(("action".into(), "resend".into()));
    let (status, refused) = victim.post("/register", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert_mail_count_stays(&app, &email, 1).await;

    // Recovery: the request that would mail a link.
    let account = unique_email("crossrecover");
    register_fully(&app, "Ada", &account).await;
    let browser = app.browser();
    let page = browser.get("/recover").await;
    let mut fields: Vec<(String, String)> = page
        .form_fields()
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    fields.extend([
        ("csrf_token".into(), foreign.clone()),
        ("action".into(), "continue".into()),
        ("login".into(), account.clone()),
    ]);
    let (status, _) = browser.post("/recover", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_mail_count_stays(&app, &account, 1).await;

    // Sign-in with the right password but someone else's token.
    let (status, _) = browser
        .post("/login", &sign_in_form(&foreign, &account, GOOD_PASSWORD))
        .await;
    assert!(status.is_client_error(), "{status}");
    assert!(!signed_in(&browser).await);

    // A link confirmation: refused, and the link still works for its owner afterwards.
    let asker = app.browser();
    let page = asker.get("/recover").await;
    let (_, _) = asker.press(&page, "continue", &[("login", &account)]).await;
    let link = app.last_mail(&account, 2).await.link();
    let token = link.split("token=").nth(1).expect("token").to_owned();
    let landing = asker.get(&link).await;
    let (status, _) = asker
        .post(
            "/link",
            &[
                ("csrf_token".into(), foreign.clone()),
                ("token".into(), token),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = press_link(&asker, &landing, &link).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), "Choose a new password");
}

#[tokio::test]
async fn execution_ids_guessed_or_borrowed_give_nothing() {
    let app = spawn_app().await;
    let api = Api::new(&app);
    let email = unique_email("guessed");
    let first = api.start("REGISTRATION").await;
    let code_view = api
        .press(&first, "continue", crate::api::details(&email))
        .await;
    let id = code_view["flowId"].as_str().expect("flowId").to_owned();
    let code = app.last_mail(&email, 1).await.code();

    // Over the API a flowId is a bearer capability by WSO2's design: the client that holds it
    // goes on, whoever it is, so the protection is its 122 random bits. A guessed one, or
    // anything that is not one, is an invalid flow id and changes nothing.
    let random = uuid::Uuid::new_v4().to_string();
    let near = format!("{}0", &id[..id.len() - 1]);
    for guess in [random.as_str(), near.as_str(), "1", "../", ""] {
        if guess == id {
            continue;
        }
        let (status, answer) = api
            .call(json!({"flowId": guess, "actionId": "verify", "inputs": {"otp": code}}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{guess:?}: {answer}");
        assert_eq!(answer["code"], "FE-60001", "{guess:?}: {answer}");
        assert!(!answer.to_string().contains(&email), "{guess:?}: {answer}");
    }
    assert!(!stored_user_exists(&app, &email).await);

    // The hosted pages keep their execution in the encrypted cookie and take no id from the
    // address or the form: a browser naming the API's execution gets a journey of its own.
    let browser = app.browser();
    for path in [
        format!("/register?flowId={id}"),
        format!("/register?flow_id={id}"),
        format!("/register?execution={id}"),
        format!("/register/{id}"),
    ] {
        let page = browser.get(&path).await;
        assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        assert!(
            !page.html.contains(&email),
            "{path} shows the other journey"
        );
        if page.status == StatusCode::OK {
            assert_eq!(page.step().as_deref(), Some("details"), "{path}");
        }
    }
    let page = browser.get("/register").await;
    let mut fields = page.form_fields();
    fields.retain(|(k, _)| k != "step");
    fields.extend([
        ("step".into(), "enter_code".into()),
        ("flowId".into(), id.clone()),
        ("execution".into(), id.clone()),
        ("action".into(), "verify".into()),
        ("otp".into(), code.clone()),
    ]);
    let (status, page) = browser.post("/register", &fields).await;
    assert!(!status.is_server_error(), "{status}");
    assert!(!page.html.contains(&email));
    assert!(!signed_in(&browser).await);
    assert!(!stored_user_exists(&app, &email).await);

    // A browser holding another browser's step page gets its own execution, not theirs.
    let owner = app.browser();
    let other = unique_email("owner");
    let owners_page = to_code_page(&owner, "Ada", &other).await;
    let owners_code = app.last_mail(&other, 1).await.code();
    let thief = app.browser();
    let theirs = thief.get("/register").await;
    let mut fields = owners_page.form_fields();
    fields.retain(|(k, _)| k != "csrf_token");
    fields.extend([
        ("csrf_token".into(), theirs.csrf()),
        ("action".into(), "verify".into()),
        ("otp".into(), owners_code.clone()),
    ]);
    let (status, page) = thief.post("/register", &fields).await;
    assert!(!status.is_server_error(), "{status}");
    // Refused (the step form's signed render token belongs to the owner's execution) or
    // shown the thief's own details step: either way not the owner's journey.
    assert!(!page.html.contains(&other), "{status} {}", page.html);
    assert!(!stored_user_exists(&app, &other).await);
    let own = thief.get("/register").await;
    assert_eq!(own.step().as_deref(), Some("details"));
    assert_eq!(own.attr("#email", "value").as_deref(), Some(""));

    // Both owners finish undisturbed.
    let (status, done) = owner
        .press(&owners_page, "verify", &[("otp", &owners_code)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(done.h1(), DONE);
    let done = api.press(&code_view, "verify", json!({"otp": code})).await;
    assert_eq!(done["flowStatus"], "COMPLETE", "{done}");
}

async fn invite(app: &TestApp, email: &str) -> String {
    app.invite(email, Default::default(), "Grace Hopper").await;
    let link = app.last_mail(email, 1).await.invitation_link();
    link.split("code=").nth(1).expect("code").to_owned()
}

fn path_and_query(link: &str) -> String {
    let at = link.find("://").map_or(0, |i| i + 3);
    link[at..]
        .find('/')
        .map_or_else(String::new, |i| link[at + i..].to_owned())
}

/// Two refusals a person could compare: same status, same heading, same page.
fn assert_same_refusal(a: &Page, b: &Page, what: &str) {
    assert_eq!(a.status, b.status, "{what}");
    assert_eq!(a.h1(), b.h1(), "{what}");
    assert_eq!(a.comparable_html(), b.comparable_html(), "{what}");
}

#[tokio::test]
async fn a_link_or_code_used_in_the_wrong_place_is_refused_like_an_unknown_one() {
    let app = spawn_app_with(Options {
        template: Some("registration-magic-link"),
        ..Options::default()
    })
    .await;
    let registrant = unique_email("linked");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let (_, check) = browser
        .press(
            &page,
            "continue",
            &details("Ada", &registrant, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(
        check.step().as_deref(),
        Some("check_email"),
        "{}",
        check.html
    );
    let link = app.last_mail(&registrant, 1).await.link();
    let token = link.split("token=").nth(1).expect("token").to_owned();
    let invited = unique_email("invitee");
    let code = invite(&app, &invited).await;
    let made_up = "A".repeat(token.len());

    // A registration link's token as an invitation code: as unknown as a made-up code.
    let unknown = app.browser().get(&format!("/invite?code={made_up}")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let wrong = app.browser().get(&format!("/invite?code={token}")).await;
    assert_same_refusal(&unknown, &wrong, "link token as invitation code");

    // An invitation code as a link, opened and confirmed: as unknown as a made-up token.
    let unknown = app.browser().get(&format!("/link?token={made_up}")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let wrong = app.browser().get(&format!("/link?token={code}")).await;
    assert_same_refusal(&unknown, &wrong, "invitation code as link");
    let confirm = |token: String| async {
        let b = app.browser();
        let csrf = b.get("/register").await.csrf();
        b.post(
            "/link",
            &[("csrf_token".into(), csrf), ("token".into(), token)],
        )
        .await
        .1
    };
    let unknown = confirm(made_up.clone()).await;
    let wrong = confirm(code.clone()).await;
    assert_same_refusal(&unknown, &wrong, "invitation code confirmed as link");

    // Neither was spent by the misuse: both still do their own job.
    let page = app.browser().get(&format!("/invite?code={code}")).await;
    assert_eq!(page.h1(), "You are invited");
    let landing = app.browser().get(&path_and_query(&link)).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.html);

    // Spent links all say the same, whatever flow they belonged to.
    let (_, done) = browser
        .post(
            "/link",
            &[
                ("csrf_token".into(), check.csrf()),
                ("token".into(), token.clone()),
            ],
        )
        .await;
    assert_eq!(done.h1(), DONE, "{}", done.html);
    let used_registration = app.browser().get(&path_and_query(&link)).await;
    assert_eq!(used_registration.status, StatusCode::GONE);

    let asker = app.browser();
    let page = asker.get("/recover").await;
    asker
        .press(&page, "continue", &[("login", &registrant)])
        .await;
    let reset = app.last_mail(&registrant, 2).await.link();
    let reset_token = reset.split("token=").nth(1).expect("token").to_owned();
    let landing = asker.get(&path_and_query(&reset)).await;
    let (_, page) = asker
        .post(
            "/link",
            &[
                ("csrf_token".into(), landing.csrf()),
                ("token".into(), reset_token.clone()),
            ],
        )
        .await;
    assert_eq!(page.h1(), "Choose a new password");
    let (_, page) = asker
        .press(&page, "save", &[("password", "a brand new passphrase")])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");
    let used_recovery = app.browser().get(&path_and_query(&reset)).await;
    assert_same_refusal(&used_registration, &used_recovery, "spent links");
    let confirmed_again = confirm(reset_token).await;
    assert_same_refusal(&used_recovery, &confirmed_again, "spent link confirmed");
    // A registration link cannot stand in as a recovery code, either.
    assert!(!page.html.contains(&registrant));
}

#[tokio::test]
async fn an_invitation_opened_after_the_account_exists_is_refused_and_makes_no_second_account() {
    let app = spawn_app().await;
    let email = unique_email("twice");
    let code = invite(&app, &email).await;
    let registrar = app.browser();
    let page = to_code_page(&registrar, "Ada", &email).await;
    let otp = app.last_mail(&email, 2).await.code();
    let (_, done) = registrar.press(&page, "verify", &[("otp", &otp)]).await;
    assert_eq!(done.h1(), DONE);

    let browser = app.browser();
    let page = browser.get(&format!("/invite?code={code}")).await;
    assert_eq!(page.status, StatusCode::GONE, "{}", page.html);
    assert_eq!(page.h1(), "You already have an account");
    assert!(page.exists("a[href='/login']"), "{}", page.html);
    assert_eq!(app.store().await.count_users().await.ok(), Some(1));

    // Over the API, the same refusal.
    let api = Api::new(&app);
    let (status, answer) = api
        .call(
            json!({"flowType": "INVITED_USER_REGISTRATION", "inputs": {"confirmationCode": code}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["code"], "FE-60006", "{answer}");
    assert_eq!(app.store().await.count_users().await.ok(), Some(1));
}

// ---------------------------------------------------------------- redirects

const EVIL: [&str; 7] = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    "/admin\r\nLocation: https://evil.example",
];

/// A redirect may only go to this origin: a path that no browser reads as another host.
fn assert_stays_home(app: &TestApp, page: &Page, what: &str) {
    assert!(!page.status.is_server_error(), "{what}: {}", page.status);
    let Some(location) = page.headers.get("location") else {
        return;
    };
    let location = location.to_str().expect("ascii location");
    let path = location.strip_prefix(&app.address).unwrap_or(location);
    assert!(
        path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'),
        "{what} sends the browser to {location:?}"
    );
}

/// No link on the page points at another host either (a language switch, a way back).
fn assert_links_stay_home(page: &Page, what: &str) {
    let doc = page.doc();
    let sel = scraper::Selector::parse("a[href], form[action]").expect("selector");
    for e in doc.select(&sel) {
        let target = e
            .value()
            .attr("href")
            .or_else(|| e.value().attr("action"))
            .unwrap_or_default();
        let lower = target.to_ascii_lowercase();
        let another_host = lower.starts_with("//") || lower.starts_with("/\\");
        let absolute_evil = lower.contains(':') && lower.contains("evil.example");
        let script = lower.starts_with("javascript:");
        assert!(
            !(another_host || absolute_evil || script),
            "{what} links to {target:?}"
        );
    }
}

/// Percent-encodes every byte but letters and digits.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn no_redirect_or_link_leaves_the_site() {
    // Many posts from one address: the form rate limit is off, so every answer is real.
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let (admin, admin_email) = crate::console::admin_browser(&app).await;
    let person = register_fully(&app, "Ada", &unique_email("redirect")).await;
    let stranger = app.browser();
    let params = [
        "next",
        "return",
        "return_to",
        "returnUrl",
        "redirect",
        "redirect_uri",
        "lang",
    ];

    for evil in EVIL {
        let q = encode(evil);
        // Console sign-in: shown, submitted, and already signed in.
        let page = stranger.get_raw(&format!("/admin/login?next={q}")).await;
        assert_stays_home(&app, &page, "GET /admin/login");
        assert_eq!(
            page.attr("input[name=next]", "value").as_deref(),
            Some("/admin"),
            "{evil:?}"
        );
        let page = admin.get_raw(&format!("/admin/login?next={q}")).await;
        assert_stays_home(&app, &page, "GET /admin/login signed in");
        let fresh = app.browser();
        let csrf = fresh.get("/admin/login").await.csrf();
        let page = fresh
            .post_raw(
                "/admin/login",
                &[
                    ("csrf_token".into(), csrf),
                    ("email".into(), admin_email.clone()),
                    ("password".into(), crate::console::ADMIN_PASSWORD.into()),
                    ("next".into(), evil.into()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{evil:?}");
        assert_stays_home(&app, &page, "POST /admin/login");

        // A console page asked for while signed out comes back only to itself.
        let page = stranger
            .get_raw(&format!("/admin/flows?next={q}&x={q}"))
            .await;
        assert_stays_home(&app, &page, "GET /admin/flows signed out");

        // Every hosted page, with every name a return address could go by.
        let query: String = params
            .iter()
            .map(|p| format!("{p}={q}"))
            .collect::<Vec<_>>()
            .join("&");
        for path in [
            "/",
            "/register",
            "/recover",
            "/invite",
            "/login",
            "/account",
            "/link",
            "/no-such-page",
        ] {
            for browser in [&stranger, &person] {
                let page = browser.get_raw(&format!("{path}?{query}")).await;
                assert_stays_home(&app, &page, &format!("GET {path} {evil:?}"));
                assert_links_stay_home(&page, &format!("GET {path} {evil:?}"));
            }
        }
        let csrf = person.get("/account").await.csrf();
        for path in ["/register/restart", "/recover/restart", "/logout", "/login"] {
            let mut fields: Vec<(String, String)> = params
                .iter()
                .map(|p| ((*p).to_owned(), evil.to_owned()))
                .collect();
            fields.push(("csrf_token".into(), csrf.clone()));
            let page = stranger.post_raw(path, &fields).await;
            assert_stays_home(&app, &page, &format!("POST {path} {evil:?}"));
        }
    }

    // The address itself, as a path: a page about it must not link to it.
    for raw in ["//evil.example/register", "/\\evil.example/register"] {
        let response = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .get(format!("{}{raw}", app.address))
            .send()
            .await
            .expect("GET");
        let status = response.status();
        let headers = response.headers().clone();
        let page = Page {
            status,
            url: raw.to_owned(),
            html: response.text().await.unwrap_or_default(),
            headers,
        };
        assert_stays_home(&app, &page, raw);
        assert_links_stay_home(&page, raw);
    }

    // The API takes no return address from the client at all: the application's stored one
    // is the allow-list (api.rs), and a field that tries is a protocol error.
    let api = Api::new(&app);
    for field in ["redirectURL", "redirectUrl", "callbackUrl", "returnUrl"] {
        let (status, answer) = api
            .call(json!({"flowType": "REGISTRATION", field: "https://evil.example"}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}: {answer}");
        assert!(!answer.to_string().contains("evil.example"), "{answer}");
    }
    let url = format!("{}{EXECUTE}?redirect=https://evil.example", app.address);
    let answer = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(url)
        .json(&json!({"flowType": "REGISTRATION"}))
        .send()
        .await
        .expect("POST");
    assert!(answer.headers().get("location").is_none());
    let body = answer.text().await.unwrap_or_default();
    assert!(!body.contains("evil.example"), "{body}");
}
