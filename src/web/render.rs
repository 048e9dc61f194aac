//! Lays out a step the engine made ready to show (texts resolved, values and errors in
//! place) as what the Askama component templates print: items, and the accessibility
//! wiring between labels, hints, rules and errors.

use crate::engine::{
    Component, ComponentType, ShownComponent, ShownError, ShownStep, Validation, Variant,
    autocomplete_for, heading_level,
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

/// Flattens a view into items; consecutive buttons share one `actions` row. The components
/// are taken, not copied: their texts move into the items.
pub fn items(components: Vec<ShownComponent>, password_rules: &[String]) -> Vec<Item> {
    let mut out = Vec::new();
    for c in components {
        push(c, password_rules, &mut out);
    }
    out
}

fn push(shown: ShownComponent, password_rules: &[String], out: &mut Vec<Item>) {
    let ShownComponent {
        component: mut c,
        error,
        components,
    } = shown;
    let text = c.config.text.take().unwrap_or_default();
    match c.kind {
        ComponentType::Form => {
            out.push(Item::GroupStart { id: c.id });
            for child in components {
                push(child, password_rules, out);
            }
            out.push(Item::GroupEnd);
        }
        ComponentType::Typography => {
            let level = heading_level(&c);
            if level > 0 {
                out.push(Item::Heading { level, text });
            } else {
                let class = if c.variant == Some(Variant::Body2) {
                    "t-body2"
                } else {
                    "t-body1"
                };
                out.push(Item::Text { class, text });
            }
        }
        ComponentType::RichText => out.push(Item::RichText {
            paragraphs: text
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        }),
        ComponentType::Divider => out.push(Item::Divider),
        ComponentType::Image => out.push(Item::Image {
            src: c.config.src.unwrap_or_default(),
            alt: c.config.alt.unwrap_or_default(),
        }),
        ComponentType::Button => {
            let class = match c.variant {
                Some(Variant::Secondary | Variant::Social) => "button button--secondary",
                Some(Variant::Text) => "button button--text",
                _ => "button button--primary",
            };
            let button = ButtonItem {
                action: c.action_id.unwrap_or(c.id),
                text,
                class,
            };
            match out.last_mut() {
                Some(Item::Actions(buttons)) => buttons.push(button),
                _ => out.push(Item::Actions(vec![button])),
            }
        }
        ComponentType::Input => out.push(input(c, error, password_rules)),
    }
}

fn input(c: Component, error: Option<ShownError>, password_rules: &[String]) -> Item {
    let attribute = c.attribute().unwrap_or("");
    let error = error.map(|e| e.text);
    let hint = c.config.hint.filter(|h| !h.is_empty());
    let is_password = c.variant == Some(Variant::Password);
    let rules = if c.config.validations.contains(&Validation::PasswordPolicy) {
        password_rules.to_vec()
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
    let value = c.config.default_value.unwrap_or_default();
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
    let otp_length = (c.variant == Some(Variant::Otp)).then(|| c.config.length.unwrap_or(6));
    let options = c
        .config
        .options
        .into_iter()
        .map(|o| {
            let chosen = o.value == value;
            (o.value, o.label, chosen)
        })
        .collect();
    let item = InputItem {
        name: attribute.to_owned(),
        html_type,
        label: c.config.label.unwrap_or_default(),
        hint,
        error,
        required: c.config.required,
        autocomplete: autocomplete_for(attribute, c.variant),
        describedby: describedby.join(" "),
        otp_length,
        options,
        rules,
        inputmode: (c.variant == Some(Variant::Otp)).then_some("numeric"),
        maxlength: if is_password { None } else { maxlength },
        id: c.id,
        value,
    };
    match c.variant {
        Some(Variant::Checkbox) => Item::Checkbox(InputItem {
            value: (item.value == "true").to_string(),
            ..item
        }),
        Some(Variant::Dropdown) => Item::Select(item),
        _ => Item::Input(item),
    }
}

/// The error summary: each field error linked to its input, then the form error.
pub fn summary(step: &ShownStep) -> Vec<(String, String)> {
    if !step.has_errors() {
        return Vec::new();
    }
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
