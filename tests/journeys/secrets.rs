//! Secrets never leak: every kind of journey runs against the real binary with its log at
//! `trace`, and no password, code, link token, invitation code, session cookie, CSRF token,
//! administrator password or session key may then be found in the log, in any text of any
//! table (executions, audit log, outbox …), or in `/metrics`. Hashes of them are fine.

use crate::api::EXECUTE;
use crate::helpers::*;
use crate::outbox::{Server, free_port};
use flows::config::Settings;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// What the run produced that must stay secret.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn keep(&mut self, what: &str, value: impl Into<String>) {
        let value = value.into();
        assert!(
            value.len() >= 6,
            "{what} is too short to look for: {value:?}"
        );
        self.0.push((what.to_owned(), value));
    }

    /// Keeps the browser's session cookie and the CSRF token of `page`.
    fn keep_session(&mut self, what: &str, browser: &Browser, page: &Page) {
        if let Some(csrf) = page.attr("input[name=csrf_token]", "value") {
            self.keep(&format!("{what}: CSRF token"), csrf);
        }
        let cookies = browser.cookie_header().unwrap_or_default();
        for pair in cookies.split("; ") {
            if let Some(value) = pair.strip_prefix("flows_session=") {
                self.keep(&format!("{what}: session cookie"), value);
            }
        }
    }

    /// Every secret found in `text`, by what it was, with the first line that holds it.
    fn found_in(&self, text: &str) -> Vec<String> {
        self.0
            .iter()
            .filter_map(|(what, secret)| {
                let line = text.lines().find(|l| occurs(l, secret))?;
                let line: String = line.chars().take(400).collect();
                Some(format!("{what} ({secret}) in: {line}"))
            })
            .collect()
    }
}

/// Whether `secret` occurs in `text` as itself: a six-digit code only where no letter, digit
/// or dot touches it, since timestamps, durations and hashes are full of digit runs.
fn occurs(text: &str, secret: &str) -> bool {
    if !secret.bytes().all(|b| b.is_ascii_digit()) {
        return text.contains(secret);
    }
    let bytes = text.as_bytes();
    text.match_indices(secret).any(|(at, _)| {
        let joined = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.');
        !joined(at.checked_sub(1).and_then(|i| bytes.get(i)))
            && !joined(bytes.get(at + secret.len()))
    })
}

fn password(label: &str) -> String {
    format!("{label} passphrase {}", uuid::Uuid::new_v4().simple())
}

fn inbox() -> MailSource {
    let maildir = std::env::var("FLOWS_TEST_MAILDIR")
        .expect("FLOWS_TEST_MAILDIR is not set (see .ci/services.sh)");
    MailSource::Maildir(PathBuf::from(maildir).join("new"))
}

async fn wait_for_mail(to: &str, count: usize) -> Mail {
    for _ in 0..200 {
        let mails = mails_in(&inbox(), to);
        if mails.len() >= count {
            return mails.into_iter().last().expect("a mail");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{to} did not receive {count} mail(s) in time");
}

fn token_of(link: &str, key: &str) -> String {
    link.split(key).nth(1).expect("token").to_owned()
}

fn path_of_link(link: &str, server: &Server) -> String {
    link.trim_start_matches(&server.address).to_owned()
}

/// Opens an e-mailed link in `browser` and presses its confirm button.
async fn confirm(browser: &Browser, server: &Server, link: &str, secrets: &mut Secrets) -> Page {
    let landing = browser.get(&path_of_link(link, server)).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.html);
    secrets.keep_session("link landing", browser, &landing);
    let (_, page) = browser
        .post(
            "/link",
            &[
                ("csrf_token".into(), landing.csrf()),
                ("token".into(), token_of(link, "token=")),
            ],
        )
        .await;
    secrets.keep_session("link confirmed", browser, &page);
    page
}

/// Every text in every table of the database, one line per value.
async fn database_text(url: &str) -> String {
    use sqlx::Row;
    let mut out = String::new();
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("sqlite");
        let tables: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&pool)
                .await
                .expect("tables");
        assert!(tables.len() > 5, "{tables:?}");
        for (table,) in tables {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM \"{table}\"")))
                .fetch_all(&pool)
                .await
                .expect("rows");
            for row in rows {
                for i in 0..row.len() {
                    if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                        out.push_str(&format!("{table}: {text}\n"));
                    } else if let Ok(Some(bytes)) = row.try_get::<Option<Vec<u8>>, _>(i) {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        out.push_str(&format!("{table}: {text}\n"));
                    }
                }
            }
        }
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("postgres");
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
        .fetch_all(&pool)
        .await
        .expect("tables");
        assert!(tables.len() > 5, "{tables:?}");
        for (table,) in tables {
            // A whole row as text: every column, whatever its type.
            let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                // The names come from the catalogue, not from outside.
                "SELECT CAST(t AS text) FROM \"{table}\" AS t"
            )))
            .fetch_all(&pool)
            .await
            .expect("rows");
            for (row,) in rows {
                out.push_str(&format!("{table}: {row}\n"));
            }
        }
        pool.close().await;
    }
    out
}

fn json_details(email: &str, password: &str) -> Value {
    json!({
        "http://wso2.org/claims/givenname": "Ada",
        "http://wso2.org/claims/lastname": "Lovelace",
        "http://wso2.org/claims/emailaddress": email,
        "password": password,
        "terms": true,
    })
}

#[tokio::test]
async fn no_secret_reaches_the_trace_log_the_database_or_the_metrics() {
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("flows.log");
    let database = fresh_database_url(dir.path()).await;
    let smtp = std::env::var("FLOWS_TEST_SMTP_URL")
        .expect("FLOWS_TEST_SMTP_URL is not set: run the suite with `bash .ci/test`");
    let session_key = format!(
        "{}{}{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let admin_email = unique_email("secret.admin");
    let admin_password = password("admin");
    let mut secrets = Secrets::default();
    secrets.keep("session key", session_key.clone());
    secrets.keep("admin password", admin_password.clone());
    secrets.keep("metrics token", METRICS_TOKEN.to_owned());
    let port = free_port();
    let env = [
        ("FLOWS_LOG", "trace"),
        ("FLOWS_METRICS_TOKEN", METRICS_TOKEN),
        ("FLOWS_SESSION_KEY", session_key.as_str()),
        ("FLOWS_ADMIN_EMAIL", admin_email.as_str()),
        ("FLOWS_ADMIN_PASSWORD", admin_password.as_str()),
        ("FLOWS_OUTBOX_POLL_MS", "50"),
        ("FLOWS_RATE_LIMIT_PER_MINUTE", "0"),
    ];
    let server = Server::start_on(port, &database, &smtp, &env, Some(&log)).await;

    // Registration with a code.
    let person = unique_email("secret.code");
    let first_password = password("first");
    secrets.keep("registration password", first_password.clone());
    let browser = Browser::new(&server.address);
    let page = browser.get("/register").await;
    secrets.keep_session("registration", &browser, &page);
    let (_, page) = browser
        .press(&page, "continue", &details("Ada", &person, &first_password))
        .await;
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    let code = wait_for_mail(&person, 1).await.code();
    secrets.keep("registration code", code.clone());
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), DONE);
    secrets.keep_session("registered", &browser, &page);

    // Recovery by link.
    let second_password = password("second");
    secrets.keep("recovery password (link)", second_password.clone());
    let browser = Browser::new(&server.address);
    let page = browser.get("/recover").await;
    secrets.keep_session("recovery", &browser, &page);
    let (_, page) = browser
        .press(&page, "continue", &[("login", &person)])
        .await;
    assert_eq!(page.h1(), CODE_PAGE);
    let link = wait_for_mail(&person, 2).await.link();
    secrets.keep("recovery link token", token_of(&link, "token="));
    let page = confirm(&browser, &server, &link, &mut secrets).await;
    assert_eq!(page.h1(), "Choose a new password", "{}", page.html);
    let (_, page) = browser
        .press(&page, "save", &[("password", &second_password)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");
    secrets.keep_session("recovered", &browser, &page);

    // Admin sign-in, then an invitation sent from the console and accepted.
    let admin = Browser::new(&server.address);
    let login = admin.get("/admin/login").await;
    secrets.keep_session("console sign-in", &admin, &login);
    let (status, home) = admin
        .post(
            "/admin/login",
            &[
                ("csrf_token".into(), login.csrf()),
                ("email".into(), admin_email.clone()),
                ("password".into(), admin_password.clone()),
                ("next".into(), "/admin".into()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", home.html);
    assert_eq!(home.h1(), "Console");
    secrets.keep_session("console", &admin, &home);
    let invited = unique_email("secret.invited");
    invite(&server, &database, &session_key, &invited).await;
    let link = wait_for_mail(&invited, 1).await.invitation_link();
    secrets.keep("invitation code", token_of(&link, "code="));
    let third_password = password("third");
    secrets.keep("invited password", third_password.clone());
    let browser = Browser::new(&server.address);
    let page = browser.get(&path_of_link(&link, &server)).await;
    assert_eq!(page.h1(), "You are invited", "{}", page.html);
    secrets.keep_session("invitation", &browser, &page);
    let (_, page) = browser
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Grace"),
                ("password", &third_password),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(page.h1(), DONE, "{}", page.html);
    secrets.keep_session("accepted", &browser, &page);

    // Registration with a code over the API.
    let api_person = unique_email("secret.api");
    let api_password = password("api");
    secrets.keep("API password", api_password.clone());
    let client = reqwest::Client::new();
    let call = |body: Value| {
        let client = client.clone();
        let url = format!("{}{EXECUTE}", server.address);
        async move {
            let answer: Value = client
                .post(url)
                .json(&body)
                .send()
                .await
                .expect("POST")
                .json()
                .await
                .expect("JSON");
            answer
        }
    };
    let first = call(json!({"flowType": "REGISTRATION"})).await;
    let flow_id = first["flowId"].clone();
    let view = call(json!({"flowId": flow_id, "actionId": "continue",
        "inputs": json_details(&api_person, &api_password)}))
    .await;
    assert_eq!(view["type"], "VIEW", "{view}");
    let code = wait_for_mail(&api_person, 1).await.code();
    secrets.keep("API code", code.clone());
    let done =
        call(json!({"flowId": flow_id, "actionId": "verify", "inputs": {"otp": code}})).await;
    assert_eq!(done["flowStatus"], "COMPLETE", "{done}");

    // The other templates: registration by link, recovery by code.
    server.kill();
    let settings = Settings {
        database_url: database.clone(),
        session_key: Some(SecretString::from(session_key.clone())),
        ..Settings::default()
    };
    publish_template(&settings, "registration-magic-link").await;
    publish_template(&settings, "recovery-otp").await;
    let server = Server::start_on(port, &database, &smtp, &env, Some(&log)).await;

    let linked = unique_email("secret.link");
    let fourth_password = password("fourth");
    secrets.keep("registration password (link)", fourth_password.clone());
    let browser = Browser::new(&server.address);
    let page = browser.get("/register").await;
    secrets.keep_session("registration by link", &browser, &page);
    let (_, page) = browser
        .press(
            &page,
            "continue",
            &details("Ada", &linked, &fourth_password),
        )
        .await;
    assert_eq!(page.step().as_deref(), Some("check_email"), "{}", page.html);
    let link = wait_for_mail(&linked, 1).await.link();
    secrets.keep("registration link token", token_of(&link, "token="));
    let page = confirm(&Browser::new(&server.address), &server, &link, &mut secrets).await;
    assert_eq!(page.h1(), DONE, "{}", page.html);

    let fifth_password = password("fifth");
    secrets.keep("recovery password (code)", fifth_password.clone());
    let browser = Browser::new(&server.address);
    let page = browser.get("/recover").await;
    secrets.keep_session("recovery by code", &browser, &page);
    let (_, page) = browser
        .press(&page, "continue", &[("login", &person)])
        .await;
    assert_eq!(page.h1(), CODE_PAGE);
    let code = wait_for_mail(&person, 4).await.code();
    secrets.keep("recovery code", code.clone());
    let (_, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(page.h1(), "Choose a new password", "{}", page.html);
    let (_, page) = browser
        .press(&page, "save", &[("password", &fifth_password)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed");
    secrets.keep_session("recovered by code", &browser, &page);

    let metrics = metrics_text(&server.address).await;
    assert!(metrics.contains("flows_executions_started_total"));
    server.kill();

    // Hashes are fine; the secrets themselves are nowhere.
    let log = std::fs::read_to_string(&log).expect("log");
    assert!(
        log.lines().count() > 100 && log.contains("TRACE"),
        "the log is not at trace: {} lines",
        log.lines().count()
    );
    let stored = database_text(&database).await;
    assert!(
        stored.contains(&person.to_lowercase()),
        "the dump reads the users"
    );
    let found: Vec<String> = [
        ("the trace log", &log),
        ("the database", &stored),
        ("/metrics", &metrics),
    ]
    .into_iter()
    .flat_map(|(place, text)| {
        secrets
            .found_in(text)
            .into_iter()
            .map(move |f| format!("{place}: {f}"))
    })
    .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert!(secrets.0.len() > 30, "{} secrets", secrets.0.len());
}

/// Invites `email` as an administrator would, from an engine on the server's database.
async fn invite(server: &Server, database: &str, session_key: &str, email: &str) {
    let settings = Settings {
        database_url: database.to_owned(),
        public_url: server.address.clone(),
        session_key: Some(SecretString::from(session_key.to_owned())),
        ..Settings::default()
    };
    let engine = flows::startup::Application::engine_only(&settings)
        .await
        .expect("engine");
    engine
        .invite(
            email,
            Default::default(),
            "Grace Hopper",
            flows::i18n::Locale::default(),
        )
        .await
        .expect("invitation");
}

#[test]
fn a_code_is_found_alone_but_not_inside_a_longer_number() {
    assert!(occurs("otp=123456 ok", "123456"));
    assert!(occurs("\"123456\"", "123456"));
    assert!(!occurs("2026-11-30T17:05:31.123456Z", "123456"));
    assert!(!occurs("a0123456b", "123456"));
    assert!(occurs("a secret phrase", "secret"));
}
