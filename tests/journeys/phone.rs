//! The phone input: however a person types their number, it is stored in E.164; a number
//! without its country code is read in the flow's region, or asked for again with it.

use crate::helpers::*;
use flows::engine::FlowDefinition;
use reqwest::StatusCode;
use serde_json::json;

/// The default registration with a mobile number asked beside the name, in `region`.
fn registration_with_phone(region: Option<&str>) -> FlowDefinition {
    let mut def = template_json("registration-otp");
    let form = def["steps"][0]["components"][2]["components"]
        .as_array_mut()
        .unwrap();
    form.insert(
        2,
        json!({"id": "phone", "type": "INPUT", "variant": "TELEPHONE",
            "config": {"identifier": "http://wso2.org/claims/mobile", "label": "{{t(field.phone)}}", "required": true}}),
    );
    if let Some(region) = region {
        def["defaultRegion"] = json!(region);
    }
    valid_definition(def)
}

fn with_phone<'a>(email: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut fields = details("Ada", email, GOOD_PASSWORD);
    fields.push(("phone", phone));
    fields
}

#[tokio::test]
async fn a_number_typed_at_home_is_stored_with_its_country_code() {
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    app.publish(&registration_with_phone(Some("GB"))).await;
    let browser = app.browser();
    let page = browser.get("/register").await;
    assert_eq!(page.attr("#phone", "type").as_deref(), Some("tel"));
    assert_eq!(page.attr("#phone", "autocomplete").as_deref(), Some("tel"));

    // Not a number: said beside the field, what was typed kept.
    let email = unique_email("phone.home");
    let (status, page) = browser
        .press(&page, "continue", &with_phone(&email, "12"))
        .await;
    assert_ne!(status, StatusCode::SEE_OTHER);
    assert!(
        page.field_error("phone")
            .is_some_and(|e| e.contains("not a phone number we can use")),
        "{}",
        page.html
    );
    assert_eq!(page.attr("#phone", "value").as_deref(), Some("12"));

    let (status, page) = browser
        .press(&page, "continue", &with_phone(&email, "07400 123456"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let code = app.last_mail(&email, 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE);
    let user = stored_user(&app, &email).await;
    assert_eq!(
        user.attributes.get("phone").map(String::as_str),
        Some("+447400123456")
    );

    // A flow that names no region asks for the country code, unless it is there.
    app.publish(&registration_with_phone(None)).await;
    let browser = app.browser();
    let page = browser.get("/register").await;
    let email = unique_email("phone.abroad");
    let (_, page) = browser
        .press(&page, "continue", &with_phone(&email, "07400 123456"))
        .await;
    assert!(
        page.field_error("phone")
            .is_some_and(|e| e.contains("country code in front")),
        "{}",
        page.html
    );
    let (status, _) = browser
        .press(&page, "continue", &with_phone(&email, "+33 6 12 34 56 78"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_region_that_is_none_is_refused_by_validation() {
    let mut def = registration_with_phone(Some("GB"));
    def.default_region = Some("Narnia".into());
    let codes: Vec<&str> = def.validate().into_iter().map(|p| p.code).collect();
    assert_eq!(codes, ["bad_region"]);
}
