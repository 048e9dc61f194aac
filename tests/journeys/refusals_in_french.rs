//! A French-speaking administrator's refusals: a limit out of range, a colour white text
//! cannot be read on, a password policy below the floors and a malformed token name are each
//! refused beside their field in French, with no catalogue key showing; the management API
//! answers a bad registration in English whatever language the caller asks for.

use crate::console::{admin_browser, fields};
use crate::helpers::*;
use crate::manage_api::create_token;
use reqwest::StatusCode;
use serde_json::{Value, json};

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

/// The refusal beside field `id`, which must be there, in French and whole.
fn beside(page: &Page, id: &str) -> String {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.html
    );
    let said = page
        .field_error(id)
        .unwrap_or_else(|| panic!("no refusal beside {id}: {}", page.html));
    assert!(
        !page.html.contains(">ui.") && !page.html.contains("\"ui.") && !said.contains("ui."),
        "{id}: a key shows instead of its text: {said}"
    );
    assert!(!said.contains("{$"), "{id}: a value is missing: {said}");
    said
}

#[tokio::test]
async fn a_french_administrator_is_refused_in_french_beside_each_field() {
    let app = spawn_app().await;
    let (mut browser, _) = admin_browser(&app).await;
    browser.accept_language = Some("fr".into());

    // A limit out of range, and one the resend wait must stay under.
    let form = browser.get(LIMITS).await;
    assert_eq!(form.h1(), "Durées et limites");
    let (_, refused) = browser
        .post(
            LIMITS,
            &limits_form(
                &form,
                &[("otp_max_attempts", "100"), ("max_sends", "beaucoup")],
            ),
        )
        .await;
    let limit = beside(&refused, "otp_max_attempts");
    assert!(
        limit.contains("Saisissez un nombre entier de 1 à 10 (essais)."),
        "{limit}"
    );
    assert!(beside(&refused, "max_sends").contains("de 1 à 20"));
    let (_, refused) = browser
        .post(
            LIMITS,
            &limits_form(
                &form,
                &[
                    ("otp_lifetime_minutes", "1"),
                    ("resend_interval_seconds", "90"),
                ],
            ),
        )
        .await;
    let wait = beside(&refused, "resend_interval_seconds");
    assert!(
        wait.contains("L’attente avant un nouvel envoi doit être plus courte"),
        "{wait}"
    );

    // A colour white button text cannot be read on, and an empty product name.
    let page = browser.get("/admin/settings/branding").await;
    let (_, refused) = browser
        .post(
            "/admin/settings/branding",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("product_name", " "),
                ("primary_colour", "#ffff00"),
            ]),
        )
        .await;
    let colour = beside(&refused, "primary_colour");
    assert!(
        colour.contains("Un texte blanc sur #ffff00 a un contraste de 1.1:1"),
        "{colour}"
    );
    assert!(
        colour.contains("Choisissez une couleur plus foncée."),
        "{colour}"
    );
    let name = beside(&refused, "product_name");
    assert!(name.contains("Saisissez le nom du produit"), "{name}");
    let (_, refused) = browser
        .post(
            "/admin/settings/branding",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("product_name", "Acme"),
                ("primary_colour", "bleu"),
            ]),
        )
        .await;
    let form = beside(&refused, "primary_colour");
    assert!(
        form.contains("Saisissez une couleur sous la forme #rrvvbb"),
        "{form}"
    );

    // A password policy below the NIST floors.
    let page = browser.get("/admin/settings/password").await;
    let (_, refused) = browser
        .post(
            "/admin/settings/password",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("min_length", "7"),
                ("max_length", "32"),
            ]),
        )
        .await;
    let min = beside(&refused, "min_length");
    assert!(
        min.contains("Saisissez un nombre entier de 8 à 64."),
        "{min}"
    );
    let max = beside(&refused, "max_length");
    assert!(
        max.contains("Saisissez un nombre entier de 64 à 1024."),
        "{max}"
    );

    // A token name with a space in it.
    let page = browser.get("/admin/tokens").await;
    let (_, refused) = browser
        .post(
            "/admin/tokens",
            &fields(&[("csrf_token", &page.csrf()), ("name", "mon jeton")]),
        )
        .await;
    let token = beside(&refused, "name");
    assert!(
        token.contains(
            "Un nom de jeton compte de 1 à 64 lettres, chiffres, points, tirets bas ou traits d’union."
        ),
        "{token}"
    );

    // Nothing was saved by any of it.
    let limits = browser.get(LIMITS).await;
    assert_eq!(
        limits.attr("#otp_max_attempts", "value").as_deref(),
        Some("5")
    );
}

#[tokio::test]
async fn the_management_api_refuses_in_english_whatever_language_is_asked() {
    let app = spawn_app().await;
    let token = create_token(&app, "refusals").await;
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/connections", app.address))
        .bearer_auth(&token)
        .header("accept-language", "fr")
        .json(&json!({
            "name": "Staff SSO",
            "discoveryUrl": "https://login.example/.well-known/openid-configuration",
            "clientId": "flows",
            "clientSecret": "a client secret"
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["code"], "FM-40007", "{body}");
    assert_eq!(
        body["description"],
        "Use 1 to 40 lower-case letters, digits and hyphens, like google or staff-sso.",
        "{body}"
    );
}

/// Nothing listens on the discard port: a provider that does not answer.
const DEAD: &str = "http://127.0.0.1:9/.well-known/openid-configuration";

#[tokio::test]
async fn a_connection_is_refused_and_its_silent_provider_explained_in_french() {
    let app = spawn_app_with(Options {
        extension_allow_private: true,
        ..Options::default()
    })
    .await;
    let (mut browser, _) = admin_browser(&app).await;
    browser.accept_language = Some("fr".into());
    let page = browser.get("/admin/connections").await;
    let add = |name: &str| {
        fields(&[
            ("csrf_token", &page.csrf()),
            ("name", name),
            ("discovery_url", DEAD),
            ("client_id", "flows"),
            ("client_secret", "a client secret"),
        ])
    };
    let (_, refused) = browser.post("/admin/connections", &add("Staff SSO")).await;
    let name = beside(&refused, "name");
    assert!(
        name.contains("Utilisez de 1 à 40 lettres minuscules, chiffres et traits d’union"),
        "{name}"
    );
    let (status, _) = browser.post("/admin/connections", &add("dead")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let tested = browser
        .post_raw(
            "/admin/connections/dead/test",
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(tested.status, StatusCode::OK, "{}", tested.html);
    let said = tested.text_of("#tested-result");
    assert!(
        said.contains("ne répond pas comme il le devrait : la découverte a échoué : "),
        "{said}"
    );
    assert!(!tested.html.contains(">ui."), "{}", tested.html);

    // The management API says the same in English, whatever the caller asks for.
    let token = create_token(&app, "refusals").await;
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/connections/dead/test", app.address))
        .bearer_auth(&token)
        .header("accept-language", "fr")
        .send()
        .await
        .expect("request");
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["answers"], false, "{body}");
    let problem = body["problem"].as_str().unwrap_or_default();
    assert!(problem.starts_with("discovery failed: "), "{body}");
}
