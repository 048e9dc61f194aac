use super::FieldError;
use validator::ValidateEmail;

/// An e-mail address as Flows stores and compares it: trimmed, domain lower-cased.
/// The local part keeps its case for display, but accounts are matched on `key()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new("required"));
        }
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(FieldError::new("too_long").with("max", Self::MAX_LEN));
        }
        if !trimmed.validate_email() {
            return Err(FieldError::new("invalid_email"));
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(FieldError::new("invalid_email"));
        };
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for uniqueness and look-ups: whole address lower-cased, since
    /// people type their own address in varying case and expect to be recognised.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_domain() {
        let e = Email::parse("  Ada@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "Ada@example.com");
        assert_eq!(e.key(), "ada@example.com");
    }

    #[test]
    fn rejects_missing_at() {
        assert_eq!(
            Email::parse("ada.example.com").unwrap_err().code,
            "invalid_email"
        );
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(Email::parse("   ").unwrap_err().code, "required");
    }

    #[test]
    fn rejects_overlong() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long).unwrap_err().code, "too_long");
    }
}
