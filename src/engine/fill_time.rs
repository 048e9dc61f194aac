//! Forms sent back faster than a person could type them. Autofill, password managers and a
//! code pasted from the mail are all that fast, so a quick form is never refused: where a
//! bot would gain something it is held once (shown again with what was typed), elsewhere it
//! simply goes through. Pages and APIs both ask this module, so the rule is written once.

use super::inputs::Inputs;
use super::view::{Component, Variant, flatten};
use crate::domain::Execution;
use std::collections::HashMap;

/// Whether a quick post of a view's form is worth holding back. A bot gains something only
/// before the address is proven: an account, or a mail sent to anyone it names. A view that
/// checks what the person already received (a code), and every view after a code, a link or
/// an invitation proved the address, is never held.
pub fn applies(execution: &Execution, components: &[Component]) -> bool {
    let proven = execution.attribute("email_verified") == Some("true");
    let checks_a_code = flatten(components)
        .iter()
        .any(|c| c.is_input() && c.variant == Some(Variant::Otp));
    !proven && !checks_a_code
}

/// What a held form shows again: every non-secret value as typed. Passwords and codes are
/// never sent back to the browser.
pub fn kept_values(components: &[Component], inputs: &Inputs) -> HashMap<String, String> {
    flatten(components)
        .into_iter()
        .filter(|c| c.is_input() && !c.is_secret())
        .filter_map(|c| {
            let attribute = c.attribute()?;
            Some((attribute.to_owned(), inputs.plain(attribute)?.to_owned()))
        })
        .collect()
}

/// Counts each quick form by what became of it, so an operator can see whether the check
/// costs people anything.
pub fn count(outcome: &'static str) {
    metrics::counter!("flows_form_too_fast_total", "outcome" => outcome).increment(1);
}
