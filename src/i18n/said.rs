//! A sentence the engine or the domain says to an administrator (a refusal, a problem of a
//! draft, a change between versions), kept as a catalogue key and its values rather than as
//! English text, so that each reader gets it in their own language: the console in the
//! administrator's, the APIs, the CLI and the logs in English.

use super::{Locale, Tr, variables};
use serde::{Serialize, Serializer};
use std::fmt;

/// A value put into a sentence: plain text (an id, a number, a name), or a sentence of its
/// own, worded in the same language as the one it sits in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Said(Box<Said>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// A key of the compiled-in catalogue, e.g. `ui.problem.duplicate_step`.
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Said {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    /// The sentence with `{ $name }` set to `value`.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// The sentence with `{ $name }` set to another sentence, worded in the same language.
    pub fn with_said(mut self, name: &'static str, value: Said) -> Self {
        self.args.push((name, Arg::Said(Box::new(value))));
        self
    }

    /// The sentence in `tr`'s language.
    pub fn in_(&self, tr: &Tr) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => text.clone(),
                    Arg::Said(said) => said.in_(tr),
                };
                (*name, value)
            })
            .collect();
        tr.t_args(self.key, &args)
    }

    /// The sentence in English, from the compiled-in catalogue: what the APIs, the CLI and
    /// the logs show.
    pub fn english(&self) -> String {
        self.in_(&Tr::new(Locale::default()))
    }

    /// What is wrong with this sentence as the code built it: its key is in no catalogue, a
    /// variable its English text uses has no value, or a value names no variable. Empty when
    /// it is whole; nested sentences are checked too. Tests call it on every sentence they
    /// make, so a renamed variable cannot print `{$name}` to an administrator.
    pub fn faults(&self) -> Vec<String> {
        let tr = Tr::new(Locale::default());
        let mut faults = Vec::new();
        match tr.messages.pattern(Locale::default(), self.key) {
            None => faults.push(format!("{}: no such key in English", self.key)),
            Some((_, pattern)) => {
                let wanted = variables(pattern);
                for name in &wanted {
                    if !self.args.iter().any(|(n, _)| n == name) {
                        faults.push(format!("{}: no value for ${name}", self.key));
                    }
                }
                for (name, _) in &self.args {
                    if !wanted.contains(name) {
                        faults.push(format!("{}: ${name} is not in its text", self.key));
                    }
                }
            }
        }
        for (_, value) in &self.args {
            if let Arg::Said(said) = value {
                faults.extend(said.faults());
            }
        }
        faults
    }
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// A sentence where plain text is wanted (an error of the APIs, a message kept as text) is
/// its English text.
impl From<Said> for String {
    fn from(said: Said) -> String {
        said.english()
    }
}

/// In JSON a sentence is its English text: the APIs keep the shape they had.
impl Serialize for Said {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_worded_in_each_language_with_its_values() {
        let said = Said::new("ui.said.example")
            .with("step", "details")
            .with_said("why", Said::new("ui.said.example_reason"));
        assert!(said.faults().is_empty(), "{:?}", said.faults());
        let en = said.english();
        let fr = said.in_(&Tr::new(Locale::from_tag("fr").unwrap()));
        assert!(en.contains("details") && !en.contains("{$"), "{en}");
        assert!(fr.contains("details") && !fr.contains("{$"), "{fr}");
        assert_ne!(en, fr);
        assert_eq!(serde_json::to_value(&said).unwrap(), serde_json::json!(en));
    }

    #[test]
    fn faults_name_a_missing_key_a_missing_value_and_a_stray_one() {
        let unknown: &'static str = Box::leak(format!("ui.said.{}", "gone").into_boxed_str());
        assert_eq!(Said::new(unknown).faults().len(), 1);
        let faults = Said::new("ui.said.example")
            .with("stray", "x")
            .with_said("why", Said::new("ui.said.example_reason"))
            .faults();
        assert_eq!(faults.len(), 2, "{faults:?}");
    }
}
