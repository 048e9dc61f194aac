//! The admin console under `/admin`: its own sign-in, then the flow builder. Every page is
//! plain HTML reachable by links; every change is a form POST with CSRF that redirects back
//! (Post/Redirect/Get) and writes an audit entry. The console calls the engine for
//! everything about a flow and holds no model of its own.

mod applications;
mod approvals;
mod audit_log;
mod auth;
mod branding;
mod connections;
mod decisions;
mod deliveries;
pub mod diagram;
mod draft;
mod draft_anchors;
mod editor;
mod emails;
mod extensions;
mod flows;
mod funnel;
mod funnel_chart;
mod guard;
mod import;
mod invitations;
mod invitations_upload;
mod messages;
mod preview;
mod settings;
mod texts_files;
mod texts_page;
mod tokens;
mod users;
mod users_bulk;
mod versions;

use crate::engine::FlowType;
use crate::store::AdminRow;
use crate::web::page::{MessagePage, html};
use crate::web::{AppState, csrf, error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub use guard::{
    Admin, AdminFlow, AdminPost, AdminUpload, FlowPost, TextUpload, UploadForm, UploadProblem,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    auth::routes(cfg);
    applications::routes(cfg);
    approvals::routes(cfg);
    branding::routes(cfg);
    connections::routes(cfg);
    audit_log::routes(cfg);
    deliveries::routes(cfg);
    flows::routes(cfg);
    funnel::routes(cfg);
    draft::routes(cfg);
    decisions::routes(cfg);
    emails::routes(cfg);
    extensions::routes(cfg);
    versions::routes(cfg);
    import::routes(cfg);
    invitations::routes(cfg);
    invitations_upload::routes(cfg);
    messages::routes(cfg);
    preview::routes(cfg);
    settings::routes(cfg);
    tokens::routes(cfg);
    users::routes(cfg);
}

/// What every console page's layout needs.
pub struct AdminLayout {
    pub title: String,
    pub csrf: String,
    /// The signed-in administrator's address; `None` on the sign-in page.
    pub admin: Option<String>,
    pub product: String,
    /// One line about the last change (Post/Redirect/Get), and whether it is an error.
    pub flash: Option<(String, bool)>,
    /// (url, label) from the console's home down to the page's parent.
    pub crumbs: Vec<(String, String)>,
    /// Which navigation entry is current: "flows", "messages", "tokens", "admins", "account",
    /// "funnel", "approvals"…
    pub section: &'static str,
    /// Whether the signed-in administrator is an owner (operators see fewer entries).
    pub owner: bool,
    /// One more stylesheet (the branding page previews the primary colour with it).
    pub stylesheet: Option<String>,
    /// The console's words in the administrator's language.
    pub tr: crate::i18n::Tr,
}

/// The language the console speaks: the administrator's choice, else what the browser asks.
pub fn console_locale(req: &HttpRequest, admin: Option<&AdminRow>) -> crate::i18n::Locale {
    admin
        .and_then(|a| a.locale.as_deref())
        .and_then(crate::i18n::Locale::from_tag)
        .unwrap_or_else(|| {
            crate::i18n::Locale::negotiate(
                req.headers()
                    .get(actix_web::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok()),
            )
        })
}

impl AdminLayout {
    pub fn new(
        req: &HttpRequest,
        session: &Session,
        admin: Option<&AdminRow>,
        title: impl Into<String>,
    ) -> Self {
        let state = req.app_data::<web::Data<AppState>>();
        let product = state
            .map(|s| s.product_name())
            .unwrap_or_else(|| "Flows".into());
        let locale = console_locale(req, admin);
        let tr = state.map_or_else(
            || crate::i18n::Tr::new(locale),
            |s| s.engine.messages().tr(locale),
        );
        Self {
            title: title.into(),
            csrf: csrf::token(session),
            admin: admin.map(|a| a.email.clone()),
            product,
            flash: session::take_admin_flash(session),
            crumbs: Vec::new(),
            section: "flows",
            owner: admin.is_some_and(AdminRow::is_owner),
            stylesheet: None,
            tr,
        }
    }

    /// The console's text of `key` in the administrator's language.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The page's title, in the console's language.
    pub fn retitle(mut self, key: &str) -> Self {
        self.title = self.t(key);
        self
    }

    /// `t` of a message with one variable.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.tr.t_args(key, &[(name, value.to_string())])
    }

    /// `t` of a message with two variables.
    pub fn t2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        self.tr
            .t_args(key, &[(n1, v1.to_string()), (n2, v2.to_string())])
    }

    /// A flow type's name in the console's language.
    pub fn flow_label(&self, flow_type: &str) -> String {
        self.t(&flow_type_key(flow_type))
    }

    pub fn crumb(mut self, url: impl Into<String>, label: impl Into<String>) -> Self {
        self.crumbs.push((url.into(), label.into()));
        self
    }

    /// The crumbs from the console's home down to the page of `flow_type`.
    pub fn under_flow(self, flow_type: FlowType) -> Self {
        let console = self.t("ui.crumb.console");
        let flow = self.flow_label(flow_type.as_str());
        self.crumb("/admin", console)
            .crumb(flow_url(flow_type), flow)
    }

    pub fn section(mut self, section: &'static str) -> Self {
        self.section = section;
        self
    }
}

/// A page that asks before a destructive action: what will happen, then a button that POSTs
/// it (with `hidden` fields) and a way back. No confirm() dialogs: there is no script.
#[derive(askama::Template)]
#[template(path = "admin/confirm.html")]
pub struct ConfirmPage {
    pub layout: AdminLayout,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
    pub action: String,
    /// Hidden fields of the confirming form.
    pub hidden: Vec<(String, String)>,
    pub confirm: String,
    pub cancel: String,
}

/// The message refused input left beside `field`, if any: what every console form's
/// template asks for each field (`Option` or a list of (field, message)).
pub fn error_beside<'a, F: AsRef<str> + 'a>(
    errors: impl IntoIterator<Item = &'a (F, String)>,
    field: &str,
) -> Option<&'a str> {
    errors
        .into_iter()
        .find(|(f, _)| f.as_ref() == field)
        .map(|(_, m)| m.as_str())
}

/// A console form page's status: 422 when it shows refused input, 200 otherwise.
pub fn form_status(refused: bool) -> StatusCode {
    if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// A time as the console shows it.
pub fn when(t: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
}

/// The administrator behind a console request, as the engine's acts audit them.
pub fn actor(req: &HttpRequest, admin: &AdminRow) -> crate::engine::Actor {
    crate::engine::Actor::admin(admin, crate::web::client_address(req))
}

/// The flow type named in a console path (`REGISTRATION`, any case).
pub fn flow_type_of(raw: &str) -> Option<FlowType> {
    raw.parse().ok()
}

/// Who did something, as people read it: the administrator's address, without the audit
/// log's `admin:` prefix.
pub fn who(actor: &str) -> String {
    actor.strip_prefix("admin:").unwrap_or(actor).to_owned()
}

/// The catalogue key of a flow type's name (`REGISTRATION` is `ui.flow_type.registration`).
pub fn flow_type_key(flow_type: &str) -> String {
    format!("ui.flow_type.{}", flow_type.to_lowercase())
}

pub fn flow_url(flow_type: FlowType) -> String {
    format!("/admin/flows/{}", flow_type.as_str())
}

/// Redirects with a one-line message for the page it lands on.
pub fn done(session: &Session, location: &str, message: &str) -> HttpResponse {
    session::set_admin_flash(session, message, false);
    crate::web::page::see_other(location)
}

pub fn failed(session: &Session, location: &str, message: &str) -> HttpResponse {
    session::set_admin_flash(session, message, true);
    crate::web::page::see_other(location)
}

/// What a look-up finds, or the answer when it finds nothing (the console's 404 page) or
/// fails.
pub async fn found<T, E: error::Failure>(
    req: &HttpRequest,
    look_up: impl std::future::Future<Output = Result<Option<T>, E>>,
) -> Result<T, HttpResponse> {
    use actix_session::SessionExt;
    match look_up.await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found(req, &req.get_session())),
        Err(e) => Err(error::internal(req, &e)),
    }
}

pub fn not_found(req: &HttpRequest, session: &Session) -> HttpResponse {
    html(
        StatusCode::NOT_FOUND,
        &MessagePage::new(req, session, "problem.not_found").link("/admin", "link.admin_home"),
    )
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn url_encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A form's fields by name (the last value wins), for handlers whose forms vary by operation.
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn new(fields: Vec<(String, String)>) -> Self {
        Self(fields)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().trim().to_owned()
    }

    /// The same fields with `name` set to `value`.
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.0.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }
}
