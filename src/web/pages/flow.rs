//! The hosted journeys: `GET` shows the current step of this browser's execution, `POST`
//! applies a button press and answers 303 (or 422 with the errors beside the fields).

use super::{Layout, MessagePage, Visit, form_status, html, locale, see_other};
use crate::engine::{
    EngineError, Execution, ExecutionStatus, FlowType, InvitationProblem, Reply, ShownNotice,
    ShownStep, Submission, UnstoredStart,
};
use crate::web::form_guard::{GuardFields, Refusal};
use crate::web::render::{self, Item};
use crate::web::{AppState, client_address, error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    flow_routes(cfg, FlowType::Registration);
    flow_routes(cfg, FlowType::PasswordRecovery);
    flow_routes(cfg, FlowType::InvitedUserRegistration);
}

/// `GET` and `POST` on the flow type's path, and `POST …/restart`.
fn flow_routes(cfg: &mut web::ServiceConfig, flow_type: FlowType) {
    let path = path_of(flow_type);
    cfg.route(path, web::get().to(move |visit| show(flow_type, visit)))
        .route(
            path,
            web::post().to(move |visit, form: web::Form<Vec<(String, String)>>| {
                submit(flow_type, visit, form.into_inner())
            }),
        )
        .route(
            &format!("{path}/restart"),
            web::post().to(move |visit, form: web::Form<Vec<(String, String)>>| {
                restart(flow_type, visit, form.into_inner())
            }),
        );
}

pub fn path_of(flow_type: FlowType) -> &'static str {
    match flow_type {
        FlowType::Registration => "/register",
        FlowType::PasswordRecovery => "/recover",
        FlowType::InvitedUserRegistration => "/invite",
    }
}

#[derive(Template)]
#[template(path = "pages/step.html")]
struct StepPage {
    layout: Layout,
    action_url: String,
    restart_url: Option<String>,
    step: String,
    notice: Option<(String, bool)>,
    summary: Vec<(String, String)>,
    items: Vec<Item>,
    is_end: bool,
    preview: Option<String>,
    /// The honeypot and the signed render time; none on a preview.
    guard: Option<GuardFields>,
}

/// A completed execution keeps showing its end page for a while after the last step, so a
/// refresh works; after that, the path starts afresh.
const SHOW_COMPLETED_FOR: time::Duration = time::Duration::minutes(10);

/// How the form guard sees the page about to be shown.
#[derive(Default)]
pub(super) struct Guarded {
    /// When this step's form was first shown, for a form shown again with errors: the
    /// minimum fill time counts from then, not from the refusal.
    rendered_at: Option<time::OffsetDateTime>,
    /// The form was held for coming back too quickly: its next press goes through.
    held: bool,
}

/// Shows the step `reply` leads to, as the engine made it ready; `notice` (a flash from
/// the last post) takes the place of the reply's own.
pub(super) async fn render_reply(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    reply: &Reply,
    notice: Option<ShownNotice>,
    guarded: Guarded,
) -> HttpResponse {
    let layout = Layout::new(req, session, String::new());
    let mut shown = match state.engine.show(reply, &layout.tr).await {
        Ok(shown) => shown,
        Err(e) => return error::internal(req, &e),
    };
    if notice.is_some() {
        shown.notice = notice;
    }
    let path = path_of(shown.flow_type);
    let execution = reply.execution().id;
    let guard = (!shown.is_end).then(|| {
        let now = state.engine.now();
        if guarded.held {
            return state
                .form_guard
                .fields_after_hold(execution, &shown.step, now);
        }
        let rendered = guarded.rendered_at.unwrap_or(now);
        state.form_guard.fields(execution, &shown.step, rendered)
    });
    let page = StepContent {
        action_url: path.to_owned(),
        restart_url: shown.may_restart.then(|| format!("{path}/restart")),
        preview: None,
        guard,
        shown,
    };
    show_step(state, layout, page)
}

/// One step of a flow as its hosted page shows it.
pub(crate) struct StepContent {
    pub shown: ShownStep,
    pub action_url: String,
    pub restart_url: Option<String>,
    /// The console's banner: the page is a preview, and its buttons go nowhere.
    pub preview: Option<String>,
    pub guard: Option<GuardFields>,
}

pub(crate) fn show_step(state: &AppState, layout: Layout, content: StepContent) -> HttpResponse {
    let StepContent {
        shown,
        action_url,
        restart_url,
        preview,
        guard,
    } = content;
    let summary = render::summary(&shown);
    let title = shown
        .heading()
        .map(str::to_owned)
        .unwrap_or_else(|| state.product_name());
    let title = if summary.is_empty() {
        title
    } else {
        format!("{}: {title}", layout.t("errors.title_prefix"))
    };
    let status = form_status(shown.has_errors());
    let items = render::items(shown.components, &shown.password_rules);
    let page = StepPage {
        layout: Layout { title, ..layout },
        action_url,
        restart_url,
        step: shown.step,
        notice: shown.notice.map(|n| (n.text, n.is_error)),
        summary,
        items,
        is_end: shown.is_end,
        preview,
        guard,
    };
    html(status, &page)
}

fn flash_text(req: &HttpRequest, session: &Session) -> Option<ShownNotice> {
    let flash = session::take_flash(session)?;
    let tr = super::translator(req, session);
    let args: Vec<(&str, String)> = flash
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    Some(ShownNotice {
        text: tr.t_args(&flash.key, &args),
        key: flash.key,
        is_error: flash.error,
    })
}

/// A flow an administrator switched off (or never published): a deliberate state, not a
/// fault, so it is said plainly in the person's language and logged as information.
fn closed(req: &HttpRequest, session: &Session, flow_type: FlowType) -> HttpResponse {
    tracing::info!(
        flow_type = flow_type.as_str(),
        "visit to a flow that is switched off"
    );
    let key = match flow_type {
        FlowType::Registration => "problem.registration_closed",
        FlowType::PasswordRecovery => "problem.recovery_closed",
        FlowType::InvitedUserRegistration => "problem.invitation_closed",
    };
    html(
        StatusCode::FORBIDDEN,
        &MessagePage::new(req, session, key).link("/", "link.home"),
    )
}

fn expired(req: &HttpRequest, session: &Session, flow_type: FlowType) -> HttpResponse {
    if flow_type == FlowType::InvitedUserRegistration {
        let page =
            MessagePage::new(req, session, "problem.invite_session").link("/login", "link.login");
        return html(StatusCode::GONE, &page);
    }
    let path = path_of(flow_type);
    let page = MessagePage::new(req, session, "problem.expired")
        .button(&format!("{path}/restart"), "button.start_again")
        .link("/login", "link.login");
    html(StatusCode::GONE, &page)
}

/// Maps engine problems that are not the person's fault to pages.
pub(super) fn engine_problem(
    req: &HttpRequest,
    session: &Session,
    flow_type: FlowType,
    e: EngineError,
) -> HttpResponse {
    match e {
        EngineError::Expired(_) => expired(req, session, flow_type),
        EngineError::FlowDisabled(_) | EngineError::NoPublishedFlow(_) => {
            closed(req, session, flow_type)
        }
        EngineError::UnknownExecution => {
            session::forget_execution(session, flow_type);
            see_other(path_of(flow_type))
        }
        // A hand-edited form: nothing changed, show the step again.
        EngineError::InvalidAction(_) | EngineError::UnexpectedInput(_) => {
            session::set_flash(session, "notice.stale", vec![], true);
            see_other(path_of(flow_type))
        }
        other => error::internal(req, &other),
    }
}

async fn start(
    flow_type: FlowType,
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    prefill: HashMap<String, String>,
) -> HttpResponse {
    if flow_type == FlowType::InvitedUserRegistration {
        // Only an invitation link starts this journey.
        return super::link::invitation_problem(req, session, "", &InvitationProblem::Unknown);
    }
    // Boxed: a journey's start runs executors, and its future is many kilobytes that every
    // page view would otherwise carry and copy, though only a first visit starts anything.
    let client = client_address(req);
    let started = Box::pin(state.engine.start_page(
        flow_type,
        prefill,
        locale(req, session),
        client.as_deref(),
    ));
    match started.await {
        Ok((reply, unstored)) => {
            remember_start(session, flow_type, &reply, unstored.as_ref());
            render_reply(req, session, state, &reply, None, Guarded::default()).await
        }
        Err(e) => engine_problem(req, session, flow_type, e),
    }
}

/// The cookie follows a journey just started: its id, and its start's facts until its first
/// change stores it.
fn remember_start(
    session: &Session,
    flow_type: FlowType,
    reply: &Reply,
    unstored: Option<&UnstoredStart>,
) {
    match unstored {
        Some(start) => session::set_unstored(session, start),
        None => session::set_execution(session, flow_type, reply.execution()),
    }
}

/// `GET /invite?code=…` starts the invited journey, then sends the browser to `/invite` so
/// the code does not stay in the address bar or the history.
async fn open_invitation(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    code: &str,
) -> HttpResponse {
    // The invitation's language wins over the browser's Accept-Language guess, but not over
    // a language the person chose themselves (a `lang` parameter, or one this browser's
    // session already holds, an earlier invitation's included): see `Engine::start_invitation`.
    let chosen = super::link::chosen_locale(req, session);
    let client = client_address(req);
    let started = Box::pin(
        state
            .engine
            .start_invitation(code, chosen, client.as_deref()),
    );
    match started.await {
        Ok(Ok((reply, language))) => {
            if chosen.is_none() {
                // The rest of the journey's pages follow the invitation's language.
                session::set_language(session, language.tag());
            }
            session::set_execution(
                session,
                FlowType::InvitedUserRegistration,
                reply.execution(),
            );
            see_other(path_of(FlowType::InvitedUserRegistration))
        }
        Ok(Err(problem)) => super::link::invitation_problem(req, session, code, &problem),
        Err(e) => engine_problem(req, session, FlowType::InvitedUserRegistration, e),
    }
}

pub async fn show(flow_type: FlowType, Visit(req, session, state): Visit) -> HttpResponse {
    if flow_type == FlowType::InvitedUserRegistration
        && let Some(code) = web::Query::<HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("code").cloned())
    {
        return open_invitation(&req, &session, &state, &code).await;
    }
    let Some(journey) = session::journey(&session, flow_type) else {
        return start(flow_type, &req, &session, &state, HashMap::new()).await;
    };
    let seen = session::seen_revision(&session, flow_type);
    match state.engine.load_journey(journey, seen).await {
        Ok(execution) => {
            let fresh = state.engine.now() - execution.updated_at < SHOW_COMPLETED_FOR;
            if execution.status == ExecutionStatus::Complete && !fresh {
                return start(flow_type, &req, &session, &state, HashMap::new()).await;
            }
            if session::take_away(&session)
                && let Some(url) = state.engine.away_to(&execution)
            {
                return away(&req, &session, &url);
            }
            let notice = flash_text(&req, &session);
            let reply = Reply::Stale { execution };
            render_reply(&req, &session, &state, &reply, notice, Guarded::default()).await
        }
        Err(EngineError::UnknownExecution) => {
            start(flow_type, &req, &session, &state, HashMap::new()).await
        }
        Err(e) => engine_problem(&req, &session, flow_type, e),
    }
}

/// The page that moves on to a provider's sign-in by itself, with a link for a browser
/// that does not follow the refresh.
fn away(req: &HttpRequest, session: &Session, url: &str) -> HttpResponse {
    let mut page = MessagePage::new(req, session, "social.away").link(url, "link.continue");
    page.layout.moves_on_to = Some(url.to_owned());
    html(StatusCode::OK, &page)
}

fn form_value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The checks every form post of a flow passes first: the address limit, then CSRF.
fn refuse_post(
    req: &HttpRequest,
    session: &Session,
    flow_type: FlowType,
    form: &[(String, String)],
) -> Option<HttpResponse> {
    super::refuse_post(
        req,
        session,
        form_value(form, "csrf_token"),
        path_of(flow_type),
    )
}

/// A post the form guard took for a bot's: a polite page that says no more than that the
/// form was not accepted (what tripped stays in the audit log), and nothing done.
async fn bot_refused(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    flow_type: FlowType,
    execution: crate::domain::ExecutionId,
    refusal: Refusal,
) -> HttpResponse {
    metrics::counter!("flows_bot_refused_total", "reason" => refusal.as_str()).increment(1);
    tracing::info!(
        reason = refusal.as_str(),
        flow_type = flow_type.as_str(),
        "form post refused as a bot's"
    );
    let client = client_address(req);
    if let Err(e) = state
        .engine
        .record_bot_refusal(execution, flow_type, refusal.as_str(), client.as_deref())
        .await
    {
        tracing::error!(error = %e, "bot refusal audit entry not written");
    }
    let page = MessagePage::new(req, session, "problem.form_refused")
        .link(path_of(flow_type), "link.back");
    html(StatusCode::BAD_REQUEST, &page)
}

pub async fn submit(
    flow_type: FlowType,
    visit: Visit,
    form: Vec<(String, String)>,
) -> HttpResponse {
    let started = tokio::time::Instant::now();
    let response = submit_step(flow_type, visit, form).await;
    if flow_type == FlowType::PasswordRecovery {
        tokio::time::sleep_until(started + crate::web::RECOVERY_ANSWER_FLOOR).await;
    }
    response
}

async fn submit_step(
    flow_type: FlowType,
    Visit(req, session, state): Visit,
    form: Vec<(String, String)>,
) -> HttpResponse {
    if let Some(refused) = refuse_post(&req, &session, flow_type, &form) {
        return refused;
    }
    let Some(journey) = session::journey(&session, flow_type) else {
        return see_other(path_of(flow_type));
    };
    let id = journey.id();
    let step = form_value(&form, "step").unwrap_or_default().to_owned();
    let checked = match state.form_guard.check(
        &form,
        id,
        &step,
        state.engine.now(),
        state.engine.settings().execution_idle,
    ) {
        Ok(checked) => checked,
        // An old form is most often one of an execution that has expired since: the person
        // is told that, as before, rather than that their form was taken for a bot's.
        Err(Refusal::StaleToken) if let Err(e) = state.engine.load_journey(journey, None).await => {
            return engine_problem(&req, &session, flow_type, e);
        }
        Err(refusal) => return bot_refused(&req, &session, &state, flow_type, id, refusal).await,
    };
    let form = state.form_guard.strip(form, id, &step);
    let submission = Submission {
        step: form_value(&form, "step").map(str::to_owned),
        action: form_value(&form, "action").unwrap_or_default().to_owned(),
        inputs: form
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "csrf_token" | "step" | "action"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        too_fast: checked.too_fast,
    };
    let locale = locale(&req, &session);
    let client = client_address(&req);
    let reply = state
        .engine
        .submit_to(journey, submission, locale, client.as_deref())
        .await;
    if let Ok(reply) = &reply {
        session::saw_revision(&session, flow_type, reply.execution().revision);
    }
    match reply {
        Ok(Reply::Moved { execution, notice }) => {
            if let Some(n) = notice {
                session::set_flash(
                    &session,
                    n.key,
                    n.args
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), v.clone()))
                        .collect(),
                    n.is_error,
                );
            }
            if execution.status == ExecutionStatus::Complete {
                sign_in_new_user(&session, &state, &execution).await;
            }
            // Sent to sign in at a provider: the next page view moves on there.
            if execution.is_away() {
                session::set_away(&session);
            }
            see_other(path_of(flow_type))
        }
        Ok(reply @ Reply::Invalid { .. }) => {
            let again = matches!(&reply, Reply::Invalid { view, .. } if *view == step);
            let guarded = Guarded {
                rendered_at: again.then_some(checked.rendered),
                held: false,
            };
            render_reply(&req, &session, &state, &reply, None, guarded).await
        }
        Ok(reply @ Reply::Held { .. }) => {
            let guarded = Guarded {
                rendered_at: None,
                held: true,
            };
            render_reply(&req, &session, &state, &reply, None, guarded).await
        }
        Ok(Reply::Stale { .. }) => {
            session::set_flash(&session, "notice.stale", vec![], false);
            see_other(path_of(flow_type))
        }
        Err(e) => engine_problem(&req, &session, flow_type, e),
    }
}

/// A finished registration signs the new person in, so the account is usable at once; not
/// one that waits for an administrator's approval.
pub(super) async fn sign_in_new_user(session: &Session, state: &AppState, execution: &Execution) {
    if let Ok(Some((id, auth_version))) = state.engine.sign_in_of(execution).await {
        session::sign_in(session, id, auth_version);
    }
}

pub async fn restart(
    flow_type: FlowType,
    Visit(req, session, state): Visit,
    form: Vec<(String, String)>,
) -> HttpResponse {
    if let Some(refused) = refuse_post(&req, &session, flow_type, &form) {
        return refused;
    }
    if flow_type == FlowType::InvitedUserRegistration {
        // Only the invitation link starts this journey afresh.
        return super::link::invitation_problem(&req, &session, "", &InvitationProblem::Unknown);
    }
    // Keep what the person already typed that is safe to keep: their profile, not proofs.
    let prefill: HashMap<String, String> = match session::execution(&session, flow_type) {
        Some(id) => state.engine.restart_prefill(id).await.unwrap_or_default(),
        None => HashMap::new(),
    };
    session::forget_execution(&session, flow_type);
    match state
        .engine
        .start_page(
            flow_type,
            prefill,
            locale(&req, &session),
            client_address(&req).as_deref(),
        )
        .await
    {
        Ok((reply, unstored)) => {
            remember_start(&session, flow_type, &reply, unstored.as_ref());
            see_other(path_of(flow_type))
        }
        Err(e) => engine_problem(&req, &session, flow_type, e),
    }
}
