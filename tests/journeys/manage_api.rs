//! The flow management API over HTTP (`/api/v1/flows`), with API tokens made the way the CLI
//! and the console make them; and the console's API tokens page.

use crate::console::admin_browser;
use crate::helpers::*;
use flows::domain::ApiToken;
use flows::engine::FlowType;
use flows::startup::open_store;
use flows::store::AuditEntry;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

const FLOWS: &str = "/api/v1/flows";
const REG: &str = "/api/v1/flows/REGISTRATION";

/// Stores a new API token as `flows admin token create` does; returns the token.
pub async fn create_token(app: &TestApp, name: &str) -> String {
    let store = open_store(&app.settings).await.expect("store");
    let token = ApiToken::generate();
    let entry = AuditEntry {
        actor: "cli".into(),
        action: "api_token.created",
        subject: Some(format!("token:{name}")),
        detail: json!({}),
    };
    store
        .create_api_token(name, &token.hash(), &entry, time::OffsetDateTime::now_utc())
        .await
        .expect("store")
        .expect("a new name");
    token.expose().to_owned()
}

async fn revoke_token(app: &TestApp, name: &str) {
    let store = open_store(&app.settings).await.expect("store");
    let entry = AuditEntry {
        actor: "cli".into(),
        action: "api_token.revoked",
        subject: Some(format!("token:{name}")),
        detail: json!({}),
    };
    store
        .revoke_api_token(name, &entry, time::OffsetDateTime::now_utc())
        .await
        .expect("store")
        .expect("a live token");
}

/// One answer of the API: status, headers, body as JSON (`Null` when it is not JSON).
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    json: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or_default()
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// A refusal: the status, the code, and a JSON body with a message and description.
    fn assert_refused(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
        assert!(
            self.header("content-type").starts_with("application/json"),
            "{:?}",
            self.headers
        );
        assert!(self.json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            self.json["description"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

struct Request<'a> {
    method: reqwest::Method,
    path: &'a str,
    token: Option<&'a str>,
    body: Option<(&'a str, Vec<u8>)>,
    if_match: Option<&'a str>,
}

fn request<'a>(method: &str, path: &'a str) -> Request<'a> {
    Request {
        method: method.parse().expect("method"),
        path,
        token: None,
        body: None,
        if_match: None,
    }
}

impl<'a> Request<'a> {
    fn token(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }

    fn json(mut self, body: &Value) -> Self {
        self.body = Some(("application/json", serde_json::to_vec(body).expect("json")));
        self
    }

    fn raw(mut self, content_type: &'a str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some((content_type, body.into()));
        self
    }

    fn if_match(mut self, tag: &'a str) -> Self {
        self.if_match = Some(tag);
        self
    }

    async fn send_with(self, client: &reqwest::Client, base: &str) -> Answer {
        let mut req = client.request(self.method, format!("{base}{}", self.path));
        if let Some(t) = self.token {
            req = req.bearer_auth(t);
        }
        if let Some(tag) = self.if_match {
            req = req.header("if-match", tag);
        }
        if let Some((content_type, body)) = self.body {
            req = req.header("content-type", content_type).body(body);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            text,
            json,
        }
    }

    async fn send(self, app: &TestApp) -> Answer {
        let client = reqwest::Client::new();
        self.send_with(&client, &app.address).await
    }
}

/// Every route, with a body that would be accepted, so that only the token can refuse it.
fn every_route(definition: &Value) -> Vec<Request<'static>> {
    vec![
        request("GET", FLOWS),
        request("GET", REG),
        request("GET", "/api/v1/flows/REGISTRATION/versions"),
        request("GET", "/api/v1/flows/REGISTRATION/versions/1"),
        request("GET", "/api/v1/flows/REGISTRATION/draft"),
        request("PUT", "/api/v1/flows/REGISTRATION/draft").json(definition),
        request("POST", "/api/v1/flows/REGISTRATION/validate").json(definition),
        request("POST", "/api/v1/flows/REGISTRATION/publish"),
        request("POST", "/api/v1/flows/REGISTRATION/rollback").json(&json!({"version": 1})),
        request("PUT", "/api/v1/flows/REGISTRATION/enabled").json(&json!({"enabled": false})),
        request("GET", "/api/v1/flows/NOPE/draft"),
        request("GET", "/api/v1/flows/REGISTRATION/nothing-here"),
        request("DELETE", FLOWS),
    ]
}

async fn published_definition(app: &TestApp, token: &str) -> Value {
    let answer = request("GET", REG).token(token).send(app).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json
}

#[tokio::test]
async fn without_a_live_token_every_route_is_refused_even_for_a_signed_in_admin() {
    let app = spawn_app().await;
    let token = create_token(&app, "reader").await;
    let definition = published_definition(&app, &token).await;
    let revoked = create_token(&app, "gone").await;
    revoke_token(&app, "gone").await;
    let unknown = ApiToken::generate();
    let (admin, _) = admin_browser(&app).await;
    assert!(admin.cookie_header().is_some(), "the admin has a session");

    for route in every_route(&definition) {
        let what = format!("{} {}", route.method, route.path);
        for presented in [
            None,
            Some("nonsense"),
            Some(unknown.expose()),
            Some(&revoked),
        ] {
            let mut req = request(route.method.as_str(), route.path);
            req.body = route.body.clone();
            if let Some(t) = presented {
                req = req.token(t);
            }
            let answer = req.send(&app).await;
            answer.assert_refused(StatusCode::UNAUTHORIZED, "FM-40100");
            assert!(
                answer.header("www-authenticate").starts_with("Bearer"),
                "{what}: {:?}",
                answer.headers
            );
            if presented.is_some() {
                assert!(
                    answer.header("www-authenticate").contains("invalid_token"),
                    "{what}"
                );
            }
        }
        // The console's session cookie is no credential here, nor is the console's CSRF token.
        let mut req = request(route.method.as_str(), route.path);
        req.body = route.body.clone();
        let answer = req.send_with(&admin.client, &app.address).await;
        answer.assert_refused(StatusCode::UNAUTHORIZED, "FM-40100");
        assert!(answer.headers.get("set-cookie").is_none(), "{what}");
    }

    let store = app.store().await;
    assert!(store.draft(FlowType::Registration).await.unwrap().is_none());
    assert!(store.flow_enabled(FlowType::Registration).await.unwrap());
    assert_eq!(
        store
            .count_flow_versions(FlowType::Registration)
            .await
            .unwrap(),
        1
    );
}

/// The text of the first heading of the registration's first step.
fn set_heading(definition: &mut Value, text: &str) {
    definition["steps"][0]["components"][0]["config"]["text"] = text.into();
}

#[tokio::test]
async fn a_token_reads_edits_validates_publishes_rolls_back_and_disables_a_flow() {
    let app = spawn_app().await;
    let token = create_token(&app, "ci").await;

    let list = request("GET", FLOWS).token(&token).send(&app).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let registration = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["flowType"] == "REGISTRATION")
        .cloned()
        .unwrap();
    assert_eq!(
        registration,
        json!({"flowType": "REGISTRATION", "enabled": true, "publishedVersion": 1, "hasDraft": false})
    );

    // The published definition is exactly what `flows flow export` prints.
    let live = request("GET", "/api/v1/flows/registration")
        .token(&token)
        .send(&app)
        .await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(live.header("x-flow-version"), "1");
    let export = std::process::Command::new(env!("CARGO_BIN_EXE_flows"))
        .args(["flow", "export", "--type", "REGISTRATION"])
        .env("FLOWS_DATABASE_URL", &app.settings.database_url)
        .output()
        .expect("flows runs");
    assert!(export.status.success());
    assert_eq!(live.text.as_bytes(), export.stdout.as_slice());

    let no_draft = request("GET", "/api/v1/flows/REGISTRATION/draft")
        .token(&token)
        .send(&app)
        .await;
    no_draft.assert_refused(StatusCode::NOT_FOUND, "FM-40402");

    // A draft with a broken edge: stored, with its problems listed by code.
    let mut definition = live.json.clone();
    set_heading(&mut definition, "Join through the API");
    definition["steps"][0]["actions"][0]["next"] = "nowhere".into();
    let put = request("PUT", "/api/v1/flows/REGISTRATION/draft")
        .token(&token)
        .json(&definition)
        .send(&app)
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(put.json["revision"], 1);
    assert_eq!(put.header("etag"), "\"1\"");
    let problems = put.json["problems"].as_array().unwrap();
    assert!(!problems.is_empty());
    for p in problems {
        assert!(p["code"].as_str().is_some_and(|c| !c.is_empty()), "{p}");
        assert!(p["message"].is_string(), "{p}");
    }

    let checked = request("POST", "/api/v1/flows/REGISTRATION/validate")
        .token(&token)
        .send(&app)
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.text);
    assert_eq!(checked.json["valid"], false);
    assert_eq!(checked.json["problems"], put.json["problems"]);
    assert!(
        checked.json["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["step"] == "details"),
        "{}",
        checked.text
    );

    let refused = request("POST", "/api/v1/flows/REGISTRATION/publish")
        .token(&token)
        .send(&app)
        .await;
    refused.assert_refused(StatusCode::CONFLICT, "FM-40900");
    assert_eq!(refused.json["problems"], put.json["problems"]);

    // A body to validate instead of the draft.
    definition["steps"][0]["actions"][0]["next"] = "set_password".into();
    let would_be = request("POST", "/api/v1/flows/REGISTRATION/validate")
        .token(&token)
        .json(&definition)
        .send(&app)
        .await;
    assert_eq!(would_be.json, json!({"valid": true, "problems": []}));

    // The fix, made on a stale revision, is refused; then made on the current one.
    let stale = request("PUT", "/api/v1/flows/REGISTRATION/draft")
        .token(&token)
        .if_match("\"7\"")
        .json(&definition)
        .send(&app)
        .await;
    stale.assert_refused(StatusCode::PRECONDITION_FAILED, "FM-41200");
    assert_eq!(stale.json["revision"], 1);
    let draft = request("GET", "/api/v1/flows/REGISTRATION/draft")
        .token(&token)
        .send(&app)
        .await;
    assert_eq!(draft.status, StatusCode::OK);
    assert_eq!(draft.json["steps"][0]["actions"][0]["next"], "nowhere");
    let tag = draft.header("etag");
    assert_eq!(tag, "\"1\"");
    let fixed = request("PUT", "/api/v1/flows/REGISTRATION/draft")
        .token(&token)
        .if_match(&tag)
        .json(&definition)
        .send(&app)
        .await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.text);
    assert_eq!(fixed.json, json!({"revision": 2, "problems": []}));

    let stale_publish = request("POST", "/api/v1/flows/REGISTRATION/publish")
        .token(&token)
        .if_match("\"1\"")
        .send(&app)
        .await;
    stale_publish.assert_refused(StatusCode::PRECONDITION_FAILED, "FM-41200");
    let published = request("POST", "/api/v1/flows/REGISTRATION/publish")
        .token(&token)
        .if_match("\"2\"")
        .send(&app)
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.text);
    assert_eq!(published.json, json!({"version": 2}));

    // The hosted page follows the published version.
    let page = app.browser().get("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "Join through the API");

    let history = request("GET", "/api/v1/flows/REGISTRATION/versions")
        .token(&token)
        .send(&app)
        .await;
    let history = history.json.as_array().unwrap().clone();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["version"], 2);
    assert_eq!(history[0]["status"], "PUBLISHED");
    assert_eq!(history[0]["createdBy"], "token:ci");
    assert!(history[0]["createdAt"].is_string());
    assert_eq!(history[1]["status"], "ARCHIVED");
    let v1 = request("GET", "/api/v1/flows/REGISTRATION/versions/1")
        .token(&token)
        .send(&app)
        .await;
    assert_eq!(v1.json, live.json);
    assert_eq!(v1.header("x-flow-version"), "1");

    let back = request("POST", "/api/v1/flows/REGISTRATION/rollback")
        .token(&token)
        .json(&json!({"version": 1}))
        .send(&app)
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    assert_eq!(back.json["version"], 3);
    let live_again = request("GET", REG).token(&token).send(&app).await;
    assert_eq!(live_again.header("x-flow-version"), "3");
    assert_eq!(live_again.json, live.json);
    assert_ne!(
        app.browser().get("/register").await.h1(),
        "Join through the API"
    );
    let nowhere = request("POST", "/api/v1/flows/REGISTRATION/rollback")
        .token(&token)
        .json(&json!({"version": 99}))
        .send(&app)
        .await;
    nowhere.assert_refused(StatusCode::NOT_FOUND, "FM-40401");

    let off = request("PUT", "/api/v1/flows/REGISTRATION/enabled")
        .token(&token)
        .json(&json!({"enabled": false}))
        .send(&app)
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_eq!(
        off.json,
        json!({"flowType": "REGISTRATION", "enabled": false})
    );
    assert_eq!(
        app.browser().get("/register").await.status,
        StatusCode::FORBIDDEN
    );
    let list = request("GET", FLOWS).token(&token).send(&app).await;
    assert!(
        list.json
            .as_array()
            .unwrap()
            .contains(&json!({"flowType": "REGISTRATION", "enabled": false, "publishedVersion": 3, "hasDraft": false}))
    );

    // Every change is in the audit log under the token's name, with the client's address.
    let audit = app.store().await.recent_audit(50).await.unwrap();
    let by_token: Vec<_> = audit.iter().filter(|a| a.actor == "token:ci").collect();
    let actions: Vec<&str> = by_token.iter().map(|a| a.action.as_str()).collect();
    for expected in [
        "flow.draft_replaced",
        "flow.published",
        "flow.rolled_back",
        "flow.disabled",
    ] {
        assert!(actions.contains(&expected), "{actions:?}");
    }
    assert_eq!(
        actions.len(),
        5,
        "two draft saves, publish, roll-back, disable: {actions:?}"
    );
    assert!(
        by_token
            .iter()
            .all(|a| a.detail.contains("\"ip\":\"127.0.0.1\"")),
        "{by_token:?}"
    );
    assert!(
        by_token
            .iter()
            .all(|a| a.subject.as_deref() == Some("flow:REGISTRATION"))
    );
    let tokens = app.store().await.api_tokens().await.unwrap();
    assert!(tokens[0].last_used_at.is_some(), "use is recorded");
}

#[tokio::test]
async fn bad_requests_are_refused_in_json_with_their_code() {
    let app = spawn_app().await;
    let token = create_token(&app, "ci").await;
    let definition = published_definition(&app, &token).await;
    let draft = "/api/v1/flows/REGISTRATION/draft";

    let syntax = request("PUT", draft)
        .token(&token)
        .raw(
            "application/json",
            "{\n  \"flowType\": \"REGISTRATION\",\n  \"name\": }",
        )
        .send(&app)
        .await;
    syntax.assert_refused(StatusCode::BAD_REQUEST, "FM-40000");
    assert_eq!(syntax.json["line"], 3);
    assert!(syntax.json["column"].as_u64().unwrap() > 0);
    assert!(
        syntax.json["description"]
            .as_str()
            .unwrap()
            .contains("line 3, column"),
        "{}",
        syntax.text
    );

    let shape = request("PUT", draft)
        .token(&token)
        .json(&json!({"flowType": "REGISTRATION", "name": 3}))
        .send(&app)
        .await;
    shape.assert_refused(StatusCode::BAD_REQUEST, "FM-40002");
    assert!(shape.json["line"].is_number());

    let empty = request("PUT", draft).token(&token).send(&app).await;
    empty.assert_refused(StatusCode::BAD_REQUEST, "FM-40000");

    let text = request("PUT", draft)
        .token(&token)
        .raw("text/plain", serde_json::to_vec(&definition).unwrap())
        .send(&app)
        .await;
    text.assert_refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "FM-41500");
    let form = request("POST", "/api/v1/flows/REGISTRATION/validate")
        .token(&token)
        .raw("application/x-www-form-urlencoded", "a=b")
        .send(&app)
        .await;
    form.assert_refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "FM-41500");

    let mut large = definition.clone();
    large["description"] = "x".repeat(600 * 1024).into();
    let too_large = request("PUT", draft)
        .token(&token)
        .json(&large)
        .send(&app)
        .await;
    too_large.assert_refused(StatusCode::PAYLOAD_TOO_LARGE, "FM-41300");

    let recovery = request("GET", "/api/v1/flows/PASSWORD_RECOVERY")
        .token(&token)
        .send(&app)
        .await;
    assert_eq!(recovery.status, StatusCode::OK);
    let wrong_type = request("PUT", draft)
        .token(&token)
        .json(&recovery.json)
        .send(&app)
        .await;
    wrong_type.assert_refused(StatusCode::BAD_REQUEST, "FM-40001");

    for (method, path) in [
        ("GET", "/api/v1/flows/NOPE"),
        ("PUT", "/api/v1/flows/nope/draft"),
    ] {
        request(method, path)
            .token(&token)
            .json(&definition)
            .send(&app)
            .await
            .assert_refused(StatusCode::NOT_FOUND, "FM-40400");
    }
    for path in [
        "/api/v1/flows/REGISTRATION/versions/99",
        "/api/v1/flows/REGISTRATION/versions/first",
    ] {
        request("GET", path)
            .token(&token)
            .send(&app)
            .await
            .assert_refused(StatusCode::NOT_FOUND, "FM-40401");
    }
    request("GET", "/api/v1/flows/REGISTRATION/drafts")
        .token(&token)
        .send(&app)
        .await
        .assert_refused(StatusCode::NOT_FOUND, "FM-40404");
    let method = request("DELETE", draft).token(&token).send(&app).await;
    method.assert_refused(StatusCode::METHOD_NOT_ALLOWED, "FM-40500");
    assert_eq!(method.header("allow"), "GET, PUT");

    for body in [json!({"version": "one"}), json!({})] {
        request("POST", "/api/v1/flows/REGISTRATION/rollback")
            .token(&token)
            .json(&body)
            .send(&app)
            .await
            .assert_refused(StatusCode::BAD_REQUEST, "FM-40002");
    }
    request("PUT", "/api/v1/flows/REGISTRATION/enabled")
        .token(&token)
        .raw("application/json", "yes")
        .send(&app)
        .await
        .assert_refused(StatusCode::BAD_REQUEST, "FM-40000");
    request("POST", "/api/v1/flows/REGISTRATION/publish")
        .token(&token)
        .send(&app)
        .await
        .assert_refused(StatusCode::NOT_FOUND, "FM-40402");

    // Nothing of this changed anything.
    let store = app.store().await;
    assert!(store.draft(FlowType::Registration).await.unwrap().is_none());
    assert_eq!(
        store
            .count_flow_versions(FlowType::Registration)
            .await
            .unwrap(),
        1
    );
}

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn the_console_creates_a_token_shows_it_once_and_revokes_it() {
    let app = spawn_app().await;

    // Signed out: the page sends to the sign-in, the POSTs are refused.
    let visitor = app.browser();
    let answer = visitor.get_raw("/admin/tokens").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer
            .location()
            .starts_with("/admin/login?next=/admin/tokens")
    );
    let csrf = visitor.get("/login").await.csrf();
    for post in ["/admin/tokens", "/admin/tokens/revoke"] {
        let answer = visitor
            .post_raw(post, &form(&[("csrf_token", &csrf), ("name", "sneaky")]))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "POST {post}");
    }

    let (browser, email) = admin_browser(&app).await;
    let page = browser.get("/admin/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.h1(), "API tokens");
    assert_eq!(
        page.attr("nav.site-nav a[aria-current=page]", "href")
            .as_deref(),
        Some("/admin/tokens")
    );
    let forged = browser
        .post_raw(
            "/admin/tokens",
            &form(&[("csrf_token", "forged"), ("name", "ci")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let bad = browser
        .post_raw(
            "/admin/tokens",
            &form(&[("csrf_token", &page.csrf()), ("name", "two words")]),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field_error("name").is_some(), "{}", bad.html);

    let created = browser
        .post_raw(
            "/admin/tokens",
            &form(&[("csrf_token", &page.csrf()), ("name", "ci")]),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.html);
    assert!(created.html.contains("it will not be shown again"));
    let token = created.attr("#new-token", "value").expect("the token");
    assert!(token.starts_with("flows_"), "{token}");
    assert!(created.select_all("tbody td").contains(&"ci".to_owned()));

    let again = browser
        .post_raw(
            "/admin/tokens",
            &form(&[("csrf_token", &page.csrf()), ("name", "ci")]),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!again.exists("#new-token"));

    // The list shows it from now on, but never the token again.
    let list = browser.get("/admin/tokens").await;
    assert!(!list.html.contains(&token));
    assert!(!list.exists("#new-token"));
    assert!(list.html.contains(&email), "who created it");
    assert!(list.html.contains("Never"), "not used yet");

    let works = request("GET", FLOWS).token(&token).send(&app).await;
    assert_eq!(works.status, StatusCode::OK);
    let used = browser.get("/admin/tokens").await;
    assert!(!used.html.contains("Never"), "{}", used.html);

    let forged = browser
        .post_raw(
            "/admin/tokens/revoke",
            &form(&[("csrf_token", "forged"), ("name", "ci")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        request("GET", FLOWS).token(&token).send(&app).await.status,
        StatusCode::OK
    );

    let (status, revoked) = browser
        .post(
            "/admin/tokens/revoke",
            &form(&[("csrf_token", &used.csrf()), ("name", "ci")]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        revoked.notice().unwrap().contains("revoked"),
        "{}",
        revoked.html
    );
    assert!(revoked.html.contains("Revoked"));
    request("GET", FLOWS)
        .token(&token)
        .send(&app)
        .await
        .assert_refused(StatusCode::UNAUTHORIZED, "FM-40100");
    let (_, twice) = browser
        .post(
            "/admin/tokens/revoke",
            &form(&[("csrf_token", &used.csrf()), ("name", "ci")]),
        )
        .await;
    assert!(twice.notice().unwrap().contains("no live token"));

    let audit = app.store().await.recent_audit(20).await.unwrap();
    let mine: Vec<&str> = audit
        .iter()
        .filter(|a| a.actor == format!("admin:{email}"))
        .map(|a| a.action.as_str())
        .collect();
    assert!(mine.contains(&"api_token.created"), "{mine:?}");
    assert!(mine.contains(&"api_token.revoked"), "{mine:?}");
    assert!(audit.iter().all(|a| !a.detail.contains(&token)));
}
