//! The texts an operator looks for, found: every message key placed where a person meets it
//! (a flow's step, a mail, an error, a page), searched by key or by text in any language,
//! and filtered to those a language lacks. The console's texts page and its export read this.

use super::{Engine, EngineError, FlowType, KeyUse};
use crate::i18n::{Locale, MessageEntry, compiled_keys, message_ref};
use std::collections::{BTreeMap, BTreeSet};

/// Where a key belongs on the texts page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextGroup {
    /// Named by a flow's step (its published version or its draft).
    Flow(FlowType),
    /// The e-mails and text messages Flows sends.
    Mail,
    /// Error messages beside fields and problem pages.
    Errors,
    /// The hosted pages' own words: labels, buttons, headings.
    Pages,
    /// The console's own words (`ui.…`).
    Console,
    /// Keys an administrator made that no flow names (yet).
    Own,
}

impl TextGroup {
    pub fn all() -> Vec<TextGroup> {
        FlowType::ALL
            .into_iter()
            .map(TextGroup::Flow)
            .chain([
                TextGroup::Mail,
                TextGroup::Errors,
                TextGroup::Pages,
                TextGroup::Console,
                TextGroup::Own,
            ])
            .collect()
    }

    /// The group's name in URLs: a flow's type, or a word.
    pub fn slug(self) -> &'static str {
        match self {
            TextGroup::Flow(t) => t.as_str(),
            TextGroup::Mail => "mail",
            TextGroup::Errors => "errors",
            TextGroup::Pages => "pages",
            TextGroup::Console => "console",
            TextGroup::Own => "own",
        }
    }

    pub fn from_slug(slug: &str) -> Option<TextGroup> {
        TextGroup::all().into_iter().find(|g| g.slug() == slug)
    }

    /// The group of a built-in key, by its first word.
    fn of_built_in(key: &str) -> TextGroup {
        match key.split('.').next().unwrap_or_default() {
            "mail" | "sms" => TextGroup::Mail,
            "error" | "errors" | "problem" => TextGroup::Errors,
            "ui" => TextGroup::Console,
            _ => TextGroup::Pages,
        }
    }
}

/// What to find. Empty fields find everything.
#[derive(Debug, Clone, Default)]
pub struct TextQuery {
    /// A part of a key or of a text in any language, case aside; `{{t(key)}}` finds `key`.
    pub search: String,
    pub group: Option<TextGroup>,
    /// Within a flow's group, one step's texts.
    pub step: Option<String>,
    /// Only keys with no text in this language, built-in or changed.
    pub missing: Option<Locale>,
    /// Exactly this key.
    pub key: Option<String>,
}

/// One key in its place: a step of a flow, or a section of a built-in group.
#[derive(Debug, Clone)]
pub struct FoundText {
    pub group: TextGroup,
    /// The step's id in a flow's group; the key's first word in a built-in one.
    pub section: String,
    pub entry: MessageEntry,
    /// Every flow and step that names the key, wherever it is placed.
    pub uses: Vec<KeyUse>,
}

impl FoundText {
    /// Whether `locale` has a text for the key, built-in or changed.
    pub fn has_text(&self, locale: Locale) -> bool {
        self.text_in(locale).is_some()
    }

    /// The text a person reading `locale` sees (changed over built-in), if it has one.
    pub fn text_in(&self, locale: Locale) -> Option<&str> {
        self.entry.text_in(locale)
    }

    fn matches(&self, needle: &str) -> bool {
        self.entry.key.to_lowercase().contains(needle)
            || self.entry.texts.iter().any(|t| {
                [&t.compiled, &t.overridden]
                    .into_iter()
                    .flatten()
                    .any(|text| text.to_lowercase().contains(needle))
            })
    }
}

/// Every key in its places, read once: what one page of the texts console looks through,
/// as many times as it asks.
pub struct TextIndex {
    /// (group, section, key) in the order the page lists them.
    places: Vec<(TextGroup, String, String)>,
    entries: BTreeMap<String, MessageEntry>,
    used: BTreeMap<String, Vec<KeyUse>>,
}

impl Engine {
    /// Every key placed where a person meets it: a flow's steps in the flow's order, then
    /// the built-in groups by key, then the keys of one's own.
    pub async fn text_index(&self) -> Result<TextIndex, EngineError> {
        let flows = self.flow_texts().await?;
        let used = super::texts::keys_in_use(&flows);
        let mut places: Vec<(TextGroup, String, String)> = Vec::new();
        for f in flows {
            // A step's place comes from the draft when there is one (what is being edited),
            // else from the published version.
            let flow_type = f.flow_type;
            let mut steps: Vec<(String, Vec<String>)> = f
                .draft
                .or(f.published)
                .map(|d| d.message_keys_by_step())
                .unwrap_or_default();
            // Keys only the other of draft and published names still get a place.
            let placed: BTreeSet<String> = steps.iter().flat_map(|(_, k)| k.clone()).collect();
            for (key, uses) in &used {
                for u in uses.iter().filter(|u| u.flow_type == flow_type) {
                    if !placed.contains(key) {
                        steps.push((u.step.clone(), vec![key.clone()]));
                    }
                }
            }
            for (step, keys) in steps {
                for key in keys {
                    places.push((TextGroup::Flow(flow_type), step.clone(), key));
                }
            }
        }
        let compiled = compiled_keys();
        for key in &compiled {
            let group = TextGroup::of_built_in(key);
            // The console's keys all start `ui.`: their sections are by the page they serve.
            let word = if group == TextGroup::Console { 1 } else { 0 };
            let section = key.split('.').nth(word).unwrap_or_default().to_owned();
            places.push((group, section, key.clone()));
        }
        let keys: Vec<String> = places.iter().map(|(_, _, k)| k.clone()).collect();
        let entries: BTreeMap<String, MessageEntry> = self
            .messages()
            .entries(&keys)
            .into_iter()
            .map(|e| (e.key.clone(), e))
            .collect();
        let compiled: BTreeSet<&String> = compiled.iter().collect();
        for key in entries.keys() {
            if !compiled.contains(key) && !used.contains_key(key) {
                let first = key.split('.').next().unwrap_or_default().to_owned();
                places.push((TextGroup::Own, first, key.clone()));
            }
        }
        Ok(TextIndex {
            places,
            entries,
            used,
        })
    }

    /// `text_index().find(query)`, for a page that asks once.
    pub async fn find_texts(&self, query: &TextQuery) -> Result<Vec<FoundText>, EngineError> {
        Ok(self.text_index().await?.find(query))
    }
}

impl TextIndex {
    /// The keys `query` asks for, in the index's order. Within one group a key shows once,
    /// in its first place; with no group asked, once in all.
    pub fn find(&self, query: &TextQuery) -> Vec<FoundText> {
        let needle = search_needle(&query.search);
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        for (group, section, key) in &self.places {
            let group = *group;
            if query.group.is_some_and(|g| g != group)
                || query.step.as_ref().is_some_and(|s| s != section)
                || query.key.as_ref().is_some_and(|k| k != key)
            {
                continue;
            }
            let scope = query.group.map(|_| group);
            if !seen.insert((scope, key.clone())) {
                continue;
            }
            let Some(entry) = self.entries.get(key) else {
                continue;
            };
            let text = FoundText {
                group,
                section: section.clone(),
                entry: entry.clone(),
                uses: self.used.get(key).cloned().unwrap_or_default(),
            };
            if needle.as_ref().is_some_and(|n| !text.matches(n))
                || query.missing.is_some_and(|l| text.has_text(l))
            {
                continue;
            }
            found.push(text);
        }
        found
    }
}

/// What a search looks for, lower-cased; `{{t(key)}}` as a flow writes it looks for `key`.
fn search_needle(search: &str) -> Option<String> {
    let search = search.trim();
    let search = message_ref(search).unwrap_or(search);
    (!search.is_empty()).then(|| search.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Actor;

    fn keys(found: &[FoundText]) -> Vec<&str> {
        found.iter().map(|f| f.entry.key.as_str()).collect()
    }

    #[tokio::test]
    async fn texts_are_found_by_key_text_group_step_and_missing_language() {
        let store = crate::store::test_stores().await.remove(0);
        let engine = Engine::for_tests(store);
        let fr = Locale::from_tag("fr").unwrap();
        let en = Locale::default();

        let mail = engine
            .find_texts(&TextQuery {
                group: Some(TextGroup::Mail),
                ..TextQuery::default()
            })
            .await
            .unwrap();
        assert!(keys(&mail).contains(&"mail.otp.subject"));
        assert!(keys(&mail).contains(&"sms.otp"));
        assert!(mail.iter().all(|f| f.group == TextGroup::Mail));

        // By a word of its French text, and by the key as a flow writes it.
        let by_text = engine
            .find_texts(&TextQuery {
                search: "MOT DE PASSE".into(),
                ..TextQuery::default()
            })
            .await
            .unwrap();
        assert!(by_text.iter().any(|f| f.entry.key == "field.password"));
        let by_ref = engine
            .find_texts(&TextQuery {
                search: "{{t(field.password)}}".into(),
                ..TextQuery::default()
            })
            .await
            .unwrap();
        assert!(keys(&by_ref).contains(&"field.password"));
        let unique: BTreeSet<&str> = keys(&by_text).into_iter().collect();
        assert_eq!(unique.len(), by_text.len(), "once each with no group asked");

        // A key of one's own, in English only, is missing in French and in its own group.
        engine
            .save_message_override(en, "terms.nickname", "Nickname", &Actor::cli())
            .await
            .unwrap()
            .unwrap();
        let missing = engine
            .find_texts(&TextQuery {
                missing: Some(fr),
                ..TextQuery::default()
            })
            .await
            .unwrap();
        let own = missing
            .iter()
            .find(|f| f.entry.key == "terms.nickname")
            .expect("listed as missing in French");
        assert_eq!(own.group, TextGroup::Own);
        assert_eq!(own.text_in(en), Some("Nickname"));
        assert!(missing.iter().all(|f| !f.has_text(fr)));
        let exact = engine
            .find_texts(&TextQuery {
                key: Some("terms.nickname".into()),
                ..TextQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(keys(&exact), ["terms.nickname"]);
    }

    #[test]
    fn groups_round_trip_through_their_slugs() {
        for g in TextGroup::all() {
            assert_eq!(TextGroup::from_slug(g.slug()), Some(g));
        }
        assert_eq!(TextGroup::from_slug("nope"), None);
    }
}
