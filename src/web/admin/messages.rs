//! Texts and translations: the message keys the flows use (`{{t(key)}}`), each with its text
//! in every language. An administrator's text overrides the built-in one and is in force at
//! once; an empty field goes back to the built-in text. Languages come from the catalogues,
//! so a new catalogue adds a column here with no change to this page.

use super::{Admin, AdminLayout, AdminPost, actor, done};
use crate::i18n::{Locale, MessageEntry, check_key, check_message, compiled_keys};
use crate::store::AdminRow;
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/messages", web::get().to(show_messages))
        .route("/admin/messages", web::post().to(save_message));
}

/// One language's field of a message form.
pub struct TextField {
    pub tag: &'static str,
    pub name: &'static str,
    pub html_id: String,
    pub value: String,
    pub built_in: Option<String>,
    pub error: Option<String>,
}

pub struct MessageForm {
    pub key: String,
    pub anchor: String,
    pub used_by: Vec<String>,
    pub overridden: bool,
    pub texts: Vec<TextField>,
}

#[derive(Template)]
#[template(path = "admin/messages.html")]
struct MessagesPage {
    layout: AdminLayout,
    all: bool,
    errors: Vec<(String, String)>,
    messages: Vec<MessageForm>,
    /// The form for a new key: its key field, its error, then one field per language.
    new_key: String,
    new_key_error: Option<String>,
    new_texts: Vec<TextField>,
}

/// An HTML id for a message key (keys hold dots, which ids may, but anchors read better without).
/// What one typed text of `entry` in `locale` asks: its error, if it is refused, and the change
/// to make, if any: `Some(None)` to go back to the built-in text (an empty text, or the
/// built-in text itself), `Some(Some(text))` for a new override.
pub fn typed_text(
    raw: &str,
    locale: Locale,
    entry: Option<&MessageEntry>,
) -> (Option<String>, Option<Option<String>>) {
    let value = raw.trim();
    let current = entry.and_then(|e| e.texts.iter().find(|t| t.locale == locale));
    let built_in = current.and_then(|t| t.compiled.as_deref());
    let overridden = current.and_then(|t| t.overridden.as_deref());
    let error = if value.is_empty() {
        None
    } else {
        check_message(value).err()
    };
    let change = if value.is_empty() || Some(value) == built_in {
        overridden.map(|_| None)
    } else if Some(value) != overridden {
        Some(Some(value.to_owned()))
    } else {
        None
    };
    (error, change)
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
        Ok(Some(why)) => Err(error::internal(req, &why)),
        Err(e) => Err(error::internal(req, &e)),
    }
}

pub(super) fn anchor_of(key: &str) -> String {
    format!("msg-{}", key.replace('.', "-"))
}

/// Message keys each flow (published and draft) uses, with who uses them.
async fn keys_in_use(
    state: &AppState,
) -> Result<BTreeMap<String, Vec<String>>, crate::engine::EngineError> {
    let used = state.engine.message_keys_in_use().await?;
    Ok(used
        .into_iter()
        .map(|(key, uses)| {
            let labels = uses
                .into_iter()
                .map(|u| {
                    let label = super::flow_type_label(u.flow_type);
                    let which = if u.published { "published" } else { "draft" };
                    format!("{label} ({which})")
                })
                .collect();
            (key, labels)
        })
        .collect())
}

/// What was typed and refused, to show again: (key, tag) → (value, error).
type Typed = BTreeMap<(String, String), (String, Option<String>)>;

fn fields_of(entry: &MessageEntry, typed: &Typed) -> Vec<TextField> {
    entry
        .texts
        .iter()
        .map(|t| {
            let tag = t.locale.tag();
            let (value, error) = typed
                .get(&(entry.key.clone(), tag.to_owned()))
                .cloned()
                .unwrap_or_else(|| (t.overridden.clone().unwrap_or_default(), None));
            TextField {
                tag,
                name: t.locale.name(),
                html_id: format!("{}-{tag}", anchor_of(&entry.key)),
                value,
                built_in: t.compiled.clone(),
                error,
            }
        })
        .collect()
}

async fn messages_page(
    admin: &Admin,
    all: bool,
    typed: &Typed,
    new_key: (String, Option<String>),
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let used = match keys_in_use(state).await {
        Ok(u) => u,
        Err(e) => return error::internal(req, &e),
    };
    let keys: Vec<String> = if all {
        compiled_keys()
    } else {
        used.keys().cloned().collect()
    };
    let entries = state.engine.messages().entries(&keys);
    let messages: Vec<MessageForm> = entries
        .iter()
        .map(|entry| MessageForm {
            key: entry.key.clone(),
            anchor: anchor_of(&entry.key),
            used_by: used.get(&entry.key).cloned().unwrap_or_default(),
            overridden: entry.texts.iter().any(|t| t.overridden.is_some()),
            texts: fields_of(entry, typed),
        })
        .collect();
    let mut errors: Vec<(String, String)> = messages
        .iter()
        .flat_map(|m| {
            m.texts
                .iter()
                .filter_map(|t| Some((t.html_id.clone(), t.error.clone()?)))
        })
        .collect();
    let new_texts: Vec<TextField> = Locale::all()
        .map(|l| {
            let tag = l.tag();
            let (value, error) = typed
                .get(&(String::new(), tag.to_owned()))
                .cloned()
                .unwrap_or_default();
            TextField {
                tag,
                name: l.name(),
                html_id: format!("new-{tag}"),
                value,
                built_in: None,
                error,
            }
        })
        .collect();
    if let Some(e) = &new_key.1 {
        errors.push(("new-key".into(), e.clone()));
    }
    errors.extend(
        new_texts
            .iter()
            .filter_map(|t| Some((t.html_id.clone(), t.error.clone()?))),
    );
    let status = super::form_status(!errors.is_empty());
    let page = MessagesPage {
        layout: admin.section_layout("Texts and translations", "messages"),
        all,
        errors,
        messages,
        new_key: new_key.0,
        new_key_error: new_key.1,
        new_texts,
    };
    html(status, &page)
}

#[derive(serde::Deserialize)]
struct MessagesQuery {
    #[serde(default)]
    show: String,
}

async fn show_messages(admin: Admin, query: web::Query<MessagesQuery>) -> HttpResponse {
    let all = query.show == "all";
    messages_page(&admin, all, &Typed::new(), (String::new(), None)).await
}

/// One key's texts: for each language in the form, a text different from the built-in one
/// becomes (or replaces) the override; an empty one, or the built-in text itself, removes it.
async fn save_message(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let is_new = form.get("new").is_some();
    let key = form.text("key");
    let all = form.text("show") == "all";
    let typed_key = if is_new { String::new() } else { key.clone() };
    let mut typed = Typed::new();
    let mut refused = false;
    let key_error = check_key(&key).err();
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
            (
                String::new(),
                Some("Give the new message a text in at least one language.".into()),
            ),
        );
        refused = true;
    }
    if refused || key_error.is_some() {
        let shown_key = if is_new { key.clone() } else { String::new() };
        return messages_page(&admin, all, &typed, (shown_key, key_error)).await;
    }
    for (locale, value) in &changes {
        if let Err(answer) =
            apply_override(req, state, &admin, *locale, &key, value.as_deref()).await
        {
            return answer;
        }
    }
    let back = format!(
        "/admin/messages{}#{}",
        if all { "?show=all" } else { "" },
        anchor_of(&key)
    );
    let message = if changes.is_empty() {
        format!("Nothing to change in “{key}”.")
    } else {
        format!("Texts of “{key}” saved: they show at once.")
    };
    done(session, &back, &message)
}
