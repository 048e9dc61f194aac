//! Changing one component's settings from the raw fields of its form (`ComponentPatch`).

use super::components::{check_variant, component_mut, locate, names, unknown_component};
use super::{
    ComponentPatch, DEFAULT_OTP_DIGITS, EditError, OTP_DIGITS, check_new_component_id, check_text,
    component_parts, normalise_newlines, refuse,
};
use crate::engine::graph::FlowDefinition;
use crate::engine::view::{
    Component, ComponentConfig, ComponentType, SelectOption, Validation, Variant,
};
use crate::i18n::Said;

/// The longest attribute name an input may fill.
const MAX_IDENTIFIER: usize = 200;

/// The whole patch checked and turned into values before anything changes.
pub(super) fn update_component(
    def: &mut FlowDefinition,
    step: &str,
    component: &str,
    patch: &ComponentPatch,
) -> Result<Said, EditError> {
    check_patch_text(patch)?;
    let (components, actions) = component_parts(def, step)?;
    let path = locate(components, step, component)?;
    let new_id = match patch.id.as_deref().map(str::trim) {
        Some(id) if id != component => {
            check_new_component_id(components, step, id)?;
            Some(id.to_owned())
        }
        _ => None,
    };
    let Some(target) = component_mut(components, &path) else {
        return Err(unknown_component("component", step, component));
    };
    let old_action = target.button_action().map(str::to_owned);
    if let (Some(id), Some(old), Some(actions)) = (&new_id, &old_action, &actions)
        && actions.iter().any(|a| a.button == *id && a.button != *old)
    {
        return Err(refuse(
            "id",
            "duplicate_action",
            Said::new("ui.edit.duplicate_action")
                .with("step", step)
                .with("id", id),
        ));
    }
    patch_component(target, patch)?;
    if let Some(id) = new_id {
        target.id = id.clone();
        if target.is_button() {
            target.action_id = Some(id.clone());
            if let (Some(old), Some(actions)) = (old_action, actions) {
                for a in actions.iter_mut().filter(|a| a.button == old) {
                    a.button = id.clone();
                }
            }
        }
        return Ok(Said::new("ui.edit.component_saved_as")
            .with("component", component)
            .with("step", step)
            .with("id", id));
    }
    Ok(Said::new("ui.edit.component_saved")
        .with("component", component)
        .with("step", step))
}

fn check_patch_text(patch: &ComponentPatch) -> Result<(), EditError> {
    let fields: [(&'static str, &Option<String>); 15] = [
        ("id", &patch.id),
        ("variant", &patch.variant),
        ("identifier", &patch.identifier),
        ("label", &patch.label),
        ("placeholder", &patch.placeholder),
        ("hint", &patch.hint),
        ("default_value", &patch.default_value),
        ("options", &patch.options),
        ("min_length", &patch.min_length),
        ("max_length", &patch.max_length),
        ("pattern", &patch.pattern),
        ("pattern_message", &patch.pattern_message),
        ("text", &patch.text),
        ("length", &patch.length),
        ("src", &patch.src),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            check_text(field, value)?;
        }
    }
    if let Some(alt) = &patch.alt {
        check_text("alt", alt)?;
    }
    Ok(())
}

/// Applies what the patch carries and the component's type uses; the rest is ignored.
fn patch_component(c: &mut Component, patch: &ComponentPatch) -> Result<(), EditError> {
    if let Some(name) = patch.variant.as_deref() {
        c.variant = parse_variant(c.kind, name)?;
    }
    let config = &mut c.config;
    match c.kind {
        ComponentType::Input => {
            patch_input(config, c.variant, patch)?;
        }
        ComponentType::Button | ComponentType::Typography | ComponentType::RichText => {
            set_text(&mut config.text, patch.text.as_deref());
        }
        ComponentType::Image => {
            if let Some(src) = patch.src.as_deref() {
                check_src(src.trim())?;
            }
            set_text(&mut config.src, patch.src.as_deref().map(str::trim));
            set_text(&mut config.alt, patch.alt.as_deref());
        }
        ComponentType::Form | ComponentType::Divider => {}
    }
    Ok(())
}

fn parse_variant(kind: ComponentType, name: &str) -> Result<Option<Variant>, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return if kind.variants().is_empty() {
            Ok(None)
        } else {
            Err(refuse(
                "variant",
                "bad_variant",
                Said::new("ui.edit.variant_needed")
                    .with("kind", kind.as_name())
                    .with("variants", names(kind.variants())),
            ))
        };
    }
    let Some(variant) = Variant::from_name(name) else {
        return Err(refuse(
            "variant",
            "bad_variant",
            Said::new("ui.edit.no_such_variant").with("variant", name),
        ));
    };
    check_variant("variant", kind, Some(variant))?;
    Ok(Some(variant))
}

fn patch_input(
    config: &mut ComponentConfig,
    variant: Option<Variant>,
    patch: &ComponentPatch,
) -> Result<(), EditError> {
    if let Some(identifier) = patch.identifier.as_deref() {
        let identifier = identifier.trim();
        if identifier.is_empty() {
            return Err(refuse(
                "identifier",
                "required",
                Said::new("ui.edit.identifier_required"),
            ));
        }
        if identifier.chars().any(char::is_whitespace) || identifier.len() > MAX_IDENTIFIER {
            return Err(refuse(
                "identifier",
                "invalid_identifier",
                Said::new("ui.edit.invalid_identifier").with("max", MAX_IDENTIFIER),
            ));
        }
        config.identifier = Some(identifier.to_owned());
    }
    set_text(&mut config.label, patch.label.as_deref());
    set_text(&mut config.placeholder, patch.placeholder.as_deref());
    set_text(&mut config.hint, patch.hint.as_deref());
    if let Some(required) = patch.required {
        config.required = required;
    }

    if variant == Some(Variant::Dropdown) {
        if let Some(options) = patch.options.as_deref() {
            config.options = parse_options(options)?;
        }
    } else {
        // Only a drop-down offers options; left over from a variant change they would be noise.
        config.options.clear();
    }

    if variant == Some(Variant::Otp) {
        if let Some(length) = patch.length.as_deref() {
            config.length = Some(parse_otp_length(length)?);
        }
        config.length.get_or_insert(DEFAULT_OTP_DIGITS);
    } else {
        config.length = None;
    }

    if matches!(variant, Some(Variant::Password | Variant::Otp)) {
        // Secrets are never echoed into a page, so a default would never show.
        config.default_value = None;
    } else {
        set_text(&mut config.default_value, patch.default_value.as_deref());
    }

    patch_rules(&mut config.validations, patch)
}

fn patch_rules(rules: &mut Vec<Validation>, patch: &ComponentPatch) -> Result<(), EditError> {
    let min = match patch.min_length.as_deref() {
        Some(raw) => parse_count("min_length", raw)?,
        None => rules.iter().find_map(|r| match r {
            Validation::MinLength { value } => Some(*value),
            _ => None,
        }),
    };
    let max = match patch.max_length.as_deref() {
        Some(raw) => parse_count("max_length", raw)?,
        None => rules.iter().find_map(|r| match r {
            Validation::MaxLength { value } => Some(*value),
            _ => None,
        }),
    };
    if max == Some(0) {
        return Err(refuse(
            "max_length",
            "out_of_range",
            Said::new("ui.edit.max_length_zero"),
        ));
    }
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(refuse(
            "min_length",
            "min_above_max",
            Said::new("ui.edit.min_above_max")
                .with("min", min)
                .with("max", max),
        ));
    }
    let old_regex = rules.iter().find_map(|r| match r {
        Validation::Regex { pattern, message } => Some((pattern.clone(), message.clone())),
        _ => None,
    });
    let pattern = match patch.pattern.as_deref() {
        Some(raw) if raw.trim().is_empty() => None,
        Some(raw) => {
            // Checked as the engine will match it: anchored to the whole value.
            if let Err(e) = regex::Regex::new(&format!("^(?:{raw})$")) {
                return Err(refuse(
                    "pattern",
                    "bad_pattern",
                    Said::new("ui.edit.bad_pattern").with("why", last_line(&e.to_string())),
                ));
            }
            Some(raw.to_owned())
        }
        None => old_regex.as_ref().map(|(p, _)| p.clone()),
    };
    let message = match patch.pattern_message.as_deref() {
        Some(raw) => Some(raw.trim())
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        None => old_regex.and_then(|(_, m)| m),
    };
    let policy = patch
        .password_policy
        .unwrap_or_else(|| rules.contains(&Validation::PasswordPolicy));

    set_rule(
        rules,
        |r| matches!(r, Validation::MinLength { .. }),
        min.map(|value| Validation::MinLength { value }),
    );
    set_rule(
        rules,
        |r| matches!(r, Validation::MaxLength { .. }),
        max.map(|value| Validation::MaxLength { value }),
    );
    set_rule(
        rules,
        |r| matches!(r, Validation::Regex { .. }),
        pattern.map(|pattern| Validation::Regex { pattern, message }),
    );
    set_rule(
        rules,
        |r| *r == Validation::PasswordPolicy,
        policy.then_some(Validation::PasswordPolicy),
    );
    Ok(())
}

/// Replaces the rule of one kind where it stands (the first failing rule is the one shown),
/// appends it if new, or removes it.
fn set_rule(
    rules: &mut Vec<Validation>,
    is_kind: impl Fn(&Validation) -> bool,
    rule: Option<Validation>,
) {
    match (rules.iter().position(&is_kind), rule) {
        (Some(at), Some(rule)) => {
            if let Some(slot) = rules.get_mut(at) {
                *slot = rule;
            }
            let mut seen = false;
            rules.retain(|r| {
                let duplicate = seen && is_kind(r);
                seen |= is_kind(r);
                !duplicate
            });
        }
        (None, Some(rule)) => rules.push(rule),
        (_, None) => rules.retain(|r| !is_kind(r)),
    }
}

fn parse_count(field: &'static str, raw: &str) -> Result<Option<usize>, EditError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        refuse(
            field,
            "not_a_number",
            Said::new("ui.edit.not_a_count").with("raw", raw),
        )
    })
}

fn parse_otp_length(raw: &str) -> Result<u8, EditError> {
    let raw = raw.trim();
    let digits: u8 = raw.parse().map_err(|_| {
        refuse(
            "length",
            "not_a_number",
            Said::new("ui.edit.not_digits").with("raw", raw),
        )
    })?;
    if !OTP_DIGITS.contains(&digits) {
        return Err(refuse(
            "length",
            "out_of_range",
            Said::new("ui.edit.otp_digits")
                .with("min", OTP_DIGITS.start())
                .with("max", OTP_DIGITS.end()),
        ));
    }
    Ok(digits)
}

fn parse_options(raw: &str) -> Result<Vec<SelectOption>, EditError> {
    let mut options: Vec<SelectOption> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (value, label) = match line.split_once('|') {
            Some((value, label)) => (value.trim(), label.trim()),
            None => (line, line),
        };
        if value.is_empty() {
            return Err(refuse(
                "options",
                "bad_option",
                Said::new("ui.edit.bad_option").with("line", line),
            ));
        }
        if options.iter().any(|o| o.value == value) {
            return Err(refuse(
                "options",
                "duplicate_option",
                Said::new("ui.edit.duplicate_option").with("value", value),
            ));
        }
        options.push(SelectOption {
            value: value.to_owned(),
            label: if label.is_empty() { value } else { label }.to_owned(),
        });
    }
    Ok(options)
}

/// Images load from the web or from this server; other schemes (`javascript:`, `data:`) are
/// refused rather than trusted to the browser.
fn check_src(src: &str) -> Result<(), EditError> {
    let fine = src.is_empty()
        || src.starts_with("https://")
        || src.starts_with("http://")
        || (src.starts_with('/') && !src.starts_with("//"));
    if fine {
        Ok(())
    } else {
        Err(refuse("src", "bad_src", Said::new("ui.edit.bad_src")))
    }
}

/// `Some("")` (or blanks) clears, other text replaces, `None` leaves the value.
fn set_text(slot: &mut Option<String>, raw: Option<&str>) {
    if let Some(raw) = raw {
        *slot = Some(normalise_newlines(raw)).filter(|t| !t.trim().is_empty());
    }
}

/// The regex crate puts the pattern and a caret first and the reason last.
fn last_line(s: &str) -> &str {
    s.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
}
