//! Hosted pages: the flows, e-mail links, sign-in, and the pages that explain problems.

mod account;
pub(crate) mod branding;
pub(crate) mod flow;
mod link;
mod social;
mod static_files;

// The page kit every hosted page is built from, by its short name here.
pub(crate) use crate::web::page::{
    Layout, MessagePage, Visit, form_status, html, locale, own_path, see_other, translator,
};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    flow::routes(cfg);
    link::routes(cfg);
    social::routes(cfg);
    account::routes(cfg);
    static_files::routes(cfg);
    branding::routes(cfg);
    cfg.route("/", web::get().to(home));
}

/// Seconds this client address must wait before its next post, when it has sent too many
/// (hosted forms and API calls count together); `None` lets it through.
pub fn limited_for(req: &HttpRequest) -> Option<u64> {
    let state = req.app_data::<web::Data<crate::web::AppState>>()?;
    let addr = crate::web::client_ip(req)?;
    let settings = state.engine.settings();
    let wait = state
        .post_limiter
        .check(
            addr,
            std::time::Instant::now(),
            settings.rate_limit_per_minute,
            settings.rate_limit_burst,
        )
        .err()?;
    metrics::counter!("flows_rate_limited_total").increment(1);
    Some(wait)
}

/// How long a sign-in block still holds: whole seconds rounded up (the stored time keeps
/// less precision than `now`), and whole minutes for the message.
pub fn block_wait(until: time::OffsetDateTime, now: time::OffsetDateTime) -> (i64, i64) {
    let left = until - now;
    let seconds = (left.whole_seconds() + i64::from(left.subsec_nanoseconds() > 0)).max(1);
    (seconds, (seconds + 59) / 60)
}

/// `answer` made the 429 of a sign-in block that holds `seconds` more.
pub fn blocked(mut answer: HttpResponse, seconds: i64) -> HttpResponse {
    *answer.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    answer.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(seconds),
    );
    answer
}

/// The checks every hosted form post passes first: the address limit, then CSRF. A token
/// that does not match answers 403 with a way on to `back`; `None` lets the post through.
pub fn refuse_post(
    req: &HttpRequest,
    session: &Session,
    csrf_token: Option<&str>,
    back: &str,
) -> Option<HttpResponse> {
    if let Some(refused) = rate_limited(req, session) {
        return Some(refused);
    }
    (!crate::web::csrf::verify(req, session, csrf_token)).then(|| {
        let page = MessagePage::new(req, session, "problem.csrf").link(back, "link.continue");
        html(StatusCode::FORBIDDEN, &page)
    })
}

/// Refuses a form post when this client address has sent too many; `None` lets it through.
pub fn rate_limited(req: &HttpRequest, session: &Session) -> Option<HttpResponse> {
    let wait = limited_for(req)?;
    let mut page =
        MessagePage::new(req, session, "problem.rate_limited").link(&own_path(req), "link.back");
    page.paragraphs = vec![page.layout.tr.t_args(
        "problem.rate_limited.body",
        &[("seconds", wait.to_string())],
    )];
    let mut response = html(StatusCode::TOO_MANY_REQUESTS, &page);
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&wait.to_string()) {
        response
            .headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, v);
    }
    Some(response)
}

async fn home(req: HttpRequest, session: Session) -> HttpResponse {
    let page = MessagePage::new(&req, &session, "home")
        .link("/register", "home.register")
        .link("/login", "home.login");
    html(StatusCode::OK, &page)
}
