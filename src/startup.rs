//! Wiring: settings in, a running server out. Tests build an `Application` on port 0.

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::domain::PasswordPolicy;
use crate::engine::{Engine, EngineSettings};
use crate::mail::Mailer;
use crate::outbox::{OutboxWorker, Sender};
use crate::password_hash::{PasswordHasher, Pool};
use crate::store::{DbOptions, Store};
use crate::web;
use actix_web::cookie::Key;
use actix_web::dev::Server;
use base64::Engine as _;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StartupError(pub String);

fn err(context: &str) -> impl Fn(&dyn std::fmt::Display) -> StartupError + '_ {
    move |e| StartupError(format!("{context}: {e}"))
}

/// How the store connects, from the `FLOWS_DATABASE_*` settings.
pub fn db_options(settings: &Settings) -> DbOptions {
    DbOptions {
        pool_size: settings.database_pool_size,
        connect_timeout: Duration::from_millis(settings.database_connect_timeout_ms),
        statement_timeout: Duration::from_millis(settings.database_statement_timeout_ms),
    }
}

pub async fn open_store(settings: &Settings) -> Result<Store, StartupError> {
    let store = Store::connect(&settings.database_url, &db_options(settings))
        .await
        .map_err(|e| err("database")(&e))?;
    store.migrate().await.map_err(|e| err("migrations")(&e))?;
    Ok(store)
}

pub fn make_hasher(settings: &Settings) -> Result<PasswordHasher, StartupError> {
    PasswordHasher::start(
        settings.argon2,
        Pool {
            threads: settings.hash_concurrency,
            queue: settings.hash_queue,
            budget: settings.hash_wait_budget,
            nice: settings.hash_nice,
        },
    )
    .map_err(|e| err("argon2")(&e))
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// The session key, generated or given: 512 bits at least (the cookie's encryption and
/// signature keys are derived from it).
pub const SESSION_KEY_BYTES: usize = 64;

/// Accepts hex or base64 (standard or URL-safe); refuses anything under 64 bytes.
fn decode_key(raw: &str) -> Result<Vec<u8>, StartupError> {
    let raw = raw.trim();
    let bytes = hex::decode(raw)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(raw).ok())
        .or_else(|| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(raw)
                .ok()
        })
        .ok_or_else(|| StartupError("FLOWS_SESSION_KEY must be hex or base64".into()))?;
    if bytes.len() < SESSION_KEY_BYTES {
        return Err(StartupError(format!(
            "FLOWS_SESSION_KEY must hold at least {SESSION_KEY_BYTES} bytes, not {}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

pub fn engine_settings(settings: &Settings) -> EngineSettings {
    EngineSettings {
        public_url: settings.public_url.trim_end_matches('/').to_owned(),
        branding: crate::domain::Branding {
            product_name: settings.product_name.clone(),
            primary_colour: None,
            logo: None,
        },
        login_max_failures: settings.login_max_failures,
        login_lockout: time::Duration::minutes(settings.login_lockout_minutes.max(1)),
        rate_limit_per_minute: settings.rate_limit_per_minute,
        rate_limit_burst: settings.rate_limit_burst,
        mail_quota_per_hour: settings.mail_quota_per_hour.clamp(1, 100),
        sms_quota_per_hour: settings.sms_quota_per_hour.clamp(1, 100),
        sms_prefix_per_hour: settings.sms_prefix_per_hour.max(1),
        sms_client_per_hour: settings.sms_client_per_hour.max(1),
        sms_countries: crate::sms::countries(&settings.sms_countries).unwrap_or_default(),
        execution_idle: time::Duration::minutes(settings.execution_idle_minutes.max(1)),
        otp_lifetime: time::Duration::minutes(settings.otp_lifetime_minutes.max(1)),
        link_lifetime: time::Duration::minutes(settings.link_lifetime_minutes.max(1)),
        recovery_link_lifetime: time::Duration::minutes(
            settings.recovery_link_lifetime_minutes.max(1),
        ),
        invitation_lifetime: time::Duration::days(settings.invitation_lifetime_days.max(1)),
        resend_interval: time::Duration::seconds(settings.resend_interval_seconds.max(0)),
        refuse_disposable_email: settings.refuse_disposable_email,
        extension_allow_private: settings.extension_allow_private,
        event_retry_base: Duration::from_millis(settings.outbox_retry_base_ms.max(1)),
        // Longer than the longest call (10 s), with a margin.
        event_lease: Duration::from_millis(settings.outbox_lease_ms.max(12_000)),
        password_policy: PasswordPolicy {
            min_length: settings.password_min_length,
            max_length: settings.password_max_length,
            block_common: true,
            check_personal: true,
        }
        .normalised(),
        ..EngineSettings::default()
    }
}

pub struct Application {
    port: u16,
    server: Server,
    /// The operators' listener (`FLOWS_ADMIN_LISTEN`) and its port, when configured.
    operator: Option<(Server, u16)>,
    worker: tokio::task::JoinHandle<()>,
    sms_worker: tokio::task::JoinHandle<()>,
    janitor: tokio::task::JoinHandle<()>,
    deliverer: tokio::task::JoinHandle<()>,
    follower: tokio::task::JoinHandle<()>,
    /// Writes the funnel rows of journeys started and not stored (`Engine::start_page`).
    funnel_starts: tokio::task::JoinHandle<()>,
    notifications: Option<tokio::task::JoinHandle<()>>,
    engine: Engine,
}

impl Application {
    /// An engine on the configured database, for CLI commands that need no server.
    pub async fn engine_only(settings: &Settings) -> Result<Engine, StartupError> {
        Self::engine(settings, Arc::new(SystemClock))
            .await
            .map(|(engine, _)| engine)
    }

    async fn engine(
        settings: &Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<(Engine, Key), StartupError> {
        let store = open_store(settings).await?;
        let session_key = match &settings.session_key {
            Some(k) => decode_key(k.expose_secret())?,
            None => {
                let stored = store
                    .secret_or_init("session_key", || random_hex(SESSION_KEY_BYTES))
                    .await
                    .map_err(|e| err("settings")(&e))?;
                decode_key(&stored)?
            }
        };
        let key = Key::try_from(&session_key[..]).map_err(|e| err("session key")(&e))?;
        let otp_key = store
            .secret_or_init("otp_key", || random_hex(32))
            .await
            .map_err(|e| err("settings")(&e))?;
        let otp_key = hex::decode(otp_key).map_err(|e| err("otp key")(&e))?;
        let engine = Engine::new(
            store,
            clock,
            make_hasher(settings)?,
            engine_settings(settings),
            otp_key,
        );
        if let Some(corpus) = settings
            .breached_passwords()
            .map_err(|e| err("breached passwords")(&e))?
        {
            engine.check_breached_passwords(corpus);
        }
        engine
            .seed_default_flows()
            .await
            .map_err(|e| err("default flows")(&e))?;
        engine
            .refresh_console_changes()
            .await
            .map_err(|e| err("console settings and texts")(&e))?;
        Ok((engine, key))
    }

    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(settings.listen)
            .map_err(|e| err(&format!("cannot listen on {}", settings.listen))(&e))?;
        Self::build_on(settings, clock, listener).await
    }

    /// Serves on a listener the caller bound (tests bind port 0 first to learn the URL).
    pub async fn build_on(
        settings: Settings,
        clock: Arc<dyn Clock>,
        listener: TcpListener,
    ) -> Result<Self, StartupError> {
        let started = Instant::now();
        let (engine, key) = Self::engine(&settings, clock.clone()).await?;
        bootstrap_admin(&settings, &engine).await?;

        let mailer = Mailer::from_config(settings.smtp_url.as_deref(), settings.mail_dir.clone())
            .map_err(StartupError)?;
        let from = settings
            .mail_from
            .parse()
            .map_err(|e| err("FLOWS_MAIL_FROM")(&e))?;
        let describe_mail = mailer.describe();
        let mut worker = outbox_worker(
            &settings,
            &engine,
            Sender::Mail { mailer, from },
            engine.mail_queued(),
            clock.clone(),
        );
        let (handoff, handed) = tokio::sync::mpsc::channel(MAIL_HANDOFF);
        worker.handoff = Some(handed);
        engine.hand_mail_to(handoff, worker.lease_span());
        crate::sms::countries(&settings.sms_countries).map_err(|code| {
            StartupError(format!(
                "FLOWS_SMS_COUNTRIES: {code:?} is not an ISO 3166 country code"
            ))
        })?;
        let sms = crate::sms::SmsSender::from_settings(&settings)
            .map_err(|problem| StartupError(format!("FLOWS_SMS_*: {problem}")))?;
        let describe_sms = sms.describe();
        let sms_worker = outbox_worker(
            &settings,
            &engine,
            Sender::Sms(sms),
            engine.sms_queued(),
            clock,
        );
        let notifications = engine.listen_for_changes();
        let worker = tokio::spawn(worker.run());
        let sms_worker = tokio::spawn(sms_worker.run());
        let janitor = tokio::spawn(purge_expired(engine.clone()));
        let deliverer = tokio::spawn(
            engine
                .clone()
                .deliver_events_forever(Duration::from_millis(settings.outbox_poll_ms.max(10))),
        );
        let follower = tokio::spawn(follow_console_changes(
            engine.clone(),
            Duration::from_millis(settings.console_refresh_ms.max(100)),
        ));

        let funnel_starts = tokio::spawn(
            engine
                .clone()
                .flush_unstored_starts_forever(FUNNEL_STARTS_EVERY),
        );

        let address = listener.local_addr().map_err(|e| err("listen")(&e))?;
        let port = address.port();
        let state = web::AppState::new(engine.clone(), &settings, &key);
        let operator = match settings.admin_listen {
            Some(at) => {
                let listener = TcpListener::bind(at)
                    .map_err(|e| err(&format!("cannot listen on FLOWS_ADMIN_LISTEN {at}"))(&e))?;
                let port = listener.local_addr().map_err(|e| err("listen")(&e))?.port();
                let server = web::operator_server(listener, state.clone())
                    .map_err(|e| err("operator server")(&e))?;
                tracing::info!(address = %at, "metrics and probes on the operators' listener");
                Some((server, port))
            }
            None => None,
        };
        let server = web::server(listener, state, key, &settings).map_err(|e| err("server")(&e))?;
        tracing::info!(
            address = %address,
            database = settings.database_url.split(':').next().unwrap_or(""),
            mail = %describe_mail,
            sms = %describe_sms,
            ready_ms = started.elapsed().as_millis() as u64,
            "flows ready, listening on http://{address}"
        );
        Ok(Self {
            port,
            server,
            operator,
            worker,
            sms_worker,
            janitor,
            deliverer,
            follower,
            funnel_starts,
            notifications,
            engine,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The operators' listener's port, when `FLOWS_ADMIN_LISTEN` is set.
    pub fn operator_port(&self) -> Option<u16> {
        self.operator.as_ref().map(|(_, port)| *port)
    }

    /// The server's own engine: what a test holds to make it notice at once a change made
    /// beside it (by another instance, or the command line), which its periodic check or
    /// PostgreSQL's notification would bring within a moment.
    pub fn running_engine(&self) -> Engine {
        self.engine.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The operators' listener lives as long as the public one, which handles the signals.
        let operator = self.operator.map(|(server, _)| {
            let handle = server.handle();
            tokio::spawn(server);
            handle
        });
        let result = self.server.await;
        if let Some(handle) = operator {
            handle.stop(true).await;
        }
        self.worker.abort();
        self.sms_worker.abort();
        self.janitor.abort();
        self.deliverer.abort();
        self.follower.abort();
        self.funnel_starts.abort();
        // The starts of the last moment count in the funnel too.
        if let Err(e) = self.engine.flush_unstored_starts().await {
            tracing::warn!(error = %e, "could not write the funnel rows of journeys started");
        }
        if let Some(notifications) = self.notifications {
            notifications.abort();
        }
        result
    }
}

/// One pass of the outbox with the configured transport, for CLI commands that queue mail.
pub async fn send_queued_mail(settings: &Settings, engine: &Engine) {
    let Ok(mailer) = Mailer::from_config(settings.smtp_url.as_deref(), settings.mail_dir.clone())
    else {
        return;
    };
    let Ok(from) = settings.mail_from.parse() else {
        return;
    };
    let worker = outbox_worker(
        settings,
        engine,
        Sender::Mail { mailer, from },
        engine.mail_queued(),
        Arc::new(SystemClock),
    );
    if let Err(e) = worker.drain_once().await {
        tracing::warn!(error = %e, "could not send queued mail now; the server will");
    }
}

/// Mail leased to the worker and not yet taken, at most: past it, journeys' mail is queued
/// unleased and claimed as any other.
const MAIL_HANDOFF: usize = 256;

/// The outbox worker for this configuration: the one place outside the engine that holds
/// the store, since the worker sends what the engine's commits queued and decides nothing.
fn outbox_worker(
    settings: &Settings,
    engine: &Engine,
    sender: Sender,
    wake: Arc<tokio::sync::Notify>,
    clock: Arc<dyn Clock>,
) -> OutboxWorker {
    OutboxWorker {
        store: engine.store().clone(),
        sender,
        clock,
        wake,
        poll: Duration::from_millis(settings.outbox_poll_ms.max(10)),
        retry_base: Duration::from_millis(settings.outbox_retry_base_ms.max(1)),
        lease: Duration::from_millis(settings.outbox_lease_ms.max(1_000)),
        handoff: None,
    }
}

/// Settings and texts saved by another instance on the same database come into force here
/// as soon as its notification arrives (PostgreSQL), and within `every` whatever happens to
/// notifications; on one instance this is one indexed read per period.
async fn follow_console_changes(engine: Engine, every: Duration) {
    let changed = engine.console_changed();
    loop {
        tokio::select! {
            _ = changed.notified() => {}
            _ = tokio::time::sleep(every) => {}
        }
        match engine.refresh_console_changes().await {
            Ok(false) => {}
            Ok(true) => tracing::info!("console settings and texts reloaded"),
            Err(e) => tracing::warn!(error = %e, "could not check for console changes"),
        }
    }
}

/// Every ten minutes, everything past its retention goes (`engine::retention`).
/// How often the funnel rows of journeys started and not stored are written: a batch (one
/// commit) per second, whatever the number of page views.
const FUNNEL_STARTS_EVERY: Duration = Duration::from_secs(1);

async fn purge_expired(engine: Engine) {
    loop {
        match engine.purge_past_retention().await {
            Ok(purged) if purged == crate::engine::retention::Purged::default() => {}
            Ok(purged) => tracing::info!(?purged, "rows past their retention deleted"),
            Err(e) => tracing::warn!(error = %e, "could not delete rows past their retention"),
        }
        tokio::time::sleep(Duration::from_secs(600)).await;
    }
}

async fn bootstrap_admin(settings: &Settings, engine: &Engine) -> Result<(), StartupError> {
    let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) else {
        return Ok(());
    };
    let password = SecretString::from(password.expose_secret().to_owned());
    match engine.bootstrap_admin(email, &password).await {
        Ok(Ok(true)) => {}
        Ok(Ok(false)) => return Ok(()),
        Ok(Err(crate::engine::AdminRefusal::Email(code))) => {
            return Err(StartupError(format!("FLOWS_ADMIN_EMAIL: {code}")));
        }
        Ok(Err(other)) => return Err(StartupError(format!("bootstrap administrator: {other:?}"))),
        Err(e) => return Err(err("admin")(&e)),
    }
    tracing::info!("bootstrap administrator created from FLOWS_ADMIN_EMAIL");
    Ok(())
}
