//! The Flow Execution API's wire shape, pinned: insta snapshots of the JSON of each starter
//! template's first view and of each protocol error (status, Retry-After and body), so any
//! change to what clients receive shows in review as a change under `snapshots/`.
//!
//! What changes from run to run is redacted: the flow id, the server's address, the e-mail
//! addresses and the seconds a rate limit asks to wait. A new or changed snapshot fails the
//! test; `INSTA_UPDATE=always cargo test --test journeys api_snapshots` rewrites them locally
//! for review. CI runs with `INSTA_UPDATE=no` (see .ci/run), so nothing is ever written or
//! accepted there. A stored snapshot that no assertion takes any more fails too.

use crate::api::EXECUTE;
use crate::helpers::*;
use flows::engine::{FlowType, starter};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Replaces what differs per run inside any string of `value`.
fn scrub(value: &Value, app: &TestApp, emails: &[&str]) -> Value {
    let mut text = value.to_string().replace(&app.address, "[base]");
    for email in emails {
        text = text.replace(email, "[email]");
    }
    let seconds = regex::Regex::new(r"in \d+ seconds").unwrap();
    let text = seconds.replace_all(&text, "in [n] seconds");
    serde_json::from_str(&text).unwrap()
}

/// Posts `body` as `content_type`; answers what a client sees: status, Retry-After, JSON.
async fn post(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", app.address))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let body: Value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    let mut seen = json!({"status": status, "body": body});
    if let Some(seconds) = retry_after {
        assert!(seconds.parse::<u64>().is_ok(), "Retry-After: {seconds}");
        seen["retryAfter"] = json!("[seconds]");
    }
    seen
}

/// Fails when the snapshot folder holds a `{prefix}…` snapshot that was not just taken (a
/// removed template or error case leaves its file behind otherwise).
fn assert_none_stale(prefix: &str, taken: &[String]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/journeys/snapshots");
    let stored: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            name.strip_prefix("journeys__api_snapshots__")?
                .strip_suffix(".snap")
                .map(str::to_owned)
        })
        .filter(|name| name.starts_with(prefix))
        .collect();
    let taken: BTreeSet<String> = taken.iter().cloned().collect();
    let stale: Vec<&String> = stored.difference(&taken).collect();
    assert!(
        stale.is_empty(),
        "snapshots in {} that no test takes any more (delete them): {stale:?}",
        dir.display()
    );
}

async fn call(app: &TestApp, body: Value) -> Value {
    post(
        app,
        EXECUTE,
        "application/json",
        serde_json::to_vec(&body).unwrap(),
    )
    .await
}

/// The first view of every starter template, each published on a server of its own.
#[tokio::test]
async fn first_view_of_each_starter_template() {
    let mut taken = Vec::new();
    for template in starter::all() {
        let app = spawn_app_with(Options {
            template: Some(template.id),
            ..Options::default()
        })
        .await;
        let email = unique_email("snapshot");
        let request = if template.flow_type == FlowType::InvitedUserRegistration {
            let prefill = [("given_name".to_owned(), "Grace".to_owned())].into();
            app.invite(&email, prefill, "Dorothy").await;
            let link = app.last_mail(&email, 1).await.invitation_link();
            let code = link.split("code=").nth(1).unwrap().to_owned();
            json!({"flowType": template.flow_type.as_str(), "inputs": {"confirmationCode": code}})
        } else {
            json!({"flowType": template.flow_type.as_str()})
        };
        let seen = call(&app, request).await;
        assert_eq!(seen["status"], 200, "{}: {seen}", template.id);
        let view = scrub(&seen["body"], &app, &[&email]);
        assert_eq!(view["flowStatus"], "INCOMPLETE", "{}", template.id);
        let name = format!("first_view_{}", template.id);
        insta::assert_json_snapshot!(name.clone(), view, {".flowId" => "[flowId]"});
        taken.push(name);
    }
    assert_none_stale("first_view_", &taken);
}

/// Every protocol error a client can meet, as it meets it.
#[tokio::test]
async fn each_protocol_error() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    let view = call(&app, json!({"flowType": "REGISTRATION"})).await["body"].clone();
    let id = view["flowId"].as_str().unwrap().to_owned();
    let mut taken = Vec::new();
    let mut snap = |name: &str, seen: Value| {
        let name = format!("error_{name}");
        insta::assert_json_snapshot!(name.clone(), seen);
        taken.push(name);
    };
    let json_cases: Vec<(&str, Value)> = vec![
        (
            "FE-60001_unknown_flow_id",
            json!({"flowId": uuid::Uuid::new_v4().to_string(), "actionId": "continue"}),
        ),
        (
            "FE-60001_malformed_flow_id",
            json!({"flowId": "not-a-uuid", "actionId": "continue"}),
        ),
        (
            "FE-60004_action_without_flow_id",
            json!({"actionId": "continue"}),
        ),
        (
            "FE-60006_unknown_invitation_code",
            json!({"flowType": "INVITED_USER_REGISTRATION", "inputs": {"confirmationCode": "nope"}}),
        ),
        (
            "FE-60008_input_not_offered",
            json!({"flowId": id, "actionId": "continue", "inputs": {"isAdmin": "true"}}),
        ),
        (
            "FE-60008_input_not_a_string",
            json!({"flowId": id, "actionId": "continue", "inputs": {"terms": ["x"]}}),
        ),
        (
            "FE-60008_unknown_field",
            json!({"flowType": "REGISTRATION", "isAdmin": true}),
        ),
        (
            "FE-60008_invitation_without_code",
            json!({"flowType": "INVITED_USER_REGISTRATION"}),
        ),
        (
            "FE-60008_unknown_application",
            json!({"flowType": "REGISTRATION", "applicationId": "nobody"}),
        ),
        (
            "FE-60009_unknown_action",
            json!({"flowId": id, "actionId": "explode"}),
        ),
        ("FE-60011_no_flow_type", json!({})),
        ("FE-60103_unknown_flow_type", json!({"flowType": "SIGN_IN"})),
    ];
    for (name, body) in json_cases {
        let seen = call(&app, body).await;
        snap(name, scrub(&seen, &app, &[]));
    }

    let raw_cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("FE-60007_400_empty_body", "application/json", Vec::new()),
        (
            "FE-60007_400_invalid_json",
            "application/json",
            br#"{"flowType":"#.to_vec(),
        ),
        (
            "FE-60007_413_too_large",
            "application/json",
            serde_json::to_vec(&json!({"flowId": id, "actionId": "continue",
                "inputs": {"http://wso2.org/claims/givenname": "x".repeat(1 << 20)}}))
            .unwrap(),
        ),
        (
            "FE-60007_415_not_json",
            "text/plain",
            br#"{"flowType":"REGISTRATION"}"#.to_vec(),
        ),
    ];
    for (name, content_type, body) in raw_cases {
        let seen = post(&app, EXECUTE, content_type, body).await;
        snap(name, scrub(&seen, &app, &[]));
    }

    // An expired flow names its type.
    app.advance(time::Duration::minutes(31));
    let seen = call(&app, json!({"flowId": id, "actionId": "continue"})).await;
    snap("FE-60001_expired_flow", scrub(&seen, &app, &[]));

    // A type switched off in the console.
    let store = flows::startup::open_store(&app.settings).await.unwrap();
    store
        .set_flow_enabled(FlowType::PasswordRecovery, false)
        .await
        .unwrap();
    app.notice_changes().await;
    let seen = call(&app, json!({"flowType": "PASSWORD_RECOVERY"})).await;
    snap("FE-60104_flow_type_disabled", scrub(&seen, &app, &[]));

    // Too many requests from one address, on the tenant path.
    let limited = spawn_app_with(Options {
        rate_limit_per_minute: Some(1),
        ..Options::default()
    })
    .await;
    let tenant = "/t/carbon.super/api/server/v1/flow/execute";
    let body = br#"{"flowType":"REGISTRATION"}"#;
    let mut refused = None;
    for _ in 0..10 {
        let seen = post(&limited, tenant, "application/json", body.to_vec()).await;
        if seen["status"] == 429 {
            refused = Some(seen);
            break;
        }
    }
    let refused = refused.expect("the rate limit applies to the API");
    snap("FE-60007_429_rate_limited", scrub(&refused, &limited, &[]));
    assert_none_stale("error_", &taken);
}
