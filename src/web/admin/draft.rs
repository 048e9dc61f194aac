//! The draft editor: one page with every step, and one POST per edit. Each edit carries the
//! draft's revision, so an edit made on a stale page is refused rather than overwriting a
//! colleague's; a refused edit comes back beside its field with what was typed.

use super::decisions::{self, RuleEditor};
use super::draft_anchors::{anchor_after, problem_link};
use super::editor::{self, FailedEdit, StepSection, parse_name};
use super::{
    Admin, AdminFlow, AdminLayout, ConfirmPage, FlowPost, FormFields, actor, done, failed,
    flow_url, not_found,
};
use crate::engine::widgets::{self, EdgeRef};
use crate::engine::{
    ComponentMove, ComponentPatch, ComponentType, Direction, Draft, DraftProblem, Edit, EditError,
    ExecutorName, FlowType, NewStepKind, TakeBack, Variant, dangling_if_removed, free_component_id,
    free_step_id,
};
use crate::i18n::Said;
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/flows/{type}/draft", web::get().to(show_draft))
        .route("/admin/flows/{type}/draft/edit", web::post().to(edit_draft))
        .route(
            "/admin/flows/{type}/draft/remove",
            web::get().to(confirm_remove),
        )
        .route(
            "/admin/flows/{type}/draft/discard",
            web::get().to(confirm_discard),
        )
        .route(
            "/admin/flows/{type}/draft/discard",
            web::post().to(discard_draft),
        )
        .route("/admin/flows/{type}/draft/undo", web::post().to(undo_draft))
        .route(
            "/admin/flows/{type}/draft/publish",
            web::post().to(publish_draft),
        )
        .route(
            "/admin/flows/{type}/draft/widget",
            web::post().to(insert_widget),
        );
}

#[derive(Template)]
#[template(path = "admin/draft.html")]
struct DraftPage {
    layout: AdminLayout,
    flow_type: &'static str,
    name: String,
    description: String,
    revision: i64,
    /// Where it started from, when it was last edited, its revision: one sentence.
    meta: String,
    can_undo: bool,
    /// (link, message) of every validation problem.
    problems: Vec<(String, String)>,
    /// (link, message) of a refused edit.
    errors: Vec<(String, String)>,
    /// A refused change of the flow's name: (field, message).
    info_error: Option<(String, String)>,
    /// A refused widget insertion.
    widget_error: Option<String>,
    sections: Vec<StepSection>,
    /// The branch forms of each decision step, by step id.
    rules: BTreeMap<String, RuleEditor>,
    step_ids: Vec<String>,
    executors: Vec<(String, String)>,
    /// The names of the registered extensions, for a call's select.
    extensions: Vec<String>,
    component_choices: Vec<(String, String)>,
    /// (id, name and description)
    widgets: Vec<(&'static str, String)>,
    /// (key, label)
    edges: Vec<(String, String)>,
    diagram: String,
    published: Option<i64>,
}

/// What the page says on top of the draft besides its content.
#[derive(Default)]
struct Shown {
    failed: Option<FailedEdit>,
    stale: bool,
    /// The step to show unfolded.
    open: Option<String>,
}

#[derive(serde::Deserialize)]
struct OpenQuery {
    #[serde(default)]
    open: Option<String>,
}

async fn draft_of(
    req: &HttpRequest,
    state: &AppState,
    flow_type: FlowType,
) -> Result<Option<Draft>, HttpResponse> {
    state
        .engine
        .draft(flow_type)
        .await
        .map_err(|e| error::internal(req, &e))
}

async fn draft_page(admin: &Admin, draft: &Draft, shown: Shown) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let def = &draft.definition;
    let problems = def.validate();
    let published = match state.engine.flow_versions(draft.flow_type).await {
        Ok(v) => v
            .iter()
            .find(|v| v.status == "PUBLISHED")
            .map(|v| v.version),
        Err(e) => return error::internal(req, &e),
    };
    let extensions = match state.engine.extensions(&admin.actor()).await {
        Ok(list) => list.into_iter().map(|e| e.name).collect(),
        Err(e) => return error::internal(req, &e),
    };
    let failed_edit = shown.failed.as_ref();
    let mut errors = Vec::new();
    if shown.stale {
        errors.push(("draft-title".to_owned(), admin.t("ui.builder.draft.stale")));
    }
    if let Some(f) = failed_edit {
        errors.push((f.html_id(), f.message.clone()));
    }
    let info_error = failed_edit
        .filter(|f| f.op == "info")
        .map(|f| (f.html_id(), f.message.clone()));
    let widget_error = failed_edit
        .filter(|f| f.op == "widget")
        .map(|f| f.message.clone());
    let href = |step: &str| format!("#step-{step}");
    let problem_steps: Vec<String> = problems.iter().filter_map(|p| p.step.clone()).collect();
    let tr = admin.console_tr();
    let label = admin.t(&format!(
        "ui.flow_type.{}",
        draft.flow_type.as_str().to_lowercase()
    ));
    let page = DraftPage {
        layout: admin
            .layout("")
            .retitle("ui.builder.flow.draft")
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb("/admin/flows", admin.t("ui.flows.title"))
            .crumb(flow_url(draft.flow_type), label),
        flow_type: draft.flow_type.as_str(),
        name: failed_edit
            .filter(|f| f.op == "info")
            .and_then(|f| {
                f.typed
                    .iter()
                    .find(|(k, _)| k == "name")
                    .map(|(_, v)| v.clone())
            })
            .unwrap_or_else(|| def.name.clone()),
        description: def.description.clone(),
        revision: draft.revision,
        meta: tr.t_args(
            "ui.builder.draft.meta",
            &[
                ("source", draft.source.clone()),
                ("at", super::when(draft.updated_at)),
                ("author", super::who(&draft.updated_by)),
                ("revision", draft.revision.to_string()),
            ],
        ),
        can_undo: draft.can_undo,
        problems: problems
            .iter()
            .map(|p| (problem_link(p), p.message.in_(&tr)))
            .collect(),
        errors,
        info_error,
        widget_error,
        sections: editor::sections(def, &problems, failed_edit, &tr, shown.open.as_deref()),
        rules: decisions::editors(def, &problems, failed_edit, &tr),
        step_ids: def.steps.iter().map(|s| s.id.clone()).collect(),
        executors: editor::executors(),
        extensions,
        component_choices: editor::component_choices(&tr),
        widgets: widgets::all()
            .iter()
            .filter(|w| w.fits(draft.flow_type))
            .map(|w| (w.id, w.choice().in_(&tr)))
            .collect(),
        edges: widgets::edges(def)
            .into_iter()
            .map(|(e, label)| (e.to_key(), label.in_(&tr)))
            .collect(),
        diagram: super::diagram::render(def, &problem_steps, &href, &admin.console_tr()),
        published,
    };
    let status = if shown.stale {
        StatusCode::CONFLICT
    } else if shown.failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(status, &page)
}

async fn show_draft(
    AdminFlow { admin, flow_type }: AdminFlow,
    query: web::Query<OpenQuery>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let shown = Shown {
        open: query.into_inner().open,
        ..Shown::default()
    };
    match draft_of(req, state, flow_type).await {
        Ok(Some(draft)) => draft_page(&admin, &draft, shown).await,
        Ok(None) => failed(
            session,
            &flow_url(flow_type),
            &admin.t("ui.builder.draft.none_start"),
        ),
        Err(answer) => answer,
    }
}

fn refused(field: &'static str, code: &'static str, key: &'static str) -> EditError {
    EditError {
        field,
        code,
        message: Said::new(key),
    }
}

/// The form of one edit, as the engine's `Edit`, and the anchor to come back to.
fn edit_of(form: &FormFields, def: &crate::engine::FlowDefinition) -> Result<Edit, EditError> {
    let step = form.text("step");
    let component = form.text("component");
    let next = || Some(form.text("next")).filter(|n| !n.is_empty());
    Ok(match form.text("op").as_str() {
        "info" => Edit::SetFlowInfo {
            name: form.text("name"),
            description: form.text("description"),
        },
        "add_step" => {
            let kind = match form.text("kind").as_str() {
                "view" => NewStepKind::View,
                "rule" => NewStepKind::Rule,
                "end" => NewStepKind::End,
                other => match other
                    .strip_prefix("task:")
                    .and_then(parse_name::<ExecutorName>)
                {
                    Some(e) => NewStepKind::Task(e),
                    None => {
                        return Err(refused(
                            "kind",
                            "unknown_kind",
                            "ui.builder.draft.choose_kind",
                        ));
                    }
                },
            };
            let base = match kind {
                NewStepKind::View => "view",
                NewStepKind::End => "end",
                NewStepKind::Rule => "decision",
                NewStepKind::Task(_) => "task",
            };
            let id = match form.text("id") {
                id if id.is_empty() => free_step_id(def, base),
                id => id,
            };
            Edit::AddStep {
                id,
                kind,
                after: Some(step).filter(|s| !s.is_empty()),
            }
        }
        "rename_step" => Edit::RenameStep {
            step,
            new_id: form.text("new_id"),
        },
        "move_step" => Edit::MoveStep {
            step,
            direction: if form.text("direction") == "up" {
                Direction::Up
            } else {
                Direction::Down
            },
        },
        "remove_step" => Edit::RemoveStep { step },
        "set_start" => Edit::SetStart { step },
        "add_component" => {
            let what = form.text("what");
            let (kind, variant) = match what.split_once(':') {
                Some((k, v)) => (parse_name::<ComponentType>(k), parse_name::<Variant>(v)),
                None => (parse_name::<ComponentType>(&what), None),
            };
            let Some(kind) = kind else {
                return Err(refused(
                    "what",
                    "unknown_kind",
                    "ui.builder.draft.choose_component",
                ));
            };
            let base = match (kind, variant) {
                (ComponentType::Input, Some(v)) => editor::name_of(&v).to_lowercase(),
                _ => editor::name_of(&kind).to_lowercase(),
            };
            let id = match form.text("id") {
                id if id.is_empty() => free_component_id(def, &step, &base),
                id => id,
            };
            Edit::AddComponent {
                step,
                kind,
                variant,
                id,
                parent: Some(form.text("parent")).filter(|p| !p.is_empty()),
            }
        }
        "update_component" => {
            let field = |name: &str| form.get(name).map(str::to_owned);
            // A checkbox sends nothing when unticked: its `has_` marker says it was there.
            let flag = |name: &str| {
                form.get(&format!("has_{name}"))
                    .map(|_| form.get(name) == Some("true"))
            };
            Edit::UpdateComponent {
                step,
                component,
                patch: ComponentPatch {
                    id: field("id"),
                    variant: field("variant"),
                    identifier: field("identifier"),
                    label: field("label"),
                    placeholder: field("placeholder"),
                    hint: field("hint"),
                    required: flag("required"),
                    default_value: field("default_value"),
                    options: field("options"),
                    min_length: field("min_length"),
                    max_length: field("max_length"),
                    pattern: field("pattern"),
                    pattern_message: field("pattern_message"),
                    password_policy: flag("password_policy"),
                    text: field("text"),
                    length: field("length"),
                    src: field("src"),
                    alt: field("alt"),
                },
            }
        }
        "move_component" => {
            let to = match form.text("to").as_str() {
                "up" => ComponentMove::Up,
                "down" => ComponentMove::Down,
                "out" => ComponentMove::OutOfForm,
                other => match other.strip_prefix("into:") {
                    Some(f) => ComponentMove::IntoForm(f.to_owned()),
                    None => {
                        return Err(refused(
                            "to",
                            "unknown_move",
                            "ui.builder.draft.choose_move",
                        ));
                    }
                },
            };
            Edit::MoveComponent {
                step,
                component,
                to,
            }
        }
        "remove_component" => Edit::RemoveComponent { step, component },
        "set_target" => Edit::SetActionTarget {
            step,
            button: form.text("button"),
            next: next(),
        },
        "set_executor" => match parse_name::<ExecutorName>(&form.text("executor")) {
            Some(executor) => Edit::SetExecutor { step, executor },
            None => {
                return Err(refused(
                    "executor",
                    "unknown_executor",
                    "ui.builder.draft.choose_executor",
                ));
            }
        },
        "set_extension" => Edit::SetExtension {
            step,
            extension: Some(form.text("extension")).filter(|e| !e.is_empty()),
        },
        "set_outcome" => Edit::SetOutcome {
            step,
            outcome: form.text("outcome"),
            next: next(),
        },
        op if editor::is_decision_edit(op) => decisions::edit_of(form)?,
        _ => {
            return Err(refused(
                "op",
                "unknown_edit",
                "ui.builder.draft.unknown_edit",
            ));
        }
    })
}

/// The revision the edit's page showed.
fn revision_of(form: &FormFields) -> i64 {
    form.text("revision").parse().unwrap_or(-1)
}

/// Saves `changed` over the draft shown at `revision`, or answers why not.
async fn save(
    admin: &Admin,
    draft: &Draft,
    changed: &crate::engine::FlowDefinition,
    what: (&'static str, serde_json::Value),
) -> Result<(), HttpResponse> {
    let (req, session, state) = admin.parts();
    match state
        .engine
        .save_draft_edit(changed, draft.revision, what.0, what.1, &actor(req, admin))
        .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(DraftProblem::Missing)) => Err(failed(
            session,
            &flow_url(draft.flow_type),
            &admin.t("ui.builder.draft.gone"),
        )),
        Ok(Err(_)) => Err(stale(admin, draft.flow_type).await),
        Err(e) => Err(error::internal(req, &e)),
    }
}

async fn stale(admin: &Admin, flow_type: FlowType) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match draft_of(req, state, flow_type).await {
        Ok(Some(current)) => {
            draft_page(
                admin,
                &current,
                Shown {
                    stale: true,
                    ..Shown::default()
                },
            )
            .await
        }
        Ok(None) => failed(
            session,
            &flow_url(flow_type),
            &admin.t("ui.builder.draft.gone"),
        ),
        Err(answer) => answer,
    }
}

/// A post about the draft of the flow type in the path, at the revision the form was made
/// from: what every draft change starts from. A stale form, or a draft gone, is answered
/// before the handler runs.
struct DraftPost {
    admin: Admin,
    form: FormFields,
    draft: Draft,
}

super::guard::guard_extractor!(DraftPost, |req, payload| {
    let post = FlowPost::from_request(req, payload);
    async move {
        draft_posted(post.await?)
            .await
            .map_err(super::guard::refused)
    }
});

async fn draft_posted(
    FlowPost {
        admin,
        flow_type,
        form,
    }: FlowPost,
) -> Result<DraftPost, HttpResponse> {
    let (req, session, state) = admin.parts();
    match draft_of(req, state, flow_type).await? {
        Some(draft) if draft.revision == revision_of(&form) => Ok(DraftPost { admin, form, draft }),
        Some(_) => Err(stale(&admin, flow_type).await),
        None => Err(failed(
            session,
            &flow_url(flow_type),
            &admin.t("ui.builder.draft.none_any_more"),
        )),
    }
}

/// A "leads to" select may name a step to create there and then (`+view`, `+end`): the new
/// step is added after the edge's source, and the form then points at it.
fn with_new_target(
    form: FormFields,
    def: &mut crate::engine::FlowDefinition,
) -> Result<(FormFields, Option<Said>), (FormFields, EditError)> {
    let op = form.text("op");
    let kind = match (op.as_str(), form.text("next").as_str()) {
        ("set_target" | "set_outcome", "+view") => NewStepKind::View,
        ("set_target" | "set_outcome", "+end") => NewStepKind::End,
        _ => return Ok((form, None)),
    };
    let base = if kind == NewStepKind::End {
        "end"
    } else {
        "view"
    };
    let id = free_step_id(def, base);
    let add = Edit::AddStep {
        id: id.clone(),
        kind,
        after: Some(form.text("step")),
    };
    match crate::engine::apply(def, &add) {
        Ok(words) => Ok((form.with("next", &id), Some(words))),
        Err(e) => Err((form, e)),
    }
}

/// The draft page again, with a refused edit beside its field and what was typed.
async fn refused_edit(
    admin: &Admin,
    draft: &Draft,
    form: &FormFields,
    e: EditError,
) -> HttpResponse {
    let failed = FailedEdit {
        op: form.text("op"),
        step: form.text("step"),
        component: Some(form.text("component")).filter(|c| !c.is_empty()),
        field: e.field.to_owned(),
        message: e.message.in_(&admin.console_tr()),
        typed: form.all().to_vec(),
    };
    let shown = Shown {
        failed: Some(failed),
        ..Shown::default()
    };
    draft_page(admin, draft, shown).await
}

async fn edit_draft(DraftPost { admin, form, draft }: DraftPost) -> HttpResponse {
    let (_, session, _) = admin.parts();
    let mut changed = draft.definition.clone();
    let (form, created) = match with_new_target(form, &mut changed) {
        Ok(found) => found,
        Err((form, e)) => {
            return refused_edit(&admin, &draft, &form, e).await;
        }
    };
    let applied = edit_of(&form, &changed).and_then(|edit| {
        let words = crate::engine::apply(&mut changed, &edit)?;
        let words = match created {
            Some(added) => Said::new("ui.edit.both")
                .with_said("first", added)
                .with_said("then", words),
            None => words,
        };
        Ok((edit, words))
    });
    let (edit, words) = match applied {
        Ok(done) => done,
        Err(e) => return refused_edit(&admin, &draft, &form, e).await,
    };
    let what = (
        "flow.draft_edited",
        serde_json::json!({ "edit": form.text("op"), "summary": words.english() }),
    );
    if let Err(answer) = save(&admin, &draft, &changed, what).await {
        return answer;
    }
    let anchor = anchor_after(&edit, &changed);
    done(
        session,
        &format!("{}/draft{anchor}", flow_url(draft.flow_type)),
        &words.in_(&admin.console_tr()),
    )
}

#[derive(serde::Deserialize)]
struct StepQuery {
    #[serde(default)]
    step: String,
}

async fn confirm_remove(
    AdminFlow { admin, flow_type }: AdminFlow,
    query: web::Query<StepQuery>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let draft = match draft_of(req, state, flow_type).await {
        Ok(Some(d)) => d,
        Ok(None) => {
            return failed(
                session,
                &flow_url(flow_type),
                &admin.t("ui.builder.draft.none"),
            );
        }
        Err(answer) => return answer,
    };
    let Some(step) = draft.definition.step(&query.step) else {
        return not_found(req, session);
    };
    let dangling = dangling_if_removed(&draft.definition, &step.id);
    let base = format!("{}/draft", flow_url(flow_type));
    let tr = admin.console_tr();
    let remove = tr.t_args("ui.builder.draft.remove_step", &[("step", step.id.clone())]);
    let page = ConfirmPage {
        layout: admin
            .layout(remove.clone())
            .under_flow(flow_type)
            .crumb(&base, admin.t("ui.builder.flow.draft")),
        heading: tr.t_args(
            "ui.builder.draft.remove_step_q",
            &[("step", step.id.clone())],
        ),
        paragraphs: vec![if dangling.is_empty() {
            tr.t("ui.builder.draft.nothing_leads")
        } else {
            tr.t_args(
                "ui.builder.draft.dangling",
                &[("count", dangling.len().to_string())],
            )
        }],
        items: dangling.iter().map(|d| d.in_(&tr)).collect(),
        action: format!("{base}/edit"),
        hidden: vec![
            ("op".into(), "remove_step".into()),
            ("step".into(), step.id.clone()),
            ("revision".into(), draft.revision.to_string()),
        ],
        confirm: remove,
        cancel: format!("{base}#step-{}", step.id),
    };
    html(StatusCode::OK, &page)
}

async fn confirm_discard(AdminFlow { admin, flow_type }: AdminFlow) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let draft = match draft_of(req, state, flow_type).await {
        Ok(Some(d)) => d,
        Ok(None) => {
            return failed(
                session,
                &flow_url(flow_type),
                &admin.t("ui.builder.draft.none"),
            );
        }
        Err(answer) => return answer,
    };
    let base = format!("{}/draft", flow_url(flow_type));
    let page = ConfirmPage {
        layout: admin
            .layout("")
            .retitle("ui.builder.draft.discard")
            .under_flow(flow_type)
            .crumb(&base, admin.t("ui.builder.flow.draft")),
        heading: admin.t("ui.builder.draft.discard_q"),
        paragraphs: vec![admin.console_tr().t_args(
            "ui.builder.draft.discard_what",
            &[
                ("source", draft.source.clone()),
                ("at", super::when(draft.updated_at)),
                ("author", super::who(&draft.updated_by)),
            ],
        )],
        items: Vec::new(),
        action: format!("{base}/discard"),
        hidden: vec![("revision".into(), draft.revision.to_string())],
        confirm: admin.t("ui.builder.draft.discard"),
        cancel: base,
    };
    html(StatusCode::OK, &page)
}

async fn discard_draft(post: DraftPost) -> HttpResponse {
    take_back(post, TakeBack::Draft).await
}

async fn undo_draft(post: DraftPost) -> HttpResponse {
    take_back(post, TakeBack::LastEdit).await
}

/// Discard goes back to the flow's page, undo stays on the draft.
async fn take_back(DraftPost { admin, draft, .. }: DraftPost, what: TakeBack) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let base = format!("{}/draft", flow_url(draft.flow_type));
    let answer = state
        .engine
        .take_back_draft(what, draft.flow_type, draft.revision, &admin.actor())
        .await;
    match (what, answer) {
        (TakeBack::Draft, Ok(Ok(()))) => done(
            session,
            &flow_url(draft.flow_type),
            &admin.t("ui.builder.draft.discarded"),
        ),
        (TakeBack::Draft, Ok(Err(_))) => stale(&admin, draft.flow_type).await,
        (TakeBack::LastEdit, Ok(Ok(()))) => {
            done(session, &base, &admin.t("ui.builder.draft.undone"))
        }
        (TakeBack::LastEdit, Ok(Err(_))) => {
            failed(session, &base, &admin.t("ui.builder.draft.nothing_to_undo"))
        }
        (_, Err(e)) => error::internal(req, &e),
    }
}

async fn publish_draft(DraftPost { admin, draft, .. }: DraftPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let base = format!("{}/draft", flow_url(draft.flow_type));
    match state
        .engine
        .publish_draft(draft.flow_type, Some(draft.revision), &admin.actor())
        .await
    {
        Ok(Err(DraftProblem::Problems { problems, .. })) => failed(
            session,
            &format!("{base}#problems"),
            &admin.console_tr().t_args(
                "ui.builder.draft.not_published",
                &[("count", problems.len().to_string())],
            ),
        ),
        Ok(Ok(version)) => done(
            session,
            &flow_url(draft.flow_type),
            &admin.console_tr().t_args(
                "ui.builder.draft.published",
                &[("version", version.to_string())],
            ),
        ),
        Ok(Err(_)) => stale(&admin, draft.flow_type).await,
        Err(e) => error::internal(req, &e),
    }
}

async fn insert_widget(DraftPost { admin, form, draft }: DraftPost) -> HttpResponse {
    let (_, session, _) = admin.parts();
    let widget = widgets::by_id(&form.text("widget")).filter(|w| w.fits(draft.flow_type));
    let edge = EdgeRef::from_key(&form.text("edge"));
    let mut changed = draft.definition.clone();
    let inserted = match (widget, &edge) {
        (Some(w), Some(e)) => widgets::insert(&mut changed, w, e).map_err(|e| e.message),
        (None, _) => Err(Said::new("ui.builder.draft.choose_widget")),
        (_, None) => Err(Said::new("ui.builder.draft.choose_edge")),
    };
    let steps = match inserted {
        Ok(steps) => steps,
        Err(message) => {
            let e = EditError {
                field: "widget",
                code: "widget_refused",
                message,
            };
            let form = form.with("op", "widget");
            return refused_edit(&admin, &draft, &form, e).await;
        }
    };
    let name = widget
        .map(|w| w.name().in_(&admin.console_tr()))
        .unwrap_or_default();
    let what = (
        "flow.widget_inserted",
        serde_json::json!({ "widget": form.text("widget"), "steps": steps }),
    );
    if let Err(answer) = save(&admin, &draft, &changed, what).await {
        return answer;
    }
    let first = steps.first().cloned().unwrap_or_default();
    done(
        session,
        &format!(
            "{}/draft?open={first}#step-{first}",
            flow_url(draft.flow_type)
        ),
        &admin.console_tr().t_args(
            "ui.builder.draft.widget_inserted",
            &[("name", name), ("steps", steps.join(", "))],
        ),
    )
}
