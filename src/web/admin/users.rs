//! Users: search and page through the accounts, one account's page (attributes, state,
//! recent audit), and what an operator does to an account — disable, enable, unlock, sign out
//! everywhere, delete — each confirmed on a page of its own and audited.

use super::ConfirmPage;
use super::{Admin, AdminLayout, AdminPost, done, failed, not_found};
use crate::domain::UserId;
use crate::engine::{AccountAction, RecoveryRefusal};
use crate::store::UserRow;
use crate::web::error;
use crate::web::page::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(show_users))
        // Before the patterns below, which would take it otherwise.
        .route(
            "/admin/users/bulk",
            web::post().to(super::users_bulk::act_on_chosen),
        )
        .route("/admin/users/{id}", web::get().to(show_user))
        // Before the confirmed actions' pattern, which would take it otherwise.
        .route(
            "/admin/users/{id}/recovery-mail",
            web::post().to(send_recovery_mail),
        )
        .route("/admin/users/{id}/{action}", web::get().to(confirm_action))
        .route("/admin/users/{id}/{action}", web::post().to(do_action));
}

const PAGE: i64 = 50;

/// The states the list filters by: (query word, stored status, label). A lock by the sign-in
/// throttle is no state of the account: its row says until when, whatever its state.
const STATUSES: &[(&str, &str, &str)] = &[
    ("active", "ACTIVE", "Active"),
    ("locked", "LOCKED", "Locked"),
    ("disabled", "DISABLED", "Disabled"),
    // As the approval step stores it (and the template below links it to the queue).
    ("pending", "PENDING_APPROVAL", "Waiting for approval"),
];

#[derive(serde::Deserialize, Default)]
struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<i64>,
}

/// What the list shows: a search, a state (its query word, empty for all) and a page. The
/// bulk form carries it along, so that its answer lands on the same list.
pub(super) struct Filter {
    pub q: String,
    pub status: String,
    pub page: i64,
}

impl Filter {
    pub(super) fn new(q: &str, status: &str, page: Option<i64>) -> Self {
        let known = STATUSES.iter().any(|s| s.0 == status);
        Filter {
            q: q.trim().chars().take(100).collect(),
            status: if known {
                status.to_owned()
            } else {
                String::new()
            },
            page: page.unwrap_or(1).clamp(1, 100_000),
        }
    }

    fn stored_status(&self) -> Option<&'static str> {
        STATUSES.iter().find(|s| s.0 == self.status).map(|s| s.1)
    }

    /// The list's address for this filter on `page`.
    pub(super) fn url_at(&self, page: i64) -> String {
        let mut pairs = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if !self.status.is_empty() {
            pairs.push(("status", self.status.clone()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        if pairs.is_empty() {
            return "/admin/users".to_owned();
        }
        format!(
            "/admin/users?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

pub struct UserLine {
    pub id: String,
    pub email: String,
    pub name: String,
    pub status: String,
    pub verified: bool,
    pub created: String,
}

/// A row of the list: the account, and until when its sign-ins are refused if they are.
struct Listed {
    line: UserLine,
    refused_until: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: AdminLayout,
    filter: Filter,
    statuses: &'static [(&'static str, &'static str, &'static str)],
    users: Vec<Listed>,
    prev: Option<String>,
    next: Option<String>,
    /// (field, message) for the error summary: the bulk form refused.
    errors: Vec<(String, String)>,
}

fn line_of(u: &UserRow) -> UserLine {
    UserLine {
        id: u.id.to_string(),
        email: u.email.clone(),
        name: u.display_name(),
        status: u.status.clone(),
        verified: u.email_verified,
        created: super::when(u.created_at),
    }
}

async fn show_users(admin: Admin, search: web::Query<Search>) -> HttpResponse {
    let filter = Filter::new(&search.q, &search.status, search.page);
    list(&admin, filter, Vec::new()).await
}

/// The list under `filter`, with the bulk form's refusal when there is one (then a 422).
pub(super) async fn list(
    admin: &Admin,
    filter: Filter,
    errors: Vec<(String, String)>,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let page = filter.page;
    // One more than a page, to know whether there is a next one.
    let rows = match state
        .engine
        .search_users(
            &filter.q,
            filter.stored_status(),
            PAGE + 1,
            (page - 1) * PAGE,
        )
        .await
    {
        Ok(r) => r,
        Err(e) => return error::internal(req, &e),
    };
    let more = rows.len() as i64 > PAGE;
    let mut users = Vec::new();
    for u in rows.iter().take(PAGE as usize) {
        let refused_until = match state.engine.sign_in_refused_until(u).await {
            Ok(until) => until.map(super::when),
            Err(e) => return error::internal(req, &e),
        };
        users.push(Listed {
            line: line_of(u),
            refused_until,
        });
    }
    let page_view = UsersPage {
        layout: admin.section_layout("Users", "users"),
        prev: (page > 1).then(|| filter.url_at(page - 1)),
        next: more.then(|| filter.url_at(page + 1)),
        filter,
        statuses: STATUSES,
        users,
        errors,
    };
    html(super::form_status(!page_view.errors.is_empty()), &page_view)
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    layout: AdminLayout,
    user: UserLine,
    username: String,
    attributes: Vec<(String, String)>,
    last_sign_in: String,
    /// (when, who, what)
    audit: Vec<(String, String, String)>,
    /// The audit log filtered to this person, as actor or subject, before the account too.
    audit_link: String,
}

/// The account whose id is `raw` (from the path), or the console's 404 page.
async fn user_of(admin: &Admin, raw: &str) -> Result<UserRow, HttpResponse> {
    let (req, session, state) = admin.parts();
    let Ok(id) = raw.parse::<UserId>() else {
        return Err(not_found(req, session));
    };
    super::found(req, state.engine.find_user(id)).await
}

/// The action and the account a `/admin/users/{id}/{action}` path names, or the 404 page.
async fn action_on(
    admin: &Admin,
    (raw, word): (String, String),
) -> Result<(&'static Action, UserRow), HttpResponse> {
    let (req, session, _) = admin.parts();
    let Some(action) = action_of(&word) else {
        return Err(not_found(req, session));
    };
    Ok((action, user_of(admin, &raw).await?))
}

async fn show_user(admin: Admin, path: web::Path<String>) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let user = match user_of(&admin, &path).await {
        Ok(u) => u,
        Err(answer) => return answer,
    };
    let rows = match state.engine.user_audit(user.id, 50).await {
        Ok(rows) => rows,
        Err(e) => return error::internal(req, &e),
    };
    let last_sign_in = rows
        .iter()
        .find(|r| r.action == "user.signed_in")
        .map_or_else(
            || "Not in the last 50 events".to_owned(),
            |r| super::when(r.at),
        );
    let audit = rows
        .into_iter()
        .take(20)
        .map(|r| {
            let who = r.actor_name.as_str().unwrap_or(&r.actor).to_owned();
            (super::when(r.at), who, r.action)
        })
        .collect();
    let page = UserPage {
        layout: admin
            .layout(user.email.clone())
            .crumb("/admin", "Console")
            .crumb("/admin/users", "Users")
            .section("users"),
        username: user.username.clone().unwrap_or_default(),
        attributes: user
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        last_sign_in,
        user: line_of(&user),
        audit,
        audit_link: format!(
            "/admin/audit?{}",
            serde_urlencoded::to_string([("who", user.email.as_str())]).unwrap_or_default()
        ),
    };
    html(StatusCode::OK, &page)
}

/// What an operator can do to an account: (path word, heading, what it does, button, act).
const ACTIONS: &[Action] = &[
    (
        "disable",
        "Disable",
        "The account can no longer sign in or recover its password, and its sessions end. Enable it again at any time.",
        "Disable the account",
        AccountAction::Disable,
    ),
    (
        "enable",
        "Enable",
        "The account can sign in again.",
        "Enable the account",
        AccountAction::Enable,
    ),
    (
        "unlock",
        "Unlock",
        "The sign-in throttle of this address is cleared (and a locked account is active again), so its owner can sign in at once.",
        "Unlock the account",
        AccountAction::Unlock,
    ),
    (
        "sign-out",
        "Sign out everywhere",
        "Every session of this account ends, on every device; its owner signs in again.",
        "Sign out everywhere",
        AccountAction::SignOut,
    ),
    (
        "delete",
        "Delete",
        "The account and its attributes are deleted for good; the address can register again. The audit log keeps what happened, without the attributes.",
        "Delete the account",
        AccountAction::Delete,
    ),
];

/// An action on an account: its word in the path, the heading and words of its confirm
/// page, its button, and what the engine does.
type Action = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    AccountAction,
);

fn action_of(word: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.0 == word)
}

async fn confirm_action(admin: Admin, path: web::Path<(String, String)>) -> HttpResponse {
    let (&(word, heading, words, button, _), user) =
        match action_on(&admin, path.into_inner()).await {
            Ok(found) => found,
            Err(answer) => return answer,
        };
    let back = format!("/admin/users/{}", user.id);
    let page = ConfirmPage {
        layout: admin
            .layout(format!("{heading} {}", user.email))
            .crumb("/admin", "Console")
            .crumb("/admin/users", "Users")
            .crumb(&back, user.email.clone())
            .section("users"),
        heading: format!("{heading} {}?", user.email),
        paragraphs: vec![words.to_owned()],
        items: Vec::new(),
        action: format!("{back}/{word}"),
        hidden: Vec::new(),
        confirm: button.to_owned(),
        cancel: back,
    };
    html(StatusCode::OK, &page)
}

async fn do_action(
    path: web::Path<(String, String)>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (&(word, _, _, _, action), user) = match action_on(&admin, path.into_inner()).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    if let Err(e) = state
        .engine
        .act_on_account(&user, action, &admin.actor())
        .await
    {
        return error::internal(req, &e);
    }
    let (location, message) = match word {
        "disable" => (
            format!("/admin/users/{}", user.id),
            format!("{} is disabled.", user.email),
        ),
        "enable" => (
            format!("/admin/users/{}", user.id),
            format!("{} is enabled.", user.email),
        ),
        "unlock" => (
            format!("/admin/users/{}", user.id),
            format!("{} is unlocked.", user.email),
        ),
        "sign-out" => (
            format!("/admin/users/{}", user.id),
            format!("Every session of {} has ended.", user.email),
        ),
        _ => (
            "/admin/users".to_owned(),
            format!("The account {} is deleted.", user.email),
        ),
    };
    done(session, &location, &message)
}

/// Sends the owner of an account the published recovery flow's own e-mail, as if they had
/// asked for it on the recovery page; they go on from its link, on any device.
async fn send_recovery_mail(
    path: web::Path<String>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let user = match user_of(&admin, &path).await {
        Ok(u) => u,
        Err(answer) => return answer,
    };
    let back = format!("/admin/users/{}", user.id);
    // The owner's language is not known: the default one, as for invitations.
    let sent = state
        .engine
        .send_recovery_for(
            &user,
            crate::i18n::Locale::default(),
            crate::web::client_address(req).as_deref(),
            &admin.actor(),
        )
        .await;
    match sent {
        Ok(Ok(_)) => done(
            session,
            &back,
            &format!(
                "A password-recovery e-mail is on its way to {}: its link lets them choose a new password.",
                user.email
            ),
        ),
        Ok(Err(refusal)) => failed(session, &back, &refusal_words(&refusal, &user)),
        Err(e) => error::internal(req, &e),
    }
}

/// Why no recovery e-mail went, in words an administrator can act on.
fn refusal_words(refusal: &RecoveryRefusal, user: &UserRow) -> String {
    match refusal {
        RecoveryRefusal::NotActive => format!(
            "No e-mail was sent: {} is {}, and only an active account can recover its password. Enable or unlock it first.",
            user.email, user.status
        ),
        RecoveryRefusal::NoPublishedFlow => {
            "No e-mail was sent: there is no published password-recovery flow.".into()
        }
        RecoveryRefusal::FlowDisabled => {
            "No e-mail was sent: the password-recovery flow is turned off.".into()
        }
        RecoveryRefusal::NoAddressStep => "No e-mail was sent: the published password-recovery flow does not start by asking for an address alone, so it cannot be started on someone's behalf.".into(),
        RecoveryRefusal::ProvesByCode => "No e-mail was sent: the published password-recovery flow checks a code typed on the page where recovery was asked, and a code mailed to someone who never opened that page is of no use. Publish a recovery flow that e-mails a reset link (the “Reset link by e-mail” template) to send recovery e-mails from here.".into(),
    }
}
