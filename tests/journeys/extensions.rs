//! Extensions (`CallExtension`) against a real HTTP service the test starts: allow, deny
//! beside a field, modify, slow, failing, redirecting and oversized answers, the SSRF guard,
//! signatures checked by the receiver, and the receiver of docs/EXTENSIONS.md run as written.

use crate::helpers::*;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine as _;
use flows::engine::{Actor, FlowDefinition, NewExtension};
use hmac::{KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The secret the receiver knows, in the Standard Webhooks form.
const SECRET: &str = "whsec_c2VjcmV0LWZvci10aGUtdGVzdC1yZWNlaXZlci0zMmI=";

/// One call as the receiver saw it.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The signature as a receiver computes it, written here from the specification.
    fn signed_correctly(&self) -> bool {
        let key = base64::engine::general_purpose::STANDARD
            .decode(SECRET.trim_start_matches("whsec_"))
            .unwrap();
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{}.{}.", self.id, self.timestamp).as_bytes());
        mac.update(&self.body);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        self.signature
            .split(' ')
            .any(|s| s.strip_prefix("v1,") == Some(expected.as_str()))
    }
}

#[derive(Clone, Default)]
struct Receiver {
    calls: Arc<Mutex<Vec<Received>>>,
    /// `switch` answers 500 while this is set.
    down: Arc<std::sync::atomic::AtomicBool>,
}

async fn hook(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    receiver: web::Data<Receiver>,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let path = path.into_inner();
    let id = header("webhook-id");
    let seen_before = receiver
        .calls
        .lock()
        .unwrap()
        .iter()
        .filter(|c| c.id == id)
        .count();
    receiver.calls.lock().unwrap().push(Received {
        path: path.clone(),
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: body.to_vec(),
    });
    match path.as_str() {
        "allow" => HttpResponse::Ok().json(json!({"action": "allow"})),
        "deny-field" => HttpResponse::Ok().json(
            json!({"action": "deny", "message": "Use your work address.", "field": "http://wso2.org/claims/emailaddress"}),
        ),
        "deny-key" => {
            HttpResponse::Ok().json(json!({"action": "deny", "message": "error.extension_refused"}))
        }
        "modify" => HttpResponse::Ok().json(
            json!({"action": "modify", "attributes": {"department": "Research", "given_name": "Mallory"}}),
        ),
        "slow" => {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            HttpResponse::Ok().json(json!({"action": "allow"}))
        }
        "redirect" => HttpResponse::Found()
            .insert_header(("location", "http://169.254.169.254/latest/meta-data"))
            .finish(),
        // Fails each event twice before it takes it.
        "flaky" if seen_before < 2 => HttpResponse::ServiceUnavailable().finish(),
        "flaky" => HttpResponse::NoContent().finish(),
        "switch" if receiver.down.load(std::sync::atomic::Ordering::SeqCst) => {
            HttpResponse::InternalServerError().finish()
        }
        "switch" => HttpResponse::Ok().finish(),
        "huge" => HttpResponse::Ok()
            .content_type("application/json")
            .body(format!(r#"{{"action":"allow","pad":"{}"}}"#, "x".repeat(200 * 1024))),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

/// Starts the receiver on a port of its own; its base URL.
fn start_receiver(receiver: &Receiver) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let data = web::Data::new(receiver.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/{path}", web::post().to(hook))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}

/// Starter template `id` asking the extension `crm` right after its first view, then going
/// on to `then`.
fn with_call(id: &str, then: &str) -> FlowDefinition {
    let mut def = template_json(id);
    let steps = def["steps"].as_array_mut().unwrap();
    steps[0]["actions"][0]["next"] = json!("check");
    steps.push(
        json!({"id": "check", "type": "TASK", "executor": "CallExtension",
        "extension": "crm", "next": {"success": then}}),
    );
    valid_definition(def)
}

struct Setup {
    app: TestApp,
    receiver: Receiver,
    base: String,
}

impl Setup {
    async fn new(allow_private: bool) -> Setup {
        Self::with(Options {
            smtp: true,
            extension_allow_private: allow_private,
            ..Options::default()
        })
        .await
    }

    async fn with(options: Options) -> Setup {
        let app = spawn_app_with(options).await;
        app.publish(&with_call("registration-otp", "set_password"))
            .await;
        let receiver = Receiver::default();
        let base = start_receiver(&receiver);
        Setup {
            app,
            receiver,
            base,
        }
    }

    /// (Re)registers `crm` at `url` with `timeout_ms` and `on_failure`.
    async fn point_at(&self, url: &str, timeout_ms: u32, on_failure: &str) {
        self.register("crm", url, timeout_ms, on_failure, &[]).await;
    }

    async fn register(
        &self,
        name: &str,
        url: &str,
        timeout_ms: u32,
        on_failure: &str,
        events: &[&str],
    ) {
        let engine = self.app.engine().await;
        engine.remove_extension(name, &Actor::cli()).await.unwrap();
        let added = engine
            .add_extension(
                &NewExtension {
                    name: name.into(),
                    url: url.into(),
                    secret: SECRET.into(),
                    timeout_ms: Some(timeout_ms),
                    send_attributes: vec!["email".into(), "given_name".into()],
                    may_set: vec!["department".into()],
                    on_failure: on_failure.into(),
                    events: events.iter().map(|e| (*e).to_owned()).collect(),
                },
                &Actor::cli(),
            )
            .await
            .unwrap();
        assert_eq!(added, Ok(None), "a given secret is not shown back");
    }

    /// The calls the receiver took for `path`, waiting up to 10 s for `count` of them.
    async fn wait_for(&self, path: &str, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let calls: Vec<Received> = self
                .calls()
                .into_iter()
                .filter(|c| c.path == path)
                .collect();
            if calls.len() >= count {
                return calls;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{path}: fewer than {count} calls: {:?}", self.calls());
    }

    async fn point(&self, path: &str, timeout_ms: u32, on_failure: &str) {
        self.point_at(&format!("{}/{path}", self.base), timeout_ms, on_failure)
            .await;
    }

    fn calls(&self) -> Vec<Received> {
        self.receiver.calls.lock().unwrap().clone()
    }

    /// Sends the details form for `email`; the status and the page it led to.
    async fn details(&self, browser: &Browser, email: &str) -> (StatusCode, Page) {
        let page = browser.get("/register").await;
        browser
            .press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
            .await
    }
}

#[tokio::test]
async fn an_extension_allows_denies_beside_a_field_and_sets_only_what_it_may() {
    let s = Setup::new(true).await;

    // Allow: the journey goes on; the call carried what it should and nothing else.
    s.point("allow", 3000, "deny").await;
    let email = unique_email("ext.allow");
    let (status, page) = s.details(&s.app.browser(), &email).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("enter_code"));
    let call = s.calls().pop().unwrap();
    assert!(call.signed_correctly(), "{call:?}");
    let body = call.json();
    assert_eq!(body["type"], "flow.step");
    assert_eq!(body["flowType"], "REGISTRATION");
    assert_eq!(body["step"], "check");
    assert_eq!(body["requestId"], call.id.as_str());
    assert_eq!(
        body["attributes"],
        json!({"email": email, "given_name": "Ada"})
    );
    let raw = String::from_utf8_lossy(&call.body).into_owned();
    assert!(
        !raw.contains(GOOD_PASSWORD) && !raw.contains("Lovelace"),
        "{raw}"
    );
    let age =
        time::OffsetDateTime::now_utc().unix_timestamp() - call.timestamp.parse::<i64>().unwrap();
    assert!((0..60).contains(&age), "{age}");

    // Deny beside a field: the same form, the message beside the address, values kept.
    s.point("deny-field", 3000, "deny").await;
    let browser = s.app.browser();
    let (status, page) = s.details(&browser, &unique_email("ext.deny")).await;
    assert_ne!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("details"));
    assert_eq!(
        page.field_error("email").as_deref(),
        Some("Error: Use your work address."),
        "{}",
        page.html
    );
    assert_eq!(page.attr("#given_name", "value").as_deref(), Some("Ada"));

    // A message that names a text of the catalogue is shown in the person's language.
    s.point("deny-key", 3000, "deny").await;
    let mut french = s.app.browser();
    french.accept_language = Some("fr".into());
    let (_, page) = s.details(&french, &unique_email("ext.cle")).await;
    assert!(
        page.html.contains("Impossible de continuer."),
        "{}",
        page.html
    );

    // Modify: the attribute it may set is set, the other is left alone.
    s.point("modify", 3000, "deny").await;
    let email = unique_email("ext.modify");
    let browser = s.app.browser();
    let (_, page) = s.details(&browser, &email).await;
    assert_eq!(page.step().as_deref(), Some("enter_code"), "{}", page.html);
    let code = s.app.last_mail(&email, 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE);
    let user = s
        .app
        .store()
        .await
        .user_by_email(&email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.attributes.get("department").map(String::as_str),
        Some("Research")
    );
    assert_eq!(
        user.attributes.get("given_name").map(String::as_str),
        Some("Ada")
    );
}

#[tokio::test]
async fn a_call_that_fails_applies_its_policy_and_keeps_what_was_typed() {
    let s = Setup::new(true).await;
    for path in ["slow", "fail", "redirect", "huge"] {
        // Deny: the same form with a message to try again, what was typed kept.
        s.point(path, 300, "deny").await;
        let started = std::time::Instant::now();
        let (status, page) = s.details(&s.app.browser(), &unique_email("ext.fail")).await;
        assert_ne!(status, StatusCode::SEE_OTHER, "{path}: {}", page.html);
        assert!(
            page.html.contains("We could not check this right now."),
            "{path}: {}",
            page.html
        );
        assert_eq!(page.attr("#given_name", "value").as_deref(), Some("Ada"));
        assert!(
            started.elapsed() < Duration::from_millis(1400),
            "{path}: {:?}",
            started.elapsed()
        );

        // Allow: the journey goes on as if it had said yes.
        s.point(path, 300, "allow").await;
        let (status, page) = s.details(&s.app.browser(), &unique_email("ext.pass")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {}", page.html);
        assert_eq!(page.step().as_deref(), Some("enter_code"));
    }
    // The redirect was not followed: the receiver saw each call once, nothing else.
    let calls = s.calls();
    assert!(calls.iter().all(|c| c.signed_correctly()));
    for path in ["slow", "fail", "redirect", "huge"] {
        assert_eq!(calls.iter().filter(|c| c.path == path).count(), 2, "{path}");
    }
    assert_eq!(calls.len(), 8);
    let audit = s.app.store().await.recent_audit(100).await.unwrap();
    let failed: Vec<String> = audit
        .iter()
        .filter(|e| e.action == "extension.failed")
        .map(|e| e.detail.to_string())
        .collect();
    assert_eq!(failed.len(), 8, "{failed:?}");
    for why in [
        "no answer within",
        "answered 500",
        "answered 302",
        "larger than",
    ] {
        assert!(failed.iter().any(|d| d.contains(why)), "{why}: {failed:?}");
    }
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let s = Setup::new(false).await;
    let engine = s.app.engine().await;
    // An address that is plainly private is refused when it is registered…
    let refused = engine
        .add_extension(
            &NewExtension {
                name: "crm".into(),
                url: "https://127.0.0.1:8443/hook".into(),
                ..NewExtension::default()
            },
            &Actor::cli(),
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(refused.field, "url");
    // …and a name that resolves to one is refused when it is called, before connecting.
    let port = s.base.rsplit(':').next().unwrap();
    let made = engine
        .add_extension(
            &NewExtension {
                name: "crm".into(),
                url: format!("https://localhost:{port}/allow"),
                on_failure: "allow".into(),
                ..NewExtension::default()
            },
            &Actor::cli(),
        )
        .await
        .unwrap()
        .unwrap();
    let secret = made.expect("Flows made the secret and shows it once");
    assert!(secret.starts_with("whsec_"));
    let listed = engine.extensions(&Actor::cli()).await.unwrap();
    assert!(
        !format!("{listed:?}").contains(&secret),
        "never shown again"
    );
    let (status, _) = s.details(&s.app.browser(), &unique_email("ext.ssrf")).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the allow policy let it through"
    );
    assert!(s.calls().is_empty(), "nothing reached the local service");
    let audit = s.app.store().await.recent_audit(20).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "extension.failed"
            && e.detail.to_string().contains("not a public address")),
        "{audit:?}"
    );
    // The stored secret is sealed: the table holds no usable copy.
    let store = s.app.store().await;
    let rows = store.extensions().await.unwrap();
    assert!(rows.iter().all(|r| !r.secret_sealed.contains(&secret[6..])));
}

/// The receiver of docs/EXTENSIONS.md, run as written against a call Flows really made.
#[tokio::test]
async fn the_documented_receiver_verifies_a_real_call() {
    let s = Setup::new(true).await;
    s.point("allow", 3000, "deny").await;
    s.details(&s.app.browser(), &unique_email("ext.doc")).await;
    let call = s.calls().pop().unwrap();
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/EXTENSIONS.md"))
        .unwrap();
    let script = doc
        .split("```python\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a python block in docs/EXTENSIONS.md");
    let run = |signature: &str| {
        let mut child = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .env("WEBHOOK_SECRET", SECRET)
            .env("WEBHOOK_ID", &call.id)
            .env("WEBHOOK_TIMESTAMP", &call.timestamp)
            .env("WEBHOOK_SIGNATURE", signature)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), &call.body).unwrap();
        child.wait_with_output().unwrap()
    };
    let good = run(&call.signature);
    assert!(good.status.success(), "{good:?}");
    assert_eq!(String::from_utf8_lossy(&good.stdout).trim(), "verified");
    let forged = run("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    assert!(!forged.status.success(), "{forged:?}");
}

#[tokio::test]
async fn events_after_the_fact_are_signed_retried_under_one_id_and_delivered() {
    let s = Setup::with(Options {
        smtp: true,
        extension_allow_private: true,
        outbox_retry_base_ms: Some(50),
        ..Options::default()
    })
    .await;
    s.point("allow", 3000, "deny").await;
    let events = [
        "flow.completed",
        "user.created",
        "user.recovered",
        "invitation.sent",
    ];
    s.register("hooks", &format!("{}/flaky", s.base), 3000, "deny", &events)
        .await;

    // A registration (account created, flow completed) and an invitation.
    let email = unique_email("ext.events");
    let browser = s.app.browser();
    let (_, page) = s.details(&browser, &email).await;
    let code = s.app.last_mail(&email, 1).await.code();
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE);
    let invited = unique_email("ext.invited");
    s.app.invite(&invited, Default::default(), "Grace").await;

    // Each event is tried three times (two 503s, then taken), under one id and one body.
    let calls = s.wait_for("flaky", 9).await;
    let mut ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{calls:?}");
    let mut types = Vec::new();
    for id in ids {
        let attempts: Vec<&Received> = calls.iter().filter(|c| c.id == id).collect();
        assert_eq!(attempts.len(), 3, "{id}");
        assert!(attempts.iter().all(|a| a.body == attempts[0].body));
        assert!(attempts.iter().all(|a| a.signed_correctly()));
        let body = attempts[0].json();
        let raw = String::from_utf8_lossy(&attempts[0].body).into_owned();
        assert!(
            !raw.contains(GOOD_PASSWORD) && !raw.contains(&code),
            "{raw}"
        );
        match body["type"].as_str().unwrap() {
            "user.created" => {
                assert_eq!(body["data"]["email"], email.as_str());
                assert_eq!(body["data"]["status"], "ACTIVE");
            }
            "invitation.sent" => assert_eq!(body["data"]["email"], invited.as_str()),
            "flow.completed" => assert_eq!(body["data"]["flowType"], "REGISTRATION"),
            other => panic!("{other}"),
        }
        types.push(body["type"].as_str().unwrap().to_owned());
    }
    types.sort();
    assert_eq!(types, ["flow.completed", "invitation.sent", "user.created"]);
    assert!(
        s.calls().iter().filter(|c| c.path == "allow").count() == 1,
        "the step's own call is no event"
    );
}

#[tokio::test]
async fn a_delivery_given_up_after_a_day_is_shown_and_sent_again_by_an_owner() {
    let s = Setup::with(Options {
        smtp: true,
        extension_allow_private: true,
        outbox_retry_base_ms: Some(50),
        manual_clock: true,
        ..Options::default()
    })
    .await;
    s.receiver
        .down
        .store(true, std::sync::atomic::Ordering::SeqCst);
    s.point("allow", 3000, "deny").await;
    s.register(
        "hooks",
        &format!("{}/switch", s.base),
        3000,
        "deny",
        &["user.created"],
    )
    .await;
    // Through the server itself, whose clock the test moves.
    let email = unique_email("ext.later");
    let browser = s.app.browser();
    let (_, page) = s.details(&browser, &email).await;
    let code = s.app.last_mail(&email, 1).await.code();
    browser.press(&page, "verify", &[("otp", &code)]).await;
    // The server's clock stands still: one attempt now, the next once it moves.
    s.wait_for("switch", 1).await;
    let engine = s.app.engine().await;
    assert!(
        engine
            .failed_deliveries(10, &Actor::cli())
            .await
            .unwrap()
            .is_empty()
    );

    // A day on, the next failure is the last: the delivery is kept as failed.
    s.app.advance(time::Duration::hours(25));
    let mut failed = Vec::new();
    for _ in 0..200 {
        failed = engine.failed_deliveries(10, &Actor::cli()).await.unwrap();
        if !failed.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(failed.len(), 1, "given up after a day");
    assert_eq!(failed[0].extension, "hooks");
    assert_eq!(failed[0].event_type, "user.created");
    assert!(failed[0].last_error.contains("500"), "{:?}", failed[0]);

    // The receiver is back; an owner sends it again, under the same id.
    s.receiver
        .down
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let before = s.wait_for("switch", 1).await.len();
    assert!(
        engine
            .resend_delivery(&failed[0].id, &Actor::cli())
            .await
            .unwrap()
    );
    assert!(
        !engine
            .resend_delivery(&failed[0].id, &Actor::cli())
            .await
            .unwrap(),
        "once"
    );
    let calls = s.wait_for("switch", before + 1).await;
    assert_eq!(calls.last().unwrap().id, failed[0].id);
    assert!(
        engine
            .failed_deliveries(10, &Actor::cli())
            .await
            .unwrap()
            .is_empty()
    );
    let audit = s.app.store().await.recent_audit(20).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "extension.event_resent"));
}

/// Kill the server while an event waits for a receiver that is down: the next server on the
/// same database delivers it, once, under the id it always had.
#[tokio::test]
async fn an_event_queued_before_a_kill_is_delivered_by_the_next_server() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database_url(dir.path()).await;
    let receiver = Receiver::default();
    receiver
        .down
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let base = start_receiver(&receiver);
    let env = [
        ("FLOWS_EXTENSION_ALLOW_PRIVATE", "true"),
        ("FLOWS_OUTBOX_RETRY_BASE_MS", "50"),
        ("FLOWS_OUTBOX_LEASE_MS", "1000"),
    ];
    let smtp = "smtp://127.0.0.1:9";
    let first = crate::outbox::Server::start_with(&database, smtp, &env).await;
    // The port takes connections before the migrations are done; the health check waits.
    for _ in 0..200 {
        let health = reqwest::get(format!("{}/healthz", first.address)).await;
        if health.is_ok_and(|h| h.status() == StatusCode::OK) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let settings = flows::config::Settings {
        database_url: database.clone(),
        extension_allow_private: true,
        ..flows::config::Settings::default()
    };
    let engine = flows::startup::Application::engine_only(&settings)
        .await
        .unwrap();
    let added = engine
        .add_extension(
            &NewExtension {
                name: "hooks".into(),
                url: format!("{base}/switch"),
                secret: SECRET.into(),
                events: vec!["invitation.sent".into()],
                ..NewExtension::default()
            },
            &Actor::cli(),
        )
        .await
        .unwrap();
    assert_eq!(added, Ok(None));
    engine
        .invite(
            &unique_email("ext.kill"),
            Default::default(),
            "Grace",
            flows::i18n::Locale::default(),
        )
        .await
        .unwrap();
    let calls = || receiver.calls.lock().unwrap().clone();
    for _ in 0..200 {
        if calls().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(calls().len() >= 2, "tried while the receiver was down");
    first.kill();

    receiver
        .down
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let before = calls().len();
    let _second = crate::outbox::Server::start_with(&database, smtp, &env).await;
    // A delivery the killed server had claimed waits for its lease (at least 12 s) to end.
    for _ in 0..400 {
        if calls().len() > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let all = calls();
    let after = &all[before..];
    assert_eq!(
        after.len(),
        1,
        "delivered once after the restart: {after:?}"
    );
    assert_eq!(after[0].id, all[0].id, "under the id it always had");
    assert!(after[0].signed_correctly());
    assert_eq!(after[0].json()["type"], "invitation.sent");
}

/// The execution API meets the same extension as the pages: a deny comes back as a message
/// on the field, the flow still on its view; an allow goes on.
#[tokio::test]
async fn clients_of_the_execution_api_meet_the_same_answers() {
    let s = Setup::new(true).await;
    let api = crate::api::Api::new(&s.app);
    s.point("deny-field", 3000, "deny").await;
    let view = api.start("REGISTRATION").await;
    let email = unique_email("ext.api");
    let again = api
        .press(&view, "continue", crate::api::details(&email))
        .await;
    assert_eq!(again["flowStatus"], "INCOMPLETE", "{again}");
    assert_eq!(again["flowId"], view["flowId"]);
    let message = &again["data"]["messages"][0];
    assert_eq!(message["message"], "Use your work address.", "{again}");
    assert_eq!(message["i18nKey"], "error.extension_denied");
    assert_eq!(message["field"], "http://wso2.org/claims/emailaddress");

    s.point("allow", 3000, "deny").await;
    let next = api
        .press(&again, "continue", crate::api::details(&email))
        .await;
    assert!(
        crate::api::component_ids(&next).contains(&"otp".to_owned()),
        "{next}"
    );
    let call = s.calls().pop().unwrap();
    assert!(call.signed_correctly());
    assert_eq!(call.json()["attributes"]["email"], email.as_str());
}

/// Recovery asks the same way. Placed before the account is looked up, the call tells the
/// service nothing of whether one exists; its deny keeps what was typed.
#[tokio::test]
async fn a_recovery_asks_the_extension_too() {
    let s = Setup::new(true).await;
    s.app.publish(&with_call("recovery-otp", "resolve")).await;

    s.point("deny-key", 3000, "deny").await;
    let browser = s.app.browser();
    let page = browser.get("/recover").await;
    let (status, page) = browser
        .press(&page, "continue", &[("login", "someone@example.com")])
        .await;
    assert_ne!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert!(page.html.contains("This cannot go ahead."), "{}", page.html);
    assert_eq!(
        page.attr("#login", "value").as_deref(),
        Some("someone@example.com")
    );
    let call = s.calls().pop().unwrap();
    assert_eq!(call.json()["flowType"], "PASSWORD_RECOVERY");
    assert_eq!(
        call.json()["attributes"],
        json!({}),
        "no address is known yet"
    );
    assert!(call.signed_correctly());

    s.point("allow", 3000, "deny").await;
    let (status, page) = browser
        .press(&page, "continue", &[("login", "someone@example.com")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("enter_code"));
}
