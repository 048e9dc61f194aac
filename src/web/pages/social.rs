//! The way back from an OpenID Connect provider: `GET /social/callback?code&state` (or
//! `?error&state`) resumes this browser's journey that sent the person there. The journey
//! is found through this browser's own session, so a callback carried into another browser
//! (login CSRF) resumes nothing.

use super::flow::{Guarded, engine_problem, path_of, render_reply, sign_in_new_user};
use super::{MessagePage, Visit, html, locale, see_other};
use crate::engine::{Callback, FlowType, Reply};
use crate::web::{client_address, session};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/social/callback", web::get().to(callback));
}

async fn callback(Visit(req, session, state): Visit) -> HttpResponse {
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    let mut waiting = None;
    for flow_type in [FlowType::Registration, FlowType::InvitedUserRegistration] {
        let Some(id) = session::execution(&session, flow_type) else {
            continue;
        };
        if let Ok(execution) = state.engine.load(id).await
            && execution.is_away()
        {
            waiting = Some((flow_type, id));
            break;
        }
    }
    let Some((flow_type, id)) = waiting else {
        // Nothing here waits for a provider: a replay, a callback opened in another browser,
        // or one that came after the journey moved on.
        let page = MessagePage::new(&req, &session, "problem.social_callback")
            .link(path_of(FlowType::Registration), "link.start_again")
            .link("/login", "link.login");
        return html(StatusCode::BAD_REQUEST, &page);
    };
    let callback = Callback {
        code: query.get("code").cloned(),
        state: query.get("state").cloned(),
        error: query.get("error").cloned(),
    };
    let client = client_address(&req);
    let locale = locale(&req, &session);
    match state
        .engine
        .social_callback(id, callback, locale, client.as_deref())
        .await
    {
        Ok(Reply::Moved { execution, .. }) => {
            if execution.status == crate::engine::ExecutionStatus::Complete {
                sign_in_new_user(&session, &state, &execution).await;
            }
            see_other(path_of(flow_type))
        }
        Ok(reply @ Reply::Invalid { .. }) => {
            render_reply(&req, &session, &state, &reply, None, Guarded::default()).await
        }
        Ok(_) => see_other(path_of(flow_type)),
        Err(e) => engine_problem(&req, &session, flow_type, e),
    }
}
