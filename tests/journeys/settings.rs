//! Console settings over HTTP: lifetimes and limits, the password policy and the branding
//! are refused beside their field when out of range, audited, and in force at the next
//! request, on the hosted pages and in the mail.

use crate::console::{admin_browser, assert_summary_links_resolve, fields};
use crate::helpers::*;
use reqwest::StatusCode;

const LIMITS: &str = "/admin/settings/limits";

/// Every field of the limits form as it stands, with `changes` over it.
fn limits_form(page: &Page, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let doc = page.doc();
    let inputs = scraper::Selector::parse("form[action='/admin/settings/limits'] input").unwrap();
    doc.select(&inputs)
        .filter_map(|e| {
            let name = e.value().attr("name")?;
            let value = changes
                .iter()
                .find(|(n, _)| *n == name)
                .map_or_else(|| e.value().attr("value").unwrap_or(""), |(_, v)| *v);
            Some((name.to_owned(), value.to_owned()))
        })
        .collect()
}

async fn audit_log(browser: &Browser) -> String {
    browser.get("/admin/audit").await.html
}

#[tokio::test]
async fn limits_hold_from_the_next_request_and_out_of_range_values_are_refused() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let form = admin.get(LIMITS).await;
    assert_eq!(form.h1(), "Lifetimes and limits");
    assert_eq!(
        form.attr("#otp_max_attempts", "value").as_deref(),
        Some("5")
    );

    let (status, refused) = admin
        .post(
            LIMITS,
            &limits_form(
                &form,
                &[
                    ("otp_max_attempts", "100"),
                    ("login_lockout_minutes", "soon"),
                    ("audit_retention_days", "7"),
                ],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let beside = refused.field_error("otp_max_attempts").unwrap_or_default();
    assert!(beside.contains("from 1 to 10"), "{beside}");
    assert!(refused.field_error("login_lockout_minutes").is_some());
    assert!(refused.field_error("audit_retention_days").is_some());
    assert_eq!(
        refused.attr("#login_lockout_minutes", "value").as_deref(),
        Some("soon"),
        "what was typed is kept"
    );
    assert_summary_links_resolve(&refused);
    let unchanged = admin.get(LIMITS).await;
    assert_eq!(
        unchanged.attr("#otp_max_attempts", "value").as_deref(),
        Some("5")
    );

    let (status, saved) = admin
        .post(
            LIMITS,
            &limits_form(
                &form,
                &[("otp_max_attempts", "2"), ("login_max_failures", "3")],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(saved.html.contains("2 changed"), "{}", saved.html);
    assert!(audit_log(&admin).await.contains("settings.limits_changed"));

    // Two wrong codes now burn the code.
    let email = unique_email("limits");
    let browser = app.browser();
    let page = to_code_page(&browser, "Ada", &email).await;
    let code = app.last_mail(&email, 1).await.code();
    let (_, page) = browser
        .press(&page, "verify", &[("otp", wrong_code(&code))])
        .await;
    assert!(
        page.field_error("otp")
            .unwrap_or_default()
            .contains("1 try left"),
        "{:?}",
        page.field_error("otp")
    );
    let (_, page) = browser
        .press(&page, "verify", &[("otp", wrong_code(&code))])
        .await;
    assert!(
        page.field_error("otp")
            .unwrap_or_default()
            .contains("Too many wrong codes")
    );

    // The third failed sign-in now locks the address.
    let target = unique_email("locked");
    for _ in 0..2 {
        let (status, _) = sign_in(&app, &target, "not the password").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = sign_in(&app, &target, "not the password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_password_policy_holds_at_once_and_never_goes_below_the_floors() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let page = admin.get("/admin/settings/password").await;
    let form = |min: &str, max: &str| {
        fields(&[
            ("csrf_token", &page.csrf()),
            ("min_length", min),
            ("max_length", max),
            ("block_common", "on"),
            ("check_personal", "on"),
        ])
    };
    let (status, refused) = admin
        .post("/admin/settings/password", &form("7", "32"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .field_error("min_length")
            .unwrap_or_default()
            .contains("from 8 to 64")
    );
    assert!(refused.field_error("max_length").is_some());
    assert_eq!(refused.attr("#min_length", "value").as_deref(), Some("7"));

    let (status, _) = admin
        .post("/admin/settings/password", &form("30", "64"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        audit_log(&admin)
            .await
            .contains("settings.password_policy_changed")
    );

    // The 28-character password every other test registers with is now too short.
    let browser = app.browser();
    let start = browser.get("/register").await;
    let email = unique_email("policy");
    let (status, page) = browser
        .press(&start, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let beside = page.field_error("password").unwrap_or_default();
    assert!(beside.contains("30"), "{beside}");
    assert!(page.html.contains("at least 30"), "the hint says so too");
}

/// The smallest real PNG: one transparent pixel.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

async fn upload(
    app: &TestApp,
    browser: &Browser,
    csrf: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.to_owned())
        .part(
            "logo",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let mut request = client
        .post(format!("{}/admin/settings/branding/logo", app.address))
        .multipart(form);
    if let Some(cookie) = browser.cookie_header() {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn branding_reaches_the_hosted_pages_and_the_mail() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let page = admin.get("/admin/settings/branding").await;
    let save = |name: &str, colour: &str| {
        fields(&[
            ("csrf_token", &page.csrf()),
            ("product_name", name),
            ("primary_colour", colour),
        ])
    };

    let (status, refused) = admin
        .post("/admin/settings/branding", &save("Acme ID", "#ffff00"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let beside = refused.field_error("primary_colour").unwrap_or_default();
    assert!(beside.contains("4.5:1"), "{beside}");
    assert_eq!(
        refused.attr("#product_name", "value").as_deref(),
        Some("Acme ID")
    );
    let (status, refused) = admin
        .post("/admin/settings/branding", &save("  ", "blue"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error("product_name").is_some());
    assert!(refused.field_error("primary_colour").is_some());

    let (status, _) = admin
        .post("/admin/settings/branding", &save("Acme ID", "#0B5D1E"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let register = app.browser().get("/register").await;
    assert!(register.text_of(".brand").contains("Acme ID"));
    assert!(register.html.contains("· Acme ID</title>"));
    let css_url = register
        .attr("link[href^='/branding/colour/']", "href")
        .expect("the colour's stylesheet");
    assert_eq!(css_url, "/branding/colour/0b5d1e.css");
    let css = reqwest::get(format!("{}{css_url}", app.address))
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.text().await.unwrap().contains("--brand: #0b5d1e"));
    let other = reqwest::get(format!("{}/branding/colour/ffffff.css", app.address))
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::NOT_FOUND,
        "only the colour in force"
    );

    // The logo: checked by its bytes, then served from our origin under its digest.
    let csrf = admin.get("/admin/settings/branding").await.csrf();
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let refused = upload(&app, &admin, &csrf, "logo.png", svg).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("SVG is not accepted")
    );
    let huge = [PNG, &vec![0u8; 300 * 1024]].concat();
    let refused = upload(&app, &admin, &csrf, "big.png", huge).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("256 KiB"));
    let forged = upload(&app, &admin, "forged", "logo.png", PNG.to_vec()).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let anonymous = upload(&app, &app.browser(), &csrf, "logo.png", PNG.to_vec()).await;
    assert_eq!(anonymous.status(), StatusCode::FORBIDDEN);
    let uploaded = upload(&app, &admin, &csrf, "logo.png", PNG.to_vec()).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);

    let register = app.browser().get("/register").await;
    let logo_url = register
        .attr("img.brand-logo", "src")
        .expect("the logo in the header");
    let logo = reqwest::get(format!("{}{logo_url}", app.address))
        .await
        .unwrap();
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(
        logo.headers()["cross-origin-resource-policy"],
        "cross-origin"
    );
    assert!(
        logo.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG);

    // The mail carries the name, the logo (linked from the public URL) and the colour.
    let email = unique_email("brand");
    register_fully(&app, "Ada", &email).await;
    let code_mail = app.last_mail(&email, 1).await;
    assert!(
        code_mail.subject.contains("Acme ID"),
        "{}",
        code_mail.subject
    );
    let browser = app.browser();
    let recover = browser.get("/recover").await;
    browser
        .press(&recover, "continue", &[("login", email.as_str())])
        .await;
    let reset = app.last_mail(&email, 2).await;
    for mail in [&code_mail, &reset] {
        assert!(
            mail.html.contains(&format!("{}{logo_url}", app.address)),
            "{}",
            mail.html
        );
    }
    assert!(reset.html.contains("background:#0b5d1e"), "{}", reset.html);

    let removed = admin.get("/admin/settings/branding").await;
    let (status, _) = admin
        .post(
            "/admin/settings/branding/logo/remove",
            &fields(&[("csrf_token", &removed.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        !app.browser()
            .get("/register")
            .await
            .exists("img.brand-logo")
    );
    let gone = reqwest::get(format!("{}{logo_url}", app.address))
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);

    let log = audit_log(&admin).await;
    for action in [
        "settings.branding_changed",
        "settings.logo_changed",
        "settings.logo_removed",
    ] {
        assert!(log.contains(action), "{action} audited");
    }
}
