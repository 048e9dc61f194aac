//! Settings › branding: the product name, the primary colour and the logo, applied to the
//! hosted pages and the e-mails from the next request on.

use super::{Admin, AdminLayout, AdminPost, AdminUpload, UploadForm, UploadProblem, done, failed};
use crate::domain::{Branding, Colour, LOGO_MAX_BYTES, Logo};
use crate::web::error;
use crate::web::page::{self, html};
use actix_web::{HttpResponse, web};
use askama::Template;

const PATH: &str = "/admin/settings/branding";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::get().to(show_branding))
        .route(PATH, web::post().to(save_branding))
        .route("/admin/settings/branding/logo", web::post().to(upload_logo))
        .route(
            "/admin/settings/branding/logo/remove",
            web::post().to(remove_logo),
        );
}

#[derive(Template)]
#[template(path = "admin/branding.html")]
struct BrandingPage {
    layout: AdminLayout,
    product: String,
    colour: String,
    logo: Option<String>,
    errors: Vec<(String, String)>,
}

impl BrandingPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.errors, field)
    }
}

fn page(
    admin: &Admin,
    typed: Option<(String, String)>,
    errors: Vec<(String, String)>,
) -> HttpResponse {
    let (_, _, state) = admin.parts();
    let settings = state.engine.settings();
    let current = &settings.branding;
    let (product, colour) = typed.unwrap_or_else(|| {
        (
            current.product_name.clone(),
            current
                .primary_colour
                .map(|c| c.to_string())
                .unwrap_or_default(),
        )
    });
    let status = super::form_status(!errors.is_empty());
    let mut layout = admin.settings_layout("").retitle("ui.admin.branding.title");
    layout.stylesheet = page::colour_css_url(current);
    let page = BrandingPage {
        layout,
        product,
        colour,
        logo: page::logo_url(current),
        errors,
    };
    html(status, &page)
}

async fn show_branding(admin: Admin) -> HttpResponse {
    page(&admin, None, Vec::new())
}

async fn save_branding(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let typed_name = form.get("product_name").unwrap_or_default().to_owned();
    let typed_colour = form.text("primary_colour");
    let mut errors = Vec::new();
    let name = Branding::parse_product_name(&typed_name)
        .map_err(|why| errors.push(("product_name".to_owned(), admin.say(&why))))
        .ok();
    let colour = match typed_colour.as_str() {
        "" => Some(None),
        raw => Colour::parse(raw)
            .map(Some)
            .map_err(|why| errors.push(("primary_colour".to_owned(), admin.say(&why))))
            .ok(),
    };
    let (Some(name), Some(colour)) = (name, colour) else {
        return page(&admin, Some((typed_name, typed_colour)), errors);
    };
    let before = state.engine.settings().branding.clone();
    if before.product_name == name && before.primary_colour == colour {
        return done(session, PATH, &admin.t("ui.admin.nothing_changed"));
    }
    let by = admin.actor();
    if let Err(e) = state.engine.save_branding(name, colour, &by).await {
        return error::internal(req, &e);
    }
    done(session, PATH, &admin.t("ui.admin.branding.saved"))
}

/// The upload form's fields: the CSRF token and the file, read up to one byte past the
/// limit so an oversized file is told apart from one exactly at it.
#[derive(Default)]
struct Upload {
    csrf_token: String,
    file: Vec<u8>,
    problem: Option<UploadProblem>,
}

impl UploadForm for Upload {
    // One byte past the limit, so an oversized file is told apart from one exactly at it.
    const FIELD_MAX: usize = LOGO_MAX_BYTES + 1;
    const TOTAL_MAX: usize = 2 * (LOGO_MAX_BYTES + 1);

    fn from_fields(fields: Vec<(String, Vec<u8>)>, problem: Option<UploadProblem>) -> Self {
        let mut upload = Upload {
            problem,
            ..Upload::default()
        };
        for (name, bytes) in fields {
            match name.as_str() {
                "csrf_token" => upload.csrf_token = String::from_utf8(bytes).unwrap_or_default(),
                "logo" => upload.file = bytes,
                _ => {}
            }
        }
        upload
    }

    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

async fn upload_logo(
    AdminUpload {
        admin,
        form: upload,
    }: AdminUpload<Upload>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let checked = match upload.problem {
        Some(UploadProblem::Unreadable) => Err(admin.t("ui.admin.upload_unreadable")),
        Some(UploadProblem::TooLarge) => Err(admin.t("ui.admin.branding.too_large")),
        None => Logo::check(upload.file).map_err(|why| admin.say(&why)),
    };
    let logo = match checked {
        Ok(l) => l,
        Err(why) => {
            return page(&admin, None, vec![("logo".to_owned(), why)]);
        }
    };
    let by = admin.actor();
    if let Err(e) = state.engine.save_logo(Some(logo), &by).await {
        return error::internal(req, &e);
    }
    done(session, PATH, &admin.t("ui.admin.branding.uploaded"))
}

async fn remove_logo(AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    if state.engine.settings().branding.logo.is_none() {
        return failed(
            session,
            PATH,
            &admin.t("ui.admin.branding.no_logo_to_remove"),
        );
    }
    let by = admin.actor();
    if let Err(e) = state.engine.save_logo(None, &by).await {
        return error::internal(req, &e);
    }
    done(session, PATH, &admin.t("ui.admin.branding.removed"))
}
