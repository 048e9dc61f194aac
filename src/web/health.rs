//! Probes and metrics. `/healthz` and `/readyz` tell nothing worth hiding; `/metrics` tells
//! traffic, queues and refusals, so the public listener serves it only to the bearer of
//! `FLOWS_METRICS_TOKEN`, and the operators' listener (`FLOWS_ADMIN_LISTEN`) to whoever can
//! reach that private address.

use crate::web::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics_for_bearer));
}

/// The operators' listener: these three paths and nothing else.
pub fn operator_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Not ready while the database cannot be reached, or while password hashing is saturated
/// (new submits would be refused), so that a load balancer sends new people elsewhere.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let load = state.engine.hasher().load();
    metrics::gauge!("flows_hash_queue").set(load.waiting as f64);
    metrics::gauge!("flows_hash_wait_seconds").set(load.predicted_wait.as_secs_f64());
    if load.saturated {
        let wait = load.predicted_wait;
        tracing::warn!(
            waiting = load.waiting,
            ?wait,
            "not ready: password hashing saturated"
        );
        return HttpResponse::ServiceUnavailable()
            .insert_header((actix_web::http::header::RETRY_AFTER, wait.as_secs().max(1)))
            .content_type("text/plain")
            .body(format!(
                "saturated: {} password hashes waiting, a new one would wait {:.1} s",
                load.waiting,
                wait.as_secs_f64()
            ));
    }
    match state.engine.ping_database().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}

/// No token configured: no `/metrics` here at all (the same 404 as any unknown path).
async fn metrics_for_bearer(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(expected) = &state.metrics_token else {
        return crate::web::error::not_found(req).await;
    };
    let presented = crate::web::bearer_token(&req).unwrap_or_default();
    if bool::from(
        presented
            .as_bytes()
            .ct_eq(expected.expose_secret().as_bytes()),
    ) {
        return metrics(state).await;
    }
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
        .content_type("text/plain")
        .body("a bearer token is needed")
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    if let Ok(n) = state.engine.count_live_executions().await {
        metrics::gauge!("flows_live_executions").set(n as f64);
    }
    if let Ok(counts) = state.engine.outbox_counts().await {
        for (status, n) in counts {
            metrics::gauge!("flows_outbox_messages", "status" => status).set(n as f64);
        }
    }
    let body = state
        .metrics
        .as_ref()
        .map(|h| h.render())
        .unwrap_or_default();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
