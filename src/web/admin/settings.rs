//! Settings › the index, lifetimes and limits, and the password policy. Each save is checked
//! (a value out of range comes back beside its field), audited with what changed, and in
//! force from the next request on.

use super::{Admin, AdminLayout, AdminPost, done};
use crate::domain::{LIMIT_FIELDS, LimitField, LimitGroup, Limits, PasswordPolicy};
use crate::web::error;
use crate::web::page::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

const LIMITS: &str = "/admin/settings/limits";
const PASSWORD: &str = "/admin/settings/password";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/settings", web::get().to(show_index))
        .route(LIMITS, web::get().to(show_limits))
        .route(LIMITS, web::post().to(save_limits))
        .route(PASSWORD, web::get().to(show_password))
        .route(PASSWORD, web::post().to(save_password));
}

/// The layout of a settings page titled by the catalogue's `key`.
fn layout(admin: &Admin, key: &str) -> AdminLayout {
    if key == "ui.admin.settings.title" {
        admin.section_layout("", "settings").retitle(key)
    } else {
        admin.settings_layout("").retitle(key)
    }
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct IndexPage {
    layout: AdminLayout,
    product: String,
    colour: String,
    has_logo: bool,
    limits: Limits,
    policy: PasswordPolicy,
    applications: usize,
}

async fn show_index(admin: Admin) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let applications = match state.engine.applications().await {
        Ok(a) => a.len(),
        Err(e) => return error::internal(req, &e),
    };
    let settings = state.engine.settings();
    let page = IndexPage {
        layout: layout(&admin, "ui.admin.settings.title"),
        product: settings.branding.product_name.clone(),
        colour: settings
            .branding
            .primary_colour
            .map_or_else(|| admin.t("ui.admin.settings.built_in"), |c| c.to_string()),
        has_logo: settings.branding.logo.is_some(),
        limits: settings.limits(),
        policy: settings.password_policy.clone(),
        applications,
    };
    html(StatusCode::OK, &page)
}

/// One field of the limits form as shown: its spec, the value (as typed, after a refusal)
/// and its error.
struct LimitLine {
    spec: LimitField,
    /// The spec's label, unit and range, and hint in the console's language (hint empty
    /// when none).
    label: String,
    range: String,
    hint: String,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/limits.html")]
struct LimitsPage {
    layout: AdminLayout,
    groups: Vec<(String, Vec<LimitLine>)>,
    errors: Vec<(String, String)>,
}

fn limits_page(
    admin: &Admin,
    values: &dyn Fn(&str) -> String,
    errors: Vec<(String, String)>,
) -> HttpResponse {
    let tr = admin.console_tr();
    let groups = LimitGroup::ALL
        .iter()
        .map(|group| {
            let lines = LIMIT_FIELDS
                .iter()
                .filter(|f| f.group == *group)
                .map(|spec| LimitLine {
                    spec: *spec,
                    label: tr.t(spec.label),
                    range: tr.t_args(
                        "ui.admin.limits.range",
                        &[
                            ("unit", tr.t(spec.unit)),
                            ("min", spec.min.to_string()),
                            ("max", spec.max.to_string()),
                        ],
                    ),
                    hint: spec.hint.map(|key| tr.t(key)).unwrap_or_default(),
                    value: values(spec.name),
                    error: errors
                        .iter()
                        .find(|(f, _)| f == spec.name)
                        .map(|(_, m)| m.clone()),
                })
                .collect();
            (tr.t(group.title()), lines)
        })
        .collect();
    let status = super::form_status(!errors.is_empty());
    let page = LimitsPage {
        layout: layout(admin, "ui.admin.limits.title"),
        groups,
        errors,
    };
    html(status, &page)
}

async fn show_limits(admin: Admin) -> HttpResponse {
    let (_, _, state) = admin.parts();
    let limits = state.engine.settings().limits();
    let values = |name: &str| limits.get(name).unwrap_or_default().to_string();
    limits_page(&admin, &values, Vec::new())
}

async fn save_limits(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let before = state.engine.settings().limits();
    // Every field must be sent: a missing one is refused, not silently kept.
    let typed: Vec<(&str, &str)> = LIMIT_FIELDS
        .iter()
        .map(|f| (f.name, form.get(f.name).unwrap_or_default()))
        .collect();
    let limits = match before.with_typed(typed.iter().copied()) {
        Ok(l) => l,
        Err(refused) => {
            let tr = admin.console_tr();
            let errors = refused
                .into_iter()
                .map(|e| (e.field.to_owned(), e.message.in_(&tr)))
                .collect();
            let values = |name: &str| form.get(name).unwrap_or_default().to_owned();
            return limits_page(&admin, &values, errors);
        }
    };
    match state.engine.save_limits(&limits, &admin.actor()).await {
        Ok(0) => done(session, LIMITS, &admin.t("ui.admin.nothing_changed")),
        Ok(changed) => done(
            session,
            LIMITS,
            &admin
                .console_tr()
                .t_args("ui.admin.limits.saved", &[("count", changed.to_string())]),
        ),
        Err(e) => error::internal(req, &e),
    }
}

#[derive(Template)]
#[template(path = "admin/password_policy.html")]
struct PasswordPage {
    layout: AdminLayout,
    min: String,
    max: String,
    block_common: bool,
    check_personal: bool,
    errors: Vec<(String, String)>,
}

impl PasswordPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.errors, field)
    }
}

async fn show_password(admin: Admin) -> HttpResponse {
    let (_, _, state) = admin.parts();
    let policy = state.engine.settings().password_policy.clone();
    let page = PasswordPage {
        layout: layout(&admin, "ui.admin.password.title"),
        min: policy.min_length.to_string(),
        max: policy.max_length.to_string(),
        block_common: policy.block_common,
        check_personal: policy.check_personal,
        errors: Vec::new(),
    };
    html(StatusCode::OK, &page)
}

async fn save_password(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let block_common = form.get("block_common") == Some("on");
    let check_personal = form.get("check_personal") == Some("on");
    let min = form.text("min_length");
    let max = form.text("max_length");
    let policy = match PasswordPolicy::from_typed(&min, &max, block_common, check_personal) {
        Ok(p) => p,
        Err(refused) => {
            let page = PasswordPage {
                layout: layout(&admin, "ui.admin.password.title"),
                min,
                max,
                block_common,
                check_personal,
                errors: refused
                    .into_iter()
                    .map(|(f, m)| (f.to_owned(), admin.say(&m)))
                    .collect(),
            };
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let before = state.engine.settings().password_policy.clone();
    if before == policy {
        return done(session, PASSWORD, &admin.t("ui.admin.nothing_changed"));
    }
    let by = admin.actor();
    if let Err(e) = state.engine.save_password_policy(&policy, &by).await {
        return error::internal(req, &e);
    }
    done(session, PASSWORD, &admin.t("ui.admin.password.saved"))
}
