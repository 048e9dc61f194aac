//! The kit every HTML page is built from: the layout (language, CSRF token, branding), the
//! message page that explains a problem, and the answers (`html`, `see_other`). Below the
//! hosted pages, the console and the error pages, so each can use it without the others.

use crate::domain::Branding;
use crate::i18n::{Locale, Tr};
use crate::web::{csrf, session};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

/// What every page's layout needs.
pub struct Layout {
    pub tr: Tr,
    pub title: String,
    pub csrf: String,
    pub signed_in: bool,
    pub path: String,
    pub product: String,
    /// The console's branding: a stylesheet of the primary colour and the logo, if set.
    pub brand_css: Option<String>,
    pub logo: Option<String>,
    /// Where the page moves on to by itself (a provider's sign-in): a refresh in its head,
    /// since no script runs and a redirect answering a form may not leave the site.
    pub moves_on_to: Option<String>,
}

impl Layout {
    pub fn new(req: &HttpRequest, session: &Session, title: String) -> Self {
        let branding = req
            .app_data::<web::Data<crate::web::AppState>>()
            .map(|s| s.engine.settings().branding.clone());
        let product = branding
            .as_ref()
            .map_or_else(|| "Flows".into(), |b| b.product_name.clone());
        Self {
            brand_css: branding.as_ref().and_then(colour_css_url),
            logo: branding.as_ref().and_then(logo_url),
            moves_on_to: None,
            tr: translator(req, session),
            title,
            csrf: csrf::token(session),
            signed_in: session::user(session).is_some(),
            path: own_path(req),
            product,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The footer's language menu: tag, native name, and whether it is the page's.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Locale::all()
            .map(|l| (l.tag(), l.name(), l == self.tr.locale))
            .collect()
    }
}

/// The person's language, with the administrators' message overrides in force. Every page
/// gets its text here, so overrides reach all of them; a request without the app state
/// (none in practice) gets the compiled-in text.
pub fn translator(req: &HttpRequest, session: &Session) -> Tr {
    let locale = locale(req, session);
    match req.app_data::<web::Data<crate::web::AppState>>() {
        Some(state) => Tr::with(locale, state.engine.messages()),
        None => Tr::new(locale),
    }
}

/// `?lang=fr` chooses a language for the session; otherwise `Accept-Language` decides.
pub fn locale(req: &HttpRequest, session: &Session) -> Locale {
    if let Some(tag) =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("lang").cloned())
        && let Some(l) = Locale::from_tag(&tag)
    {
        session::set_language(session, l.tag());
        return l;
    }
    if let Some(l) = session::language(session)
        .as_deref()
        .and_then(Locale::from_tag)
    {
        return l;
    }
    Locale::negotiate(
        req.headers()
            .get("accept-language")
            .and_then(|v| v.to_str().ok()),
    )
}

/// Room for a whole page's body at once: Askama's own hint counts only the templates'
/// literal text (1,814 bytes for a step page, which renders to about 3.4 KB).
const PAGE_BYTES: usize = 8 * 1024;

pub fn html<T: Template>(status: StatusCode, page: &T) -> HttpResponse {
    let mut body = String::with_capacity(PAGE_BYTES.max(T::SIZE_HINT));
    match page.render_into(&mut body).map(|()| body) {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Internal error")
        }
    }
}

/// The request's path, fit to link back to: `//evil.example/x` (or `/\evil.example/x`)
/// reaches us as a path, but in an `href` a browser reads it as another host.
/// What every page handler starts from: the request, its session and the server's state,
/// taken in one extractor so no handler lists the three again.
pub struct Visit(
    pub HttpRequest,
    pub Session,
    pub web::Data<crate::web::AppState>,
);

impl actix_web::FromRequest for Visit {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_session::SessionExt;
        std::future::ready(
            req.app_data::<web::Data<crate::web::AppState>>()
                .cloned()
                .map(|state| Visit(req.clone(), req.get_session(), state))
                .ok_or_else(|| actix_web::error::ErrorInternalServerError("no state")),
        )
    }
}

/// A sign-in form, the people's and the console's: the console's also says where to go next.
#[derive(serde::Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub csrf_token: String,
}

/// A form page's status: 422 when it shows refused input, 200 otherwise.
pub fn form_status(refused: bool) -> StatusCode {
    if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

pub fn own_path(req: &HttpRequest) -> String {
    format!("/{}", req.path().trim_start_matches(['/', '\\']))
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("location", location))
        .finish()
}

/// A page that explains something and offers ways on: problems, expiry, unavailability.
#[derive(Template)]
#[template(path = "pages/message.html")]
pub struct MessagePage {
    pub layout: Layout,
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// (url, label)
    pub links: Vec<(String, String)>,
    /// A POST button: (form action, label)
    pub button: Option<(String, String)>,
}

impl MessagePage {
    pub fn new(req: &HttpRequest, session: &Session, key: &str) -> Self {
        let layout = Layout::new(req, session, String::new());
        let heading = layout.t(&format!("{key}.title"));
        let body = layout.t(&format!("{key}.body"));
        Self {
            layout: Layout {
                title: heading.clone(),
                ..layout
            },
            heading,
            paragraphs: vec![body],
            links: vec![],
            button: None,
        }
    }

    pub fn link(mut self, url: &str, label_key: &str) -> Self {
        let label = self.layout.t(label_key);
        self.links.push((url.to_owned(), label));
        self
    }

    pub fn button(mut self, action: &str, label_key: &str) -> Self {
        self.button = Some((action.to_owned(), self.layout.t(label_key)));
        self
    }
}

/// Where the pages find the logo, if there is one.
pub fn logo_url(branding: &Branding) -> Option<String> {
    branding
        .logo
        .as_ref()
        .map(|l| format!("/branding/logo/{}", l.sha256))
}

/// The stylesheet that sets the primary colour, if one is set.
pub fn colour_css_url(branding: &Branding) -> Option<String> {
    branding.primary_colour.map(|c| {
        format!(
            "/branding/colour/{}.css",
            c.to_string().trim_start_matches('#')
        )
    })
}
