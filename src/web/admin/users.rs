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

/// The states the list filters by: (query word, stored status, label's key). An account whose
/// sign-ins the throttle refuses now is listed as locked, its row saying until when.
const STATUSES: &[(&str, &str, &str)] = &[
    ("active", "ACTIVE", "ui.people.users.status.active"),
    ("locked", "LOCKED", "ui.people.users.status.locked"),
    ("disabled", "DISABLED", "ui.people.users.status.disabled"),
    // As the approval step stores it (and the template below links it to the queue).
    (
        "pending",
        "PENDING_APPROVAL",
        "ui.people.users.status.pending",
    ),
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
    /// The label's key of `status`, when it is one the console names.
    pub state: Option<&'static str>,
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
        state: STATUSES.iter().find(|s| s.1 == u.status).map(|s| s.2),
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
        layout: admin
            .section_layout("", "users")
            .retitle("ui.people.users.title"),
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
            || admin.t("ui.people.user.no_sign_in"),
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
    let users = admin.t("ui.people.users.title");
    let page = UserPage {
        layout: admin
            .section_layout(user.email.clone(), "users")
            .crumb("/admin/users", users),
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

/// What an operator can do to an account: (path word, its keys' stem under
/// `ui.people.action.`, act). Each has a title, a question, words, a button and a notice.
const ACTIONS: &[Action] = &[
    ("disable", "disable", AccountAction::Disable),
    ("enable", "enable", AccountAction::Enable),
    ("unlock", "unlock", AccountAction::Unlock),
    ("sign-out", "sign_out", AccountAction::SignOut),
    ("delete", "delete", AccountAction::Delete),
];

/// An action on an account: its word in the path, the stem of the keys of its confirm page,
/// its button and its notice, and what the engine does.
type Action = (&'static str, &'static str, AccountAction);

/// The text of an action's `part` (title, question, words, button, done) about `email`.
fn action_text(admin: &Admin, stem: &str, part: &str, email: &str) -> String {
    admin.console_tr().t_args(
        &format!("ui.people.action.{stem}.{part}"),
        &[("email", email.to_owned())],
    )
}

fn action_of(word: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.0 == word)
}

async fn confirm_action(admin: Admin, path: web::Path<(String, String)>) -> HttpResponse {
    let (&(word, stem, _), user) = match action_on(&admin, path.into_inner()).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let back = format!("/admin/users/{}", user.id);
    let text = |part: &str| action_text(&admin, stem, part, &user.email);
    let page = ConfirmPage {
        layout: admin
            .section_layout(text("title"), "users")
            .crumb("/admin/users", admin.t("ui.people.users.title"))
            .crumb(&back, user.email.clone()),
        heading: text("question"),
        paragraphs: vec![text("words")],
        items: Vec::new(),
        action: format!("{back}/{word}"),
        hidden: Vec::new(),
        confirm: text("button"),
        cancel: back,
    };
    html(StatusCode::OK, &page)
}

async fn do_action(
    path: web::Path<(String, String)>,
    AdminPost { admin, .. }: AdminPost,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (&(word, stem, action), user) = match action_on(&admin, path.into_inner()).await {
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
    let location = if word == "delete" {
        "/admin/users".to_owned()
    } else {
        format!("/admin/users/{}", user.id)
    };
    let message = action_text(&admin, stem, "done", &user.email);
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
            &admin.console_tr().t_args(
                "ui.people.user.recovery.sent",
                &[("email", user.email.clone())],
            ),
        ),
        Ok(Err(refusal)) => failed(session, &back, &refusal_words(&admin, &refusal, &user)),
        Err(e) => error::internal(req, &e),
    }
}

/// Why no recovery e-mail went, in words an administrator can act on.
fn refusal_words(admin: &Admin, refusal: &RecoveryRefusal, user: &UserRow) -> String {
    let key = match refusal {
        RecoveryRefusal::NotActive => "not_active",
        RecoveryRefusal::NoPublishedFlow => "no_flow",
        RecoveryRefusal::FlowDisabled => "disabled",
        RecoveryRefusal::NoAddressStep => "no_address_step",
        RecoveryRefusal::ProvesByCode => "by_code",
    };
    admin.console_tr().t_args(
        &format!("ui.people.user.recovery.{key}"),
        &[
            ("email", user.email.clone()),
            ("status", user.status.clone()),
        ],
    )
}
