//! Codes by text message: registration proving a mobile number, recovery to the account's
//! verified number (alone, or as the person's choice beside e-mail), and pumping protection,
//! through the hosted pages and the execution API. Text messages are read from the folder
//! transport, the default without a gateway.

use crate::api::Api;
use crate::helpers::*;
use flows::config::Settings;
use reqwest::StatusCode;
use serde_json::json;

const NUMBER: &str = "+447400123456";
const PHONE_PAGE: &str = "Check your phone";
const NEW_PASSWORD: &str = "a brand new passphrase for me";

/// One text message as the folder transport wrote it.
#[derive(Debug)]
pub struct Text {
    pub to: String,
    pub body: String,
}

impl Text {
    pub fn code(&self) -> String {
        let re = regex::Regex::new(r"^(\d{6}) ").expect("regex");
        re.captures(&self.body)
            .map(|c| c[1].to_owned())
            .unwrap_or_else(|| panic!("no code in text: {}", self.body))
    }
}

impl TestApp {
    /// Every text message sent to `to` so far, oldest first (files are named by time).
    pub fn texts_to(&self, to: &str) -> Vec<Text> {
        let Ok(entries) = std::fs::read_dir(&self.settings.sms_dir) else {
            return Vec::new();
        };
        let mut names: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        names.sort();
        names
            .into_iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|content| {
                let (head, body) = content.split_once("\n\n")?;
                let to = head.strip_prefix("To: ")?.trim().to_owned();
                Some(Text {
                    to,
                    body: body.trim_end().to_owned(),
                })
            })
            .filter(|t| t.to == to)
            .collect()
    }

    /// Waits (up to 10 s) for the `count`th text to `to`, and returns it.
    pub async fn last_text(&self, to: &str, count: usize) -> Text {
        for _ in 0..200 {
            let mut texts = self.texts_to(to);
            if texts.len() >= count {
                return texts.pop().expect("a text");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{to} did not receive {count} text(s) in time");
    }

    /// Gives the worker time to send anything queued, then checks the count for `to`.
    pub async fn assert_text_count_stays(&self, to: &str, count: usize) {
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        assert_eq!(self.texts_to(to).len(), count, "texts to {to}");
    }

    pub async fn audit_actions(&self) -> Vec<String> {
        let audit = self.store().await.recent_audit(200).await.unwrap();
        audit.into_iter().map(|e| e.action).collect()
    }
}

async fn app_with(sms: impl Fn(&mut Settings) + Send + 'static) -> TestApp {
    spawn_app_with(Options {
        sms: Some(Box::new(sms)),
        resend_interval_seconds: Some(0),
        ..Options::default()
    })
    .await
}

/// Publishes a starter template with `region` as its phone region.
async fn publish(app: &TestApp, template: &str, region: &str) {
    let mut def = template_json(template);
    def["defaultRegion"] = json!(region);
    app.publish(&valid_definition(def)).await;
}

/// Sends the details of registration with phone verification; a number accepted leads to
/// the page that asks for the texted code.
async fn to_phone_page(browser: &Browser, email: &str, phone: &str) -> (StatusCode, Page) {
    let page = browser.get("/register").await;
    let mut fields = details("Ada", email, GOOD_PASSWORD);
    fields.push(("phone", phone));
    browser.press(&page, "continue", &fields).await
}

/// An account whose mobile number (`NUMBER`) a texted code proved.
async fn register_with_phone(app: &TestApp, email: &str, phone: &str) {
    let browser = app.browser();
    let count = app.texts_to(NUMBER).len() + 1;
    let (_, page) = to_phone_page(&browser, email, phone).await;
    assert_eq!(page.h1(), PHONE_PAGE, "{}", page.html);
    let code = app.last_text(NUMBER, count).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    let code = app.last_mail(email, 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE, "{}", page.html);
}

#[tokio::test]
async fn registration_proves_the_mobile_number_with_a_texted_code() {
    let app = spawn_app().await;
    publish(&app, "registration-phone-otp", "GB").await;
    let browser = app.browser();
    let email = unique_email("sms.register");
    let (status, page) = to_phone_page(&browser, &email, "07400 123456").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), PHONE_PAGE);
    assert!(page.html.contains(NUMBER), "{}", page.html);
    assert_eq!(
        page.attr("#otp", "autocomplete").as_deref(),
        Some("one-time-code")
    );

    let text = app.last_text(NUMBER, 1).await;
    let code = text.code();
    assert!(
        text.body.starts_with(&format!(
            "{code} is your Flows verification code. It expires in 10 min."
        )),
        "{}",
        text.body
    );
    // The origin-bound last line lets the phone offer the code to this site's form.
    assert!(
        text.body.ends_with(&format!("\n\n@127.0.0.1 #{code}")),
        "{}",
        text.body
    );

    // A wrong code costs an attempt, said beside the field.
    let (status, page) = browser
        .press(&page, "verify", &[("otp", wrong_code(&code))])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("otp")
            .is_some_and(|e| e.contains("not right")),
        "{}",
        page.html
    );
    // Pasted with spaces, as some phones copy it.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let (_, page) = browser.press(&page, "verify", &[("otp", &spaced)]).await;
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    // The text's code never passes for the e-mail's.
    let mail_code = app.last_mail(&email, 1).await.code();
    if mail_code != code {
        let (status, _) = browser.press(&page, "verify", &[("otp", &code)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (_, page) = browser.press(&page, "verify", &[("otp", &mail_code)]).await;
    assert_eq!(page.h1(), DONE, "{}", page.html);

    let user = stored_user(&app, &email).await;
    assert_eq!(
        user.attributes.get("phone").map(String::as_str),
        Some(NUMBER)
    );
    assert_eq!(
        user.attributes.get("phone_verified").map(String::as_str),
        Some("true")
    );
    assert!(user.email_verified);
    let audit = app.audit_actions().await;
    assert!(
        audit.iter().any(|a| a == "phone.verified_by_code"),
        "{audit:?}"
    );
    // Sent, the code is no longer kept in the outbox.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let counts = app.store().await.outbox_counts().await.unwrap();
    assert!(
        counts.iter().all(|(status, _)| status == "SENT"),
        "{counts:?}"
    );
}

#[tokio::test]
async fn recovery_texts_a_code_to_the_accounts_verified_number_only() {
    let app = spawn_app().await;
    publish(&app, "registration-phone-otp", "GB").await;
    let email = unique_email("sms.recover");
    register_with_phone(&app, &email, "+44 7400 123456").await;
    let without_phone = unique_email("sms.nophone");
    publish(&app, "registration-otp", "GB").await;
    register_fully(&app, "Bea", &without_phone).await;
    publish(&app, "recovery-sms-otp", "GB").await;

    // The account with a verified number: the code goes there, and proves the recovery.
    let browser = app.browser();
    let page = browser.get("/recover").await;
    let (status, page) = browser.press(&page, "continue", &[("login", &email)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), PHONE_PAGE);
    let shown_for_account = page.text_of("main p");
    let text = app.last_text(NUMBER, 2).await;
    assert!(text.body.contains("password reset code"), "{}", text.body);
    let (_, page) = browser
        .press(&page, "verify", &[("otp", &text.code())])
        .await;
    assert_eq!(page.h1(), "Choose a new password", "{}", page.html);
    let (_, page) = browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed", "{}", page.html);
    assert_eq!(
        sign_in(&app, &email, NEW_PASSWORD).await.0,
        StatusCode::SEE_OTHER
    );

    // An account without a verified number, and no account at all: the same page (but for
    // the name typed), nothing sent, the refusal audited.
    for login in [without_phone.as_str(), "nobody-here@example.com"] {
        let browser = app.browser();
        let page = browser.get("/recover").await;
        let (status, page) = browser.press(&page, "continue", &[("login", login)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
        assert_eq!(page.h1(), PHONE_PAGE);
        assert_eq!(
            page.text_of("main p").replace(login, "LOGIN"),
            shown_for_account.replace(&email, "LOGIN")
        );
        // A code typed anyway never passes.
        let (status, _) = browser.press(&page, "verify", &[("otp", "123456")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.assert_text_count_stays(NUMBER, 2).await;
    let audit = app.audit_actions().await;
    assert_eq!(
        audit
            .iter()
            .filter(|a| *a == "recovery.no_verified_phone")
            .count(),
        2,
        "{audit:?}"
    );
}

#[tokio::test]
async fn recovery_offers_both_channels_and_a_way_back_from_the_one_that_sends_nothing() {
    let app = spawn_app().await;
    let without_phone = unique_email("sms.choice");
    register_fully(&app, "Bea", &without_phone).await;
    publish(&app, "recovery-sms-or-email-otp", "GB").await;

    let browser = app.browser();
    let page = browser.get("/recover").await;
    let (_, page) = browser
        .press(&page, "continue", &[("login", &without_phone)])
        .await;
    assert_eq!(page.h1(), "Where should the code go?", "{}", page.html);
    assert!(page.exists("button[value=by_email]") || page.html.contains("By e-mail"));
    assert!(page.html.contains("By text message"), "{}", page.html);

    // By text: this account has no number, so nothing goes; the page offers another way.
    let (_, page) = browser.press(&page, "by_sms", &[]).await;
    assert_eq!(page.h1(), PHONE_PAGE);
    assert!(page.html.contains("Try another way"), "{}", page.html);
    let (_, page) = browser.press(&page, "another_way", &[]).await;
    assert_eq!(page.h1(), "Where should the code go?", "{}", page.html);

    // By e-mail it works.
    let (_, page) = browser.press(&page, "by_email", &[]).await;
    assert_eq!(page.h1(), "Check your e-mail", "{}", page.html);
    let code = app.last_mail(&without_phone, 2).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), "Choose a new password", "{}", page.html);
    let (_, page) = browser
        .press(&page, "save", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed", "{}", page.html);
}

#[tokio::test]
async fn pumping_protection_refuses_other_countries_ranges_and_busy_clients() {
    let app = app_with(|s| {
        s.sms_client_per_hour = 2;
        s.sms_prefix_per_hour = 30;
    })
    .await;
    publish(&app, "registration-phone-otp", "GB").await;

    // A French number, in a flow whose region is Great Britain: said beside the field, with
    // what was typed kept.
    let browser = app.browser();
    let (status, page) =
        to_phone_page(&browser, &unique_email("sms.fr"), "+33 6 12 34 56 78").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("phone")
            .is_some_and(|e| e.contains("cannot send text messages to numbers in this country")),
        "{}",
        page.html
    );
    assert_eq!(
        page.attr("#phone", "value").as_deref(),
        Some("+33612345678")
    );

    // One client address: two texts this hour, then refused above the form.
    for n in 0..2 {
        let browser = app.browser();
        let (_, page) = to_phone_page(
            &browser,
            &unique_email("sms.client"),
            &format!("+44 7400 1234{n}0"),
        )
        .await;
        assert_eq!(page.h1(), PHONE_PAGE, "{}", page.html);
    }
    let browser = app.browser();
    let (status, page) =
        to_phone_page(&browser, &unique_email("sms.client"), "+44 7400 123499").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html
            .contains("cannot send more text messages right now"),
        "{}",
        page.html
    );

    let metrics = app.metrics().await;
    assert!(
        metrics.contains("flows_sms_refused_total{reason=\"country\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("flows_sms_refused_total{reason=\"client\"} 1"),
        "{metrics}"
    );
    let audit = app.audit_actions().await;
    assert_eq!(
        audit.iter().filter(|a| *a == "sms_pumping.refused").count(),
        2,
        "{audit:?}"
    );
}

#[tokio::test]
async fn a_number_range_and_a_number_have_their_hourly_share() {
    let app = app_with(|s| {
        s.sms_prefix_per_hour = 2;
        s.sms_quota_per_hour = 1;
        s.sms_client_per_hour = 100;
    })
    .await;
    publish(&app, "registration-phone-otp", "GB").await;

    // The number's own quota: a resend past it is left out, silently, and audited.
    let browser = app.browser();
    let (_, page) = to_phone_page(&browser, &unique_email("sms.quota"), NUMBER).await;
    assert_eq!(page.h1(), PHONE_PAGE);
    let (_, page) = browser.press(&page, "resend", &[]).await;
    assert_eq!(page.h1(), PHONE_PAGE);
    app.assert_text_count_stays(NUMBER, 1).await;
    let audit = app.audit_actions().await;
    assert!(audit.iter().any(|a| a == "sms_quota.exceeded"), "{audit:?}");

    // Its range (all but the last four digits) had two: a third number in it is refused.
    let browser = app.browser();
    let (_, page) = to_phone_page(&browser, &unique_email("sms.range"), "+447400129999").await;
    assert_eq!(page.h1(), PHONE_PAGE);
    let browser = app.browser();
    let (_, page) = to_phone_page(&browser, &unique_email("sms.range"), "+447400125555").await;
    assert!(
        page.html
            .contains("cannot send more text messages right now"),
        "{}",
        page.html
    );
    assert!(
        app.metrics()
            .await
            .contains("flows_sms_refused_total{reason=\"range\"} 1")
    );
}

#[tokio::test]
async fn registration_with_a_texted_code_over_json() {
    let app = spawn_app().await;
    publish(&app, "registration-phone-otp", "GB").await;
    let api = Api::new(&app);
    let email = unique_email("sms.api");
    let first = api.start("REGISTRATION").await;
    let mut inputs = crate::api::details(&email);
    inputs["http://wso2.org/claims/mobile"] = json!("07400 123456");
    let view = api.press(&first, "continue", inputs).await;
    assert_eq!(view["type"], "VIEW", "{view}");
    let ids = crate::api::component_ids(&view);
    assert!(ids.contains(&"otp".to_owned()), "{view}");
    let text = app.last_text(NUMBER, 1).await;
    let view = api
        .press(&view, "verify", json!({"otp": text.code()}))
        .await;
    assert_eq!(view["type"], "VIEW", "{view}");
    let code = app.last_mail(&email, 1).await.code();
    let done = api.press(&view, "verify", json!({"otp": code})).await;
    assert_eq!(done["flowStatus"], "COMPLETE", "{done}");
    let user = stored_user(&app, &email).await;
    assert_eq!(
        user.attributes.get("phone_verified").map(String::as_str),
        Some("true")
    );
}

#[tokio::test]
async fn an_owner_changes_a_text_message_in_the_console_and_the_next_one_says_it() {
    let app = spawn_app().await;
    publish(&app, "registration-phone-otp", "GB").await;
    let (admin, _) = crate::console::admin_browser(&app).await;
    let list = admin.get("/admin/settings/emails").await;
    let link = "/admin/messages?key=sms.otp";
    assert!(list.exists(&format!("a[href='{link}']")), "{}", list.html);
    assert!(
        list.html.contains("{ $code }"),
        "its placeholders are listed"
    );

    let texts = admin.get(link).await;
    assert!(
        texts.exists("#msg-sms-otp"),
        "the text message's key is on Texts"
    );
    let (status, _) = admin
        .post(
            "/admin/messages",
            &crate::console::fields(&[
                ("csrf_token", &texts.csrf()),
                ("key", "sms.otp"),
                ("text_en", "Code { $code } for { $product }."),
            ]),
        )
        .await;
    assert!(
        status.is_redirection() || status == StatusCode::OK,
        "{status}"
    );

    let browser = app.browser();
    let (_, page) = to_phone_page(&browser, &unique_email("sms.text"), NUMBER).await;
    assert_eq!(page.h1(), PHONE_PAGE);
    let text = app.last_text(NUMBER, 1).await;
    let code = text
        .body
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    assert_eq!(code.len(), 6, "{}", text.body);
    assert_eq!(
        text.body,
        format!("Code {code} for Flows.\n\n@127.0.0.1 #{code}")
    );
}
