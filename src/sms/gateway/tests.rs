//! The gateway against a real HTTP/1.1 responder started by each test.

use super::*;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const TO: &str = "+447400123456";
const TEXT: &str = "Your code is 123456 & more: a=b+c {to} é\n\"quoted\" back\\slash";

#[derive(Clone, Debug)]
struct Seen {
    /// Request line and header lines, without the blank line.
    head: Vec<String>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.iter().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// A gateway of the test's own on 127.0.0.1 noting each request; `status` None: it
/// reads the request and never answers.
async fn gateway(status: Option<u16>, delay: Duration) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let noted = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let noted = noted.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(tcp);
                let mut head = Vec::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push(line.trim_end().to_owned());
                }
                let mut seen = Seen {
                    head,
                    body: Vec::new(),
                };
                let length = seen.header("content-length").and_then(|l| l.parse().ok());
                seen.body = vec![0; length.unwrap_or(0)];
                reader.read_exact(&mut seen.body).await.unwrap();
                noted.lock().unwrap().push(seen);
                let Some(status) = status else {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    return;
                };
                tokio::time::sleep(delay).await;
                let answer = format!("{{\"status\":{status},\"message\":\"as asked\"}}");
                let response = format!(
                    "HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = reader.get_mut().write_all(response.as_bytes()).await;
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

fn twilio(url: &str) -> Settings {
    Settings {
        sms_gateway_url: format!("{url}/2010-04-01/Accounts/AC123/Messages.json"),
        sms_gateway_preset: "Twilio".into(),
        sms_gateway_user: "AC123".into(),
        sms_gateway_password: Some(SecretString::from("secret")),
        sms_from: "Flows".into(),
        ..Default::default()
    }
}

fn json(url: &str) -> Settings {
    Settings {
        sms_gateway_url: format!("{url}/send?account=7"),
        sms_gateway_body: r#"{"to":"{to}","text":"{body}","sender":"{from}"}"#.into(),
        sms_gateway_token: Some(SecretString::from("tok-en")),
        sms_gateway_headers: r#"{"X-Api-Version":"3"}"#.into(),
        sms_from: "Flows".into(),
        ..Default::default()
    }
}

fn build(settings: &Settings) -> Gateway {
    Gateway::from_settings(settings).unwrap().unwrap()
}

/// Sends `text` through a gateway answering 2xx and returns what it received.
async fn sent(settings: impl Fn(&str) -> Settings, text: &str) -> (Gateway, Seen) {
    let (url, seen) = gateway(Some(201), Duration::ZERO).await;
    let gateway = build(&settings(&url));
    gateway.send(TO, text).await.unwrap();
    let seen = seen.lock().unwrap()[0].clone();
    (gateway, seen)
}

#[tokio::test]
async fn twilio_preset_posts_a_form_with_basic_auth() {
    let (gateway, seen) = sent(twilio, TEXT).await;
    assert_eq!(
        seen.head[0],
        "POST /2010-04-01/Accounts/AC123/Messages.json HTTP/1.1"
    );
    assert_eq!(seen.header("content-type").unwrap(), FORM);
    let basic = base64::engine::general_purpose::STANDARD.encode("AC123:secret");
    assert_eq!(
        seen.header("authorization").unwrap(),
        format!("Basic {basic}")
    );
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&seen.body)
        .into_owned()
        .collect();
    let expected =
        [("To", TO), ("From", "Flows"), ("Body", TEXT)].map(|(k, v)| (k.into(), v.into()));
    assert_eq!(form, expected);
    assert!(
        gateway
            .describe()
            .ends_with("/2010-04-01/Accounts/AC123/Messages.json (twilio)")
    );
}

#[tokio::test]
async fn json_template_with_bearer_token_and_extra_header() {
    let (_, seen) = sent(json, TEXT).await;
    assert_eq!(seen.head[0], "POST /send?account=7 HTTP/1.1");
    assert_eq!(seen.header("content-type").unwrap(), JSON);
    assert_eq!(seen.header("authorization").unwrap(), "Bearer tok-en");
    assert_eq!(seen.header("x-api-version").unwrap(), "3");
    let value: serde_json::Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"to": TO, "text": TEXT, "sender": "Flows"})
    );
}

#[tokio::test]
async fn get_puts_the_template_in_the_query() {
    let get = |url: &str| Settings {
        sms_gateway_url: format!("{url}/api?key=k"),
        sms_gateway_method: "get".into(),
        ..Default::default()
    };
    let (_, seen) = sent(get, "a&b").await;
    assert_eq!(
        seen.head[0],
        "GET /api?key=k&to=%2B447400123456&from=&body=a%26b HTTP/1.1"
    );
    assert!(seen.body.is_empty());
}

#[tokio::test]
async fn statuses_are_permanent_or_temporary() {
    let permanent = [400, 404, 302, 418].map(|s| (s, false));
    let temporary = [408, 429, 500, 503].map(|s| (s, true));
    for (status, temporary) in permanent.into_iter().chain(temporary) {
        let (url, _) = gateway(Some(status), Duration::ZERO).await;
        let why = match build(&json(&url)).send(TO, "code 123456").await {
            Err(SendError::Temporary(why)) if temporary => why,
            Err(SendError::Permanent(why)) if !temporary => why,
            other => panic!("{status}: {other:?}"),
        };
        // The answer says why; the request, which holds the code, is never quoted.
        assert!(why.contains(&status.to_string()), "{why}");
        assert!(why.contains("as asked") && !why.contains("123456"), "{why}");
    }
}

#[tokio::test]
async fn success_list_decides_what_is_sent() {
    let (url, _) = gateway(Some(202), Duration::ZERO).await;
    let mut settings = json(&url);
    settings.sms_gateway_success = "200, 201".into();
    let refused = build(&settings).send(TO, "hi").await;
    assert!(
        matches!(refused, Err(SendError::Permanent(_))),
        "{refused:?}"
    );
    settings.sms_gateway_success = "200,202-204".into();
    build(&settings).send(TO, "hi").await.unwrap();
}

#[tokio::test]
async fn a_silent_gateway_times_out() {
    let (url, _) = gateway(None, Duration::ZERO).await;
    let mut settings = json(&url);
    settings.sms_gateway_timeout_ms = 300;
    let started = Instant::now();
    let result = build(&settings).send(TO, "hi").await;
    assert!(started.elapsed() < Duration::from_millis(1500));
    match result {
        Err(SendError::Temporary(why)) => assert!(why.contains("no answer within"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slow_gateway_within_the_timeout_is_fine() {
    let (url, _) = gateway(Some(200), Duration::from_millis(500)).await;
    let mut settings = json(&url);
    settings.sms_gateway_timeout_ms = 3000;
    build(&settings).send(TO, "hi").await.unwrap();
}

#[tokio::test]
async fn a_refused_connection_is_temporary() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let result = build(&json(&format!("http://127.0.0.1:{port}")))
        .send(TO, "hi")
        .await;
    assert!(matches!(result, Err(SendError::Temporary(_))), "{result:?}");
}

#[test]
fn no_url_no_gateway() {
    assert!(
        Gateway::from_settings(&Settings::default())
            .unwrap()
            .is_none()
    );
}

#[test]
fn bad_configurations_name_the_setting_and_keep_secrets() {
    type Change = fn(&mut Settings);
    let cases: [(Change, &str); 13] = [
        (|s| s.sms_gateway_url = "ftp://secret@x/".into(), "URL"),
        (|s| s.sms_gateway_url = "https://u:secret@x/".into(), "URL"),
        (|s| s.sms_gateway_preset = "nexmo".into(), "PRESET"),
        (|s| s.sms_gateway_method = "PATCH".into(), "METHOD"),
        (|s| s.sms_gateway_password = None, "PASSWORD"),
        (|s| s.sms_gateway_token = Some("secret".into()), "TOKEN"),
        (|s| s.sms_gateway_headers = "{secret".into(), "HEADERS"),
        (
            |s| s.sms_gateway_headers = r#"{"X-Key":"secret\n"}"#.into(),
            "HEADERS",
        ),
        (
            |s| s.sms_gateway_headers = r#"{"Bad Name":"v"}"#.into(),
            "HEADERS",
        ),
        (|s| s.sms_gateway_success = "2xx".into(), "SUCCESS"),
        (|s| s.sms_gateway_success = "299-200".into(), "SUCCESS"),
        (|s| s.sms_gateway_body = "To={to}".into(), "BODY"),
        (|s| s.sms_gateway_timeout_ms = 0, "TIMEOUT_MS"),
    ];
    for (change, setting) in cases {
        let mut settings = twilio("http://127.0.0.1:9");
        change(&mut settings);
        let setting = format!("FLOWS_SMS_GATEWAY_{setting}");
        let Err(why) = Gateway::from_settings(&settings) else {
            panic!("accepted, expected an error on {setting}");
        };
        assert!(why.contains(&setting), "{setting}: {why}");
        assert!(!why.contains("secret"), "{why}");
    }
}

#[test]
fn without_a_preset_the_body_follows_the_content_type() {
    let with_type = |content_type: &str| {
        let gateway = build(&Settings {
            sms_gateway_url: "https://gw.example/send".into(),
            sms_gateway_content_type: content_type.into(),
            ..Default::default()
        });
        (gateway.0.template.clone(), gateway.0.content_type.clone())
    };
    assert_eq!(with_type(""), (JSON_BODY.into(), Some(JSON.into())));
    assert_eq!(with_type(FORM), (FORM_BODY.into(), Some(FORM.into())));
}

#[test]
fn describe_keeps_secrets() {
    let shown = build(&twilio("https://api.twilio.com")).describe();
    assert_eq!(
        shown,
        "gateway https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json (twilio)"
    );
    let mut settings = json("http://10.0.0.5:8080");
    settings.sms_gateway_url.push_str("&apikey=secret");
    let shown = build(&settings).describe();
    assert_eq!(shown, "gateway http://10.0.0.5:8080/send?…");
    assert!(!shown.contains("tok-en") && !shown.contains("secret"));
}

#[test]
fn fill_encodes_once_for_the_content_type() {
    assert_eq!(
        fill("{to}|{body}|{x}", Encoding::Raw, "+1", "", "{to}"),
        "+1|{to}|{x}"
    );
    assert_eq!(
        fill("b={body}", Encoding::Form, "", "", "a b&{to}"),
        "b=a+b%26%7Bto%7D"
    );
    assert_eq!(
        fill(r#""{body}""#, Encoding::Json, "", "", "\"\\\n"),
        r#""\"\\\n""#
    );
}
