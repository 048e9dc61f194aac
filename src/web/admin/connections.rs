//! Connections: the OpenID Connect providers people may sign up through. The list (never a
//! secret), the callback URL to register at each provider, registering one, asking whether a
//! provider answers, and removing one after a confirm page. Every act is the engine's and
//! owner-only; operators never reach these pages (the guard).

use super::{Admin, AdminLayout, AdminPost, ConfirmPage, FormFields, done, failed};
use crate::engine::{Connection, NewConnection};
use crate::web::error;
use crate::web::page::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

const PATH: &str = "/admin/connections";
const DEFAULT_SCOPES: &str = "openid email profile";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(show_connections))
        .route(PATH, web::post().to(add_connection))
        .route(
            "/admin/connections/{name}/test",
            web::post().to(test_connection),
        )
        .route(
            "/admin/connections/{name}/remove",
            web::get().to(confirm_remove),
        )
        .route(
            "/admin/connections/{name}/remove",
            web::post().to(remove_connection),
        );
}

pub struct ConnectionLine {
    name: String,
    preset: String,
    discovery_url: String,
    client_id: String,
    scopes: String,
    mapping: String,
    added: String,
}

impl From<Connection> for ConnectionLine {
    fn from(c: Connection) -> Self {
        Self {
            scopes: c.scopes.join(" "),
            mapping: c
                .mapping
                .iter()
                .map(|(claim, attribute)| format!("{claim}={attribute}"))
                .collect::<Vec<_>>()
                .join(", "),
            added: super::when(c.created_at),
            name: c.name,
            preset: c.preset,
            discovery_url: c.discovery_url,
            client_id: c.client_id,
        }
    }
}

/// The form as typed, the client secret left out: it is never sent back.
#[derive(Clone)]
struct Typed {
    name: String,
    preset: String,
    discovery_url: String,
    client_id: String,
    scopes: String,
    mapping: String,
    authorize_url: String,
    token_url: String,
    userinfo_url: String,
}

impl Default for Typed {
    fn default() -> Self {
        Self {
            name: String::new(),
            preset: "oidc".to_owned(),
            discovery_url: String::new(),
            client_id: String::new(),
            scopes: DEFAULT_SCOPES.to_owned(),
            mapping: String::new(),
            authorize_url: String::new(),
            token_url: String::new(),
            userinfo_url: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/connections.html")]
struct ConnectionsPage {
    layout: AdminLayout,
    connections: Vec<ConnectionLine>,
    callback_url: String,
    typed: Typed,
    /// (field, message) of a refusal: one at most, the engine's first.
    errors: Vec<(String, String)>,
    /// (value, label) for the preset select.
    presets: Vec<(&'static str, String)>,
    /// (connection, whether it answered, what to say) after its Test button.
    tested: Option<(String, bool, String)>,
}

impl ConnectionsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.errors, field)
    }
}

async fn list_page(
    admin: &Admin,
    typed: Typed,
    error: Option<(&'static str, String)>,
    tested: Option<(String, bool, String)>,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let list = match state.engine.connections(&admin.actor()).await {
        Ok(l) => l,
        Err(e) => return error::internal(req, &e),
    };
    let page = ConnectionsPage {
        layout: admin
            .section_layout("", "connections")
            .retitle("ui.admin.connections.title"),
        connections: list.into_iter().map(ConnectionLine::from).collect(),
        callback_url: state.engine.social_callback_url(),
        typed,
        errors: error.into_iter().map(|(f, m)| (f.to_owned(), m)).collect(),
        presets: ["oidc", "google", "microsoft", "github", "oauth2"]
            .into_iter()
            .map(|p| (p, admin.t(&format!("ui.admin.connections.preset.{p}"))))
            .collect(),
        tested,
    };
    html(super::form_status(!page.errors.is_empty()), &page)
}

async fn show_connections(admin: Admin) -> HttpResponse {
    list_page(&admin, Typed::default(), None, None).await
}

/// The mapping as typed, one `claim=attribute` a line; a line without `=` is refused here,
/// since the engine only sees pairs.
fn mapping(raw: &str) -> Result<BTreeMap<String, String>, String> {
    let mut mapping = BTreeMap::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((claim, attribute)) = line.split_once('=') else {
            return Err(line.to_owned());
        };
        mapping.insert(claim.trim().to_owned(), attribute.trim().to_owned());
    }
    Ok(mapping)
}

fn read_form(form: &FormFields) -> (Typed, String) {
    let typed = Typed {
        name: form.text("name"),
        preset: form.text("preset"),
        discovery_url: form.text("discovery_url"),
        client_id: form.text("client_id"),
        scopes: form.text("scopes"),
        mapping: form.get("mapping").unwrap_or_default().to_owned(),
        authorize_url: form.text("authorize_url"),
        token_url: form.text("token_url"),
        userinfo_url: form.text("userinfo_url"),
    };
    (
        typed,
        form.get("client_secret").unwrap_or_default().to_owned(),
    )
}

async fn add_connection(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (typed, client_secret) = read_form(&form);
    let mapping = match mapping(&typed.mapping) {
        Ok(m) => m,
        Err(line) => {
            let message = admin
                .console_tr()
                .t_args("ui.admin.connections.bad_mapping", &[("line", line)]);
            return list_page(&admin, typed, Some(("mapping", message)), None).await;
        }
    };
    let new = NewConnection {
        name: typed.name.clone(),
        preset: typed.preset.clone(),
        discovery_url: typed.discovery_url.clone(),
        client_id: typed.client_id.clone(),
        client_secret,
        scopes: typed.scopes.split_whitespace().map(str::to_owned).collect(),
        mapping,
        authorize_url: typed.authorize_url.clone(),
        token_url: typed.token_url.clone(),
        userinfo_url: typed.userinfo_url.clone(),
    };
    match state.engine.add_connection(&new, &admin.actor()).await {
        Ok(Ok(())) => done(
            session,
            PATH,
            &admin.console_tr().t_args(
                "ui.admin.connections.added",
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

/// Answers with the page itself: what the provider said is for this one look, not a flash
/// that a reload would lose or a redirect would have to carry.
async fn test_connection(
    path: web::Path<String>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let name = path.into_inner();
    let tested = match state.engine.test_connection(&name, &admin.actor()).await {
        Ok(Some(Ok(()))) => (name, true, admin.t("ui.admin.connections.answers")),
        Ok(Some(Err(why))) => {
            let said = admin.console_tr().t_args(
                "ui.admin.connections.answers_not",
                &[("name", name.clone()), ("why", admin.say(&why))],
            );
            (name, false, said)
        }
        Ok(None) => {
            return failed(
                session,
                PATH,
                &admin
                    .console_tr()
                    .t_args("ui.admin.connections.unknown", &[("name", name)]),
            );
        }
        Err(e) => return error::internal(req, &e),
    };
    list_page(&admin, Typed::default(), None, Some(tested)).await
}

async fn confirm_remove(admin: Admin, path: web::Path<String>) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let list = match state.engine.connections(&admin.actor()).await {
        Ok(l) => l,
        Err(e) => return error::internal(req, &e),
    };
    let Some(connection) = list.into_iter().find(|c| c.name == *path) else {
        return super::not_found(req, session);
    };
    let name = connection.name;
    let tr = admin.console_tr();
    let named = [("name", name.clone())];
    let page = ConfirmPage {
        layout: admin
            .layout(tr.t_args("ui.admin.remove_one", &named))
            .crumb("/admin", admin.t("ui.crumb.console"))
            .crumb(PATH, admin.t("ui.admin.connections.title"))
            .section("connections"),
        heading: tr.t_args("ui.admin.connections.remove_ask", &named),
        paragraphs: vec![
            tr.t_args(
                "ui.admin.connections.remove_url",
                &[("url", connection.discovery_url)],
            ),
            tr.t("ui.admin.connections.remove_what"),
        ],
        items: Vec::new(),
        action: format!("{PATH}/{}/remove", super::url_encode(&name)),
        hidden: Vec::new(),
        confirm: tr.t_args("ui.admin.remove_one", &named),
        cancel: PATH.into(),
    };
    html(StatusCode::OK, &page)
}

async fn remove_connection(
    path: web::Path<String>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    match state.engine.remove_connection(&path, &admin.actor()).await {
        Ok(true) => done(
            session,
            PATH,
            &admin.console_tr().t_args(
                "ui.admin.connections.removed",
                &[("name", path.to_string())],
            ),
        ),
        Ok(false) => failed(
            session,
            PATH,
            &admin.console_tr().t_args(
                "ui.admin.connections.unknown",
                &[("name", path.to_string())],
            ),
        ),
        Err(e) => error::internal(req, &e),
    }
}
