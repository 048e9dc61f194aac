//! Bots and throw-away accounts: self-registration may refuse disposable mail domains.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_disposable_address_is_refused_at_registration_only_when_the_setting_is_on() {
    let app = spawn_app_with(Options {
        refuse_disposable_email: true,
        ..Options::default()
    })
    .await;
    for address in [
        format!("{}@mailinator.com", uuid::Uuid::new_v4().simple()),
        format!("{}@inbox.Mailinator.com", uuid::Uuid::new_v4().simple()),
    ] {
        let browser = app.browser();
        let page = browser.get("/register").await;
        let (status, page) = browser
            .press(&page, "continue", &details("Ada", &address, GOOD_PASSWORD))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
        let error = page
            .field_error("email")
            .expect("an error beside the e-mail");
        assert!(error.contains("permanent e-mail address"), "{error}");
        assert_mail_count_stays(&app, &address, 0).await;
    }
    // In French too.
    let mut browser = app.browser();
    browser.accept_language = Some("fr".into());
    let page = browser.get("/register").await;
    let (_, page) = browser
        .press(
            &page,
            "continue",
            &details("Ada", "robot@yopmail.com", GOOD_PASSWORD),
        )
        .await;
    let error = page.field_error("email").expect("French error");
    assert!(error.contains("adresse e-mail permanente"), "{error}");

    // An ordinary address goes through.
    to_code_page(&app.browser(), "Ada", &unique_email("ordinary")).await;

    // With the setting off (the default), the same domain is accepted.
    let app = spawn_app().await;
    let address = format!("{}@mailinator.com", uuid::Uuid::new_v4().simple());
    to_code_page(&app.browser(), "Ada", &address).await;
}
