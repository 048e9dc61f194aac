//! The journey under pressure: forged and replayed requests, tampered cookies, double
//! submits and the Back button, plus the headers, cookies, languages and probes every
//! response must get right.

use crate::helpers::*;
use reqwest::StatusCode;

const STALE: &str = "That page was out of date, so nothing was changed. Here is where you are.";

/// The details form of `page` as a browser would send it, with `csrf` in place of the token.
fn details_form(page: &Page, csrf: Option<&str>, email: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = page
        .form_fields()
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    if let Some(token) = csrf {
        fields.push(("csrf_token".into(), token.into()));
    }
    fields.push(("action".into(), "continue".into()));
    fields.extend(
        details("Ada", email, GOOD_PASSWORD)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    fields
}

fn header<'a>(page: &'a Page, name: &str) -> &'a str {
    page.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- CSRF

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused_and_sends_nothing() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("nocsrf");
    let page = browser.get("/register").await;

    let (status, refused) = browser
        .post("/register", &details_form(&page, None, &email))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused.h1(), "Your session has changed");
    assert!(refused.headers.get("location").is_none());
    assert_mail_count_stays(&app, &email, 0).await;

    let again = browser.get("/register").await;
    assert_eq!(again.step().as_deref(), Some("details"), "nothing moved");
}

#[tokio::test]
async fn a_post_with_a_wrong_csrf_token_is_refused() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("badcsrf");
    let page = browser.get("/register").await;

    // A made-up token, an empty one, and a real token from someone else's session.
    let someone_else = app.browser().get("/register").await.csrf();
    assert_ne!(someone_else, page.csrf());
    let made_up = "0".repeat(page.csrf().len());
    for token in [made_up.as_str(), "", someone_else.as_str()] {
        let (status, refused) = browser
            .post("/register", &details_form(&page, Some(token), &email))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "token {token:?}");
        assert_eq!(refused.h1(), "Your session has changed");
    }
    assert_mail_count_stays(&app, &email, 0).await;
    let again = browser.get("/register").await;
    assert_eq!(again.step().as_deref(), Some("details"));

    // The right token still works afterwards.
    let (status, page) = browser
        .post(
            "/register",
            &details_form(&page, Some(&page.csrf()), &email),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(page.h1(), CODE_PAGE);
}

// ---------------------------------------------------------------- cookies

/// Flips one character in the middle of the `flows_session` cookie value.
fn tampered(cookie_header: &str) -> String {
    cookie_header
        .split("; ")
        .map(|pair| match pair.split_once('=') {
            Some(("flows_session", value)) => {
                let mut chars: Vec<char> = value.chars().collect();
                let at = chars.len() / 2;
                if let Some(c) = chars.get_mut(at) {
                    *c = if *c == 'A' { 'B' } else { 'A' };
                }
                format!("flows_session={}", chars.into_iter().collect::<String>())
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[tokio::test]
async fn a_tampered_session_cookie_counts_as_no_session() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("tamper");
    let page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();

    let cookie = browser.cookie_header().unwrap_or_default();
    assert!(cookie.contains("flows_session="), "{cookie}");
    let forged = tampered(&cookie);
    assert_ne!(forged, cookie);
    browser.restore_cookies(&forged);
    assert_eq!(browser.cookie_header().as_deref(), Some(forged.as_str()));

    // Even with the right code, the POST is refused: the session it names is gone.
    let (status, refused) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(!stored_user_exists(&app, &email).await);
    assert!(!signed_in(&browser).await);

    // And the journey starts afresh.
    let fresh = browser.get("/register").await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(fresh.step().as_deref(), Some("details"));
    assert_eq!(fresh.h1(), "Create your account");
    assert_eq!(fresh.attr("#email", "value").as_deref(), Some(""));
}

#[tokio::test]
async fn a_replayed_old_cookie_does_not_reset_the_attempt_counter() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("replay");
    let mut page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();
    let wrong = wrong_code(&code);
    let saved = browser.cookie_header().unwrap_or_default();
    assert!(saved.contains("flows_session="));

    for remaining in [4, 3] {
        let (status, next) = browser.press(&page, "verify", &[("otp", wrong)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            next.field_error("otp")
                .unwrap_or_default()
                .contains(&format!("You have {remaining} {} left", tries(remaining))),
            "{:?}",
            next.field_error("otp")
        );
        page = next;
    }

    // Back to the cookie from before those two tries: the server still counts them.
    browser.restore_cookies(&saved);
    for remaining in [2, 1] {
        let (status, next) = browser.press(&page, "verify", &[("otp", wrong)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            next.field_error("otp")
                .unwrap_or_default()
                .contains(&format!("You have {remaining} {} left", tries(remaining))),
            "after replay: {:?}",
            next.field_error("otp")
        );
        page = next;
    }
    let (status, next) = browser.press(&page, "verify", &[("otp", wrong)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        next.field_error("otp")
            .unwrap_or_default()
            .contains("Too many wrong codes"),
        "fifth wrong code overall: {:?}",
        next.field_error("otp")
    );

    // Replaying once more does not bring the burnt code back.
    browser.restore_cookies(&saved);
    let (status, _) = browser.press(&next, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!stored_user_exists(&app, &email).await);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_lax_and_opaque() {
    let app = spawn_app().await;
    let browser = app.browser();
    let page = browser.get("/register").await;

    let cookies: Vec<String> = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("flows_session="))
        .cloned()
        .unwrap_or_default();
    assert!(!session.is_empty(), "no session cookie in {cookies:?}");
    let lower = session.to_ascii_lowercase();
    assert!(lower.contains("; httponly"), "{session}");
    assert!(lower.contains("samesite=lax"), "{session}");
    assert!(lower.contains("path=/"), "{session}");

    // Encrypted, not just signed: the CSRF token it holds cannot be read from it.
    let value = session
        .trim_start_matches("flows_session=")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(value.len() > 20, "{value}");
    assert!(
        !value.contains(&page.csrf()),
        "the cookie shows its content"
    );
    assert!(!value.contains("csrf"), "the cookie shows its keys");

    // And after the details step, still nothing readable about the person.
    let email = unique_email("opaque");
    let (_, code_page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(code_page.h1(), CODE_PAGE);
    let jar = browser.cookie_header().unwrap_or_default();
    assert!(!jar.contains(&email) && !jar.contains("Ada"), "{jar}");
    assert!(!jar.contains("correct"), "{jar}");
}

// ---------------------------------------------------------------- double submit, Back

#[tokio::test]
async fn a_details_form_sent_twice_at_once_sends_one_mail() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("twice");
    let page = browser.get("/register").await;
    let inputs = details("Ada", &email, GOOD_PASSWORD);

    let ((s1, p1), (s2, p2)) = tokio::join!(
        browser.press(&page, "continue", &inputs),
        browser.press(&page, "continue", &inputs)
    );
    assert_eq!(s1, StatusCode::SEE_OTHER, "{}", p1.html);
    assert_eq!(s2, StatusCode::SEE_OTHER, "{}", p2.html);
    assert_eq!(p1.h1(), CODE_PAGE);
    assert_eq!(p2.h1(), CODE_PAGE);

    let mails = app.wait_for_mails(&email, 1).await;
    assert_mail_count_stays(&app, &email, 1).await;
    let (status, done) = browser
        .press(&p2, "verify", &[("otp", &mails[0].code())])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);
    assert_eq!(app.store().await.count_users().await.ok(), Some(1));
}

#[tokio::test]
async fn a_details_form_sent_twice_in_a_row_sends_one_mail() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("again");
    let page = browser.get("/register").await;
    let inputs = details("Ada", &email, GOOD_PASSWORD);

    let (s1, p1) = browser.press(&page, "continue", &inputs).await;
    assert_eq!(s1, StatusCode::SEE_OTHER);
    assert_eq!(p1.h1(), CODE_PAGE);
    assert_eq!(p1.notice(), None);
    let (s2, p2) = browser.press(&page, "continue", &inputs).await;
    assert_eq!(s2, StatusCode::SEE_OTHER, "{}", p2.html);
    assert_eq!(p2.h1(), CODE_PAGE);
    assert_eq!(p2.notice().as_deref(), Some(STALE));

    let mails = app.wait_for_mails(&email, 1).await;
    assert_mail_count_stays(&app, &email, 1).await;
    let (status, done) = browser
        .press(&p2, "verify", &[("otp", &mails[0].code())])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(done.h1(), DONE);
}

#[tokio::test]
async fn back_then_the_same_details_again_changes_nothing() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("back");
    let details_page = browser.get("/register").await;
    let (_, code_page) = browser
        .press(
            &details_page,
            "continue",
            &details("Ada", &email, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(code_page.h1(), CODE_PAGE);
    let code = app.last_mail(&email, 1).await.code();

    // Back, then Continue with the same values (e-mail in another case, too).
    let upper = email.to_uppercase();
    let (status, page) = browser
        .press(
            &details_page,
            "continue",
            &details("Ada", &upper, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    assert_eq!(page.notice().as_deref(), Some(STALE));
    assert_mail_count_stays(&app, &email, 1).await;

    // The code sent before still works.
    let (status, done) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);
}

/// Back, correct the e-mail, Continue: the journey rewinds and the new address gets a code.
#[tokio::test]
async fn back_with_another_email_sends_a_code_there_and_the_old_code_dies() {
    let app = spawn_app().await;
    let browser = app.browser();
    let typo = unique_email("typo");
    let right = unique_email("right");
    let details_page = browser.get("/register").await;
    let (_, code_page) = browser
        .press(
            &details_page,
            "continue",
            &details("Ada", &typo, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(code_page.h1(), CODE_PAGE);
    let old_code = app.last_mail(&typo, 1).await.code();

    let (status, page) = browser
        .press(
            &details_page,
            "continue",
            &details("Ada", &right, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    assert!(
        page.html.contains(&right),
        "the code page names the new address"
    );
    assert!(!page.html.contains(&typo));
    let new_code = app.last_mail(&right, 1).await.code();
    assert_mail_count_stays(&app, &typo, 1).await;

    if old_code != new_code {
        let (status, refused) = browser.press(&page, "verify", &[("otp", &old_code)]).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "old code accepted"
        );
        assert!(refused.field_error("otp").is_some());
    }
    let (status, done) = browser.press(&page, "verify", &[("otp", &new_code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(done.h1(), DONE);
    assert!(stored_user_exists(&app, &right).await);
    assert!(!stored_user_exists(&app, &typo).await);
}

// ---------------------------------------------------------------- headers

fn assert_hardened(page: &Page, what: &str) {
    let csp = header(page, "content-security-policy");
    assert!(csp.contains("default-src 'none'"), "{what}: CSP {csp:?}");
    assert!(!csp.contains("script-src"), "{what}: CSP {csp:?}");
    assert!(!csp.contains("unsafe"), "{what}: CSP {csp:?}");
    assert!(
        csp.contains("frame-ancestors 'none'"),
        "{what}: CSP {csp:?}"
    );
    assert_eq!(header(page, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(page, "x-frame-options"), "DENY", "{what}");
    let referrer = header(page, "referrer-policy");
    assert!(
        [
            "same-origin",
            "no-referrer",
            "strict-origin",
            "strict-origin-when-cross-origin"
        ]
        .contains(&referrer),
        "{what}: Referrer-Policy {referrer:?}"
    );
}

fn assert_page_hardened(page: &Page, what: &str) {
    assert_hardened(page, what);
    assert!(
        header(page, "cache-control").contains("no-store"),
        "{what}: Cache-Control {:?}",
        header(page, "cache-control")
    );
    assert!(
        header(page, "content-type").starts_with("text/html"),
        "{what}"
    );
    assert!(
        !page.html.to_ascii_lowercase().contains("<script"),
        "{what} has a script"
    );
    assert!(
        !page.html.to_ascii_lowercase().contains("javascript:"),
        "{what} has a javascript: URL"
    );
    assert!(
        !regex::Regex::new(r#"(?i)\son[a-z]+\s*="#)
            .map(|re| re.is_match(&page.html))
            .unwrap_or(true),
        "{what} has an inline event handler"
    );
}

#[tokio::test]
async fn every_page_is_sent_with_strict_headers_and_no_script() {
    let app = spawn_app().await;
    let browser = app.browser();
    let email = unique_email("headers");

    let register = browser.get("/register").await;
    assert_eq!(register.status, StatusCode::OK);
    assert_page_hardened(&register, "/register");

    let (_, invalid) = browser
        .press(
            &register,
            "continue",
            &details("Ada", "nope", GOOD_PASSWORD),
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_page_hardened(&invalid, "422 /register");

    let redirect = browser
        .post_raw(
            "/register",
            &details_form(&invalid, Some(&invalid.csrf()), &email),
        )
        .await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_hardened(&redirect, "303 /register");
    let code_page = browser.get("/register").await;
    assert_eq!(code_page.h1(), CODE_PAGE);
    assert_page_hardened(&code_page, "code page");

    let login = browser.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_page_hardened(&login, "/login");

    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.h1(), "Page not found");
    assert_page_hardened(&missing, "404");

    let (status, forbidden) = browser
        .post("/register", &details_form(&code_page, None, &email))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_page_hardened(&forbidden, "403");

    let link = browser.get("/link?token=nothing").await;
    assert_eq!(link.status, StatusCode::NOT_FOUND);
    assert_page_hardened(&link, "dead link");

    let health = browser.get("/healthz").await;
    assert_hardened(&health, "/healthz");
}

#[tokio::test]
async fn pages_carrying_a_token_send_no_referrer_and_https_turns_on_hsts() {
    let app = spawn_app().await;
    let browser = app.browser();
    for path in ["/link?token=abc", "/invite?code=abc", "/register?code=abc"] {
        let page = browser.get(path).await;
        assert_eq!(header(&page, "referrer-policy"), "no-referrer", "{path}");
    }
    let register = browser.get("/register").await;
    assert_eq!(header(&register, "referrer-policy"), "same-origin");
    assert!(
        register.headers.get("strict-transport-security").is_none(),
        "no HSTS over plain http"
    );

    let https = spawn_app_with(Options {
        public_url: Some("https://id.example.com".into()),
        ..Options::default()
    })
    .await;
    for path in ["/register", "/healthz", "/no-such-page"] {
        let page = https.browser().get(path).await;
        assert_eq!(
            header(&page, "strict-transport-security"),
            "max-age=63072000",
            "{path}"
        );
    }
}

// ---------------------------------------------------------------- languages

#[tokio::test]
async fn accept_language_french_gives_french_pages_and_mail() {
    let app = spawn_app().await;
    let mut browser = app.browser();
    browser.accept_language = Some("fr-CH, fr;q=0.9, en;q=0.8".into());
    let email = unique_email("fr");

    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attr("html", "lang").as_deref(), Some("fr"));
    assert_eq!(page.h1(), "Créez votre compte");

    let (status, invalid) = browser
        .press(
            &page,
            "continue",
            &details("Ada", "pas-une-adresse", GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.attr("html", "lang").as_deref(), Some("fr"));
    assert!(
        invalid
            .field_error("email")
            .unwrap_or_default()
            .contains("Saisissez une adresse e-mail"),
        "{:?}",
        invalid.field_error("email")
    );

    let (status, code_page) = browser
        .press(&invalid, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(code_page.h1(), "Consultez vos e-mails");
    let mail = app.last_mail(&email, 1).await;
    assert!(
        mail.subject.contains("est votre code de vérification"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Bonjour"), "{}", mail.text);

    // English speakers in the same server still get English.
    let english = app.browser().get("/register").await;
    assert_eq!(english.attr("html", "lang").as_deref(), Some("en"));
    assert_eq!(english.h1(), "Create your account");
}

#[tokio::test]
async fn lang_query_parameter_chooses_french_for_the_session() {
    let app = spawn_app().await;
    let browser = app.browser();

    let page = browser.get("/register?lang=fr").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attr("html", "lang").as_deref(), Some("fr"));
    assert_eq!(page.h1(), "Créez votre compte");
    // The footer offers every catalogue by its own name, marking the page's.
    let names: Vec<&str> = flows::i18n::Locale::all().map(|l| l.name()).collect();
    assert_eq!(page.select_all("footer a"), names);
    assert_eq!(names.first(), Some(&"English"));
    assert!(names.contains(&"Français"));
    assert_eq!(
        page.attr("footer a[aria-current]", "hreflang").as_deref(),
        Some("fr")
    );
    assert_eq!(
        page.attr("footer a[hreflang=en]", "href").as_deref(),
        Some("/register?lang=en")
    );

    // It sticks without the parameter, also on other pages.
    let page = browser.get("/register").await;
    assert_eq!(page.attr("html", "lang").as_deref(), Some("fr"));
    assert_eq!(page.h1(), "Créez votre compte");
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.attr("html", "lang").as_deref(), Some("fr"));

    // Until changed back.
    let page = browser.get("/register?lang=en").await;
    assert_eq!(page.attr("html", "lang").as_deref(), Some("en"));
    assert_eq!(page.h1(), "Create your account");
}

// ---------------------------------------------------------------- sign-in, probes

#[tokio::test]
async fn sign_in_does_not_tell_an_unknown_address_from_a_wrong_password() {
    let app = spawn_app().await;
    let email = unique_email("known");
    let registrar = app.browser();
    let page = to_code_page(&registrar, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();
    let (_, done) = registrar.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE);

    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    let unknown = unique_email("unknown");
    let attempt = |address: String, password: &str| sign_in_form(&csrf, &address, password);

    let (s_unknown, p_unknown) = browser
        .post("/login", &attempt(unknown.clone(), GOOD_PASSWORD))
        .await;
    let (s_wrong, p_wrong) = browser
        .post("/login", &attempt(email.clone(), "not the right password"))
        .await;
    assert_eq!(s_unknown, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s_wrong, StatusCode::UNPROCESSABLE_ENTITY);
    let message = "The e-mail address or password is not right.".to_owned();
    assert_eq!(p_unknown.summary(), vec![message.clone()]);
    assert_eq!(p_wrong.summary(), vec![message]);
    assert_eq!(
        p_unknown.html.replace(&unknown, "EMAIL"),
        p_wrong.html.replace(&email, "EMAIL"),
        "the two refusals differ"
    );
    assert!(!p_wrong.html.contains("not the right password"));
    assert!(!p_unknown.html.contains(GOOD_PASSWORD));
    assert!(!signed_in(&browser).await);

    // The right password does sign in.
    let (status, account) = browser
        .post("/login", &attempt(email.clone(), GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(account.h1(), "Your account");
}

const LOGIN_FAILED: &str = "The e-mail address or password is not right.";
const THROTTLED: &str =
    "Too many failed sign-ins for this address. Try again in 15 minutes, or reset your password.";

#[tokio::test]
async fn ten_failed_sign_ins_block_an_address_for_15_minutes_whether_or_not_it_has_an_account() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let email = unique_email("guessed");
    register_fully(&app, "Ada", &email).await;
    let unknown = unique_email("nobody");
    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();

    for _ in 0..9 {
        for address in [&email, &unknown] {
            let (status, page) = browser
                .post("/login", &sign_in_form(&csrf, address, "a wrong guess"))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
            assert_eq!(page.summary(), vec![LOGIN_FAILED.to_owned()]);
        }
    }
    // The tenth failure blocks both alike: the answers tell nothing about which exists.
    let (s_known, p_known) = browser
        .post("/login", &sign_in_form(&csrf, &email, "a wrong guess"))
        .await;
    let (s_unknown, p_unknown) = browser
        .post("/login", &sign_in_form(&csrf, &unknown, "a wrong guess"))
        .await;
    assert_eq!(s_known, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(s_unknown, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(p_known.summary(), vec![THROTTLED.to_owned()]);
    assert_eq!(
        p_known.html.replace(&email, "EMAIL"),
        p_unknown.html.replace(&unknown, "EMAIL")
    );
    assert!(p_known.exists("a[href='/recover']"), "{}", p_known.html);

    // Meanwhile even the right password is refused, without being checked.
    let page = browser
        .post_raw("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&page, "retry-after"), "900");
    assert!(!signed_in(&browser).await);

    // Another address is not affected.
    let other = unique_email("other");
    let (status, _) = browser
        .post("/login", &sign_in_form(&csrf, &other, "a wrong guess"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    app.advance(time::Duration::minutes(15));
    let (status, account) = browser
        .post("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", account.html);
    assert_eq!(account.h1(), "Your account");
}

#[tokio::test]
async fn a_successful_sign_in_forgets_the_failures_before_it() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let email = unique_email("forgetful");
    register_fully(&app, "Ada", &email).await;
    let browser = app.browser();
    // Signing in and out renews the CSRF token, so each round reads the form afresh.
    let fail_nine_times_then_sign_in = || async {
        let csrf = browser.get("/login").await.csrf();
        for _ in 0..9 {
            let (status, page) = browser
                .post("/login", &sign_in_form(&csrf, &email, "a wrong guess"))
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(page.summary(), vec![LOGIN_FAILED.to_owned()]);
        }
        let (status, page) = browser
            .post("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
        let (status, _) = browser
            .post("/logout", &[("csrf_token".to_owned(), page.csrf())])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    };

    fail_nine_times_then_sign_in().await;
    // Nine more failures after the success: counted from zero, they stay under the limit.
    fail_nine_times_then_sign_in().await;
}

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    let browser = app.browser();

    let health = browser.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.html.trim(), "ok");
    let ready = browser.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.html.trim(), "ready");

    let page = browser.get("/register").await;
    assert_eq!(page.step().as_deref(), Some("details"));
    let metrics = browser.get_with_bearer("/metrics", METRICS_TOKEN).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(header(&metrics, "content-type").starts_with("text/plain"));
    assert!(
        metrics.html.lines().any(|l| {
            l.starts_with("flows_executions_started_total")
                && l.contains("flow_type=\"REGISTRATION\"")
        }),
        "{}",
        metrics.html
    );
}

#[tokio::test]
async fn metrics_are_closed_to_the_public_by_default_and_open_to_the_token_or_the_operators_listener()
 {
    // The token opens /metrics on the public listener; nothing else does.
    let app = spawn_app().await;
    let browser = app.browser();
    for (what, token) in [
        ("no token", None),
        ("a wrong token", Some("test-metrics-token-0123456789abcdeX")),
        ("a prefix of the token", Some(&METRICS_TOKEN[..20])),
    ] {
        let page = match token {
            Some(t) => browser.get_with_bearer("/metrics", t).await,
            None => browser.get("/metrics").await,
        };
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(
            header(&page, "www-authenticate"),
            "Bearer realm=\"metrics\""
        );
        assert!(!page.html.contains("flows_"), "{what}: {}", page.html);
    }

    // No token configured (the default): the public listener has no /metrics at all.
    let closed = spawn_app_with(Options {
        admin_listen: true,
        without_metrics_token: true,
        ..Options::default()
    })
    .await;
    for token in [None, Some(METRICS_TOKEN)] {
        let page = match token {
            Some(t) => closed.browser().get_with_bearer("/metrics", t).await,
            None => closed.browser().get("/metrics").await,
        };
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.html.contains("flows_"), "{}", page.html);
    }

    // The operators' listener serves probes and metrics without a token, and nothing else.
    let operator = Browser::new(
        closed
            .operator_address
            .as_deref()
            .expect("operator listener"),
    );
    let metrics = operator.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.html.contains("flows_"), "{}", metrics.html);
    assert_eq!(operator.get("/healthz").await.html.trim(), "ok");
    assert_eq!(operator.get("/readyz").await.html.trim(), "ready");
    for path in ["/register", "/admin", "/api/openapi.json"] {
        assert_eq!(
            operator.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// The catalogue's plural of "try".
fn tries(n: u32) -> &'static str {
    if n == 1 { "try" } else { "tries" }
}

#[tokio::test]
async fn a_hash_made_with_older_parameters_is_made_again_at_the_next_sign_in() {
    let dir = tempfile::tempdir().expect("dir");
    let database = fresh_database_url(dir.path()).await;
    let older = spawn_app_with(Options {
        database_url: Some(database.clone()),
        hashing: Some((1, 8, 1)),
        ..Options::default()
    })
    .await;
    let email = unique_email("rehash");
    register_fully(&older, "Ada", &email).await;
    let stored = || async {
        let engine = older.store().await;
        let user = engine.user_by_email(&email).await.unwrap().unwrap();
        user.password_hash.unwrap()
    };
    let before = stored().await;
    assert!(before.contains(",t=1,p=1$"), "{before}");

    // The owner raises the cost; the same database, the same people.
    let stronger = spawn_app_with(Options {
        database_url: Some(database),
        hashing: Some((1, 8, 3)),
        ..Options::default()
    })
    .await;
    let kept = stronger.browser();
    let csrf = kept.get("/login").await.csrf();
    let (status, _) = kept
        .post("/login", &sign_in_form(&csrf, &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut after = stored().await;
    for _ in 0..100 {
        if after != before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = stored().await;
    }
    assert!(after.contains(",t=3,p=1$"), "{after}");
    // The same password still signs in, and the session taken before is still good.
    assert_eq!(kept.get("/account").await.status, StatusCode::OK);
    assert_eq!(
        sign_in(&stronger, &email, GOOD_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(stored().await, after, "made again once");

    // An administrator's too.
    let admin = unique_email("rehashadmin");
    crate::console::create_admin(&older, &admin).await;
    let admin_hash = || async {
        let engine = older.store().await;
        let row = engine.admin_by_email(&admin).await.unwrap().unwrap();
        row.password_hash
    };
    assert!(admin_hash().await.contains(",t=1,p=1$"));
    let console = stronger.browser();
    let login = console.get("/admin/login").await;
    let (status, _) = console
        .post(
            "/admin/login",
            &crate::console::fields(&[
                ("csrf_token", &login.csrf()),
                ("email", &admin),
                ("password", crate::console::ADMIN_PASSWORD),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut upgraded = admin_hash().await;
    for _ in 0..100 {
        if upgraded.contains(",t=3,p=1$") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        upgraded = admin_hash().await;
    }
    assert!(upgraded.contains(",t=3,p=1$"), "{upgraded}");
}
