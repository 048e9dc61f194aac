use super::email::is_hidden;
use unicode_normalization::UnicodeNormalization;

/// The form of a username used for uniqueness and look-ups, as an e-mail address has its
/// key: people type their own name in varying case and forms and expect to be recognised,
/// and two accounts must not hold names that read the same (`Ada`, `ADA`, `Ａda`, `ada` with
/// a zero-width space). Invisible characters dropped, NFKC, lower-cased, NFKC again since
/// lower-casing can leave a sequence that composes, and trimmed. The name itself is kept as
/// typed for display.
pub fn username_key(raw: &str) -> String {
    let visible: String = raw.chars().filter(|c| !is_hidden(*c)).collect();
    let folded: String = visible.nfkc().collect::<String>().to_lowercase();
    // Trimmed last: NFKC turns a no-break space into a space.
    folded.nfkc().collect::<String>().trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::username_key;

    #[test]
    fn look_alikes_share_one_key() {
        for raw in [
            "ada",
            "Ada",
            "ADA",
            "  ada ",
            "\u{FF21}da",                  // fullwidth A
            "a\u{200B}da",                 // zero-width space
            "\u{FEFF}ada",                 // byte order mark
            "a\u{00AD}da",                 // soft hyphen
            "ad\u{202E}a",                 // right-to-left override
            "\u{1D41A}\u{1D41D}\u{1D41A}", // mathematical bold small letters
        ] {
            assert_eq!(username_key(raw), "ada", "{raw:?}");
        }
    }

    #[test]
    fn composed_and_decomposed_accents_share_one_key() {
        assert_eq!(username_key("Zoë"), username_key("Zoe\u{0308}"));
        assert_eq!(username_key("ZOË"), "zoë");
        // The Kelvin sign and the ligature fold to the letters they stand for.
        assert_eq!(username_key("\u{212A}im"), "kim");
        assert_eq!(username_key("\u{FB00}y"), "ffy");
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(username_key("ada"), username_key("ada1"));
        assert_ne!(username_key("ada.l"), username_key("adal"));
        assert_ne!(username_key("zoë"), username_key("zoe"));
    }

    #[test]
    fn a_key_is_its_own_key() {
        for raw in ["Ada", "ǅemal", "İstanbul", "ΣΊΣΥΦΟΣ", "ﬃ", "Straße"] {
            let key = username_key(raw);
            assert_eq!(username_key(&key), key, "{raw:?}");
        }
    }
}
