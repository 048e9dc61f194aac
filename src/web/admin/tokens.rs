//! API tokens of the flow management API: the list, creating one (shown once, on the answer
//! to the POST itself, never stored or put in the session) and revoking one.

use super::auth::Field;
use super::when;
use super::{Admin, AdminLayout, AdminPost, done, failed};
use crate::engine::TokenNameRefusal;
use crate::store::TokenRefusal;
use crate::web::error;
use crate::web::page::html;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/tokens", web::get().to(show_tokens))
        .route("/admin/tokens", web::post().to(create_token))
        .route("/admin/tokens/revoke", web::post().to(revoke_token));
}

pub struct TokenLine {
    name: String,
    created: String,
    by: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    layout: AdminLayout,
    tokens: Vec<TokenLine>,
    /// (name, token) of the one just created: the only time it is shown.
    created: Option<(String, String)>,
    errors: Vec<(String, String)>,
    fields: Vec<Field>,
}

async fn tokens_page(
    admin: &Admin,
    typed: &str,
    error: Option<String>,
    created: Option<(String, String)>,
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let list = match state.engine.api_tokens().await {
        Ok(l) => l,
        Err(e) => return error::internal(req, &e),
    };
    let status = super::form_status(error.is_some());
    let page = TokensPage {
        layout: admin
            .section_layout("", "tokens")
            .retitle("ui.admin.tokens.title"),
        tokens: list
            .into_iter()
            .map(|t| TokenLine {
                name: t.name,
                created: when(t.created_at),
                by: super::who(&t.created_by),
                last_used: t
                    .last_used_at
                    .map_or_else(|| admin.t("ui.admin.tokens.never"), when),
                revoked: t.revoked_at.map(when),
            })
            .collect(),
        created,
        errors: error
            .iter()
            .map(|m| ("name".to_owned(), m.clone()))
            .collect(),
        fields: vec![Field {
            hint: Some(admin.t("ui.admin.tokens.name.hint")),
            value: typed.to_owned(),
            error,
            ..Field::new("name", "ui.admin.applications.name", "text")
        }],
    };
    html(status, &page)
}

async fn show_tokens(admin: Admin) -> HttpResponse {
    tokens_page(&admin, "", None, None).await
}

/// Answers with the page itself (200, not a redirect), the token on it: a redirect would
/// need the token kept somewhere until the next request.
async fn create_token(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let name = form.text("name");
    let refuse = |message: String| tokens_page(&admin, &name, Some(message), None);
    let actor = admin.actor();
    match state.engine.create_api_token(&name, &actor).await {
        Ok(Ok(token)) => {
            let created = Some((name.clone(), token.expose().to_owned()));
            tokens_page(&admin, "", None, created).await
        }
        Ok(Err(TokenNameRefusal::Malformed(reason))) => refuse(sentence(&admin.say(&reason))).await,
        Ok(Err(TokenNameRefusal::Taken)) => {
            refuse(
                admin
                    .console_tr()
                    .t_args("ui.admin.tokens.taken", &[("name", name.clone())]),
            )
            .await
        }
        Err(e) => error::internal(req, &e),
    }
}

async fn revoke_token(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let name = form.text("name");
    let actor = admin.actor();
    match state.engine.revoke_api_token(&name, &actor).await {
        Ok(Ok(())) => done(
            session,
            "/admin/tokens",
            &admin
                .console_tr()
                .t_args("ui.admin.tokens.revoked_one", &[("name", name)]),
        ),
        Ok(Err(TokenRefusal::Unknown | TokenRefusal::NameTaken)) => failed(
            session,
            "/admin/tokens",
            &admin
                .console_tr()
                .t_args("ui.admin.tokens.unknown", &[("name", name)]),
        ),
        Err(e) => error::internal(req, &e),
    }
}

/// A clause as a sentence beside a field: its first letter in upper case, and a full stop.
fn sentence(clause: &str) -> String {
    let mut chars = clause.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn a_clause_becomes_a_sentence_in_any_language() {
        assert_eq!(sentence("a token name is short"), "A token name is short.");
        assert_eq!(sentence("écrit ainsi"), "Écrit ainsi.");
        assert_eq!(sentence(""), "");
    }
}
