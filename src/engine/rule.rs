//! Decision steps (`RULE`): conditions over what a flow knows, and the branch they choose.
//!
//! A condition reads the collected attributes and three facts of the execution that no form
//! fills: `context.application` (the client application that started it), `context.locale`
//! (the language it is shown in) and `context.email_verified` (`true` once the address was
//! proved). Conditions never read secrets: a password or a code is never an attribute.

use crate::domain::{Email, domain_to_ascii};
use crate::i18n::Said;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The longest `matches` pattern, in characters. Conditions are short; a long one is a
/// mistake or an attempt to make the server work hard.
pub const MAX_PATTERN_CHARS: usize = 512;
/// The most a compiled pattern may take (the `regex` crate's size limit), in bytes.
pub const MAX_PATTERN_BYTES: usize = 64 * 1024;
/// The most values an `in` or `domain_in` test may list.
pub const MAX_VALUES: usize = 500;

/// Facts a condition may read besides the collected attributes.
pub const CONTEXT_FACTS: [&str; 3] = [
    "context.application",
    "context.locale",
    "context.email_verified",
];

/// One branch of a decision: where to go when `when` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub when: Condition,
    pub next: String,
}

/// What a branch asks of the execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Test(Test),
}

/// One comparison of one attribute or fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Test {
    pub attribute: String,
    pub op: Op,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The `matches` pattern, compiled on first use: a published flow is cached for good,
    /// so each pattern is compiled once per server, not once per person.
    #[serde(skip)]
    pub(crate) compiled: CompiledPattern,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Op {
    Equals,
    NotEquals,
    In,
    Matches,
    DomainIn,
    Present,
    Absent,
    /// Kept as written so that validation can name it.
    Unknown(String),
}

impl Op {
    pub const ALL: [Op; 7] = [
        Op::Equals,
        Op::NotEquals,
        Op::In,
        Op::Matches,
        Op::DomainIn,
        Op::Present,
        Op::Absent,
    ];

    pub fn as_name(&self) -> &str {
        match self {
            Op::Equals => "equals",
            Op::NotEquals => "not_equals",
            Op::In => "in",
            Op::Matches => "matches",
            Op::DomainIn => "domain_in",
            Op::Present => "present",
            Op::Absent => "absent",
            Op::Unknown(name) => name,
        }
    }

    pub fn from_name(name: &str) -> Op {
        Self::ALL
            .into_iter()
            .find(|op| op.as_name() == name)
            .unwrap_or_else(|| Op::Unknown(name.to_owned()))
    }

    /// What the op compares against: one `value`, a list of `values`, or nothing.
    pub fn operand(&self) -> Operand {
        match self {
            Op::Equals | Op::NotEquals | Op::Matches => Operand::One,
            Op::In | Op::DomainIn => Operand::Many,
            Op::Present | Op::Absent | Op::Unknown(_) => Operand::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    None,
    One,
    Many,
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_name())
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Op::from_name(&String::deserialize(d)?))
    }
}

/// A lazily compiled pattern. Two are always equal: the pattern's text is what compares.
#[derive(Debug, Clone, Default)]
pub(crate) struct CompiledPattern(OnceLock<Option<regex::Regex>>);

impl PartialEq for CompiledPattern {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for CompiledPattern {}

/// Compiles a `matches` pattern as it is evaluated: anchored, so that it must match the whole
/// value (`.*@example\.com` reads as people mean it), and bounded in size.
pub fn compile(pattern: &str) -> Result<regex::Regex, Said> {
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(Said::new("ui.condition.pattern_too_long").with("max", MAX_PATTERN_CHARS));
    }
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(MAX_PATTERN_BYTES)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                Said::new("ui.condition.pattern_too_big").with("max", MAX_PATTERN_BYTES)
            }
            // The regex crate's own words, in English.
            other => Said::new("ui.edit.as_said").with("text", other),
        })
}

impl Test {
    pub fn new(attribute: &str, op: Op, value: Option<&str>, values: &[&str]) -> Self {
        Test {
            attribute: attribute.to_owned(),
            op,
            value: value.map(str::to_owned),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            compiled: CompiledPattern::default(),
        }
    }

    fn holds(&self, facts: &Facts) -> bool {
        let fact = facts.get(&self.attribute).filter(|v| !v.is_empty());
        let value = self.value.as_deref();
        match &self.op {
            Op::Present => fact.is_some(),
            Op::Absent => fact.is_none(),
            Op::Equals => fact.is_some() && fact == value,
            Op::NotEquals => fact != value,
            Op::In => fact.is_some_and(|f| self.values.iter().any(|v| v == f)),
            Op::Matches => fact.is_some_and(|f| {
                self.compiled
                    .0
                    .get_or_init(|| value.and_then(|p| compile(p).ok()))
                    .as_ref()
                    .is_some_and(|re| re.is_match(f))
            }),
            Op::DomainIn => fact
                .and_then(|f| Email::parse(f).ok())
                .is_some_and(|email| {
                    let key = email.key();
                    let domain = key.rsplit_once('@').map_or("", |(_, d)| d);
                    self.values.iter().any(|v| domain_matches(domain, v))
                }),
            // Validation refuses it; a flow stored before cannot match on it.
            Op::Unknown(_) => false,
        }
    }
}

/// `example.com` is that domain only; `*.example.com` is any of its subdomains. Both sides
/// are compared in the form sign-in keys addresses by (lower-case ASCII, punycode).
fn domain_matches(domain: &str, listed: &str) -> bool {
    let listed = listed.trim();
    match listed.strip_prefix("*.") {
        Some(parent) => domain_to_ascii(parent).is_some_and(|parent| {
            domain
                .strip_suffix(parent.as_str())
                .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
        }),
        None => domain_to_ascii(listed).is_some_and(|d| d == domain),
    }
}

impl Condition {
    pub fn holds(&self, facts: &Facts) -> bool {
        match self {
            Condition::All(all) => all.iter().all(|c| c.holds(facts)),
            Condition::Any(any) => any.iter().any(|c| c.holds(facts)),
            Condition::Not(inner) => !inner.holds(facts),
            Condition::Test(test) => test.holds(facts),
        }
    }

    /// Every test of the condition, nested ones included, in order.
    pub fn tests(&self) -> Vec<&Test> {
        match self {
            Condition::All(list) | Condition::Any(list) => {
                list.iter().flat_map(Condition::tests).collect()
            }
            Condition::Not(inner) => inner.tests(),
            Condition::Test(test) => vec![test],
        }
    }

    /// The condition in a few words, for the diagram's edge labels and the console.
    pub fn summary(&self) -> String {
        match self {
            Condition::All(list) => join(list, " and "),
            Condition::Any(list) => join(list, " or "),
            Condition::Not(inner) => format!("not {}", inner.summary_nested()),
            Condition::Test(t) => match t.op.operand() {
                Operand::None => format!("{} {}", t.attribute, t.op.as_name()),
                Operand::One => format!(
                    "{} {} {}",
                    t.attribute,
                    t.op.as_name(),
                    t.value.as_deref().unwrap_or("")
                ),
                Operand::Many => {
                    format!("{} {} {}", t.attribute, t.op.as_name(), t.values.join(", "))
                }
            },
        }
    }

    fn summary_nested(&self) -> String {
        match self {
            Condition::Test(_) | Condition::Not(_) => self.summary(),
            _ => format!("({})", self.summary()),
        }
    }

    /// Problems of the condition itself, each with its stable code and what is wrong, in
    /// words to put inside a sentence (no capital, no full stop).
    pub fn problems(&self) -> Vec<(&'static str, Said)> {
        let mut out = Vec::new();
        self.collect_problems(&mut out);
        out
    }

    fn collect_problems(&self, out: &mut Vec<(&'static str, Said)>) {
        match self {
            Condition::All(list) | Condition::Any(list) => {
                if list.is_empty() {
                    out.push(("empty_condition", Said::new("ui.condition.empty_condition")));
                }
                for c in list {
                    c.collect_problems(out);
                }
            }
            Condition::Not(inner) => inner.collect_problems(out),
            Condition::Test(t) => t.collect_problems(out),
        }
    }
}

impl Test {
    fn collect_problems(&self, out: &mut Vec<(&'static str, Said)>) {
        if self.attribute.trim().is_empty() {
            out.push((
                "missing_attribute_name",
                Said::new("ui.condition.missing_attribute_name"),
            ));
        } else if self.attribute.starts_with("context.")
            && !CONTEXT_FACTS.contains(&self.attribute.as_str())
        {
            out.push((
                "unknown_fact",
                Said::new("ui.condition.unknown_fact")
                    .with("attribute", &self.attribute)
                    .with("facts", CONTEXT_FACTS.join(", ")),
            ));
        }
        let op = self.op.as_name();
        match self.op.operand() {
            _ if matches!(self.op, Op::Unknown(_)) => out.push((
                "unknown_op",
                Said::new("ui.condition.unknown_op")
                    .with("op", op)
                    .with("ops", Op::ALL.map(|o| o.as_name().to_owned()).join(", ")),
            )),
            Operand::One if self.value.is_none() => {
                out.push((
                    "missing_value",
                    Said::new("ui.condition.missing_value").with("op", op),
                ));
            }
            Operand::Many if self.values.is_empty() => {
                out.push((
                    "missing_value",
                    Said::new("ui.condition.missing_values").with("op", op),
                ));
            }
            Operand::Many if self.values.len() > MAX_VALUES => out.push((
                "too_many_values",
                Said::new("ui.condition.too_many_values")
                    .with("op", op)
                    .with("max", MAX_VALUES),
            )),
            _ => {}
        }
        if self.op == Op::Matches
            && let Some(Err(why)) = self.value.as_deref().map(compile)
        {
            out.push((
                "bad_regex",
                Said::new("ui.condition.bad_regex").with_said("why", why),
            ));
        }
        if self.op == Op::DomainIn
            && let Some(bad) = self.values.iter().find(|v| {
                let v = v.trim();
                domain_to_ascii(v.strip_prefix("*.").unwrap_or(v)).is_none_or(|d| {
                    d.is_empty()
                        || !d
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                })
            })
        {
            out.push((
                "bad_domain",
                Said::new("ui.condition.bad_domain").with("domain", bad),
            ));
        }
    }
}

fn join(list: &[Condition], with: &str) -> String {
    list.iter()
        .map(Condition::summary_nested)
        .collect::<Vec<_>>()
        .join(with)
}

/// What a condition can read.
pub struct Facts<'a> {
    pub attributes: &'a BTreeMap<String, String>,
    pub locale: &'a str,
}

impl Facts<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match name {
            "context.locale" => Some(self.locale),
            "context.application" => self.attributes.get("application_id").map(String::as_str),
            "context.email_verified" => Some(
                if self.attributes.get("email_verified").map(String::as_str) == Some("true") {
                    "true"
                } else {
                    "false"
                },
            ),
            other => {
                let name = super::view::known_attribute(other).unwrap_or(other);
                self.attributes.get(name).map(String::as_str)
            }
        }
    }
}

/// The branch `facts` take: its index, or `None` for `otherwise`.
pub fn choose(branches: &[Branch], facts: &Facts) -> Option<usize> {
    branches.iter().position(|b| b.when.holds(facts))
}

/// The attribute a test reads, as the flow collects it; `None` for a context fact.
pub fn collected_name(attribute: &str) -> Option<&str> {
    if attribute.starts_with("context.") {
        return None;
    }
    Some(super::view::known_attribute(attribute).unwrap_or(attribute))
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Condition::Test(test) => test.serialize(s),
            Condition::All(list) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("all", list)?;
                map.end()
            }
            Condition::Any(list) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("any", list)?;
                map.end()
            }
            Condition::Not(inner) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("not", inner)?;
                map.end()
            }
        }
    }
}

/// Read by hand rather than as an untagged enum: a wrong condition gets a message that says
/// what a condition may be, not "did not match any variant".
impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        from_json(value).map_err(D::Error::custom)
    }
}

const SHAPES: &str = "a condition is {\"attribute\", \"op\", \"value\" or \"values\"}, \
                      {\"all\": [...]}, {\"any\": [...]} or {\"not\": {...}}";

fn from_json(value: serde_json::Value) -> Result<Condition, String> {
    let serde_json::Value::Object(mut map) = value else {
        return Err(SHAPES.into());
    };
    let list = |v: serde_json::Value| -> Result<Vec<Condition>, String> {
        match v {
            serde_json::Value::Array(items) => items.into_iter().map(from_json).collect(),
            _ => Err("\"all\" and \"any\" take a list of conditions".into()),
        }
    };
    // Properties a definition does not know are ignored at every level (docs/flow-definition.md),
    // so what makes a test is `attribute` and `op`, and a group is its one keyword.
    if !map.contains_key("attribute") {
        let groups: Vec<&str> = ["all", "any", "not"]
            .into_iter()
            .filter(|k| map.contains_key(*k))
            .collect();
        return match groups.as_slice() {
            ["all"] => list(map.remove("all").unwrap_or_default()).map(Condition::All),
            ["any"] => list(map.remove("any").unwrap_or_default()).map(Condition::Any),
            ["not"] => from_json(map.remove("not").unwrap_or_default())
                .map(|c| Condition::Not(Box::new(c))),
            [] => Err(SHAPES.into()),
            _ => Err(format!(
                "a condition is one of {}, not several",
                groups.join(", ")
            )),
        };
    }
    if !map.contains_key("op") {
        return Err(SHAPES.into());
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        _ => Err("a test's value is a string, a number or true/false".to_owned()),
    };
    let attribute = match map.get("attribute") {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => return Err("a test's \"attribute\" is a name".into()),
    };
    let op = match map.get("op") {
        Some(serde_json::Value::String(s)) => Op::from_name(s),
        _ => return Err("a test's \"op\" is a name".into()),
    };
    let value = map.get("value").map(text).transpose()?;
    let values = match map.get("values") {
        None => Vec::new(),
        Some(serde_json::Value::Array(items)) => {
            items.iter().map(text).collect::<Result<_, _>>()?
        }
        Some(_) => return Err("\"values\" is a list".into()),
    };
    Ok(Condition::Test(Test {
        attribute,
        op,
        value,
        values,
        compiled: CompiledPattern::default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn condition(v: serde_json::Value) -> Condition {
        serde_json::from_value(v).unwrap()
    }

    fn facts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn holds(c: &serde_json::Value, attributes: &[(&str, &str)]) -> bool {
        let attributes = facts(attributes);
        condition(c.clone()).holds(&Facts {
            attributes: &attributes,
            locale: "fr",
        })
    }

    #[test]
    fn each_op_reads_as_documented() {
        type Case<'a> = (serde_json::Value, &'a [(&'a str, &'a str)], bool);
        let cases: &[Case] = &[
            (
                json!({"attribute": "country", "op": "equals", "value": "FR"}),
                &[("country", "FR")],
                true,
            ),
            (
                json!({"attribute": "country", "op": "equals", "value": "FR"}),
                &[("country", "fr")],
                false,
            ),
            (
                json!({"attribute": "country", "op": "equals", "value": "FR"}),
                &[],
                false,
            ),
            (
                json!({"attribute": "country", "op": "not_equals", "value": "FR"}),
                &[],
                true,
            ),
            (
                json!({"attribute": "country", "op": "not_equals", "value": "FR"}),
                &[("country", "FR")],
                false,
            ),
            (
                json!({"attribute": "country", "op": "in", "values": ["FR", "BE"]}),
                &[("country", "BE")],
                true,
            ),
            (
                json!({"attribute": "country", "op": "in", "values": ["FR", "BE"]}),
                &[("country", "DE")],
                false,
            ),
            (
                json!({"attribute": "email", "op": "matches", "value": ".*@corp\\.example"}),
                &[("email", "a@corp.example")],
                true,
            ),
            // Anchored: a match inside the value is not a match of the value.
            (
                json!({"attribute": "email", "op": "matches", "value": "corp"}),
                &[("email", "a@corp.example")],
                false,
            ),
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["Corp.Example"]}),
                &[("email", "Ada@CORP.example")],
                true,
            ),
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["corp.example"]}),
                &[("email", "ada@eu.corp.example")],
                false,
            ),
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["*.corp.example"]}),
                &[("email", "ada@eu.corp.example")],
                true,
            ),
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["*.corp.example"]}),
                &[("email", "ada@corp.example")],
                false,
            ),
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["*.corp.example"]}),
                &[("email", "ada@evilcorp.example")],
                false,
            ),
            // The same normalisation as sign-in: a fullwidth address is the plain one.
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["bücher.example"]}),
                &[("email", "ada@xn--bcher-kva.example")],
                true,
            ),
            (
                json!({"attribute": "email", "op": "domain_in", "values": ["corp.example"]}),
                &[("email", "ａｄａ@ｃｏｒｐ.example")],
                true,
            ),
            (
                json!({"attribute": "given_name", "op": "present"}),
                &[("given_name", "Ada")],
                true,
            ),
            (
                json!({"attribute": "given_name", "op": "present"}),
                &[("given_name", "")],
                false,
            ),
            (
                json!({"attribute": "given_name", "op": "absent"}),
                &[],
                true,
            ),
            // Claim URIs name the attribute they stand for.
            (
                json!({"attribute": "http://wso2.org/claims/country", "op": "equals", "value": "FR"}),
                &[("country", "FR")],
                true,
            ),
            (
                json!({"attribute": "context.locale", "op": "equals", "value": "fr"}),
                &[],
                true,
            ),
            (
                json!({"attribute": "context.application", "op": "equals", "value": "app1"}),
                &[("application_id", "app1")],
                true,
            ),
            (
                json!({"attribute": "context.email_verified", "op": "equals", "value": true}),
                &[("email_verified", "true")],
                true,
            ),
            (
                json!({"attribute": "context.email_verified", "op": "equals", "value": "false"}),
                &[],
                true,
            ),
            (
                json!({"all": [{"attribute": "a", "op": "present"}, {"attribute": "b", "op": "present"}]}),
                &[("a", "1")],
                false,
            ),
            (
                json!({"any": [{"attribute": "a", "op": "present"}, {"attribute": "b", "op": "present"}]}),
                &[("a", "1")],
                true,
            ),
            (
                json!({"not": {"attribute": "a", "op": "present"}}),
                &[("a", "1")],
                false,
            ),
        ];
        for (c, attributes, expected) in cases {
            assert_eq!(holds(c, attributes), *expected, "{c} with {attributes:?}");
        }
    }

    #[test]
    fn the_first_branch_that_holds_wins() {
        let branches: Vec<Branch> = serde_json::from_value(json!([
            {"when": {"attribute": "country", "op": "equals", "value": "FR"}, "next": "fr"},
            {"when": {"attribute": "country", "op": "present"}, "next": "elsewhere"},
        ]))
        .unwrap();
        let pick = |pairs: &[(&str, &str)]| {
            let attributes = facts(pairs);
            choose(
                &branches,
                &Facts {
                    attributes: &attributes,
                    locale: "en",
                },
            )
        };
        assert_eq!(pick(&[("country", "FR")]), Some(0));
        assert_eq!(pick(&[("country", "DE")]), Some(1));
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn conditions_round_trip_and_bad_ones_say_what_a_condition_is() {
        let c = json!({"any": [
            {"not": {"attribute": "email", "op": "domain_in", "values": ["a.example"]}},
            {"all": [{"attribute": "country", "op": "in", "values": ["FR"]}]},
            {"attribute": "x", "op": "matches", "value": "a+"},
        ]});
        assert_eq!(serde_json::to_value(condition(c.clone())).unwrap(), c);
        // What a condition does not know is ignored, as everywhere in a definition.
        let extra = json!({"attribute": "x", "op": "present", "note": "kept by another tool"});
        assert_eq!(
            serde_json::to_value(condition(extra)).unwrap(),
            json!({"attribute": "x", "op": "present"})
        );
        for bad in [
            json!("x"),
            json!({"all": 3}),
            json!({"attribute": "x"}),
            json!({"all": [], "any": []}),
            json!({"colour": 1}),
        ] {
            let err = serde_json::from_value::<Condition>(bad.clone())
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("condition") || err.contains("list"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn problems_have_stable_codes() {
        let codes = |c: serde_json::Value| -> Vec<&'static str> {
            condition(c)
                .problems()
                .into_iter()
                .map(|(code, _)| code)
                .collect()
        };
        assert_eq!(
            codes(json!({"attribute": "x", "op": "resembles", "value": "y"})),
            ["unknown_op"]
        );
        assert_eq!(
            codes(json!({"attribute": "x", "op": "matches", "value": "("})),
            ["bad_regex"]
        );
        assert_eq!(
            codes(
                json!({"attribute": "x", "op": "matches", "value": "a".repeat(MAX_PATTERN_CHARS + 1)})
            ),
            ["bad_regex"]
        );
        // Small to write, huge once compiled: refused at validation, not at a person's submit.
        assert_eq!(
            codes(json!({"attribute": "x", "op": "matches", "value": "\\w{200}\\w{200}"})),
            ["bad_regex"]
        );
        assert_eq!(
            codes(json!({"attribute": "x", "op": "equals"})),
            ["missing_value"]
        );
        assert_eq!(
            codes(json!({"attribute": "x", "op": "in", "values": []})),
            ["missing_value"]
        );
        assert_eq!(
            codes(json!({"attribute": "x", "op": "in", "values": vec!["v"; MAX_VALUES + 1]})),
            ["too_many_values"]
        );
        assert_eq!(
            codes(json!({"attribute": "email", "op": "domain_in", "values": ["a b"]})),
            ["bad_domain"]
        );
        assert_eq!(
            codes(json!({"attribute": "context.weather", "op": "present"})),
            ["unknown_fact"]
        );
        assert_eq!(codes(json!({"all": []})), ["empty_condition"]);
        assert!(codes(json!({"attribute": "x", "op": "matches", "value": "[a-z]+"})).is_empty());
    }

    #[test]
    fn summaries_read_like_the_condition() {
        let c = condition(json!({"any": [
            {"not": {"attribute": "email", "op": "domain_in", "values": ["a.example", "b.example"]}},
            {"all": [{"attribute": "country", "op": "equals", "value": "FR"}, {"attribute": "terms", "op": "present"}]},
        ]}));
        assert_eq!(
            c.summary(),
            "not email domain_in a.example, b.example or (country equals FR and terms present)"
        );
    }
}
