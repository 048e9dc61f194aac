//! The approval queue: the accounts a registration left waiting (`RequireApproval`), oldest
//! first, a page at a time, each with an Approve and a Reject form. Operators may use it.
//! The engine decides, mails the person and audits; this page shows what it answered.

use super::{Admin, AdminLayout, AdminPost, done, failed, not_found};
use crate::domain::UserId;
use crate::engine::{Decided, Decision, MAX_REASON_CHARS, ReasonProblem};
use crate::i18n::Locale;
use crate::web::error;
use crate::web::page::html;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/approvals", web::get().to(show_approvals))
        .route(
            "/admin/approvals/{id}/approve",
            web::post().to(approve_account),
        )
        .route(
            "/admin/approvals/{id}/reject",
            web::post().to(reject_account),
        );
}

/// How many waiting accounts one page lists.
const PAGE: i64 = 50;
const QUEUE: &str = "/admin/approvals";

#[derive(serde::Deserialize, Default)]
struct Paging {
    #[serde(default)]
    page: Option<i64>,
}

pub struct Waiting {
    pub id: String,
    pub email: String,
    pub name: String,
    pub registered: String,
    /// The language the person registered in, in its own words, and its tag; `None` when
    /// not known.
    pub language: Option<(String, String)>,
}

/// A refused rejection, shown again beside its row's reason field.
struct Refused {
    id: String,
    reason: String,
    message: String,
}

#[derive(Template)]
#[template(path = "admin/approvals.html")]
struct ApprovalsPage {
    layout: AdminLayout,
    accounts: Vec<Waiting>,
    total: i64,
    page: i64,
    pages: i64,
    max_reason: usize,
    /// (field id, message), for the error summary.
    errors: Vec<(String, String)>,
    refused: Option<Refused>,
}

impl ApprovalsPage {
    /// The message beside the reason field of account `id`, if its rejection was refused.
    fn error_for(&self, id: &str) -> Option<&str> {
        self.refused
            .as_ref()
            .filter(|r| r.id == id)
            .map(|r| r.message.as_str())
    }

    /// What the reason field of account `id` holds: what was typed when it was refused.
    fn reason_for(&self, id: &str) -> &str {
        self.refused
            .as_ref()
            .filter(|r| r.id == id)
            .map_or("", |r| r.reason.as_str())
    }
}

async fn page(admin: &Admin, page: i64, refused: Option<Refused>) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let page = page.clamp(1, 100_000);
    let (rows, total) = match state.engine.approval_queue(PAGE, (page - 1) * PAGE).await {
        Ok(found) => found,
        Err(e) => return error::internal(req, &e),
    };
    let accounts = rows
        .iter()
        .map(|u| Waiting {
            id: u.id.to_string(),
            email: u.email.clone(),
            name: u.display_name(),
            registered: super::when(u.created_at),
            language: u.locale.as_deref().map(|tag| {
                (
                    Locale::from_tag(tag).map_or_else(|| tag.to_owned(), |l| l.name().to_owned()),
                    tag.to_owned(),
                )
            }),
        })
        .collect();
    let errors = refused
        .iter()
        .map(|r| (format!("reason-{}", r.id), r.message.clone()))
        .collect::<Vec<_>>();
    let status = super::form_status(refused.is_some());
    let page_view = ApprovalsPage {
        layout: admin
            .section_layout("", "approvals")
            .retitle("ui.people.approvals.title"),
        accounts,
        total,
        page,
        pages: (total + PAGE - 1) / PAGE,
        max_reason: MAX_REASON_CHARS,
        errors,
        refused,
    };
    html(status, &page_view)
}

async fn show_approvals(admin: Admin, paging: web::Query<Paging>) -> HttpResponse {
    page(&admin, paging.page.unwrap_or(1), None).await
}

/// The account of the path and its address, looked up before the decision (a rejected one
/// is gone afterwards, and the notice names it): the console's 404 page for an id that
/// cannot be one, and the queue saying so when no such account is left.
async fn account_of(admin: &Admin, raw: &str) -> Result<(UserId, String), HttpResponse> {
    let (req, session, state) = admin.parts();
    let Ok(id) = raw.parse::<UserId>() else {
        return Err(not_found(req, session));
    };
    match state.engine.find_user(id).await {
        Ok(Some(user)) => Ok((id, user.email)),
        Ok(None) => Err(failed(session, QUEUE, &admin.t(NOT_WAITING))),
        Err(e) => Err(error::internal(req, &e)),
    }
}

/// Takes `decision` on account `id` and says what became of it.
async fn decide(
    admin: &Admin,
    id: UserId,
    decision: &Decision,
) -> Result<Result<Decided, ReasonProblem>, HttpResponse> {
    let (req, _, state) = admin.parts();
    state
        .engine
        .decide_approval(id, decision, &admin.actor())
        .await
        .map_err(|e| error::internal(req, &e))
}

const NOT_WAITING: &str = "ui.people.approvals.not_waiting";

/// The notice of a decision (`approved`, `rejected`) on the account at `address`.
fn said(admin: &Admin, decision: &str, address: String) -> String {
    admin.console_tr().t_args(
        &format!("ui.people.approvals.{decision}"),
        &[("email", address)],
    )
}

async fn approve_account(
    path: web::Path<String>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (_, session, _) = admin.parts();
    let (id, address) = match account_of(&admin, &path).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match decide(&admin, id, &Decision::Approve).await {
        Ok(Ok(Decided::Approved)) => done(session, QUEUE, &said(&admin, "approved", address)),
        // Approving asks for no reason; anything else means it waits no more.
        Ok(_) => failed(session, QUEUE, &admin.t(NOT_WAITING)),
        Err(answer) => answer,
    }
}

async fn reject_account(
    path: web::Path<String>,
    AdminPost { admin, form }: AdminPost,
) -> HttpResponse {
    let (_, session, _) = admin.parts();
    let (id, address) = match account_of(&admin, &path).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let typed = form.get("reason").unwrap_or_default().to_owned();
    let decision = Decision::Reject {
        reason: typed.clone(),
    };
    match decide(&admin, id, &decision).await {
        Ok(Ok(Decided::Rejected)) => done(session, QUEUE, &said(&admin, "rejected", address)),
        Ok(Ok(_)) => failed(session, QUEUE, &admin.t(NOT_WAITING)),
        Ok(Err(problem)) => {
            let page_number = form.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let refused = Refused {
                id: id.to_string(),
                reason: typed,
                message: admin.t(match problem {
                    ReasonProblem::Missing => "ui.people.approvals.reason_missing",
                    ReasonProblem::TooLong => "ui.people.approvals.reason_too_long",
                }),
            };
            page(&admin, page_number, Some(refused)).await
        }
        Err(answer) => answer,
    }
}
