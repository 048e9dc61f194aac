//! The signed proof an application may require of its clients: its own CAPTCHA or platform
//! attestation tells people from bots, and its backend then signs the call it lets through.
//! The API checks the signature, so a bot cannot skip the application and call Flows itself.
//!
//! Header: `Flows-Client-Proof: t=<unix seconds>,n=<nonce>,v1=<hex HMAC-SHA256>`, where the HMAC
//! is keyed with the application's key (the whole `flows_app_…` string) over
//! `<t>.<n>.<flowType>` when a flow starts and `<t>.<n>.<flowId>` on each later call. The nonce
//! is new for each call (a UUID will do), so two starts in the same second differ and a
//! start's proof can be accepted once. Several `v1=` may be sent while a key changes over.
//! The key is derived from the server's key and a nonce stored with the application, so the
//! database holds no key, and a new stored nonce is a new key.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Mutex;

/// The request header that carries the proof.
pub const HEADER: &str = "Flows-Client-Proof";
/// How far a proof's time may be from the server's, either way: clocks drift, and a proof
/// older than this is refused even if it was never used.
pub const TOLERANCE_SECONDS: i64 = 300;
/// After a new key, the one before still verifies this long, so clients can change over.
pub const PREVIOUS_KEY_HOURS: i64 = 24;
/// Signatures read from one header; more is a malformed header.
const MAX_SIGNATURES: usize = 4;
/// A call's nonce: 8 to 64 of `A-Z a-z 0-9 - _`.
const NONCE_CHARS: std::ops::RangeInclusive<usize> = 8..=64;
const KEY_PREFIX: &str = "flows_app_";
/// An application key's bytes (HMAC-SHA256's output), written as hex after the prefix.
pub const KEY_BYTES: usize = 32;
/// The random bytes of the nonce a key is derived from.
pub const NONCE_BYTES: usize = 16;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length, so this cannot fail.
    HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()))
}

/// Why a call's proof was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofProblem {
    Missing,
    Malformed,
    OutOfTime,
    Wrong,
    /// A start's proof used a second time.
    Spent,
}

impl ProofProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Malformed => "malformed",
            Self::OutOfTime => "out_of_time",
            Self::Wrong => "wrong",
            Self::Spent => "spent",
        }
    }

    /// For the client's developer: what to fix.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Missing => {
                "This application requires a Flows-Client-Proof header: t=<unix seconds>,n=<a new nonce>,v1=<hex HMAC-SHA256 with the application's key over \"<t>.<n>.<flowType>\" to start, \"<t>.<n>.<flowId>\" to go on>."
            }
            Self::Malformed => {
                "The Flows-Client-Proof header does not read as t=<unix seconds>,n=<8 to 64 of A-Z a-z 0-9 - _>,v1=<64 hex digits>."
            }
            Self::OutOfTime => {
                "The Flows-Client-Proof time is more than 5 minutes from the server's: sign each call when it is sent."
            }
            Self::Wrong => {
                "The Flows-Client-Proof signature does not match: sign \"<t>.<n>.<flowType>\" to start, \"<t>.<n>.<flowId>\" to go on, with the application's current key."
            }
            Self::Spent => {
                "This Flows-Client-Proof started a flow already: sign each start anew, with a new nonce."
            }
        }
    }
}

/// The key an application's client signs with, derived from the server's key.
pub(crate) fn derive_key(server_key: &[u8], app_id: &str, nonce: &str) -> String {
    let mut m = mac(server_key);
    m.update(b"flows client proof key v1\0");
    m.update(app_id.as_bytes());
    m.update(b"\0");
    m.update(nonce.as_bytes());
    format!("{KEY_PREFIX}{}", hex::encode(m.finalize().into_bytes()))
}

/// A fresh nonce: 128 bits from the OS random source.
pub(crate) fn new_nonce() -> String {
    use rand::Rng;
    let mut bytes = [0u8; NONCE_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The signature a client sends: hex HMAC-SHA256 with `key` over `<at>.<nonce>.<subject>`.
pub fn sign(key: &str, at: i64, nonce: &str, subject: &str) -> String {
    let mut m = mac(key.as_bytes());
    m.update(format!("{at}.{nonce}.{subject}").as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// The whole header value for a call signed at `at` with `key` and a new nonce: what a
/// client's backend sends.
pub fn header_value(key: &str, at: i64, subject: &str) -> String {
    let nonce = new_nonce();
    format!("t={at},n={nonce},v1={}", sign(key, at, &nonce, subject))
}

#[derive(Debug, PartialEq, Eq)]
struct Proof {
    at: i64,
    nonce: String,
    signatures: Vec<[u8; 32]>,
}

fn parse(header: &str) -> Option<Proof> {
    let mut at = None;
    let mut nonce = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let (name, value) = part.trim().split_once('=')?;
        match name.trim() {
            "t" if at.is_none() => {
                let value = value.trim();
                if value.is_empty()
                    || value.len() > 12
                    || !value.bytes().all(|b| b.is_ascii_digit())
                {
                    return None;
                }
                at = Some(value.parse().ok()?);
            }
            "n" if nonce.is_none() => {
                let value = value.trim();
                let fits = NONCE_CHARS.contains(&value.len())
                    && value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !fits {
                    return None;
                }
                nonce = Some(value.to_owned());
            }
            "v1" => {
                let mut signature = [0u8; 32];
                hex::decode_to_slice(value.trim(), &mut signature).ok()?;
                signatures.push(signature);
            }
            // Later versions of the scheme may add parts; they are ignored, as in
            // Standard Webhooks, so a client can send both while servers upgrade.
            other if other.starts_with('v') => {}
            _ => return None,
        }
    }
    if signatures.is_empty() || signatures.len() > MAX_SIGNATURES {
        return None;
    }
    Some(Proof {
        at: at?,
        nonce: nonce?,
        signatures,
    })
}

/// Checks `header` against any of `keys` for `subject` at `now` (unix seconds); the matching
/// signature, for spending a start's proof once.
pub(crate) fn verify(
    header: Option<&str>,
    keys: &[String],
    subject: &str,
    now: i64,
) -> Result<[u8; 32], ProofProblem> {
    let header = header.ok_or(ProofProblem::Missing)?;
    let proof = parse(header).ok_or(ProofProblem::Malformed)?;
    if (proof.at - now).abs() > TOLERANCE_SECONDS {
        return Err(ProofProblem::OutOfTime);
    }
    let message = format!("{}.{}.{subject}", proof.at, proof.nonce);
    for key in keys {
        for signature in &proof.signatures {
            let mut m = mac(key.as_bytes());
            m.update(message.as_bytes());
            // Constant time: a wrong guess learns nothing about how close it was.
            if m.verify_slice(signature).is_ok() {
                return Ok(*signature);
            }
        }
    }
    Err(ProofProblem::Wrong)
}

/// Start proofs already used on this instance, kept while they could still verify, so one
/// solved CAPTCHA starts one flow here. Instances do not share this: across N instances a
/// proof could start N flows, which the application's own start limit bounds too.
#[derive(Default)]
pub(crate) struct SpentProofs {
    seen: Mutex<HashMap<[u8; 32], i64>>,
}

/// Past this many remembered proofs, expired ones are swept before adding another.
const SWEEP_AT: usize = 4096;

impl SpentProofs {
    /// `false` when `signature` was spent already.
    pub(crate) fn spend(&self, signature: [u8; 32], now: i64) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= SWEEP_AT {
            // A proof is dated within the tolerance of its first use, so after twice the
            // tolerance it can no longer verify and need not be remembered.
            seen.retain(|_, used| now - *used <= 2 * TOLERANCE_SECONDS);
        }
        match seen.entry(signature) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(first) => {
                first.insert(now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_signed_call_verifies_with_its_key_and_subject_only() {
        let key = derive_key(b"server", "app1", "nonce");
        let other = derive_key(b"server", "app2", "nonce");
        assert!(key.starts_with("flows_app_") && key.len() == KEY_PREFIX.len() + 2 * KEY_BYTES);
        assert_ne!(key, other);
        assert_ne!(key, derive_key(b"server", "app1", "nonce2"));
        assert_ne!(key, derive_key(b"other server", "app1", "nonce"));

        let header = header_value(&key, NOW, "REGISTRATION");
        let keys = [key.clone()];
        assert!(verify(Some(&header), &keys, "REGISTRATION", NOW).is_ok());
        assert_eq!(
            verify(Some(&header), &keys, "PASSWORD_RECOVERY", NOW),
            Err(ProofProblem::Wrong)
        );
        assert_eq!(
            verify(
                Some(&header),
                std::slice::from_ref(&other),
                "REGISTRATION",
                NOW
            ),
            Err(ProofProblem::Wrong)
        );
        // A changed-over client may send the new and the old signature at once.
        let both = format!(
            "t={NOW},n=changeover,v1={},v1={}",
            sign(&other, NOW, "changeover", "REGISTRATION"),
            sign(&key, NOW, "changeover", "REGISTRATION")
        );
        // Two starts in the same second differ by their nonce.
        assert_ne!(
            header_value(&key, NOW, "REGISTRATION"),
            header_value(&key, NOW, "REGISTRATION")
        );
        assert!(verify(Some(&both), &keys, "REGISTRATION", NOW).is_ok());
    }

    #[test]
    fn a_proof_is_accepted_within_five_minutes_either_way_and_no_further() {
        assert_eq!(TOLERANCE_SECONDS, 5 * 60);
        let key = derive_key(b"server", "app", "n");
        let keys = [key.clone()];
        for skew in [-TOLERANCE_SECONDS, 0, TOLERANCE_SECONDS] {
            let header = header_value(&key, NOW + skew, "flow");
            assert!(verify(Some(&header), &keys, "flow", NOW).is_ok(), "{skew}");
        }
        for skew in [-TOLERANCE_SECONDS - 1, TOLERANCE_SECONDS + 1] {
            let header = header_value(&key, NOW + skew, "flow");
            assert_eq!(
                verify(Some(&header), &keys, "flow", NOW),
                Err(ProofProblem::OutOfTime)
            );
        }
    }

    #[test]
    fn headers_that_do_not_read_are_malformed_not_wrong() {
        let keys = [derive_key(b"server", "app", "n")];
        assert_eq!(verify(None, &keys, "x", NOW), Err(ProofProblem::Missing));
        let good = "a".repeat(64);
        for bad in [
            String::new(),
            "t=,n=,v1=".to_owned(),
            format!("n=abcdefgh,v1={good}"),
            format!("t={NOW},v1={good}"),
            format!("t={NOW},n=abcdefgh"),
            format!("t=-5,n=abcdefgh,v1={good}"),
            format!("t={NOW},n=short,v1={good}"),
            format!("t={NOW},n={},v1={good}", "x".repeat(65)),
            format!("t={NOW},n=abc.defgh,v1={good}"),
            format!("t={NOW},n=abcdefgh,v1=abc"),
            format!("t={NOW},n=abcdefgh,v1={good},x=1"),
            format!("t={NOW},t={NOW},n=abcdefgh,v1={good}"),
            format!("t={NOW},n=abcdefgh{}", format!(",v1={good}").repeat(5)),
        ] {
            assert_eq!(
                verify(Some(&bad), &keys, "x", NOW),
                Err(ProofProblem::Malformed),
                "{bad}"
            );
        }
        // Spaces and a later version's part are read past.
        let key = &keys[0];
        let spaced = format!(
            " t = {NOW} , n = abcdefgh , v1 = {} , v2=zz",
            sign(key, NOW, "abcdefgh", "x")
        );
        assert!(verify(Some(&spaced), &keys, "x", NOW).is_ok());
    }

    #[test]
    fn a_start_proof_is_spent_once_and_forgotten_once_it_can_no_longer_verify() {
        let spent = SpentProofs::default();
        assert!(spent.spend([1; 32], NOW));
        assert!(!spent.spend([1; 32], NOW + 1));
        for n in 0..SWEEP_AT {
            let mut signature = [0u8; 32];
            signature[..8].copy_from_slice(&(n as u64).to_le_bytes());
            signature[31] = 9;
            spent.spend(signature, NOW);
        }
        let later = NOW + 2 * TOLERANCE_SECONDS + 1;
        assert!(spent.spend([2; 32], later));
        let kept = spent.seen.lock().unwrap().len();
        assert_eq!(
            kept, 1,
            "everything older than twice the tolerance is swept"
        );
    }

    #[test]
    fn a_nonce_has_128_random_bits() {
        let a = new_nonce();
        assert_eq!(a.len(), 2 * NONCE_BYTES);
        assert_eq!(NONCE_BYTES * 8, 128);
        assert_ne!(a, new_nonce());
    }
}
