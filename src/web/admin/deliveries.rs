//! Event deliveries to extensions that were given up on after a day of tries: the list, and
//! sending one again under the same id (owners only, as the guard's page list says).

use super::when;
use super::{Admin, AdminLayout, AdminPost, done, failed};
use crate::web::error;
use crate::web::page::html;
use actix_web::{HttpResponse, web};
use askama::Template;

/// The most failed deliveries listed: the newest.
const SHOWN: i64 = 200;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/deliveries", web::get().to(show_deliveries))
        .route("/admin/deliveries/resend", web::post().to(resend));
}

struct DeliveryLine {
    id: String,
    extension: String,
    event_type: String,
    attempts: i64,
    last_error: String,
    created: String,
}

#[derive(Template)]
#[template(path = "admin/deliveries.html")]
struct DeliveriesPage {
    layout: AdminLayout,
    failed: Vec<DeliveryLine>,
    shown: i64,
}

async fn show_deliveries(admin: Admin) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let failed = match state.engine.failed_deliveries(SHOWN, &admin.actor()).await {
        Ok(f) => f,
        Err(e) => return error::internal(req, &e),
    };
    let page = DeliveriesPage {
        layout: admin
            .section_layout("", "deliveries")
            .retitle("ui.admin.deliveries.title"),
        failed: failed
            .into_iter()
            .map(|d| DeliveryLine {
                id: d.id,
                extension: d.extension,
                event_type: d.event_type,
                attempts: d.attempts,
                last_error: d.last_error,
                created: when(d.created_at),
            })
            .collect(),
        shown: SHOWN,
    };
    html(actix_web::http::StatusCode::OK, &page)
}

async fn resend(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let id = form.text("id");
    match state.engine.resend_delivery(&id, &admin.actor()).await {
        Ok(true) => done(
            session,
            "/admin/deliveries",
            &admin.t("ui.admin.deliveries.resent"),
        ),
        Ok(false) => failed(
            session,
            "/admin/deliveries",
            &admin.t("ui.admin.deliveries.gone"),
        ),
        Err(e) => error::internal(req, &e),
    }
}
