//! Middleware: security headers on every response, and one log line per request.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use futures_util::future::LocalBoxFuture;
use std::future::{Ready, ready};
use std::time::Instant;

/// No script may run anywhere: the policy has no script source at all.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

macro_rules! middleware {
    ($name:ident, $service:ident, |$req:ident, $svc:ident| $body:expr) => {
        pub struct $name;

        impl<S, B> Transform<S, ServiceRequest> for $name
        where
            S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
            B: MessageBody + 'static,
        {
            type Response = ServiceResponse<B>;
            type Error = Error;
            type Transform = $service<S>;
            type InitError = ();
            type Future = Ready<Result<Self::Transform, Self::InitError>>;

            fn new_transform(&self, service: S) -> Self::Future {
                ready(Ok($service {
                    service: std::rc::Rc::new(service),
                }))
            }
        }

        pub struct $service<S> {
            service: std::rc::Rc<S>,
        }

        impl<S, B> Service<ServiceRequest> for $service<S>
        where
            S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
            B: MessageBody + 'static,
        {
            type Response = ServiceResponse<B>;
            type Error = Error;
            type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

            forward_ready!(service);

            fn call(&self, $req: ServiceRequest) -> Self::Future {
                let $svc = self.service.clone();
                Box::pin($body)
            }
        }
    };
}

middleware!(
    SecurityHeaders,
    SecurityHeadersService,
    |req, svc| async move {
        let is_static = req.path().starts_with("/static/");
        let carries_token = carries_token(req.path(), req.query_string());
        let mut res = svc.call(req).await?;
        let h = res.headers_mut();
        let set = |h: &mut header::HeaderMap, name: HeaderName, value: &'static str| {
            if !h.contains_key(&name) {
                h.insert(name, HeaderValue::from_static(value));
            }
        };
        set(h, header::CONTENT_SECURITY_POLICY, CSP);
        set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
        set(h, header::X_FRAME_OPTIONS, "DENY");
        // same-origin (not no-referrer): browsers then still send a real Origin on our POSTs,
        // and a link token in a URL never leaves the site in a Referer. A page that carries a
        // token sends no Referer at all, not even to ourselves (its POST then says
        // `Origin: null`, which leaves the CSRF token to decide).
        let referrer = if carries_token {
            "no-referrer"
        } else {
            "same-origin"
        };
        set(h, header::REFERRER_POLICY, referrer);
        set(
            h,
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        );
        set(
            h,
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        );
        set(
            h,
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        );
        if is_static {
            set(h, header::CACHE_CONTROL, "public, max-age=3600");
        } else {
            // Back and refresh must fetch the current step, never a cached old one.
            set(h, header::CACHE_CONTROL, "no-store");
        }
        Ok(res)
    }
);

/// Pages whose URL or form holds a secret: an e-mailed link's token, an invitation code, or
/// a console API token shown once.
fn carries_token(path: &str, query: &str) -> bool {
    matches!(path, "/link" | "/invite" | "/admin/tokens")
        || query
            .split('&')
            .any(|pair| pair.starts_with("token=") || pair.starts_with("code="))
}

/// A random per-process prefix and a counter: unique across instances, and no system call
/// for randomness on every request.
fn next_request_id() -> String {
    use std::sync::LazyLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PREFIX: LazyLock<String> =
        LazyLock::new(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!("{}-{:x}", *PREFIX, COUNTER.fetch_add(1, Ordering::Relaxed))
}

middleware!(RequestLog, RequestLogService, |req, svc| async move {
    let started = Instant::now();
    let request_id = next_request_id();
    let method = req.method().clone();
    // The path only: a query string may hold a link token.
    let path = req.path().to_owned();
    let mut res = svc.call(req).await?;
    let status = res.status().as_u16();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    metrics::histogram!("flows_http_request_seconds", "status" => status.to_string())
        .record(elapsed_ms / 1000.0);
    if status >= 500 {
        tracing::error!(request_id, %method, path, status, elapsed_ms, "request");
    } else {
        tracing::info!(request_id, %method, path, status, elapsed_ms, "request");
    }
    Ok(res)
});
