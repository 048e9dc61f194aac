//! Turns the engine's view schema into what the Askama component templates print: texts
//! resolved from the catalogue, values, errors and accessibility wiring.

use crate::domain::FieldError;
use crate::engine::{Component, ComponentType, FieldErrors, Validation, Variant, autocomplete_for};
use crate::i18n::Tr;
use std::collections::HashMap;

pub struct InputItem {
    pub id: String,
    pub name: String,
    pub html_type: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub value: String,
    pub required: bool,
    pub autocomplete: &'static str,
    pub describedby: String,
    pub otp_length: Option<u8>,
    pub options: Vec<(String, String, bool)>,
    pub rules: Vec<String>,
    pub inputmode: Option<&'static str>,
    pub maxlength: Option<usize>,
}

pub struct ButtonItem {
    pub action: String,
    pub text: String,
    pub class: &'static str,
}

pub enum Item {
    Heading { level: u8, text: String },
    Text { class: &'static str, text: String },
    RichText { paragraphs: Vec<String> },
    Divider,
    Image { src: String, alt: String },
    GroupStart { id: String },
    GroupEnd,
    Input(InputItem),
    Checkbox(InputItem),
    Select(InputItem),
    Actions(Vec<ButtonItem>),
}

pub fn error_text(tr: &Tr, error: &FieldError) -> String {
    let args: Vec<(&str, String)> = error.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    tr.t_args(&format!("error.{}", error.code), &args)
}

/// Lifetimes are configurable, so texts name them through placeholders (`{otp_minutes}`,
/// `{ $link_minutes }`): both front ends add them to what a step's texts may show.
pub fn add_lifetimes(
    attributes: &mut HashMap<String, String>,
    settings: &crate::engine::EngineSettings,
    flow_type: crate::engine::FlowType,
) {
    attributes.insert(
        "otp_minutes".into(),
        settings.otp_lifetime.whole_minutes().to_string(),
    );
    let link_lifetime = if flow_type == crate::engine::FlowType::PasswordRecovery {
        settings.recovery_link_lifetime
    } else {
        settings.link_lifetime
    };
    attributes.insert(
        "link_minutes".into(),
        link_lifetime.whole_minutes().to_string(),
    );
    attributes.insert("otp_digits".into(), settings.otp_digits.to_string());
}

pub struct RenderContext<'a> {
    pub tr: &'a Tr,
    pub attributes: &'a HashMap<String, String>,
    pub errors: &'a FieldErrors,
    pub password_rules: Vec<String>,
}

impl RenderContext<'_> {
    fn text(&self, raw: Option<&str>) -> String {
        raw.map(|r| self.tr.text(r, |name| self.attributes.get(name).cloned()))
            .unwrap_or_default()
    }
}

/// Flattens a view into items; consecutive buttons share one `actions` row.
pub fn items(components: &[Component], ctx: &RenderContext<'_>) -> Vec<Item> {
    let mut out = Vec::new();
    for c in components {
        push(c, ctx, &mut out);
    }
    out
}

fn push(c: &Component, ctx: &RenderContext<'_>, out: &mut Vec<Item>) {
    let text = || ctx.text(c.config.text.as_deref());
    match c.kind {
        ComponentType::Form => {
            out.push(Item::GroupStart { id: c.id.clone() });
            for child in &c.components {
                push(child, ctx, out);
            }
            out.push(Item::GroupEnd);
        }
        ComponentType::Typography => {
            let level = match c.variant {
                Some(Variant::H1) => 1,
                Some(Variant::H2) => 2,
                Some(Variant::H3) => 3,
                Some(Variant::H4) => 4,
                Some(Variant::H5) => 5,
                Some(Variant::H6) => 6,
                _ => 0,
            };
            if level > 0 {
                out.push(Item::Heading {
                    level,
                    text: text(),
                });
            } else {
                let class = if c.variant == Some(Variant::Body2) {
                    "t-body2"
                } else {
                    "t-body1"
                };
                out.push(Item::Text {
                    class,
                    text: text(),
                });
            }
        }
        // Admin-authored rich text is shown as plain paragraphs: no markup reaches the page.
        ComponentType::RichText => out.push(Item::RichText {
            paragraphs: text()
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        }),
        ComponentType::Divider => out.push(Item::Divider),
        ComponentType::Image => out.push(Item::Image {
            src: c.config.src.clone().unwrap_or_default(),
            alt: ctx.text(c.config.alt.as_deref()),
        }),
        ComponentType::Button => {
            let class = match c.variant {
                Some(Variant::Secondary) => "button button--secondary",
                Some(Variant::Text) => "button button--text",
                _ => "button button--primary",
            };
            let button = ButtonItem {
                action: c.button_action().unwrap_or(&c.id).to_owned(),
                text: text(),
                class,
            };
            match out.last_mut() {
                Some(Item::Actions(buttons)) => buttons.push(button),
                _ => out.push(Item::Actions(vec![button])),
            }
        }
        ComponentType::Input => out.push(input(c, ctx)),
    }
}

fn input(c: &Component, ctx: &RenderContext<'_>) -> Item {
    let attribute = c.attribute().unwrap_or("");
    let error = ctx.errors.get(attribute).map(|e| error_text(ctx.tr, e));
    let hint = c
        .config
        .hint
        .as_deref()
        .map(|h| ctx.text(Some(h)))
        .filter(|h| !h.is_empty());
    let is_password = c.variant == Some(Variant::Password);
    let rules = if c.config.validations.contains(&Validation::PasswordPolicy) {
        ctx.password_rules.clone()
    } else {
        vec![]
    };
    let mut describedby = Vec::new();
    if hint.is_some() {
        describedby.push(format!("{}-hint", c.id));
    }
    if !rules.is_empty() {
        describedby.push(format!("{}-rules", c.id));
    }
    if error.is_some() {
        describedby.push(format!("{}-error", c.id));
    }
    // Secrets are never echoed back into a page.
    let value = if c.is_secret() {
        String::new()
    } else {
        ctx.attributes
            .get(attribute)
            .cloned()
            .or_else(|| c.config.default_value.clone())
            .unwrap_or_default()
    };
    let html_type = match c.variant {
        Some(Variant::Password) => "password",
        Some(Variant::Email) => "email",
        Some(Variant::Telephone) => "tel",
        Some(Variant::Number) => "number",
        Some(Variant::Date) => "date",
        Some(Variant::Checkbox) => "checkbox",
        _ => "text",
    };
    let maxlength = c.config.validations.iter().find_map(|v| match v {
        Validation::MaxLength { value } => Some(*value),
        _ => None,
    });
    let item = InputItem {
        id: c.id.clone(),
        name: attribute.to_owned(),
        html_type,
        label: ctx.text(c.config.label.as_deref()),
        hint,
        error,
        value: value.clone(),
        required: c.config.required,
        autocomplete: autocomplete_for(attribute, c.variant),
        describedby: describedby.join(" "),
        otp_length: (c.variant == Some(Variant::Otp)).then(|| c.config.length.unwrap_or(6)),
        options: c
            .config
            .options
            .iter()
            .map(|o| (o.value.clone(), ctx.text(Some(&o.label)), o.value == value))
            .collect(),
        rules,
        inputmode: (c.variant == Some(Variant::Otp)).then_some("numeric"),
        maxlength: if is_password { None } else { maxlength },
    };
    match c.variant {
        Some(Variant::Checkbox) => Item::Checkbox(InputItem {
            value: (value == "true").to_string(),
            ..item
        }),
        Some(Variant::Dropdown) => Item::Select(item),
        _ => Item::Input(item),
    }
}

/// The error summary: each field error linked to its input, then the form error.
pub fn summary(components: &[Component], errors: &FieldErrors, tr: &Tr) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = crate::engine::flatten(components)
        .into_iter()
        .filter(|c| c.is_input())
        .filter_map(|c| {
            let e = errors.get(c.attribute()?)?;
            Some((c.id.clone(), error_text(tr, e)))
        })
        .collect();
    if let Some(form) = &errors.form {
        out.push((String::new(), error_text(tr, form)));
    }
    out
}
