//! Texts and translations: every message key (`{{t(key)}}`) with its text in every
//! language. An administrator's text overrides the built-in one and is in force at once; an
//! empty field goes back to the built-in text. Languages come from the catalogues, so a new
//! catalogue adds a field here with no change to this page. The page itself (finding,
//! grouping, paging) is `texts_page`; a language as a file is `texts_files`.

use super::{AdminPost, actor, done};
use crate::engine::text_change;
use crate::i18n::{Locale, MessageEntry, Said, check_key, check_message};
use crate::store::AdminRow;
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

pub use super::texts_page::TextsView;
use super::texts_page::{Typed, texts_page};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/messages", web::get().to(super::texts_page::show))
        .route("/admin/messages", web::post().to(save_message));
    super::texts_files::routes(cfg);
}

/// What one typed text of `entry` in `locale` asks: its error, if it is refused (for the
/// console to word in its language), and the change to make, if any: `Some(None)` to go back
/// to the built-in text (an empty text, or the built-in text itself), `Some(Some(text))` for
/// a new override.
pub fn typed_text(
    raw: &str,
    locale: Locale,
    entry: Option<&MessageEntry>,
) -> (Option<Said>, Option<Option<String>>) {
    let value = raw.trim();
    let error = if value.is_empty() {
        None
    } else {
        check_message(value).err()
    };
    (error, text_change(entry, locale, value))
}

/// Puts one text in force (`Some`) or back to the built-in one (`None`), audited as
/// `message.changed` / `message.reset`: the texts page and the e-mail texts page save alike.
/// The text was checked before; a refusal here would be a checker out of step with the engine.
pub async fn apply_override(
    req: &HttpRequest,
    state: &AppState,
    admin: &AdminRow,
    locale: Locale,
    key: &str,
    value: Option<&str>,
) -> Result<(), HttpResponse> {
    let actor = actor(req, admin);
    let outcome = match value {
        Some(v) => state
            .engine
            .save_message_override(locale, key, v, &actor)
            .await
            .map(|r| r.err()),
        None => state
            .engine
            .clear_message_override(locale, key, &actor)
            .await
            .map(|_| None),
    };
    match outcome {
        Ok(None) => Ok(()),
        Ok(Some(why)) => Err(error::internal(req, &why.english())),
        Err(e) => Err(error::internal(req, &e)),
    }
}

pub(super) fn anchor_of(key: &str) -> String {
    format!("msg-{}", key.replace('.', "-"))
}

/// One key's texts: for each language in the form, a text different from the built-in one
/// becomes (or replaces) the override; an empty one, or the built-in text itself, removes it.
/// The form carries the view it was on, which the answer goes back to with the key open.
async fn save_message(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let is_new = form.get("new").is_some();
    let key = form.text("key");
    let view = TextsView::from_form(&form);
    // A form posted from no view (a hand-made one) comes back on its own key.
    let view = if view.asks() || is_new {
        view
    } else {
        TextsView::of_key(&key)
    };
    let typed_key = if is_new { String::new() } else { key.clone() };
    let mut typed = Typed::new();
    let mut refused = false;
    let key_error = check_key(&key).err().map(|why| admin.say(&why));
    if key_error.is_some() && !is_new {
        // Only a hand-made form names a bad existing key: no field can show it.
        return html(
            StatusCode::BAD_REQUEST,
            &crate::web::page::MessagePage::new(req, session, "problem.bad_form")
                .link("/admin/messages", "link.back"),
        );
    }
    let entry = state
        .engine
        .messages()
        .entries(std::slice::from_ref(&key))
        .into_iter()
        .next();
    let mut changes = Vec::new();
    for locale in Locale::all() {
        let Some(raw) = form.get(&format!("text_{}", locale.tag())) else {
            continue;
        };
        let (error, change) = typed_text(raw, locale, entry.as_ref());
        let error = error.map(|why| admin.say(&why));
        if error.is_some() {
            refused = true;
        }
        typed.insert(
            (typed_key.clone(), locale.tag().to_owned()),
            (raw.to_owned(), error),
        );
        changes.extend(change.map(|c| (locale, c)));
    }
    if is_new && changes.iter().all(|(_, v)| v.is_none()) && key_error.is_none() {
        typed.insert(
            (String::new(), Locale::default().tag().to_owned()),
            (String::new(), Some(admin.t("ui.texts.new.empty"))),
        );
        refused = true;
    }
    if refused || key_error.is_some() {
        let shown_key = if is_new { key.clone() } else { String::new() };
        return texts_page(&admin, &view, &typed, (shown_key, key_error)).await;
    }
    for (locale, value) in &changes {
        if let Err(answer) =
            apply_override(req, state, &admin, *locale, &key, value.as_deref()).await
        {
            return answer;
        }
    }
    let back = if is_new {
        TextsView::of_key(&key).href_open(&key)
    } else {
        view.href_open(&key)
    };
    let said = if changes.is_empty() {
        "ui.texts.unchanged"
    } else {
        "ui.texts.saved"
    };
    let message = admin.console_tr().t_args(said, &[("key", key.clone())]);
    done(session, &back, &message)
}
