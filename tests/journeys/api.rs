//! The Flow Execution API over real HTTP: whole journeys in JSON with codes and links read
//! from the real SMTP sink, every protocol error, CORS, applications, and the bad-input
//! matrix. Never a 5xx from what a client sends.

use crate::helpers::*;
use flows::engine::FlowType;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const EXECUTE: &str = "/api/server/v1/flow/execute";

pub struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(app: &TestApp) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.address.clone(),
        }
    }

    /// Posts a JSON body; returns the status and the JSON answer.
    pub async fn call(&self, body: Value) -> (StatusCode, Value) {
        self.raw("application/json", serde_json::to_vec(&body).unwrap(), &[])
            .await
    }

    pub async fn raw(
        &self,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .post(format!("{}{EXECUTE}", self.base))
            .header("content-type", content_type)
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let json =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, json)
    }

    /// Starts a flow; asserts a VIEW came back.
    pub async fn start(&self, flow_type: &str) -> Value {
        let (status, view) = self.call(json!({"flowType": flow_type})).await;
        assert_eq!(status, StatusCode::OK, "{view}");
        assert_eq!(view["type"], "VIEW");
        view
    }

    /// Presses `action` on the flow's current view with `inputs`, sending `flowType` on
    /// every call as WSO2's SDK does (it must be ignored).
    pub async fn press(&self, view: &Value, action: &str, inputs: Value) -> Value {
        let (status, next) = self
            .call(json!({
                "flowType": "REGISTRATION",
                "flowId": view["flowId"],
                "actionId": action,
                "inputs": inputs,
            }))
            .await;
        assert_eq!(status, StatusCode::OK, "{next}");
        next
    }
}

/// Every component id of a response, depth first.
pub fn component_ids(view: &Value) -> Vec<String> {
    fn walk(components: &Value, out: &mut Vec<String>) {
        for c in components.as_array().into_iter().flatten() {
            out.push(c["id"].as_str().unwrap_or_default().to_owned());
            walk(&c["components"], out);
        }
    }
    let mut out = Vec::new();
    walk(&view["data"]["components"], &mut out);
    out
}

fn heading(view: &Value) -> String {
    view["data"]["components"][0]["config"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn smtp_app(template: Option<&'static str>) -> TestApp {
    spawn_app_with(Options {
        smtp: true,
        template,
        ..Options::default()
    })
    .await
}

/// The default registration's first view, filled for `email`, as the API takes it.
pub(crate) fn details(email: &str) -> Value {
    json!({
        "http://wso2.org/claims/givenname": "Ada",
        "http://wso2.org/claims/lastname": "Lovelace",
        "http://wso2.org/claims/emailaddress": email,
        "password": GOOD_PASSWORD,
        "terms": true,
    })
}

/// Confirms an e-mailed link in a browser of its own, as the person would on any device.
async fn confirm_in_browser(app: &TestApp, link: &str) -> Page {
    let browser = app.browser();
    let path = link.trim_start_matches(&app.address);
    let page = browser.get(path).await;
    let token = page.attr("input[name=token]", "value").unwrap();
    let (_, landed) = browser
        .post(
            "/link",
            &[("csrf_token".into(), page.csrf()), ("token".into(), token)],
        )
        .await;
    landed
}

#[tokio::test]
async fn registration_with_a_code_over_json() {
    let app = smtp_app(None).await;
    let api = Api::new(&app);
    let email = unique_email("api.otp");
    let first = api.start("REGISTRATION").await;
    assert_eq!(first["flowStatus"], "INCOMPLETE");
    assert!(component_ids(&first).contains(&"continue".to_owned()));
    let required = first["data"]["requiredParams"].as_array().unwrap();
    assert!(required.contains(&json!("http://wso2.org/claims/emailaddress")));

    // A field problem: the same view, the flow alive, each message naming its field.
    let mut bad = details("not-an-email");
    bad["password"] = json!("tiny7");
    let again = api.press(&first, "continue", bad).await;
    assert_eq!(again["flowId"], first["flowId"]);
    assert_eq!(again["type"], "VIEW");
    let messages = again["data"]["messages"].as_array().unwrap();
    let fields: Vec<&str> = messages
        .iter()
        .filter_map(|m| m["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"http://wso2.org/claims/emailaddress"),
        "{messages:?}"
    );
    assert!(fields.contains(&"password"), "{messages:?}");
    assert!(again["data"]["additionalData"]["error"].is_string());
    let kept = &again["data"]["components"][2]["components"][0]["config"]["defaultValue"];
    assert_eq!(
        kept, "Ada",
        "what was typed comes back (never the password)"
    );
    assert!(
        !again.to_string().contains("tiny7"),
        "a password never comes back"
    );

    let code_view = api.press(&again, "continue", details(&email)).await;
    assert_eq!(code_view["data"]["additionalData"]["otpLength"], "6");
    assert_eq!(code_view["data"]["requiredParams"], json!(["otp"]));
    let code = app.last_mail(&email, 1).await.code();
    let wrong = api
        .press(&code_view, "verify", json!({"otp": wrong_code(&code)}))
        .await;
    assert_eq!(
        wrong["data"]["messages"][0]["i18nKey"],
        "error.code_invalid"
    );
    let done = api.press(&wrong, "verify", json!({"otp": code})).await;
    assert_eq!(done["flowStatus"], "COMPLETE");
    assert_eq!(done["type"], "VIEW", "no application: the end view");
    assert!(stored_user_exists(&app, &email).await);
    // The finished flow answers COMPLETE again; its id cannot act any more.
    let (_, replay) = api
        .call(json!({"flowId": done["flowId"], "actionId": "verify", "inputs": {"otp": code}}))
        .await;
    assert_eq!(replay["flowStatus"], "COMPLETE");
}

#[tokio::test]
async fn registration_by_link_finishes_from_the_email_on_another_device() {
    let app = smtp_app(Some("registration-magic-link")).await;
    let api = Api::new(&app);
    let email = unique_email("api.link");
    let first = api.start("REGISTRATION").await;
    let waiting = api.press(&first, "continue", details(&email)).await;
    assert_eq!(waiting["flowStatus"], "INCOMPLETE");
    assert!(component_ids(&waiting).contains(&"resend".to_owned()));

    let link = app.last_mail(&email, 1).await.link();
    let landed = confirm_in_browser(&app, &link).await;
    assert_eq!(landed.h1(), DONE, "the hosted pages finish the API's flow");
    // The client asks where its flow stands (no actionId): finished.
    let (status, now) = api.call(json!({"flowId": first["flowId"]})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(now["flowStatus"], "COMPLETE");
    assert!(stored_user_exists(&app, &email).await);
}

#[tokio::test]
async fn passwordless_registration_over_json() {
    let app = smtp_app(Some("registration-passwordless")).await;
    let api = Api::new(&app);
    let email = unique_email("api.passwordless");
    let first = api.start("REGISTRATION").await;
    let waiting = api
        .press(
            &first,
            "continue",
            json!({"http://wso2.org/claims/emailaddress": email}),
        )
        .await;
    assert!(component_ids(&waiting).contains(&"resend".to_owned()));
    let link = app.last_mail(&email, 1).await.link();
    confirm_in_browser(&app, &link).await;
    let (_, profile) = api.call(json!({"flowId": first["flowId"]})).await;
    assert!(
        component_ids(&profile).contains(&"finish".to_owned()),
        "{profile}"
    );
    let done = api
        .press(
            &profile,
            "finish",
            json!({"http://wso2.org/claims/givenname": "Ada", "terms": "true"}),
        )
        .await;
    assert_eq!(done["flowStatus"], "COMPLETE");
    assert!(stored_user_exists(&app, &email).await);
}

#[tokio::test]
async fn recovery_by_code_and_by_link_over_json() {
    for template in ["recovery-otp", "recovery-link"] {
        let app = smtp_app(Some(template)).await;
        let api = Api::new(&app);
        let email = unique_email("api.recover");
        register_fully(&app, "Ada", &email).await;
        let first = api.start("PASSWORD_RECOVERY").await;
        let sent = api.press(&first, "continue", json!({"login": email})).await;
        assert_eq!(
            sent["flowType"], "PASSWORD_RECOVERY",
            "flowType on a continuation is ignored"
        );
        // An unknown address gets the same answer: the API tells nothing of who has an account.
        let unknown = api.start("PASSWORD_RECOVERY").await;
        let unknown = api
            .press(
                &unknown,
                "continue",
                json!({"login": unique_email("nobody")}),
            )
            .await;
        assert_eq!(component_ids(&unknown), component_ids(&sent));
        let new_password = if template == "recovery-otp" {
            let code = app.last_mail(&email, 2).await.code();
            api.press(&sent, "verify", json!({"otp": code})).await
        } else {
            let link = app.last_mail(&email, 2).await.link();
            let landed = confirm_in_browser(&app, &link).await;
            assert_eq!(landed.step().as_deref(), Some("new_password"));
            api.call(json!({"flowId": first["flowId"]})).await.1
        };
        assert!(
            component_ids(&new_password).contains(&"save".to_owned()),
            "{new_password}"
        );
        let done = api
            .press(
                &new_password,
                "save",
                json!({"password": "a new phrase for recovery"}),
            )
            .await;
        assert_eq!(done["flowStatus"], "COMPLETE", "{done}");
        let (status, _) = sign_in(&app, &email, "a new phrase for recovery").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn invited_registration_over_json() {
    let app = smtp_app(None).await;
    let api = Api::new(&app);
    let email = unique_email("api.invite");
    app.invite(&email, Default::default(), "Dorothy").await;
    let link = app.last_mail(&email, 1).await.invitation_link();
    let code = link.split("code=").nth(1).unwrap().to_owned();

    let (status, refused) = api
        .call(json!({"flowType": "INVITED_USER_REGISTRATION", "inputs": {"confirmationCode": "nope"}}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["code"], "FE-60006");
    let (_, missing) = api
        .call(json!({"flowType": "INVITED_USER_REGISTRATION"}))
        .await;
    assert_eq!(missing["code"], "FE-60008");

    let (status, welcome) = api
        .call(
            json!({"flowType": "INVITED_USER_REGISTRATION", "inputs": {"confirmationCode": code}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{welcome}");
    let done = api
        .press(
            &welcome,
            "accept",
            json!({"http://wso2.org/claims/givenname": "Katherine", "password": GOOD_PASSWORD, "terms": true}),
        )
        .await;
    assert_eq!(done["flowStatus"], "COMPLETE", "{done}");
    let (_, used) = api
        .call(
            json!({"flowType": "INVITED_USER_REGISTRATION", "inputs": {"confirmationCode": code}}),
        )
        .await;
    assert_eq!(used["code"], "FE-60006");
}

#[tokio::test]
async fn every_protocol_error_has_its_code_and_changes_nothing() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let api = Api::new(&app);
    let view = api.start("REGISTRATION").await;
    let id = view["flowId"].as_str().unwrap().to_owned();
    let cases: Vec<(Value, u16, &str)> = vec![
        (json!({}), 400, "FE-60011"),
        (json!({"flowType": "SIGN_IN"}), 400, "FE-60103"),
        (json!({"actionId": "continue"}), 400, "FE-60004"),
        (
            json!({"flowId": "not-a-uuid", "actionId": "x"}),
            400,
            "FE-60001",
        ),
        (
            json!({"flowId": uuid::Uuid::new_v4().to_string(), "actionId": "x"}),
            400,
            "FE-60001",
        ),
        (
            json!({"flowId": id, "actionId": "explode"}),
            400,
            "FE-60009",
        ),
        (
            json!({"flowId": id, "actionId": "continue", "inputs": {"isAdmin": "true"}}),
            400,
            "FE-60008",
        ),
        (
            json!({"flowId": id, "actionId": "continue", "inputs": {"password": "a\u{0}b"}}),
            400,
            "FE-60008",
        ),
        (
            json!({"flowId": id, "actionId": "continue", "inputs": {"terms": ["x"]}}),
            400,
            "FE-60008",
        ),
        (
            json!({"flowId": id, "actionId": "continue", "inputs": "all of them"}),
            400,
            "FE-60008",
        ),
        (json!({"flowType": 7}), 400, "FE-60008"),
        (
            json!({"flowType": "REGISTRATION", "isAdmin": true}),
            400,
            "FE-60008",
        ),
        (
            json!({"flowType": "REGISTRATION", "applicationId": "nobody"}),
            400,
            "FE-60008",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = api.call(body.clone()).await;
        assert_eq!(got.as_u16(), status, "{body} -> {answer}");
        assert_eq!(answer["code"], code, "{body} -> {answer}");
        assert!(answer["message"].is_string() && answer["description"].is_string());
    }
    // Bodies that are not a JSON object at all.
    let raw_cases: Vec<(&str, Vec<u8>, u16)> = vec![
        ("application/json", Vec::new(), 400),
        ("application/json", b"   ".to_vec(), 400),
        ("application/json", b"{\"flowType\":".to_vec(), 400),
        ("application/json", b"<xml/>".to_vec(), 400),
        ("application/json", vec![0xff, 0xfe, 0x7b, 0x7d], 400),
        (
            "text/plain",
            b"{\"flowType\":\"REGISTRATION\"}".to_vec(),
            415,
        ),
        (
            "application/x-www-form-urlencoded",
            b"flowType=REGISTRATION".to_vec(),
            415,
        ),
    ];
    for (content_type, body, status) in raw_cases {
        let (got, answer) = api.raw(content_type, body.clone(), &[]).await;
        assert_eq!(got.as_u16(), status, "{body:?} -> {answer}");
        assert_eq!(answer["code"], "FE-60007", "{answer}");
    }
    // A megabyte in one input value.
    let huge = json!({"flowId": id, "actionId": "continue", "inputs": {"http://wso2.org/claims/givenname": "x".repeat(1 << 20)}});
    let (got, answer) = api.call(huge).await;
    assert_eq!(got, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer["code"], "FE-60007");

    // None of it moved or broke the execution: it goes on from where it was.
    let (status, same) = api.call(json!({"flowId": id})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(component_ids(&same), component_ids(&view));

    // An expired flow is an invalid flow id, naming its type.
    app.advance(time::Duration::minutes(31));
    let (status, expired) = api
        .call(json!({"flowId": id, "actionId": "continue"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(expired["code"], "FE-60001");
    assert_eq!(expired["flowType"], "REGISTRATION");

    // A disabled type: FE-60104, from the console's own setting.
    let store = flows::startup::open_store(&app.settings).await.unwrap();
    store
        .set_flow_enabled(FlowType::PasswordRecovery, false)
        .await
        .unwrap();
    app.notice_changes().await;
    let (status, disabled) = api.call(json!({"flowType": "PASSWORD_RECOVERY"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(disabled["code"], "FE-60104");
    assert_eq!(disabled["flowType"], "PASSWORD_RECOVERY");
}

#[tokio::test]
async fn applications_decide_the_redirect_and_the_cors_origins() {
    let app = spawn_app().await;
    let api = Api::new(&app);
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

    // CORS: answered for the application's origin, silent for any other.
    let client = reqwest::Client::new();
    let url = format!("{}{EXECUTE}", app.address);
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://shop.example").await.unwrap();
    assert!(allowed.status().is_success());
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert!(
        allowed.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let (_, _) = api
        .raw(
            "application/json",
            br#"{"flowType":"REGISTRATION"}"#.to_vec(),
            &[("origin", "https://evil.example")],
        )
        .await;
    let with_origin = client
        .post(&url)
        .header("origin", "https://shop.example")
        .json(&json!({"flowType": "REGISTRATION"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        with_origin.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let without = client
        .post(&url)
        .header("origin", "https://evil.example")
        .json(&json!({"flowType": "REGISTRATION"}))
        .send()
        .await
        .unwrap();
    assert!(
        without
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    // On completion the stored return URL decides where to go; nothing in the request can.
    let email = unique_email("api.app");
    let (_, first) = api
        .call(json!({"flowType": "REGISTRATION", "applicationId": "shop-app"}))
        .await;
    let code_view = api.press(&first, "continue", details(&email)).await;
    let code = app.last_mail(&email, 1).await.code();
    let done = api.press(&code_view, "verify", json!({"otp": code})).await;
    assert_eq!(done["flowStatus"], "COMPLETE");
    assert_eq!(done["type"], "REDIRECTION");
    assert_eq!(done["data"]["redirectURL"], "https://shop.example/welcome");
    let user = app
        .store()
        .await
        .user_by_email(&email)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !user.attributes.contains_key("application_id"),
        "not a trait of the person"
    );
}

#[tokio::test]
async fn the_api_speaks_the_clients_language_and_counts_against_the_rate_limit() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(1),
        ..Options::default()
    })
    .await;
    let api = Api::new(&app);
    let (_, fr) = api
        .raw(
            "application/json",
            br#"{"flowType":"REGISTRATION"}"#.to_vec(),
            &[("accept-language", "fr-CA,fr;q=0.9")],
        )
        .await;
    let (_, en) = api.call(json!({"flowType": "REGISTRATION"})).await;
    assert_ne!(heading(&fr), heading(&en));
    assert_eq!(heading(&en), "Create your account");
    let mut limited = None;
    for _ in 0..10 {
        let (status, answer) = api.call(json!({"flowType": "REGISTRATION"})).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(answer);
            break;
        }
    }
    let limited = limited.expect("the limit applies to the API");
    assert_eq!(limited["code"], "FE-60007");
}

#[tokio::test]
async fn an_application_starts_no_more_flows_than_its_own_limit_allows() {
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let api = Api::new(&app);
    let store = flows::startup::open_store(&app.settings).await.unwrap();
    for (id, starts) in [("busy-app", 3), ("other-app", 0)] {
        let row = flows::store::ApplicationRow {
            id: id.into(),
            name: id.into(),
            allowed_origins: vec![],
            return_url: "https://shop.example/welcome".into(),
            created_at: time::OffsetDateTime::now_utc(),
            starts_per_minute: starts,
            proof: None,
        };
        assert!(store.create_application(&row).await.unwrap());
    }
    let start = |application: &'static str| {
        api.call(json!({"flowType": "REGISTRATION", "applicationId": application}))
    };
    // A minute's worth at once, then a 429 that says when to come back.
    for _ in 0..3 {
        let (status, view) = start("busy-app").await;
        assert_eq!(status, StatusCode::OK, "{view}");
    }
    let response = reqwest::Client::new()
        .post(format!("{}{EXECUTE}", app.address))
        .json(&json!({"flowType": "REGISTRATION", "applicationId": "busy-app"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["code"], "FE-60007");
    assert!(
        refused["description"]
            .as_str()
            .unwrap()
            .contains("This application has started as many flows"),
        "{refused}"
    );
    // Another application, and a client with none, are not held back by it.
    for _ in 0..5 {
        assert_eq!(start("other-app").await.0, StatusCode::OK);
    }
    assert_eq!(
        api.call(json!({"flowType": "REGISTRATION"})).await.0,
        StatusCode::OK
    );
}

/// The component whose input fills `identifier`, depth first.
fn input_for<'a>(view: &'a Value, identifier: &str) -> Option<&'a Value> {
    fn walk<'a>(components: &'a Value, identifier: &str) -> Option<&'a Value> {
        components.as_array()?.iter().find_map(|c| {
            if c["config"]["identifier"] == identifier {
                Some(c)
            } else {
                walk(&c["components"], identifier)
            }
        })
    }
    walk(&view["data"]["components"], identifier)
}

/// One step, refused, in French, through both front ends: the engine made it ready once, so
/// the page and the JSON carry the same heading, the same error beside the same input, the
/// same value kept, and neither echoes the password.
#[tokio::test]
async fn the_page_and_the_api_show_the_same_step() {
    let app = spawn_app().await;
    let email_claim = "http://wso2.org/claims/emailaddress";
    let mut browser = app.browser();
    browser.accept_language = Some("fr".into());
    let first = browser.get("/register").await;
    let (status, page) = browser
        .press(
            &first,
            "continue",
            &crate::helpers::details("Ada", "pas-une-adresse", "tiny7"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);

    let api = Api::new(&app);
    let fr = [("accept-language", "fr")];
    let start = json!({"flowType": "REGISTRATION"});
    let (_, view) = api
        .raw("application/json", serde_json::to_vec(&start).unwrap(), &fr)
        .await;
    let mut inputs = details("pas-une-adresse");
    inputs["password"] = json!("tiny7");
    let press = json!({"flowId": view["flowId"], "actionId": "continue", "inputs": inputs});
    let (status, again) = api
        .raw("application/json", serde_json::to_vec(&press).unwrap(), &fr)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");

    assert_eq!(page.h1(), heading(&again), "the same heading, in French");
    assert_ne!(page.h1(), "Create your account", "not the English one");
    let email_input = input_for(&again, email_claim).expect("an e-mail input");
    let id = email_input["id"].as_str().unwrap();
    let message = again["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["field"] == email_claim)
        .expect("an error for the e-mail address");
    // The page puts a hidden "Erreur :" before it for screen readers.
    let beside = page.field_error(id).unwrap_or_default();
    let said = message["message"].as_str().unwrap();
    assert!(
        beside.ends_with(said) && said.len() > 10,
        "the same error beside the same input: {beside:?} / {said:?}"
    );
    assert_eq!(
        page.attr(&format!("#{id}"), "value").as_deref(),
        email_input["config"]["defaultValue"].as_str(),
        "the same value kept"
    );
    assert_eq!(
        page.attr(&format!("#{id}"), "value").as_deref(),
        Some("pas-une-adresse")
    );
    assert!(!page.html.contains("tiny7") && !again.to_string().contains("tiny7"));
}
