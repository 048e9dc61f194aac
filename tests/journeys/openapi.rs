//! The OpenAPI document kept true: served as it is, naming exactly the routes the server
//! mounts, every operation reachable, and real answers of both APIs (views, completions, a
//! redirection, every protocol error, management answers and refusals) valid against the
//! document's own schemas for their path, method and status.

use crate::api::{Api, EXECUTE, details};
use crate::helpers::*;
use crate::manage_api::create_token;
use flows::engine::FlowType;
use jsonschema::{Draft, Registry};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const DOC_PATH: &str = "/api/openapi.json";
/// The document's address in the schema registry: `$ref`s to `#/components/schemas/…` in it
/// resolve against this.
const BASE: &str = "urn:flows:openapi";
/// The keys of a path item that are operations (others, like `parameters`, are not).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The served document, with a registry holding it for `$ref` resolution.
struct Doc {
    json: Value,
    registry: Registry<'static>,
}

impl Doc {
    async fn fetch(app: &TestApp) -> Self {
        let res = reqwest::get(format!("{}{DOC_PATH}", app.address))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let json: Value = res.json().await.unwrap();
        let registry = Registry::new()
            .add(BASE, json.clone())
            .unwrap()
            .prepare()
            .unwrap();
        Self { json, registry }
    }

    /// Where the JSON schema of `method path`'s `status` answer sits in the document, following
    /// a `$ref` to `#/components/responses/…`. Fails when the status is not documented.
    fn response_schema_pointer(&self, method: &str, path: &str, status: u16) -> Option<String> {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let mut pointer = format!("/paths/{escaped}/{method}/responses/{status}");
        let response = self.json.pointer(&pointer).unwrap_or_else(|| {
            panic!("{method} {path} answered {status}, which the document does not list")
        });
        if let Some(r) = response["$ref"].as_str() {
            pointer = r.trim_start_matches('#').to_owned();
        }
        let schema = format!("{pointer}/content/application~1json/schema");
        self.json.pointer(&schema).map(|_| schema)
    }

    /// The errors of `instance` against the schema at `pointer` (empty: valid).
    fn errors_at(&self, pointer: &str, instance: &Value) -> Vec<String> {
        // A JSON pointer in a URI fragment is percent-encoded (RFC 6901, section 6).
        let fragment = pointer.replace('{', "%7B").replace('}', "%7D");
        let wrapper = json!({"$ref": format!("{BASE}#{fragment}")});
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(&wrapper)
            .unwrap_or_else(|e| panic!("the schema at {pointer} does not compile: {e}"));
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    /// Asserts that a real answer is what the document says `method path` answers with
    /// `status`: a documented status, and a body valid against its schema.
    fn check(&self, method: &str, path: &str, status: StatusCode, body: &Value) {
        let Some(pointer) = self.response_schema_pointer(method, path, status.as_u16()) else {
            assert!(
                body.is_null(),
                "{method} {path} {status}: a body the document does not describe: {body}"
            );
            return;
        };
        let errors = self.errors_at(&pointer, body);
        assert!(
            errors.is_empty(),
            "{method} {path} {status} does not match {pointer}:\n{}\n{body:#}",
            errors.join("\n")
        );
    }

    /// Asserts that `body` is valid against `#/components/schemas/{name}`.
    fn check_schema(&self, name: &str, body: &Value) {
        let pointer = format!("/components/schemas/{name}");
        let errors = self.errors_at(&pointer, body);
        assert!(
            errors.is_empty(),
            "not a {name}:\n{}\n{body:#}",
            errors.join("\n")
        );
    }

    /// (METHOD, path with `{…}` as `{}`) of every operation.
    fn operations(&self) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (path, item) in self.json["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if METHODS.contains(&method.as_str()) {
                    out.insert((method.to_uppercase(), normalised(path)));
                }
            }
        }
        out
    }
}

fn normalised(path: &str) -> String {
    let re = regex::Regex::new(r"\{[^/]*\}").unwrap();
    re.replace_all(path, "{}").into_owned()
}

/// One request and its answer: status, headers and the body as JSON (`Null` when empty).
async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let client = reqwest::Client::new();
    let mut req = client.request(method.parse().unwrap(), format!("{}{path}", app.address));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path} {status}: not JSON: {text}"))
    };
    (status, headers, json)
}

#[tokio::test]
async fn the_document_is_served_as_is_and_names_exactly_the_mounted_routes() {
    let app = spawn_app().await;
    let res = reqwest::get(format!("{}{DOC_PATH}", app.address))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("application/json"));
    assert!(header("cache-control").starts_with("public"));
    assert_eq!(header("access-control-allow-origin"), "*");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["schemas"]["Component"]["properties"]["components"]["items"]["$ref"],
        "#/components/schemas/Component",
        "components nest"
    );

    let mounted: BTreeSet<(String, String)> = flows::web::api_routes()
        .map(|r| (r.method.as_str().to_owned(), normalised(r.path)))
        .collect();
    let documented = Doc::fetch(&app).await.operations();
    assert_eq!(
        mounted.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "mounted but not documented"
    );
    assert_eq!(
        documented.difference(&mounted).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not mounted"
    );
}

#[tokio::test]
async fn a_method_a_path_does_not_take_gets_a_json_405_naming_those_it_does() {
    let app = spawn_app().await;
    let doc = Doc::fetch(&app).await;
    for (method, path, allow) in [
        ("TRACE", "/api/server/v1/flow/execute", "POST, OPTIONS"),
        ("GET", "/api/server/v1/flow/execute", "POST, OPTIONS"),
        (
            "PUT",
            "/t/carbon.super/api/server/v1/flow/execute",
            "POST, OPTIONS",
        ),
        ("DELETE", DOC_PATH, "GET"),
        ("TRACE", DOC_PATH, "GET"),
    ] {
        let (status, headers, body) = send(&app, method, path, None, None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(headers["allow"], allow, "{method} {path}");
        assert_eq!(body["code"], "FE-60405", "{method} {path}");
        doc.check_schema("FeError", &body);
    }
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    let app = spawn_app().await;
    let doc = Doc::fetch(&app).await;
    let token = create_token(&app, "openapi").await;
    let (_, _, definition) = send(
        &app,
        "GET",
        "/api/v1/flows/REGISTRATION",
        Some(&token),
        None,
    )
    .await;

    let mut operations = Vec::new();
    for (path, item) in doc.json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            operations.push((path.clone(), method.clone(), op.get("security").is_some()));
        }
    }
    // Writes that make the reads succeed first (a draft to read), publishing and removing
    // last (a connection is tested by a path that sorts after the one that removes it).
    let rank = |path: &str, method: &str| match (method, path.rsplit('/').next()) {
        ("put", Some("draft")) => 0,
        ("post", Some("publish")) | ("delete", _) => 2,
        _ => 1,
    };
    operations.sort_by_key(|(path, method, _)| rank(path, method));
    assert!(operations.len() >= 15, "{operations:?}");

    for (path, method, secured) in operations {
        let concrete = path
            .replace("{tenant}", "acme")
            .replace("{type}", "REGISTRATION")
            .replace("{version}", "1")
            .replace("{id}", "00000000-0000-0000-0000-000000000000")
            // Registered by the POST before it (paths in the document's order).
            .replace("{name}", "crm");
        let body = match (method.as_str(), concrete.rsplit('/').next()) {
            ("post", Some("execute")) => Some(json!({"flowType": "REGISTRATION"})),
            ("put", Some("draft")) | ("post", Some("validate")) => Some(definition.clone()),
            ("post", Some("rollback")) => Some(json!({"version": 1})),
            ("put", Some("enabled")) => Some(json!({"enabled": true})),
            ("post", Some("reject")) => Some(json!({"reason": "Not for us."})),
            ("post", Some("extensions")) => Some(json!({
                "name": "crm",
                "url": "https://hooks.example.com/flows"
            })),
            // A provider the server may not reach: its test answers at once, that it does not.
            ("post", Some("connections")) => Some(json!({
                "name": "crm",
                "discoveryUrl": "https://127.0.0.1:9/.well-known/openid-configuration",
                "clientId": "flows",
                "clientSecret": "a client secret"
            })),
            _ => None,
        };
        let token = secured.then_some(token.as_str());
        let (status, _, answer) = send(&app, &method.to_uppercase(), &concrete, token, body).await;
        if path.contains("{id}") {
            // No account waits in a fresh server: a decision answers its documented 404.
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{method} {concrete}: {answer}"
            );
        } else {
            assert!(
                status.is_success(),
                "{method} {concrete}: {status} {answer}"
            );
        }
        if path != DOC_PATH {
            doc.check(&method, &path, status, &answer);
        }
    }
}

#[tokio::test]
async fn execute_answers_match_the_document() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        // Off: this test makes more calls than a burst allows (the 429 is checked below).
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let doc = Doc::fetch(&app).await;
    let api = Api::new(&app);
    let check = |status: StatusCode, body: &Value| doc.check("post", EXECUTE, status, body);

    // A registration with an application: first view, a retryable error, the code view, a
    // wrong code, then the REDIRECTION.
    let store = flows::startup::open_store(&app.settings).await.unwrap();
    let shop = flows::store::ApplicationRow {
        id: "shop-app".into(),
        name: "Shop".into(),
        allowed_origins: vec!["https://shop.example".into()],
        return_url: "https://shop.example/welcome".into(),
        created_at: time::OffsetDateTime::now_utc(),
        starts_per_minute: 0,
        proof: None,
    };
    assert!(store.create_application(&shop).await.unwrap());
    let email = unique_email("openapi.app");
    let (status, first) = api
        .call(json!({"flowType": "REGISTRATION", "applicationId": "shop-app"}))
        .await;
    check(status, &first);
    let retry = api.press(&first, "continue", details("not-an-email")).await;
    assert!(
        retry["data"]["additionalData"]["error"].is_string(),
        "{retry}"
    );
    check(StatusCode::OK, &retry);
    let code_view = api.press(&retry, "continue", details(&email)).await;
    check(StatusCode::OK, &code_view);
    let code = app.last_mail(&email, 1).await.code();
    let wrong = api
        .press(&code_view, "verify", json!({"otp": wrong_code(&code)}))
        .await;
    check(StatusCode::OK, &wrong);
    // A resend too soon is a retryable problem; a later one a notice (an INFO message).
    let too_soon = api.press(&wrong, "resend", json!({})).await;
    check(StatusCode::OK, &too_soon);
    app.advance(time::Duration::seconds(31));
    let resent = api.press(&too_soon, "resend", json!({})).await;
    assert!(resent.to_string().contains("\"INFO\""), "{resent}");
    check(StatusCode::OK, &resent);
    let code = app.last_mail(&email, 2).await.code();
    let done = api.press(&resent, "verify", json!({"otp": code})).await;
    assert_eq!(done["type"], "REDIRECTION", "{done}");
    check(StatusCode::OK, &done);

    // Without an application: COMPLETE as a VIEW (the end view).
    let email = unique_email("openapi.plain");
    let first = api.start("REGISTRATION").await;
    let code_view = api.press(&first, "continue", details(&email)).await;
    let code = app.last_mail(&email, 1).await.code();
    let done = api.press(&code_view, "verify", json!({"otp": code})).await;
    assert_eq!(
        (done["flowStatus"].as_str(), done["type"].as_str()),
        (Some("COMPLETE"), Some("VIEW"))
    );
    check(StatusCode::OK, &done);
    // The recovery's first view and the invitation's refusal.
    check(StatusCode::OK, &api.start("PASSWORD_RECOVERY").await);

    // Every protocol error body, at its status.
    let view = api.start("REGISTRATION").await;
    let id = view["flowId"].as_str().unwrap().to_owned();
    let mut seen = BTreeSet::new();
    let cases = vec![
        json!({}),
        json!({"flowType": "SIGN_IN"}),
        json!({"actionId": "continue"}),
        json!({"flowId": "not-a-uuid", "actionId": "x"}),
        json!({"flowId": id, "actionId": "explode"}),
        json!({"flowId": id, "actionId": "continue", "inputs": {"isAdmin": "true"}}),
        json!({"flowType": "REGISTRATION", "applicationId": "nobody"}),
        json!({"flowType": "INVITED_USER_REGISTRATION", "inputs": {"confirmationCode": "nope"}}),
    ];
    for body in cases {
        let (status, answer) = api.call(body).await;
        check(status, &answer);
        seen.insert(answer["code"].as_str().unwrap().to_owned());
    }
    for (content_type, body) in [
        ("application/json", b"{\"flowType\":".to_vec()),
        ("text/plain", b"{}".to_vec()),
        ("application/json", vec![b' '; 70 * 1024]),
    ] {
        let (status, answer) = api.raw(content_type, body, &[]).await;
        check(status, &answer);
        seen.insert(format!("{} {status}", answer["code"].as_str().unwrap()));
    }
    app.advance(time::Duration::minutes(31));
    let (status, expired) = api
        .call(json!({"flowId": id, "actionId": "continue"}))
        .await;
    assert_eq!(expired["flowType"], "REGISTRATION");
    check(status, &expired);
    store
        .set_flow_enabled(FlowType::PasswordRecovery, false)
        .await
        .unwrap();
    app.notice_changes().await;
    let (status, disabled) = api.call(json!({"flowType": "PASSWORD_RECOVERY"})).await;
    check(status, &disabled);
    seen.insert(disabled["code"].as_str().unwrap().to_owned());
    // An application that requires a proof, called without one; then a server that starts
    // flows for registered applications only, called without one.
    let guarded = flows::store::ApplicationRow {
        id: "guarded-app".into(),
        name: "Guarded".into(),
        proof: Some(flows::store::ProofNonces {
            current: "nonce".into(),
            previous: None,
            changed_at: time::OffsetDateTime::now_utc(),
        }),
        ..shop.clone()
    };
    assert!(store.create_application(&guarded).await.unwrap());
    let (status, unproven) = api
        .call(json!({"flowType": "REGISTRATION", "applicationId": "guarded-app"}))
        .await;
    check(status, &unproven);
    seen.insert(unproven["code"].as_str().unwrap().to_owned());
    app.engine()
        .await
        .save_api_access(true, &flows::engine::Actor::cli())
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let anonymous = loop {
        let (status, answer) = api.call(json!({"flowType": "REGISTRATION"})).await;
        if status != StatusCode::OK || std::time::Instant::now() > deadline {
            check(status, &answer);
            break answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    seen.insert(anonymous["code"].as_str().unwrap().to_owned());
    for code in [
        "FE-60001",
        "FE-60004",
        "FE-60006",
        "FE-60008",
        "FE-60009",
        "FE-60011",
        "FE-60103",
        "FE-60104",
        "FE-60401",
        "FE-60403",
        "FE-60007 400 Bad Request",
        "FE-60007 413 Payload Too Large",
        "FE-60007 415 Unsupported Media Type",
    ] {
        assert!(seen.contains(code), "{code} not produced: {seen:?}");
    }

    // The tenant form answers the same, and the rate limit's 429.
    let limited = spawn_app_with(Options {
        rate_limit_per_minute: Some(1),
        ..Options::default()
    })
    .await;
    let mut got_429 = false;
    for _ in 0..10 {
        let (status, _, answer) = send(
            &limited,
            "POST",
            "/t/acme/api/server/v1/flow/execute",
            None,
            Some(json!({"flowType": "REGISTRATION"})),
        )
        .await;
        doc.check(
            "post",
            "/t/{tenant}/api/server/v1/flow/execute",
            status,
            &answer,
        );
        got_429 |= status == StatusCode::TOO_MANY_REQUESTS;
        if got_429 {
            break;
        }
    }
    assert!(got_429, "the rate limit applies");
}

#[tokio::test]
async fn management_answers_match_the_document() {
    let app = spawn_app().await;
    let doc = Doc::fetch(&app).await;
    let token = create_token(&app, "openapi").await;
    let t = Some(token.as_str());
    let reg = "/api/v1/flows/REGISTRATION";

    let (status, _, list) = send(&app, "GET", "/api/v1/flows", t, None).await;
    doc.check("get", "/api/v1/flows", status, &list);
    let (status, headers, live) = send(&app, "GET", reg, t, None).await;
    assert!(headers.contains_key("x-flow-version"));
    doc.check("get", "/api/v1/flows/{type}", status, &live);
    let (status, _, versions) = send(&app, "GET", &format!("{reg}/versions"), t, None).await;
    doc.check("get", "/api/v1/flows/{type}/versions", status, &versions);
    let (status, _, v1) = send(&app, "GET", &format!("{reg}/versions/1"), t, None).await;
    doc.check(
        "get",
        "/api/v1/flows/{type}/versions/{version}",
        status,
        &v1,
    );

    // Every starter template is a FlowDefinition as the document describes it.
    for template in flows::engine::starter::all() {
        let def = serde_json::to_value(template.definition().unwrap()).unwrap();
        doc.check_schema("FlowDefinition", &def);
    }

    // A draft with problems: stored, validated, refused for publishing.
    let mut broken = live.clone();
    broken["steps"][0]["actions"][0]["next"] = "nowhere".into();
    let draft = format!("{reg}/draft");
    let (status, _, saved) = send(&app, "PUT", &draft, t, Some(broken.clone())).await;
    assert!(!saved["problems"].as_array().unwrap().is_empty(), "{saved}");
    doc.check("put", "/api/v1/flows/{type}/draft", status, &saved);
    let (status, _, got) = send(&app, "GET", &draft, t, None).await;
    doc.check("get", "/api/v1/flows/{type}/draft", status, &got);
    let validate = format!("{reg}/validate");
    let (status, _, invalid) = send(&app, "POST", &validate, t, None).await;
    assert_eq!(invalid["valid"], false);
    doc.check("post", "/api/v1/flows/{type}/validate", status, &invalid);
    let (status, _, valid) = send(&app, "POST", &validate, t, Some(live.clone())).await;
    assert_eq!(valid["valid"], true);
    doc.check("post", "/api/v1/flows/{type}/validate", status, &valid);
    let publish = format!("{reg}/publish");
    let (status, _, refused) = send(&app, "POST", &publish, t, None).await;
    assert_eq!(refused["code"], "FM-40900");
    doc.check("post", "/api/v1/flows/{type}/publish", status, &refused);
    let (status, _, _) = send(&app, "PUT", &draft, t, Some(live.clone())).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, published) = send(&app, "POST", &publish, t, None).await;
    doc.check("post", "/api/v1/flows/{type}/publish", status, &published);
    let (status, _, back) = send(
        &app,
        "POST",
        &format!("{reg}/rollback"),
        t,
        Some(json!({"version": 1})),
    )
    .await;
    doc.check("post", "/api/v1/flows/{type}/rollback", status, &back);
    let (status, _, enabled) = send(
        &app,
        "PUT",
        &format!("{reg}/enabled"),
        t,
        Some(json!({"enabled": true})),
    )
    .await;
    doc.check("put", "/api/v1/flows/{type}/enabled", status, &enabled);

    // Refusals, each at its documented status with its code listed there.
    let definition = serde_json::to_vec(&live).unwrap();
    let mut recovery = live.clone();
    recovery["flowType"] = "PASSWORD_RECOVERY".into();
    let recovery = serde_json::to_vec(&recovery).unwrap();
    let huge = vec![b' '; 600 * 1024];
    let json = "application/json";
    let cases = [
        Refusal::put("/draft", json, b"{", "FM-40000"),
        Refusal::put("/draft", json, &recovery, "FM-40001"),
        Refusal::put(
            "/draft",
            json,
            br#"{"flowType": "REGISTRATION"}"#,
            "FM-40002",
        ),
        Refusal::put("/draft", "text/plain", &definition, "FM-41500"),
        Refusal::put("/draft", json, &huge, "FM-41300"),
        Refusal {
            if_match: Some("\"99\""),
            ..Refusal::put("/draft", json, &definition, "FM-41200")
        },
        Refusal {
            path: "/api/v1/flows/NOPE/draft",
            ..Refusal::get("/draft", "FM-40400")
        },
        Refusal::get("/draft", "FM-40402"),
        Refusal {
            path: "/api/v1/flows/REGISTRATION/versions/99",
            ..Refusal::get("/versions/{version}", "FM-40401")
        },
        Refusal {
            method: "post",
            ..Refusal::put("/rollback", json, br#"{"version": "one"}"#, "FM-40002")
        },
        Refusal::put("/enabled", json, b"", "FM-40000"),
    ];
    let client = reqwest::Client::new();
    for case in cases {
        let documented = format!("/api/v1/flows/{{type}}{}", case.documented);
        let path = if case.path.is_empty() {
            format!("/api/v1/flows/REGISTRATION{}", case.documented)
        } else {
            case.path.to_owned()
        };
        let mut req = client
            .request(
                case.method.to_uppercase().parse().unwrap(),
                format!("{}{path}", app.address),
            )
            .bearer_auth(&token)
            .header("content-type", case.content_type)
            .body(case.body.to_vec());
        if let Some(tag) = case.if_match {
            req = req.header("if-match", tag);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let answer: Value = res.json().await.unwrap();
        assert_eq!(
            answer["code"], case.code,
            "{} {path}: {answer}",
            case.method
        );
        doc.check(case.method, &documented, status, &answer);
    }

    // No token, a token that is not one.
    let (status, headers, unauthorized) = send(&app, "GET", "/api/v1/flows", None, None).await;
    assert!(headers.contains_key("www-authenticate"));
    doc.check("get", "/api/v1/flows", status, &unauthorized);
    let (status, _, invalid) = send(
        &app,
        "POST",
        "/api/v1/flows/REGISTRATION/publish",
        Some("flows_nonsense"),
        None,
    )
    .await;
    doc.check("post", "/api/v1/flows/{type}/publish", status, &invalid);
    // The refusals outside any operation (an unknown route, a method a path does not take)
    // are FmErrors too.
    let (status, _, nowhere) =
        send(&app, "GET", "/api/v1/flows/REGISTRATION/elsewhere", t, None).await;
    assert_eq!(
        (status, nowhere["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("FM-40404"))
    );
    doc.check_schema("FmError", &nowhere);
    let (status, _, method) =
        send(&app, "DELETE", "/api/v1/flows/REGISTRATION/draft", t, None).await;
    assert_eq!(
        (status, method["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("FM-40500"))
    );
    doc.check_schema("FmError", &method);
}

/// A management request that is refused: which documented operation, and the code.
struct Refusal<'a> {
    method: &'static str,
    /// The documented path after `/api/v1/flows/{type}`.
    documented: &'static str,
    /// The path requested, when not the documented one for REGISTRATION.
    path: &'static str,
    content_type: &'static str,
    body: &'a [u8],
    if_match: Option<&'static str>,
    code: &'static str,
}

impl<'a> Refusal<'a> {
    fn put(
        documented: &'static str,
        content_type: &'static str,
        body: &'a [u8],
        code: &'static str,
    ) -> Self {
        Self {
            method: "put",
            documented,
            path: "",
            content_type,
            body,
            if_match: None,
            code,
        }
    }

    fn get(documented: &'static str, code: &'static str) -> Self {
        Self {
            method: "get",
            ..Self::put(documented, "application/json", b"", code)
        }
    }
}
