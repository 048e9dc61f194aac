//! Text messages through an HTTP gateway (the Twilio preset) that the test runs: sent once,
//! retried while the gateway fails for a while, kept as failed when it refuses, and nothing
//! lost when it is down at the moment the code is asked for.

use crate::helpers::*;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use flows::config::Settings;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Form = Vec<(String, String)>;

#[derive(Clone, Default)]
struct Gateway {
    /// Each request's form body, decoded.
    received: Arc<Mutex<Vec<Form>>>,
    /// Answers 503 to this many requests before it takes one.
    fail_first: Arc<AtomicUsize>,
    /// Answers 400 to every request.
    refuses: Arc<std::sync::atomic::AtomicBool>,
}

async fn messages(req: HttpRequest, body: web::Bytes, gateway: web::Data<Gateway>) -> HttpResponse {
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // AC123:secret, as Twilio's account SID and auth token.
    if auth != "Basic QUMxMjM6c2VjcmV0" {
        return HttpResponse::Unauthorized().finish();
    }
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    gateway.received.lock().unwrap().push(form);
    if gateway.refuses.load(Ordering::SeqCst) {
        return HttpResponse::BadRequest()
            .body(r#"{"code": 21211, "message": "Invalid 'To' Phone Number"}"#);
    }
    if gateway
        .fail_first
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return HttpResponse::ServiceUnavailable().finish();
    }
    HttpResponse::Created().json(serde_json::json!({"sid": "SM1", "status": "queued"}))
}

fn start(gateway: &Gateway) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let data = web::Data::new(gateway.clone());
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).route(
            "/2010-04-01/Accounts/AC123/Messages.json",
            web::post().to(messages),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}/2010-04-01/Accounts/AC123/Messages.json")
}

async fn app_behind(url: String) -> TestApp {
    spawn_app_with(Options {
        outbox_retry_base_ms: Some(100),
        sms: Some(Box::new(move |s: &mut Settings| {
            s.sms_gateway_url = url.clone();
            s.sms_gateway_preset = "twilio".into();
            s.sms_gateway_user = "AC123".into();
            s.sms_gateway_password = Some("secret".into());
            s.sms_from = "+15005550006".into();
        })),
        ..Options::default()
    })
    .await
}

/// Asks for a code by text message in registration with phone verification.
async fn ask_for_a_text(app: &TestApp) {
    let mut def = template_json("registration-phone-otp");
    def["defaultRegion"] = serde_json::json!("GB");
    app.publish(&valid_definition(def)).await;
    let browser = app.browser();
    let page = browser.get("/register").await;
    let email = unique_email("sms.gateway");
    let mut fields = details("Ada", &email, GOOD_PASSWORD);
    fields.push(("phone", "07400 123456"));
    let (_, page) = browser.press(&page, "continue", &fields).await;
    assert_eq!(page.h1(), "Check your phone", "{}", page.html);
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen in time");
}

#[tokio::test]
async fn a_gateway_down_for_a_while_gets_the_text_once_it_is_back() {
    let gateway = Gateway::default();
    gateway.fail_first.store(2, Ordering::SeqCst);
    let app = app_behind(start(&gateway)).await;
    ask_for_a_text(&app).await;

    let received = gateway.received.clone();
    wait_for("three attempts", || received.lock().unwrap().len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = gateway.received.lock().unwrap().clone();
    assert_eq!(
        received.len(),
        3,
        "two refusals, then one delivery: {received:?}"
    );
    let form = &received[2];
    let value = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("To"), "+447400123456");
    assert_eq!(value("From"), "+15005550006");
    assert!(
        value("Body").contains("is your Flows verification code"),
        "{form:?}"
    );
    let counts = app.store().await.outbox_counts().await.unwrap();
    assert_eq!(counts, vec![("SENT".to_owned(), 1)], "the text, once");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("flows_sms_sent_total{kind=\"sms_otp\"}"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_text_the_gateway_refuses_is_kept_as_failed_and_not_retried() {
    let gateway = Gateway::default();
    gateway.refuses.store(true, Ordering::SeqCst);
    let app = app_behind(start(&gateway)).await;
    ask_for_a_text(&app).await;

    let received = gateway.received.clone();
    wait_for("one attempt", || !received.lock().unwrap().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        gateway.received.lock().unwrap().len(),
        1,
        "a 4xx is not retried"
    );
    let failed = app.store().await.failed_mail(10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].last_error.contains("21211"),
        "{:?}",
        failed[0].last_error
    );
    assert!(
        !failed[0].last_error.contains("verification code"),
        "the error never carries the message: {:?}",
        failed[0].last_error
    );
}
