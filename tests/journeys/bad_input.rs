//! The bad-input matrix (issue 11): every field of every hosted step, the Flow Execution
//! API, every console form, the flow-definition importer and the command line, each tried
//! with every bad value, the rest of the request valid.
//!
//! The cases come from what the server itself renders (the controls of each form, the
//! API's view schema), never from a list kept here, so a new component type, form field
//! or hidden field is tried without a new test.
//!
//! Every case must get a 4xx or a 2xx/3xx (the form again, or the next step for a value
//! that is in fact fine, such as a name with an apostrophe): never a 5xx, never a broken
//! connection, never the payload's markup unescaped. Afterwards no stored row holds a
//! control character or an over-long value, and no mail at the SMTP sink carries an
//! injected header.
//!
//! With `--nocapture` it prints a line per surface and a total: `4xx` counts refusals,
//! `re-rendered` every 2xx/3xx (the form again with its message, a redirect back to it, or
//! the next step), and `accepted` the part of those where the value was in fact good data
//! and the journey moved on. `FLOWS_MATRIX_ONLY=hosted,api,console,cli` runs some surfaces
//! only; `FLOWS_MATRIX_TRACE=1` prints every case with its status and time.

use crate::api::{EXECUTE, component_ids};
use crate::console::{admin_browser, console_pages};
use crate::helpers::*;
use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";
/// The markup that must never come back as it was sent.
const MARKUP: [&str; 2] = [SCRIPT, "<img src=x onerror=alert(1)>"];
const MEGABYTE: usize = 1024 * 1024;

/// The address header injection aims at: unique per run, so the shared sink tells this
/// run's mail apart.
fn victim() -> &'static str {
    static VICTIM: OnceLock<String> = OnceLock::new();
    VICTIM.get_or_init(|| unique_email("victim"))
}

/// A bad value: text (sent percent-encoded, as a browser would), or bytes a browser never
/// sends but anyone can (invalid UTF-8, broken percent-encoding), sent as they are.
#[derive(Clone, Debug)]
enum Bad {
    Text(String),
    Raw(&'static str),
}

/// The bad values for a field whose valid value is `valid`.
fn bad_values(valid: &str) -> Vec<(&'static str, Bad)> {
    let fullwidth: String = valid
        .chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            other => other,
        })
        .collect();
    let combining: String = valid.chars().flat_map(|c| [c, '\u{0301}']).collect();
    let text = |s: String| Bad::Text(s);
    vec![
        ("empty", text(String::new())),
        ("whitespace", text(" \t\u{a0}\u{3000} ".into())),
        ("invalid_utf8", Bad::Raw("%FF%FE%C3%28")),
        ("lone_percent", Bad::Raw("%")),
        ("bad_percent", Bad::Raw("%G1%2")),
        ("nul", text(format!("{valid}\0x"))),
        ("control", text(format!("{valid}\u{1}\u{8}\u{1b}[2J\u{7f}"))),
        ("script", text(SCRIPT.into())),
        ("img", text(IMG.into())),
        ("sql_or", text("' OR 1=1 --".into())),
        ("sql_drop", text("'; DROP TABLE users; --".into())),
        ("crlf_bcc", text(format!("{valid}\r\nBcc: {}", victim()))),
        ("fullwidth", text(fullwidth)),
        ("combining", text(combining)),
        ("rtl_override", text(format!("\u{202E}{valid}"))),
        ("long_5k", text("é".repeat(5000))),
    ]
}

fn encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .expect("encodes")
        .trim_start_matches('=')
        .to_owned()
}

/// An `application/x-www-form-urlencoded` body from pairs, the bad ones sent as they are.
fn form_body(pairs: &[(String, Bad)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| match v {
            Bad::Text(t) => format!("{}={}", encode(k), encode(t)),
            Bad::Raw(r) => format!("{}={r}", encode(k)),
        })
        .collect::<Vec<_>>()
        .join("&")
}

// ---------------------------------------------------------------------------------------
// Counting and judging answers

#[derive(Default, Clone)]
struct Tally {
    cases: usize,
    client_errors: usize,
    rerendered: usize,
    /// Of `rerendered`: the value was taken as valid data (the journey moved on).
    accepted: usize,
    server_errors: usize,
    by_status: BTreeMap<u16, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.client_errors += other.client_errors;
        self.rerendered += other.rerendered;
        self.accepted += other.accepted;
        self.server_errors += other.server_errors;
        for (s, n) in &other.by_status {
            *self.by_status.entry(*s).or_default() += n;
        }
        self.failures.extend(other.failures.iter().cloned());
    }

    fn fail(&mut self, label: &str, why: String) {
        self.failures.push(format!("{label}: {why}"));
    }

    /// Judges one HTTP answer; `Err` is a broken connection (a panic or a crash).
    fn judge(&mut self, label: &str, answer: Result<Answer, String>) -> Option<Answer> {
        self.cases += 1;
        let answer = match answer {
            Ok(a) => a,
            Err(e) => {
                self.server_errors += 1;
                self.fail(label, format!("no answer: {e}"));
                return None;
            }
        };
        let code = answer.status.as_u16();
        if std::env::var_os("FLOWS_MATRIX_TRACE").is_some() {
            static LAST: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
            let mut last = LAST.lock().unwrap();
            let ms = last.map_or(0, |l| l.elapsed().as_millis());
            *last = Some(Instant::now());
            eprintln!("{label}: {code} +{ms}ms");
        }
        *self.by_status.entry(code).or_default() += 1;
        if answer.status.is_server_error() {
            self.server_errors += 1;
            let excerpt: String = answer.body.chars().take(300).collect();
            self.fail(label, format!("{code}: {excerpt}"));
        } else if answer.status.is_client_error() {
            self.client_errors += 1;
        } else {
            self.rerendered += 1;
        }
        if answer.content_type.starts_with("text/html") {
            for markup in MARKUP {
                if answer.body.contains(markup) {
                    self.fail(label, format!("{markup} came back unescaped"));
                }
            }
        }
        Some(answer)
    }

    fn line(&self, what: &str) -> String {
        format!(
            "bad input{what}: {} cases, 4xx: {}, re-rendered: {} (of which accepted as valid data: {}), 5xx: {}; by status {:?}",
            self.cases,
            self.client_errors,
            self.rerendered,
            self.accepted,
            self.server_errors,
            self.by_status
        )
    }
}

struct Answer {
    status: StatusCode,
    body: String,
    content_type: String,
    location: Option<String>,
}

async fn answer_of(res: Result<reqwest::Response, reqwest::Error>) -> Result<Answer, String> {
    let res = res.map_err(|e| format!("{e:?}"))?;
    let status = res.status();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    let body = res.text().await.map_err(|e| format!("{e:?}"))?;
    Ok(Answer {
        status,
        body,
        content_type,
        location,
    })
}

/// Posts a body with a content type (none when `None`) from `browser`'s session.
async fn post(
    browser: &Browser,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Result<Answer, String> {
    let mut req = browser
        .client
        .post(format!("{}{path}", browser.base))
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    answer_of(req.send().await).await
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

/// The server still answers: nothing above took it down.
async fn assert_alive(app: &TestApp, tally: &mut Tally, surface: &str) {
    let res = reqwest::get(format!("{}/healthz", app.address)).await;
    match res {
        Ok(r) if r.status() == StatusCode::OK => {}
        other => tally.fail(surface, format!("server gone afterwards: {other:?}")),
    }
}

// ---------------------------------------------------------------------------------------
// Forms as the server renders them

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Hidden,
    Text,
    Email,
    Password,
    Tel,
    Number,
    Date,
    Otp,
    Checkbox,
    Radio,
    Select,
    Textarea,
    Button,
    File,
}

#[derive(Clone, Debug)]
struct Control {
    name: String,
    kind: Kind,
    /// The value as rendered (a hidden field's, a text field's, a button's, the selected option).
    value: String,
    checked: bool,
    autocomplete: String,
    /// Out of the tab order: the bot trap, which a person leaves empty.
    trap: bool,
}

#[derive(Clone, Debug)]
struct Form {
    action: String,
    multipart: bool,
    controls: Vec<Control>,
}

impl Form {
    fn csrf(&self) -> Option<String> {
        self.controls
            .iter()
            .find(|c| c.name == "csrf_token")
            .map(|c| c.value.clone())
    }

    /// The controls a bad value is tried in: every named one but the CSRF token, a button
    /// once (its name with the first button's value).
    fn targets(&self) -> Vec<&Control> {
        let mut seen = BTreeSet::new();
        self.controls
            .iter()
            .filter(|c| c.name != "csrf_token" && c.kind != Kind::File)
            .filter(|c| seen.insert(c.name.clone()))
            .collect()
    }

    fn has_visible_input(&self) -> bool {
        self.controls
            .iter()
            .any(|c| !c.trap && !matches!(c.kind, Kind::Hidden | Kind::Button))
    }
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

fn control_of(e: ElementRef<'_>) -> Option<Control> {
    let v = e.value();
    let name = v.attr("name")?.to_owned();
    let attr = |a: &str| v.attr(a).unwrap_or_default().to_owned();
    let autocomplete = attr("autocomplete");
    let (kind, value) = match v.name() {
        "textarea" => (Kind::Textarea, e.text().collect()),
        "select" => {
            let options: Vec<(String, bool)> = e
                .select(&sel("option"))
                .map(|o| {
                    (
                        o.value().attr("value").unwrap_or_default().to_owned(),
                        o.value().attr("selected").is_some(),
                    )
                })
                .collect();
            let chosen = options
                .iter()
                .find(|(_, s)| *s)
                .or_else(|| options.iter().find(|(v, _)| !v.is_empty()))
                .map(|(v, _)| v.clone())
                .unwrap_or_default();
            (Kind::Select, chosen)
        }
        "button" => (Kind::Button, attr("value")),
        _ => {
            let kind = match attr("type").as_str() {
                "hidden" => Kind::Hidden,
                "email" => Kind::Email,
                "password" => Kind::Password,
                "tel" => Kind::Tel,
                "number" => Kind::Number,
                "date" => Kind::Date,
                "checkbox" => Kind::Checkbox,
                "radio" => Kind::Radio,
                "file" => Kind::File,
                "submit" | "button" => Kind::Button,
                _ if autocomplete == "one-time-code" => Kind::Otp,
                _ => Kind::Text,
            };
            (kind, attr("value"))
        }
    };
    Some(Control {
        name,
        kind,
        value,
        checked: v.attr("checked").is_some(),
        autocomplete,
        trap: v.attr("tabindex") == Some("-1"),
    })
}

/// Every form of a page that `css` selects, with its named controls in order.
fn forms(html: &str, css: &str) -> Vec<Form> {
    let doc = Html::parse_document(html);
    let controls = sel("input, select, textarea, button");
    doc.select(&sel(css))
        .map(|f| Form {
            action: f.value().attr("action").unwrap_or_default().to_owned(),
            multipart: f
                .value()
                .attr("enctype")
                .is_some_and(|e| e.contains("multipart")),
            controls: f.select(&controls).filter_map(control_of).collect(),
        })
        .collect()
}

/// The same form with `name` replaced by `bad` (once, even when the name appears twice).
fn with_bad(valid: &[(String, Bad)], name: &str, bad: &Bad) -> Vec<(String, Bad)> {
    let mut out: Vec<(String, Bad)> = valid.iter().filter(|(k, _)| k != name).cloned().collect();
    out.push((name.to_owned(), bad.clone()));
    out
}

/// The whole-request cases of a form: a body over the limit, too many fields, each wrong
/// content type, and bad data without (or with a forged) CSRF token.
fn whole_request_cases(
    valid: &[(String, Bad)],
    first_text: &str,
) -> Vec<(String, Option<&'static str>, Vec<u8>)> {
    let body = form_body(valid);
    let mut many = body.clone();
    for i in 0..10_000 {
        many.push_str(&format!("&z{i:x}=1"));
    }
    let huge = form_body(&with_bad(
        valid,
        first_text,
        &Bad::Text("a".repeat(MEGABYTE)),
    ));
    let all_bad: Vec<(String, Bad)> = valid
        .iter()
        .filter(|(k, _)| k != "csrf_token")
        .map(|(k, _)| (k.clone(), Bad::Text(SCRIPT.into())))
        .collect();
    let mut forged = all_bad.clone();
    forged.push(("csrf_token".into(), Bad::Text("forged".into())));
    let json_body: BTreeMap<String, String> = valid
        .iter()
        .filter_map(|(k, v)| match v {
            Bad::Text(t) => Some((k.clone(), t.clone())),
            Bad::Raw(_) => None,
        })
        .collect();
    let boundary = "XbadinputX";
    let multipart: String = valid
        .iter()
        .filter_map(|(k, v)| match v {
            Bad::Text(t) => Some(format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{t}\r\n"
            )),
            Bad::Raw(_) => None,
        })
        .chain([format!("--{boundary}--\r\n")])
        .collect();
    vec![
        ("body_1mb".into(), FORM, huge.into_bytes()),
        ("fields_10000".into(), FORM, many.into_bytes()),
        (
            "json".into(),
            Some("application/json"),
            serde_json::to_vec(&json_body).expect("json"),
        ),
        (
            "multipart".into(),
            Some("multipart/form-data; boundary=XbadinputX"),
            multipart.into_bytes(),
        ),
        (
            "text_plain".into(),
            Some("text/plain"),
            body.clone().into_bytes(),
        ),
        ("no_content_type".into(), None, body.into_bytes()),
        ("no_csrf".into(), FORM, form_body(&all_bad).into_bytes()),
        ("forged_csrf".into(), FORM, form_body(&forged).into_bytes()),
    ]
}

/// Tries `bad` duplicates: the valid value, then the payload under the same name.
fn duplicated(valid: &[(String, Bad)], name: &str) -> Vec<(String, Bad)> {
    let mut out = valid.to_vec();
    out.push((name.to_owned(), Bad::Text(SCRIPT.into())));
    out
}

// ---------------------------------------------------------------------------------------
// Hosted journeys

#[derive(Clone, Copy, Debug, PartialEq)]
enum Journey {
    Registration,
    Recovery,
    Invitation,
}

impl Journey {
    fn path(self) -> &'static str {
        match self {
            Journey::Registration => "/register",
            Journey::Recovery => "/recover",
            Journey::Invitation => "/invite",
        }
    }
}

/// One walk through a journey: its browser, the address it uses and the mail it has read.
struct Walk {
    browser: Browser,
    email: String,
    mails_read: usize,
    /// The code mailed on this walk, read once.
    code: Option<String>,
}

impl Walk {
    async fn begin(app: &TestApp, journey: Journey, account: &str) -> (Walk, Page) {
        let browser = app.browser();
        let email = match journey {
            Journey::Recovery => account.to_owned(),
            _ => unique_email("matrix"),
        };
        let mut walk = Walk {
            browser,
            mails_read: app.mails_to(&email).len(),
            email,
            code: None,
        };
        let page = match journey {
            Journey::Invitation => {
                app.invite(&walk.email, BTreeMap::new(), "The matrix").await;
                let link = walk.next_mail(app).await.invitation_link();
                walk.browser.get(&link).await
            }
            _ => walk.browser.get(journey.path()).await,
        };
        (walk, page)
    }

    async fn next_mail(&mut self, app: &TestApp) -> Mail {
        self.mails_read += 1;
        app.last_mail(&self.email, self.mails_read).await
    }

    /// A value the form takes for `control`, from what the page says about it.
    async fn valid(&mut self, app: &TestApp, control: &Control) -> String {
        if control.trap {
            return String::new();
        }
        match control.kind {
            Kind::Hidden | Kind::Button | Kind::Radio | Kind::Select | Kind::Textarea => {
                control.value.clone()
            }
            Kind::Checkbox => "true".into(),
            Kind::Email => self.email.clone(),
            Kind::Password => GOOD_PASSWORD.into(),
            Kind::Tel => "+44 20 7946 0958".into(),
            Kind::Number => "42".into(),
            Kind::Date => "1990-12-10".into(),
            Kind::Otp => match &self.code {
                Some(code) => code.clone(),
                None => {
                    let code = self.next_mail(app).await.code();
                    self.code = Some(code.clone());
                    code
                }
            },
            Kind::File => String::new(),
            Kind::Text if matches!(control.autocomplete.as_str(), "username" | "email") => {
                self.email.clone()
            }
            Kind::Text => "Ada".into(),
        }
    }

    /// The valid fields of the step form on `page` (the first button pressed).
    async fn valid_fields(&mut self, app: &TestApp, form: &Form) -> Vec<(String, Bad)> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for c in &form.controls {
            if !seen.insert(c.name.clone()) {
                continue;
            }
            let value = self.valid(app, c).await;
            out.push((c.name.clone(), Bad::Text(value)));
        }
        out
    }

    /// Moves one step on from `page`: fills and sends its form, or, on a step that waits
    /// for the mailed link, opens the link.
    async fn advance(&mut self, app: &TestApp, journey: Journey, page: &Page) -> Page {
        let form = forms(&page.html, "form.flow-form")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no step form: {}", page.html));
        if form.has_visible_input() {
            let fields = self.valid_fields(app, &form).await;
            let answer = post(&self.browser, &form.action, FORM, form_body(&fields))
                .await
                .expect("valid post answered");
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        } else {
            let link = self.next_mail(app).await.link();
            self.browser.get(&link).await;
        }
        self.browser.get(journey.path()).await
    }

    /// A fresh walk up to step `target`.
    async fn to_step(app: &TestApp, journey: Journey, account: &str, target: &str) -> (Walk, Page) {
        let (mut walk, mut page) = Walk::begin(app, journey, account).await;
        for _ in 0..6 {
            if page.step().as_deref() == Some(target) {
                return (walk, page);
            }
            page = walk.advance(app, journey, &page).await;
        }
        panic!("{journey:?} never reached {target}: {}", page.html);
    }
}

/// Every view step of `journey`, walked once with valid values.
async fn steps_of(app: &TestApp, journey: Journey, account: &str) -> Vec<String> {
    let (mut walk, mut page) = Walk::begin(app, journey, account).await;
    let mut steps = Vec::new();
    while let Some(step) = page.step() {
        if forms(&page.html, "form.flow-form").is_empty() || steps.contains(&step) {
            break;
        }
        steps.push(step);
        page = walk.advance(app, journey, &page).await;
    }
    steps
}

async fn hosted(app: &TestApp) -> Tally {
    let account = unique_email("account");
    register_fully(app, "Ada", &account).await;
    // The three journeys at once: each walks in browsers of its own.
    let journey = |journey: Journey| {
        let account = account.clone();
        async move {
            let mut tally = Tally::default();
            let steps = steps_of(app, journey, &account).await;
            assert!(!steps.is_empty(), "{journey:?} shows no step");
            for step in steps {
                hosted_step(app, journey, &account, &step, &mut tally).await;
            }
            tally
        }
    };
    let (registration, recovery, invitation) = tokio::join!(
        journey(Journey::Registration),
        journey(Journey::Recovery),
        journey(Journey::Invitation)
    );
    let mut tally = registration;
    tally.add(&recovery);
    tally.add(&invitation);
    tally
}

/// All cases of one step: every control with every bad value, then the whole-request ones.
async fn hosted_step(
    app: &TestApp,
    journey: Journey,
    account: &str,
    step: &str,
    tally: &mut Tally,
) {
    let (mut walk, mut page) = Walk::to_step(app, journey, account, step).await;
    let form = forms(&page.html, "form.flow-form").remove(0);
    let mut cases: Vec<(String, String, Option<Bad>)> = Vec::new();
    for control in form.targets() {
        let valid = walk.valid(app, control).await;
        for (label, bad) in bad_values(&valid) {
            cases.push((control.name.clone(), label.into(), Some(bad)));
        }
        cases.push((control.name.clone(), "duplicate".into(), None));
    }
    let first_text = form
        .targets()
        .iter()
        .find(|c| !c.trap && !matches!(c.kind, Kind::Hidden | Kind::Button))
        .map_or_else(|| "step".to_owned(), |c| c.name.clone());
    for (field, label, bad) in cases {
        let case = format!("{journey:?}/{step}/{field}/{label}");
        let form = forms(&page.html, "form.flow-form").remove(0);
        let valid = walk.valid_fields(app, &form).await;
        let fields = match &bad {
            Some(bad) => with_bad(&valid, &field, bad),
            None => duplicated(&valid, &field),
        };
        let answer = post(&walk.browser, &form.action, FORM, form_body(&fields)).await;
        if let Some(answer) = tally.judge(&case, answer) {
            check_refusal(&case, &answer, &field, tally);
            if answer.status.is_client_error() {
                // Refused: nothing moved.
                continue;
            }
        }
        // A value that was in fact fine moved the journey on. The step's form still works
        // (the engine takes a form for an earlier view as an edit), unless the journey
        // ended: then walk to the step again.
        let now = walk.browser.get(journey.path()).await;
        if now.step().as_deref() != Some(step) {
            tally.accepted += 1;
            if forms(&now.html, "form.flow-form").is_empty() {
                (walk, page) = Walk::to_step(app, journey, account, step).await;
            }
        }
    }
    let form = forms(&page.html, "form.flow-form").remove(0);
    let valid = walk.valid_fields(app, &form).await;
    for (label, content_type, body) in whole_request_cases(&valid, &first_text) {
        let case = format!("{journey:?}/{step}/{label}");
        let answer = post(&walk.browser, &form.action, content_type, body).await;
        tally.judge(&case, answer);
        let now = walk.browser.get(journey.path()).await;
        if now.step().as_deref() != Some(step) {
            tally.accepted += 1;
            if forms(&now.html, "form.flow-form").is_empty() {
                (walk, _) = Walk::to_step(app, journey, account, step).await;
            }
        }
    }
}

/// A 422 shows the message beside a field (or in the summary for the form as a whole).
fn check_refusal(case: &str, answer: &Answer, field: &str, tally: &mut Tally) {
    if answer.status != StatusCode::UNPROCESSABLE_ENTITY {
        return;
    }
    let doc = Html::parse_document(&answer.body);
    let beside = doc.select(&sel(".field-error")).next().is_some();
    let summary = doc.select(&sel(".error-summary")).next().is_some();
    if !beside && !summary {
        tally.fail(case, format!("422 without a message beside {field}"));
    }
}

// ---------------------------------------------------------------------------------------
// The Flow Execution API

async fn api_post(
    app: &TestApp,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Result<Answer, String> {
    let client = reqwest::Client::new();
    let mut req = client.post(format!("{}{EXECUTE}", app.address)).body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    answer_of(req.send().await).await
}

const JSON: Option<&str> = Some("application/json");

/// Judges an API answer: besides the common checks, always JSON.
fn judge_api(tally: &mut Tally, case: &str, answer: Result<Answer, String>) -> Option<Value> {
    let answer = tally.judge(case, answer)?;
    if !answer.content_type.starts_with("application/json") {
        tally.fail(case, format!("answered {} not JSON", answer.content_type));
        return None;
    }
    match serde_json::from_str(&answer.body) {
        Ok(v) => Some(v),
        Err(e) => {
            tally.fail(case, format!("unreadable JSON: {e}"));
            None
        }
    }
}

/// The inputs a view asks for, from its schema: identifier and variant.
fn api_inputs(view: &Value) -> Vec<(String, String)> {
    fn walk(components: &Value, out: &mut Vec<(String, String)>) {
        for c in components.as_array().into_iter().flatten() {
            if c["type"] == "INPUT" {
                out.push((
                    c["config"]["identifier"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    c["variant"].as_str().unwrap_or_default().to_owned(),
                ));
            }
            walk(&c["components"], out);
        }
    }
    let mut out = Vec::new();
    walk(&view["data"]["components"], &mut out);
    out
}

fn api_action(view: &Value) -> String {
    fn walk(components: &Value) -> Option<String> {
        components.as_array().into_iter().flatten().find_map(|c| {
            if c["type"] == "BUTTON" {
                c["actionId"]
                    .as_str()
                    .or(c["id"].as_str())
                    .map(str::to_owned)
            } else {
                walk(&c["components"])
            }
        })
    }
    walk(&view["data"]["components"]).unwrap_or_default()
}

fn api_valid(variant: &str, identifier: &str, account: &str) -> Value {
    match variant {
        "CHECKBOX" => json!("true"),
        "PASSWORD" => json!(GOOD_PASSWORD),
        "EMAIL" => json!(unique_email("api")),
        "TELEPHONE" => json!("+44 20 7946 0958"),
        "NUMBER" => json!("42"),
        "DATE" => json!("1990-12-10"),
        "OTP" => json!("123456"),
        _ if identifier == "login" => json!(account),
        _ => json!("Ada"),
    }
}

async fn api_start(app: &TestApp, flow_type: &str) -> Value {
    let answer = api_post(
        app,
        JSON,
        serde_json::to_vec(&json!({"flowType": flow_type})).unwrap(),
    )
    .await
    .expect("start answered");
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).expect("json")
}

async fn api(app: &TestApp) -> Tally {
    let mut tally = Tally::default();
    let account = unique_email("account");
    register_fully(app, "Ada", &account).await;
    for flow_type in ["REGISTRATION", "PASSWORD_RECOVERY"] {
        let view = api_start(app, flow_type).await;
        let inputs = api_inputs(&view);
        let action = api_action(&view);
        let before = component_ids(&view);
        let valid: serde_json::Map<String, Value> = inputs
            .iter()
            .map(|(id, variant)| (id.clone(), api_valid(variant, id, &account)))
            .collect();
        for (identifier, _) in &inputs {
            let shown = valid[identifier].as_str().unwrap_or_default().to_owned();
            let mut values: Vec<(String, Option<Value>, Option<Vec<u8>>)> = Vec::new();
            for (label, bad) in bad_values(&shown) {
                match bad {
                    Bad::Text(t) => values.push((label.into(), Some(json!(t)), None)),
                    Bad::Raw(raw) => {
                        values.push((label.into(), None, Some(raw.as_bytes().to_vec())))
                    }
                }
            }
            for (label, v) in [
                ("null", json!(null)),
                ("number", json!(42)),
                ("float", json!(1.5e300)),
                ("bool", json!(false)),
                ("array", json!(["a", "b"])),
                ("object", json!({"a": "b"})),
                ("string_1mb", json!("a".repeat(MEGABYTE))),
            ] {
                values.push((label.into(), Some(v), None));
            }
            values.push((
                "invalid_utf8_bytes".into(),
                None,
                Some(vec![0xFF, 0xFE, 0xC3, 0x28]),
            ));
            for (label, value, raw) in values {
                let case = format!("api/{flow_type}/{identifier}/{label}");
                let view = api_start(app, flow_type).await;
                let mut inputs = valid.clone();
                inputs.insert(identifier.clone(), value.unwrap_or(json!("@@RAW@@")));
                let mut body = serde_json::to_vec(&json!({
                    "flowId": view["flowId"],
                    "actionId": action,
                    "inputs": inputs,
                }))
                .unwrap();
                if let Some(raw) = raw {
                    // Bytes JSON cannot hold, put where the string was.
                    let text = String::from_utf8_lossy(&body).into_owned();
                    let (head, tail) = text.split_once("@@RAW@@").expect("marker");
                    body = [head.as_bytes(), &raw, tail.as_bytes()].concat();
                }
                let answer = api_post(app, JSON, body).await;
                if let Some(next) = judge_api(&mut tally, &case, answer)
                    && next.get("flowId").is_some()
                    && component_ids(&next) != before
                {
                    tally.accepted += 1;
                }
            }
        }
        let flow_id = view["flowId"].clone();
        let nested = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let many: serde_json::Map<String, Value> =
            (0..10_000).map(|i| (format!("{i:x}"), json!(""))).collect();
        let whole: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
            ("empty", JSON, Vec::new()),
            ("open_brace", JSON, b"{".to_vec()),
            ("truncated", JSON, br#"{"flowType": "REGISTR"#.to_vec()),
            ("array", JSON, b"[]".to_vec()),
            ("null", JSON, b"null".to_vec()),
            ("trailing", JSON, format!(r#"{{"flowType":"{flow_type}"}} x"#).into_bytes()),
            ("bom", JSON, format!("\u{feff}{{\"flowType\":\"{flow_type}\"}}").into_bytes()),
            ("invalid_utf8", JSON, b"{\"flowType\":\"\xFF\xFE\"}".to_vec()),
            ("nul_byte", JSON, b"{\"flowType\":\"REG\0\"}".to_vec()),
            ("lone_surrogate", JSON, br#"{"flowType":"\ud800"}"#.to_vec()),
            ("type_number", JSON, br#"{"flowType":1}"#.to_vec()),
            ("type_object", JSON, br#"{"flowType":{"a":1}}"#.to_vec()),
            ("unknown_type", JSON, br#"{"flowType":"<script>alert(1)</script>"}"#.to_vec()),
            ("unknown_key", JSON, br#"{"flowType":"REGISTRATION","admin":true}"#.to_vec()),
            ("inputs_string", JSON, serde_json::to_vec(&json!({"flowId": flow_id, "actionId": action, "inputs": "x"})).unwrap()),
            ("inputs_array", JSON, serde_json::to_vec(&json!({"flowId": flow_id, "actionId": action, "inputs": []})).unwrap()),
            ("flow_id_number", JSON, serde_json::to_vec(&json!({"flowId": 7, "actionId": action})).unwrap()),
            ("flow_id_garbage", JSON, serde_json::to_vec(&json!({"flowId": "'; DROP TABLE executions; --", "actionId": action})).unwrap()),
            ("flow_id_1mb", JSON, serde_json::to_vec(&json!({"flowId": "a".repeat(MEGABYTE)})).unwrap()),
            ("action_script", JSON, serde_json::to_vec(&json!({"flowId": flow_id, "actionId": SCRIPT, "inputs": valid})).unwrap()),
            ("action_control", JSON, serde_json::to_vec(&json!({"flowId": flow_id, "actionId": "go\r\n\0", "inputs": valid})).unwrap()),
            ("application_bad", JSON, serde_json::to_vec(&json!({"flowType": flow_type, "applicationId": IMG})).unwrap()),
            ("nested_10000", JSON, format!(r#"{{"flowId":{flow_id},"actionId":"{action}","inputs":{{"x":{nested}}}}}"#).into_bytes()),
            ("inputs_10000", JSON, serde_json::to_vec(&json!({"flowId": flow_id, "actionId": action, "inputs": many})).unwrap()),
            ("duplicate_key", JSON, format!(r#"{{"flowId":{flow_id},"actionId":"{action}","inputs":{{"{k}":"a","{k}":"{SCRIPT}"}}}}"#, k = inputs[0].0).into_bytes()),
            ("body_70k", JSON, serde_json::to_vec(&json!({"flowType": flow_type, "applicationId": "a".repeat(70 * 1024)})).unwrap()),
            ("form", FORM, format!("flowType={flow_type}").into_bytes()),
            ("text_plain", Some("text/plain"), format!(r#"{{"flowType":"{flow_type}"}}"#).into_bytes()),
            ("multipart", Some("multipart/form-data; boundary=X"), b"--X\r\nContent-Disposition: form-data; name=\"flowType\"\r\n\r\nREGISTRATION\r\n--X--\r\n".to_vec()),
            ("no_content_type", None, format!(r#"{{"flowType":"{flow_type}"}}"#).into_bytes()),
        ];
        for (label, content_type, body) in whole {
            let case = format!("api/{flow_type}/{label}");
            let answer = api_post(app, content_type, body).await;
            judge_api(&mut tally, &case, answer);
        }
    }
    tally
}

// ---------------------------------------------------------------------------------------
// The console

/// Console pages besides `console_pages()` whose forms take text.
const MORE_CONSOLE_PAGES: [&str; 4] = [
    "/admin/invitations",
    "/admin/users",
    "/admin/settings/applications",
    "/admin/audit",
];

/// The console's pages in two halves, each tried on a server of its own at the same time:
/// the flow pages (the draft editor is most of the console's cases) and the rest.
fn console_half(path: &str, flows: bool) -> bool {
    path.starts_with("/admin/flows") == flows
}

async fn console(app: &TestApp, flows: bool) -> Tally {
    let mut tally = Tally::default();
    let (mut browser, _) = admin_browser(app).await;
    // Things for the forms to be about: a draft, an account, an invitation.
    let flow = browser.get("/admin/flows/REGISTRATION").await;
    browser
        .post(
            "/admin/flows/REGISTRATION/draft/start",
            &[
                ("csrf_token".into(), flow.csrf()),
                ("source".into(), "template:registration-otp".into()),
            ],
        )
        .await;
    let account = unique_email("account");
    register_fully(app, "Ada", &account).await;
    app.invite(&unique_email("invitee"), BTreeMap::new(), "The matrix")
        .await;
    let user_page = {
        let users = browser.get("/admin/users").await;
        let doc = users.doc();
        doc.select(&sel("a[href^='/admin/users/']"))
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .next()
    };
    let mut pages: Vec<String> = console_pages().into_iter().map(str::to_owned).collect();
    pages.extend(MORE_CONSOLE_PAGES.iter().map(|p| (*p).to_owned()));
    pages.extend(user_page);
    pages.retain(|p| console_half(p, flows));
    let mut tried_fields: BTreeSet<String> = BTreeSet::new();
    for page_path in pages {
        let page = browser.get(&page_path).await;
        let mut keys: Vec<String> = forms(&page.html, "form")
            .iter()
            .filter(|f| tried(f))
            .map(form_key)
            .collect();
        let mut seen = BTreeSet::new();
        keys.retain(|k| seen.insert(k.clone()));
        for key in keys {
            console_form(
                app,
                &mut browser,
                &page_path,
                &key,
                &mut tried_fields,
                &mut tally,
            )
            .await;
        }
    }
    tally
}

/// The forms the matrix tries: posts with a CSRF token, but not signing out (that ends the
/// session the matrix runs in) and not uploads (the importer has its own cases).
fn tried(form: &Form) -> bool {
    !form.action.ends_with("/logout")
        && !form.action.ends_with("/admin/login")
        && !form.multipart
        && form.csrf().is_some()
}

/// What makes two forms the same for the matrix: where they post, what they carry, and the
/// editor operation they ask for (the draft page has one form per step and component).
fn form_key(form: &Form) -> String {
    let op = form
        .controls
        .iter()
        .find(|c| c.name == "op")
        .map_or("", |c| c.value.as_str());
    let names: Vec<&str> = form.targets().iter().map(|c| c.name.as_str()).collect();
    format!("{} {op} {}", form.action, names.join(" "))
}

/// The form with `key` on a fresh copy of its page (a saved change moves revisions on).
async fn find_form(browser: &Browser, page_path: &str, key: &str) -> Option<Form> {
    let page = browser.get(page_path).await;
    forms(&page.html, "form")
        .into_iter()
        .find(|f| form_key(f) == key)
}

/// Bad values for a control a person does not type in (hidden fields, buttons, choices):
/// fewer, since the form's own code, not a person, fills them.
const UNTYPED: [&str; 6] = [
    "empty",
    "invalid_utf8",
    "control",
    "script",
    "sql_drop",
    "long_5k",
];

fn console_valid(form: &Form) -> Vec<(String, Bad)> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for c in &form.controls {
        if matches!(c.kind, Kind::Checkbox | Kind::Radio) && !c.checked {
            continue;
        }
        if c.kind == Kind::File || !seen.insert(c.name.clone()) {
            continue;
        }
        out.push((c.name.clone(), Bad::Text(c.value.clone())));
    }
    out
}

async fn console_form(
    app: &TestApp,
    browser: &mut Browser,
    page_path: &str,
    key: &str,
    tried_fields: &mut BTreeSet<String>,
    tally: &mut Tally,
) {
    let Some(mut form) = find_form(browser, page_path, key).await else {
        return;
    };
    let targets: Vec<Control> = form.targets().into_iter().cloned().collect();
    for control in &targets {
        // A field is tried once per endpoint: the draft page has a form per component and
        // operation, posting the same fields to one address.
        if !tried_fields.insert(format!("{} {}", form.action, control.name)) {
            continue;
        }
        let typed = matches!(
            control.kind,
            Kind::Text
                | Kind::Email
                | Kind::Password
                | Kind::Tel
                | Kind::Number
                | Kind::Date
                | Kind::Otp
                | Kind::Textarea
        );
        let mut values: Vec<(String, Option<Bad>)> = bad_values(&control.value)
            .into_iter()
            .filter(|(l, _)| typed || UNTYPED.contains(l))
            .map(|(l, b)| (l.to_owned(), Some(b)))
            .collect();
        if typed {
            values.push(("duplicate".into(), None));
        }
        for (label, bad) in values {
            let case = format!("console{}/{}/{label}", form.action, control.name);
            let valid = console_valid(&form);
            let fields = match &bad {
                Some(bad) => with_bad(&valid, &control.name, bad),
                None => duplicated(&valid, &control.name),
            };
            let answer = post(browser, &form.action, FORM, form_body(&fields)).await;
            if let Some(answer) = tally.judge(&case, answer)
                && answer.status.is_redirection()
            {
                match follow_up(app, browser, page_path, key, &answer, &case, tally).await {
                    Some(f) => form = f,
                    // The form is gone (a draft discarded, say): its other cases say nothing.
                    None => return,
                }
            }
        }
    }
    // The whole-request cases once per endpoint.
    if !tried_fields.insert(form.action.clone()) {
        return;
    }
    let first_text = targets
        .iter()
        .find(|c| !c.trap && !matches!(c.kind, Kind::Hidden | Kind::Button))
        .or(targets.first())
        .map_or_else(|| "x".to_owned(), |c| c.name.clone());
    for (label, content_type, body) in whole_request_cases(&console_valid(&form), &first_text) {
        let case = format!("console{}/{label}", form.action);
        let answer = post(browser, &form.action, content_type, body).await;
        if let Some(answer) = tally.judge(&case, answer)
            && answer.status.is_redirection()
        {
            follow_up(app, browser, page_path, key, &answer, &case, tally).await;
        }
    }
}

/// After a console post that redirected: the page it leads to renders what was saved
/// without a 5xx or raw markup, and the matrix is still signed in (a changed password signs
/// out: sign in again as another owner). Returns the form again, from a fresh page.
async fn follow_up(
    app: &TestApp,
    browser: &mut Browser,
    page_path: &str,
    key: &str,
    answer: &Answer,
    case: &str,
    tally: &mut Tally,
) -> Option<Form> {
    let to = answer.location.clone().unwrap_or_default();
    if to.starts_with("/admin/login") {
        (*browser, _) = admin_browser(app).await;
        return find_form(browser, page_path, key).await;
    }
    let page = browser.get(&to).await;
    if page.url.contains("/admin/login") {
        (*browser, _) = admin_browser(app).await;
        return find_form(browser, page_path, key).await;
    }
    if page.status.is_server_error() {
        tally.fail(case, format!("then GET {to}: {}", page.status));
    }
    for markup in MARKUP {
        if page.html.contains(markup) {
            tally.fail(case, format!("then GET {to}: {markup} unescaped"));
        }
    }
    if to.split(['?', '#']).next() == Some(page_path) {
        forms(&page.html, "form")
            .into_iter()
            .find(|f| form_key(f) == key)
    } else {
        find_form(browser, page_path, key).await
    }
}

// ---------------------------------------------------------------------------------------
// The flow-definition importer

/// Flow definitions no one should import: broken JSON, deep nesting, huge strings, unknown
/// component types and the like. Each is also fed to `flows flow import`.
fn bad_definitions() -> Vec<(&'static str, Vec<u8>)> {
    let template = flows::engine::starter::by_id("registration-otp").expect("template");
    let good: Value =
        serde_json::from_str(&serde_json::to_string(&template.definition().unwrap()).unwrap())
            .unwrap();
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        serde_json::to_vec(&v).unwrap()
    };
    let good_text = serde_json::to_string(&good).unwrap();
    vec![
        ("empty", Vec::new()),
        ("whitespace", b"  \n\t ".to_vec()),
        ("open_brace", b"{".to_vec()),
        (
            "truncated",
            good_text.as_bytes()[..good_text.len() / 2].to_vec(),
        ),
        ("null", b"null".to_vec()),
        ("array", b"[]".to_vec()),
        ("trailing", format!("{good_text} garbage").into_bytes()),
        (
            "nested_arrays_10000",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        (
            "nested_objects_10000",
            format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000)).into_bytes(),
        ),
        (
            "nested_in_steps_10000",
            format!(
                r#"{{"flowType":"REGISTRATION","start":"a","steps":{}{}}}"#,
                "[".repeat(10_000),
                "]".repeat(10_000)
            )
            .into_bytes(),
        ),
        (
            "invalid_utf8",
            [
                b"{\"flowType\":\"REGISTRATION\",\"name\":\"".as_slice(),
                &[0xFF, 0xFE],
                b"\"}",
            ]
            .concat(),
        ),
        (
            "lone_surrogate",
            with(&|v| v["name"] = json!("@@")).pipe_replace(b"\"@@\"", br#""\ud800""#),
        ),
        (
            "nul_in_text",
            with(&|v| v["steps"][0]["components"][0]["config"]["text"] = json!("Hi\0there")),
        ),
        (
            "control_in_name",
            with(&|v| v["name"] = json!("Flow\r\nBcc: x@example.com\u{1b}")),
        ),
        (
            "script_texts",
            with(&|v| {
                v["name"] = json!(SCRIPT);
                v["steps"][0]["components"][0]["config"]["text"] = json!(IMG);
                v["steps"][0]["id"] = json!(SCRIPT);
            }),
        ),
        (
            "huge_string_400k",
            with(&|v| v["description"] = json!("a".repeat(400 * 1024))),
        ),
        (
            "huge_text_in_component",
            with(&|v| {
                v["steps"][0]["components"][0]["config"]["text"] = json!("b".repeat(300 * 1024))
            }),
        ),
        (
            "over_limit_700k",
            with(&|v| v["description"] = json!("a".repeat(700 * 1024))),
        ),
        (
            "unknown_component_type",
            with(&|v| v["steps"][0]["components"][0]["type"] = json!("SPINNER")),
        ),
        (
            "unknown_variant",
            with(&|v| v["steps"][0]["components"][0]["variant"] = json!("H9")),
        ),
        (
            "unknown_executor",
            with(&|v| v["steps"][1]["executor"] = json!("RunShell")),
        ),
        (
            "unknown_validation",
            with(&|v| {
                v["steps"][0]["components"][2]["components"][0]["config"]["validations"] =
                    json!([{"name": "EVAL", "value": 1}])
            }),
        ),
        (
            "negative_length",
            with(&|v| {
                v["steps"][0]["components"][2]["components"][0]["config"]["validations"] =
                    json!([{"name": "MAX_LENGTH", "value": -1}])
            }),
        ),
        (
            "huge_number",
            with(&|v| {
                v["steps"][0]["components"][2]["components"][0]["config"]["validations"] =
                    json!([{"name": "MAX_LENGTH", "value": 1e300}])
            }),
        ),
        (
            "otp_length_300",
            with(&|v| {
                v["steps"][3]["components"][2]["components"][0]["config"]["length"] = json!(300)
            }),
        ),
        (
            "huge_regex",
            with(&|v| {
                v["steps"][0]["components"][2]["components"][0]["config"]["validations"] =
                    json!([{"name": "REGEX", "pattern": "(a{1000}){1000}"}])
            }),
        ),
        (
            "wrong_flow_type",
            with(&|v| v["flowType"] = json!("PASSWORD_RECOVERY")),
        ),
        (
            "unknown_flow_type",
            with(&|v| v["flowType"] = json!("'; DROP TABLE flows; --")),
        ),
        ("missing_start", with(&|v| v["start"] = json!("nowhere"))),
        (
            "steps_1000",
            with(&|v| {
                let steps: Vec<Value> = (0..1000)
                .map(|i| json!({"id": format!("s{i}"), "type": "VIEW", "components": [], "actions": [{"ref": "go", "next": format!("s{}", i + 1)}]}))
                .collect();
                v["steps"] = json!(steps);
            }),
        ),
        (
            "components_nested_100",
            with(&|v| {
                let mut c = json!({"id": "leaf", "type": "FORM", "components": []});
                for i in 0..100 {
                    c = json!({"id": format!("f{i}"), "type": "FORM", "components": [c]});
                }
                v["steps"][0]["components"] = json!([c]);
            }),
        ),
    ]
}

/// `replace` for byte strings, to put JSON escapes serde would not write.
trait PipeReplace {
    fn pipe_replace(self, from: &[u8], to: &[u8]) -> Vec<u8>;
}

impl PipeReplace for Vec<u8> {
    fn pipe_replace(self, from: &[u8], to: &[u8]) -> Vec<u8> {
        let text = String::from_utf8(self).expect("utf-8");
        text.replace(
            std::str::from_utf8(from).expect("utf-8"),
            std::str::from_utf8(to).expect("utf-8"),
        )
        .into_bytes()
    }
}

async fn importer(app: &TestApp) -> Tally {
    let mut tally = Tally::default();
    let (browser, _) = admin_browser(app).await;
    let path = "/admin/flows/REGISTRATION/import";
    let csrf = browser.get(path).await.csrf();
    let boundary = "XimportX";
    let multipart = |parts: &[(&str, &[u8])]| -> Vec<u8> {
        let mut body = Vec::new();
        for (name, value) in parts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"flow.json\"\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(value);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
    };
    let content_type = "multipart/form-data; boundary=XimportX";
    for (label, document) in bad_definitions() {
        for field in ["definition", "file"] {
            let case = format!("import/{field}/{label}");
            let body = multipart(&[("csrf_token", csrf.as_bytes()), (field, &document)]);
            let answer = post(&browser, path, Some(content_type), body).await;
            if let Some(a) = tally.judge(&case, answer)
                && a.status.is_redirection()
            {
                // Kept as the draft: the draft page, its preview and the diff still render.
                let to = a.location.unwrap_or_default();
                for then in [
                    to.as_str(),
                    "/admin/flows/REGISTRATION/draft/preview/details",
                    "/admin/flows/REGISTRATION/diff",
                ] {
                    let page = browser.get(then).await;
                    let answer = Ok(Answer {
                        status: page.status,
                        content_type: page
                            .headers
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned(),
                        body: page.html,
                        location: None,
                    });
                    if page.status != StatusCode::NOT_FOUND {
                        tally.judge(&format!("{case}/then {then}"), answer);
                    }
                }
            }
        }
    }
    let good = serde_json::to_vec(
        &flows::engine::starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap()
            .to_stored()
            .unwrap(),
    )
    .unwrap();
    let whole: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        (
            "no_csrf",
            Some(content_type),
            multipart(&[("definition", b"{")]),
        ),
        (
            "forged_csrf",
            Some(content_type),
            multipart(&[("csrf_token", b"forged"), ("definition", &good)]),
        ),
        (
            "form_encoded",
            FORM,
            format!("csrf_token={}&definition=%7B", encode(&csrf)).into_bytes(),
        ),
        ("json", JSON, good.clone()),
        ("text_plain", Some("text/plain"), good.clone()),
        ("no_content_type", None, good.clone()),
        ("no_boundary", Some("multipart/form-data"), good.clone()),
        (
            "broken_multipart",
            Some(content_type),
            b"--XimportX\r\nContent-Disposition: form-data; name=\"definition\"\r\n\r\n{\"a\":"
                .to_vec(),
        ),
        (
            "field_10000",
            Some(content_type),
            multipart(
                &(0..10_000)
                    .map(|_| ("x", b"1".as_slice()))
                    .chain([("csrf_token", csrf.as_bytes())])
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "two_definitions",
            Some(content_type),
            multipart(&[
                ("csrf_token", csrf.as_bytes()),
                ("definition", &good),
                ("definition", SCRIPT.as_bytes()),
            ]),
        ),
        (
            "body_3mb",
            Some(content_type),
            multipart(&[
                ("csrf_token", csrf.as_bytes()),
                ("definition", &vec![b'a'; 3 * MEGABYTE]),
            ]),
        ),
    ];
    for (label, content_type, body) in whole {
        let case = format!("import/{label}");
        let answer = post(&browser, path, content_type, body).await;
        tally.judge(&case, answer);
    }
    // The logo upload reads its form with the same reader: a body cut off mid-field, or a
    // file far past the limit, is answered at once, never read on for ever.
    let logo: [(&str, Vec<u8>); 2] = [
        (
            "broken_multipart",
            b"--XimportX\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nab".to_vec(),
        ),
        (
            "body_3mb",
            multipart(&[
                ("csrf_token", csrf.as_bytes()),
                ("logo", &vec![b'a'; 3 * MEGABYTE]),
            ]),
        ),
    ];
    for (label, body) in logo {
        let answer = post(
            &browser,
            "/admin/settings/branding/logo",
            Some(content_type),
            body,
        );
        tally.judge(&format!("logo/{label}"), answer.await);
    }
    tally
}

// ---------------------------------------------------------------------------------------
// The command line

#[derive(Default)]
struct CliTally {
    runs: usize,
    refused: usize,
    accepted: usize,
    failures: Vec<String>,
}

fn cli_run(
    dir: &std::path::Path,
    database_url: &str,
    args: &[std::ffi::OsString],
    stdin: &[u8],
) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_flows"))
        .args(args)
        .current_dir(dir)
        .env("FLOWS_DATABASE_URL", database_url)
        .env("FLOWS_MAIL_DIR", dir.join("mail"))
        .env_remove("FLOWS_SMTP_URL")
        .envs(
            std::env::var("FLOWS_TEST_SMTP_URL")
                .ok()
                .map(|u| ("FLOWS_SMTP_URL", u)),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flows runs");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("flows exits");
    let _ = writer.join();
    out
}

fn os(s: &str) -> std::ffi::OsString {
    s.into()
}

/// A bad value as a command-line argument: raw percent bytes become the bytes they name.
fn arg_of(bad: &Bad) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStringExt;
    match bad {
        // An argument cannot hold NUL: the OS refuses it before `flows` could see it.
        Bad::Text(t) if t.contains('\0') => None,
        Bad::Text(t) => Some(t.into()),
        Bad::Raw("%FF%FE%C3%28") => {
            Some(std::ffi::OsString::from_vec(vec![0xFF, 0xFE, 0xC3, 0x28]))
        }
        Bad::Raw(r) => Some((*r).into()),
    }
}

async fn cli(dir: &std::path::Path) -> CliTally {
    let database_url = fresh_database_url(dir).await;
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || cli_cases(&dir, &database_url))
        .await
        .expect("cli cases")
}

fn cli_cases(dir: &std::path::Path, database_url: &str) -> CliTally {
    let mut tally = CliTally::default();
    let mut judge = |case: String, args: Vec<std::ffi::OsString>, stdin: &[u8]| {
        let out = cli_run(dir, database_url, &args, stdin);
        tally.runs += 1;
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => tally.accepted += 1,
            Some(2) => tally.refused += 1,
            other => tally
                .failures
                .push(format!("{case}: exit {other:?}: {err}")),
        }
        if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
            tally.failures.push(format!("{case}: panicked: {err}"));
        }
        if out.status.code() == Some(2) && err.lines().count() != 1 {
            tally.failures.push(format!("{case}: not one line: {err}"));
        }
        let said = String::from_utf8_lossy(&out.stdout);
        if said.contains('\0') || err.contains('\0') {
            tally.failures.push(format!("{case}: NUL in the output"));
        }
    };
    judge("migrate".into(), vec![os("migrate")], b"");
    // invite: each argument bad, the rest valid.
    for arg in ["--email", "--given-name", "--family-name", "--invited-by"] {
        let valid_value = if arg == "--email" {
            unique_email("cli")
        } else {
            "Ada".into()
        };
        for (label, bad) in bad_values(&valid_value) {
            let Some(bad) = arg_of(&bad) else { continue };
            let mut args = vec![os("invite")];
            for other in ["--email", "--given-name", "--family-name", "--invited-by"] {
                args.push(os(other));
                if other == arg {
                    args.push(bad.clone());
                } else if other == "--email" {
                    args.push(os(&unique_email("cli")));
                } else {
                    args.push(os("Ada"));
                }
            }
            judge(format!("cli/invite/{arg}/{label}"), args, b"");
        }
    }
    // One argument commands.
    let single: [(&[&str], &str); 6] = [
        (&["admin", "create"], "--email"),
        (&["admin", "token", "create"], "--name"),
        (&["admin", "token", "revoke"], "--name"),
        (
            &["app", "create", "--return-url", "https://app.example/done"],
            "--name",
        ),
        (&["app", "create", "--name", "App"], "--return-url"),
        (&["flow", "export"], "--type"),
    ];
    for (command, arg) in single {
        for (label, bad) in bad_values("valid") {
            let Some(bad) = arg_of(&bad) else { continue };
            let mut args: Vec<std::ffi::OsString> = command.iter().map(|s| os(s)).collect();
            args.push(os(arg));
            args.push(bad);
            judge(
                format!("cli/{}/{arg}/{label}", command.join(" ")),
                args,
                b"a long enough pass phrase\n",
            );
        }
    }
    for (label, bad) in bad_values("https://app.example") {
        let Some(bad) = arg_of(&bad) else { continue };
        let args = vec![
            os("app"),
            os("create"),
            os("--name"),
            os(&format!("app-{label}")),
            os("--return-url"),
            os("https://app.example/done"),
            os("--origin"),
            bad.clone(),
        ];
        judge(format!("cli/app create/--origin/{label}"), args, b"");
        judge(
            format!("cli/app delete/{label}"),
            vec![os("app"), os("delete"), bad],
            b"",
        );
    }
    // The password of `admin create` comes on standard input.
    for (label, stdin) in [
        ("empty", Vec::new()),
        ("nul", b"pass\0phrase long enough".to_vec()),
        (
            "invalid_utf8",
            vec![
                0xFF, 0xFE, 0xC3, 0x28, b'x', b'y', b'z', b'w', b'v', b'u', b't',
            ],
        ),
        ("crlf", b"a long enough pass\r\nphrase\r\n".to_vec()),
        ("megabyte", vec![b'a'; MEGABYTE]),
    ] {
        let args = vec![
            os("admin"),
            os("create"),
            os("--email"),
            os(&unique_email("cliadmin")),
        ];
        judge(format!("cli/admin create/stdin/{label}"), args, &stdin);
    }
    // `flow import` reads every bad definition from a file.
    for (label, document) in bad_definitions() {
        let file = dir.join(format!("{label}.json"));
        std::fs::write(&file, &document).expect("write");
        judge(
            format!("cli/flow import/{label}"),
            vec![os("flow"), os("import"), file.into_os_string()],
            b"",
        );
    }
    judge(
        "cli/flow import/missing".into(),
        vec![os("flow"), os("import"), os("/nonexistent/flow.json")],
        b"",
    );
    judge(
        "cli/flow import/directory".into(),
        vec![os("flow"), os("import"), dir.as_os_str().to_owned()],
        b"",
    );
    let config = dir.join("bad.toml");
    std::fs::write(&config, b"listen = [\xFF\n").expect("write");
    judge(
        "cli/--config/garbage".into(),
        vec![os("--config"), config.into_os_string(), os("migrate")],
        b"",
    );
    judge("cli/unknown".into(), vec![os("<script>")], b"");
    tally
}

// ---------------------------------------------------------------------------------------
// What was stored, and what was mailed

/// Every stored value a person or an admin could have typed, by where it is.
async fn stored_values(app: &TestApp) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let queries = [
        (
            "users",
            "SELECT email, COALESCE(username, ''), CAST(attributes AS TEXT) FROM users",
        ),
        (
            "executions",
            "SELECT CAST(id AS TEXT), step, CAST(attributes AS TEXT) FROM executions",
        ),
        (
            "invitations",
            "SELECT email, invited_by, CAST(attributes AS TEXT) FROM invitations",
        ),
    ];
    let url = &app.settings.database_url;
    for (table, query) in queries {
        let rows: Vec<(String, String, String)> = if url.starts_with("postgres") {
            use sqlx::Connection;
            let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
            sqlx::query_as(query).fetch_all(&mut db).await.expect(table)
        } else {
            use sqlx::Connection;
            let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
            sqlx::query_as(query).fetch_all(&mut db).await.expect(table)
        };
        for (a, b, attributes) in rows {
            out.push((format!("{table}.0"), a));
            out.push((format!("{table}.1"), b));
            let map: BTreeMap<String, Value> =
                serde_json::from_str(&attributes).expect("attributes are JSON");
            for (k, v) in map {
                out.push((
                    format!("{table}.{k}"),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                ));
            }
        }
    }
    out
}

/// No stored value holds a control character, or is longer than a field takes.
async fn check_stored(app: &TestApp, surface: &str, tally: &mut Tally) {
    for (at, value) in stored_values(app).await {
        let max = if at.ends_with("name") { 100 } else { 1000 };
        if value.chars().any(char::is_control) {
            tally.fail(
                surface,
                format!("{at} holds a control character: {value:?}"),
            );
        }
        if value.chars().count() > max {
            tally.fail(
                surface,
                format!("{at} is {} characters long", value.chars().count()),
            );
        }
    }
    // The console's texts: line breaks and tabs shape them, nothing else may hide in them.
    let query = "SELECT locale, key, value FROM message_overrides";
    let url = &app.settings.database_url;
    let texts: Vec<(String, String, String)> = if url.starts_with("postgres") {
        use sqlx::Connection;
        let mut db = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query_as(query)
            .fetch_all(&mut db)
            .await
            .expect("texts")
    } else {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query_as(query)
            .fetch_all(&mut db)
            .await
            .expect("texts")
    };
    for (locale, key, value) in texts {
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            tally.fail(
                surface,
                format!("text {locale}/{key} holds a control character: {value:?}"),
            );
        }
    }
}

/// No mail at the sink went to the victim or carries a header the matrix tried to inject.
fn check_mail_headers(tally: &mut Tally) {
    let Ok(dir) = std::env::var("FLOWS_TEST_MAILDIR") else {
        return;
    };
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(std::path::Path::new(&dir).join(sub)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            let head = text.split("\r\n\r\n").next().unwrap_or_default();
            let head = head.split("\n\n").next().unwrap_or_default();
            if head.to_lowercase().contains(&victim().to_lowercase()) {
                tally.fail(
                    "mail",
                    format!("an injected header reached the sink: {head}"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------

fn report(name: &str, tally: &Tally, started: Instant) {
    println!(
        "{} in {:.1} s",
        tally.line(&format!(" ({name})")),
        started.elapsed().as_secs_f64()
    );
}

/// `FLOWS_MATRIX_ONLY=console,api` runs only those surfaces (the whole matrix by default).
fn skip(surface: &str) -> bool {
    std::env::var("FLOWS_MATRIX_ONLY").is_ok_and(|only| !only.split(',').any(|s| s == surface))
}

async fn smtp_app() -> TestApp {
    spawn_app_with(Options {
        smtp: true,
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_input_never_gets_a_5xx_reflected_markup_or_a_broken_row() {
    let started = Instant::now();
    let (hosted_app, api_app, console_app, console_rest_app) =
        tokio::join!(smtp_app(), smtp_app(), smtp_app(), smtp_app());
    let cli_dir = tempfile::tempdir().expect("dir");
    let surfaces = async {
        let t = Instant::now();
        if skip("hosted") {
            return Tally::default();
        }
        let tally = hosted(&hosted_app).await;
        report("hosted", &tally, t);
        tally
    };
    let api_surface = async {
        let t = Instant::now();
        if skip("api") {
            return Tally::default();
        }
        let tally = api(&api_app).await;
        report("API", &tally, t);
        tally
    };
    let console_surface = async {
        let t = Instant::now();
        if skip("console") {
            return (Tally::default(), Tally::default());
        }
        let (mut tally, (rest, import)) = tokio::join!(console(&console_app, true), async {
            let rest = console(&console_rest_app, false).await;
            // The importer replaces the draft: on the server without draft edits.
            let t = Instant::now();
            let import = importer(&console_rest_app).await;
            report("importer", &import, t);
            (rest, import)
        });
        tally.add(&rest);
        report("console", &tally, t);
        tally.add(&import);
        (tally, import)
    };
    let cli_surface = async {
        let t = Instant::now();
        if skip("cli") {
            return CliTally::default();
        }
        let tally = cli(cli_dir.path()).await;
        println!(
            "bad input (CLI): {} runs, refused (exit 2): {}, accepted (exit 0): {}, other: {} in {:.1} s",
            tally.runs,
            tally.refused,
            tally.accepted,
            tally.failures.len(),
            t.elapsed().as_secs_f64()
        );
        tally
    };
    let (mut hosted_tally, api_tally, (console_tally, _), cli_tally) =
        tokio::join!(surfaces, api_surface, console_surface, cli_surface);
    let mut total = Tally::default();
    assert_alive(&hosted_app, &mut hosted_tally, "hosted").await;
    check_stored(&hosted_app, "hosted", &mut hosted_tally).await;
    let mut api_tally = api_tally;
    assert_alive(&api_app, &mut api_tally, "API").await;
    check_stored(&api_app, "API", &mut api_tally).await;
    let mut console_tally = console_tally;
    for app in [&console_app, &console_rest_app] {
        assert_alive(app, &mut console_tally, "console").await;
        check_stored(app, "console", &mut console_tally).await;
    }
    // The CLI's invitations went to the sink too; give the outbox a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    check_mail_headers(&mut total);
    total.add(&hosted_tally);
    total.add(&api_tally);
    total.add(&console_tally);
    total.cases += cli_tally.runs;
    total.client_errors += cli_tally.refused;
    total.rerendered += cli_tally.accepted;
    total.accepted += cli_tally.accepted;
    total.server_errors += cli_tally.failures.len();
    total.failures.extend(cli_tally.failures.iter().cloned());
    println!(
        "{} (CLI refusals counted as 4xx, CLI successes as accepted) in {:.1} s",
        total.line(""),
        started.elapsed().as_secs_f64()
    );
    assert!(
        total.failures.is_empty(),
        "{} failure(s):\n{}",
        total.failures.len(),
        total.failures.join("\n")
    );
}
