//! Message catalogues. Every user-facing string comes from here; `en` ships complete and
//! `fr` proves a second language works. A missing key falls back to English, then to the key.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Fr,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn negotiate(accept_language: Option<&str>) -> Self {
        let Some(header) = accept_language else {
            return Locale::default();
        };
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(locale) = Locale::from_tag(tag)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

fn parse(source: &'static str) -> HashMap<&'static str, &'static str> {
    source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

static EN: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse(include_str!("en.txt")));
static FR: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| parse(include_str!("fr.txt")));

fn catalogue(locale: Locale) -> &'static HashMap<&'static str, &'static str> {
    match locale {
        Locale::En => &EN,
        Locale::Fr => &FR,
    }
}

/// A translator bound to one locale, handed to every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// The message for `key`.
    pub fn t(&self, key: &str) -> String {
        self.lookup(key).unwrap_or(key).to_owned()
    }

    pub fn lookup(&self, key: &str) -> Option<&'static str> {
        catalogue(self.locale)
            .get(key)
            .or_else(|| EN.get(key))
            .copied()
    }

    /// The message for `key` with `{name}` placeholders filled.
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        fill(&self.t(key), |name| {
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        })
    }

    /// Resolves admin-authored text: `{{t(key)}}` becomes a catalogue message, then
    /// `{name}` placeholders take values from `lookup` (collected attributes).
    pub fn text(&self, raw: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
        let resolved = match raw
            .trim()
            .strip_prefix("{{t(")
            .and_then(|r| r.strip_suffix(")}}"))
        {
            Some(key) => self.t(key.trim()),
            None => raw.to_owned(),
        };
        fill(&resolved, lookup)
    }
}

/// Replaces `{name}` with `lookup(name)`; unknown names are left as they are.
fn fill(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                let name = &after[..close];
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(
            Locale::negotiate(Some("fr-CA,fr;q=0.9,en;q=0.8")),
            Locale::Fr
        );
        assert_eq!(
            Locale::negotiate(Some("de-DE,en;q=0.5,fr;q=0.4")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(Some("de")), Locale::En);
        assert_eq!(Locale::negotiate(None), Locale::En);
    }

    #[test]
    fn every_english_key_has_a_french_translation() {
        let missing: Vec<_> = EN.keys().filter(|k| !FR.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in fr: {missing:?}");
        let extra: Vec<_> = FR.keys().filter(|k| !EN.contains_key(*k)).collect();
        assert!(extra.is_empty(), "unknown in fr: {extra:?}");
    }

    #[test]
    fn resolves_keys_and_placeholders() {
        let tr = Tr::new(Locale::En);
        let text = tr.text("Sent to {email}", |n| {
            (n == "email").then(|| "a@b.c".to_owned())
        });
        assert_eq!(text, "Sent to a@b.c");
        assert_eq!(tr.text("{{t(button.continue)}}", |_| None), "Continue");
        assert_eq!(tr.text("{unknown} {", |_| None), "{unknown} {");
    }
}
