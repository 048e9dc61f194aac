//! Turning a submitted form (or API `inputs`) into checked values, by the rules each input
//! component carries.

use super::EngineError;
use super::graph::Step;
use super::view::{Component, Validation, Variant, flatten, known_attribute};
use crate::domain::Execution;
use crate::domain::{Email, FieldError, PasswordPolicy};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use validator::ValidateLength;

/// Longest value any input takes unless its rules say otherwise: bounds what is stored.
const DEFAULT_MAX_CHARS: u64 = 1000;

/// Submitted values by canonical attribute. Secret values (passwords, codes) are kept as
/// `SecretString` and never leave this request.
#[derive(Default)]
pub struct Inputs {
    plain: HashMap<&'static str, String>,
    secret: HashMap<&'static str, SecretString>,
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("plain", &self.plain.keys())
            .field("secret", &self.secret.keys())
            .finish()
    }
}

impl Inputs {
    /// Maps raw keys (an identifier, its claim-URI alias, or the component id) to the view's
    /// inputs. A key the view does not offer is refused, as WSO2's API does.
    pub fn parse(
        components: &[Component],
        raw: &HashMap<String, String>,
    ) -> Result<Self, EngineError> {
        let all = flatten(components);
        let mut inputs = Inputs::default();
        for (key, value) in raw {
            // Not `canonical_attribute`: it keeps every new name for good, and these names
            // are whatever a client sends.
            let wanted = known_attribute(key).unwrap_or(key);
            let Some(input) = all
                .iter()
                .find(|c| c.is_input() && (c.attribute() == Some(wanted) || c.id == *key))
            else {
                return Err(EngineError::UnexpectedInput(key.clone()));
            };
            let Some(attribute) = input.attribute() else {
                continue;
            };
            if input.is_secret() {
                inputs
                    .secret
                    .insert(attribute, SecretString::from(value.clone()));
            } else {
                inputs.plain.insert(attribute, value.clone());
            }
        }
        Ok(inputs)
    }

    /// What a provider's callback carries: the code and state (secrets), or an error.
    pub fn callback(code: Option<String>, state: Option<String>, error: Option<String>) -> Self {
        let mut inputs = Inputs::default();
        if let Some(code) = code {
            inputs.secret.insert("code", SecretString::from(code));
        }
        if let Some(state) = state {
            inputs.secret.insert("state", SecretString::from(state));
        }
        if let Some(error) = error {
            inputs.plain.insert("error", error);
        }
        inputs
    }

    pub fn secret(&self, attribute: &str) -> Option<&SecretString> {
        self.secret.get(attribute)
    }

    pub fn plain(&self, attribute: &str) -> Option<&str> {
        self.plain.get(attribute).map(String::as_str)
    }

    fn raw(&self, attribute: &str) -> Option<&str> {
        self.plain(attribute)
            .or_else(|| self.secret(attribute).map(|s| s.expose_secret()))
    }
}

/// Field errors by canonical attribute, plus one for the form as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub fields: Vec<(String, FieldError)>,
    pub form: Option<FieldError>,
}

impl FieldErrors {
    pub fn form(error: FieldError) -> Self {
        Self {
            fields: Vec::new(),
            form: Some(error),
        }
    }

    pub fn field(attribute: &str, error: FieldError) -> Self {
        Self {
            fields: vec![(attribute.to_owned(), error)],
            form: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.form.is_none()
    }

    pub fn get(&self, attribute: &str) -> Option<&FieldError> {
        self.fields
            .iter()
            .find(|(a, _)| a == attribute)
            .map(|(_, e)| e)
    }
}

fn is_checked(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "true" | "on" | "1" | "yes"
    )
}

/// What a flow and the settings say about the values of its forms.
#[derive(Debug, Clone, Copy)]
pub struct FormRules<'a> {
    pub policy: &'a PasswordPolicy,
    /// The flow's region for phone numbers typed without their country code.
    pub default_region: Option<&'a str>,
}

/// Checks every input of a view. Returns the normalised non-secret values (also when there
/// are errors, so the form comes back as the person typed it) and the errors.
pub fn validate(
    components: &[Component],
    inputs: &Inputs,
    execution: &Execution,
    rules: &FormRules,
) -> (HashMap<String, String>, FieldErrors) {
    let mut values = HashMap::new();
    let mut errors = FieldErrors::default();
    for input in flatten(components).into_iter().filter(|c| c.is_input()) {
        let Some(attribute) = input.attribute() else {
            continue;
        };
        let secret = input.is_secret();
        let raw = inputs.raw(attribute).unwrap_or("");
        let value = if secret {
            raw.to_owned()
        } else {
            raw.trim().to_owned()
        };
        if !secret {
            values.insert(attribute.to_owned(), value.clone());
        }
        match check(input, attribute, &value, inputs, execution, rules) {
            Ok(Some(normalised)) if !secret => {
                values.insert(attribute.to_owned(), normalised);
            }
            Ok(_) => {}
            Err(e) => errors.fields.push((attribute.to_owned(), e)),
        }
    }
    (values, errors)
}

/// Characters no one types into a form field but that change what a value means where it
/// is shown or sent: control characters (a line break can start a new mail header, NUL is
/// refused by PostgreSQL's JSON) and the bidirectional overrides and isolates that make a
/// name read backwards in the console (U+202A–U+202E, U+2066–U+2069).
pub(crate) fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn check(
    input: &Component,
    attribute: &str,
    value: &str,
    inputs: &Inputs,
    execution: &Execution,
    rules: &FormRules,
) -> Result<Option<String>, FieldError> {
    let policy = rules.policy;
    let config = &input.config;
    if input.variant == Some(Variant::Checkbox) {
        let checked = is_checked(value);
        if config.required && !checked {
            return Err(FieldError::new("must_accept"));
        }
        return Ok(Some(checked.to_string()));
    }
    if value.is_empty() {
        return if config.required {
            Err(FieldError::new("required"))
        } else {
            Ok(None)
        };
    }
    if !input.is_secret() && value.chars().any(is_hidden_control) {
        return Err(FieldError::new("control_character"));
    }
    let has_max = config
        .validations
        .iter()
        .any(|v| matches!(v, Validation::MaxLength { .. } | Validation::PasswordPolicy));
    if !has_max && !value.validate_length(None, Some(DEFAULT_MAX_CHARS), None) {
        return Err(FieldError::new("too_long").with("max", DEFAULT_MAX_CHARS));
    }
    let mut normalised = None;
    match input.variant {
        Some(Variant::Email) => normalised = Some(Email::parse(value)?.as_str().to_owned()),
        _ if attribute == "email" => normalised = Some(Email::parse(value)?.as_str().to_owned()),
        Some(Variant::Number) if value.parse::<f64>().is_err() => {
            return Err(FieldError::new("invalid_number"));
        }
        Some(Variant::Date) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            if time::Date::parse(value, &format).is_err() {
                return Err(FieldError::new("invalid_date"));
            }
        }
        // Stored as E.164, so one number is one value however it was typed.
        Some(Variant::Telephone) => {
            normalised = Some(crate::domain::phone::parse(value, rules.default_region)?);
        }
        Some(Variant::Otp) => {
            let length = usize::from(config.length.unwrap_or(6));
            let trimmed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect();
            if trimmed.len() != length || !trimmed.chars().all(|c| c.is_ascii_digit()) {
                return Err(FieldError::new("invalid_code").with("length", length));
            }
        }
        Some(Variant::Dropdown) if !config.options.iter().any(|o| o.value == value) => {
            return Err(FieldError::new("invalid_option"));
        }
        _ => {}
    }
    for rule in &config.validations {
        match rule {
            Validation::MinLength { value: min }
                if !value.validate_length(Some(*min as u64), None, None) =>
            {
                return Err(FieldError::new("too_short").with("min", min));
            }
            Validation::MaxLength { value: max }
                if !value.validate_length(None, Some(*max as u64), None) =>
            {
                return Err(FieldError::new("too_long").with("max", max));
            }
            Validation::Regex { pattern, .. } => {
                let anchored = format!("^(?:{pattern})$");
                let matches = regex::Regex::new(&anchored)
                    .map(|re| re.is_match(value))
                    .unwrap_or(false);
                if !matches {
                    return Err(FieldError::new("pattern_mismatch"));
                }
            }
            Validation::PasswordPolicy => {
                let personal = personal_values(inputs, execution);
                let refs: Vec<&str> = personal.iter().map(String::as_str).collect();
                policy.check(value, &refs)?;
            }
            _ => {}
        }
    }
    Ok(normalised)
}

/// The attributes whose values a password must not be: what the person told us about
/// themselves.
pub const PERSONAL_ATTRIBUTES: [&str; 4] = ["email", "username", "given_name", "family_name"];

/// The values of `PERSONAL_ATTRIBUTES` in a journey.
pub fn personal_values(inputs: &Inputs, execution: &Execution) -> Vec<String> {
    PERSONAL_ATTRIBUTES
        .iter()
        .filter_map(|a| inputs.plain(a).or_else(|| execution.attribute(a)))
        .map(str::to_owned)
        .collect()
}

/// Stores the checked non-secret values as collected attributes.
pub fn collect(
    execution: &mut Execution,
    components: &[Component],
    values: &HashMap<String, String>,
) {
    for input in flatten(components)
        .into_iter()
        .filter(|c| c.is_input() && !c.is_secret())
    {
        let Some(attribute) = input.attribute() else {
            continue;
        };
        let Some(value) = values.get(attribute) else {
            continue;
        };
        if attribute == "email"
            && execution.attribute("email").map(str::to_lowercase) != Some(value.to_lowercase())
        {
            // A changed address is not verified any more, whatever proved the old one.
            execution.attributes.remove("email_verified");
        }
        execution
            .attributes
            .insert(attribute.to_owned(), value.clone());
    }
}

/// True when a form for an earlier view carries exactly what was already collected from it:
/// a double submit or a replay, not an edit.
pub fn repeats_collected(
    view: &Step,
    raw: &HashMap<String, String>,
    execution: &Execution,
) -> bool {
    let inputs: Vec<&Component> = flatten(view.components())
        .into_iter()
        .filter(|c| c.is_input() && !c.is_secret())
        .collect();
    inputs.iter().all(|input| {
        let Some(attribute) = input.attribute() else {
            return true;
        };
        let submitted = raw
            .iter()
            .find(|(k, _)| known_attribute(k).unwrap_or(k) == attribute || **k == input.id)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default();
        let stored = execution.attribute(attribute).unwrap_or_default();
        if input.variant == Some(Variant::Checkbox) {
            is_checked(&submitted).to_string() == stored
        } else {
            submitted.eq_ignore_ascii_case(stored)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_controls_and_bidi_overrides_are_hidden_controls() {
        for c in ['\0', '\r', '\n', '\u{1b}', '\u{7f}', '\u{202E}', '\u{2066}'] {
            assert!(is_hidden_control(c), "{c:?}");
        }
        for c in ['a', 'é', 'ａ', '\u{0301}', '\u{200F}', ' '] {
            assert!(!is_hidden_control(c), "{c:?}");
        }
    }

    #[test]
    fn inputs_take_aliases_and_refuse_names_the_view_does_not_offer() {
        let view: Vec<Component> = serde_json::from_str(
            r#"[{"id":"email","type":"INPUT","variant":"EMAIL",
                 "config":{"identifier":"http://wso2.org/claims/emailaddress"}}]"#,
        )
        .unwrap();
        let raw = |k: &str| HashMap::from([(k.to_owned(), "a@example.com".to_owned())]);
        let inputs = Inputs::parse(&view, &raw("email")).unwrap();
        assert_eq!(inputs.plain("email"), Some("a@example.com"));
        assert!(Inputs::parse(&view, &raw("http://wso2.org/claims/emailaddress")).is_ok());
        assert!(matches!(
            Inputs::parse(&view, &raw("z9")),
            Err(EngineError::UnexpectedInput(k)) if k == "z9"
        ));
    }
}
