//! Who may use the console: one check, a signed-in administrator (an operator only on the
//! pages operators may reach), then CSRF for a change. Handlers take it as an extractor —
//! `Admin` for a page, `AdminPost` for a form post, `AdminFlow` / `FlowPost` for a page or
//! post about the flow type in the path — so none can forget it; uploads call `upload_admin`.

use super::{AdminLayout, FormFields, flow_type_of, not_found, url_encode};
use crate::engine::{Actor, FlowType};
use crate::store::AdminRow;
use crate::web::page::{MessagePage, Visit, html};
use crate::web::{AppState, csrf, error, session};
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use std::future::Future;
use std::pin::Pin;

/// The signed-in administrator of a console request, with what every page of theirs needs.
/// Reads as the `AdminRow` it holds.
pub struct Admin {
    row: AdminRow,
    visit: Visit,
}

impl std::ops::Deref for Admin {
    type Target = AdminRow;

    fn deref(&self) -> &AdminRow {
        &self.row
    }
}

impl Admin {
    /// The request, its session and the application state, for a handler that took only its
    /// guard.
    pub fn parts(&self) -> (&HttpRequest, &Session, &AppState) {
        let Visit(req, session, state) = &self.visit;
        (req, session, state)
    }

    /// The layout of a page titled `title` for this administrator.
    pub fn layout(&self, title: impl Into<String>) -> AdminLayout {
        let Visit(req, session, _) = &self.visit;
        AdminLayout::new(req, session, Some(&self.row), title)
    }

    /// The layout of a page one level under the console's home, in navigation `section`.
    pub fn section_layout(&self, title: impl Into<String>, section: &'static str) -> AdminLayout {
        let layout = self.layout(title);
        let console = layout.t("ui.crumb.console");
        layout.crumb("/admin", console).section(section)
    }

    /// The layout of a page under the settings.
    pub fn settings_layout(&self, title: impl Into<String>) -> AdminLayout {
        let settings = self.t("ui.nav.settings");
        self.section_layout(title, "settings")
            .crumb("/admin/settings", settings)
    }

    /// The console's language, in which it shows the texts a flow names.
    pub fn console_locale(&self) -> crate::i18n::Locale {
        super::console_locale(&self.visit.0, Some(&self.row))
    }

    /// The console's text of `key` in the administrator's language.
    pub fn t(&self, key: &str) -> String {
        self.console_tr().t(key)
    }

    /// A translator for the console's language that sees the texts in force.
    pub fn console_tr(&self) -> crate::i18n::Tr {
        self.parts().2.engine.messages().tr(self.console_locale())
    }

    /// A sentence of the engine or the domain (a refusal, a reason) in the console's language.
    pub fn say(&self, said: &crate::i18n::Said) -> String {
        said.in_(&self.console_tr())
    }

    /// The administrator as the engine's acts audit them.
    pub fn actor(&self) -> Actor {
        super::actor(&self.visit.0, &self.row)
    }
}

/// A console form post from a signed-in administrator with the session's CSRF token.
pub struct AdminPost {
    pub admin: Admin,
    pub form: FormFields,
}

/// A console page about the flow type named in the path (`{type}`); an unknown type is the
/// console's 404 page.
pub struct AdminFlow {
    pub admin: Admin,
    pub flow_type: FlowType,
}

/// A console form post about the flow type named in the path.
pub struct FlowPost {
    pub admin: Admin,
    pub flow_type: FlowType,
    pub form: FormFields,
}

pub(super) type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

/// A refusal page as the error an extractor answers with.
pub(super) fn refused(page: HttpResponse) -> actix_web::Error {
    actix_web::error::InternalError::from_response("refused", page).into()
}

/// The one guard every console request passes: a signed-in administrator.
async fn signed_in(req: &HttpRequest) -> Result<Admin, actix_web::Error> {
    let visit = Visit::from_request(req, &mut Payload::None).into_inner()?;
    let row = require_admin(req, &visit.1, &visit.2)
        .await
        .map_err(refused)?;
    Ok(Admin { row, visit })
}

/// The guard of a change: a signed-in administrator, then the session's CSRF token.
async fn signed_in_post(
    req: &HttpRequest,
    csrf_token: Option<&str>,
) -> Result<Admin, actix_web::Error> {
    let admin = signed_in(req).await?;
    if !csrf::verify(req, &admin.visit.1, csrf_token) {
        return Err(refused(html(
            StatusCode::FORBIDDEN,
            &MessagePage::new(req, &admin.visit.1, "problem.csrf")
                .link("/admin", "link.admin_home"),
        )));
    }
    Ok(admin)
}

/// The flow type named in the path, or the console's 404 page.
fn path_flow_type(req: &HttpRequest) -> Result<FlowType, actix_web::Error> {
    req.match_info()
        .get("type")
        .and_then(flow_type_of)
        .ok_or_else(|| refused(not_found(req, &req.get_session())))
}

/// A multipart form as its page reads it: its fields within its own limits, then the CSRF
/// token in it.
pub trait UploadForm: Sized + 'static {
    /// The most bytes one field may hold.
    const FIELD_MAX: usize;
    /// The most bytes all fields together may hold.
    const TOTAL_MAX: usize;
    /// The form from the fields read, and the problem that stopped the reading, if any.
    fn from_fields(fields: Vec<(String, Vec<u8>)>, problem: Option<UploadProblem>) -> Self;
    fn csrf_token(&self) -> &str;
}

/// A multipart form of text fields, each at most `MAX` bytes: what the console's uploads
/// send (a flow definition, a language's texts, a CSV of invitations). A field that is not
/// UTF-8 makes the form `Unreadable`; a field sent twice keeps its first value.
#[derive(Default)]
pub struct TextUpload<const MAX: usize> {
    fields: std::collections::BTreeMap<String, String>,
    pub problem: Option<UploadProblem>,
}

impl<const MAX: usize> TextUpload<MAX> {
    /// The field `name`, or "" when the form did not carry it.
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

impl<const MAX: usize> UploadForm for TextUpload<MAX> {
    const FIELD_MAX: usize = MAX;
    /// Room for two full fields (a file and a pasted copy) and the small ones.
    const TOTAL_MAX: usize = 2 * MAX;

    fn from_fields(fields: Vec<(String, Vec<u8>)>, problem: Option<UploadProblem>) -> Self {
        let mut form = Self {
            fields: std::collections::BTreeMap::new(),
            problem,
        };
        for (name, bytes) in fields {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    form.fields.entry(name).or_insert(text);
                }
                Err(_) => {
                    form.problem.get_or_insert(UploadProblem::Unreadable);
                }
            }
        }
        form
    }

    fn csrf_token(&self) -> &str {
        self.text("csrf_token")
    }
}

/// Why a multipart form was not read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    TooLarge,
    Unreadable,
}

/// A multipart form's fields by name, with the problem that stopped the reading. It stops at
/// the first problem, keeping what came before (the CSRF token comes first in every form): a
/// broken body keeps yielding the same error, and reading on would spin for ever.
async fn read_fields(
    mut multipart: actix_multipart::Multipart,
    field_max: usize,
    total_max: usize,
) -> (Vec<(String, Vec<u8>)>, Option<UploadProblem>) {
    use futures_util::StreamExt;
    let mut fields = Vec::new();
    let mut total = 0usize;
    while let Some(field) = multipart.next().await {
        let Ok(mut field) = field else {
            return (fields, Some(UploadProblem::Unreadable));
        };
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let Ok(chunk) = chunk else {
                return (fields, Some(UploadProblem::Unreadable));
            };
            total += chunk.len();
            if bytes.len() + chunk.len() > field_max || total > total_max {
                return (fields, Some(UploadProblem::TooLarge));
            }
            bytes.extend_from_slice(&chunk);
        }
        fields.push((name, bytes));
    }
    (fields, None)
}

/// A console upload (a multipart form) from a signed-in administrator with the session's
/// CSRF token: the form is read first, since the token is in it.
pub struct AdminUpload<F> {
    pub admin: Admin,
    pub form: F,
}

impl<F: UploadForm> FromRequest for AdminUpload<F> {
    type Error = actix_web::Error;
    type Future = Extracted<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let multipart = actix_multipart::Multipart::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let (fields, problem) = read_fields(multipart.await?, F::FIELD_MAX, F::TOTAL_MAX).await;
            let form = F::from_fields(fields, problem);
            let admin = signed_in_post(&req, Some(form.csrf_token())).await?;
            Ok(AdminUpload { admin, form })
        })
    }
}

/// A guard extractor: `$build` makes it from the request and its payload.
macro_rules! guard_extractor {
    ($type:ty, |$req:ident, $payload:ident| $build:expr) => {
        impl ::actix_web::FromRequest for $type {
            type Error = actix_web::Error;
            type Future = $crate::web::admin::guard::Extracted<Self>;

            fn from_request(
                $req: &::actix_web::HttpRequest,
                $payload: &mut ::actix_web::dev::Payload,
            ) -> Self::Future {
                Box::pin($build)
            }
        }
    };
}
pub(super) use guard_extractor;

guard_extractor!(Admin, |req, _payload| {
    let req = req.clone();
    async move { signed_in(&req).await }
});

// The form is read first: its CSRF token is part of the guard.
guard_extractor!(AdminPost, |req, payload| {
    let form = web::Form::<Vec<(String, String)>>::from_request(req, payload);
    let req = req.clone();
    async move {
        let form = FormFields::new(form.await?.into_inner());
        let admin = signed_in_post(&req, form.get("csrf_token")).await?;
        Ok(AdminPost { admin, form })
    }
});

guard_extractor!(AdminFlow, |req, payload| {
    let admin = Admin::from_request(req, payload);
    let req = req.clone();
    async move {
        let admin = admin.await?;
        let flow_type = path_flow_type(&req)?;
        Ok(AdminFlow { admin, flow_type })
    }
});

guard_extractor!(FlowPost, |req, payload| {
    let post = AdminPost::from_request(req, payload);
    let req = req.clone();
    async move {
        let AdminPost { admin, form } = post.await?;
        let flow_type = path_flow_type(&req)?;
        Ok(FlowPost {
            admin,
            flow_type,
            form,
        })
    }
});

/// The signed-in administrator of a console request, or the answer that refuses it: a page
/// view goes to the sign-in (and comes back after), anything else is refused outright.
async fn require_admin(
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
    if !admin.is_owner() && !operator_may(req.path()) {
        return Err(error::owner_only(req));
    }
    // Refreshed once a minute, not on every view: each refresh re-sends the cookie.
    if now - signed.seen >= 60 {
        signed.seen = now;
        session::set_admin(session, &signed);
    }
    Ok(admin)
}

/// What an operator may reach: the home, their own account, users, invitations and the
/// approval queue. Checked here, for every console route at once, so a new owner-only page
/// cannot forget it.
fn operator_may(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    path == "/admin"
        || [
            "/admin/account",
            "/admin/users",
            "/admin/invitations",
            "/admin/approvals",
        ]
        .iter()
        .any(|p| under(p))
}
