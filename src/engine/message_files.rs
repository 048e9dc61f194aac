//! A language's texts as one file, out and in: an export a translator edits, and an import
//! that is checked whole before anything changes, then applied in one transaction.

use super::{Actor, Engine, EngineError};
use crate::i18n::{
    FileProblem, Locale, MessageEntry, catalogue_entry, compiled_keys, read_catalogue,
};

/// What an import changed, key by key.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Keys given a text of the administrator's.
    pub changed: Vec<String>,
    /// Keys back to their built-in text (the file gave the built-in text itself).
    pub reset: Vec<String>,
    /// Keys the file gave as they already were.
    pub unchanged: usize,
}

/// The change a typed `value` asks of `entry`'s text in `locale`: `None` for nothing to do,
/// `Some(None)` to go back to the built-in text (an empty text, or the built-in text itself),
/// `Some(Some(text))` for a new text. The texts page and an import decide alike.
pub fn text_change(
    entry: Option<&MessageEntry>,
    locale: Locale,
    value: &str,
) -> Option<Option<String>> {
    let value = value.trim();
    let current = entry.and_then(|e| e.texts.iter().find(|t| t.locale == locale));
    let built_in = current.and_then(|t| t.compiled.as_deref());
    let overridden = current.and_then(|t| t.overridden.as_deref());
    if value.is_empty() || Some(value) == built_in {
        overridden.map(|_| None)
    } else if Some(value) != overridden {
        Some(Some(value.to_owned()))
    } else {
        None
    }
}

impl Engine {
    /// Every key in force as a Fluent file of `locale`: its text there (changed or built-in);
    /// a key the language lacks is written as a comment holding the English text, for the
    /// translator to fill in.
    pub fn export_messages(&self, locale: Locale) -> String {
        let entries = self.messages().entries(&compiled_keys());
        let mut out = format!(
            "# Flows: the texts in {} ({}). Change a text and import the file on the console's\n\
             # Texts page; a text equal to the built-in one goes back to it.\n\n",
            locale.name(),
            locale.tag()
        );
        let mut missing = String::new();
        for entry in &entries {
            match entry.text_in(locale) {
                Some(text) => out.push_str(&catalogue_entry(&entry.key, text)),
                None => {
                    let english = entry.text_in(Locale::default()).unwrap_or_default();
                    for line in catalogue_entry(&entry.key, english).lines() {
                        missing.push_str("# ");
                        missing.push_str(line);
                        missing.push('\n');
                    }
                }
            }
        }
        if !missing.is_empty() {
            out.push_str("\n# Not yet translated (the English text, to translate):\n");
            out.push_str(&missing);
        }
        out
    }

    /// Reads `source` as `locale`'s texts and applies what differs, audited once as
    /// `messages.imported`. `Ok(Err(problems))` refuses the whole file: nothing changes.
    /// Keys the file leaves out keep their text.
    pub async fn import_messages(
        &self,
        locale: Locale,
        source: &str,
        actor: &Actor,
    ) -> Result<Result<ImportReport, Vec<FileProblem>>, EngineError> {
        actor.must_own()?;
        let messages = match read_catalogue(source) {
            Ok(m) => m,
            Err(problems) => return Ok(Err(problems)),
        };
        if messages.is_empty() {
            return Ok(Err(vec![FileProblem {
                line: 1,
                message: "the file has no message".into(),
            }]));
        }
        let keys: Vec<String> = messages.iter().map(|(k, _)| k.clone()).collect();
        let entries = self.messages().entries(&keys);
        let mut report = ImportReport::default();
        let mut changes = Vec::new();
        for (key, text) in messages {
            let entry = entries.iter().find(|e| e.key == key);
            match text_change(entry, locale, &text) {
                Some(Some(value)) => {
                    report.changed.push(key.clone());
                    changes.push((key, Some(value)));
                }
                Some(None) => {
                    report.reset.push(key.clone());
                    changes.push((key, None));
                }
                None => report.unchanged += 1,
            }
        }
        if changes.is_empty() {
            return Ok(Ok(report));
        }
        let audit = actor.entry(
            "messages.imported",
            format!("messages:{}", locale.tag()),
            serde_json::json!({"changed": report.changed, "reset": report.reset}),
        );
        self.store()
            .import_message_overrides(locale.tag(), &changes, &audit, self.now())
            .await?;
        self.refresh_console_changes().await?;
        Ok(Ok(report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_exported_language_imports_back_unchanged_and_an_edit_lands_whole() {
        for store in crate::store::test_stores().await {
            let engine = Engine::for_tests(store.clone());
            let fr = Locale::from_tag("fr").unwrap();
            let actor = Actor::cli();
            let file = engine.export_messages(fr);
            assert!(file.contains("register-title = "), "{file}");
            let same = engine.import_messages(fr, &file, &actor).await.unwrap();
            let same = same.unwrap();
            assert!(same.changed.is_empty() && same.reset.is_empty(), "{same:?}");
            assert!(same.unchanged > 100);

            let edited = file.replace(
                &catalogue_entry(
                    "register.title",
                    &engine.messages().tr(fr).t("register.title"),
                ),
                "register-title = Rejoignez-nous\n",
            );
            let report = engine
                .import_messages(fr, &edited, &actor)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(report.changed, ["register.title"]);
            assert_eq!(
                engine.messages().tr(fr).t("register.title"),
                "Rejoignez-nous"
            );

            // One bad line refuses the whole file: the good change in it does not land.
            let bad = "register-title = Bienvenue\nmail-otp-subject = Code {code}\n";
            let problems = engine
                .import_messages(fr, bad, &actor)
                .await
                .unwrap()
                .unwrap_err();
            assert_eq!(problems[0].line, 2, "{problems:?}");
            assert_eq!(
                engine.messages().tr(fr).t("register.title"),
                "Rejoignez-nous"
            );

            // The built-in text itself puts the key back to it.
            let back = engine
                .import_messages(fr, &file, &actor)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(back.reset, ["register.title"]);
            let audit = store.recent_audit(10).await.unwrap();
            assert_eq!(
                audit
                    .iter()
                    .filter(|a| a.action == "messages.imported")
                    .count(),
                2
            );
        }
    }

    #[test]
    fn a_typed_text_changes_only_what_differs() {
        let fr = Locale::from_tag("fr").unwrap();
        let entry = MessageEntry {
            key: "a.b".into(),
            texts: vec![crate::i18n::MessageText {
                locale: fr,
                compiled: Some("Built".into()),
                overridden: Some("Mine".into()),
            }],
        };
        assert_eq!(text_change(Some(&entry), fr, " Mine "), None);
        assert_eq!(text_change(Some(&entry), fr, "Built"), Some(None));
        assert_eq!(text_change(Some(&entry), fr, ""), Some(None));
        assert_eq!(
            text_change(Some(&entry), fr, "New"),
            Some(Some("New".into()))
        );
        assert_eq!(text_change(None, fr, ""), None);
    }
}
