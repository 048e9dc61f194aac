//! Argon2id hashing on a small, fixed pool of dedicated threads, off the actix workers.
//!
//! Each hash needs ~19 MiB of working memory. Allocating it per hash let resident memory
//! grow to ~140 MB under load (ECOSYSTEM.md §7), and per-thread buffers on tokio's blocking
//! pool still multiplied as that pool's threads rotated (measured by the load bench). So the
//! pool is exactly `concurrency` threads, each owning one buffer: memory is bounded by
//! `concurrency × m_cost`, and jobs wait in a queue when all are busy. A thread that has
//! had no job for `IDLE_RELEASE` gives its buffer back, so an idle server does not hold
//! 19 MiB per core for nothing.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use tokio::sync::oneshot;

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
    #[error("the hashing pool has stopped")]
    Stopped,
    /// The queue is full for this priority: the caller answers "try again shortly" rather
    /// than wait behind work it cannot catch up with.
    #[error("the hashing pool is saturated")]
    Busy,
}

impl HashError {
    pub fn is_busy(&self) -> bool {
        matches!(self, HashError::Busy)
    }
}

/// Which work is shed first when hashing cannot keep up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Work that finishes what someone already began (a new password after a verified
    /// code or link, an invitation accepted, an administrator's sign-in): may use the whole
    /// queue.
    Finish,
    /// Work a new request starts (a registration's first step, an end user's sign-in):
    /// refused once the queue is `START_SHARE` full, so finishing work still finds room.
    Start,
}

/// The part of the queue work that starts something may take, as a fraction.
const START_SHARE: (usize, usize) = (3, 4);

/// One unit of work for a hashing thread; the answer goes back through the sender.
enum Job {
    Hash {
        password: SecretString,
        reply: oneshot::Sender<Result<String, HashError>>,
    },
    Verify {
        password: SecretString,
        phc: String,
        reply: oneshot::Sender<Result<bool, HashError>>,
    },
}

#[derive(Clone)]
pub struct PasswordHasher {
    jobs: flume::Sender<Job>,
    /// Jobs waiting at most, for `Priority::Finish`.
    queue: usize,
    priority: Priority,
    /// Verified against when an account does not exist, so both cases cost the same.
    dummy_hash: Arc<String>,
    /// The parameters new hashes get, as a PHC string writes them (`m=19456,t=2,p=1`).
    current: Arc<String>,
}

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;
/// Long enough that a steady trickle of sign-ins keeps the buffers, since a fresh one is
/// 19 MiB of pages to fault in again.
const IDLE_RELEASE: Duration = Duration::from_secs(5);

impl PasswordHasher {
    /// `concurrency` threads, and at most `queue` jobs waiting for one: past that a caller
    /// gets `HashError::Busy` at once (see `Priority`).
    pub fn new(params: HashParams, concurrency: usize, queue: usize) -> Result<Self, HashError> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            Some(OUTPUT_LEN),
        )
        .map_err(|e| HashError::Params(e.to_string()))?;
        let queue_len = queue.max(1);
        let (jobs, queue) = flume::bounded::<Job>(queue_len);
        for n in 0..concurrency.max(1) {
            let queue = queue.clone();
            let params = params.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&params, &queue))
                .map_err(|e| HashError::Params(format!("cannot start a hashing thread: {e}")))?;
        }
        let dummy = hash_blocking(&params, b"flows-dummy-password-for-timing")?;
        release_memory();
        Ok(Self {
            jobs,
            queue: queue_len,
            priority: Priority::Finish,
            dummy_hash: Arc::new(dummy),
            current: Arc::new(format!(
                "m={},t={},p={}",
                params.m_cost(),
                params.t_cost(),
                params.p_cost()
            )),
        })
    }

    /// Whether a stored hash was made with the parameters in force: one made with older
    /// (cheaper) ones is hashed again the next time its password is proven.
    pub fn is_current(&self, phc: &str) -> bool {
        let parts: Vec<&str> = phc.split('$').collect();
        matches!(parts.as_slice(), ["", "argon2id", "v=19", params, _, _] if *params == self.current.as_str())
    }

    /// This pool, for work of `priority`.
    pub fn at(&self, priority: Priority) -> Self {
        Self {
            priority,
            ..self.clone()
        }
    }

    /// Jobs waiting now, and how many work that starts something may find waiting before
    /// it is refused: at or past that, the pool is saturated.
    pub fn load(&self) -> (usize, usize) {
        (self.jobs.len(), start_limit(self.queue))
    }

    /// Hashes a password into a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
    pub async fn hash(&self, password: &SecretString) -> Result<String, HashError> {
        let (reply, answer) = oneshot::channel();
        let password = SecretString::from(password.expose_secret().to_owned());
        self.submit(Job::Hash { password, reply }).await?;
        answer.await.map_err(|_| HashError::Stopped)?
    }

    /// Constant-time check of a password against a stored PHC string.
    pub async fn verify(&self, password: &SecretString, phc: &str) -> Result<bool, HashError> {
        let (reply, answer) = oneshot::channel();
        let password = SecretString::from(password.expose_secret().to_owned());
        self.submit(Job::Verify {
            password,
            phc: phc.to_owned(),
            reply,
        })
        .await?;
        answer.await.map_err(|_| HashError::Stopped)?
    }

    /// Whether `password` matches `phc`; with no hash (no such account) the same time is
    /// spent on a dummy and the answer is no. A malformed stored hash is a no, logged; only a
    /// saturated or stopped pool is an error, which must not count as a wrong password.
    pub async fn check(
        &self,
        password: &SecretString,
        phc: Option<&str>,
    ) -> Result<bool, HashError> {
        let dummy = phc.is_none();
        match self.verify(password, phc.unwrap_or(&self.dummy_hash)).await {
            Ok(matches) => Ok(matches && !dummy),
            Err(HashError::Malformed) => {
                tracing::error!("a stored password hash is malformed");
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Queues a job, or refuses it at once when the queue is full for its priority: a flood
    /// beyond what the threads can hash is answered, not left to pile up memory and time.
    async fn submit(&self, job: Job) -> Result<(), HashError> {
        let limit = match self.priority {
            Priority::Finish => self.queue,
            Priority::Start => start_limit(self.queue),
        };
        if self.jobs.len() >= limit {
            metrics::counter!("flows_hash_shed_total", "priority" => self.priority.as_str())
                .increment(1);
            return Err(HashError::Busy);
        }
        self.jobs.try_send(job).map_err(|e| match e {
            flume::TrySendError::Full(_) => HashError::Busy,
            flume::TrySendError::Disconnected(_) => HashError::Stopped,
        })
    }
}

fn start_limit(queue: usize) -> usize {
    (queue * START_SHARE.0 / START_SHARE.1).max(1)
}

impl Priority {
    fn as_str(self) -> &'static str {
        match self {
            Priority::Finish => "finish",
            Priority::Start => "start",
        }
    }
}

/// A hashing thread: takes jobs until every `PasswordHasher` is gone.
fn work(params: &Params, queue: &flume::Receiver<Job>) {
    loop {
        let holding = MEMORY.with(|m| m.borrow().capacity() > 0);
        let job = if holding {
            match queue.recv_timeout(IDLE_RELEASE) {
                Err(flume::RecvTimeoutError::Timeout) => {
                    release_memory();
                    continue;
                }
                other => other.map_err(|_| ()),
            }
        } else {
            queue.recv().map_err(|_| ())
        };
        match job {
            Ok(Job::Hash { password, reply }) => {
                let _ = reply.send(hash_blocking(params, password.expose_secret().as_bytes()));
            }
            Ok(Job::Verify {
                password,
                phc,
                reply,
            }) => {
                let _ = reply.send(verify_blocking(password.expose_secret().as_bytes(), &phc));
            }
            Err(()) => return,
        }
    }
}

fn release_memory() {
    MEMORY.with(|m| *m.borrow_mut() = Vec::new());
}

/// glibc gives an allocation above 32 MiB (its highest dynamic mmap threshold) a mapping of
/// its own, unmapped on free. A smaller one, once any such buffer has been freed, comes from
/// the thread's arena and stays resident after free: releasing an idle thread's buffer
/// freed nothing, and the next hash grew the arena further (measured: 55, then 94, then
/// 113 MiB). So the buffer reserves past that size; the pages past `m_cost` are never
/// touched and cost no memory.
const OWN_MAPPING_BYTES: usize = 33 << 20;

fn with_memory<R>(blocks: usize, f: impl FnOnce(&mut [Block]) -> R) -> R {
    MEMORY.with(|cell| {
        let mut memory = cell.borrow_mut();
        if memory.len() < blocks {
            if memory.capacity() < blocks {
                let reserve = blocks.max(OWN_MAPPING_BYTES / std::mem::size_of::<Block>());
                *memory = Vec::with_capacity(reserve);
            }
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
            16,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_hash_is_current_only_with_the_parameters_in_force() {
        let h = fast();
        let phc = h.hash(&SecretString::from("same password")).await.unwrap();
        assert!(h.is_current(&phc));
        let stronger = PasswordHasher::new(
            HashParams {
                memory_kib: 1024,
                iterations: 2,
                parallelism: 1,
            },
            1,
            4,
        )
        .unwrap();
        assert!(!stronger.is_current(&phc));
        assert!(
            stronger
                .verify(&SecretString::from("same password"), &phc)
                .await
                .unwrap()
        );
        for odd in ["", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA", "plain"] {
            assert!(!h.is_current(odd), "{odd}");
        }
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
    async fn a_full_queue_refuses_new_work_first_and_at_once() {
        // Slow enough (about 0.1 s a hash) that the burst below outruns the one thread.
        let slow = HashParams {
            memory_kib: 65_536,
            iterations: 2,
            parallelism: 1,
        };
        let h = PasswordHasher::new(slow, 1, 8).unwrap();
        let pw = SecretString::from("flood");
        let (start, finish) = (h.at(Priority::Start), h.at(Priority::Finish));
        assert_eq!(h.load().1, 6, "new work may take 3/4 of the queue");
        // Each job is queued at the first poll; the answer is not waited for. One runs,
        // six wait, the rest are refused at once.
        let mut refused = 0;
        for _ in 0..20 {
            let job = tokio::time::timeout(Duration::from_millis(1), start.hash(&pw)).await;
            match job {
                Ok(Err(HashError::Busy)) => refused += 1,
                Ok(Err(other)) => panic!("{other}"),
                Ok(Ok(_)) | Err(_) => {}
            }
        }
        assert!(refused >= 10, "refused {refused} of 20");
        // Work that finishes a journey still finds room, up to the whole queue.
        let phc = tokio::time::timeout(Duration::from_secs(30), finish.hash(&pw))
            .await
            .expect("finishing work is served");
        assert!(phc.is_ok(), "{phc:?}");
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
