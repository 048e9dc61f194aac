//! The admin console under `/admin`: its own sign-in, then the flow builder. Every page is
//! plain HTML reachable by links; every change is a form POST with CSRF that redirects back
//! (Post/Redirect/Get) and writes an audit entry. The console calls the engine for
//! everything about a flow and holds no model of its own.

mod applications;
mod audit_log;
mod auth;
mod branding;
pub mod diagram;
mod draft;
mod editor;
mod emails;
mod flows;
mod funnel;
mod funnel_chart;
mod import;
mod invitations;
mod messages;
mod preview;
mod settings;
mod tokens;
mod users;
mod versions;

use crate::engine::FlowType;
use crate::store::AdminRow;
use crate::web::page::{MessagePage, html};
use crate::web::{AppState, csrf, error, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    auth::routes(cfg);
    applications::routes(cfg);
    branding::routes(cfg);
    audit_log::routes(cfg);
    flows::routes(cfg);
    funnel::routes(cfg);
    draft::routes(cfg);
    emails::routes(cfg);
    versions::routes(cfg);
    import::routes(cfg);
    invitations::routes(cfg);
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
    /// "funnel"…
    pub section: &'static str,
    /// Whether the signed-in administrator is an owner (operators see fewer entries).
    pub owner: bool,
    /// One more stylesheet (the branding page previews the primary colour with it).
    pub stylesheet: Option<String>,
}

impl AdminLayout {
    pub fn new(
        req: &HttpRequest,
        session: &Session,
        admin: Option<&AdminRow>,
        title: impl Into<String>,
    ) -> Self {
        let product = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.product_name())
            .unwrap_or_else(|| "Flows".into());
        Self {
            title: title.into(),
            csrf: csrf::token(session),
            admin: admin.map(|a| a.email.clone()),
            product,
            flash: session::take_admin_flash(session),
            crumbs: Vec::new(),
            section: "flows",
            owner: admin.is_some_and(|a| a.role == "owner"),
            stylesheet: None,
        }
    }

    pub fn crumb(mut self, url: impl Into<String>, label: impl Into<String>) -> Self {
        self.crumbs.push((url.into(), label.into()));
        self
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

/// The signed-in administrator of a console request, or the answer that refuses it: a page
/// view goes to the sign-in (and comes back after), anything else is refused outright.
pub async fn require_admin(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
) -> Result<AdminRow, HttpResponse> {
    let refuse = |expired: bool| {
        if req.method() == actix_web::http::Method::GET {
            let next = match req.query_string() {
                "" => req.path().to_owned(),
                q => format!("{}?{q}", req.path()),
            };
            let mut url = format!(
                "/admin/login?next={}",
                url_encode(&next) // the path is ours; encoded so its query survives
            );
            if expired {
                url.push_str("&expired=1");
            }
            crate::web::page::see_other(&url)
        } else {
            html(
                StatusCode::FORBIDDEN,
                &MessagePage::new(req, session, "problem.admin_only")
                    .link("/admin/login", "link.admin_login"),
            )
        }
    };
    let Some(mut signed) = session::admin(session) else {
        return Err(refuse(false));
    };
    let now = state.engine.now().unix_timestamp();
    if now - signed.seen > state.admin_idle.whole_seconds() {
        session::sign_out_admin(session);
        return Err(refuse(true));
    }
    let admin = match state
        .engine
        .signed_in_admin(&signed.id, signed.auth_version)
        .await
    {
        Ok(Some(a)) => a,
        Ok(None) => {
            // Removed, or the password changed since this session began.
            session::sign_out_admin(session);
            return Err(refuse(true));
        }
        Err(e) => return Err(error::internal(req, &e)),
    };
    if admin.role != "owner" && !operator_may(req.path()) {
        return Err(html(
            StatusCode::FORBIDDEN,
            &MessagePage::new(req, session, "problem.owner_only").link("/admin", "link.admin_home"),
        ));
    }
    // Refreshed once a minute, not on every view: each refresh re-sends the cookie.
    if now - signed.seen >= 60 {
        signed.seen = now;
        session::set_admin(session, &signed);
    }
    Ok(admin)
}

/// What an operator may reach: the home, their own account, users and invitations. Checked
/// here, for every console route at once, so a new owner-only page cannot forget it.
fn operator_may(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    path == "/admin"
        || ["/admin/account", "/admin/users", "/admin/invitations"]
            .iter()
            .any(|p| under(p))
}

/// The checks every console POST passes: a signed-in administrator, then CSRF.
pub async fn require_admin_post(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    csrf_token: Option<&str>,
) -> Result<AdminRow, HttpResponse> {
    let admin = require_admin(req, session, state).await?;
    if !csrf::verify(req, session, csrf_token) {
        return Err(html(
            StatusCode::FORBIDDEN,
            &MessagePage::new(req, session, "problem.csrf").link("/admin", "link.admin_home"),
        ));
    }
    Ok(admin)
}

/// A console form post from a signed-in administrator with the session's CSRF token: what
/// most console handlers start from, checked before they run. A refusal is the page
/// `require_admin_post` gives.
pub struct AdminPost {
    pub admin: AdminRow,
    pub form: FormFields,
}

impl actix_web::FromRequest for AdminPost {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_session::SessionExt;
        let form = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let form = FormFields::new(form.await?.into_inner());
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| actix_web::error::ErrorInternalServerError("no state"))?;
            let session = req.get_session();
            match require_admin_post(&req, &session, &state, form.get("csrf_token")).await {
                Ok(admin) => Ok(AdminPost { admin, form }),
                Err(refused) => {
                    Err(actix_web::error::InternalError::from_response("refused", refused).into())
                }
            }
        })
    }
}

/// A console page about one flow type: the administrator and the type named in the path.
pub async fn admin_for_type(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    raw_type: &str,
) -> Result<(AdminRow, FlowType), HttpResponse> {
    let admin = require_admin(req, session, state).await?;
    let flow_type = flow_type_of(raw_type).ok_or_else(|| not_found(req, session))?;
    Ok((admin, flow_type))
}

/// A console POST about one flow type: administrator and CSRF checked, type parsed.
pub async fn admin_post_for_type(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    raw_type: &str,
    csrf_token: Option<&str>,
) -> Result<(AdminRow, FlowType), HttpResponse> {
    let admin = require_admin_post(req, session, state, csrf_token).await?;
    let flow_type = flow_type_of(raw_type).ok_or_else(|| not_found(req, session))?;
    Ok((admin, flow_type))
}

/// The administrator behind a console request, as the engine's acts audit them.
pub fn actor(req: &HttpRequest, admin: &AdminRow) -> crate::engine::Actor {
    crate::engine::Actor::admin(&admin.email, crate::web::client_address(req))
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

pub fn flow_type_label(flow_type: FlowType) -> &'static str {
    match flow_type {
        FlowType::Registration => "Self registration",
        FlowType::PasswordRecovery => "Password recovery",
        FlowType::InvitedUserRegistration => "Invited user registration",
    }
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
