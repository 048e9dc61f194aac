//! The stylesheets are compiled in: no file system access, one fewer thing to deploy.

use actix_web::{HttpResponse, web};

const STYLESHEET: &str = include_str!("../../../static/flows.css");
const CONSOLE: &str = include_str!("../../../static/console.css");

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/flows.css", web::get().to(stylesheet))
        .route("/static/console.css", web::get().to(console));
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(STYLESHEET)
}

async fn console() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(CONSOLE)
}
