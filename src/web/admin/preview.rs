//! Any step of a draft or a version as the end user will see it, through the hosted pages'
//! own templates, in any language (`?lang=fr`): no execution is created and nothing is sent.
//! Sample values stand in for what a person would have typed before.

use super::{AdminFlow, flow_type_key, not_found};
use crate::engine::{FieldErrors, FlowDefinition, FlowType, Showing};
use crate::web::page::{Layout, see_other};
use crate::web::pages::flow::{StepContent, show_step};
use crate::web::{AppState, error};
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/admin/flows/{type}/draft/preview/{step}",
        web::get().to(preview_draft),
    )
    .route(
        "/admin/flows/{type}/draft/preview/{step}",
        web::post().to(pressed),
    )
    .route(
        "/admin/flows/{type}/versions/{n}/preview/{step}",
        web::get().to(preview_version),
    )
    .route(
        "/admin/flows/{type}/versions/{n}/preview/{step}",
        web::post().to(pressed),
    );
}

/// What a person would have given by the time they see a later step.
fn sample_attributes() -> HashMap<String, String> {
    [
        ("given_name", "Ada"),
        ("family_name", "Lovelace"),
        ("email", "ada@example.com"),
        ("username", "ada"),
        ("login", "ada@example.com"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn preview(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    def: &FlowDefinition,
    step_id: &str,
    banner: String,
) -> HttpResponse {
    let flow_type: FlowType = def.flow_type;
    let layout = Layout::new(req, session, String::new());
    let errors = FieldErrors::default();
    let showing = Showing {
        flow_type,
        execution: None,
        sample: sample_attributes(),
        errors: &errors,
        values: &HashMap::new(),
        notice: None,
        redirect_url: None,
    };
    let Some(shown) = state.engine.show_step(def, step_id, showing, &layout.tr) else {
        return not_found(req, session);
    };
    let content = StepContent {
        shown,
        action_url: req.path().to_owned(),
        restart_url: None,
        preview: Some(banner),
        guard: None,
    };
    show_step(state, layout, content)
}

async fn preview_draft(
    AdminFlow { admin, flow_type }: AdminFlow,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (_, step) = path.into_inner();
    match state.engine.draft(flow_type).await {
        Ok(Some(d)) => preview(
            req,
            session,
            state,
            &d.definition,
            &step,
            admin.console_tr().t_args(
                "ui.preview.draft",
                &[
                    ("flow", admin.t(&flow_type_key(flow_type.as_str()))),
                    ("step", step.clone()),
                ],
            ),
        ),
        Ok(None) => not_found(req, session),
        Err(e) => error::internal(req, &e),
    }
}

async fn preview_version(
    AdminFlow { admin, flow_type }: AdminFlow,
    path: web::Path<(String, i64, String)>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (_, number, step) = path.into_inner();
    match state.engine.flow_version_by_number(flow_type, number).await {
        Ok(Some(row)) => preview(
            req,
            session,
            state,
            &row.definition,
            &step,
            admin.console_tr().t_args(
                "ui.preview.version",
                &[
                    ("flow", admin.t(&flow_type_key(flow_type.as_str()))),
                    ("step", step.clone()),
                    ("version", number.to_string()),
                ],
            ),
        ),
        Ok(None) => not_found(req, session),
        Err(e) => error::internal(req, &e),
    }
}

/// A button pressed in a preview changes nothing: the same preview again.
async fn pressed(req: HttpRequest) -> HttpResponse {
    see_other(req.path())
}
