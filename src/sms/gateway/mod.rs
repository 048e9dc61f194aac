//! An HTTP SMS gateway: any provider with an HTTP API, described by settings. Everything is
//! checked once at startup, so a bad configuration stops the server instead of failing each
//! message in the outbox.

use crate::config::Settings;
use crate::mail::SendError;
use base64::Engine;
use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;

/// A gateway's answer is a few hundred bytes; only its start goes into an error.
const MAX_ANSWER: usize = 64 * 1024;
const EXCERPT_CHARS: usize = 200;

const TWILIO_BODY: &str = "To={to}&From={from}&Body={body}";
const FORM: &str = "application/x-www-form-urlencoded";
const JSON_BODY: &str = r#"{"to":"{to}","from":"{from}","body":"{body}"}"#;
const JSON: &str = "application/json";
/// GET's query string, or a form body without a preset.
const FORM_BODY: &str = "to={to}&from={from}&body={body}";

/// How a value is written into the body template.
#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Form,
    Json,
    Raw,
}

/// Behind an `Arc`: `SmsSender` holds it beside a mere path, and a clone stays cheap.
#[derive(Clone)]
pub struct Gateway(Arc<Inner>);

struct Inner {
    /// Scheme, authority and path only: the query may hold an API key.
    shown: String,
    preset: Option<&'static str>,
    host: String,
    port: u16,
    authority: String,
    path_and_query: String,
    tls: Option<tokio_rustls::TlsConnector>,
    method: hyper::Method,
    /// `None` for GET: the filled template goes into the query instead.
    content_type: Option<String>,
    encoding: Encoding,
    template: String,
    from: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The whole `Authorization` value, kept secret until the request is built.
    authorization: Option<SecretString>,
    success: Vec<(u16, u16)>,
    timeout: Duration,
}

impl Gateway {
    /// `None` when no gateway URL is set.
    pub fn from_settings(settings: &Settings) -> Result<Option<Self>, String> {
        let url = settings.sms_gateway_url.trim();
        if url.is_empty() {
            return Ok(None);
        }
        let parsed =
            url::Url::parse(url).map_err(|e| format!("FLOWS_SMS_GATEWAY_URL is not a URL: {e}"))?;
        let https = match parsed.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err("FLOWS_SMS_GATEWAY_URL must be http:// or https://".into()),
        };
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(
                "FLOWS_SMS_GATEWAY_URL must not hold a user or password: use \
                 FLOWS_SMS_GATEWAY_USER and FLOWS_SMS_GATEWAY_PASSWORD"
                    .into(),
            );
        }
        let host = match parsed.host() {
            Some(url::Host::Domain(d)) => d.to_owned(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            None => return Err("FLOWS_SMS_GATEWAY_URL has no host".into()),
        };
        let port = parsed
            .port_or_known_default()
            .ok_or("FLOWS_SMS_GATEWAY_URL has no port")?;
        let host_shown = parsed.host_str().unwrap_or_default();
        let authority = match parsed.port() {
            Some(port) => format!("{host_shown}:{port}"),
            None => host_shown.to_owned(),
        };
        let shown = format!(
            "{}://{authority}{}{}",
            parsed.scheme(),
            parsed.path(),
            if parsed.query().is_some() { "?…" } else { "" }
        );

        let preset = settings.sms_gateway_preset.trim().to_ascii_lowercase();
        let preset = match preset.as_str() {
            "" => None,
            "twilio" => Some("twilio"),
            _ => return Err("FLOWS_SMS_GATEWAY_PRESET must be empty or twilio".into()),
        };
        let method = settings.sms_gateway_method.trim().to_ascii_uppercase();
        let method = match method.as_str() {
            "" | "POST" => hyper::Method::POST,
            "PUT" => hyper::Method::PUT,
            "GET" => hyper::Method::GET,
            _ => return Err("FLOWS_SMS_GATEWAY_METHOD must be POST, PUT or GET".into()),
        };
        let get = method == hyper::Method::GET;
        let explicit_type = settings.sms_gateway_content_type.trim();
        let explicit_body = settings.sms_gateway_body.trim();
        if get && !explicit_type.is_empty() {
            return Err(
                "FLOWS_SMS_GATEWAY_CONTENT_TYPE: a GET request has no body (its \
                 FLOWS_SMS_GATEWAY_BODY is the query string)"
                    .into(),
            );
        }
        let (template, content_type) = match (preset, explicit_body.is_empty()) {
            _ if get => (pick(explicit_body, FORM_BODY), None),
            (Some(_), _) => (
                pick(explicit_body, TWILIO_BODY),
                Some(pick(explicit_type, FORM)),
            ),
            (None, true) if encoding_of(explicit_type) == Encoding::Form => {
                (FORM_BODY.to_owned(), Some(explicit_type.to_owned()))
            }
            (None, true) => (JSON_BODY.to_owned(), Some(pick(explicit_type, JSON))),
            // A body of one's own without a type is most likely JSON, the common API shape.
            (None, false) => (explicit_body.to_owned(), Some(pick(explicit_type, JSON))),
        };
        if !template.contains("{to}") || !template.contains("{body}") {
            return Err("FLOWS_SMS_GATEWAY_BODY must hold {to} and {body}".into());
        }
        let encoding = match &content_type {
            None => Encoding::Form,
            Some(t) => encoding_of(t),
        };
        let path_and_query = match (parsed.query(), get) {
            (Some(q), true) => format!("{}?{q}&", parsed.path()),
            (None, true) => format!("{}?", parsed.path()),
            (Some(q), false) => format!("{}?{q}", parsed.path()),
            (None, false) => parsed.path().to_owned(),
        };

        let authorization = authorization(settings)?;
        if preset == Some("twilio") {
            if !matches!(&authorization, Some(a) if a.expose_secret().starts_with("Basic ")) {
                return Err(
                    "FLOWS_SMS_GATEWAY_PRESET twilio needs FLOWS_SMS_GATEWAY_USER (the \
                     Account SID) and FLOWS_SMS_GATEWAY_PASSWORD (the auth token)"
                        .into(),
                );
            }
            if template.contains("{from}") && settings.sms_from.trim().is_empty() {
                return Err("FLOWS_SMS_FROM is needed with FLOWS_SMS_GATEWAY_PRESET twilio".into());
            }
        }

        let headers = extra_headers(&settings.sms_gateway_headers, authorization.is_some())?;
        let success = success_list(&settings.sms_gateway_success)?;
        if settings.sms_gateway_timeout_ms == 0 {
            return Err("FLOWS_SMS_GATEWAY_TIMEOUT_MS must be above 0".into());
        }
        let tls = https
            .then(|| crate::tls::connector(None))
            .transpose()
            .map_err(|e| format!("FLOWS_SMS_GATEWAY_URL: TLS setup: {e}"))?;
        Ok(Some(Self(Arc::new(Inner {
            shown,
            preset,
            host,
            port,
            authority,
            path_and_query,
            tls,
            method,
            content_type,
            encoding,
            template,
            from: settings.sms_from.trim().to_owned(),
            headers,
            authorization,
            success,
            timeout: Duration::from_millis(settings.sms_gateway_timeout_ms),
        }))))
    }

    pub fn describe(&self) -> String {
        match self.0.preset {
            Some(preset) => format!("gateway {} ({preset})", self.0.shown),
            None => format!("gateway {}", self.0.shown),
        }
    }

    /// A timeout after the request went out is Temporary too, so a gateway that sent the
    /// message but answered late may send it twice: better than never sending a code.
    pub async fn send(&self, to: &str, body: &str) -> Result<(), SendError> {
        self.0.send(to, body).await
    }
}

impl Inner {
    async fn send(&self, to: &str, body: &str) -> Result<(), SendError> {
        let filled = fill(&self.template, self.encoding, to, &self.from, body);
        let request = self.request(filled)?;
        let answer = tokio::time::timeout(
            self.timeout,
            crate::tls::exchange(
                (self.host.as_str(), self.port),
                &self.host,
                self.tls.as_ref(),
                request,
                MAX_ANSWER,
            ),
        )
        .await;
        use crate::tls::ExchangeError;
        let (status, answer) = match answer {
            Ok(Ok(answer)) => answer,
            Err(_) => {
                return Err(SendError::Temporary(format!(
                    "no answer within {:?}",
                    self.timeout
                )));
            }
            Ok(Err(ExchangeError::TooLarge)) => {
                return Err(SendError::Temporary("an answer over 64 KiB".into()));
            }
            Ok(Err(ExchangeError::Failed(why))) => return Err(SendError::Temporary(why)),
        };
        let code = status.as_u16();
        if self
            .success
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&code))
        {
            return Ok(());
        }
        let why = format!("gateway answered {status}: {}", excerpt(&answer));
        match code {
            408 | 429 | 500..=599 => Err(SendError::Temporary(why)),
            _ => Err(SendError::Permanent(why)),
        }
    }

    fn request(
        &self,
        filled: String,
    ) -> Result<hyper::Request<http_body_util::Full<Bytes>>, SendError> {
        let (uri, content) = match &self.content_type {
            None => (format!("{}{filled}", self.path_and_query), String::new()),
            Some(_) => (self.path_and_query.clone(), filled),
        };
        let mut builder = hyper::Request::builder()
            .method(self.method.clone())
            .uri(uri)
            .header(header::HOST, &self.authority)
            .header(header::USER_AGENT, "flows");
        if let Some(content_type) = &self.content_type {
            builder = builder
                .header(header::CONTENT_TYPE, content_type)
                .header(header::CONTENT_LENGTH, content.len());
        }
        if let Some(authorization) = &self.authorization {
            let mut value = HeaderValue::from_str(authorization.expose_secret()).map_err(|_| {
                SendError::Permanent("the Authorization header is not valid".into())
            })?;
            value.set_sensitive(true);
            builder = builder.header(header::AUTHORIZATION, value);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder
            .body(http_body_util::Full::new(Bytes::from(content)))
            .map_err(|e| SendError::Permanent(format!("request: {e}")))
    }
}

/// The `Authorization` value of the basic or bearer auth settings.
fn authorization(settings: &Settings) -> Result<Option<SecretString>, String> {
    let user = settings.sms_gateway_user.trim();
    let given = |s: &Option<SecretString>| s.clone().filter(|s| !s.expose_secret().is_empty());
    let value = match (
        user,
        given(&settings.sms_gateway_password),
        given(&settings.sms_gateway_token),
    ) {
        ("", None, None) => return Ok(None),
        ("", Some(_), _) => {
            return Err("FLOWS_SMS_GATEWAY_PASSWORD is set without FLOWS_SMS_GATEWAY_USER".into());
        }
        (_, None, None) => {
            return Err("FLOWS_SMS_GATEWAY_USER is set without FLOWS_SMS_GATEWAY_PASSWORD".into());
        }
        ("", None, Some(token)) => format!("Bearer {}", token.expose_secret()),
        (_, Some(password), None) => {
            let pair = format!("{user}:{}", password.expose_secret());
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            format!("Basic {encoded}")
        }
        _ => return Err(
            "FLOWS_SMS_GATEWAY_TOKEN and a user and password are set: choose bearer or basic auth"
                .into(),
        ),
    };
    if HeaderValue::from_str(&value).is_err() {
        return Err("FLOWS_SMS_GATEWAY_TOKEN has characters a header cannot hold".into());
    }
    Ok(Some(SecretString::from(value)))
}

fn pick(explicit: &str, default: &str) -> String {
    Some(explicit)
        .filter(|e| !e.is_empty())
        .unwrap_or(default)
        .to_owned()
}

fn encoding_of(content_type: &str) -> Encoding {
    let lower = content_type.to_ascii_lowercase();
    if lower.contains(FORM) {
        Encoding::Form
    } else if lower.contains("json") {
        Encoding::Json
    } else {
        Encoding::Raw
    }
}

/// The template with each placeholder replaced in one pass, so a `{to}` written in the
/// message itself stays as it is.
fn fill(template: &str, encoding: Encoding, to: &str, from: &str, body: &str) -> String {
    let mut out = String::with_capacity(template.len() + body.len() * 2);
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let found = [("{to}", to), ("{from}", from), ("{body}", body)]
            .into_iter()
            .find(|(placeholder, _)| rest.starts_with(placeholder));
        match found {
            Some((placeholder, value)) => {
                out.push_str(&encode(value, encoding));
                rest = &rest[placeholder.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn encode(value: &str, encoding: Encoding) -> String {
    match encoding {
        Encoding::Form => url::form_urlencoded::byte_serialize(value.as_bytes()).collect(),
        Encoding::Json => {
            let quoted = serde_json::Value::String(value.to_owned()).to_string();
            // The template holds the quotes: `"{body}"`.
            quoted[1..quoted.len() - 1].to_owned()
        }
        Encoding::Raw => value.to_owned(),
    }
}

/// The extra headers of `FLOWS_SMS_GATEWAY_HEADERS`, marked sensitive: they often hold an
/// API key, which is also why no error quotes a value.
fn extra_headers(json: &str, has_auth: bool) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|_| {
            "FLOWS_SMS_GATEWAY_HEADERS must be a JSON object of names to strings".to_owned()
        })?;
    let mut headers = Vec::with_capacity(object.len());
    for (name, value) in object {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("FLOWS_SMS_GATEWAY_HEADERS: {name:?} is not a header name"))?;
        // These are the gateway's own settings, or hyper's to write.
        if [
            header::HOST,
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONTENT_TYPE,
        ]
        .contains(&header_name)
            || (has_auth && header_name == header::AUTHORIZATION)
        {
            return Err(format!("FLOWS_SMS_GATEWAY_HEADERS may not set {name}"));
        }
        let mut header_value = value
            .as_str()
            .and_then(|v| HeaderValue::from_str(v).ok())
            .ok_or_else(|| {
                format!("FLOWS_SMS_GATEWAY_HEADERS: the value of {name} is not a header value")
            })?;
        header_value.set_sensitive(true);
        headers.push((header_name, header_value));
    }
    Ok(headers)
}

/// `200-299`, `200,201,202`, or both mixed.
fn success_list(list: &str) -> Result<Vec<(u16, u16)>, String> {
    let bad = |part: &str| {
        format!("FLOWS_SMS_GATEWAY_SUCCESS: {part:?} is not a status or a range of statuses")
    };
    let code = |s: &str| {
        s.trim()
            .parse::<u16>()
            .ok()
            .filter(|c| (100..=599).contains(c))
    };
    let mut ranges = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let range = match part.split_once('-') {
            Some((lo, hi)) => code(lo).zip(code(hi)).filter(|(lo, hi)| lo <= hi),
            None => code(part).map(|c| (c, c)),
        };
        ranges.push(range.ok_or_else(|| bad(part))?);
    }
    if ranges.is_empty() {
        return Err("FLOWS_SMS_GATEWAY_SUCCESS is empty: give statuses such as 200-299".into());
    }
    Ok(ranges)
}

/// The start of an answer, on one line: it may say why the message was refused.
fn excerpt(answer: &[u8]) -> String {
    let text = String::from_utf8_lossy(answer);
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
