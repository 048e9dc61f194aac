//! Message catalogues, in Project Fluent syntax. Every user-facing string comes from here.
//!
//! Languages are data: each `locales/TAG.ftl` is one language, listed by `build.rs` and
//! compiled in, so adding a language is adding a file. English is the default and the
//! fallback and holds every message; a key missing in a language falls back to English,
//! then to the key itself.
//!
//! Code and flow definitions name messages by dotted keys (`register.title`,
//! `{{t(register.title)}}`); Fluent ids cannot hold dots, so `fluent_id` maps `.` to `-`.
//!
//! Administrators may override the text of any key, or give text to a key of their own, per
//! language (stored in the database). `Catalogues` lays those overrides over the compiled-in
//! text and is reloaded when they change; a `Tr` made from it (`Tr::with`) sees them, while
//! `Tr::new` knows the compiled-in text only (the CLI, tests).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::types::FluentNumber;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, RwLock};
use unic_langid::LanguageIdentifier;

/// `(tag, Fluent source)` of every catalogue file, English first (written by `build.rs`).
const SOURCES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// The message of each catalogue that names its language, in that language.
const LANGUAGE_NAME: &str = "language.name";

/// The Fluent id of a message key: `register.title` is `register-title`.
pub fn fluent_id(key: &str) -> String {
    key.replace('.', "-")
}

/// The message key of a Fluent id, the inverse of `fluent_id`.
pub fn message_key(id: &str) -> String {
    id.replace('-', ".")
}

/// One compiled-in catalogue.
struct Compiled {
    tag: &'static str,
    langid: LanguageIdentifier,
    name: String,
    resource: Arc<FluentResource>,
    /// Syntax errors of the file, kept for the test that refuses them.
    #[cfg_attr(not(test), allow(dead_code))]
    errors: Vec<String>,
}

static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(tag, source)| {
            let (resource, errors) = match FluentResource::try_new((*source).to_owned()) {
                Ok(r) => (r, Vec::new()),
                Err((r, errors)) => (r, errors.iter().map(|e| e.to_string()).collect()),
            };
            let resource = Arc::new(resource);
            let name = message_source(&resource, &fluent_id(LANGUAGE_NAME))
                .unwrap_or_else(|| (*tag).to_owned());
            Compiled {
                tag,
                // A file name that is no language tag still loads; a test refuses it.
                langid: tag.parse().unwrap_or_default(),
                name,
                resource,
                errors,
            }
        })
        .collect()
});

/// The compiled-in text with no overrides, shared by every `Tr::new`.
static COMPILED_SET: LazyLock<Arc<MessageSet>> =
    LazyLock::new(|| Arc::new(MessageSet::build(Vec::new())));

fn compiled(locale: Locale) -> Option<&'static Compiled> {
    COMPILED.get(usize::from(locale.0))
}

/// A language there is a catalogue for: a cheap handle on the compiled-in list.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Locale(u16);

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Locale({})", self.tag())
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl Locale {
    /// Every language, English first.
    pub fn all() -> impl Iterator<Item = Locale> {
        (0..COMPILED.len()).filter_map(|i| u16::try_from(i).ok().map(Locale))
    }

    /// The language tag of the catalogue file (`en`, `fr`, `pt-BR`).
    pub fn tag(self) -> &'static str {
        compiled(self).map_or("en", |c| c.tag)
    }

    /// The language's name in that language (`Français`), for a language menu.
    pub fn name(self) -> &'static str {
        compiled(self).map_or("English", |c| c.name.as_str())
    }

    /// The language for a tag, matching its region loosely: `fr-CA` gives French.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let requested: LanguageIdentifier = tag.trim().parse().ok()?;
        Self::best(&[requested], false)
    }

    /// Picks the best language for an `Accept-Language` header, honouring q-values
    /// (`fluent-langneg` only reads their order); English when none fits.
    pub fn negotiate(accept_language: Option<&str>) -> Self {
        // Most requests of a page's journey come from clients that send no header (or an
        // empty one): nothing to weigh, the default.
        let Some(header) = accept_language.filter(|h| !h.trim().is_empty()) else {
            return Self::default();
        };
        let mut requested: Vec<(f32, LanguageIdentifier)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                let langid = tag.parse().ok()?;
                (q > 0.0).then_some((q, langid))
            })
            .collect();
        // Stable, so equal weights keep the order the client gave.
        requested.sort_by(|(a, _), (b, _)| b.total_cmp(a));
        let requested: Vec<LanguageIdentifier> = requested.into_iter().map(|(_, l)| l).collect();
        Self::best(&requested, true).unwrap_or_default()
    }

    fn best(requested: &[LanguageIdentifier], with_default: bool) -> Option<Self> {
        let available: Vec<&LanguageIdentifier> = COMPILED.iter().map(|c| &c.langid).collect();
        let default = available.first().copied();
        let chosen = negotiate_languages(
            requested,
            &available,
            default.as_ref().filter(|_| with_default),
            NegotiationStrategy::Filtering,
        );
        let first = **chosen.first()?;
        let index = available.iter().position(|l| *l == first)?;
        u16::try_from(index).ok().map(Locale)
    }
}

type Bundle = FluentBundle<Arc<FluentResource>>;

/// One snapshot of every language's messages: compiled-in text with overrides on top.
struct MessageSet {
    /// One per `Locale`, by index.
    bundles: Vec<Bundle>,
    /// The overrides in force, as stored: key, then locale, then Fluent source.
    overrides: BTreeMap<String, BTreeMap<Locale, String>>,
    /// Per `Locale`, by key: the text of a message without variables, formatted the first
    /// time it is asked for (`None`: it has variables, so it is formatted each time). Most
    /// of a page's words are such messages, and formatting them showed in a step page's
    /// profile. It lives and dies with this snapshot, so a changed text is never served.
    fixed: Vec<RwLock<HashMap<String, Option<String>>>>,
}

impl MessageSet {
    fn build(overrides: Vec<(Locale, String, Arc<FluentResource>, String)>) -> Self {
        let mut bundles: Vec<Bundle> = COMPILED
            .iter()
            .map(|c| {
                let mut bundle = FluentBundle::new_concurrent(vec![c.langid.clone()]);
                // Pages and mail are plain text and HTML: no bidi isolation marks.
                bundle.set_use_isolating(false);
                // Duplicate ids are refused by the catalogue test; the first one wins.
                let _ = bundle.add_resource(c.resource.clone());
                bundle
            })
            .collect();
        let mut by_key: BTreeMap<String, BTreeMap<Locale, String>> = BTreeMap::new();
        for (locale, key, resource, value) in overrides {
            if let Some(bundle) = bundles.get_mut(usize::from(locale.0)) {
                bundle.add_resource_overriding(resource);
                by_key.entry(key).or_default().insert(locale, value);
            }
        }
        Self {
            fixed: bundles.iter().map(|_| RwLock::default()).collect(),
            bundles,
            overrides: by_key,
        }
    }

    /// The text of `key` in `locale`, formatted with `value_of`'s values; `None` when no
    /// language has the key.
    fn format(
        &self,
        locale: Locale,
        key: &str,
        value_of: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        let memo = self.fixed.get(usize::from(locale.0));
        match memo.and_then(|m| m.read().ok()?.get(key).cloned()) {
            Some(Some(text)) => return Some(text),
            Some(None) => {}
            None => {
                // Only a message that is there is kept: an unknown key (anyone may name
                // one in a flow or a URL) must not grow the map.
                let fixed = self.format_fixed(locale, key)?;
                if let Some(Ok(mut memo)) = memo.map(RwLock::write) {
                    memo.insert(key.to_owned(), fixed.clone());
                }
                if fixed.is_some() {
                    return fixed;
                }
            }
        }
        let (bundle, pattern) = self.pattern(locale, key)?;
        Some(format_pattern(bundle, pattern, value_of))
    }

    /// `Some(Some(text))` for a message without variables, `Some(None)` for one with them,
    /// `None` for no such message.
    fn format_fixed(&self, locale: Locale, key: &str) -> Option<Option<String>> {
        let (bundle, pattern) = self.pattern(locale, key)?;
        Some(
            variables(pattern)
                .is_empty()
                .then(|| format_pattern(bundle, pattern, |_| None)),
        )
    }

    /// The bundle and pattern of `key`: the language's own, else English's.
    fn pattern(&self, locale: Locale, key: &str) -> Option<(&Bundle, &ast::Pattern<&str>)> {
        let id = fluent_id(key);
        [locale, Locale::default()]
            .into_iter()
            .filter_map(|l| self.bundles.get(usize::from(l.0)))
            .find_map(|bundle| Some((bundle, bundle.get_message(&id)?.value()?)))
    }
}

/// The messages in force, compiled-in text with the administrators' overrides on top.
/// Held by the engine (not a global), read by every page and mail, and swapped whole by
/// `reload`, so a reader never sees half an update.
pub struct Catalogues {
    current: RwLock<Arc<MessageSet>>,
}

impl Default for Catalogues {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Catalogues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogues").finish_non_exhaustive()
    }
}

/// One key's text in one language, for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText {
    pub locale: Locale,
    /// The compiled-in text (Fluent source), if the catalogue has the key.
    pub compiled: Option<String>,
    /// The administrator's text (Fluent source), if there is one.
    pub overridden: Option<String>,
}

/// One key and its text in every language, for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageEntry {
    pub key: String,
    /// One per language, in `Locale::all()` order.
    pub texts: Vec<MessageText>,
}

impl MessageEntry {
    /// The text a person reading `locale` sees (changed over built-in), if it has one.
    pub fn text_in(&self, locale: Locale) -> Option<&str> {
        let t = self.texts.iter().find(|t| t.locale == locale)?;
        t.overridden.as_deref().or(t.compiled.as_deref())
    }
}

impl Catalogues {
    /// The compiled-in text only, until the first `reload`.
    pub fn new() -> Self {
        Self {
            current: RwLock::new(COMPILED_SET.clone()),
        }
    }

    fn snapshot(&self) -> Arc<MessageSet> {
        self.current
            .read()
            .map_or_else(|e| e.into_inner().clone(), |s| s.clone())
    }

    /// A translator for one language that sees the overrides in force now.
    pub fn tr(&self, locale: Locale) -> Tr {
        Tr {
            locale,
            messages: self.snapshot(),
        }
    }

    /// Replaces every override with `overrides`: `(language tag, key, Fluent pattern)`.
    /// One that names no known language or does not parse is left out; what was left out,
    /// and why, comes back for the log.
    pub fn reload<'a>(
        &self,
        overrides: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Vec<String> {
        let mut skipped = Vec::new();
        let mut parsed = Vec::new();
        for (tag, key, value) in overrides {
            let Some(locale) = Locale::all().find(|l| l.tag() == tag) else {
                skipped.push(format!("{tag} {key}: no catalogue for this language"));
                continue;
            };
            match parse_message(key, value) {
                Ok(resource) => parsed.push((locale, key.to_owned(), resource, value.to_owned())),
                Err(e) => skipped.push(format!("{tag} {key}: {e}")),
            }
        }
        let set = Arc::new(MessageSet::build(parsed));
        match self.current.write() {
            Ok(mut current) => *current = set,
            Err(e) => *e.into_inner() = set,
        }
        skipped
    }

    /// Each key with its compiled-in and overridden text in every language: the keys asked
    /// for, then any other key that has an override, sorted.
    pub fn entries(&self, keys: &[String]) -> Vec<MessageEntry> {
        let set = self.snapshot();
        let all: BTreeSet<&str> = keys
            .iter()
            .map(String::as_str)
            .chain(set.overrides.keys().map(String::as_str))
            .collect();
        all.into_iter()
            .map(|key| MessageEntry {
                key: key.to_owned(),
                texts: Locale::all()
                    .map(|locale| MessageText {
                        locale,
                        compiled: compiled(locale)
                            .and_then(|c| message_source(&c.resource, &fluent_id(key))),
                        overridden: set
                            .overrides
                            .get(key)
                            .and_then(|by_locale| by_locale.get(&locale))
                            .cloned(),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Every key of the English catalogue (which holds them all), sorted.
pub fn compiled_keys() -> Vec<String> {
    let mut keys: Vec<String> = COMPILED
        .first()
        .map(|c| message_ids(&c.resource).map(message_key).collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

fn message_ids(resource: &FluentResource) -> impl Iterator<Item = &str> {
    resource.entries().filter_map(|e| match e {
        ast::Entry::Message(m) => Some(m.id.name),
        _ => None,
    })
}

/// The Fluent source of a message's value, without its id and indentation, as an
/// administrator would type it.
fn message_source(resource: &FluentResource, id: &str) -> Option<String> {
    let message = resource.entries().find_map(|e| match e {
        ast::Entry::Message(m) if m.id.name == id => Some(m),
        _ => None,
    })?;
    let single = ast::Resource {
        body: vec![ast::Entry::Message(ast::Message {
            comment: None,
            ..message.clone()
        })],
    };
    let text = fluent_syntax::serializer::serialize(&single);
    let value = text.strip_prefix(id)?.trim_start().strip_prefix('=')?;
    let lines: Vec<&str> = value
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect();
    Some(lines.join("\n").trim().to_owned())
}

/// A key as code and flows write it: dot-separated words of letters, digits and `_`, each
/// starting with a letter.
pub fn check_key(key: &str) -> Result<(), Said> {
    let fine = !key.is_empty()
        && key.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    if fine {
        Ok(())
    } else {
        Err(Said::new("ui.refusal.text.key").with("key", key))
    }
}

/// Whether an administrator's text is a Fluent pattern this server can use: `Ok`, or what
/// is wrong and where (line and column within `value`), to show beside the field in the
/// administrator's language (the parser's own words of a syntax error stay English).
pub fn check_message(value: &str) -> Result<(), Said> {
    // Line breaks and tabs shape a text; other control characters only hide in it, and
    // PostgreSQL refuses a NUL in text outright.
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Said::new("ui.refusal.text.control"));
    }
    parse_message("message", value).map(|_| ())
}

/// Parses `value` as the pattern of the message `key`, as `check_message` describes.
fn parse_message(key: &str, value: &str) -> Result<Arc<FluentResource>, Said> {
    check_key(key)?;
    if value.trim().is_empty() {
        return Err(Said::new("ui.refusal.text.empty"));
    }
    let id = fluent_id(key);
    let prefix = format!("{id} = ");
    // Continuation lines must be indented to belong to the message; blank ones stay blank.
    let body = value
        .trim()
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let body = body.strip_prefix("    ").unwrap_or(&body);
    let source = format!("{prefix}{body}\n");
    let resource = match FluentResource::try_new(source) {
        Ok(r) => r,
        Err((r, errors)) => {
            let first = errors.first().map(|e| {
                let (line, column) = position(r.source(), prefix.len(), e.pos.start);
                Said::new("ui.refusal.text.syntax")
                    .with("line", line)
                    .with("column", column)
                    .with("detail", &e.kind)
            });
            return Err(first.unwrap_or_else(|| Said::new("ui.refusal.text.invalid")));
        }
    };
    check_single(&resource, &id)?;
    Ok(Arc::new(resource))
}

/// Refuses a resource that is not exactly the one message `id` with a value, or that
/// refers to another message (most likely `{email}` meant as a value).
fn check_single(resource: &FluentResource, id: &str) -> Result<(), Said> {
    let mut entries = resource.entries();
    let message = match (entries.next(), entries.next()) {
        (Some(ast::Entry::Message(m)), None) if m.id.name == id => m,
        _ => {
            return Err(Said::new("ui.refusal.text.one_message"));
        }
    };
    let Some(pattern) = &message.value else {
        return Err(Said::new("ui.refusal.text.no_value"));
    };
    if let Some(name) = message_references(pattern).first() {
        return Err(Said::new("ui.refusal.text.reference").with("name", name));
    }
    Ok(())
}

/// Line and column (from 1) within the administrator's text of byte `at` of the source
/// made from it, which starts with `prefix_len` bytes of `id = ` and indents later lines.
fn position(source: &str, prefix_len: usize, at: usize) -> (usize, usize) {
    // An error at the very end (an unclosed `{`) belongs to the last line the admin wrote,
    // not to the newline added after it.
    let before = source.get(..at.min(source.trim_end().len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let shift = if line == 1 { prefix_len } else { 4 };
    let column = before[line_start..]
        .chars()
        .count()
        .saturating_sub(shift)
        .saturating_add(1);
    (line, column.max(1))
}

/// Walks every inline expression of a pattern, select variants included.
fn walk<'p, 's>(
    pattern: &'p ast::Pattern<&'s str>,
    visit: &mut impl FnMut(&'p ast::InlineExpression<&'s str>),
) {
    fn inline<'p, 's>(
        e: &'p ast::InlineExpression<&'s str>,
        visit: &mut impl FnMut(&'p ast::InlineExpression<&'s str>),
    ) {
        visit(e);
        match e {
            ast::InlineExpression::FunctionReference { arguments, .. }
            | ast::InlineExpression::TermReference {
                arguments: Some(arguments),
                ..
            } => {
                for a in &arguments.positional {
                    inline(a, visit);
                }
                for a in &arguments.named {
                    inline(&a.value, visit);
                }
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, visit),
            _ => {}
        }
    }
    fn expr<'p, 's>(
        e: &'p ast::Expression<&'s str>,
        visit: &mut impl FnMut(&'p ast::InlineExpression<&'s str>),
    ) {
        match e {
            ast::Expression::Inline(i) => inline(i, visit),
            ast::Expression::Select { selector, variants } => {
                inline(selector, visit);
                for v in variants {
                    walk(&v.value, visit);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expr(expression, visit);
        }
    }
}

/// `pattern` with its `{ $name }` variables filled from `value_of`.
fn format_pattern(
    bundle: &Bundle,
    pattern: &ast::Pattern<&str>,
    value_of: impl Fn(&str) -> Option<String>,
) -> String {
    let values: Vec<(&str, String)> = variables(pattern)
        .into_iter()
        .filter_map(|name| Some((name, value_of(name)?)))
        .collect();
    let mut args = FluentArgs::new();
    for (name, value) in &values {
        args.set(*name, fluent_value(value));
    }
    // A variable without a value prints as `{$name}`: visible, and harmless.
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&args), &mut errors)
        .into_owned()
}

/// The `$variables` a pattern uses, each once.
fn variables<'s>(pattern: &ast::Pattern<&'s str>) -> Vec<&'s str> {
    let mut names = Vec::new();
    walk(pattern, &mut |e| {
        if let ast::InlineExpression::VariableReference { id } = e
            && !names.contains(&id.name)
        {
            names.push(id.name);
        }
    });
    names
}

fn message_references<'s>(pattern: &ast::Pattern<&'s str>) -> Vec<&'s str> {
    let mut names = Vec::new();
    walk(pattern, &mut |e| {
        if let ast::InlineExpression::MessageReference { id, .. } = e {
            names.push(id.name);
        }
    });
    names
}

/// A value as Fluent sees it: a number when the text is exactly a number's, so plurals
/// select on it; text otherwise (a code like `012345` keeps its leading zero).
fn fluent_value(value: &str) -> FluentValue<'_> {
    match value.parse::<FluentNumber>() {
        Ok(n) if n.as_string() == value => FluentValue::Number(n),
        _ => FluentValue::from(value),
    }
}

/// The `{{t(key)}}` of a text that is a whole message reference.
pub fn message_ref(raw: &str) -> Option<&str> {
    let inner = raw.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let key = inner.strip_prefix("t(")?.strip_suffix(')')?.trim();
    (!key.is_empty()).then_some(key)
}

/// A translator bound to one language, handed to every template.
#[derive(Clone)]
pub struct Tr {
    pub locale: Locale,
    messages: Arc<MessageSet>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr").field("locale", &self.locale).finish()
    }
}

impl Default for Tr {
    fn default() -> Self {
        Self::new(Locale::default())
    }
}

impl Tr {
    /// Whether `other` speaks the same language from the same texts (the same overrides).
    pub fn same_texts(&self, other: &Tr) -> bool {
        self.locale == other.locale && Arc::ptr_eq(&self.messages, &other.messages)
    }

    /// The compiled-in text only, without administrators' overrides.
    pub fn new(locale: Locale) -> Self {
        Self {
            locale,
            messages: COMPILED_SET.clone(),
        }
    }

    /// The text in force, overrides included.
    pub fn with(locale: Locale, catalogues: &Catalogues) -> Self {
        catalogues.tr(locale)
    }

    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The message for `key`; the key itself when no language has it.
    pub fn t(&self, key: &str) -> String {
        self.lookup(key).unwrap_or_else(|| key.to_owned())
    }

    /// The message for `key`, in this language or else English.
    pub fn lookup(&self, key: &str) -> Option<String> {
        self.format(key, |_| None)
    }

    /// The message for `key` with its `{ $name }` variables filled from `args`.
    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.format(key, |name| {
            args.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        })
        .unwrap_or_else(|| key.to_owned())
    }

    fn format(&self, key: &str, value_of: impl Fn(&str) -> Option<String>) -> Option<String> {
        self.messages.format(self.locale, key, value_of)
    }

    /// Resolves admin-authored text: `{{t(key)}}` becomes the message, its variables filled
    /// from `lookup` (collected attributes); literal text has its `{name}` placeholders
    /// filled from `lookup`.
    pub fn text(&self, raw: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
        match message_ref(raw) {
            Some(key) => self.format(key, lookup).unwrap_or_else(|| key.to_owned()),
            None => fill(raw, lookup),
        }
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

mod catalogue_file;
mod said;
pub use catalogue_file::{FileProblem, catalogue_entry, read_catalogue};
pub use said::{Arg, Said};

#[cfg(test)]
mod tests;
