use super::{config, fullwidth, hostile_text};
use crate::domain::Email;
use proptest::prelude::*;

const CODES: &[&str] = &["required", "too_long", "invalid_email"];

const HIDDEN: &[char] = &[
    '\0', '\u{1}', '\u{7F}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{FEFF}', '\u{202A}',
    '\u{202E}', '\u{2066}', '\u{2069}',
];

/// Addresses people really type: ASCII local parts, domains with now and then an
/// internationalised label, in any case.
fn plausible_address() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        3 => "[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?",
        1 => "[a-zA-Zéüßäöñ]{1,8}",
    ];
    (
        "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\\.[a-zA-Z0-9_+-]{1,10})?",
        proptest::collection::vec(label, 1..3),
        "(com|org|de|fr|example|COM)",
    )
        .prop_map(|(local, labels, tld)| format!("{local}@{}.{tld}", labels.join(".")))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn never_panics_and_refuses_with_a_known_code(raw in hostile_text()) {
        if let Err(e) = Email::parse(&raw) {
            prop_assert!(CODES.contains(&e.code), "{}", e.code);
        }
    }

    #[test]
    fn accepted_addresses_are_bounded_and_keys_plain(raw in prop_oneof![hostile_text(), plausible_address()]) {
        if let Ok(email) = Email::parse(&raw) {
            let key = email.key();
            prop_assert!(key.len() <= Email::MAX_LEN);
            prop_assert!(key.is_ascii(), "{key}");
            prop_assert_eq!(&key, &key.to_lowercase());
            prop_assert!(!email.as_str().chars().any(|c| c.is_control() || c.is_whitespace()));
            prop_assert!(email.as_str().contains('@'));
        }
    }

    #[test]
    fn parsing_again_changes_nothing(raw in plausible_address()) {
        let email = Email::parse(&raw).map_err(|e| TestCaseError::reject(e.code))?;
        prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        let by_key = Email::parse(&email.key()).map_err(|e| TestCaseError::fail(e.code))?;
        prop_assert_eq!(by_key.key(), email.key());
    }

    #[test]
    fn look_alikes_share_the_key(raw in plausible_address()) {
        let email = Email::parse(&raw).map_err(|e| TestCaseError::reject(e.code))?;
        for variant in [
            raw.to_uppercase(),
            raw.to_lowercase(),
            fullwidth(&raw),
            format!("  {raw}\t"),
        ] {
            // Upper-casing `ß` gives `SS`: another domain, so another key, rightly.
            if raw.contains('ß') && variant != fullwidth(&raw) {
                continue;
            }
            let same = Email::parse(&variant).map_err(|e| TestCaseError::fail(format!("{variant}: {}", e.code)))?;
            prop_assert_eq!(same.key(), email.key(), "{}", variant);
        }
    }

    #[test]
    fn a_hidden_character_anywhere_is_refused(
        raw in plausible_address(),
        at in any::<prop::sample::Index>(),
        hidden in prop::sample::select(HIDDEN),
    ) {
        let mut chars: Vec<char> = raw.chars().collect();
        // Inside, not at either end, where trimming would remove whitespace-like controls.
        let at = 1 + at.index(chars.len().max(2) - 1);
        chars.insert(at.min(chars.len() - 1), hidden);
        let with_hidden: String = chars.into_iter().collect();
        prop_assert_eq!(Email::parse(&with_hidden).map_err(|e| e.code), Err("invalid_email"));
    }
}
