//! E-mailed links. A GET never acts (mail scanners open links): it shows a page whose button
//! POSTs the confirmation. The confirmation binds the execution to this browser, so a link
//! opened on another device continues there.

use super::flow::path_of;
use super::{Layout, MessagePage, Visit, html, locale, see_other};
use crate::engine::{FlowType, LinkProblem, Reply};
use crate::web::{error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/link", web::get().to(show_link))
        .route("/link", web::post().to(confirm_link));
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
            session::set_execution(&session, execution.flow_type, execution.id);
            if let Reply::Moved { execution, .. } = &reply
                && execution.status == crate::engine::ExecutionStatus::Complete
                && let Ok(Some(user)) = state.engine.account_of(execution).await
            {
                session::sign_in(&session, user.id, user.auth_version);
            }
            session::set_flash(&session, "notice.email_verified", vec![], false);
            see_other(path_of(execution.flow_type))
        }
        Ok(Err(problem)) => resume_if_mine(&session, &problem)
            .unwrap_or_else(|| problem_page(&req, &session, &problem)),
        Err(e) => error::internal(&req, &e),
    }
}
