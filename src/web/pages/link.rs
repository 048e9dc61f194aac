//! E-mailed links. A GET never acts (mail scanners open links): it shows a page whose button
//! POSTs the confirmation. The confirmation binds the execution to this browser, so a link
//! opened on another device continues there.
//!
//! Also the pages of an invitation link that cannot be used, and the invitee's request for a
//! new invitation from an expired one (`POST /invite/renew`).

use super::flow::path_of;
use super::{Layout, MessagePage, Visit, html, locale, see_other};
use crate::engine::{FlowType, InvitationProblem, LinkProblem, Reply};
use crate::i18n::Locale;
use crate::web::{error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/link", web::get().to(show_link))
        .route("/link", web::post().to(confirm_link))
        .route(RENEW, web::post().to(ask_renewal))
        .route(RENEW, web::get().to(renewal_asked));
}

/// Where the invitee holding an expired invitation link asks for a new one.
const RENEW: &str = "/invite/renew";

/// A language the person chose themselves: a `lang` parameter on this request, or one their
/// session holds from an earlier choice. `None` leaves the choice to the page (for an
/// invitation, its own language; otherwise the browser's `Accept-Language`).
pub(super) fn chosen_locale(req: &HttpRequest, session: &Session) -> Option<Locale> {
    let asked =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("lang").cloned())
            .and_then(|tag| Locale::from_tag(&tag));
    asked.or_else(|| {
        crate::web::session::language(session)
            .as_deref()
            .and_then(Locale::from_tag)
    })
}

/// The page of an expired invitation: the problem, and a button to ask for a new one.
#[derive(Template)]
#[template(path = "pages/invitation_expired.html")]
struct ExpiredPage {
    layout: super::Layout,
    heading: String,
    paragraphs: Vec<String>,
    links: Vec<(String, String)>,
    code: String,
    action: &'static str,
    button: String,
}

/// Why an invitation link cannot be used. Only the expired page offers to ask for a new
/// invitation: an unknown code has no one to ask, a revoked one was withdrawn on purpose, a
/// replaced one has a newer link in the mailbox, and a used one made its account.
pub(super) fn invitation_problem(
    req: &HttpRequest,
    session: &Session,
    code: &str,
    problem: &InvitationProblem,
) -> HttpResponse {
    let (key, status) = match problem {
        InvitationProblem::Unknown => ("problem.invitation_unknown", StatusCode::NOT_FOUND),
        InvitationProblem::Accepted => ("problem.invitation_accepted", StatusCode::GONE),
        InvitationProblem::Revoked => ("problem.invitation_revoked", StatusCode::GONE),
        InvitationProblem::Replaced => ("problem.invitation_replaced", StatusCode::GONE),
        InvitationProblem::Expired => ("problem.invitation_expired", StatusCode::GONE),
        InvitationProblem::AccountExists => ("problem.invitation_account_exists", StatusCode::GONE),
    };
    let page = MessagePage::new(req, session, key).link("/login", "link.login");
    if *problem != InvitationProblem::Expired {
        return html(status, &page);
    }
    let button = page.layout.t("button.ask_invitation_renewal");
    html(
        status,
        &ExpiredPage {
            layout: page.layout,
            heading: page.heading,
            paragraphs: page.paragraphs,
            links: page.links,
            code: code.to_owned(),
            action: RENEW,
            button,
        },
    )
}

#[derive(serde::Deserialize)]
struct RenewForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf_token: String,
}

/// The answer to a renewal request: the same page whatever the code was (unknown, revoked,
/// replaced, expired, asked before), so that it never tells whether an invitation exists.
fn renewal_page(req: &HttpRequest, session: &Session) -> HttpResponse {
    html(
        StatusCode::OK,
        &MessagePage::new(req, session, "invite.renewal").link("/login", "link.login"),
    )
}

async fn renewal_asked(Visit(req, session, _): Visit) -> HttpResponse {
    renewal_page(&req, &session)
}

async fn ask_renewal(
    Visit(req, session, state): Visit,
    form: web::Form<RenewForm>,
) -> HttpResponse {
    let form = form.into_inner();
    // Back to the start, not to the link: a refused page does not repeat the code.
    if let Some(refused) = super::refuse_post(&req, &session, Some(&form.csrf_token), "/") {
        return refused;
    }
    // A code is a few dozen characters; anything much longer is not one.
    if form.code.len() <= 200
        && let Err(e) = state
            .engine
            .ask_invitation_renewal(&form.code, crate::web::client_address(&req).as_deref())
            .await
    {
        // Said as an error would tell that this code found something: the page stays the same.
        tracing::error!(error = %e, "an invitation renewal request was not recorded");
    }
    renewal_page(&req, &session)
}

#[derive(serde::Deserialize)]
struct LinkQuery {
    #[serde(default)]
    token: String,
}

#[derive(serde::Deserialize)]
struct LinkForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Template)]
#[template(path = "pages/link.html")]
struct ConfirmPage {
    layout: Layout,
    token: String,
}

fn problem_page(req: &HttpRequest, session: &Session, problem: &LinkProblem) -> HttpResponse {
    let start_path = match problem {
        LinkProblem::Expired { flow_type: Some(t) } => path_of(*t),
        _ => path_of(FlowType::Registration),
    };
    let (key, status) = match problem {
        LinkProblem::Unknown => ("problem.link_unknown", StatusCode::NOT_FOUND),
        LinkProblem::Used { .. } => ("problem.link_used", StatusCode::GONE),
        LinkProblem::Expired { .. } => ("problem.link_expired", StatusCode::GONE),
    };
    let page = MessagePage::new(req, session, key)
        .link(start_path, "link.start_again")
        .link("/login", "link.login");
    html(status, &page)
}

/// If this browser already follows the execution the link belonged to, a used link just
/// takes the person back to where they are.
fn resume_if_mine(session: &Session, problem: &LinkProblem) -> Option<HttpResponse> {
    let LinkProblem::Used {
        execution: Some(id),
    } = problem
    else {
        return None;
    };
    FlowType::ALL
        .into_iter()
        .find(|t| session::execution(session, *t) == Some(*id))
        .map(|t| see_other(path_of(t)))
}

async fn show_link(
    Visit(req, session, state): Visit,
    query: web::Query<LinkQuery>,
) -> HttpResponse {
    let token = query.into_inner().token;
    // Read-only look-up, so a dead link says so before anyone presses anything.
    match state.engine.link_status(&token).await {
        Ok(None) => {}
        Ok(Some(problem)) => {
            return resume_if_mine(&session, &problem)
                .unwrap_or_else(|| problem_page(&req, &session, &problem));
        }
        Err(e) => return error::internal(&req, &e),
    }
    let layout = Layout::new(&req, &session, String::new());
    let title = layout.t("link.confirm.title");
    html(
        StatusCode::OK,
        &ConfirmPage {
            layout: Layout { title, ..layout },
            token,
        },
    )
}

async fn confirm_link(
    Visit(req, session, state): Visit,
    form: web::Form<LinkForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let back = format!("/link?token={}", form.token);
    if let Some(refused) = super::refuse_post(&req, &session, Some(&form.csrf_token), &back) {
        return refused;
    }
    match state
        .engine
        .confirm_link(
            &form.token,
            locale(&req, &session),
            crate::web::client_address(&req).as_deref(),
        )
        .await
    {
        Ok(Ok(reply)) => {
            let execution = reply.execution();
            session::set_execution(&session, execution.flow_type, execution);
            if let Reply::Moved { execution, .. } = &reply
                && execution.status == crate::engine::ExecutionStatus::Complete
                && let Ok(Some((id, auth_version))) = state.engine.sign_in_of(execution).await
            {
                session::sign_in(&session, id, auth_version);
            }
            session::set_flash(&session, "notice.email_verified", vec![], false);
            see_other(path_of(execution.flow_type))
        }
        Ok(Err(problem)) => resume_if_mine(&session, &problem)
            .unwrap_or_else(|| problem_page(&req, &session, &problem)),
        Err(e) => error::internal(&req, &e),
    }
}
