//! An application that requires a proof from its client: its backend signs each call with
//! the application's key (`Flows-Client-Proof`), and the Flow Execution API refuses what it
//! did not sign. Keys come from the console and from `flows app`, and both verify against
//! the running server; a server may also refuse API starts that name no application.

use crate::api::{Api, EXECUTE, details};
use crate::audit::audit_rows;
use crate::console::{admin_browser, fields};
use crate::helpers::*;
use flows::clock::Clock;
use flows::engine::client_proof;
use reqwest::StatusCode;
use serde_json::{Value, json};

const APPS: &str = "/admin/settings/applications";

/// The server's time now, as its (manual) clock says.
fn server_now(app: &TestApp) -> i64 {
    app.clock
        .as_ref()
        .expect("manual clock")
        .now()
        .unix_timestamp()
}

/// One API call with its headers; (status, headers, body).
async fn call(
    app: &TestApp,
    body: &Value,
    proof: Option<String>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}{EXECUTE}", app.address))
        .json(body);
    if let Some(proof) = proof {
        request = request.header(client_proof::HEADER, proof);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.json().await.unwrap())
}

fn start_body(app_id: &str) -> Value {
    json!({"flowType": "REGISTRATION", "applicationId": app_id})
}

/// Asserts a 401 `FE-60401` whose description contains `words`.
fn assert_refused(answer: &(StatusCode, reqwest::header::HeaderMap, Value), words: &str) {
    let (status, headers, body) = answer;
    assert_eq!(*status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "FE-60401", "{body}");
    assert_eq!(headers["www-authenticate"], client_proof::HEADER);
    assert!(
        body["description"].as_str().unwrap().contains(words),
        "{words}: {body}"
    );
}

/// Registers an application in the console; (its id, the key shown once).
async fn register_with_proof(browser: &Browser, name: &str, starts: &str) -> (String, String) {
    let page = browser.get(APPS).await;
    let (status, made) = browser
        .post(
            APPS,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("name", name),
                ("return_url", "https://shop.example/welcome"),
                ("origins", ""),
                ("starts_per_minute", starts),
                ("require_proof", "on"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the key is on the answer itself");
    let key = made.attr("#new-key", "value").expect("the key is shown");
    let names = made.select_all("tr[id^=app-] td:first-child a");
    let at = names.iter().position(|n| n == name).expect("listed");
    (made.select_all("tr[id^=app-] code")[at].clone(), key)
}

#[tokio::test]
async fn an_application_that_requires_a_proof_runs_only_the_calls_its_backend_signed() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let (browser, admin) = admin_browser(&app).await;
    let (id, key) = register_with_proof(&browser, "Shop", "2").await;
    assert!(key.starts_with("flows_app_") && key.len() == 74, "{key}");
    let listed = browser.get(APPS).await;
    assert!(!listed.html.contains(&key), "the key is shown once only");
    assert!(listed.html.contains("Required"), "{}", listed.html);
    let now = || server_now(&app);
    let sign = |key: &str, subject: &str| client_proof::header_value(key, now(), subject);

    // Unsigned, badly signed or stale starts are refused, and use up none of its limit.
    assert_refused(
        &call(&app, &start_body(&id), None).await,
        "requires a Flows-Client-Proof",
    );
    for _ in 0..4 {
        let answer = call(&app, &start_body(&id), None).await;
        assert_eq!(answer.0, StatusCode::UNAUTHORIZED);
    }
    assert_refused(
        &call(&app, &start_body(&id), Some("t=soon,v1=abc".into())).await,
        "does not read",
    );
    let stale = client_proof::header_value(&key, now() - 301, "REGISTRATION");
    assert_refused(
        &call(&app, &start_body(&id), Some(stale)).await,
        "5 minutes",
    );
    let forged = format!("flows_app_{}", "0".repeat(64));
    assert_refused(
        &call(&app, &start_body(&id), Some(sign(&forged, "REGISTRATION"))).await,
        "does not match",
    );
    assert_refused(
        &call(
            &app,
            &start_body(&id),
            Some(sign(&key, "PASSWORD_RECOVERY")),
        )
        .await,
        "does not match",
    );

    // A signed start goes through once; the same proof again does not.
    let proof = sign(&key, "REGISTRATION");
    let (status, _, view) = call(&app, &start_body(&id), Some(proof.clone())).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_refused(&call(&app, &start_body(&id), Some(proof)).await, "already");

    // Each later call is signed over its flowId.
    let flow_id = view["flowId"].as_str().unwrap().to_owned();
    let email = unique_email("proof");
    let press = |action: &str, inputs: Value| json!({"flowId": flow_id, "actionId": action, "inputs": inputs});
    let unsigned = call(&app, &press("continue", details(&email)), None).await;
    assert_refused(&unsigned, "requires");
    let other = sign(&key, &uuid::Uuid::new_v4().to_string());
    assert_refused(
        &call(&app, &press("continue", details(&email)), Some(other)).await,
        "does not match",
    );
    assert!(
        app.mails_to(&email).is_empty(),
        "refused calls sent nothing"
    );
    let (status, _, code_view) = call(
        &app,
        &press("continue", details(&email)),
        Some(sign(&key, &flow_id)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{code_view}");
    let code = app.last_mail(&email, 1).await.code();
    let (_, _, done) = call(
        &app,
        &press("verify", json!({"otp": code})),
        Some(sign(&key, &flow_id)),
    )
    .await;
    assert_eq!(done["type"], "REDIRECTION", "{done}");

    // Its own limit (2 a minute) counted only the proven start: one more, then a 429.
    let (status, _, _) = call(&app, &start_body(&id), Some(sign(&key, "REGISTRATION"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(&app, &start_body(&id), Some(sign(&key, "REGISTRATION"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // The edit page lifts the limit; a new key is shown once, and the old one still
    // verifies for a day, so the backend can change over.
    let page = browser.get(&format!("{APPS}/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attr("#starts_per_minute", "value").as_deref(),
        Some("2")
    );
    let (status, _) = browser
        .post(
            &format!("{APPS}/{id}"),
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("name", "Shop"),
                ("return_url", "https://shop.example/welcome"),
                ("origins", ""),
                ("starts_per_minute", "0"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, rotated) = browser
        .post(
            &format!("{APPS}/{id}/key"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let new_key = rotated.attr("#new-key", "value").expect("the new key");
    assert_ne!(new_key, key);
    for k in [&key, &new_key] {
        let answer = call(&app, &start_body(&id), Some(sign(k, "REGISTRATION"))).await;
        assert_eq!(answer.0, StatusCode::OK, "{}", answer.2);
    }
    app.advance(time::Duration::hours(24) + time::Duration::minutes(1));
    assert_refused(
        &call(&app, &start_body(&id), Some(sign(&key, "REGISTRATION"))).await,
        "does not match",
    );
    let (status, _, _) = call(&app, &start_body(&id), Some(sign(&new_key, "REGISTRATION"))).await;
    assert_eq!(status, StatusCode::OK);

    // A key made by `flows app` on the same database verifies against this server too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flows"))
        .args(["app", "new-key", "Shop"])
        .env("FLOWS_DATABASE_URL", &app.settings.database_url)
        .current_dir(app.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let (status, _, _) = call(&app, &start_body(&id), Some(sign(&cli_key, "REGISTRATION"))).await;
    assert_eq!(status, StatusCode::OK);

    // Stopping the requirement lets unsigned calls through again (a new sign-in: the day
    // that passed ended the first one).
    let (browser, later_admin) = admin_browser(&app).await;
    let page = browser.get(&format!("{APPS}/{id}")).await;
    let (status, _) = browser
        .post(
            &format!("{APPS}/{id}/proof"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = call(&app, &start_body(&id), None).await;
    assert_eq!(status, StatusCode::OK);

    // Every refusal is counted by reason; every change is audited, and no key is kept.
    let metrics = app.metrics().await;
    for reason in ["missing", "malformed", "out_of_time", "wrong", "spent"] {
        assert!(
            metrics.contains(&format!(
                "flows_client_proof_refused_total{{reason=\"{reason}\"}}"
            )),
            "{reason}"
        );
    }
    let rows = audit_rows(&app).await;
    let actions: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r.subject.as_deref() == Some(&format!("application:{id}")))
        .map(|r| (r.actor.as_str(), r.action.as_str()))
        .collect();
    let by_admin = format!("admin:{admin}");
    let by_later_admin = format!("admin:{later_admin}");
    for expected in [
        (by_admin.as_str(), "application.created"),
        (by_admin.as_str(), "application.changed"),
        (by_admin.as_str(), "application.key_replaced"),
        ("cli", "application.key_replaced"),
        (by_later_admin.as_str(), "application.proof_dropped"),
    ] {
        assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
    }
    for row in &rows {
        for k in [&key, &new_key, &cli_key] {
            assert!(!row.detail.contains(&k[10..]), "a key in the audit log");
        }
    }
}

#[tokio::test]
async fn a_server_may_start_api_flows_only_for_registered_applications() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let api = Api::new(&app);
    let (browser, _) = admin_browser(&app).await;
    let page = browser.get(APPS).await;
    let (status, _) = browser
        .post(
            APPS,
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("name", "Shop"),
                ("return_url", "https://shop.example/welcome"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let shop = browser.get(APPS).await.select_all("tr[id^=app-] code")[0].clone();
    let (status, _) = browser
        .post(
            &format!("{APPS}/access"),
            &fields(&[("csrf_token", &page.csrf()), ("require_application", "on")]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        browser
            .get(APPS)
            .await
            .exists("#require_application[checked]")
    );
    for anonymous in [
        json!({"flowType": "REGISTRATION"}),
        json!({"flowType": "PASSWORD_RECOVERY", "applicationId": ""}),
    ] {
        let (status, refused) = api.call(anonymous).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
        assert_eq!(refused["code"], "FE-60403");
    }
    let (status, view) = api
        .call(json!({"flowType": "REGISTRATION", "applicationId": shop}))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    // The hosted pages are not the API: they still start flows.
    assert_eq!(app.browser().get("/register").await.status, StatusCode::OK);

    // `flows app anonymous-starts allow` on the same database reaches the running server.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_flows"))
        .args(["app", "anonymous-starts", "allow"])
        .env("FLOWS_DATABASE_URL", &app.settings.database_url)
        .current_dir(app.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (status, _) = api.call(json!({"flowType": "REGISTRATION"})).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {status}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let shown = browser.get(APPS).await;
    assert!(!shown.exists("#require_application[checked]"));
}
