use super::FieldError;
use crate::i18n::Said;
use std::collections::HashSet;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

/// Shipped blocklist (see common-passwords.NOTICE for provenance and licence).
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .map(str::trim)
        .collect()
});

/// NIST SP 800-63B §5.1.1.2: length bounds and a blocklist, no composition rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordPolicy {
    pub min_length: usize,
    pub max_length: usize,
    pub block_common: bool,
    /// Refuse a password that is the person's e-mail, its local part, username or name.
    pub check_personal: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            max_length: 128,
            block_common: true,
            check_personal: true,
        }
    }
}

/// A rule the policy enforces, listed to people before they type (the hint under the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordRule {
    MinLength(usize),
    MaxLength(usize),
    NotCommon,
    NotPersonal,
}

impl PasswordPolicy {
    /// The policy never lowers the NIST floor of 8 nor caps below 64.
    pub fn normalised(mut self) -> Self {
        self.min_length = self.min_length.max(8);
        self.max_length = self.max_length.max(64).max(self.min_length);
        self
    }

    /// The policy an owner typed, or why a bound is refused (field, message): the NIST
    /// floors of 8 and 64 are not the owner's to lower.
    pub fn from_typed(
        min: &str,
        max: &str,
        block_common: bool,
        check_personal: bool,
    ) -> Result<Self, Vec<(&'static str, Said)>> {
        let mut errors = Vec::new();
        let mut bound = |typed: &str, field: &'static str, range: RangeInclusive<usize>| {
            let n = typed.trim().parse().ok().filter(|n| range.contains(n));
            if n.is_none() {
                let (from, to) = range.into_inner();
                let refusal = Said::new("ui.refusal.whole_number")
                    .with("min", from)
                    .with("max", to);
                errors.push((field, refusal));
            }
            n
        };
        let min = bound(min, "min_length", 8..=64);
        let max = bound(max, "max_length", 64..=1024);
        match (min, max) {
            (Some(min_length), Some(max_length)) if errors.is_empty() => Ok(Self {
                min_length,
                max_length,
                block_common,
                check_personal,
            }),
            _ => Err(errors),
        }
    }

    pub fn rules(&self) -> Vec<PasswordRule> {
        let mut rules = vec![
            PasswordRule::MinLength(self.min_length),
            PasswordRule::MaxLength(self.max_length),
        ];
        if self.block_common {
            rules.push(PasswordRule::NotCommon);
        }
        if self.check_personal {
            rules.push(PasswordRule::NotPersonal);
        }
        rules
    }

    /// Checks a candidate against the policy. `personal` holds values the password must not
    /// equal or merely wrap (e-mail, its local part, username, names).
    pub fn check(&self, candidate: &str, personal: &[&str]) -> Result<(), FieldError> {
        if candidate.is_empty() {
            return Err(FieldError::new("required"));
        }
        // Count characters, not bytes: NIST counts each Unicode character as one.
        let len = candidate.chars().count();
        if len < self.min_length {
            return Err(FieldError::new("password_too_short").with("min", self.min_length));
        }
        if len > self.max_length {
            return Err(FieldError::new("password_too_long").with("max", self.max_length));
        }
        let lowered = candidate.to_lowercase();
        if self.block_common && is_common(&lowered) {
            return Err(FieldError::new("password_common"));
        }
        let personal = if self.check_personal { personal } else { &[] };
        for value in personal
            .iter()
            .map(|v| v.trim().to_lowercase())
            .filter(|v| v.len() >= 3)
        {
            let local = value.split('@').next().unwrap_or(&value);
            if lowered == value || (local.len() >= 3 && lowered == local) {
                return Err(FieldError::new("password_personal"));
            }
        }
        Ok(())
    }
}

fn is_common(lowered: &str) -> bool {
    if COMMON_PASSWORDS.contains(lowered) {
        return true;
    }
    // "password1!" is as weak as "password": strip a short run of trailing digits/symbols.
    let stem = lowered.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    stem.len() >= 6 && stem.len() + 3 >= lowered.len() && COMMON_PASSWORDS.contains(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> PasswordPolicy {
        PasswordPolicy::default()
    }

    #[test]
    fn accepts_a_long_passphrase_without_composition_rules() {
        assert!(policy().check("correct horse battery staple", &[]).is_ok());
    }

    #[test]
    fn refuses_short() {
        assert_eq!(
            policy().check("abc12", &[]).unwrap_err().code,
            "password_too_short"
        );
    }

    #[test]
    fn refuses_too_long() {
        let long = "x".repeat(129);
        assert_eq!(
            policy().check(&long, &[]).unwrap_err().code,
            "password_too_long"
        );
    }

    #[test]
    fn allows_at_least_64() {
        let p = PasswordPolicy {
            max_length: 10,
            ..policy()
        }
        .normalised();
        assert!(p.check(&"Zq9!".repeat(16), &[]).is_ok());
    }

    #[test]
    fn refuses_blocklisted_in_any_case() {
        assert_eq!(
            policy().check("PassWord123", &[]).unwrap_err().code,
            "password_common"
        );
        assert_eq!(
            policy().check("qwertyuiop", &[]).unwrap_err().code,
            "password_common"
        );
        assert_eq!(
            policy().check("password1!", &[]).unwrap_err().code,
            "password_common"
        );
    }

    #[test]
    fn refuses_email_or_its_local_part() {
        let personal = ["ada.lovelace@example.com"];
        assert_eq!(
            policy()
                .check("Ada.Lovelace@example.com", &personal)
                .unwrap_err()
                .code,
            "password_personal"
        );
        assert_eq!(
            policy().check("ada.lovelace", &personal).unwrap_err().code,
            "password_personal"
        );
    }

    #[test]
    fn typed_bounds_never_go_below_the_nist_floors() {
        let p = PasswordPolicy::from_typed("12", "200", false, true).unwrap();
        assert_eq!(
            (p.min_length, p.max_length, p.block_common),
            (12, 200, false)
        );
        let refused = PasswordPolicy::from_typed("7", "63", true, true).unwrap_err();
        assert_eq!(
            refused.iter().map(|e| e.0).collect::<Vec<_>>(),
            ["min_length", "max_length"]
        );
        assert_eq!(refused[0].1.english(), "Enter a whole number from 8 to 64.");
        assert_eq!(
            refused[1].1.english(),
            "Enter a whole number from 64 to 1024."
        );
        for (_, said) in &refused {
            assert!(said.faults().is_empty(), "{:?}", said.faults());
        }
        assert!(PasswordPolicy::from_typed("x", "", true, true).is_err());
    }

    #[test]
    fn personal_checks_can_be_turned_off() {
        let p = PasswordPolicy {
            check_personal: false,
            ..policy()
        };
        assert!(
            p.check("ada.lovelace", &["ada.lovelace@example.com"])
                .is_ok()
        );
        assert!(!p.rules().contains(&PasswordRule::NotPersonal));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(policy().check("ééééééééé", &[]).is_ok());
    }

    #[test]
    fn blocklist_is_loaded() {
        assert!(COMMON_PASSWORDS.len() > 19_000);
    }
}
