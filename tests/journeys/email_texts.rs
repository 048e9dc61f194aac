//! The console's e-mail texts: every message listed, its texts per language checked and in
//! force for the next real mail, a preview through the real composer, and a test send.

use crate::console::{admin_browser, fields};
use crate::helpers::*;
use reqwest::StatusCode;

const OTP: &str = "/admin/settings/emails/otp";

fn smtp() -> Options {
    Options {
        smtp: true,
        ..Options::default()
    }
}

async fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>)> {
    app.store()
        .await
        .recent_audit(100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.subject))
        .collect()
}

#[tokio::test]
async fn a_changed_subject_is_checked_previewed_and_in_the_next_real_mail() {
    let app = spawn_app_with(smtp()).await;
    let (admin, _) = admin_browser(&app).await;

    let list = admin.get("/admin/settings/emails").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.select_all("div.card tbody tr").len(),
        10,
        "{}",
        list.html
    );
    assert!(list.exists(&format!("a[href='{OTP}']")));
    let texts = admin.get("/admin/messages").await;
    assert!(
        texts.exists("a[href='/admin/settings/emails']"),
        "the texts page leads here"
    );

    let page = admin.get(&format!("{OTP}?lang=fr")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Verification code");
    assert!(page.exists("a[href='/admin/settings/emails/otp?lang=en']"));
    assert_eq!(
        page.text_of("a[aria-current=page][lang=fr]"),
        "Français",
        "{}",
        page.html
    );
    let placeholders = page.text_of("#text-mail-otp-subject-placeholders");
    assert!(
        placeholders.contains("{ $product }") && placeholders.contains("{ $code }"),
        "{placeholders}"
    );
    assert!(
        page.text_of("#text-mail-otp-subject-hint")
            .contains("est votre code")
    );
    assert_eq!(
        page.text_of(".preview-subject"),
        "123456 est votre code de vérification Flows"
    );
    assert!(page.text_of("pre.mail-preview").contains("123456"));
    for missing in [
        "/admin/settings/emails/nothing",
        "/admin/settings/emails/otp?lang=xx",
    ] {
        assert_eq!(
            admin.get_raw(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    // A text Fluent refuses comes back beside its field, as typed; nothing is saved.
    let refused = admin
        .post_raw(
            OTP,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("lang", "fr"),
                ("mail.otp.subject", "Code { $code"),
            ]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error("text-mail-otp-subject").is_some());
    assert_eq!(refused.text_of("#text-mail-otp-subject"), "Code { $code");
    assert!(!refused.summary().is_empty());

    let (status, saved) = admin
        .post(
            OTP,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("lang", "fr"),
                ("mail.otp.subject", "Votre code { $code } pour { $product }"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(saved.notice().unwrap().contains("saved"), "{}", saved.html);
    assert_eq!(
        saved.text_of(".preview-subject"),
        "Votre code 123456 pour Flows"
    );
    let english = admin.get(&format!("{OTP}?lang=en")).await;
    assert_eq!(
        english.text_of(".preview-subject"),
        "123456 is your Flows verification code",
        "other languages keep theirs"
    );

    // The next real mail in French says it.
    let mut person = app.browser();
    person.accept_language = Some("fr".into());
    let email = unique_email("francophone");
    let register = person.get("/register").await;
    let (status, _) = person
        .press(
            &register,
            "continue",
            &details("Ada", &email, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mail = app.last_mail(&email, 1).await;
    assert!(
        mail.subject.starts_with("Votre code ") && mail.subject.ends_with(" pour Flows"),
        "{}",
        mail.subject
    );

    // Emptied, the built-in text is back.
    let (status, restored) = admin
        .post(
            OTP,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("lang", "fr"),
                ("mail.otp.subject", ""),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        restored.text_of(".preview-subject"),
        "123456 est votre code de vérification Flows"
    );
    let subject = Some("message:fr:mail.otp.subject".to_owned());
    let actions = audit_actions(&app).await;
    for action in ["message.changed", "message.reset"] {
        assert!(
            actions.contains(&(action.to_owned(), subject.clone())),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_test_send_arrives_with_sample_values_and_a_bad_address_is_refused() {
    let app = spawn_app_with(smtp()).await;
    let (admin, _) = admin_browser(&app).await;
    let url = "/admin/settings/emails/invitation";
    let page = admin.get(url).await;
    let refused = admin
        .post_raw(
            &format!("{url}/test"),
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("lang", "en"),
                ("to", "not an address"),
            ]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error("test-to").is_some());
    assert_eq!(
        refused.attr("#test-to", "value").as_deref(),
        Some("not an address")
    );

    let to = unique_email("test.send");
    let (status, sent) = admin
        .post(
            &format!("{url}/test"),
            &fields(&[("csrf_token", &page.csrf()), ("lang", "fr"), ("to", &to)]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(sent.notice().unwrap().contains(&to), "{}", sent.html);
    let mail = app.last_mail(&to, 1).await;
    assert!(mail.subject.contains("Grace Hopper"), "{}", mail.subject);
    assert!(
        mail.text.contains("sample-invitation-for-a-preview"),
        "a sample link, never a real one: {}",
        mail.text
    );
    assert!(audit_actions(&app).await.contains(&(
        "email_text.test_sent".to_owned(),
        Some("email_text:invitation".to_owned())
    )));
}

#[tokio::test]
async fn the_html_preview_is_served_under_a_policy_without_scripts() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let preview = admin
        .get("/admin/settings/emails/reset_link/preview?lang=fr")
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = preview.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("style-src 'unsafe-inline'"), "{csp}");
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"));
    assert!(preview.html.contains("<html lang=\"fr\""));
    assert!(preview.html.contains("sample-link-for-a-preview"));
    let console = admin.get("/admin/settings/emails").await;
    let csp = console.headers["content-security-policy"].to_str().unwrap();
    assert!(
        !csp.contains("unsafe-inline"),
        "the console's own policy is unchanged"
    );
}

#[tokio::test]
async fn operators_are_refused_the_email_texts_but_may_send_a_recovery_mail() {
    let app = spawn_app().await;
    let (owner, _) = admin_browser(&app).await;
    let (operator, _, home) = crate::console::operator_browser(&app, &owner).await;
    for page in [
        "/admin/settings/emails",
        "/admin/settings/emails/otp",
        "/admin/settings/emails/otp/preview",
    ] {
        assert_eq!(
            operator.get_raw(page).await.status,
            StatusCode::FORBIDDEN,
            "{page}"
        );
    }
    let to = unique_email("operator.test");
    for (post, extra) in [
        (OTP, ("mail.otp.subject", "Changed by an operator")),
        ("/admin/settings/emails/otp/test", ("to", to.as_str())),
    ] {
        let refused = operator
            .post_raw(
                post,
                &fields(&[("csrf_token", &home.csrf()), ("lang", "en"), extra]),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{post}");
    }
    let page = owner.get(&format!("{OTP}?lang=en")).await;
    assert_eq!(
        page.text_of("#text-mail-otp-subject"),
        "",
        "nothing was saved"
    );
    assert_mail_count_stays(&app, &to, 0).await;

    let ada = unique_email("helped");
    register_fully(&app, "Ada", &ada).await;
    let id = app
        .store()
        .await
        .user_by_email(&ada.to_lowercase())
        .await
        .unwrap()
        .unwrap()
        .id;
    let (status, sent) = operator
        .post(
            &format!("/admin/users/{id}/recovery-mail"),
            &fields(&[("csrf_token", &home.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        sent.notice().unwrap().contains("on its way"),
        "{}",
        sent.html
    );
    assert!(app.last_mail(&ada, 2).await.subject.contains("Reset your"));
}
