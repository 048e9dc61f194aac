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

async fn readyz(state: web::Data<AppState>) -> HttpResponse {
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
