//! Lays out a step the engine made ready to show (texts resolved, values and errors in
//! place) as what the Askama component templates print: items, and the accessibility
//! wiring between labels, hints, rules and errors.

use crate::engine::{
    ComponentType, ShownComponent, ShownStep, Validation, Variant, autocomplete_for, heading_level,
};

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

/// Flattens a view into items; consecutive buttons share one `actions` row.
pub fn items(step: &ShownStep) -> Vec<Item> {
    let mut out = Vec::new();
    for c in &step.components {
        push(c, step, &mut out);
    }
    out
}

fn push(shown: &ShownComponent, step: &ShownStep, out: &mut Vec<Item>) {
    let c = &shown.component;
    let text = || c.config.text.clone().unwrap_or_default();
    match c.kind {
        ComponentType::Form => {
            out.push(Item::GroupStart { id: c.id.clone() });
            for child in &shown.components {
                push(child, step, out);
            }
            out.push(Item::GroupEnd);
        }
        ComponentType::Typography => {
            let level = heading_level(c);
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
            alt: c.config.alt.clone().unwrap_or_default(),
        }),
        ComponentType::Button => {
            let class = match c.variant {
                Some(Variant::Secondary | Variant::Social) => "button button--secondary",
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
        ComponentType::Input => out.push(input(shown, step)),
    }
}

fn input(shown: &ShownComponent, step: &ShownStep) -> Item {
    let c = &shown.component;
    let attribute = c.attribute().unwrap_or("");
    let error = shown.error.as_ref().map(|e| e.text.clone());
    let hint = c.config.hint.clone().filter(|h| !h.is_empty());
    let is_password = c.variant == Some(Variant::Password);
    let rules = if c.config.validations.contains(&Validation::PasswordPolicy) {
        step.password_rules.clone()
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
    // The engine leaves a secret's value out.
    let value = c.config.default_value.clone().unwrap_or_default();
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
        label: c.config.label.clone().unwrap_or_default(),
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
            .map(|o| (o.value.clone(), o.label.clone(), o.value == value))
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
pub fn summary(step: &ShownStep) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = step
        .all()
        .into_iter()
        .filter_map(|c| Some((c.component.id.clone(), c.error.as_ref()?.text.clone())))
        .collect();
    if let Some(form) = &step.form_error {
        out.push((String::new(), form.text.clone()));
    }
    out
}
