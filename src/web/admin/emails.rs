//! E-mail texts: each message Flows sends, its texts per language beside the built-in ones
//! and the placeholders it is given, a preview through the real composer with sample values,
//! and a test send. Texts are message overrides, stored and checked exactly as on the texts
//! page (`/admin/messages`): one storage, in force at once.

use super::{Admin, AdminLayout, AdminPost, done, not_found};
use crate::domain::Email;
use crate::i18n::{Locale, Tr};
use crate::mail::{MESSAGE_TEXTS, MessageTexts};
use crate::sms::SMS_TEXTS;
use crate::store::NewMail;
use crate::web::page::html;
use crate::web::{AppState, error};
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/settings/emails", web::get().to(show_emails))
        .route("/admin/settings/emails/{kind}", web::get().to(show_email))
        .route("/admin/settings/emails/{kind}", web::post().to(save_email))
        .route(
            "/admin/settings/emails/{kind}/preview",
            web::get().to(preview_html),
        )
        .route(
            "/admin/settings/emails/{kind}/test",
            web::post().to(send_test),
        );
}

/// The HTML mail is styled inline, as mail clients need; the console's policy forbids that.
/// Its preview gets a policy of its own: inline styles and our images, nothing else, and no
/// script at all.
const PREVIEW_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                           form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Where a mail composed for a preview is addressed; it is never queued.
const PREVIEW_TO: &str = "preview@example.com";

pub struct MessageLine {
    pub kind: &'static str,
    pub name: String,
    pub sent_when: String,
    pub changed: bool,
}

/// A text message: one catalogue key, edited on the Texts page.
pub struct TextMessageLine {
    pub name: String,
    pub sent_when: String,
    pub key: &'static str,
    /// The Texts page, opened at this key.
    pub edit_url: String,
    pub placeholders: Vec<String>,
    pub changed: bool,
}

#[derive(Template)]
#[template(path = "admin/emails.html")]
struct EmailsPage {
    layout: AdminLayout,
    messages: Vec<MessageLine>,
    texts: Vec<TextMessageLine>,
}

pub struct LanguageLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub current: bool,
}

/// One key of the message, in the chosen language.
pub struct TextField {
    pub key: &'static str,
    pub part: String,
    pub html_id: String,
    /// As they are written in a text: `{ $code }`.
    pub placeholders: Vec<String>,
    /// The other messages this key also writes, joined for reading.
    pub shared_with: String,
    pub built_in: Option<String>,
    pub value: String,
    pub error: Option<String>,
}

impl TextField {
    fn describedby(&self) -> String {
        let mut ids = format!("{0}-hint {0}-placeholders", self.html_id);
        if self.error.is_some() {
            ids.push_str(&format!(" {}-error", self.html_id));
        }
        ids
    }
}

#[derive(Template)]
#[template(path = "admin/email.html")]
struct EmailPage {
    layout: AdminLayout,
    kind: &'static str,
    name: String,
    sent_when: String,
    lang: &'static str,
    lang_name: &'static str,
    languages: Vec<LanguageLink>,
    fields: Vec<TextField>,
    errors: Vec<(String, String)>,
    subject: String,
    text: String,
    to: String,
    to_error: Option<String>,
}

#[derive(serde::Deserialize)]
struct LangQuery {
    #[serde(default)]
    lang: String,
}

/// The catalogue a `lang` names exactly; English when none is named.
fn locale_of(tag: &str) -> Option<Locale> {
    let tag = tag.trim();
    if tag.is_empty() {
        return Some(Locale::default());
    }
    Locale::all().find(|l| l.tag() == tag)
}

/// The message and language a request names, if both exist.
fn message_of(kind: &str, tag: &str) -> Option<(&'static MessageTexts, Locale)> {
    Some((MessageTexts::by_kind(kind)?, locale_of(tag)?))
}

fn page_url(texts: &MessageTexts, locale: Locale) -> String {
    format!(
        "/admin/settings/emails/{}?lang={}",
        texts.kind,
        locale.tag()
    )
}

/// The message with sample values, composed with the texts in force.
fn sample_mail(
    state: &AppState,
    texts: &MessageTexts,
    locale: Locale,
) -> Result<NewMail, crate::engine::EngineError> {
    let sample = texts.sample(&state.engine.settings().public_url);
    state.engine.compose(PREVIEW_TO, locale, &sample)
}

/// A message's name in the console's language, by its kind.
fn mail_name(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("ui.admin.mail.{kind}"))
}

/// When a message is sent, in the console's language, by its kind.
fn mail_sent(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("ui.admin.mail.{kind}.sent"))
}

/// Where a text goes in a message ("Subject", "Button label"…) in the console's language.
fn part_name(tr: &Tr, part: &str) -> String {
    tr.t(&format!(
        "ui.admin.mail.part.{}",
        part.to_lowercase().replace(' ', "_")
    ))
}

/// A text message's key without its `sms.` prefix, to name its own texts.
fn sms_id(key: &str) -> &str {
    key.trim_start_matches("sms.")
}

async fn show_emails(admin: Admin, state: web::Data<AppState>) -> HttpResponse {
    let tr = admin.console_tr();
    let keys: Vec<String> = MESSAGE_TEXTS
        .iter()
        .flat_map(|m| m.keys.iter().map(|k| k.key.to_owned()))
        .chain(SMS_TEXTS.iter().map(|t| t.key.to_owned()))
        .collect();
    let overridden: Vec<String> = state
        .engine
        .messages()
        .entries(&keys)
        .into_iter()
        .filter(|e| e.texts.iter().any(|t| t.overridden.is_some()))
        .map(|e| e.key)
        .collect();
    let messages = MESSAGE_TEXTS
        .iter()
        .map(|m| MessageLine {
            kind: m.kind,
            name: mail_name(&tr, m.kind),
            sent_when: mail_sent(&tr, m.kind),
            changed: m.keys.iter().any(|k| overridden.iter().any(|o| o == k.key)),
        })
        .collect();
    let texts = SMS_TEXTS
        .iter()
        .map(|t| TextMessageLine {
            name: tr.t(&format!("ui.admin.sms.{}", sms_id(t.key))),
            sent_when: tr.t(&format!("ui.admin.sms.{}.sent", sms_id(t.key))),
            key: t.key,
            edit_url: super::messages::TextsView::of_key(t.key).href(),
            placeholders: t
                .placeholders
                .iter()
                .map(|p| format!("{{ ${p} }}"))
                .collect(),
            changed: overridden.iter().any(|o| o == t.key),
        })
        .collect();
    let page = EmailsPage {
        layout: admin.settings_layout("").retitle("ui.admin.emails.title"),
        messages,
        texts,
    };
    html(actix_web::http::StatusCode::OK, &page)
}

/// What was typed and refused, by key, to show again with its error.
type Typed = BTreeMap<&'static str, (String, Option<String>)>;

fn email_page(
    admin: &Admin,
    texts: &'static MessageTexts,
    locale: Locale,
    typed: &Typed,
    to: (String, Option<String>),
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let tr = admin.console_tr();
    let keys: Vec<String> = texts.keys.iter().map(|k| k.key.to_owned()).collect();
    let entries = state.engine.messages().entries(&keys);
    let fields: Vec<TextField> = texts
        .keys
        .iter()
        .map(|k| {
            let text = entries
                .iter()
                .find(|e| e.key == k.key)
                .and_then(|e| e.texts.iter().find(|t| t.locale == locale));
            let (value, error) = typed.get(k.key).cloned().unwrap_or_else(|| {
                (
                    text.and_then(|t| t.overridden.clone()).unwrap_or_default(),
                    None,
                )
            });
            TextField {
                key: k.key,
                part: part_name(&tr, k.part),
                html_id: format!("text-{}", k.key.replace('.', "-")),
                placeholders: k
                    .placeholders
                    .iter()
                    .map(|p| format!("{{ ${p} }}"))
                    .collect(),
                shared_with: texts
                    .shared_with(k.key)
                    .into_iter()
                    .filter_map(|name| MESSAGE_TEXTS.iter().find(|m| m.name == name))
                    .map(|m| mail_name(&tr, m.kind))
                    .collect::<Vec<_>>()
                    .join(", "),
                built_in: text.and_then(|t| t.compiled.clone()),
                value,
                error,
            }
        })
        .collect();
    let mut errors: Vec<(String, String)> = fields
        .iter()
        .filter_map(|f| Some((f.html_id.clone(), f.error.clone()?)))
        .collect();
    if let Some(e) = &to.1 {
        errors.push(("test-to".into(), e.clone()));
    }
    let mail = match sample_mail(state, texts, locale) {
        Ok(m) => m,
        Err(e) => return error::internal(req, &e),
    };
    let page = EmailPage {
        layout: admin
            .settings_layout(mail_name(&tr, texts.kind))
            .crumb("/admin/settings/emails", admin.t("ui.admin.emails.title")),
        kind: texts.kind,
        name: mail_name(&tr, texts.kind),
        sent_when: mail_sent(&tr, texts.kind),
        lang: locale.tag(),
        lang_name: locale.name(),
        languages: Locale::all()
            .map(|l| LanguageLink {
                tag: l.tag(),
                name: l.name(),
                current: l == locale,
            })
            .collect(),
        fields,
        subject: mail.subject,
        text: mail.text_body,
        to: to.0,
        to_error: to.1,
        errors,
    };
    html(super::form_status(!page.errors.is_empty()), &page)
}

async fn show_email(
    admin: Admin,
    path: web::Path<String>,
    query: web::Query<LangQuery>,
) -> HttpResponse {
    let (req, session, _) = admin.parts();
    let Some((texts, locale)) = message_of(&path, &query.lang) else {
        return not_found(req, session);
    };
    email_page(&admin, texts, locale, &Typed::new(), (String::new(), None))
}

/// The message's texts in one language: a text different from the built-in one becomes (or
/// replaces) the override; an empty one, or the built-in text itself, removes it. Checked
/// and saved through the same engine calls, with the same audit entries, as the texts page.
async fn save_email(path: web::Path<String>, AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let Some((texts, locale)) = message_of(&path, &form.text("lang")) else {
        return not_found(req, session);
    };
    let keys: Vec<String> = texts.keys.iter().map(|k| k.key.to_owned()).collect();
    let entries = state.engine.messages().entries(&keys);
    let mut typed = Typed::new();
    let mut changes = Vec::new();
    for key in texts.keys {
        let Some(raw) = form.get(key.key) else {
            continue;
        };
        let entry = entries.iter().find(|e| e.key == key.key);
        let (error, change) = super::messages::typed_text(raw, locale, entry);
        let error = error.map(|why| admin.say(&why));
        typed.insert(key.key, (raw.to_owned(), error));
        changes.extend(change.map(|c| (key.key, c)));
    }
    if typed.values().any(|(_, e)| e.is_some()) {
        return email_page(&admin, texts, locale, &typed, (String::new(), None));
    }
    for (key, value) in &changes {
        if let Err(answer) =
            super::messages::apply_override(req, state, &admin, locale, key, value.as_deref()).await
        {
            return answer;
        }
    }
    let key = if changes.is_empty() {
        "ui.admin.email.unchanged"
    } else {
        "ui.admin.email.saved"
    };
    let message = admin.console_tr().t_args(
        key,
        &[
            ("name", mail_name(&admin.console_tr(), texts.kind)),
            ("language", locale.name().to_owned()),
        ],
    );
    done(session, &page_url(texts, locale), &message)
}

/// The HTML version of the sample mail, as a page of its own under its own policy.
async fn preview_html(
    admin: Admin,
    path: web::Path<String>,
    query: web::Query<LangQuery>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let Some((texts, locale)) = message_of(&path, &query.lang) else {
        return not_found(req, session);
    };
    match sample_mail(state, texts, locale) {
        Ok(mail) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, PREVIEW_CSP))
            .body(mail.html_body),
        Err(e) => error::internal(req, &e),
    }
}

/// Queues the sample mail, in the chosen language, to an address the administrator typed.
async fn send_test(path: web::Path<String>, AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let Some((texts, locale)) = message_of(&path, &form.text("lang")) else {
        return not_found(req, session);
    };
    let typed = form.text("to");
    let Ok(to) = Email::parse(&typed) else {
        let why = admin.t("ui.admin.email.bad_address");
        return email_page(&admin, texts, locale, &Typed::new(), (typed, Some(why)));
    };
    let sample = texts.sample(&state.engine.settings().public_url);
    if let Err(e) = state
        .engine
        .send_sample_mail(&to, locale, &sample, texts.kind, &admin.actor())
        .await
    {
        return error::internal(req, &e);
    }
    done(
        session,
        &page_url(texts, locale),
        &admin.console_tr().t_args(
            "ui.admin.email.test_sent",
            &[
                ("name", mail_name(&admin.console_tr(), texts.kind)),
                ("language", locale.name().to_owned()),
                ("to", to.as_str().to_owned()),
            ],
        ),
    )
}
