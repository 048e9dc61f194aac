//! Extensions managed by people and scripts: an owner adds one in the console (a secret Flows
//! made shown once, never again), is refused a private address beside the URL field, removes
//! one through its confirm page; an operator is refused the page; a token does the same
//! through the management API, its answers checked against the served OpenAPI document; and
//! the draft editor names the extension a `CallExtension` task calls.

use crate::console::{admin_browser, fields, operator_browser};
use crate::helpers::*;
use crate::manage_api::create_token;
use reqwest::cookie::CookieStore;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PAGE: &str = "/admin/extensions";
const REG: &str = "/admin/flows/REGISTRATION";

fn add_form(page: &Page, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = fields(&[("csrf_token", &page.csrf())]);
    form.extend(fields(pairs));
    form
}

#[tokio::test]
async fn an_owner_adds_an_extension_sees_its_secret_once_and_removes_it() {
    let app = spawn_app().await;
    let (owner, _) = admin_browser(&app).await;
    let home = owner.get("/admin").await;
    assert!(home.exists(".site-nav a[href='/admin/extensions']"));

    let page = owner.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(page.h1(), "Extensions");
    assert!(page.html.contains("None yet."), "{}", page.html);
    // The form: the secret is a password field nobody's browser fills in; the defaults are
    // a 3 s timeout and deny.
    assert_eq!(page.attr("#secret", "type").as_deref(), Some("password"));
    assert_eq!(page.attr("#secret", "autocomplete").as_deref(), Some("off"));
    assert!(page.html.contains("Leave empty and Flows makes one"));
    assert_eq!(page.attr("#timeout_ms", "value").as_deref(), Some("3000"));
    assert!(page.exists("#on_failure-deny[checked]"));
    assert!(!page.exists("#on_failure-allow[checked]"));
    // What the service receives and answers, with the header names.
    for said in [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "\"allow\"",
    ] {
        assert!(page.html.contains(said), "{said}: {}", page.html);
    }

    // A private address: refused beside the URL field, what was typed kept (but a secret).
    let typed_secret = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0";
    let refused = owner
        .post_raw(
            PAGE,
            &add_form(
                &page,
                &[
                    ("name", "crm"),
                    ("url", "https://127.0.0.1/"),
                    ("secret", typed_secret),
                    ("timeout_ms", "2500"),
                    ("send_attributes", "email, given_name"),
                    ("may_set", "department"),
                    ("on_failure", "allow"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let url_error = refused.field_error("url").unwrap_or_default();
    assert!(url_error.contains("private"), "{}", refused.html);
    assert!(refused.field_error("name").is_none());
    assert_eq!(refused.summary().len(), 1, "{:?}", refused.summary());
    crate::console::assert_summary_links_resolve(&refused);
    assert_eq!(refused.attr("#name", "value").as_deref(), Some("crm"));
    assert_eq!(
        refused.attr("#url", "value").as_deref(),
        Some("https://127.0.0.1/")
    );
    assert_eq!(
        refused.attr("#timeout_ms", "value").as_deref(),
        Some("2500")
    );
    assert_eq!(refused.text_of("#send_attributes"), "email, given_name");
    assert!(refused.exists("#on_failure-allow[checked]"));
    assert_eq!(refused.attr("#secret", "value").as_deref(), Some(""));
    assert!(!refused.html.contains(typed_secret));
    // A timeout that is not a number: beside its own field.
    let refused = owner
        .post_raw(
            PAGE,
            &add_form(
                &page,
                &[
                    ("name", "crm"),
                    ("url", "https://hooks.example.com/flows"),
                    ("timeout_ms", "soon"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.field_error("timeout_ms").is_some(),
        "{}",
        refused.html
    );

    // Added with no secret: Flows makes one and shows it on the answer itself, once.
    let added = owner
        .post_raw(
            PAGE,
            &add_form(
                &page,
                &[
                    ("name", "crm"),
                    ("url", "https://hooks.example.com/flows"),
                    ("secret", ""),
                    ("timeout_ms", "2500"),
                    ("send_attributes", "email\ngiven_name"),
                    ("may_set", "department"),
                    ("on_failure", "allow"),
                ],
            ),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.html);
    let secret = added.attr("#new-secret", "value").expect("the secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(
        added.html.contains("Copy it now: it is not shown again."),
        "{}",
        added.html
    );
    assert!(added.notice().is_some_and(|n| n.contains("crm")));
    let cookies = owner
        .jar
        .cookies(&app.address.parse().unwrap())
        .map(|c| c.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(!cookies.contains(&secret[6..]), "the secret is in a cookie");
    // The list shows the extension, never its secret; a reload shows it no more.
    let row = added.select_all("#extension-crm td");
    assert_eq!(row[0], "crm");
    assert_eq!(row[1], "https://hooks.example.com/flows");
    assert_eq!(row[2], "2500 ms");
    assert_eq!(row[3], "email, given_name");
    assert_eq!(row[4], "department");
    assert_eq!(row[5], "Allow");
    assert_eq!(row[6], "nothing", "no events ticked");
    assert!(row[7].ends_with("UTC"), "{row:?}");
    let again = owner.get(PAGE).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.exists("#extension-crm"));
    assert!(!again.exists("#new-secret"));
    assert!(!again.html.contains(&secret), "the secret shown twice");

    // With a secret of its own: a redirect and a notice, no secret shown.
    let (status, after) = owner
        .post(
            PAGE,
            &add_form(
                &again,
                &[
                    ("name", "licences"),
                    ("url", "https://licences.example.com/check"),
                    ("secret", typed_secret),
                ],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(after.notice().as_deref(), Some("Extension licences added."));
    assert!(!after.exists("#new-secret"));
    assert!(!after.html.contains(typed_secret));
    let row = after.select_all("#extension-licences td");
    assert_eq!(row[2], "3000 ms");
    assert_eq!(row[5], "Deny");
    // A taken name: refused beside the name.
    let refused = owner
        .post_raw(
            PAGE,
            &add_form(
                &after,
                &[("name", "crm"), ("url", "https://other.example.com/")],
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

    // Removing asks first, on a page of its own.
    let confirm = owner.get("/admin/extensions/crm/remove").await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.h1(), "Remove the extension crm?");
    assert!(confirm.html.contains("https://hooks.example.com/flows"));
    let action = confirm.attr("form.flow-form", "action").expect("a form");
    assert_eq!(action, "/admin/extensions/crm/remove");
    let (status, removed) = owner
        .post(&action, &fields(&[("csrf_token", &confirm.csrf())]))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(removed.notice().as_deref(), Some("Extension crm removed."));
    assert!(!removed.exists("#extension-crm"));
    assert!(removed.exists("#extension-licences"));
    // Gone: its confirm page is the console's 404, removing it again says so.
    let gone = owner.get("/admin/extensions/crm/remove").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let (_, again) = owner
        .post(&action, &fields(&[("csrf_token", &confirm.csrf())]))
        .await;
    assert_eq!(
        again.notice().as_deref(),
        Some("There is no extension called crm.")
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
    assert_eq!(audit.iter().filter(|a| *a == "extension.added").count(), 2);
    assert!(audit.iter().any(|a| a == "extension.removed"));

    // An operator is refused the page and its posts.
    let (operator, _, _) = operator_browser(&app, &owner).await;
    let refused = operator.get_raw(PAGE).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.html.contains("licences"));
    let home = operator.get("/admin").await;
    assert!(!home.exists(".site-nav a[href='/admin/extensions']"));
    let refused = operator
        .post_raw(
            PAGE,
            &fields(&[
                ("csrf_token", &home.csrf()),
                ("name", "sneaky"),
                ("url", "https://sneaky.example.com/"),
            ]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = operator
        .post_raw(
            "/admin/extensions/licences/remove",
            &fields(&[("csrf_token", &home.csrf())]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let names: Vec<String> = app
        .engine()
        .await
        .extensions(&flows::engine::Actor::cli())
        .await
        .expect("extensions")
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["licences"]);
}

pub(crate) async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let client = reqwest::Client::new();
    let mut req = client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let text = res.text().await.expect("body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path} {status}: {text}"))
    };
    (status, json)
}

/// The served OpenAPI document, to hold real answers to what it says of their route.
pub(crate) struct Doc {
    json: Value,
    registry: jsonschema::Registry<'static>,
}

impl Doc {
    const BASE: &'static str = "urn:flows:openapi";

    pub(crate) async fn fetch(app: &TestApp) -> Self {
        let json: Value = reqwest::get(format!("{}/api/openapi.json", app.address))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let registry = jsonschema::Registry::new()
            .add(Self::BASE, json.clone())
            .unwrap()
            .prepare()
            .unwrap();
        Self { json, registry }
    }

    /// The answer `body` with `status` to `method path` is one the document lists for it.
    pub(crate) fn check(&self, method: &str, path: &str, status: StatusCode, body: &Value) {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let mut pointer = format!("/paths/{escaped}/{method}/responses/{}", status.as_u16());
        let response = self
            .json
            .pointer(&pointer)
            .unwrap_or_else(|| panic!("{method} {path}: {status} is not documented"));
        if let Some(r) = response["$ref"].as_str() {
            pointer = r.trim_start_matches('#').to_owned();
        }
        let schema = format!("{pointer}/content/application~1json/schema");
        if self.json.pointer(&schema).is_none() {
            assert!(body.is_null(), "{method} {path} {status}: {body}");
            return;
        }
        let fragment = schema.replace('{', "%7B").replace('}', "%7D");
        let wrapper = json!({"$ref": format!("{}#{fragment}", Self::BASE)});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(&wrapper)
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: {errors:?}\n{body:#}"
        );
    }
}

#[tokio::test]
async fn a_token_adds_lists_and_removes_extensions_through_the_management_api() {
    let app = spawn_app().await;
    let doc = Doc::fetch(&app).await;
    let token = create_token(&app, "hooks").await;
    const LIST: &str = "/api/v1/extensions";
    const ONE: &str = "/api/v1/extensions/{name}";

    // Without a token: refused like every management route.
    let (status, body) = call(&app, Method::GET, LIST, "nope", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "FM-40100");

    let (status, list) = call(&app, Method::GET, LIST, &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!({"extensions": []}));
    doc.check("get", LIST, status, &list);

    // Flows makes the secret: it is in this answer and no other.
    let (status, added) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({
            "name": "crm",
            "url": "https://hooks.example.com/flows",
            "timeoutMs": 2500,
            "sendAttributes": ["email", "given_name"],
            "maySet": ["department"],
            "onFailure": "allow"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    doc.check("post", LIST, status, &added);
    let secret = added["secret"].as_str().expect("a secret").to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let extension = &added["extension"];
    assert_eq!(extension["name"], "crm");
    assert_eq!(extension["url"], "https://hooks.example.com/flows");
    assert_eq!(extension["timeoutMs"], 2500);
    assert_eq!(extension["sendAttributes"], json!(["email", "given_name"]));
    assert_eq!(extension["maySet"], json!(["department"]));
    assert_eq!(extension["onFailure"], "allow");
    assert!(extension["createdAt"].as_str().unwrap().contains('T'));

    // A secret of its own: none in the answer; the defaults filled in.
    let (status, own) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({
            "name": "licences",
            "url": "https://licences.example.com/check",
            "secret": "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    doc.check("post", LIST, status, &own);
    assert!(own.get("secret").is_none(), "{own}");
    assert_eq!(own["extension"]["timeoutMs"], 3000);
    assert_eq!(own["extension"]["onFailure"], "deny");

    let (status, list) = call(&app, Method::GET, LIST, &token, None).await;
    doc.check("get", LIST, status, &list);
    let names: Vec<&str> = list["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["crm", "licences"]);
    assert!(!list.to_string().contains(&secret[6..]));

    // Refusals: a private address names its field; a taken name is a conflict.
    let (status, body) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"name": "local", "url": "https://127.0.0.1/"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "FM-40006");
    assert_eq!(body["field"], "url");
    doc.check("post", LIST, status, &body);
    let (status, body) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"name": "slow", "url": "https://slow.example.com/", "timeoutMs": 60000})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "timeoutMs");
    doc.check("post", LIST, status, &body);
    let (status, body) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"name": "crm", "url": "https://other.example.com/"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "FM-40901");
    assert_eq!(body["field"], "name");
    doc.check("post", LIST, status, &body);
    let (status, body) = call(
        &app,
        Method::POST,
        LIST,
        &token,
        Some(json!({"url": "https://other.example.com/"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "FM-40002");
    doc.check("post", LIST, status, &body);

    // Removed: 204, then 404.
    let (status, body) = call(&app, Method::DELETE, "/api/v1/extensions/crm", &token, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    doc.check("delete", ONE, status, &body);
    let (status, body) = call(&app, Method::DELETE, "/api/v1/extensions/crm", &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "FM-40406");
    doc.check("delete", ONE, status, &body);
    // Another method on the path: the management API's 405.
    let (status, body) = call(&app, Method::GET, "/api/v1/extensions/crm", &token, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["code"], "FM-40500");

    let audit: Vec<(String, String)> = app
        .engine()
        .await
        .recent_audit(50)
        .await
        .expect("audit")
        .into_iter()
        .map(|r| (r.action, r.actor))
        .collect();
    assert!(audit.contains(&("extension.added".into(), "token:hooks".into())));
    assert!(audit.contains(&("extension.removed".into(), "token:hooks".into())));
}

fn revision(page: &Page) -> String {
    page.attr("input[name=revision]", "value")
        .expect("revision")
}

async fn edit(browser: &Browser, page: &Page, pairs: &[(&str, &str)]) -> (StatusCode, Page) {
    let mut form = fields(&[("csrf_token", &page.csrf()), ("revision", &revision(page))]);
    form.extend(fields(pairs));
    browser.post(&format!("{REG}/draft/edit"), &form).await
}

#[tokio::test]
async fn an_owner_picks_the_extension_a_task_calls_in_the_draft_editor() {
    let app = spawn_app().await;
    let (owner, _) = admin_browser(&app).await;
    let page = owner.get(PAGE).await;
    let (status, _) = owner
        .post(
            PAGE,
            &add_form(
                &page,
                &[
                    ("name", "crm"),
                    ("url", "https://hooks.example.com/flows"),
                    ("secret", "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"),
                ],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let flow = owner.get(REG).await;
    let (status, draft) = owner
        .post(
            &format!("{REG}/draft/start"),
            &fields(&[
                ("csrf_token", &flow.csrf()),
                ("source", "template:registration-otp"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A task that calls no extension has no extension select.
    assert!(draft.exists("#executor-send_code"), "{}", draft.html);
    assert!(!draft.exists("#extension-send_code"));
    // Naming one on a task that calls none is refused beside the step.
    let (status, refused) = edit(
        &owner,
        &draft,
        &[
            ("op", "set_extension"),
            ("step", "send_code"),
            ("extension", "crm"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .summary()
            .iter()
            .any(|m| m.contains("CallExtension")),
        "{:?}",
        refused.summary()
    );
    crate::console::assert_summary_links_resolve(&refused);
    assert!(
        refused
            .field_error("step-send_code")
            .is_some_and(|e| e.contains("CallExtension")),
        "{}",
        refused.html
    );

    let (status, draft) = edit(
        &owner,
        &refused,
        &[
            ("op", "set_executor"),
            ("step", "send_code"),
            ("executor", "CallExtension"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The select lists the registered extensions, none chosen yet.
    let options = draft.select_all("#extension-send_code option");
    assert_eq!(options, ["(none yet)", "crm"]);
    assert!(draft.exists("label[for=extension-send_code]"));
    let (status, draft) = edit(
        &owner,
        &draft,
        &[
            ("op", "set_extension"),
            ("step", "send_code"),
            ("extension", "crm"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        draft.notice().as_deref(),
        Some("'send_code' now calls the extension 'crm'.")
    );
    assert_eq!(
        draft
            .attr("#extension-send_code option[selected]", "value")
            .as_deref(),
        Some("crm")
    );

    // The draft's JSON has it.
    let token = create_token(&app, "reader").await;
    let (status, json) = call(
        &app,
        Method::GET,
        "/api/v1/flows/REGISTRATION/draft",
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let step = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "send_code")
        .expect("the step");
    assert_eq!(step["executor"], "CallExtension");
    assert_eq!(step["extension"], "crm");

    // Removed from the register, the draft still names it, marked as such.
    let confirm = owner.get("/admin/extensions/crm/remove").await;
    owner
        .post(
            "/admin/extensions/crm/remove",
            &fields(&[("csrf_token", &confirm.csrf())]),
        )
        .await;
    let draft = owner.get(&format!("{REG}/draft")).await;
    assert_eq!(
        draft.text_of("#extension-send_code option[selected]"),
        "crm (not registered)"
    );

    // Another executor: the extension goes with it.
    let (status, draft) = edit(
        &owner,
        &draft,
        &[
            ("op", "set_executor"),
            ("step", "send_code"),
            ("executor", "EmailOtpSend"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(!draft.exists("#extension-send_code"));
    let (_, json) = call(
        &app,
        Method::GET,
        "/api/v1/flows/REGISTRATION/draft",
        &token,
        None,
    )
    .await;
    let step = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "send_code")
        .expect("the step");
    assert!(step.get("extension").is_none(), "{step}");
}
