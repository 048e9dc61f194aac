//! Sign-up through an OpenID Connect provider, against a real, certified one (panva's
//! `oidc-provider`, run by `oidc_provider`): a new account through the hosted pages and
//! through the execution API, an address the provider did not prove, consent refused, a
//! tampered `state`, a replayed callback, an address that already has an account, and a
//! provider that is down.

use crate::api::Api;
use crate::helpers::*;
use crate::oidc_provider::{Client, Provider};
use flows::engine::{Actor, NewConnection};
use reqwest::StatusCode;
use serde_json::json;

const PROFILE: &str = "Complete your profile";

pub(crate) struct Setup {
    pub app: TestApp,
    pub provider: Provider,
}

/// A server whose registration offers sign-up through the connection `sso`, registered
/// with a provider that knows this server as its client.
pub(crate) async fn setup() -> Setup {
    let app = spawn_app_with(Options {
        extension_allow_private: true,
        ..Options::default()
    })
    .await;
    let provider = Provider::start(&[Client {
        id: "flows".into(),
        secret: "a client secret".into(),
        redirect_uri: format!("{}/social/callback", app.address),
    }])
    .await;
    let engine = app.engine().await;
    engine
        .add_connection(
            &NewConnection {
                name: "sso".into(),
                discovery_url: provider.discovery_url(),
                client_id: "flows".into(),
                client_secret: "a client secret".into(),
                ..NewConnection::default()
            },
            &Actor::cli(),
        )
        .await
        .unwrap()
        .unwrap();
    app.publish(&valid_definition(template_json("registration-social")))
        .await;
    Setup { app, provider }
}

/// Presses the sign-up button; returns the provider's authorization URL the page moves on to.
async fn go_to_provider(browser: &Browser) -> String {
    let page = browser.get("/register").await;
    away_from(browser, &page).await
}

/// Presses the sign-up button on `page`; returns where the page moves on to.
async fn away_from(browser: &Browser, page: &Page) -> String {
    let (status, away) = browser.press(page, "social", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", away.html);
    let url = away
        .attr("meta[http-equiv=refresh]", "content")
        .and_then(|c| c.split_once("url=").map(|(_, u)| u.to_owned()))
        .unwrap_or_else(|| panic!("no refresh: {}", away.html));
    assert!(
        away.exists(&format!("a[href='{url}']")),
        "a link for a browser that does not refresh"
    );
    url
}

/// The callback URL as our own path, for the browser.
fn own(app: &TestApp, callback: &str) -> String {
    callback
        .strip_prefix(&app.address)
        .unwrap_or_else(|| panic!("the provider sent the person elsewhere: {callback}"))
        .to_owned()
}

#[tokio::test]
async fn a_new_account_through_a_provider_that_proves_the_address() {
    let Setup { app, provider } = setup().await;
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    assert!(authorize.starts_with(&provider.issuer), "{authorize}");
    for part in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "scope=openid",
    ] {
        assert!(authorize.contains(part), "{part} in {authorize}");
    }
    let email = unique_email("social.new");
    let callback = provider.sign_in(&authorize, &email).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.h1(), PROFILE, "{}", page.html);
    assert_eq!(page.attr("#given_name", "value").as_deref(), Some("Ada"));

    // The terms are still asked for: nothing is accepted on the person's behalf.
    let (status, page) = browser
        .press(
            &page,
            "create",
            &[("given_name", "Ada"), ("family_name", "Lovelace")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    let (_, page) = browser
        .press(
            &page,
            "create",
            &[
                ("given_name", "Ada"),
                ("family_name", "Lovelace"),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(page.h1(), DONE, "{}", page.html);
    assert!(signed_in(&browser).await);
    let user = stored_user(&app, &email).await;
    assert!(user.email_verified, "the provider proved it");
    assert!(user.password_hash.is_none());
    assert_eq!(
        app.store().await.identities_of(user.id).await.unwrap(),
        vec![("sso".to_owned(), email.clone())],
        "the account holds the provider's sign-in (its subject is the login there)"
    );
    assert!(!user.attributes.contains_key("social_subject"));
    assert!(app.mails_to(&email).is_empty(), "no code was needed");

    // The same callback again changes nothing, and says so.
    let replay = browser.get(&own(&app, &callback)).await;
    assert_ne!(replay.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!replay.html.contains(PROFILE));
}

#[tokio::test]
async fn an_address_the_provider_did_not_prove_gets_a_code() {
    let Setup { app, provider } = setup().await;
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    let email = format!("unverified-{}", unique_email("social"));
    let callback = provider.sign_in(&authorize, &email).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.h1(), PROFILE, "{}", page.html);
    let (_, page) = browser
        .press(&page, "create", &[("given_name", "Bob"), ("terms", "true")])
        .await;
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    let code = app.last_mail(&email, 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE, "{}", page.html);
}

#[tokio::test]
async fn consent_refused_a_tampered_state_and_an_existing_address_come_back_to_the_form() {
    let Setup { app, provider } = setup().await;
    let taken = unique_email("social.taken");
    register_fully(&app, "Ada", &taken).await;

    // Consent refused: back on the form, told so, free to use it.
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    let callback = provider.refuse(&authorize, "carol@example.com").await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.step().as_deref(), Some("details"), "{}", page.html);
    assert!(
        page.html.contains("You cancelled signing in"),
        "{}",
        page.html
    );

    // A state that is not the one sent: refused, and the real one is spent too.
    let authorize = go_to_provider(&browser).await;
    let callback = provider.sign_in(&authorize, "dave@example.com").await;
    let tampered = callback.replace("state=", "state=x");
    let page = browser.get(&own(&app, &tampered)).await;
    assert_eq!(page.step().as_deref(), Some("details"), "{}", page.html);
    assert!(page.html.contains("did not work"), "{}", page.html);
    let page = browser.get(&own(&app, &callback)).await;
    assert_ne!(page.h1(), PROFILE, "a spent sign-in cannot be finished");

    // A callback carried into another browser resumes nothing there.
    let elsewhere = app.browser().get(&own(&app, &callback)).await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);
    assert!(elsewhere.exists("a[href='/register']"), "a way on");

    let audit = app.store().await.recent_audit(50).await.unwrap();
    let refused = audit
        .iter()
        .filter(|e| e.action == "social_sign_up.refused")
        .count();
    assert!(refused >= 2, "{refused}");
}

#[tokio::test]
async fn an_existing_account_is_linked_only_once_its_owner_proves_it() {
    let Setup { app, provider } = setup().await;
    let taken = unique_email("social.taken");
    register_fully(&app, "Ada", &taken).await;
    let user = stored_user(&app, &taken).await;

    // The provider proves the address: its holder is told it has an account, and asked for
    // the account's password; a wrong one links nothing and counts.
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    let callback = provider.sign_in(&authorize, &taken).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(
        page.h1(),
        "This address already has an account",
        "{}",
        page.html
    );
    assert!(page.html.contains(&taken));
    let (status, page) = browser
        .press(&page, "link", &[("password", "not the password at all")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("password")
            .is_some_and(|e| e.contains("4 more tries")),
        "{}",
        page.html
    );
    assert!(
        app.store()
            .await
            .identities_of(user.id)
            .await
            .unwrap()
            .is_empty()
    );

    // The right one links the provider's sign-in and signs the person in.
    let (_, page) = browser
        .press(&page, "link", &[("password", GOOD_PASSWORD)])
        .await;
    assert_eq!(page.h1(), "Your accounts are linked", "{}", page.html);
    assert!(signed_in(&browser).await);
    assert_eq!(
        app.store().await.identities_of(user.id).await.unwrap(),
        vec![("sso".to_owned(), taken.clone())]
    );

    // Or by a code mailed to the address, for one who prefers it to the password.
    let other = unique_email("social.bycode");
    register_fully(&app, "Cy", &other).await;
    let owner = stored_user(&app, &other).await;
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    let callback = provider.sign_in(&authorize, &other).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(
        page.h1(),
        "This address already has an account",
        "{}",
        page.html
    );
    let (_, page) = browser.press(&page, "send_code", &[]).await;
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    let code = app.last_mail(&other, 2).await.code();
    let (status, page) = browser
        .press(&page, "verify", &[("otp", wrong_code(&code))])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.store()
            .await
            .identities_of(owner.id)
            .await
            .unwrap()
            .is_empty()
    );
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), "Your accounts are linked", "{}", page.html);
    assert_eq!(
        app.store().await.identities_of(owner.id).await.unwrap(),
        vec![("sso".to_owned(), other.clone())]
    );

    // An address the provider did not prove is never offered a link: the journey goes on
    // as a new registration, and the address's owner gets the "already registered" mail.
    let unproved = format!("unverified-{}", unique_email("social.taken2"));
    register_fully(&app, "Bea", &unproved).await;
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    let callback = provider.sign_in(&authorize, &unproved).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.h1(), PROFILE, "{}", page.html);
    let (_, page) = browser
        .press(&page, "create", &[("given_name", "Bea"), ("terms", "true")])
        .await;
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    let mail = app.last_mail(&unproved, 2).await;
    assert!(mail.subject.contains("already"), "{}", mail.subject);
}

#[tokio::test]
async fn a_provider_that_is_down_is_said_on_the_form() {
    let Setup { app, mut provider } = setup().await;
    provider.stop();
    let browser = app.browser();
    let page = browser.get("/register").await;
    let (status, page) = browser.press(&page, "social", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(
        page.html.contains("not available right now"),
        "{}",
        page.html
    );
    // The form itself still works.
    let (status, _) = browser
        .press(
            &page,
            "continue",
            &details("Ada", &unique_email("social.down"), GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_execution_api_answers_a_redirection_and_takes_the_callback_as_inputs() {
    let Setup { app, provider } = setup().await;
    let api = Api::new(&app);
    let first = api.start("REGISTRATION").await;
    let away = api.press(&first, "social", json!({})).await;
    assert_eq!(away["type"], "REDIRECTION", "{away}");
    assert_eq!(away["flowStatus"], "INCOMPLETE");
    let authorize = away["data"]["redirectURL"].as_str().unwrap().to_owned();
    // What the execution keeps holds neither the `state` sent (only its hash) nor the URL
    // that carries it in the clear: both are sealed.
    let state = url::Url::parse(&authorize)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let id = away["flowId"].as_str().unwrap().parse().unwrap();
    let kept = app.store().await.execution(id).await.unwrap().unwrap();
    let secrets = serde_json::to_string(&kept.secrets).unwrap();
    assert!(!secrets.contains(&state), "{secrets}");
    assert!(!secrets.contains("code_challenge"), "{secrets}");
    let email = unique_email("social.api");
    let callback = provider.sign_in(&authorize, &email).await;
    let url = url::Url::parse(&callback).unwrap();
    let query: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    let (status, profile) = api
        .call(json!({
            "flowId": away["flowId"],
            "inputs": {"code": query["code"], "state": query["state"]},
        }))
        .await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    assert_eq!(profile["type"], "VIEW", "{profile}");
    let done = api
        .press(
            &profile,
            "create",
            json!({"http://wso2.org/claims/givenname": "Ada", "terms": true}),
        )
        .await;
    assert_eq!(done["flowStatus"], "COMPLETE", "{done}");
    assert!(
        app.store()
            .await
            .user_by_email(&email)
            .await
            .unwrap()
            .is_some()
    );
}

/// The invitation template with a sign-up button beside its form: the provider's proved
/// address must be the invited one.
fn invitation_with_social() -> flows::engine::FlowDefinition {
    let mut def = template_json("invite-password");
    let steps = def["steps"].as_array_mut().unwrap();
    steps[0]["components"][2]["components"]
        .as_array_mut()
        .unwrap()
        .push(
            json!({"id": "social", "type": "BUTTON", "variant": "SOCIAL", "actionId": "social",
            "config": {"text": "{{t(button.sign_up_oidc)}}", "type": "submit"}}),
        );
    steps[0]["actions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"ref": "social", "next": "social_sign_up"}));
    steps.push(
        json!({"id": "social_sign_up", "type": "TASK", "executor": "OpenIdConnect",
        "connection": "sso", "next": {"success": "complete_profile", "link": "complete_profile"}}),
    );
    steps.push(json!({"id": "complete_profile", "type": "VIEW", "components": [
        {"id": "heading", "type": "TYPOGRAPHY", "variant": "H1", "config": {"text": "{{t(register.social.title)}}"}},
        {"id": "profile_form", "type": "FORM", "components": [
            {"id": "terms", "type": "INPUT", "variant": "CHECKBOX", "config": {"identifier": "terms", "label": "{{t(field.terms)}}", "required": true}},
            {"id": "create", "type": "BUTTON", "variant": "PRIMARY", "actionId": "create", "config": {"text": "{{t(button.continue)}}", "type": "submit"}}
        ]}],
        "actions": [{"ref": "create", "next": "provision"}]}));
    valid_definition(def)
}

#[tokio::test]
async fn an_invitation_takes_a_sign_up_only_with_the_invited_address() {
    let Setup { app, provider } = setup().await;
    app.publish(&invitation_with_social()).await;
    let email = unique_email("social.invited");
    app.invite(&email, Default::default(), "Grace Hopper").await;
    let link = app.last_mail(&email, 1).await.invitation_link();
    let browser = app.browser();
    let page = browser.get(&link).await;
    assert_eq!(page.h1(), "You are invited", "{}", page.html);

    // Another address, even proved, does not accept the invitation.
    let authorize = away_from(&browser, &page).await;
    let callback = provider
        .sign_in(&authorize, "someone.else@example.com")
        .await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.h1(), "You are invited", "{}", page.html);
    assert!(
        page.html.contains("another address than the one invited"),
        "{}",
        page.html
    );

    // The invited address does.
    let authorize = away_from(&browser, &page).await;
    let callback = provider.sign_in(&authorize, &email).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.h1(), PROFILE, "{}", page.html);
    let (_, page) = browser.press(&page, "create", &[("terms", "true")]).await;
    assert_eq!(page.h1(), DONE, "{}", page.html);
    let user = stored_user(&app, &email).await;
    assert!(user.email_verified);
    assert!(
        app.store()
            .await
            .user_by_email("someone.else@example.com")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_provider_without_openid_connect_signs_up_through_its_user_api() {
    let Setup { app, provider } = setup().await;
    // The same real provider, used as a plain OAuth 2.0 server: its endpoints by hand, and
    // who the person is from its user API (as GitHub's preset does with api.github.com).
    let discovery: serde_json::Value = reqwest::get(provider.discovery_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let engine = app.engine().await;
    assert!(
        engine
            .remove_connection("sso", &Actor::cli())
            .await
            .unwrap()
    );
    engine
        .add_connection(
            &NewConnection {
                name: "sso".into(),
                preset: "oauth2".into(),
                client_id: "flows".into(),
                client_secret: "a client secret".into(),
                authorize_url: discovery["authorization_endpoint"].as_str().unwrap().into(),
                token_url: discovery["token_endpoint"].as_str().unwrap().into(),
                userinfo_url: discovery["userinfo_endpoint"].as_str().unwrap().into(),
                ..NewConnection::default()
            },
            &Actor::cli(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        engine.test_connection("sso", &Actor::cli()).await.unwrap(),
        Some(Ok(()))
    );
    let browser = app.browser();
    let authorize = go_to_provider(&browser).await;
    assert!(!authorize.contains("nonce="), "no ID token, so no nonce");
    assert!(authorize.contains("code_challenge_method=S256"));
    let email = unique_email("social.oauth2");
    let callback = provider.sign_in(&authorize, &email).await;
    let page = browser.get(&own(&app, &callback)).await;
    assert_eq!(page.h1(), PROFILE, "{}", page.html);
    assert_eq!(page.attr("#given_name", "value").as_deref(), Some("Ada"));
    let (_, page) = browser
        .press(&page, "create", &[("given_name", "Ada"), ("terms", "true")])
        .await;
    assert_eq!(page.h1(), DONE, "{}", page.html);
    let user = stored_user(&app, &email).await;
    assert!(user.email_verified, "the user API said email_verified");

    // A URL that is not one is refused beside its field.
    let refused = engine
        .add_connection(
            &NewConnection {
                name: "other".into(),
                preset: "oauth2".into(),
                client_id: "x".into(),
                client_secret: "y".into(),
                authorize_url: "not a url".into(),
                ..NewConnection::default()
            },
            &Actor::cli(),
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(refused.field, "authorize_url");
}
