use crate::web::AppState;
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
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
    let (queued, limit) = state.engine.hasher().load();
    metrics::gauge!("flows_hash_queue").set(queued as f64);
    if queued >= limit {
        tracing::warn!(queued, limit, "not ready: password hashing saturated");
        return HttpResponse::ServiceUnavailable()
            .insert_header((
                actix_web::http::header::RETRY_AFTER,
                crate::web::error::UNAVAILABLE_RETRY_SECONDS,
            ))
            .content_type("text/plain")
            .body(format!(
                "saturated: {queued} password hashes waiting, {limit} at most"
            ));
    }
    match state.engine.store().ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: database unreachable");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unreachable")
        }
    }
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let now = state.engine.now();
    if let Ok(n) = state.engine.store().count_live_executions(now).await {
        metrics::gauge!("flows_live_executions").set(n as f64);
    }
    if let Ok(counts) = state.engine.store().outbox_counts().await {
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
