//! Test harness: `spawn_app()` starts the real server on port 0 with its own database and
//! mail folder; `Browser` is a cookie-keeping HTTP client that reads pages like a person.
//!
//! The database is a fresh SQLite file, or with `FLOWS_TEST_BACKEND=postgres` a fresh
//! database of its own on the PostgreSQL test server (`FLOWS_TEST_POSTGRES_URL`): `.ci/test`
//! runs the journeys once on each.

#![allow(dead_code)]

use flows::clock::{Clock, ManualClock, SystemClock};
use flows::config::Settings;
use flows::engine::{Engine, starter};
use flows::startup::{Application, open_store};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[path = "../../src/store/test_databases.rs"]
mod test_databases;

/// Which backend the journeys run on: `FLOWS_TEST_BACKEND`, `sqlite` (the default) or
/// `postgres`. Anything else fails the test rather than quietly testing SQLite.
pub fn test_backend() -> &'static str {
    match std::env::var("FLOWS_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => "sqlite",
        Ok("postgres") => "postgres",
        Ok(other) => panic!("FLOWS_TEST_BACKEND={other:?}: expected sqlite or postgres"),
    }
}

/// A fresh database on the backend under test: a SQLite file in `dir`, or a database of its
/// own on the PostgreSQL test server.
pub async fn fresh_database_url(dir: &Path) -> String {
    match test_backend() {
        "postgres" => fresh_postgres_url().await,
        _ => format!("sqlite://{}", dir.join("flows.db").display()),
    }
}

/// A fresh database of its own on the PostgreSQL test server, whatever the backend under
/// test; its URL. Fails when `FLOWS_TEST_POSTGRES_URL` is not set.
pub async fn fresh_postgres_url() -> String {
    test_databases::fresh_postgres_url().await
}

pub struct TestApp {
    pub address: String,
    /// The operators' listener (`Options::admin_listen`), as `http://127.0.0.1:PORT`.
    pub operator_address: Option<String>,
    pub settings: Settings,
    pub dir: tempfile::TempDir,
    pub mail: MailSource,
    pub clock: Option<Arc<ManualClock>>,
    /// The running server's own engine (`TestApp::notice_changes`).
    server: Engine,
}

/// Where the test reads mail from: the default `.eml` folder, or a real SMTP server's Maildir.
#[derive(Clone)]
pub enum MailSource {
    Folder(PathBuf),
    Maildir(PathBuf),
}

/// Changes a test makes to the server's settings before it starts.
pub type SettingsEdit = Box<dyn Fn(&mut Settings) + Send>;

#[derive(Default)]
pub struct Options {
    pub manual_clock: bool,
    /// Serve the operators' listener (`FLOWS_ADMIN_LISTEN`) on a port of its own.
    pub admin_listen: bool,
    /// No `FLOWS_METRICS_TOKEN` (as by default in production); tests have one otherwise.
    pub without_metrics_token: bool,
    pub smtp: bool,
    pub resend_interval_seconds: Option<i64>,
    pub template: Option<&'static str>,
    /// Form posts per address per minute; burst 5 when set.
    pub rate_limit_per_minute: Option<u32>,
    /// A private SMTP server (its URL and Maildir), instead of the shared sink.
    pub smtp_server: Option<(String, PathBuf)>,
    pub outbox_retry_base_ms: Option<u64>,
    /// A database of the test's own choosing instead of a fresh one.
    pub database_url: Option<String>,
    /// The public URL links and cookies are made for, when not the server's own address.
    pub public_url: Option<String>,
    /// Proxies whose `X-Forwarded-For` is believed (`FLOWS_TRUSTED_PROXIES`).
    pub trusted_proxies: Option<&'static str>,
    /// Hashing threads, the hashes that may wait for them, and Argon2id's iterations.
    pub hashing: Option<(usize, usize, u32)>,
    /// The hosted forms' minimum fill time. Unset: 0, since tests send a form back the
    /// moment they have read it, faster than the default allows a person.
    pub form_min_fill_ms: Option<u64>,
    /// Extensions may be on private addresses and plain http (`FLOWS_EXTENSION_ALLOW_PRIVATE`).
    pub extension_allow_private: bool,
    /// Self-registration refuses disposable mail domains.
    pub refuse_disposable_email: bool,
    /// The breached-password range API (`FLOWS_BREACHED_PASSWORDS_URL`) and its CA file.
    pub breached_passwords: Option<(String, Option<String>)>,
    /// Settings of the `FLOWS_SMS_*` family, by field, over the test defaults.
    pub sms: Option<SettingsEdit>,
    /// How often console changes saved by other instances are looked for
    /// (`FLOWS_CONSOLE_REFRESH_MS`).
    pub console_refresh_ms: Option<u64>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let address = format!("http://127.0.0.1:{port}");
    let mut settings = Settings {
        listen: listener.local_addr().expect("addr"),
        public_url: address.clone(),
        database_url: match options.database_url.clone() {
            Some(url) => url,
            None => fresh_database_url(dir.path()).await,
        },
        mail_dir: dir.path().join("mail"),
        sms_dir: dir.path().join("sms"),
        outbox_poll_ms: 50,
        workers: 2,
        log: "warn".into(),
        form_min_fill_ms: options.form_min_fill_ms.unwrap_or(0),
        // The suite runs many servers at once on two cores, all busy: hashing threads at a
        // lower priority would wait on the other tests' request workers, not their own. The
        // priority is measured where it matters, by the load bench (README "Overload").
        hash_nice: 0,
        admin_listen: options
            .admin_listen
            .then(|| std::net::SocketAddr::from(([127, 0, 0, 1], 0))),
        metrics_token: (!options.without_metrics_token).then(|| METRICS_TOKEN.into()),
        refuse_disposable_email: options.refuse_disposable_email,
        extension_allow_private: options.extension_allow_private,
        breached_passwords_url: options
            .breached_passwords
            .as_ref()
            .map(|(url, _)| url.clone())
            .unwrap_or_default(),
        breached_passwords_ca: options
            .breached_passwords
            .as_ref()
            .and_then(|(_, ca)| ca.clone())
            .unwrap_or_default(),
        ..Settings::default()
    };
    if let Some(limit) = options.rate_limit_per_minute {
        settings.rate_limit_per_minute = limit;
        settings.rate_limit_burst = 5;
    }
    if let Some(s) = options.resend_interval_seconds {
        settings.resend_interval_seconds = s;
    }
    if let Some(proxies) = options.trusted_proxies {
        settings.trusted_proxies = proxies.into();
    }
    if let Some((threads, queue, iterations)) = options.hashing {
        settings.hash_concurrency = threads;
        settings.hash_queue = queue;
        settings.argon2.iterations = iterations;
    }
    if let Some(url) = options.public_url {
        settings.public_url = url;
    }
    if let Some(sms) = &options.sms {
        sms(&mut settings);
    }
    if let Some(ms) = options.outbox_retry_base_ms {
        settings.outbox_retry_base_ms = ms;
    }
    if let Some(ms) = options.console_refresh_ms {
        settings.console_refresh_ms = ms;
    }
    let mail = if let Some((url, maildir)) = options.smtp_server {
        settings.smtp_url = Some(url);
        MailSource::Maildir(maildir.join("new"))
    } else if options.smtp {
        let url = std::env::var("FLOWS_TEST_SMTP_URL")
            .expect("FLOWS_TEST_SMTP_URL is not set: run the suite with `bash .ci/test`, which starts the SMTP sink");
        let maildir = std::env::var("FLOWS_TEST_MAILDIR")
            .expect("FLOWS_TEST_MAILDIR is not set (see .ci/services.sh)");
        settings.smtp_url = Some(url);
        MailSource::Maildir(PathBuf::from(maildir).join("new"))
    } else {
        MailSource::Folder(settings.mail_dir.clone())
    };
    let manual = options
        .manual_clock
        .then(|| Arc::new(ManualClock::new(time::OffsetDateTime::now_utc())));
    let clock: Arc<dyn Clock> = match &manual {
        Some(m) => m.clone(),
        None => Arc::new(SystemClock),
    };
    if let Some(template) = options.template {
        publish_template(&settings, template).await;
    }
    let app = Application::build_on(settings.clone(), clock, listener)
        .await
        .expect("app builds");
    let operator_address = app
        .operator_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let server = app.running_engine();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        operator_address,
        settings,
        dir,
        mail,
        clock: manual,
        server,
    }
}

/// Publishes a starter template before the server starts (as an admin would).
pub async fn publish_template(settings: &Settings, id: &str) {
    let store = open_store(settings).await.expect("store");
    let template = starter::by_id(id).expect("template exists");
    let def = template.definition().expect("template parses");
    let now = time::OffsetDateTime::now_utc();
    let version = store
        .insert_flow_draft(
            def.flow_type,
            &def.to_stored().expect("serializes"),
            Some("test"),
            now,
        )
        .await
        .expect("draft");
    assert!(
        store
            .publish_flow(def.flow_type, version)
            .await
            .expect("publish")
    );
}

/// A starter template as JSON, for a test to change before it publishes it.
pub fn template_json(id: &str) -> serde_json::Value {
    serde_json::to_value(
        starter::by_id(id)
            .expect("template exists")
            .definition()
            .expect("template parses"),
    )
    .expect("serializes")
}

/// A definition from JSON, held to the validation publishing applies.
pub fn valid_definition(json: serde_json::Value) -> flows::engine::FlowDefinition {
    let def: flows::engine::FlowDefinition = serde_json::from_value(json).expect("a definition");
    assert_eq!(def.validate(), vec![]);
    def
}

impl TestApp {
    /// Publishes `def` through the running server's own engine, as its console would: in
    /// force for the next start.
    pub async fn publish(&self, def: &flows::engine::FlowDefinition) {
        self.server
            .import_and_publish(def, "test", &flows::engine::Actor::cli())
            .await
            .expect("engine")
            .expect("published");
    }
}

/// A test whose tools or rights are missing here. Under CI (`CI=true`) that is a failure:
/// `.ci/run` installs what every test needs, so a skip there would hide an unproven claim.
/// Elsewhere it is said on stdout and written to `$FLOWS_SKIP_LOG`, which `.ci/test` counts.
pub fn cannot_run(test: &str, reason: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test} cannot run under CI: {reason}"
    );
    println!("skipped: {test}: {reason}");
    if let Ok(path) = std::env::var("FLOWS_SKIP_LOG") {
        use std::io::Write as _;
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| writeln!(f, "{test}: {reason}"));
        assert!(written.is_ok(), "cannot record the skip in {path}");
    }
}

/// Every test app's `FLOWS_METRICS_TOKEN`: `/metrics` on the public listener needs it.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef";

/// `/metrics` of the server at `base`, as a scraper with the token reads it.
pub async fn metrics_text(base: &str) -> String {
    let page = Browser::new(base)
        .get_with_bearer("/metrics", METRICS_TOKEN)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    page.html
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    pub async fn metrics(&self) -> String {
        metrics_text(&self.address).await
    }

    pub fn advance(&self, by: time::Duration) {
        self.clock
            .as_ref()
            .expect("spawned with manual_clock")
            .advance(by);
    }

    /// The store of the same database, for looking at (or setting up) what is stored, as an
    /// operator with a database client would: the server itself keeps it behind its engine.
    pub async fn store(&self) -> flows::store::Store {
        open_store(&self.settings).await.expect("store")
    }

    /// Makes the running server notice now what a test changed through the store beside it
    /// (a version published, a flow type switched): it keeps which version is live, and
    /// reloads when the console revision moves, at its next check or, on PostgreSQL, at the
    /// notification. A test would otherwise wait for that check.
    pub async fn notice_changes(&self) {
        self.server
            .refresh_console_changes()
            .await
            .expect("the server checks for changes");
    }

    /// Writes now the funnel rows of journeys shown their first page and not stored, which
    /// the server writes in a batch each second.
    pub async fn flush_funnel_starts(&self) -> usize {
        self.server
            .flush_unstored_starts()
            .await
            .expect("the server writes its waiting starts")
    }

    /// An engine on the same database, for looking at stored state.
    pub async fn engine(&self) -> Engine {
        // With the server's own keys (read from the database as the server reads them), so
        // that what one seals the other opens.
        Application::engine_only(&self.settings)
            .await
            .expect("engine")
    }

    /// Invites `email` as the administrator `inviter` does from the console, with `prefill`
    /// for the invited person's form; the invitation's id.
    pub async fn invite(
        &self,
        email: &str,
        prefill: std::collections::BTreeMap<String, String>,
        inviter: &str,
    ) -> String {
        self.engine()
            .await
            .invite(email, prefill, inviter, flows::i18n::Locale::default())
            .await
            .expect("invitation created")
    }

    /// All mail sent to `to` so far, oldest first.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        mails_in(&self.mail, to)
    }

    /// Waits (up to 10 s) until `to` has received `count` messages, and returns them.
    pub async fn wait_for_mails(&self, to: &str, count: usize) -> Vec<Mail> {
        wait_for_mails_in(&self.mail, to, count).await
    }

    pub async fn last_mail(&self, to: &str, count: usize) -> Mail {
        self.wait_for_mails(to, count).await.pop().expect("a mail")
    }
}

#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub modified: std::time::SystemTime,
}

impl Mail {
    pub fn code(&self) -> String {
        let re = regex::Regex::new(r"(?m)^\s+(\d{6})\s*$").expect("regex");
        re.captures(&self.text)
            .map(|c| c[1].to_owned())
            .unwrap_or_else(|| panic!("no code in mail: {}", self.text))
    }

    pub fn invitation_link(&self) -> String {
        let re = regex::Regex::new(r"https?://\S+/invite\?code=[A-Za-z0-9_-]+").expect("regex");
        re.find(&self.text)
            .map(|m| m.as_str().to_owned())
            .unwrap_or_else(|| panic!("no invitation link: {}", self.text))
    }

    pub fn link(&self) -> String {
        let re = regex::Regex::new(r"https?://\S+/link\?token=[A-Za-z0-9_-]+").expect("regex");
        re.find(&self.text)
            .map(|m| m.as_str().to_owned())
            .unwrap_or_else(|| panic!("no link in mail: {}", self.text))
    }
}

/// Waits (up to 10 s) until `source` holds `count` messages to `to`, and returns them.
pub async fn wait_for_mails_in(source: &MailSource, to: &str, count: usize) -> Vec<Mail> {
    for _ in 0..200 {
        let mails = mails_in(source, to);
        if mails.len() >= count {
            return mails;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{to} did not receive {count} mail(s) in time; got {}",
        mails_in(source, to).len()
    );
}

/// All mail in `source` sent to `to`, oldest first.
pub fn mails_in(source: &MailSource, to: &str) -> Vec<Mail> {
    let dir = match source {
        MailSource::Folder(d) | MailSource::Maildir(d) => d,
    };
    read_mails(dir)
        .into_iter()
        .filter(|m| m.to.eq_ignore_ascii_case(to))
        .collect()
}

pub fn read_mails(dir: &Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut mails: Vec<Mail> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).ok()?;
            let modified = e.metadata().ok()?.modified().ok()?;
            let msg = mail_parser::MessageParser::default().parse(&bytes)?;
            let to = msg.to()?.first()?.address()?.to_owned();
            Some(Mail {
                to,
                subject: msg.subject().unwrap_or_default().to_owned(),
                text: msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
                html: msg.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
                message_id: msg.message_id().unwrap_or_default().to_owned(),
                modified,
            })
        })
        .collect();
    mails.sort_by_key(|m| m.modified);
    mails
}

/// A unique address per test, so tests can share an SMTP sink and run in parallel.
pub fn unique_email(label: &str) -> String {
    format!("{label}.{}@example.com", uuid::Uuid::new_v4().simple())
}

pub const GOOD_PASSWORD: &str = "correct horse battery staple";

/// A cookie-keeping client that does not follow redirects by itself, so tests see every 303.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub accept_language: Option<String>,
}

#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub url: String,
    pub html: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// Where a redirect points.
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .expect("location")
            .to_owned()
    }

    pub fn doc(&self) -> Html {
        Html::parse_document(&self.html)
    }

    pub fn select_all(&self, css: &str) -> Vec<String> {
        let doc = self.doc();
        let sel = Selector::parse(css).expect("selector");
        doc.select(&sel)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    pub fn text_of(&self, css: &str) -> String {
        self.select_all(css).into_iter().next().unwrap_or_default()
    }

    pub fn h1(&self) -> String {
        self.text_of("h1")
    }

    pub fn attr(&self, css: &str, attr: &str) -> Option<String> {
        let doc = self.doc();
        let sel = Selector::parse(css).expect("selector");
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_owned))
    }

    pub fn exists(&self, css: &str) -> bool {
        let doc = self.doc();
        let sel = Selector::parse(css).expect("selector");
        doc.select(&sel).next().is_some()
    }

    /// The fields of the step form a browser sends without the person typing: the hidden
    /// ones (csrf token, step id, form token) and the honeypot, empty.
    pub fn form_fields(&self) -> Vec<(String, String)> {
        let doc = self.doc();
        let sel =
            Selector::parse("form.flow-form input[type=hidden], form.flow-form .field-aux input")
                .expect("selector");
        doc.select(&sel)
            .filter_map(|e| {
                Some((
                    e.value().attr("name")?.to_owned(),
                    e.value().attr("value").unwrap_or("").to_owned(),
                ))
            })
            .collect()
    }

    /// The name of the step form's honeypot input, which varies by execution and step.
    pub fn honeypot(&self) -> Option<String> {
        self.attr("form.flow-form .field-aux input", "name")
    }

    /// The step form's signed render time.
    pub fn form_token(&self) -> Option<String> {
        self.attr("form.flow-form input[name=form_token]", "value")
    }

    /// The page as a person would compare two of them: without what differs by session or
    /// execution (the CSRF token, the form token and the honeypot's name).
    pub fn comparable_html(&self) -> String {
        let mut html = self.html.clone();
        if let Some(csrf) = self.attr("input[name=csrf_token]", "value") {
            html = html.replace(&csrf, "CSRF");
        }
        if let Some(token) = self.form_token() {
            html = html.replace(&token, "FORM_TOKEN");
        }
        if let Some(name) = self.honeypot() {
            html = html.replace(&name, "HONEYPOT");
        }
        html
    }

    pub fn csrf(&self) -> String {
        self.attr("input[name=csrf_token]", "value")
            .expect("page has a csrf token")
    }

    pub fn step(&self) -> Option<String> {
        self.attr("form.flow-form input[name=step]", "value")
    }

    /// The field error shown beside input `id`.
    pub fn field_error(&self, id: &str) -> Option<String> {
        self.select_all(&format!("#{id}-error")).into_iter().next()
    }

    pub fn summary(&self) -> Vec<String> {
        self.select_all(".error-summary__list li")
    }

    pub fn notice(&self) -> Option<String> {
        self.select_all(".notice").into_iter().next()
    }
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self::with_jar(base, Arc::new(reqwest::cookie::Jar::default()))
    }

    /// A browser on another base sharing `jar`: cookies ignore ports, so two instances on
    /// one host see one browser, as behind a load balancer.
    pub fn with_jar(base: &str, jar: Arc<reqwest::cookie::Jar>) -> Self {
        Self::build(base, jar, None)
    }

    /// A browser whose connections come from `from` (any 127.x.y.z reaches a server on
    /// 127.0.0.1), so the server sees another client address.
    pub fn from_address(base: &str, from: std::net::IpAddr) -> Self {
        Self::build(base, Arc::default(), Some(from))
    }

    fn build(base: &str, jar: Arc<reqwest::cookie::Jar>, from: Option<std::net::IpAddr>) -> Self {
        let client = reqwest::Client::builder()
            .local_address(from)
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            base: base.to_owned(),
            client,
            jar,
            accept_language: None,
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub async fn get_raw(&self, path: &str) -> Page {
        let mut req = self.client.get(self.url(path));
        if let Some(l) = &self.accept_language {
            req = req.header("accept-language", l);
        }
        to_page(req.send().await.expect("GET")).await
    }

    pub async fn get_with_bearer(&self, path: &str, token: &str) -> Page {
        let req = self.client.get(self.url(path)).bearer_auth(token);
        to_page(req.send().await.expect("GET")).await
    }

    /// GET, following 303s like a browser.
    pub async fn get(&self, path: &str) -> Page {
        let mut page = self.get_raw(path).await;
        for _ in 0..5 {
            if !page.status.is_redirection() {
                break;
            }
            page = self.get_raw(&page.location()).await;
        }
        page
    }

    pub async fn post_raw(&self, path: &str, fields: &[(String, String)]) -> Page {
        let mut req = self.client.post(self.url(path)).form(fields);
        if let Some(l) = &self.accept_language {
            req = req.header("accept-language", l);
        }
        to_page(req.send().await.expect("POST")).await
    }

    /// POST, then follow the redirect like a browser; returns the final page and the POST's status.
    pub async fn post(&self, path: &str, fields: &[(String, String)]) -> (StatusCode, Page) {
        let page = self.post_raw(path, fields).await;
        let status = page.status;
        if status.is_redirection() {
            return (status, self.get(&page.location()).await);
        }
        (status, page)
    }

    /// Presses button `action` on the step form of `page`, with `inputs`.
    pub async fn press(
        &self,
        page: &Page,
        action: &str,
        inputs: &[(&str, &str)],
    ) -> (StatusCode, Page) {
        let path = page
            .attr("form.flow-form", "action")
            .unwrap_or_else(|| "/register".into());
        let mut fields = page.form_fields();
        fields.push(("action".into(), action.into()));
        fields.extend(
            inputs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        self.post(&path, &fields).await
    }

    pub fn cookie_header(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().expect("url");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    /// Replaces this browser's cookies with a saved `Cookie:` header value.
    pub fn restore_cookies(&self, header: &str) {
        let url: reqwest::Url = self.base.parse().expect("url");
        for pair in header.split("; ") {
            self.jar.add_cookie_str(&format!("{pair}; Path=/"), &url);
        }
    }
}

async fn to_page(res: reqwest::Response) -> Page {
    let status = res.status();
    let url = res.url().to_string();
    let headers = res.headers().clone();
    let html = res.text().await.unwrap_or_default();
    Page {
        status,
        url,
        html,
        headers,
    }
}

/// Presses the button of `landing`, the page an e-mailed `link` opened: the POST that uses
/// the link's token.
pub async fn press_link(browser: &Browser, landing: &Page, link: &str) -> (StatusCode, Page) {
    let token = link.split("token=").nth(1).expect("token").to_owned();
    browser
        .post(
            "/link",
            &[
                ("csrf_token".into(), landing.csrf()),
                ("token".into(), token),
            ],
        )
        .await
}

/// Fills the details step of the default registration template.
pub fn details<'a>(given: &'a str, email: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("given_name", given),
        ("family_name", "Lovelace"),
        ("email", email),
        ("password", password),
        ("terms", "true"),
    ]
}

pub const CODE_PAGE: &str = "Check your e-mail";
pub const DONE: &str = "Your account is ready";

/// Opens /register in `browser` and submits the details step; returns the code page.
pub async fn to_code_page(browser: &Browser, given: &str, email: &str) -> Page {
    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(page.step().as_deref(), Some("details"));
    let (status, page) = browser
        .press(&page, "continue", &details(given, email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    assert_eq!(page.step().as_deref(), Some("enter_code"));
    page
}

/// Walks the whole default registration in a fresh browser; returns that browser, signed in.
pub async fn register_fully(app: &TestApp, given: &str, email: &str) -> Browser {
    let browser = app.browser();
    let page = to_code_page(&browser, given, email).await;
    let code = app.last_mail(email, 1).await.code();
    let (status, page) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), DONE);
    browser
}

/// Gives the outbox worker time to deliver anything queued, then checks the count for `to`.
pub async fn assert_mail_count_stays(app: &TestApp, to: &str, count: usize) {
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        app.mails_to(to).len(),
        count,
        "{to} should have exactly {count} mail(s)"
    );
}

/// A six-digit code that is not `code`.
pub fn wrong_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

/// The stored account of `email`, which must exist.
pub async fn stored_user(app: &TestApp, email: &str) -> flows::store::UserRow {
    app.store()
        .await
        .user_by_email(email)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account for {email}"))
}

pub async fn stored_user_exists(app: &TestApp, email: &str) -> bool {
    let engine = app.store().await;
    matches!(
        engine.user_by_email(&email.to_lowercase()).await,
        Ok(Some(_))
    )
}

/// The signed-in check a person would make: /account answers 200, or sends them to /login.
pub async fn signed_in(browser: &Browser) -> bool {
    browser.get_raw("/account").await.status == StatusCode::OK
}

/// A sign-in form post for `address`.
pub fn sign_in_form(csrf: &str, address: &str, password: &str) -> Vec<(String, String)> {
    vec![
        ("csrf_token".to_owned(), csrf.to_owned()),
        ("email".to_owned(), address.to_owned()),
        ("password".to_owned(), password.to_owned()),
    ]
}

/// Signs in from a fresh browser; returns the POST's status and the page it led to.
pub async fn sign_in(app: &TestApp, address: &str, password: &str) -> (StatusCode, Page) {
    let browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    browser
        .post("/login", &sign_in_form(&csrf, address, password))
        .await
}
