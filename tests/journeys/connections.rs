//! Connections managed by people and scripts: an owner registers an OpenID Connect provider in
//! the console (refused beside the field, what was typed kept but the secret; never a secret
//! in the list), asks whether a real provider (`oidc_provider`) and a dead one answer, removes
//! one through its confirm page; an operator is refused the page; a token does the same
//! through the management API, its answers checked against the served OpenAPI document.

use crate::console::{admin_browser, fields, operator_browser};
use crate::extensions_console::{Doc, call};
use crate::helpers::*;
use crate::manage_api::create_token;
use crate::oidc_provider::{Client, Provider};
use reqwest::{Method, StatusCode};
use serde_json::json;

const PAGE: &str = "/admin/connections";
const SECRET: &str = "a client secret nobody sees again";
/// Nothing listens on the discard port: a provider that does not answer.
const DEAD: &str = "http://127.0.0.1:9/.well-known/openid-configuration";

fn add_form(page: &Page, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = fields(&[("csrf_token", &page.csrf())]);
    form.extend(fields(pairs));
    form
}

/// A server that may reach a provider on this machine, and a provider that knows it.
async fn with_provider() -> (TestApp, Provider) {
    let app = spawn_app_with(Options {
        extension_allow_private: true,
        ..Options::default()
    })
    .await;
    let provider = Provider::start(&[Client {
        id: "flows".into(),
        secret: SECRET.into(),
        redirect_uri: format!("{}/social/callback", app.address),
    }])
    .await;
    (app, provider)
}

#[tokio::test]
async fn an_owner_adds_tests_and_removes_connections_in_the_console() {
    let (app, provider) = with_provider().await;
    let (owner, _) = admin_browser(&app).await;
    let home = owner.get("/admin").await;
    assert!(home.exists(".site-nav a[href='/admin/connections']"));

    let page = owner.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(page.h1(), "Connections");
    assert!(page.html.contains("None yet."), "{}", page.html);
    // The one URL to register at every provider.
    assert_eq!(
        page.text_of("#callback-url"),
        format!("{}/social/callback", app.address)
    );
    assert_eq!(
        page.attr("#client_secret", "type").as_deref(),
        Some("password")
    );
    assert_eq!(
        page.attr("#client_secret", "autocomplete").as_deref(),
        Some("off")
    );
    assert_eq!(
        page.attr("#scopes", "value").as_deref(),
        Some("openid email profile")
    );
    let presets = page.select_all("#preset option");
    assert_eq!(presets.len(), 5, "{presets:?}");
    assert!(page.exists("#preset option[value=oidc][selected]"));

    // A discovery URL that is not one: refused beside it, what was typed kept but the secret.
    let refused = owner
        .post_raw(
            PAGE,
            &add_form(
                &page,
                &[
                    ("name", "sso"),
                    ("preset", "oidc"),
                    ("discovery_url", "ftp://sso.example.com/"),
                    ("client_id", "flows"),
                    ("client_secret", SECRET),
                    ("scopes", "openid email"),
                    ("mapping", "given_name=first_name"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.field_error("discovery_url").is_some(),
        "{}",
        refused.html
    );
    assert!(refused.field_error("name").is_none());
    assert_eq!(refused.summary().len(), 1, "{:?}", refused.summary());
    crate::console::assert_summary_links_resolve(&refused);
    assert_eq!(refused.attr("#name", "value").as_deref(), Some("sso"));
    assert_eq!(
        refused.attr("#discovery_url", "value").as_deref(),
        Some("ftp://sso.example.com/")
    );
    assert_eq!(
        refused.attr("#client_id", "value").as_deref(),
        Some("flows")
    );
    assert_eq!(
        refused.attr("#scopes", "value").as_deref(),
        Some("openid email")
    );
    assert_eq!(refused.text_of("#mapping"), "given_name=first_name");
    assert_eq!(refused.attr("#client_secret", "value").as_deref(), Some(""));
    assert!(!refused.html.contains(SECRET));
    // The engine's own refusals land beside their fields too; a mapping line that is not
    // a pair is refused before it.
    for (pairs, field) in [
        (vec![("name", "Not A Slug")], "name"),
        (vec![("preset", "gitlab")], "preset"),
        (vec![("scopes", "email profile")], "scopes"),
        (vec![("mapping", "given_name")], "mapping"),
        (vec![("mapping", "given_name=email")], "mapping"),
        (vec![("client_secret", "")], "client_secret"),
        (vec![("client_id", "flows\u{0}x")], "client_id"),
    ] {
        let mut form = vec![
            ("name", "sso"),
            ("preset", "oidc"),
            (
                "discovery_url",
                "https://sso.example.com/.well-known/openid-configuration",
            ),
            ("client_id", "flows"),
            ("client_secret", SECRET),
            ("scopes", "openid email profile"),
        ];
        for (k, v) in pairs {
            form.retain(|(key, _)| *key != k);
            form.push((k, v));
        }
        let refused = owner.post_raw(PAGE, &add_form(&page, &form)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            refused.field_error(field).is_some(),
            "{field}: {}",
            refused.html
        );
    }

    // Added: listed, never with its secret.
    let discovery = provider.discovery_url();
    let (status, after) = owner
        .post(
            PAGE,
            &add_form(
                &page,
                &[
                    ("name", "sso"),
                    ("preset", "oidc"),
                    ("discovery_url", &discovery),
                    ("client_id", "flows"),
                    ("client_secret", SECRET),
                    ("scopes", "openid email profile"),
                    ("mapping", ""),
                ],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(after.notice().as_deref(), Some("Connection sso added."));
    let row = after.select_all("#connection-sso td");
    assert_eq!(row[0], "sso");
    assert_eq!(row[1], "oidc");
    assert_eq!(row[2], discovery);
    assert_eq!(row[3], "flows");
    assert_eq!(row[4], "openid email profile");
    assert_eq!(row[5], "family_name=family_name, given_name=given_name");
    assert!(row[6].ends_with("UTC"), "{row:?}");
    assert!(!after.html.contains(SECRET));
    // A preset fills in its discovery URL; a mapping of its own is kept.
    let (status, after) = owner
        .post(
            PAGE,
            &add_form(
                &after,
                &[
                    ("name", "google"),
                    ("preset", "google"),
                    ("discovery_url", ""),
                    ("client_id", "id.apps.googleusercontent.com"),
                    ("client_secret", SECRET),
                    ("scopes", "openid email"),
                    (
                        "mapping",
                        "given_name=first_name\n\npreferred_username=nickname\n",
                    ),
                ],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let row = after.select_all("#connection-google td");
    assert_eq!(row[1], "google");
    assert_eq!(
        row[2],
        "https://accounts.google.com/.well-known/openid-configuration"
    );
    assert_eq!(row[5], "given_name=first_name, preferred_username=nickname");
    // A taken name: refused beside the name.
    let refused = owner
        .post_raw(
            PAGE,
            &add_form(
                &after,
                &[
                    ("name", "sso"),
                    ("preset", "google"),
                    ("client_id", "other"),
                    ("client_secret", SECRET),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .field_error("name")
            .is_some_and(|e| e.contains("already")),
        "{}",
        refused.html
    );

    // Test: the real provider answers; a dead one does not, and the page says why.
    let tested = owner
        .post_raw(
            "/admin/connections/sso/test",
            &fields(&[("csrf_token", &after.csrf())]),
        )
        .await;
    assert_eq!(tested.status, StatusCode::OK, "{}", tested.html);
    assert_eq!(tested.text_of("#tested-result"), "The provider answers.");
    assert!(tested.exists("#connection-sso"));
    let (status, _) = owner
        .post(
            PAGE,
            &add_form(
                &after,
                &[
                    ("name", "dead"),
                    ("discovery_url", DEAD),
                    ("client_id", "flows"),
                    ("client_secret", SECRET),
                ],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let tested = owner
        .post_raw(
            "/admin/connections/dead/test",
            &fields(&[("csrf_token", &after.csrf())]),
        )
        .await;
    assert_eq!(tested.status, StatusCode::OK, "{}", tested.html);
    let said = tested.text_of("#tested-result");
    assert!(said.contains("does not answer"), "{said}");
    let (_, none) = owner
        .post(
            "/admin/connections/nobody/test",
            &fields(&[("csrf_token", &after.csrf())]),
        )
        .await;
    assert_eq!(
        none.notice().as_deref(),
        Some("There is no connection called nobody.")
    );

    // Removing asks first, on a page of its own.
    let confirm = owner.get("/admin/connections/sso/remove").await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.h1(), "Remove the connection sso?");
    assert!(confirm.html.contains(&discovery));
    let action = confirm.attr("form.flow-form", "action").expect("a form");
    assert_eq!(action, "/admin/connections/sso/remove");
    let (status, removed) = owner
        .post(&action, &fields(&[("csrf_token", &confirm.csrf())]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(removed.notice().as_deref(), Some("Connection sso removed."));
    assert!(!removed.exists("#connection-sso"));
    assert!(removed.exists("#connection-google"));
    let gone = owner.get("/admin/connections/sso/remove").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let (_, again) = owner
        .post(&action, &fields(&[("csrf_token", &confirm.csrf())]))
        .await;
    assert_eq!(
        again.notice().as_deref(),
        Some("There is no connection called sso.")
    );

    let audit: Vec<String> = app
        .engine()
        .await
        .recent_audit(50)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(audit.iter().filter(|a| *a == "connection.added").count(), 3);
    assert!(audit.iter().any(|a| a == "connection.removed"));

    // An operator is refused the page and its posts.
    let (operator, _, _) = operator_browser(&app, &owner).await;
    let refused = operator.get_raw(PAGE).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.html.contains("google"));
    let home = operator.get("/admin").await;
    assert!(!home.exists(".site-nav a[href='/admin/connections']"));
    for post in [
        PAGE,
        "/admin/connections/google/test",
        "/admin/connections/google/remove",
    ] {
        let refused = operator
            .post_raw(
                post,
                &fields(&[
                    ("csrf_token", &home.csrf()),
                    ("name", "sneaky"),
                    ("preset", "google"),
                    ("client_id", "x"),
                    ("client_secret", "y"),
                ]),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{post}");
    }
    let names: Vec<String> = app
        .engine()
        .await
        .connections(&flows::engine::Actor::cli())
        .await
        .expect("connections")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["dead", "google"]);
}

#[tokio::test]
async fn a_token_adds_lists_tests_and_removes_connections_through_the_management_api() {
    let (app, provider) = with_provider().await;
    let doc = Doc::fetch(&app).await;
    let token = create_token(&app, "sso").await;
    const LIST: &str = "/api/v1/connections";
    const ONE: &str = "/api/v1/connections/{name}";
    const TEST: &str = "/api/v1/connections/{name}/test";

    let (status, body) = call(&app, Method::GET, LIST, "nope", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "FM-40100");

    let (status, list) = call(&app, Method::GET, LIST, &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!({"connections": []}));
    doc.check("get", LIST, status, &list);

    let (status, added) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({
            "name": "sso",
            "discoveryUrl": provider.discovery_url(),
            "clientId": "flows",
            "clientSecret": SECRET,
            "mapping": {"given_name": "first_name"}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    doc.check("post", LIST, status, &added);
    let connection = &added["connection"];
    assert_eq!(connection["name"], "sso");
    assert_eq!(connection["preset"], "oidc");
    assert_eq!(connection["clientId"], "flows");
    assert_eq!(connection["scopes"], json!(["openid", "email", "profile"]));
    assert_eq!(connection["mapping"], json!({"given_name": "first_name"}));
    assert!(connection["createdAt"].as_str().unwrap().contains('T'));
    assert!(!added.to_string().contains(SECRET));

    let (status, google) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(
            json!({"name": "google", "preset": "google", "clientId": "g", "clientSecret": SECRET}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{google}");
    assert_eq!(
        google["connection"]["discoveryUrl"],
        "https://accounts.google.com/.well-known/openid-configuration"
    );

    let (status, list) = call(&app, Method::GET, LIST, &token, None).await;
    doc.check("get", LIST, status, &list);
    let names: Vec<&str> = list["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["google", "sso"]);
    assert!(!list.to_string().contains(SECRET));

    // Refusals: a setting names its field in the API's spelling; a taken name is a conflict.
    for (body, field) in [
        (
            json!({"name": "x", "discoveryUrl": "ftp://x.example.com/", "clientId": "c", "clientSecret": "s"}),
            "discoveryUrl",
        ),
        (
            json!({"name": "x", "preset": "google", "clientId": " ", "clientSecret": "s"}),
            "clientId",
        ),
        // A NUL no database column takes.
        (
            json!({"name": "x", "preset": "google", "clientId": "c\u{0}", "clientSecret": "s"}),
            "clientId",
        ),
        (
            json!({"name": "x", "preset": "google", "clientId": "c", "clientSecret": "s", "scopes": ["email"]}),
            "scopes",
        ),
        (
            json!({"name": "x", "preset": "google", "clientId": "c", "clientSecret": "s", "mapping": {"given_name": "email"}}),
            "mapping",
        ),
    ] {
        let (status, answer) = call(&app, Method::POST, LIST, &token, Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["code"], "FM-40007");
        assert_eq!(answer["field"], field, "{answer}");
        doc.check("post", LIST, status, &answer);
    }
    let (status, body) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"name": "sso", "preset": "google", "clientId": "c", "clientSecret": "s"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "FM-40902");
    assert_eq!(body["field"], "name");
    doc.check("post", LIST, status, &body);
    let (status, body) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"name": "y", "clientId": "c"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "FM-40002");
    doc.check("post", LIST, status, &body);

    // Test: the real provider answers; one that is down is an answer too.
    let (status, body) = call(
        &app,
        Method::POST,
        "/api/v1/connections/sso/test",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"answers": true}));
    doc.check("post", TEST, status, &body);
    let (status, _) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"name": "dead", "discoveryUrl": DEAD, "clientId": "c", "clientSecret": "s"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = call(
        &app,
        Method::POST,
        "/api/v1/connections/dead/test",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["answers"], false);
    assert!(
        !body["problem"].as_str().unwrap_or_default().is_empty(),
        "{body}"
    );
    doc.check("post", TEST, status, &body);
    let (status, body) = call(
        &app,
        Method::POST,
        "/api/v1/connections/nobody/test",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40407");
    doc.check("post", TEST, status, &body);

    // Removed: 204, then 404.
    let (status, body) = call(
        &app,
        Method::DELETE,
        "/api/v1/connections/sso",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    doc.check("delete", ONE, status, &body);
    let (status, body) = call(
        &app,
        Method::DELETE,
        "/api/v1/connections/sso",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40407");
    doc.check("delete", ONE, status, &body);
    // Another method on the path, and a path below none: the management API's 405 and 404.
    let (status, body) = call(&app, Method::GET, "/api/v1/connections/sso", &token, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["code"], "FM-40500");
    let (status, body) = call(&app, Method::GET, "/api/v1/connections/a/b/c", &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "FM-40404");

    let audit: Vec<(String, String)> = app
        .engine()
        .await
        .recent_audit(50)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.actor))
        .collect();
    assert_eq!(
        audit
            .iter()
            .filter(|(a, who)| a == "connection.added" && who == "token:sso")
            .count(),
        3
    );
    assert!(
        audit
            .iter()
            .any(|(a, who)| a == "connection.removed" && who == "token:sso")
    );
}
