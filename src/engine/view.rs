//! The view schema: the one component type that both the hosted pages (Askama) and the
//! Flow Execution API (serde) render. Field names follow WSO2's Flow Execution API.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComponentType {
    Form,
    Input,
    Button,
    Typography,
    RichText,
    Divider,
    Image,
}

/// Input, button and typography variants share one enum, as in WSO2's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Variant {
    Text,
    Password,
    Email,
    Telephone,
    Number,
    Date,
    Otp,
    Checkbox,
    Dropdown,
    Primary,
    Secondary,
    /// A button that signs up through another provider (WSO2's `SOCIAL`).
    Social,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Body1,
    Body2,
}

impl ComponentType {
    pub const ALL: [ComponentType; 7] = [
        ComponentType::Form,
        ComponentType::Input,
        ComponentType::Button,
        ComponentType::Typography,
        ComponentType::RichText,
        ComponentType::Divider,
        ComponentType::Image,
    ];

    /// The name used in flow JSON, e.g. `RICH_TEXT`.
    pub fn as_name(self) -> &'static str {
        match self {
            ComponentType::Form => "FORM",
            ComponentType::Input => "INPUT",
            ComponentType::Button => "BUTTON",
            ComponentType::Typography => "TYPOGRAPHY",
            ComponentType::RichText => "RICH_TEXT",
            ComponentType::Divider => "DIVIDER",
            ComponentType::Image => "IMAGE",
        }
    }

    /// Reads a name as `as_name` writes it, in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        by_name(&Self::ALL, Self::as_name, name)
    }

    /// The variants that fit this type; empty for types that take none.
    pub fn variants(self) -> &'static [Variant] {
        match self {
            ComponentType::Input => &[
                Variant::Text,
                Variant::Password,
                Variant::Email,
                Variant::Telephone,
                Variant::Number,
                Variant::Date,
                Variant::Otp,
                Variant::Checkbox,
                Variant::Dropdown,
            ],
            ComponentType::Button => &[
                Variant::Primary,
                Variant::Secondary,
                Variant::Text,
                Variant::Social,
            ],
            ComponentType::Typography => &[
                Variant::H1,
                Variant::H2,
                Variant::H3,
                Variant::H4,
                Variant::H5,
                Variant::H6,
                Variant::Body1,
                Variant::Body2,
            ],
            ComponentType::Form
            | ComponentType::RichText
            | ComponentType::Divider
            | ComponentType::Image => &[],
        }
    }
}

/// The one of `all` that `as_name` calls `name`, in any case, spaces around it ignored.
pub(crate) fn by_name<T: Copy>(all: &[T], as_name: fn(T) -> &'static str, name: &str) -> Option<T> {
    let name = name.trim();
    all.iter()
        .copied()
        .find(|t| as_name(*t).eq_ignore_ascii_case(name))
}

impl Variant {
    /// The name used in flow JSON, e.g. `BODY1`.
    pub fn as_name(self) -> &'static str {
        match self {
            Variant::Text => "TEXT",
            Variant::Password => "PASSWORD",
            Variant::Email => "EMAIL",
            Variant::Telephone => "TELEPHONE",
            Variant::Number => "NUMBER",
            Variant::Date => "DATE",
            Variant::Otp => "OTP",
            Variant::Checkbox => "CHECKBOX",
            Variant::Dropdown => "DROPDOWN",
            Variant::Primary => "PRIMARY",
            Variant::Secondary => "SECONDARY",
            Variant::Social => "SOCIAL",
            Variant::H1 => "H1",
            Variant::H2 => "H2",
            Variant::H3 => "H3",
            Variant::H4 => "H4",
            Variant::H5 => "H5",
            Variant::H6 => "H6",
            Variant::Body1 => "BODY1",
            Variant::Body2 => "BODY2",
        }
    }

    /// Reads a name as `as_name` writes it, in any case. Every variant fits some type.
    pub fn from_name(name: &str) -> Option<Self> {
        ComponentType::ALL
            .into_iter()
            .find_map(|t| by_name(t.variants(), Self::as_name, name))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
}

/// A validation rule carried by an input. Rules are checked by the engine on every
/// submit; clients may also use them to validate early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Validation {
    MinLength {
        value: usize,
    },
    MaxLength {
        value: usize,
    },
    /// `pattern` is a Rust regex matched against the whole value.
    Regex {
        pattern: String,
        message: Option<String>,
    },
    /// The configured password policy (length bounds, blocklist, not personal data).
    PasswordPolicy,
}

/// Validations named by word only: serde would also take a variant's number for the `name`
/// tag (`{"name": 0}` as `MIN_LENGTH`), which no document allows and no person means.
fn validations_by_name<'de, D>(deserializer: D) -> Result<Vec<Validation>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    let raw: Vec<serde_json::Value> = Deserialize::deserialize(deserializer)?;
    raw.into_iter()
        .map(|item| {
            if !item.get("name").is_some_and(serde_json::Value::is_string) {
                return Err(D::Error::custom(
                    "a validation's name is one of MIN_LENGTH, MAX_LENGTH, REGEX, PASSWORD_POLICY",
                ));
            }
            serde_json::from_value(item).map_err(D::Error::custom)
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "validations_by_name"
    )]
    pub validations: Vec<Validation>,
    /// Text of typography, rich text and buttons. `{attribute}` is replaced by a collected
    /// attribute, `{{t(key)}}` by a catalogue message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    /// OTP inputs: number of digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u8>,
    /// Buttons: `submit` always, kept for WSO2 clients that read it.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub button_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ComponentType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<Variant>,
    #[serde(default)]
    pub config: ComponentConfig,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// Buttons: the action id sent back when pressed (equal to `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_id: Option<String>,
}

impl ComponentConfig {
    /// The same settings with every text a reader sees mapped through `text` (resolved in
    /// a language, say). Built field by field, so a new text field cannot be forgotten, and
    /// no text is copied only to be replaced.
    pub fn with_texts(&self, text: &impl Fn(&str) -> String) -> ComponentConfig {
        let map = |v: &Option<String>| v.as_deref().map(text);
        ComponentConfig {
            identifier: self.identifier.clone(),
            label: map(&self.label),
            placeholder: map(&self.placeholder),
            hint: map(&self.hint),
            required: self.required,
            default_value: self.default_value.clone(),
            options: self
                .options
                .iter()
                .map(|o| SelectOption {
                    value: o.value.clone(),
                    label: text(&o.label),
                })
                .collect(),
            validations: self.validations.clone(),
            text: map(&self.text),
            src: self.src.clone(),
            alt: map(&self.alt),
            length: self.length,
            button_type: self.button_type.clone(),
        }
    }
}

impl Component {
    /// This component without its children, its texts mapped through `text`.
    pub fn with_texts(&self, text: &impl Fn(&str) -> String) -> Component {
        Component {
            id: self.id.clone(),
            kind: self.kind,
            variant: self.variant,
            config: self.config.with_texts(text),
            components: Vec::new(),
            action_id: self.action_id.clone(),
        }
    }

    /// This component and every descendant, depth first.
    pub fn walk(&self) -> Vec<&Component> {
        let mut out = vec![self];
        for child in &self.components {
            out.extend(child.walk());
        }
        out
    }

    pub fn is_input(&self) -> bool {
        self.kind == ComponentType::Input
    }

    pub fn is_button(&self) -> bool {
        self.kind == ComponentType::Button
    }

    /// The attribute an input fills, in Flows' canonical naming.
    pub fn attribute(&self) -> Option<&'static str> {
        self.config.identifier.as_deref().map(canonical_attribute)
    }

    pub fn is_secret(&self) -> bool {
        matches!(self.variant, Some(Variant::Password | Variant::Otp))
    }

    pub fn button_action(&self) -> Option<&str> {
        self.is_button()
            .then(|| self.action_id.as_deref().unwrap_or(&self.id))
    }
}

/// All components of a view, flattened.
pub fn flatten(components: &[Component]) -> Vec<&Component> {
    components.iter().flat_map(Component::walk).collect()
}

/// WSO2 clients name attributes by claim URI; Flows stores plain names. Unknown identifiers
/// are kept as they are (leaked to 'static once per distinct name, which admins bound).
pub fn canonical_attribute(identifier: &str) -> &'static str {
    known_attribute(identifier).unwrap_or_else(|| intern(identifier))
}

/// The canonical name of a known identifier or claim URI, without keeping anything: for
/// names that come from a request rather than a flow definition.
pub fn known_attribute(identifier: &str) -> Option<&'static str> {
    Some(match identifier {
        "email" | "http://wso2.org/claims/emailaddress" => "email",
        "username" | "http://wso2.org/claims/username" => "username",
        "given_name" | "firstName" | "http://wso2.org/claims/givenname" => "given_name",
        "family_name" | "lastName" | "http://wso2.org/claims/lastname" => "family_name",
        "phone" | "http://wso2.org/claims/mobile" => "phone",
        "birthdate" | "http://wso2.org/claims/dob" => "birthdate",
        "country" | "http://wso2.org/claims/country" => "country",
        "password" => "password",
        "otp" => "otp",
        "terms" => "terms",
        "login" => "login",
        _ => return None,
    })
}

fn intern(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{LazyLock, Mutex};
    static NAMES: LazyLock<Mutex<HashSet<&'static str>>> =
        LazyLock::new(|| Mutex::new(HashSet::new()));
    let Ok(mut names) = NAMES.lock() else {
        return "";
    };
    if let Some(found) = names.get(name) {
        return found;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// The `autocomplete` token a browser needs to fill an input well.
pub fn autocomplete_for(attribute: &str, variant: Option<Variant>) -> &'static str {
    match (attribute, variant) {
        ("email", _) => "email",
        ("username" | "login", _) => "username",
        ("given_name", _) => "given-name",
        ("family_name", _) => "family-name",
        ("phone", _) => "tel",
        ("birthdate", _) => "bday",
        ("country", _) => "country-name",
        ("otp", _) | (_, Some(Variant::Otp)) => "one-time-code",
        ("current_password", _) => "current-password",
        (_, Some(Variant::Password)) => "new-password",
        _ => "off",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for t in ComponentType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_name());
            assert_eq!(ComponentType::from_name(t.as_name()), Some(t));
        }
        let variants: Vec<Variant> = ComponentType::ALL
            .into_iter()
            .flat_map(|t| t.variants().iter().copied())
            .collect();
        // Text is both an input's and a button's.
        assert_eq!(variants.len(), 21);
        for v in variants {
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_name());
            assert_eq!(Variant::from_name(&v.as_name().to_lowercase()), Some(v));
        }
        assert_eq!(Variant::from_name("H7"), None);
    }

    #[test]
    fn claim_uris_are_aliases() {
        assert_eq!(
            canonical_attribute("http://wso2.org/claims/emailaddress"),
            "email"
        );
        assert_eq!(
            canonical_attribute("http://wso2.org/claims/givenname"),
            "given_name"
        );
        assert_eq!(canonical_attribute("nickname"), "nickname");
    }

    #[test]
    fn component_json_matches_wso2_shape() {
        let json = r#"{"id":"email","type":"INPUT","variant":"EMAIL",
            "config":{"identifier":"http://wso2.org/claims/emailaddress","label":"Email","required":true}}"#;
        let c: Component = serde_json::from_str(json).unwrap();
        assert_eq!(c.attribute(), Some("email"));
        let back = serde_json::to_value(&c).unwrap();
        assert_eq!(back["config"]["required"], true);
        assert_eq!(back["type"], "INPUT");
    }
}
