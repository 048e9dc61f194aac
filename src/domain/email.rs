use super::FieldError;
use unicode_normalization::UnicodeNormalization;
use validator::ValidateEmail;

/// An e-mail address as Flows stores and compares it: trimmed, NFKC-normalised, domain
/// lower-cased. The local part keeps its case for display, but accounts are matched on
/// `key()`, so that look-alikes of one address (`Ada@Example.com`, `ａｄａ@example.com`,
/// `ada@ÉXAMPLE.com` and `ada@xn--xample-9ua.com`) cannot hold two accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    address: String,
    key: String,
}

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new("required"));
        }
        // Bounds the work below before any normalisation, which can lengthen the text.
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(FieldError::new("too_long").with("max", Self::MAX_LEN));
        }
        // Characters nobody sees: IDNA would drop some of them silently, so an address
        // with one would look like another on screen, in a log or in the console.
        if trimmed.chars().any(is_hidden) {
            return Err(FieldError::new("invalid_email"));
        }
        // NFKC folds compatibility forms (fullwidth letters, `＠`, ligatures) into the
        // characters they stand for; after it the validator admits only an ASCII local part.
        let normalised: String = trimmed.nfkc().collect();
        let Some((local, domain)) = normalised.rsplit_once('@') else {
            return Err(FieldError::new("invalid_email"));
        };
        let ascii_domain = domain_to_ascii(domain).ok_or(FieldError::new("invalid_email"))?;
        let key = format!("{}@{ascii_domain}", local.to_ascii_lowercase());
        // RFC 5321's bound is on the ASCII form, which punycode can make longer than typed.
        if key.len() > Self::MAX_LEN {
            return Err(FieldError::new("too_long").with("max", Self::MAX_LEN));
        }
        if !key.validate_email() {
            return Err(FieldError::new("invalid_email"));
        }
        // Shown as people write it: an internationalised domain in Unicode, not punycode.
        let (shown_domain, shown) = idna::domain_to_unicode(&ascii_domain);
        let shown_domain = if shown.is_ok() {
            shown_domain
        } else {
            ascii_domain
        };
        Ok(Self {
            address: format!("{local}@{shown_domain}"),
            key,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The form used for uniqueness and look-ups: NFKC, local part lower-cased (it is ASCII
    /// by then), domain in lower-case ASCII (punycode), since people type their own address
    /// in varying case and forms and expect to be recognised. An ASCII address keeps the key
    /// it had when keys were plain lower case, so stored keys stay valid; a stored key with a
    /// non-ASCII domain is re-keyed to its punycode form when the server starts
    /// (`Store::rekey_emails`).
    pub fn key(&self) -> String {
        self.key.clone()
    }
}

/// The domain's ASCII form (IDNA, UTS #46: case-folded, punycode for Unicode labels), or
/// `None` when it is none. An address literal (`[192.0.2.1]`) is left to the validator.
pub fn domain_to_ascii(domain: &str) -> Option<String> {
    if domain.starts_with('[') {
        return Some(domain.to_ascii_lowercase());
    }
    idna::domain_to_ascii(domain).ok()
}

/// Control characters (NUL included), bidirectional controls and marks, and zero-width or
/// otherwise invisible characters.
pub(super) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str) -> String {
        Email::parse(raw).unwrap().key()
    }

    fn refusal(raw: &str) -> &'static str {
        Email::parse(raw).unwrap_err().code
    }

    #[test]
    fn accepts_and_normalises_domain() {
        let e = Email::parse("  Ada@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "Ada@example.com");
        assert_eq!(e.key(), "ada@example.com");
    }

    #[test]
    fn case_variants_share_one_key() {
        assert_eq!(key("Ada@Example.com"), "ada@example.com");
        assert_eq!(key("ADA@EXAMPLE.COM"), "ada@example.com");
    }

    #[test]
    fn fullwidth_and_compatibility_forms_share_the_key_of_their_ascii_form() {
        // Fullwidth A, a fullwidth at sign, a Kelvin sign for K, an ﬀ ligature.
        assert_eq!(key("\u{FF21}da@example.com"), "ada@example.com");
        assert_eq!(key("ada\u{FF20}example.com"), "ada@example.com");
        assert_eq!(key("\u{212A}im@example.com"), "kim@example.com");
        assert_eq!(key("e\u{FB00}ie@example.com"), "effie@example.com");
        assert_eq!(key("ada@\u{FF45}xample.com"), "ada@example.com");
        // What is stored is the normalised form, so a mail goes where the key points.
        assert_eq!(
            Email::parse("\u{FF21}da@example.com").unwrap().as_str(),
            "Ada@example.com"
        );
    }

    #[test]
    fn an_internationalised_domain_has_one_key_in_any_form() {
        let punycode = "ada@xn--xample-9ua.com";
        assert_eq!(key("ada@ÉXAMPLE.com"), punycode);
        assert_eq!(key("ada@éxample.com"), punycode);
        assert_eq!(key("ada@xn--xample-9ua.com"), punycode);
        assert_eq!(key("ada@XN--XAMPLE-9UA.COM"), punycode);
        // Decomposed: e and a combining acute accent.
        assert_eq!(key("ada@e\u{301}xample.com"), punycode);
        // Shown in Unicode, whichever form was typed.
        assert_eq!(
            Email::parse("ada@xn--xample-9ua.com").unwrap().as_str(),
            "ada@éxample.com"
        );
    }

    #[test]
    fn hidden_characters_are_refused() {
        for hidden in [
            '\0', '\u{7}', '\u{1B}', '\u{7F}', '\u{85}', '\u{200B}', '\u{200C}', '\u{200D}',
            '\u{FEFF}', '\u{00AD}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}',
            '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            for raw in [
                format!("a{hidden}da@example.com"),
                format!("ada@exam{hidden}ple.com"),
                format!("ada@example.com{hidden}x"),
            ] {
                assert_eq!(refusal(&raw), "invalid_email", "{raw:?}");
            }
        }
        assert_eq!(
            refusal("ada@example.com\r\nBcc: eve@example.com"),
            "invalid_email"
        );
    }

    #[test]
    fn a_domain_that_is_no_domain_is_refused() {
        for bad in [
            "ada@xn--zz",
            "ada@-example.com",
            "ada@example..com",
            "ada@",
            "@example.com",
            "ada@exa mple.com",
        ] {
            assert_eq!(refusal(bad), "invalid_email", "{bad}");
        }
    }

    #[test]
    fn address_literals_keep_working() {
        assert_eq!(key("Ada@[192.0.2.1]"), "ada@[192.0.2.1]");
    }

    #[test]
    fn rejects_missing_at() {
        assert_eq!(refusal("ada.example.com"), "invalid_email");
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(refusal("   "), "required");
    }

    #[test]
    fn rejects_overlong() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(refusal(&long), "too_long");
        // Within bounds as typed, beyond them once the domain is punycode.
        let labels = vec!["é".repeat(45); 5].join(".");
        let grows = format!("ada@{labels}");
        assert!(grows.chars().count() <= Email::MAX_LEN);
        assert_eq!(refusal(&grows), "too_long");
    }
}
