//! Everything actix: state, middleware, routes. Handlers only translate between HTTP and
//! the engine; they make no decisions of their own.

mod admin;
pub(crate) mod api;
mod body_limits;
mod csrf;
mod error;
mod form_guard;
mod headers;
mod health;
mod page;
mod pages;
mod rate_limit;
mod render;
mod session;

pub use api::{ApiRoute, all_routes as api_routes};

use crate::config::Settings;
use crate::engine::Engine;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::{SessionMiddleware, storage::CookieSessionStore};
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, middleware, web};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::net::TcpListener;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

#[derive(Clone)]
pub struct AppState {
    pub engine: Engine,
    pub metrics: Option<PrometheusHandle>,
    pub post_limiter: Arc<rate_limit::RateLimiter>,
    /// Flows started per client application (its own `starts_per_minute`).
    pub app_starts: Arc<rate_limit::RateLimiter<String>>,
    /// A console session ends after this long without a page view.
    pub admin_idle: time::Duration,
    /// The honeypot and the minimum fill time of the hosted flow forms.
    pub form_guard: form_guard::FormGuard,
    /// Load balancers whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::domain::TrustedProxies,
    /// Opens `/metrics` on the public listener; `None`: not served there.
    pub metrics_token: Option<secrecy::SecretString>,
}

/// The token of an `Authorization: Bearer …` header (the scheme in any case, RFC 6750), if
/// the request carries one: the management API's tokens and the metrics token alike.
pub fn bearer_token(req: &actix_web::HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

/// The network address a request came from, as the limits count it and the audit log records
/// it: the peer's own, or the client a listed proxy forwarded (see `domain::TrustedProxies`).
pub fn client_ip(req: &actix_web::HttpRequest) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Some(peer);
    };
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok());
    Some(state.trusted_proxies.client(peer, forwarded))
}

pub fn client_address(req: &actix_web::HttpRequest) -> Option<String> {
    client_ip(req).map(|ip| ip.to_string())
}

/// Recovery answers are held to this floor, on the hosted pages and the API alike: whether
/// an account exists changes the work done around a request (a mail to deliver), and a
/// padded answer does not show it.
pub(crate) const RECOVERY_ANSWER_FLOOR: std::time::Duration = std::time::Duration::from_millis(25);

impl AppState {
    /// The product name in force (the console's branding, else the configuration's).
    pub fn product_name(&self) -> String {
        self.engine.settings().branding.product_name.clone()
    }
}

/// The process-wide Prometheus recorder (tests start several apps in one process).
fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok().map(|_| handle)
        })
        .clone()
}

impl AppState {
    /// `key` is the session key, from which the form guard derives its own.
    pub fn new(engine: Engine, settings: &Settings, key: &Key) -> Self {
        let min_fill = i64::try_from(settings.form_min_fill_ms).unwrap_or(i64::MAX);
        Self {
            engine,
            metrics: metrics_handle(),
            post_limiter: Arc::default(),
            app_starts: Arc::default(),
            admin_idle: time::Duration::minutes(settings.admin_idle_minutes.max(1)),
            form_guard: form_guard::FormGuard::new(
                key.master(),
                time::Duration::milliseconds(min_fill),
            ),
            // Checked when the configuration is read: a bad list never gets this far.
            trusted_proxies: crate::domain::TrustedProxies::parse(&settings.trusted_proxies)
                .unwrap_or_default(),
            metrics_token: settings.metrics_token.clone(),
        }
    }
}

/// The largest body and the longest time to receive it, on every route.
pub(crate) fn body_limits_in_force(settings: &Settings) -> body_limits::BodyLimits {
    body_limits::BodyLimits {
        deadline: Duration::from_millis(settings.request_body_timeout_ms.max(1)),
        ..body_limits::BodyLimits::default()
    }
}

/// A session cookie lives this long at most, however active (the absolute timeout).
pub const SESSION_HOURS: i64 = 12;
/// The largest form body a page takes (the 1 MiB ceiling is for every route).
pub const FORM_LIMIT_BYTES: usize = 64 * 1024;
/// How long an idle connection is kept open for the next request.
pub const KEEP_ALIVE: Duration = Duration::from_secs(5);

pub fn server(
    listener: TcpListener,
    state: AppState,
    key: Key,
    settings: &Settings,
) -> std::io::Result<Server> {
    let secure = settings.is_https();
    let state = web::Data::new(state);
    let body_limits = web::Data::new(body_limits_in_force(settings));
    let workers = settings.workers.max(1);
    let server = HttpServer::new(move || {
        let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("flows_session".into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(
                PersistentSession::default()
                    .session_ttl(actix_web::cookie::time::Duration::hours(SESSION_HOURS)),
            )
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(body_limits.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(FORM_LIMIT_BYTES)
                    .error_handler(error::form_error),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .wrap(session)
            // Only when the public URL is https: browsers ignore it over plain http.
            .wrap(middleware::Condition::new(
                secure,
                middleware::DefaultHeaders::new().add((
                    actix_web::http::header::STRICT_TRANSPORT_SECURITY,
                    "max-age=63072000",
                )),
            ))
            .wrap(middleware::from_fn(body_limits::enforce))
            .wrap(headers::SecurityHeaders)
            .wrap(headers::RequestLog)
            .configure(routes)
            .default_service(web::to(error::not_found))
    })
    .workers(workers)
    // Limits on connections, on purpose (README "Limits"): a slow or idle client holds a
    // connection, never a thread, and only for these times.
    .max_connections((settings.max_connections / workers).max(1))
    .client_request_timeout(Duration::from_millis(
        settings.request_head_timeout_ms.max(1),
    ))
    .client_disconnect_timeout(Duration::from_secs(1))
    .keep_alive(KEEP_ALIVE)
    .backlog(4096)
    .shutdown_timeout(2)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The operators' listener (`FLOWS_ADMIN_LISTEN`): probes and metrics, one worker, no
/// session, no pages.
pub fn operator_server(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(headers::SecurityHeaders)
            .configure(health::operator_routes)
            .default_service(web::to(|| async { HttpResponse::NotFound().finish() }))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run();
    Ok(server)
}

fn routes(cfg: &mut web::ServiceConfig) {
    // Order matters for speed: see `api::fixed_routes`.
    health::routes(cfg);
    api::fixed_routes(cfg);
    pages::routes(cfg);
    api::patterned_routes(cfg);
    admin::routes(cfg);
}
