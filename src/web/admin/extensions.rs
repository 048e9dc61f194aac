//! Extensions: the organisation's own HTTPS services a `CallExtension` step asks. The list,
//! registering one (a secret Flows makes is shown once, on the answer to the POST itself,
//! never stored in the session nor put in a URL) and removing one after a confirm page.
//! Every act is the engine's and owner-only; operators never reach these pages (the guard).

use super::{Admin, AdminLayout, AdminPost, ConfirmPage, FormFields, done, failed};
use crate::domain::extension::{DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS};
use crate::engine::{Extension, NewExtension};
use crate::web::error;
use crate::web::page::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

const PATH: &str = "/admin/extensions";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(show_extensions))
        .route(PATH, web::post().to(add_extension))
        .route(
            "/admin/extensions/{name}/remove",
            web::get().to(confirm_remove),
        )
        .route(
            "/admin/extensions/{name}/remove",
            web::post().to(remove_extension),
        );
}

pub struct ExtensionLine {
    name: String,
    url: String,
    timeout: String,
    sends: String,
    may_set: String,
    on_failure: String,
    events: String,
    added: String,
}

impl ExtensionLine {
    /// The extension as the list shows it, in the console's language.
    fn of(e: Extension, tr: &crate::i18n::Tr) -> Self {
        let listed = |names: Vec<String>| {
            if names.is_empty() {
                tr.t("ui.admin.extensions.nothing")
            } else {
                names.join(", ")
            }
        };
        Self {
            timeout: tr.t_args(
                "ui.admin.extensions.ms",
                &[("ms", e.timeout_ms.to_string())],
            ),
            sends: listed(e.send_attributes),
            may_set: listed(e.may_set),
            on_failure: match e.on_failure.as_str() {
                "allow" => tr.t("ui.admin.extensions.allow"),
                _ => tr.t("ui.admin.extensions.deny"),
            },
            added: super::when(e.created_at),
            events: listed(e.events),
            name: e.name,
            url: e.url,
        }
    }
}

/// What an extension may answer, as the page shows it: JSON, the same in every language.
const ANSWER_ALLOW: &str = r#"{"action": "allow"}"#;
const ANSWER_DENY: &str = r#"{"action": "deny", "message": "…", "field": "…"}"#;
const ANSWER_MODIFY: &str = r#"{"action": "modify", "attributes": {…}}"#;

/// The form as typed, the secret left out: it is never sent back.
#[derive(Clone)]
struct Typed {
    name: String,
    url: String,
    timeout_ms: String,
    send_attributes: String,
    may_set: String,
    on_failure: String,
    /// The event types ticked.
    events: Vec<String>,
}

impl Typed {
    fn receives(&self, event: &str) -> bool {
        self.events.iter().any(|e| e == event)
    }
}

impl Default for Typed {
    fn default() -> Self {
        Self {
            name: String::new(),
            url: String::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS.to_string(),
            send_attributes: String::new(),
            may_set: String::new(),
            on_failure: "deny".to_owned(),
            events: Vec::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/extensions.html")]
struct ExtensionsPage {
    layout: AdminLayout,
    extensions: Vec<ExtensionLine>,
    typed: Typed,
    /// (field, message) of a refusal: one at most, the engine's first.
    errors: Vec<(String, String)>,
    /// (name, secret) of the extension just added when Flows made its secret: the only time
    /// it is shown.
    created: Option<(String, String)>,
    /// (event type, what it means) for the checkboxes.
    event_choices: Vec<(&'static str, String)>,
}

impl ExtensionsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.errors, field)
    }
}

async fn list_page(
    admin: &Admin,
    typed: Typed,
    error: Option<(&'static str, String)>,
    created: Option<(String, String)>,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let list = match state.engine.extensions(&admin.actor()).await {
        Ok(l) => l,
        Err(e) => return error::internal(req, &e),
    };
    let tr = admin.console_tr();
    let page = ExtensionsPage {
        layout: admin
            .section_layout("", "extensions")
            .retitle("ui.admin.extensions.title"),
        extensions: list
            .into_iter()
            .map(|e| ExtensionLine::of(e, &tr))
            .collect(),
        typed,
        errors: error.into_iter().map(|(f, m)| (f.to_owned(), m)).collect(),
        created,
        event_choices: [
            "flow.completed",
            "user.created",
            "user.recovered",
            "invitation.sent",
        ]
        .into_iter()
        .map(|event| (event, tr.t(&format!("ui.admin.extensions.event.{event}"))))
        .collect(),
    };
    html(super::form_status(!page.errors.is_empty()), &page)
}

async fn show_extensions(admin: Admin) -> HttpResponse {
    list_page(&admin, Typed::default(), None, None).await
}

/// Attribute names as typed: separated by commas or lines.
fn names(raw: &str) -> Vec<String> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

fn read_form(form: &FormFields) -> (Typed, String) {
    let typed = Typed {
        name: form.text("name"),
        url: form.text("url"),
        timeout_ms: form.text("timeout_ms"),
        send_attributes: form.get("send_attributes").unwrap_or_default().to_owned(),
        may_set: form.get("may_set").unwrap_or_default().to_owned(),
        on_failure: form.text("on_failure"),
        events: crate::domain::extension::EVENT_TYPES
            .iter()
            .filter(|e| form.text(&format!("event.{e}")) == "on")
            .map(|e| (*e).to_owned())
            .collect(),
    };
    (typed, form.get("secret").unwrap_or_default().to_owned())
}

/// Answers with the page itself (200, not a redirect) when Flows made the secret: a redirect
/// would need the secret kept somewhere until the next request.
async fn add_extension(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (typed, secret) = read_form(&form);
    let timeout_ms = match typed.timeout_ms.as_str() {
        "" => None,
        raw => match raw.parse::<u32>() {
            Ok(ms) => Some(ms),
            Err(_) => {
                let message = admin.console_tr().t_args(
                    "ui.admin.extensions.bad_timeout",
                    &[("max", MAX_TIMEOUT_MS.to_string())],
                );
                return list_page(&admin, typed, Some(("timeout_ms", message)), None).await;
            }
        },
    };
    let new = NewExtension {
        name: typed.name.clone(),
        url: typed.url.clone(),
        secret,
        timeout_ms,
        send_attributes: names(&typed.send_attributes),
        may_set: names(&typed.may_set),
        on_failure: typed.on_failure.clone(),
        events: typed.events.clone(),
    };
    match state.engine.add_extension(&new, &admin.actor()).await {
        Ok(Ok(Some(made))) => {
            let name = new.name.trim().to_owned();
            let message = admin
                .console_tr()
                .t_args("ui.admin.extensions.added", &[("name", name.clone())]);
            crate::web::session::set_admin_flash(session, &message, false);
            list_page(&admin, Typed::default(), None, Some((name, made))).await
        }
        Ok(Ok(None)) => done(
            session,
            PATH,
            &admin.console_tr().t_args(
                "ui.admin.extensions.added",
                &[("name", new.name.trim().to_owned())],
            ),
        ),
        Ok(Err(problem)) => {
            let why = admin.say(&problem.message);
            list_page(&admin, typed, Some((problem.field, why)), None).await
        }
        Err(e) => error::internal(req, &e),
    }
}

async fn confirm_remove(admin: Admin, path: web::Path<String>) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let list = match state.engine.extensions(&admin.actor()).await {
        Ok(l) => l,
        Err(e) => return error::internal(req, &e),
    };
    let Some(extension) = list.into_iter().find(|e| e.name == *path) else {
        return super::not_found(req, session);
    };
    let name = extension.name;
    let tr = admin.console_tr();
    let named = [("name", name.clone())];
    let page = ConfirmPage {
        layout: admin
            .layout(tr.t_args("ui.admin.remove_one", &named))
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb(PATH, admin.t("ui.admin.extensions.title"))
            .section("extensions"),
        heading: tr.t_args("ui.admin.extensions.remove_ask", &named),
        paragraphs: vec![
            tr.t_args("ui.admin.extensions.remove_url", &[("url", extension.url)]),
            tr.t("ui.admin.extensions.remove_what"),
        ],
        items: Vec::new(),
        action: format!("{PATH}/{}/remove", super::url_encode(&name)),
        hidden: Vec::new(),
        confirm: tr.t_args("ui.admin.remove_one", &named),
        cancel: PATH.into(),
    };
    html(StatusCode::OK, &page)
}

async fn remove_extension(
    path: web::Path<String>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state.engine.remove_extension(&path, &admin.actor()).await {
        Ok(true) => done(
            session,
            PATH,
            &admin
                .console_tr()
                .t_args("ui.admin.extensions.removed", &[("name", path.to_string())]),
        ),
        Ok(false) => failed(
            session,
            PATH,
            &admin
                .console_tr()
                .t_args("ui.admin.extensions.unknown", &[("name", path.to_string())]),
        ),
        Err(e) => error::internal(req, &e),
    }
}
