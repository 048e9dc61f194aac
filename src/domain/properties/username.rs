use super::{config, fullwidth, hostile_text};
use crate::domain::username_key;
use proptest::prelude::*;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_key_is_its_own_key_and_holds_nothing_hidden(raw in hostile_text()) {
        let key = username_key(&raw);
        prop_assert_eq!(username_key(&key), key.clone());
        prop_assert_eq!(key.trim(), key.as_str());
        let hidden = key.chars().any(|c| matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{202E}' | '\u{00AD}'));
        prop_assert!(!hidden, "{:?}", key);
    }

    #[test]
    fn case_and_fullwidth_spellings_share_the_key(name in "[a-zA-Z0-9_.-]{1,24}") {
        let key = username_key(&name);
        prop_assert_eq!(username_key(&name.to_uppercase()), key.clone());
        prop_assert_eq!(username_key(&fullwidth(&name)), key.clone());
        prop_assert_eq!(username_key(&format!(" {name}\u{200B}")), key);
    }
}
