//! Secrets Flows must use again later (an extension's signing secret), sealed with
//! AES-256-GCM before they are stored: a copy of the table, a backup of it or a log line
//! shows nothing usable. The key is derived from the server's key (kept apart from the rows
//! it protects), so every instance that shares the database opens what another sealed.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const NONCE_BYTES: usize = 12;
/// Written before every sealed value, so that a later scheme can be told apart.
const PREFIX: &str = "v1.";

/// A key for sealing, derived for one purpose from the server's key.
#[derive(Clone)]
pub struct SealKey(Aes256Gcm);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

/// A sealed value that does not open: another server key, or a changed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a sealed secret does not open with this server's key")]
pub struct Unsealable;

impl SealKey {
    /// The key for `purpose`, from the server's key bytes.
    pub fn derive(server_key: &[u8], purpose: &str) -> Self {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(server_key)
            .unwrap_or_else(|_| <Hmac<Sha256> as hmac::KeyInit>::new(&Default::default()));
        mac.update(b"flows sealed secret v1\0");
        mac.update(purpose.as_bytes());
        let key = mac.finalize().into_bytes();
        // 32 bytes make an AES-256 key, so this cannot fail.
        SealKey(
            Aes256Gcm::new_from_slice(&key).unwrap_or_else(|_| Aes256Gcm::new(&Default::default())),
        )
    }

    /// `plain`, sealed under a fresh random nonce; `context` (e.g. the row's id) must be
    /// given again to open it, so a sealed value copied to another row does not open there.
    pub fn seal(&self, plain: &str, context: &str) -> String {
        let nonce_bytes: [u8; NONCE_BYTES] = rand::random();
        let nonce = Nonce::from(nonce_bytes);
        let payload = aes_gcm::aead::Payload {
            msg: plain.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption fails only for messages of gigabytes; a secret is a few dozen bytes.
        let sealed = self.0.encrypt(&nonce, payload).unwrap_or_default();
        let mut out = nonce_bytes.to_vec();
        out.extend(sealed);
        format!("{PREFIX}{}", B64.encode(out))
    }

    pub fn open(&self, sealed: &str, context: &str) -> Result<String, Unsealable> {
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| B64.decode(b).ok())
            .filter(|b| b.len() > NONCE_BYTES)
            .ok_or(Unsealable)?;
        let (nonce, cipher) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| Unsealable)?;
        let payload = aes_gcm::aead::Payload {
            msg: cipher,
            aad: context.as_bytes(),
        };
        let plain = self
            .0
            .decrypt(&Nonce::from(nonce), payload)
            .map_err(|_| Unsealable)?;
        String::from_utf8(plain).map_err(|_| Unsealable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_context_only() {
        let key = SealKey::derive(b"server key", "extension secrets");
        let sealed = key.seal("whsec_abc", "ext-1");
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(
            sealed,
            key.seal("whsec_abc", "ext-1"),
            "a fresh nonce each time"
        );
        assert_eq!(key.open(&sealed, "ext-1").as_deref(), Ok("whsec_abc"));
        assert_eq!(key.open(&sealed, "ext-2"), Err(Unsealable));
        let other = SealKey::derive(b"another server", "extension secrets");
        assert_eq!(other.open(&sealed, "ext-1"), Err(Unsealable));
        let purpose = SealKey::derive(b"server key", "something else");
        assert_eq!(purpose.open(&sealed, "ext-1"), Err(Unsealable));
        let mut tampered = sealed.clone();
        let last = tampered.pop();
        tampered.push(if last == Some('A') { 'B' } else { 'A' });
        assert_eq!(key.open(&tampered, "ext-1"), Err(Unsealable));
        assert_eq!(key.open("garbage", "ext-1"), Err(Unsealable));
    }
}
