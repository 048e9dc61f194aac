//! The texts page: with nothing asked, the groups (each flow, the mails, the errors, the
//! pages, your own keys) with their counts and what each language lacks; asked for a group,
//! a step, a search or a missing language, the keys found, one section per step or kind of
//! text, each key folded in a `<details>` with its form, a page at a time. Every view is a
//! GET with its own URL, so a search can be bookmarked and a save comes back to it.

use super::messages::anchor_of;
use super::{Admin, AdminLayout};
use crate::engine::{FoundText, TextGroup, TextQuery};
use crate::i18n::Locale;
use crate::web::error;
use crate::web::page::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

/// Keys a page shows: folded, each is one line, so a page stays about two screens tall.
const PER_PAGE: usize = 25;

/// What the texts page shows, as its URL says it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct TextsView {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub group: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub step: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub missing: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// The key to show unfolded: the one just saved.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub open: String,
}

impl TextsView {
    /// The view a texts form was posted from (its hidden fields).
    pub fn from_form(form: &super::FormFields) -> Self {
        Self {
            q: form.text("view_q"),
            group: form.text("view_group"),
            step: form.text("view_step"),
            missing: form.text("view_missing"),
            key: form.text("view_key"),
            page: form.text("view_page").parse().ok(),
            open: String::new(),
        }
    }

    pub fn of_key(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            ..Self::default()
        }
    }

    fn query(&self) -> TextQuery {
        TextQuery {
            search: self.q.chars().take(200).collect(),
            group: TextGroup::from_slug(&self.group),
            step: (!self.step.is_empty()).then(|| self.step.clone()),
            missing: Locale::from_tag(&self.missing),
            key: (!self.key.is_empty()).then(|| self.key.clone()),
        }
    }

    /// Whether anything is asked; with nothing, the page shows the groups only.
    pub fn asks(&self) -> bool {
        let q = self.query();
        !q.search.trim().is_empty()
            || q.group.is_some()
            || q.step.is_some()
            || q.missing.is_some()
            || q.key.is_some()
    }

    pub fn href(&self) -> String {
        let query = serde_urlencoded::to_string(self).unwrap_or_default();
        if query.is_empty() {
            "/admin/messages".into()
        } else {
            format!("/admin/messages?{query}")
        }
    }

    /// This view with `key` unfolded and in sight.
    pub fn href_open(&self, key: &str) -> String {
        let view = Self {
            open: key.to_owned(),
            ..self.clone()
        };
        format!("{}#{}", view.href(), anchor_of(key))
    }

    fn at_page(&self, page: usize) -> String {
        Self {
            page: Some(page),
            open: String::new(),
            ..self.clone()
        }
        .href()
    }
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

/// One key, folded: its text as a person reads it in the console's language, what it lacks,
/// and its form.
pub struct MessageForm {
    pub key: String,
    pub anchor: String,
    pub shown: String,
    pub used_by: Vec<String>,
    pub overridden: bool,
    pub missing_in: Vec<&'static str>,
    pub open: bool,
    pub texts: Vec<TextField>,
}

pub struct Section {
    pub anchor: String,
    pub title: String,
    /// The step in the draft editor, for a flow's step.
    pub editor: Option<String>,
    pub messages: Vec<MessageForm>,
}

pub struct GroupLine {
    pub href: String,
    pub name: String,
    pub count: usize,
    /// (language, keys without text in it, link to them)
    pub missing: Vec<(&'static str, usize, String)>,
}

#[derive(Template)]
#[template(path = "admin/messages.html")]
struct MessagesPage {
    layout: AdminLayout,
    view: TextsView,
    asks: bool,
    heading: String,
    found: usize,
    groups: Vec<GroupLine>,
    languages: Vec<(&'static str, &'static str)>,
    errors: Vec<(String, String)>,
    sections: Vec<Section>,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
    new_key: String,
    new_key_error: Option<String>,
    new_texts: Vec<TextField>,
}

/// What was typed and refused, to show again: (key, tag) → (value, error).
pub type Typed = BTreeMap<(String, String), (String, Option<String>)>;

pub async fn show(admin: Admin, view: web::Query<TextsView>) -> HttpResponse {
    texts_page(&admin, &view, &Typed::new(), (String::new(), None)).await
}

fn group_name(group: TextGroup, layout: &AdminLayout) -> String {
    match group {
        TextGroup::Flow(t) => layout.flow_label(t.as_str()),
        other => layout.t(&format!("ui.texts.group.{}", other.slug())),
    }
}

fn section_title(found: &FoundText, layout: &AdminLayout) -> String {
    match (found.group, found.section.as_str()) {
        (TextGroup::Flow(t), step) => layout.t2(
            "ui.texts.section.step",
            "flow",
            layout.flow_label(t.as_str()),
            "step",
            step,
        ),
        (
            _,
            word @ ("mail" | "sms" | "error" | "errors" | "problem" | "field" | "button" | "link"
            | "notice"),
        ) => layout.t(&format!("ui.texts.section.{word}")),
        (_, other) => layout.t1("ui.texts.section.other", "word", other),
    }
}

fn fields_of(found: &FoundText, typed: &Typed) -> Vec<TextField> {
    let entry = &found.entry;
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

fn message_form(found: &FoundText, typed: &Typed, open: &str, layout: &AdminLayout) -> MessageForm {
    let console = layout.tr.locale();
    let texts = fields_of(found, typed);
    let refused = texts.iter().any(|t| t.error.is_some());
    MessageForm {
        key: found.entry.key.clone(),
        anchor: anchor_of(&found.entry.key),
        shown: found
            .text_in(console)
            .map_or_else(|| layout.t("ui.texts.no_text"), str::to_owned),
        used_by: found
            .uses
            .iter()
            .map(|u| {
                let key = if u.published {
                    "ui.texts.use.published"
                } else {
                    "ui.texts.use.draft"
                };
                let flow = layout.flow_label(u.flow_type.as_str());
                layout.t2(key, "flow", flow, "step", &u.step)
            })
            .collect(),
        overridden: found.entry.texts.iter().any(|t| t.overridden.is_some()),
        missing_in: Locale::all()
            .filter(|l| !found.has_text(*l))
            .map(Locale::name)
            .collect(),
        open: refused || found.entry.key == open,
        texts,
    }
}

/// The found keys of one page, in sections of consecutive keys with the same place.
fn sections_of(
    found: &[FoundText],
    typed: &Typed,
    open: &str,
    layout: &AdminLayout,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut last = None;
    for f in found {
        let place = (f.group, f.section.clone());
        if last.as_ref() != Some(&place) {
            let editor = match f.group {
                TextGroup::Flow(t) => {
                    Some(format!("{}/draft#step-{}", super::flow_url(t), f.section))
                }
                _ => None,
            };
            sections.push(Section {
                anchor: format!("sec-{}-{}", f.group.slug(), f.section),
                title: section_title(f, layout),
                editor,
                messages: Vec::new(),
            });
            last = Some(place);
        }
        if let Some(s) = sections.last_mut() {
            s.messages.push(message_form(f, typed, open, layout));
        }
    }
    sections
}

/// Each group with how many keys it holds and how many each language lacks.
async fn group_lines(
    admin: &Admin,
    layout: &AdminLayout,
) -> Result<Vec<GroupLine>, crate::engine::EngineError> {
    let (_, _, state) = admin.parts();
    let index = state.engine.text_index().await?;
    let mut lines = Vec::new();
    for group in TextGroup::all() {
        let found = index.find(&TextQuery {
            group: Some(group),
            ..TextQuery::default()
        });
        if found.is_empty() {
            continue;
        }
        let view = TextsView {
            group: group.slug().to_owned(),
            ..TextsView::default()
        };
        lines.push(GroupLine {
            href: view.href(),
            name: group_name(group, layout),
            count: found.len(),
            missing: Locale::all()
                .map(|l| {
                    let lacking = found.iter().filter(|f| !f.has_text(l)).count();
                    let href = TextsView {
                        missing: l.tag().to_owned(),
                        ..view.clone()
                    }
                    .href();
                    (l.name(), lacking, href)
                })
                .filter(|(_, n, _)| *n > 0)
                .collect(),
        });
    }
    Ok(lines)
}

fn heading_of(view: &TextsView, layout: &AdminLayout) -> String {
    let query = view.query();
    let mut parts = Vec::new();
    if let Some(g) = query.group {
        parts.push(group_name(g, layout));
    }
    if let Some(step) = &query.step {
        parts.push(layout.t1("ui.texts.heading.step", "step", step));
    }
    if let Some(key) = &query.key {
        parts.push(layout.t1("ui.texts.heading.key", "key", key));
    }
    if !query.search.trim().is_empty() {
        parts.push(layout.t1("ui.texts.heading.search", "text", query.search.trim()));
    }
    if let Some(l) = query.missing {
        parts.push(layout.t1("ui.texts.heading.missing", "language", l.name()));
    }
    parts.join(", ")
}

fn new_fields(typed: &Typed) -> Vec<TextField> {
    Locale::all()
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
        .collect()
}

pub async fn texts_page(
    admin: &Admin,
    view: &TextsView,
    typed: &Typed,
    new_key: (String, Option<String>),
) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let layout = admin
        .section_layout("", "messages")
        .retitle("ui.texts.title");
    let asks = view.asks();
    let (found, groups) = if asks {
        match state.engine.find_texts(&view.query()).await {
            Ok(f) => (f, Vec::new()),
            Err(e) => return error::internal(req, &e),
        }
    } else {
        match group_lines(admin, &layout).await {
            Ok(g) => (Vec::new(), g),
            Err(e) => return error::internal(req, &e),
        }
    };
    let pages = found.len().div_ceil(PER_PAGE).max(1);
    // A refused save shows the page holding the refused key.
    let refused_key = typed
        .iter()
        .find(|(_, (_, e))| e.is_some())
        .map(|((k, _), _)| k.clone());
    let page = refused_key
        .as_ref()
        .and_then(|k| found.iter().position(|f| f.entry.key == *k))
        .map_or(view.page.unwrap_or(1), |i| i / PER_PAGE + 1)
        .clamp(1, pages);
    let shown: Vec<FoundText> = found
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .cloned()
        .collect();
    let sections = sections_of(&shown, typed, &view.open, &layout);
    let new_texts = new_fields(typed);
    let mut errors: Vec<(String, String)> = sections
        .iter()
        .flat_map(|s| &s.messages)
        .flat_map(|m| {
            m.texts
                .iter()
                .filter_map(|t| Some((t.html_id.clone(), t.error.clone()?)))
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
        heading: heading_of(view, &layout),
        layout,
        view: view.clone(),
        asks,
        found: found.len(),
        groups,
        languages: Locale::all().map(|l| (l.tag(), l.name())).collect(),
        errors,
        sections,
        page,
        pages,
        prev: (page > 1).then(|| view.at_page(page - 1)),
        next: (page < pages).then(|| view.at_page(page + 1)),
        new_key: new_key.0,
        new_key_error: new_key.1,
        new_texts,
    };
    html(status, &page)
}
