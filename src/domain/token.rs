use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::{Rng, RngExt};
use sha2::{Digest, Sha256};

/// A link token: 256 random bits, shown once (in an e-mail), stored only as its SHA-256.
/// No `Debug` on purpose, so it cannot slip into a log line.
pub struct LinkToken(String);

impl LinkToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    /// Hash of a token that came back from a person, without keeping the raw value around.
    pub fn hash_of(raw: &str) -> String {
        sha256_hex(raw.trim().as_bytes())
    }
}

/// A bearer token of the flow management API: `flows_` and 256 random bits in base64url
/// (49 characters). The prefix makes a leaked one recognisable (secret scanners, logs); the
/// token is shown once and stored only as its SHA-256. No `Debug`, like `LinkToken`.
pub struct ApiToken(String);

impl ApiToken {
    pub const PREFIX: &'static str = "flows_";

    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(format!("{}{}", Self::PREFIX, URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }

    /// A token's name appears in the audit log as `token:NAME` and in the CLI's arguments:
    /// 1 to 64 letters, digits, `.`, `_` or `-`. The refusal says so in words.
    pub fn check_name(name: &str) -> Result<(), crate::i18n::Said> {
        let fits = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if fits {
            Ok(())
        } else {
            Err(crate::i18n::Said::new("ui.refusal.token_name"))
        }
    }

    /// Hash of a presented token; `None` when it cannot be one of ours (no database look-up
    /// is needed to refuse it).
    pub fn hash_of(raw: &str) -> Option<String> {
        let raw = raw.trim();
        let rest = raw.strip_prefix(Self::PREFIX)?;
        let plausible = rest.len() == 43
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        plausible.then(|| sha256_hex(raw.as_bytes()))
    }
}

/// A short numeric one-time code. Low entropy, so it is stored as an HMAC keyed by a
/// server secret and bound to its execution, and guesses are counted server-side.
pub struct OtpCode(String);

impl OtpCode {
    pub fn generate(digits: u32) -> Self {
        let digits = digits.clamp(4, 10);
        let max = 10u64.pow(digits);
        let n = rand::rng().random_range(0..max);
        Self(format!("{n:0width$}", width = digits as usize))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_are_long_and_distinct() {
        let a = LinkToken::generate();
        let b = LinkToken::generate();
        assert_eq!(a.expose().len(), 43);
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.hash(), LinkToken::hash_of(a.expose()));
        assert_ne!(a.hash(), a.expose());
    }

    #[test]
    fn api_tokens_are_prefixed_long_and_stored_as_hashes() {
        let a = ApiToken::generate();
        let b = ApiToken::generate();
        assert!(a.expose().starts_with("flows_"));
        assert_eq!(a.expose().len(), 6 + 43);
        assert_ne!(a.expose(), b.expose());
        assert_eq!(Some(a.hash()), ApiToken::hash_of(a.expose()));
        assert_eq!(a.hash().len(), 64);
        assert_eq!(ApiToken::hash_of("flows_short"), None);
        assert_eq!(ApiToken::hash_of(&a.expose()[6..]), None);
        assert_eq!(ApiToken::hash_of(&format!("{}!", &a.expose()[..48])), None);
        assert!(ApiToken::check_name("ci-deploy_2.x").is_ok());
        for bad in ["", "with space", "é", &"x".repeat(65)] {
            let said = ApiToken::check_name(bad).unwrap_err();
            assert!(said.faults().is_empty(), "{bad}: {:?}", said.faults());
            assert_eq!(
                said.english(),
                "a token name is 1 to 64 letters, digits, dots, underscores or hyphens"
            );
        }
    }

    #[test]
    fn otp_codes_have_requested_digits() {
        for _ in 0..100 {
            let c = OtpCode::generate(6);
            assert_eq!(c.expose().len(), 6);
            assert!(c.expose().chars().all(|ch| ch.is_ascii_digit()));
        }
    }
}
