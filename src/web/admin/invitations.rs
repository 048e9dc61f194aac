//! Invitations from the console: invite one person in their language (or many, one address a
//! line, or a CSV file: `invitations_upload`), list them by status and address (opened links,
//! renewals the invitees asked for), resend (a new link in the invitation's language; the old
//! one stops working) and revoke. The same engine path as `flows invite`.

use super::{Admin, AdminLayout, AdminPost, FormFields, actor, done, failed};
use crate::engine::{InviteError, invitation_locale};
use crate::i18n::{Locale, Tr};
use crate::store::{AdminRow, InvitationRow};
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/invitations", web::get().to(show_invitations))
        .route("/admin/invitations", web::post().to(invite_one))
        .route("/admin/invitations/bulk", web::post().to(invite_many))
        .route("/admin/invitations/{id}/resend", web::post().to(resend))
        .route("/admin/invitations/{id}/revoke", web::post().to(revoke));
}

/// How many invitations one page lists.
const PAGE: i64 = 200;
/// How many addresses one bulk invitation takes.
const MAX_BULK: usize = 200;

pub struct Line {
    pub id: String,
    pub email: String,
    /// As people read it: pending, opened, accepted, expired, revoked, replaced.
    pub status: &'static str,
    /// The invitee's language, by its name.
    pub language: &'static str,
    /// When the link was first followed, for one not yet accepted.
    pub opened: Option<String>,
    /// When the invitee asked for a new link, for an expired one not yet resent.
    pub renewal: Option<String>,
    pub invited_by: String,
    pub created: String,
    pub expires: String,
    pub can_resend: bool,
    pub can_revoke: bool,
}

#[derive(Template)]
#[template(path = "admin/invitations.html")]
struct InvitationsPage {
    layout: AdminLayout,
    status: String,
    address: String,
    lines: Vec<Line>,
    errors: Vec<(String, String)>,
    /// The invite form as typed: email, given name, family name, invited by.
    typed: [String; 4],
    /// The invitee's language as chosen, by tag.
    language: String,
    /// Every language: (tag, name).
    languages: Vec<(&'static str, &'static str)>,
    /// The CSV upload's refusals: (row, address, why); nothing was sent.
    upload_report: Vec<(usize, String, String)>,
    upload_error: Option<String>,
    max_upload: usize,
    statuses: [&'static str; 7],
    email_error: Option<String>,
    bulk: String,
    bulk_error: Option<String>,
    /// One result per bulk line: (address, invited or why not).
    results: Vec<(String, String, bool)>,
}

impl InvitationsPage {
    /// A status of the list (`pending`, `renewal`…) in the console's language.
    fn status_label(&self, status: &str) -> String {
        self.layout
            .t(&format!("ui.people.invitations.status.{status}"))
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct Filter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    address: String,
}

/// The statuses the list filters by, as people read them: `opened` is a pending invitation
/// whose link was followed, `renewal` an expired one whose invitee asked for a new link.
const STATUSES: [&str; 7] = [
    "pending", "opened", "accepted", "expired", "renewal", "revoked", "replaced",
];

fn status_of(row: &InvitationRow, now: time::OffsetDateTime) -> &'static str {
    match row.status.as_str() {
        "PENDING" if row.expires_at <= now => "expired",
        "PENDING" if row.opened_at.is_some() => "opened",
        "PENDING" => "pending",
        "ACCEPTED" => "accepted",
        "REVOKED" => "revoked",
        _ => "replaced",
    }
}

/// What the page shows besides the list.
#[derive(Default)]
pub(super) struct Shown {
    typed: [String; 4],
    language: String,
    upload_report: Vec<(usize, String, String)>,
    upload_error: Option<String>,
    email_error: Option<String>,
    bulk: String,
    bulk_error: Option<String>,
    results: Vec<(String, String, bool)>,
}

impl Shown {
    /// A refused CSV upload: why, and the refused rows as (row, address, why).
    pub(super) fn upload_refused(message: String, report: Vec<(usize, String, String)>) -> Self {
        Shown {
            upload_error: Some(message),
            upload_report: report,
            ..Shown::default()
        }
    }
}

pub(super) async fn page(admin: &Admin, filter: Filter, shown: Shown) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let now = state.engine.now();
    let status = filter.status.trim().to_lowercase();
    let status = if STATUSES.contains(&status.as_str()) {
        status.to_uppercase()
    } else {
        String::new()
    };
    let rows = match state
        .engine
        .invitations(&status, filter.address.trim(), now, PAGE)
        .await
    {
        Ok(r) => r,
        Err(e) => return error::internal(req, &e),
    };
    let lines = rows
        .iter()
        .map(|r| {
            let status = status_of(r, now);
            Line {
                id: r.id.clone(),
                email: r.email.clone(),
                status,
                language: invitation_locale(r).name(),
                opened: r
                    .opened_at
                    .filter(|_| r.status == "PENDING")
                    .map(super::when),
                renewal: r
                    .renewal_requested_at
                    .filter(|_| status == "expired")
                    .map(super::when),
                invited_by: r.invited_by.clone(),
                created: super::when(r.created_at),
                expires: super::when(r.expires_at),
                can_resend: matches!(status, "pending" | "opened" | "expired" | "revoked"),
                can_revoke: matches!(status, "pending" | "opened"),
            }
        })
        .collect();
    let mut errors = Vec::new();
    if let Some(e) = &shown.email_error {
        errors.push(("email".to_owned(), e.clone()));
    }
    if let Some(e) = &shown.bulk_error {
        errors.push(("addresses".to_owned(), e.clone()));
    }
    if let Some(e) = &shown.upload_error {
        errors.push(("file".to_owned(), e.clone()));
    }
    let status_code = super::form_status(!errors.is_empty());
    let page = InvitationsPage {
        layout: admin
            .section_layout("", "invitations")
            .retitle("ui.people.invitations.title"),
        status: status.to_lowercase(),
        address: filter.address,
        lines,
        errors,
        typed: shown.typed,
        language: if shown.language.is_empty() {
            Locale::default().tag().to_owned()
        } else {
            shown.language
        },
        languages: Locale::all().map(|l| (l.tag(), l.name())).collect(),
        upload_report: shown.upload_report,
        upload_error: shown.upload_error,
        max_upload: crate::engine::MAX_BATCH,
        statuses: STATUSES,
        email_error: shown.email_error,
        bulk: shown.bulk,
        bulk_error: shown.bulk_error,
        results: shown.results,
    };
    html(status_code, &page)
}

async fn show_invitations(admin: Admin, filter: web::Query<Filter>) -> HttpResponse {
    page(&admin, filter.into_inner(), Shown::default()).await
}

/// The name the invitation e-mail shows as who invited: what the admin typed, or a neutral
/// default (an administrator's address is not for the invitee to see).
fn inviter(form: &FormFields) -> String {
    inviter_named(&form.text("invited_by"))
}

pub(super) fn inviter_named(typed: &str) -> String {
    let typed: String = typed.chars().take(100).collect();
    if typed.is_empty() || typed.chars().any(char::is_control) {
        "An administrator".to_owned()
    } else {
        typed
    }
}

/// Invites one address; the error in words when it cannot be.
async fn invite(
    req: &HttpRequest,
    state: &AppState,
    admin: &AdminRow,
    email: &str,
    prefill: BTreeMap<String, String>,
    invited_by: &str,
    locale: Locale,
) -> Result<(), String> {
    let invited = state
        .engine
        .send_invitation(email, prefill, invited_by, locale, &actor(req, admin))
        .await;
    // Why not, in the console's language (not the invitee's).
    let tr = state
        .engine
        .messages()
        .tr(super::console_locale(req, Some(admin)));
    in_words(&tr, invited)
}

/// What became of an invitation, in words when it was not made.
fn in_words(tr: &Tr, invited: Result<String, InviteError>) -> Result<(), String> {
    match invited {
        Ok(_) => Ok(()),
        Err(InviteError::InvalidEmail(_)) => Err(tr.t("ui.people.invitations.invalid_email")),
        Err(InviteError::AlreadyRegistered(_)) => {
            Err(tr.t("ui.people.invitations.already_registered"))
        }
        Err(InviteError::MailQuota(_, per_hour)) => Err(tr.t_args(
            "ui.people.invitations.mail_quota",
            &[("count", per_hour.to_string())],
        )),
        Err(InviteError::Engine(e)) => {
            tracing::error!(error = %e, "invitation failed");
            Err(tr.t("ui.people.invitations.failed"))
        }
    }
}

/// The console's text of `key` about the invitation to `email`.
fn about(tr: &Tr, key: &str, email: &str) -> String {
    tr.t_args(
        &format!("ui.people.invitations.{key}"),
        &[("email", email.to_owned())],
    )
}

async fn invite_one(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let email = form.text("email");
    let mut prefill = BTreeMap::new();
    for name in ["given_name", "family_name"] {
        let value: String = form.text(name).chars().take(100).collect();
        if !value.is_empty() && !value.chars().any(char::is_control) {
            prefill.insert(name.to_owned(), value);
        }
    }
    let invited_by = inviter(&form);
    // The invitee's language: every mail of the invitation and the pages its link opens.
    let locale = Locale::from_tag(&form.text("language")).unwrap_or_default();
    let tr = admin.console_tr();
    match invite(req, state, &admin, &email, prefill, &invited_by, locale).await {
        Ok(()) => done(session, "/admin/invitations", &about(&tr, "sent", &email)),
        Err(message) => {
            let shown = Shown {
                typed: [
                    email,
                    form.text("given_name"),
                    form.text("family_name"),
                    form.text("invited_by"),
                ],
                language: locale.tag().to_owned(),
                email_error: Some(message),
                ..Shown::default()
            };
            page(&admin, Filter::default(), shown).await
        }
    }
}

/// One address a line; each line gets its own result and a bad one does not stop the rest.
async fn invite_many(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let raw = form.get("addresses").unwrap_or_default().to_owned();
    let addresses: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let refuse = |message: String| Shown {
        bulk: raw.clone(),
        bulk_error: Some(message),
        ..Shown::default()
    };
    let tr = admin.console_tr();
    if addresses.is_empty() {
        let shown = refuse(tr.t("ui.people.invitations.bulk.empty"));
        return page(&admin, Filter::default(), shown).await;
    }
    if addresses.len() > MAX_BULK {
        let shown = refuse(tr.t_args(
            "ui.people.invitations.bulk.too_many",
            &[("max", MAX_BULK.to_string())],
        ));
        return page(&admin, Filter::default(), shown).await;
    }
    let invited_by = inviter(&form);
    let locale = Locale::from_tag(&form.text("language")).unwrap_or_default();
    let mut results = Vec::with_capacity(addresses.len());
    for address in addresses {
        let shown: String = address.chars().take(254).collect();
        let invited = invite(
            req,
            state,
            &admin,
            address,
            BTreeMap::new(),
            &invited_by,
            locale,
        );
        match invited.await {
            Ok(()) => results.push((shown, tr.t("ui.people.invitations.bulk.invited"), true)),
            Err(message) => results.push((shown, message, false)),
        }
    }
    let shown = Shown {
        results,
        ..Shown::default()
    };
    page(&admin, Filter::default(), shown).await
}

async fn invitation_of(
    req: &HttpRequest,
    state: &AppState,
    id: &str,
) -> Result<InvitationRow, HttpResponse> {
    super::found(req, state.engine.invitation(id)).await
}

/// A new link to the same address with the same prefill; the old link stops working.
async fn resend(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let row = match invitation_of(req, state, &path).await {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    let tr = admin.console_tr();
    let status = status_of(&row, state.engine.now());
    if !matches!(status, "pending" | "opened" | "expired" | "revoked") {
        return failed(
            session,
            "/admin/invitations",
            &tr.t_args(
                "ui.people.invitations.nothing_to_resend",
                &[
                    ("email", row.email.clone()),
                    (
                        "status",
                        tr.t(&format!("ui.people.invitations.status.{status}")),
                    ),
                ],
            ),
        );
    }
    // In the invitation's own language, not the console's; a renewal the invitee asked for
    // is answered by it (the new invitation replaces the old, request and all).
    let invited = state
        .engine
        .resend_invitation_in_its_language(&row, &admin.actor())
        .await;
    match in_words(&tr, invited) {
        Ok(()) => done(
            session,
            "/admin/invitations",
            &about(&tr, "resent", &row.email),
        ),
        Err(message) => failed(session, "/admin/invitations", &message),
    }
}

async fn revoke(path: web::Path<String>, AdminPost { admin, .. }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let row = match invitation_of(req, state, &path).await {
        Ok(r) => r,
        Err(answer) => return answer,
    };
    match state
        .engine
        .revoke_invitation(&row.id, &admin.actor())
        .await
    {
        Ok(true) => {}
        Ok(false) => {
            return failed(
                session,
                "/admin/invitations",
                &about(&admin.console_tr(), "not_pending", &row.email),
            );
        }
        Err(e) => return error::internal(req, &e),
    }
    done(
        session,
        "/admin/invitations",
        &about(&admin.console_tr(), "revoked", &row.email),
    )
}
