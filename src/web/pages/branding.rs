//! The branding the console sets, served from our own origin: the logo by its digest and
//! a stylesheet of the primary colour by the colour itself. Both URLs change when the
//! setting does, so both can be cached for good.

use crate::web::AppState;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/branding/logo/{sha}", web::get().to(logo))
        .route("/branding/colour/{hex}.css", web::get().to(colour_css));
}

const FOREVER: &str = "public, max-age=31536000, immutable";

async fn logo(state: web::Data<AppState>, sha: web::Path<String>) -> HttpResponse {
    match state.engine.logo().filter(|l| l.sha256 == *sha) {
        Some(logo) => HttpResponse::Ok()
            .content_type(logo.content_type.as_str())
            .insert_header((header::CACHE_CONTROL, FOREVER))
            // Mail clients and webmail load it from other origins.
            .insert_header(("cross-origin-resource-policy", "cross-origin"))
            .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
            .body(logo.bytes.clone()),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("No such logo"),
    }
}

/// Any colour the console could have saved: the stylesheet is made from the path, which
/// must be the colour in force, so nobody can have us serve a style of their choosing.
async fn colour_css(state: web::Data<AppState>, hex: web::Path<String>) -> HttpResponse {
    let settings = state.engine.settings();
    let Some(colour) = settings
        .branding
        .primary_colour
        .filter(|c| c.to_string().trim_start_matches('#') == hex.as_str())
    else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("No such colour");
    };
    let hover = colour.darker();
    // On white, a colour white text can be read on is a colour that can be read on white:
    // links and the focus ring take it too. On the dark scheme's surfaces it would not be,
    // so there only the buttons do.
    let body = format!(
        ":root {{ --brand: {colour}; --brand-hover: {hover}; --on-brand: #ffffff; \
         --link: {colour}; --link-hover: {hover}; --focus: {hover}; }}\n\
         @media (prefers-color-scheme: dark) {{ :root {{ --brand: {colour}; --brand-hover: {hover}; }} }}\n"
    );
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, FOREVER))
        .body(body)
}
