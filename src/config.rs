//! Settings: defaults, overridden by a TOML file (`--config`), overridden by `FLOWS_*`
//! environment variables. Every field is listed in CONTRACT.md.

use crate::password_hash::{HashParams, WaitBudget};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// `Debug` is written by hand: the database and SMTP URLs may carry passwords.
#[derive(Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    /// A second listener for operators: `/metrics`, `/healthz` and `/readyz` only, open to
    /// whoever reaches it (bind it to a private address). `None`: no such listener.
    pub admin_listen: Option<SocketAddr>,
    /// The bearer token that opens `/metrics` on the public listener. `None`: the public
    /// listener does not serve `/metrics` at all.
    pub metrics_token: Option<SecretString>,
    pub public_url: String,
    pub database_url: String,
    /// PostgreSQL: at most this many connections per instance (SQLite ignores it).
    pub database_pool_size: u32,
    /// PostgreSQL: how long to wait for the server to accept a connection.
    pub database_connect_timeout_ms: u64,
    /// PostgreSQL: the server cancels any statement that runs longer.
    pub database_statement_timeout_ms: u64,
    pub smtp_url: Option<String>,
    pub mail_dir: PathBuf,
    pub mail_from: String,
    /// Hex or base64, 64 bytes or more. `None`: generated once and kept in the database.
    pub session_key: Option<SecretString>,
    pub admin_email: Option<String>,
    pub admin_password: Option<SecretString>,
    pub log: String,
    pub log_json: bool,
    pub product_name: String,
    pub argon2: HashParams,
    /// Concurrent password hashes; default one per core.
    pub hash_concurrency: usize,
    /// Password hashes waiting for a thread, at most, whatever the predicted wait: a
    /// backstop bounding memory; past it submits get 503 at once.
    pub hash_queue: usize,
    /// How long work may be predicted to wait for a hashing thread before it gets 503.
    pub hash_wait_budget: WaitBudget,
    /// The hashing threads' nice value (0–19): above the request workers' 0, so that pages
    /// and health checks are served first while every core hashes.
    pub hash_nice: u8,
    pub execution_idle_minutes: i64,
    pub otp_lifetime_minutes: i64,
    pub link_lifetime_minutes: i64,
    pub recovery_link_lifetime_minutes: i64,
    pub invitation_lifetime_days: i64,
    pub resend_interval_seconds: i64,
    pub password_min_length: usize,
    pub password_max_length: usize,
    /// How often the outbox is polled when nothing wakes it.
    pub outbox_poll_ms: u64,
    /// First retry delay for mail after a temporary failure; doubles each time.
    pub outbox_retry_base_ms: u64,
    /// How long a claimed message is reserved for the instance that claimed it; past it,
    /// another instance may send it (the claimer died).
    pub outbox_lease_ms: u64,
    pub workers: usize,
    /// Open connections at most, all workers together; past it new ones wait in the backlog.
    pub max_connections: usize,
    /// Time a client has to send a request's head (line and headers) once connected.
    pub request_head_timeout_ms: u64,
    /// Time a whole request body may take to arrive.
    pub request_body_timeout_ms: u64,
    /// Form posts per client address per minute (0: no limit), and the burst allowed.
    pub rate_limit_per_minute: u32,
    pub rate_limit_burst: u32,
    /// Mails to one address per hour, across all journeys and invitations.
    pub mail_quota_per_hour: u32,
    /// Failed sign-ins for one address within `login_lockout_minutes` before sign-ins for
    /// it are refused for that long (0: never).
    pub login_max_failures: u32,
    pub login_lockout_minutes: i64,
    /// A console session ends after this long without a page view.
    pub admin_idle_minutes: i64,
    /// Proxies (addresses, CIDR blocks, comma-separated) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: String,
    /// How often an instance checks whether another saved console settings or texts.
    pub console_refresh_ms: u64,
    /// A hosted flow form sent back sooner than this after it was shown is quick: where the
    /// engine says a bot would gain something, it is held once (0: no minimum; the form's
    /// signed token is still checked).
    pub form_min_fill_ms: u64,
    /// Self-registration refuses addresses at the shipped list of disposable mail domains.
    pub refuse_disposable_email: bool,
    /// The Pwned Passwords range API new passwords are checked against (empty: no check).
    pub breached_passwords_url: String,
    /// A PEM file of certificate authorities for that API besides the public ones (a mirror's).
    pub breached_passwords_ca: String,
    /// Extensions may be on private, local or reserved addresses, over plain http too: for
    /// tests and services on the same machine or network. Off by default (SSRF guard).
    pub extension_allow_private: bool,
    /// Text messages go here, one file each, when no gateway is configured.
    pub sms_dir: PathBuf,
    /// The sender a gateway is given (`{from}`): a number or an alphanumeric sender id.
    pub sms_from: String,
    /// An HTTP gateway's URL; empty: text messages go to `sms_dir`.
    pub sms_gateway_url: String,
    /// `twilio`: Twilio's Messages API shape (form body, basic auth, `To`/`From`/`Body`).
    pub sms_gateway_preset: String,
    pub sms_gateway_method: String,
    /// The request body, with `{to}`, `{body}` and `{from}` filled in (encoded for the
    /// content type).
    pub sms_gateway_body: String,
    pub sms_gateway_content_type: String,
    /// Extra request headers, as a JSON object of names to values.
    pub sms_gateway_headers: String,
    /// Basic auth: the user, with `sms_gateway_password`.
    pub sms_gateway_user: String,
    pub sms_gateway_password: Option<SecretString>,
    /// Bearer auth.
    pub sms_gateway_token: Option<SecretString>,
    /// The statuses that mean sent: codes and ranges, comma-separated (`200-299`).
    pub sms_gateway_success: String,
    pub sms_gateway_timeout_ms: u64,
    /// Text messages to one number per hour, across all journeys.
    pub sms_quota_per_hour: u32,
    /// Text messages to numbers that share all but their last four digits, per hour: SMS
    /// pumping goes through ranges of numbers.
    pub sms_prefix_per_hour: u32,
    /// Text messages asked for from one client address per hour.
    pub sms_client_per_hour: u32,
    /// Countries (ISO 3166 alpha-2, comma-separated) text messages may go to; empty: the
    /// country of each flow's default region.
    pub sms_countries: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("database_url", &without_password(&self.database_url))
            .field("smtp_url", &self.smtp_url.as_deref().map(without_password))
            .field("mail_dir", &self.mail_dir)
            .field("workers", &self.workers)
            .finish_non_exhaustive()
    }
}

/// `scheme://user:secret@host…` as `scheme://user:***@host…`; anything else as it is.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The `--config` file: every key optional, same names as the variables without `FLOWS_`,
/// in lower case.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<String>,
    admin_listen: Option<String>,
    metrics_token: Option<String>,
    public_url: Option<String>,
    database_url: Option<String>,
    database_pool_size: Option<u32>,
    database_connect_timeout_ms: Option<u64>,
    database_statement_timeout_ms: Option<u64>,
    smtp_url: Option<String>,
    mail_dir: Option<PathBuf>,
    mail_from: Option<String>,
    session_key: Option<String>,
    admin_email: Option<String>,
    admin_password: Option<String>,
    log: Option<String>,
    log_json: Option<bool>,
    product_name: Option<String>,
    argon2_memory_kib: Option<u32>,
    argon2_iterations: Option<u32>,
    argon2_parallelism: Option<u32>,
    hash_concurrency: Option<usize>,
    hash_queue: Option<usize>,
    hash_wait_budget: Option<String>,
    hash_nice: Option<u8>,
    execution_idle_minutes: Option<i64>,
    otp_lifetime_minutes: Option<i64>,
    link_lifetime_minutes: Option<i64>,
    recovery_link_lifetime_minutes: Option<i64>,
    invitation_lifetime_days: Option<i64>,
    resend_interval_seconds: Option<i64>,
    password_min_length: Option<usize>,
    password_max_length: Option<usize>,
    outbox_poll_ms: Option<u64>,
    outbox_retry_base_ms: Option<u64>,
    outbox_lease_ms: Option<u64>,
    workers: Option<usize>,
    max_connections: Option<usize>,
    request_head_timeout_ms: Option<u64>,
    request_body_timeout_ms: Option<u64>,
    rate_limit_per_minute: Option<u32>,
    rate_limit_burst: Option<u32>,
    mail_quota_per_hour: Option<u32>,
    login_max_failures: Option<u32>,
    login_lockout_minutes: Option<i64>,
    admin_idle_minutes: Option<i64>,
    trusted_proxies: Option<String>,
    console_refresh_ms: Option<u64>,
    form_min_fill_ms: Option<u64>,
    refuse_disposable_email: Option<bool>,
    breached_passwords_url: Option<String>,
    breached_passwords_ca: Option<String>,
    extension_allow_private: Option<bool>,
    sms_dir: Option<PathBuf>,
    sms_from: Option<String>,
    sms_gateway_url: Option<String>,
    sms_gateway_preset: Option<String>,
    sms_gateway_method: Option<String>,
    sms_gateway_body: Option<String>,
    sms_gateway_content_type: Option<String>,
    sms_gateway_headers: Option<String>,
    sms_gateway_user: Option<String>,
    sms_gateway_password: Option<String>,
    sms_gateway_token: Option<String>,
    sms_gateway_success: Option<String>,
    sms_gateway_timeout_ms: Option<u64>,
    sms_quota_per_hour: Option<u32>,
    sms_prefix_per_hour: Option<u32>,
    sms_client_per_hour: Option<u32>,
    sms_countries: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_listen: None,
            metrics_token: None,
            public_url: "http://127.0.0.1:8080".into(),
            database_url: "sqlite://flows.db".into(),
            database_pool_size: 10,
            database_connect_timeout_ms: 5_000,
            database_statement_timeout_ms: 5_000,
            smtp_url: None,
            mail_dir: PathBuf::from("./mail"),
            mail_from: "Flows <no-reply@localhost>".into(),
            session_key: None,
            admin_email: None,
            admin_password: None,
            log: "info".into(),
            log_json: false,
            product_name: "Flows".into(),
            argon2: HashParams::default(),
            hash_concurrency: cores,
            // Past the finishing budget at the default cost (~60 ms a hash a core: 20 s is
            // about 330 hashes a core); a waiting job holds its password and reply, ~1 KiB.
            hash_queue: 1024 * cores,
            hash_wait_budget: WaitBudget::default(),
            hash_nice: crate::password_hash::DEFAULT_NICE,
            execution_idle_minutes: 30,
            otp_lifetime_minutes: 10,
            link_lifetime_minutes: 30,
            recovery_link_lifetime_minutes: 15,
            invitation_lifetime_days: 7,
            resend_interval_seconds: 30,
            password_min_length: 8,
            password_max_length: 128,
            outbox_poll_ms: 250,
            outbox_retry_base_ms: 5_000,
            outbox_lease_ms: 60_000,
            workers: cores,
            // Below the usual 20,000 open files a process may hold, with room for the rest.
            max_connections: 16_384,
            request_head_timeout_ms: 5_000,
            request_body_timeout_ms: 10_000,
            rate_limit_per_minute: 30,
            rate_limit_burst: 20,
            mail_quota_per_hour: 5,
            login_max_failures: 10,
            login_lockout_minutes: 15,
            admin_idle_minutes: 30,
            trusted_proxies: String::new(),
            console_refresh_ms: 2_000,
            form_min_fill_ms: 2_000,
            refuse_disposable_email: false,
            breached_passwords_url: String::new(),
            breached_passwords_ca: String::new(),
            extension_allow_private: false,
            sms_dir: PathBuf::from("./sms"),
            sms_from: String::new(),
            sms_gateway_url: String::new(),
            sms_gateway_preset: String::new(),
            sms_gateway_method: "POST".into(),
            sms_gateway_body: String::new(),
            sms_gateway_content_type: String::new(),
            sms_gateway_headers: String::new(),
            sms_gateway_user: String::new(),
            sms_gateway_password: None,
            sms_gateway_token: None,
            sms_gateway_success: "200-299".into(),
            sms_gateway_timeout_ms: 10_000,
            sms_quota_per_hour: 5,
            sms_prefix_per_hour: 30,
            sms_client_per_hour: 10,
            sms_countries: String::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The shortest metrics token taken: 32 hex digits are 128 bits, beyond guessing.
pub const METRICS_TOKEN_MIN_CHARS: usize = 32;

/// Each variable of the environment that is set and not blank, read into its field: `parse`
/// through `FromStr` (a bad value names the variable), `text` and `path` as they are, `secret`
/// kept out of `Debug`, `json` true when the value says json.
macro_rules! env_fields {
    (@parse $name:literal, $v:ident) => { parse($name, &$v)? };
    (@some_parse $name:literal, $v:ident) => { Some(parse($name, &$v)?) };
    (@secret $name:literal, $v:ident) => { Some(SecretString::from($v)) };
    (@text $name:literal, $v:ident) => { $v };
    (@some_text $name:literal, $v:ident) => { Some($v) };
    (@path $name:literal, $v:ident) => { PathBuf::from($v) };
    (@json $name:literal, $v:ident) => { $v.eq_ignore_ascii_case("json") };
    ($s:ident, $get:ident; $($how:ident $name:literal => $($field:ident).+;)*) => {
        $(if let Some(v) = $get($name) {
            $s.$($field).+ = env_fields!(@$how $name, v);
        })*
    };
}

fn parse<T: std::str::FromStr>(name: &str, raw: &str) -> Result<T, ConfigError> {
    raw.trim()
        .parse()
        .map_err(|_| ConfigError(format!("{name} has an invalid value: {raw:?}")))
}

impl Settings {
    /// The breached-password corpus to check new passwords against, when one is configured.
    pub fn breached_passwords(
        &self,
    ) -> Result<Option<crate::breached::BreachedPasswords>, crate::breached::BreachError> {
        if self.breached_passwords_url.trim().is_empty() {
            return Ok(None);
        }
        let ca = Some(self.breached_passwords_ca.trim()).filter(|c| !c.is_empty());
        crate::breached::BreachedPasswords::new(self.breached_passwords_url.trim(), ca).map(Some)
    }

    /// Defaults, then the file, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut s = Settings::default();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError(format!("cannot read config file {}: {e}", path.display()))
            })?;
            let f: FileSettings = toml::from_str(&text).map_err(|e| {
                ConfigError(format!("config file {}: {}", path.display(), e.message()))
            })?;
            s.apply_file(f)?;
        }
        s.apply_env(|name| std::env::var(name).ok())?;
        s.check()?;
        Ok(s)
    }

    fn apply_file(&mut self, f: FileSettings) -> Result<(), ConfigError> {
        if let Some(v) = f.listen {
            self.listen = parse("listen", &v)?;
        }
        if let Some(v) = f.admin_listen {
            self.admin_listen = Some(parse("admin_listen", &v)?);
        }
        if let Some(v) = f.hash_wait_budget {
            self.hash_wait_budget = parse("hash_wait_budget", &v)?;
        }
        if let Some(v) = f.metrics_token {
            self.metrics_token = Some(SecretString::from(v));
        }
        macro_rules! take { ($($field:ident),*) => { $( if let Some(v) = f.$field { self.$field = v.into(); } )* } }
        take!(
            public_url,
            database_url,
            database_pool_size,
            database_connect_timeout_ms,
            database_statement_timeout_ms,
            mail_dir,
            mail_from,
            log,
            log_json,
            product_name,
            hash_concurrency,
            hash_queue,
            hash_nice,
            execution_idle_minutes,
            otp_lifetime_minutes,
            link_lifetime_minutes,
            recovery_link_lifetime_minutes,
            invitation_lifetime_days,
            resend_interval_seconds,
            password_min_length,
            password_max_length,
            outbox_poll_ms,
            outbox_retry_base_ms,
            outbox_lease_ms,
            workers,
            max_connections,
            request_head_timeout_ms,
            request_body_timeout_ms,
            rate_limit_per_minute,
            rate_limit_burst,
            mail_quota_per_hour,
            login_max_failures,
            login_lockout_minutes,
            admin_idle_minutes,
            trusted_proxies,
            console_refresh_ms,
            form_min_fill_ms,
            refuse_disposable_email,
            breached_passwords_url,
            breached_passwords_ca,
            extension_allow_private,
            sms_dir,
            sms_from,
            sms_gateway_url,
            sms_gateway_preset,
            sms_gateway_method,
            sms_gateway_body,
            sms_gateway_content_type,
            sms_gateway_headers,
            sms_gateway_user,
            sms_gateway_success,
            sms_gateway_timeout_ms,
            sms_quota_per_hour,
            sms_prefix_per_hour,
            sms_client_per_hour,
            sms_countries
        );
        if let Some(v) = f.sms_gateway_password {
            self.sms_gateway_password = Some(SecretString::from(v));
        }
        if let Some(v) = f.sms_gateway_token {
            self.sms_gateway_token = Some(SecretString::from(v));
        }
        if f.smtp_url.is_some() {
            self.smtp_url = f.smtp_url;
        }
        if let Some(v) = f.session_key {
            self.session_key = Some(SecretString::from(v));
        }
        if f.admin_email.is_some() {
            self.admin_email = f.admin_email;
        }
        if let Some(v) = f.admin_password {
            self.admin_password = Some(SecretString::from(v));
        }
        if let Some(v) = f.argon2_memory_kib {
            self.argon2.memory_kib = v;
        }
        if let Some(v) = f.argon2_iterations {
            self.argon2.iterations = v;
        }
        if let Some(v) = f.argon2_parallelism {
            self.argon2.parallelism = v;
        }
        Ok(())
    }

    /// `env` is a parameter so tests need not touch the process environment.
    pub fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        let get = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        env_fields!(self, get;
            parse "FLOWS_LISTEN" => listen;
            some_parse "FLOWS_ADMIN_LISTEN" => admin_listen;
            secret "FLOWS_METRICS_TOKEN" => metrics_token;
            text "FLOWS_PUBLIC_URL" => public_url;
            text "FLOWS_DATABASE_URL" => database_url;
            parse "FLOWS_DATABASE_POOL_SIZE" => database_pool_size;
            parse "FLOWS_DATABASE_CONNECT_TIMEOUT_MS" => database_connect_timeout_ms;
            parse "FLOWS_DATABASE_STATEMENT_TIMEOUT_MS" => database_statement_timeout_ms;
            some_text "FLOWS_SMTP_URL" => smtp_url;
            path "FLOWS_MAIL_DIR" => mail_dir;
            text "FLOWS_MAIL_FROM" => mail_from;
            secret "FLOWS_SESSION_KEY" => session_key;
            some_text "FLOWS_ADMIN_EMAIL" => admin_email;
            secret "FLOWS_ADMIN_PASSWORD" => admin_password;
            text "FLOWS_LOG" => log;
            json "FLOWS_LOG_FORMAT" => log_json;
            parse "FLOWS_ARGON2_MEMORY_KIB" => argon2.memory_kib;
            parse "FLOWS_ARGON2_ITERATIONS" => argon2.iterations;
            parse "FLOWS_CONSOLE_REFRESH_MS" => console_refresh_ms;
            parse "FLOWS_OUTBOX_POLL_MS" => outbox_poll_ms;
            parse "FLOWS_OUTBOX_RETRY_BASE_MS" => outbox_retry_base_ms;
            parse "FLOWS_OUTBOX_LEASE_MS" => outbox_lease_ms;
            parse "FLOWS_RATE_LIMIT_PER_MINUTE" => rate_limit_per_minute;
            parse "FLOWS_MAIL_QUOTA_PER_HOUR" => mail_quota_per_hour;
            parse "FLOWS_HASH_QUEUE" => hash_queue;
            parse "FLOWS_HASH_WAIT_BUDGET" => hash_wait_budget;
            parse "FLOWS_HASH_NICE" => hash_nice;
            parse "FLOWS_FORM_MIN_FILL_MS" => form_min_fill_ms;
            parse "FLOWS_REFUSE_DISPOSABLE_EMAIL" => refuse_disposable_email;
            parse "FLOWS_EXTENSION_ALLOW_PRIVATE" => extension_allow_private;
            text "FLOWS_TRUSTED_PROXIES" => trusted_proxies;
            text "FLOWS_BREACHED_PASSWORDS_URL" => breached_passwords_url;
            text "FLOWS_BREACHED_PASSWORDS_CA" => breached_passwords_ca;
            parse "FLOWS_WORKERS" => workers;
            parse "FLOWS_MAX_CONNECTIONS" => max_connections;
            parse "FLOWS_REQUEST_HEAD_TIMEOUT_MS" => request_head_timeout_ms;
            parse "FLOWS_REQUEST_BODY_TIMEOUT_MS" => request_body_timeout_ms;
            path "FLOWS_SMS_DIR" => sms_dir;
            text "FLOWS_SMS_FROM" => sms_from;
            text "FLOWS_SMS_GATEWAY_URL" => sms_gateway_url;
            text "FLOWS_SMS_GATEWAY_PRESET" => sms_gateway_preset;
            text "FLOWS_SMS_GATEWAY_METHOD" => sms_gateway_method;
            text "FLOWS_SMS_GATEWAY_BODY" => sms_gateway_body;
            text "FLOWS_SMS_GATEWAY_CONTENT_TYPE" => sms_gateway_content_type;
            text "FLOWS_SMS_GATEWAY_HEADERS" => sms_gateway_headers;
            text "FLOWS_SMS_GATEWAY_USER" => sms_gateway_user;
            secret "FLOWS_SMS_GATEWAY_PASSWORD" => sms_gateway_password;
            secret "FLOWS_SMS_GATEWAY_TOKEN" => sms_gateway_token;
            text "FLOWS_SMS_GATEWAY_SUCCESS" => sms_gateway_success;
            parse "FLOWS_SMS_GATEWAY_TIMEOUT_MS" => sms_gateway_timeout_ms;
            parse "FLOWS_SMS_QUOTA_PER_HOUR" => sms_quota_per_hour;
            parse "FLOWS_SMS_PREFIX_PER_HOUR" => sms_prefix_per_hour;
            parse "FLOWS_SMS_CLIENT_PER_HOUR" => sms_client_per_hour;
            text "FLOWS_SMS_COUNTRIES" => sms_countries;
        );
        Ok(())
    }

    fn check(&self) -> Result<(), ConfigError> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError(format!(
                "FLOWS_PUBLIC_URL must start with http:// or https://: {:?}",
                self.public_url
            )));
        }
        let url = &self.database_url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            // The scheme alone: the rest may hold a password.
            return Err(ConfigError(format!(
                "FLOWS_DATABASE_URL must start with sqlite:, postgres:// or postgresql://, not {:?}",
                url.split(':').next().unwrap_or("")
            )));
        }
        if let Some(token) = &self.metrics_token
            && token.expose_secret().trim().len() < METRICS_TOKEN_MIN_CHARS
        {
            return Err(ConfigError(format!(
                "FLOWS_METRICS_TOKEN must be at least {METRICS_TOKEN_MIN_CHARS} characters (try `openssl rand -hex 32`)"
            )));
        }
        if let Err(problem) = crate::domain::TrustedProxies::parse(&self.trusted_proxies) {
            return Err(ConfigError(format!("FLOWS_TRUSTED_PROXIES: {problem}")));
        }
        if let Err(problem) = self.breached_passwords() {
            return Err(ConfigError(format!(
                "FLOWS_BREACHED_PASSWORDS_*: {problem}"
            )));
        }
        if self.hash_nice > 19 {
            return Err(ConfigError(format!(
                "FLOWS_HASH_NICE must be between 0 and 19, not {}",
                self.hash_nice
            )));
        }
        if self.database_pool_size == 0 {
            return Err(ConfigError(
                "FLOWS_DATABASE_POOL_SIZE must be at least 1".into(),
            ));
        }
        if self.database_connect_timeout_ms == 0 {
            return Err(ConfigError(
                "FLOWS_DATABASE_CONNECT_TIMEOUT_MS must be at least 1".into(),
            ));
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "FLOWS_MAIL_FROM is not a valid mailbox: {:?}",
                self.mail_from
            )));
        }
        Ok(())
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_a_password() {
        let s = Settings {
            database_url: "postgres://flows:s3cr%40t@db.example:5432/flows".into(),
            smtp_url: Some("smtps://mailer:hunter2@smtp.example".into()),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("s3cr") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(
            shown.contains("postgres://flows:***@db.example:5432/flows"),
            "{shown}"
        );
        assert_eq!(without_password("sqlite://flows.db"), "sqlite://flows.db");
    }

    #[test]
    fn environment_overrides_defaults() {
        let mut s = Settings::default();
        s.apply_env(|n| match n {
            "FLOWS_LISTEN" => Some("127.0.0.1:0".into()),
            "FLOWS_SMTP_URL" => Some("smtp://127.0.0.1:2525".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.listen.port(), 0);
        assert_eq!(s.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert_eq!(s.database_url, "sqlite://flows.db");
    }

    #[test]
    fn operator_surfaces_are_closed_by_default_and_a_short_metrics_token_is_refused() {
        let s = Settings::default();
        assert!(s.admin_listen.is_none() && s.metrics_token.is_none());
        let token = "0123456789abcdef0123456789abcdef";
        let mut s = Settings::default();
        s.apply_env(|n| match n {
            "FLOWS_ADMIN_LISTEN" => Some("127.0.0.1:9090".into()),
            "FLOWS_METRICS_TOKEN" => Some(token.into()),
            _ => None,
        })
        .unwrap();
        s.check().unwrap();
        assert_eq!(s.admin_listen.map(|a| a.port()), Some(9090));
        assert_eq!(
            s.metrics_token.as_ref().map(|t| t.expose_secret()),
            Some(token)
        );
        assert!(
            !format!("{s:?}").contains(token),
            "the token stays out of Debug"
        );

        let short = &token[..METRICS_TOKEN_MIN_CHARS - 1];
        let mut s = Settings::default();
        s.apply_env(|n| (n == "FLOWS_METRICS_TOKEN").then(|| short.into()))
            .unwrap();
        let problem = s.check().unwrap_err().to_string();
        assert!(problem.contains("at least 32 characters"), "{problem}");
    }

    /// The figures README.md's configuration and limits tables give.
    #[test]
    fn text_messages_default_to_a_folder_and_the_documented_limits() {
        let s = Settings::default();
        assert_eq!(s.sms_dir, PathBuf::from("./sms"));
        assert!(s.sms_gateway_url.is_empty());
        assert_eq!(
            (
                s.sms_quota_per_hour,
                s.sms_prefix_per_hour,
                s.sms_client_per_hour
            ),
            (5, 30, 10)
        );
        assert_eq!(
            (s.sms_gateway_success.as_str(), s.sms_gateway_timeout_ms),
            ("200-299", 10_000)
        );
        assert!(s.sms_countries.is_empty());
        let mut s = Settings::default();
        s.apply_file(
            toml::from_str("sms_gateway_url = \"https://api.twilio.com/x\"\nsms_gateway_preset = \"twilio\"\nsms_gateway_password = \"t\"\n").unwrap(),
        )
        .unwrap();
        s.apply_env(|n| match n {
            "FLOWS_SMS_CLIENT_PER_HOUR" => Some("3".into()),
            "FLOWS_SMS_COUNTRIES" => Some("GB, FR".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.sms_client_per_hour, 3);
        assert_eq!(s.sms_gateway_preset, "twilio");
        assert!(s.sms_gateway_password.is_some());
        assert_eq!(
            crate::sms::countries(&s.sms_countries).unwrap(),
            ["GB", "FR"]
        );
        assert_eq!(crate::sms::countries("GB, XX").unwrap_err(), "XX");
    }

    /// README.md: `FLOWS_HASH_WAIT_BUDGET` 10 s (finishing twice that), `FLOWS_HASH_QUEUE`
    /// 1024 per core, `FLOWS_HASH_NICE` 10 (0 to 19).
    #[test]
    fn hashing_waits_ten_seconds_for_new_work_and_twenty_for_finishing() {
        let s = Settings::default();
        let secs = std::time::Duration::from_secs;
        assert_eq!(
            (s.hash_wait_budget.start, s.hash_wait_budget.finish),
            (secs(10), secs(20))
        );
        assert_eq!(s.hash_queue, 1024 * s.hash_concurrency);
        assert_eq!(s.hash_nice, 10, "README.md: FLOWS_HASH_NICE");
        let too_nice = Settings {
            hash_nice: 20,
            ..Settings::default()
        };
        assert!(too_nice.check().unwrap_err().0.contains("FLOWS_HASH_NICE"));
        let mut s = Settings::default();
        s.apply_file(toml::from_str("hash_wait_budget = \"4s,30s\"\n").unwrap())
            .unwrap();
        assert_eq!(s.hash_wait_budget.finish, secs(30));
        s.apply_env(|n| (n == "FLOWS_HASH_WAIT_BUDGET").then(|| "2500ms".into()))
            .unwrap();
        assert_eq!(
            (s.hash_wait_budget.start, s.hash_wait_budget.finish),
            (std::time::Duration::from_millis(2500), secs(5))
        );
        let bad = s.apply_env(|n| (n == "FLOWS_HASH_WAIT_BUDGET").then(|| "soon".into()));
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("FLOWS_HASH_WAIT_BUDGET")
        );
    }

    #[test]
    fn bot_settings_default_to_two_seconds_and_no_domain_list() {
        let s = Settings::default();
        assert_eq!(
            (s.form_min_fill_ms, s.refuse_disposable_email),
            (2_000, false)
        );
        let mut s = Settings::default();
        s.apply_file(
            toml::from_str("form_min_fill_ms = 500\nrefuse_disposable_email = true\n").unwrap(),
        )
        .unwrap();
        assert_eq!((s.form_min_fill_ms, s.refuse_disposable_email), (500, true));
        s.apply_env(|n| match n {
            "FLOWS_FORM_MIN_FILL_MS" => Some("0".into()),
            "FLOWS_REFUSE_DISPOSABLE_EMAIL" => Some("false".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!((s.form_min_fill_ms, s.refuse_disposable_email), (0, false));
        let err = s
            .apply_env(|n| (n == "FLOWS_REFUSE_DISPOSABLE_EMAIL").then(|| "maybe".into()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "FLOWS_REFUSE_DISPOSABLE_EMAIL has an invalid value: \"maybe\""
        );
    }

    #[test]
    fn bad_listen_is_a_one_line_error() {
        let mut s = Settings::default();
        let err = s
            .apply_env(|n| (n == "FLOWS_LISTEN").then(|| "nope".into()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "FLOWS_LISTEN has an invalid value: \"nope\""
        );
    }

    #[test]
    fn database_connections_come_from_the_file_then_the_environment() {
        let s = Settings::default();
        assert_eq!(
            (
                s.database_pool_size,
                s.database_connect_timeout_ms,
                s.database_statement_timeout_ms
            ),
            (10, 5_000, 5_000)
        );
        let mut s = Settings::default();
        s.apply_file(
            toml::from_str(
                "database_url = \"postgres://flows@db/flows\"\ndatabase_pool_size = 4\n\
                 database_statement_timeout_ms = 2000\n",
            )
            .unwrap(),
        )
        .unwrap();
        s.apply_env(|n| match n {
            "FLOWS_DATABASE_POOL_SIZE" => Some("20".into()),
            "FLOWS_DATABASE_CONNECT_TIMEOUT_MS" => Some("1500".into()),
            _ => None,
        })
        .unwrap();
        s.check().unwrap();
        assert_eq!(s.database_url, "postgres://flows@db/flows");
        assert_eq!(
            (
                s.database_pool_size,
                s.database_connect_timeout_ms,
                s.database_statement_timeout_ms
            ),
            (20, 1_500, 2_000)
        );
    }

    #[test]
    fn an_unknown_database_scheme_is_refused_without_the_rest_of_the_url() {
        let s = Settings {
            database_url: "mysql://flows:s3cret@db/flows".into(),
            ..Settings::default()
        };
        let err = s.check().unwrap_err().to_string();
        assert_eq!(
            err,
            "FLOWS_DATABASE_URL must start with sqlite:, postgres:// or postgresql://, not \"mysql\""
        );
    }

    #[test]
    fn a_breached_passwords_url_or_ca_that_cannot_serve_stops_the_start() {
        let s = Settings {
            breached_passwords_url: "api.pwnedpasswords.com".into(),
            ..Settings::default()
        };
        let err = s.check().unwrap_err().to_string();
        assert!(err.contains("FLOWS_BREACHED_PASSWORDS_"), "{err}");
        let s = Settings {
            breached_passwords_url: "https://api.pwnedpasswords.com".into(),
            breached_passwords_ca: "/nonexistent/ca.pem".into(),
            ..Settings::default()
        };
        let err = s.check().unwrap_err().to_string();
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
        let s = Settings {
            breached_passwords_url: "https://api.pwnedpasswords.com".into(),
            ..Settings::default()
        };
        assert!(s.check().is_ok());
        assert!(
            Settings::default().breached_passwords().unwrap().is_none(),
            "off by default"
        );
    }

    #[test]
    fn file_then_env() {
        let dir = std::env::temp_dir().join(format!("flows-cfg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("flows.toml");
        std::fs::write(
            &path,
            "public_url = \"https://id.example.com\"\notp_lifetime_minutes = 5\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path)).unwrap();
        assert_eq!(s.public_url, "https://id.example.com");
        assert_eq!(s.otp_lifetime_minutes, 5);
        assert!(s.is_https());
    }
}
