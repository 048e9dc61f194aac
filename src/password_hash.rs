//! Argon2id hashing on a small bounded pool, off the actix workers.
//!
//! Each hash needs ~19 MiB of working memory. Allocating it per hash let resident memory
//! grow to ~140 MB under load (measured, ECOSYSTEM.md §7), so every blocking thread keeps
//! one buffer and reuses it, and a semaphore caps how many hashes run at once.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use std::cell::RefCell;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashParams {
    /// OWASP's first choice for Argon2id.
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("argon2 parameters are invalid: {0}")]
    Params(String),
    #[error("stored hash is malformed")]
    Malformed,
    #[error("hashing task failed")]
    Join,
}

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified against when an account does not exist, so both cases cost the same.
    dummy_hash: Arc<String>,
}

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;

impl PasswordHasher {
    pub fn new(params: HashParams, concurrency: usize) -> Result<Self, HashError> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            Some(OUTPUT_LEN),
        )
        .map_err(|e| HashError::Params(e.to_string()))?;
        let dummy = hash_blocking(&params, b"flows-dummy-password-for-timing")?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: Arc::new(dummy),
        })
    }

    /// Hashes a password into a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
    pub async fn hash(&self, password: &SecretString) -> Result<String, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Join)?;
        let params = self.params.clone();
        let pw = SecretString::from(password.expose_secret().to_owned());
        tokio::task::spawn_blocking(move || hash_blocking(&params, pw.expose_secret().as_bytes()))
            .await
            .map_err(|_| HashError::Join)?
    }

    /// Constant-time check of a password against a stored PHC string.
    pub async fn verify(&self, password: &SecretString, phc: &str) -> Result<bool, HashError> {
        let _permit = self.permits.acquire().await.map_err(|_| HashError::Join)?;
        let pw = SecretString::from(password.expose_secret().to_owned());
        let phc = phc.to_owned();
        tokio::task::spawn_blocking(move || verify_blocking(pw.expose_secret().as_bytes(), &phc))
            .await
            .map_err(|_| HashError::Join)?
    }

    /// Burns the same time as a real verification, for accounts that do not exist.
    pub async fn verify_dummy(&self, password: &SecretString) {
        let dummy = self.dummy_hash.clone();
        let _ = self.verify(password, &dummy).await;
    }
}

fn with_memory<R>(blocks: usize, f: impl FnOnce(&mut [Block]) -> R) -> R {
    MEMORY.with(|cell| {
        let mut memory = cell.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        f(&mut memory[..blocks])
    })
}

fn compute(params: &Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), HashError> {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |memory| {
        argon.hash_password_into_with_memory(password, salt, out, memory)
    })
    .map_err(|e| HashError::Params(e.to_string()))
}

fn hash_blocking(params: &Params, password: &[u8]) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; OUTPUT_LEN];
    compute(params, password, &salt, &mut out)?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    ))
}

/// Reads the parameters from the stored string, so old hashes keep verifying after the
/// configured parameters change.
fn verify_blocking(password: &[u8], phc: &str) -> Result<bool, HashError> {
    let parts: Vec<&str> = phc.split('$').collect();
    let ["", "argon2id", "v=19", params, salt, hash] = parts.as_slice() else {
        return Err(HashError::Malformed);
    };
    let mut m = None;
    let mut t = None;
    let mut p = None;
    for kv in params.split(',') {
        match kv.split_once('=') {
            Some(("m", v)) => m = v.parse().ok(),
            Some(("t", v)) => t = v.parse().ok(),
            Some(("p", v)) => p = v.parse().ok(),
            _ => return Err(HashError::Malformed),
        }
    }
    let (Some(m), Some(t), Some(p)) = (m, t, p) else {
        return Err(HashError::Malformed);
    };
    let salt = STANDARD_NO_PAD
        .decode(salt)
        .map_err(|_| HashError::Malformed)?;
    let expected = STANDARD_NO_PAD
        .decode(hash)
        .map_err(|_| HashError::Malformed)?;
    let params = Params::new(m, t, p, Some(expected.len())).map_err(|_| HashError::Malformed)?;
    let mut out = vec![0u8; expected.len()];
    compute(&params, password, &salt, &mut out)?;
    Ok(out.ct_eq(&expected).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    fn fast() -> PasswordHasher {
        PasswordHasher::new(
            HashParams {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            2,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let h = fast();
        let pw = SecretString::from("correct horse battery staple");
        let phc = h.hash(&pw).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(h.verify(&pw, &phc).await.unwrap());
        assert!(!h.verify(&SecretString::from("wrong"), &phc).await.unwrap());
    }

    #[tokio::test]
    async fn output_is_standard_phc() {
        let h = fast();
        let phc = h
            .hash(&SecretString::from("interoperable pw"))
            .await
            .unwrap();
        // The reference implementation must accept what we write.
        assert!(
            Argon2::default()
                .verify_password(b"interoperable pw", phc.as_str())
                .is_ok()
        );
    }

    #[tokio::test]
    async fn malformed_hash_is_an_error_not_a_panic() {
        let h = fast();
        assert!(
            h.verify(&SecretString::from("x"), "$argon2id$nonsense")
                .await
                .is_err()
        );
    }
}
