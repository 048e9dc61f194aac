//! Argon2id hashing on a small, fixed pool of dedicated threads, off the actix workers.
//!
//! Each hash needs ~19 MiB of working memory. Allocating it per hash let resident memory
//! grow to ~140 MB under load (ECOSYSTEM.md §7), and per-thread buffers on tokio's blocking
//! pool still multiplied as that pool's threads rotated (measured by the load bench). So the
//! pool is exactly `concurrency` threads, each owning one buffer: memory is bounded by
//! `concurrency × m_cost`, and jobs wait in a queue when all are busy. A thread that has
//! had no job for `IDLE_RELEASE` gives its buffer back, so an idle server does not hold
//! 19 MiB per core for nothing.
//!
//! The threads run at a lower scheduling priority (`Pool::nice`): on a machine whose cores
//! are all hashing, the request workers still get the CPU first, so pages, `/healthz` and
//! code checks stay fast during a flood while hashes take what is left.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
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
    /// The wait for a hashing thread is predicted past this priority's budget (or the
    /// backstop queue is full): the caller answers "try again in `retry_after`" rather than
    /// keep a person waiting longer than they would.
    #[error("the hashing pool is saturated")]
    Busy { retry_after: Duration },
}

impl HashError {
    pub fn is_busy(&self) -> bool {
        matches!(self, HashError::Busy { .. })
    }

    /// When to try again, in whole seconds (at least one), when the pool is saturated.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            HashError::Busy { retry_after } => Some(whole_seconds(*retry_after)),
            _ => None,
        }
    }
}

/// `d` rounded up to whole seconds, and at least one: what `Retry-After` can say.
fn whole_seconds(d: Duration) -> u64 {
    (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
}

/// How long work may be predicted to wait for a hashing thread before it is refused, per
/// priority (`FLOWS_HASH_WAIT_BUDGET`): a person who would wait longer is better told at once
/// when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitBudget {
    pub start: Duration,
    pub finish: Duration,
}

impl Default for WaitBudget {
    fn default() -> Self {
        Self {
            start: Duration::from_secs(10),
            finish: Duration::from_secs(20),
        }
    }
}

impl WaitBudget {
    fn for_priority(self, priority: Priority) -> Duration {
        match priority {
            Priority::Start => self.start,
            Priority::Finish => self.finish,
        }
    }
}

/// `10s` (new work; finishing work gets twice that), `10s,20s` (each), or `1500ms`.
impl std::str::FromStr for WaitBudget {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let one = |part: &str| -> Result<Duration, String> {
            let part = part.trim();
            let (number, unit) = match part.strip_suffix("ms") {
                Some(n) => (n, 1),
                None => (part.strip_suffix('s').unwrap_or(part), 1000),
            };
            match number.trim().parse::<u64>() {
                Ok(n) if n > 0 && n <= 3_600_000 / unit => Ok(Duration::from_millis(n * unit)),
                _ => Err(format!(
                    "'{part}' is not a wait: write seconds like 10s, or milliseconds like 1500ms"
                )),
            }
        };
        match text.split_once(',') {
            None => {
                let start = one(text)?;
                Ok(Self {
                    start,
                    finish: start * 2,
                })
            }
            Some((start, finish)) => {
                let (start, finish) = (one(start)?, one(finish)?);
                if finish < start {
                    return Err(
                        "work that finishes a journey must be allowed to wait at least as long as new work"
                            .into(),
                    );
                }
                Ok(Self { start, finish })
            }
        }
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
    /// refused at a shorter predicted wait, and once the backstop queue is `START_SHARE`
    /// full, so finishing work still finds room.
    Start,
}

/// The part of the backstop queue work that starts something may take, as a fraction.
const START_SHARE: (usize, usize) = (3, 4);

/// How fast the pool hashes: a moving average of the time one hash takes, and the threads.
/// The predicted wait of a new job is `waiting × mean / threads`.
struct Pace {
    mean_nanos: AtomicU64,
    threads: usize,
}

impl Pace {
    /// Each hash moves the mean by an eighth of its difference: a few hashes follow a change
    /// of machine load, one slow hash does not.
    fn record(&self, took: Duration) {
        let took = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        let old = self.mean_nanos.load(Ordering::Relaxed);
        let new = old - old / 8 + took / 8;
        self.mean_nanos.store(new.max(1), Ordering::Relaxed);
    }

    fn mean(&self) -> Duration {
        Duration::from_nanos(self.mean_nanos.load(Ordering::Relaxed))
    }

    fn wait_behind(&self, waiting: usize) -> Duration {
        let threads = u32::try_from(self.threads).unwrap_or(u32::MAX);
        self.mean()
            .saturating_mul(u32::try_from(waiting).unwrap_or(u32::MAX))
            / threads
    }
}

/// The pool's load as `/readyz` and the metrics report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Jobs waiting for a thread.
    pub waiting: usize,
    /// How long a new job would wait for a thread.
    pub predicted_wait: Duration,
    /// The moving average of one hash.
    pub mean_hash: Duration,
    /// Whether new work is refused now.
    pub saturated: bool,
}

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

/// How the hashing pool is set up (`Settings`: `FLOWS_HASH_CONCURRENCY`, `FLOWS_HASH_QUEUE`,
/// `FLOWS_HASH_WAIT_BUDGET`, `FLOWS_HASH_NICE`).
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    pub threads: usize,
    /// The backstop on waiting jobs, whatever the prediction.
    pub queue: usize,
    pub budget: WaitBudget,
    /// The threads' nice value, 0 (as the request workers) to 19 (only what they leave).
    pub nice: u8,
}

impl Default for Pool {
    fn default() -> Self {
        Self {
            threads: 1,
            queue: 1024,
            budget: WaitBudget::default(),
            nice: DEFAULT_NICE,
        }
    }
}

/// Measured by the load bench's spike and flood on one core (README "Overload"): `/healthz`
/// p99 4–5 ms at 0, about 2–3 ms at 10, 1–2 ms at 19. Not 19: Linux weighs a thread at 19
/// at 15 against 110 at 10 and 1024 at 0, so beside a busy process at 0 (a PostgreSQL server on
/// the same machine) hashing at 19 would all but stop; at 10 it keeps a real share.
pub const DEFAULT_NICE: u8 = 10;

/// Lowers the calling thread's scheduling priority to `nice`. Linux keeps a nice value per
/// thread, so `PRIO_PROCESS` with the thread's own id changes this thread only; anyone may
/// lower their own priority. Elsewhere the threads keep the process's priority.
fn yield_to_requests(nice: u8) {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        if let Err(e) = rustix::process::setpriority_process(Some(tid), i32::from(nice)) {
            tracing::warn!(error = %e, nice, "could not lower a hashing thread's priority");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}

#[derive(Clone)]
pub struct PasswordHasher {
    jobs: flume::Sender<Job>,
    /// Jobs waiting at most, for `Priority::Finish`, whatever the prediction: a backstop
    /// that bounds memory (a waiting job holds its password and reply, no hashing buffer).
    queue: usize,
    budget: WaitBudget,
    pace: Arc<Pace>,
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
    /// gets `HashError::Busy` at once (see `Priority`), as past the default `WaitBudget`.
    pub fn new(params: HashParams, concurrency: usize, queue: usize) -> Result<Self, HashError> {
        Self::start(
            params,
            Pool {
                threads: concurrency,
                queue,
                ..Pool::default()
            },
        )
    }

    /// The pool `pool` describes, hashing with `params`.
    pub fn start(params: HashParams, pool: Pool) -> Result<Self, HashError> {
        let Pool {
            threads: concurrency,
            queue,
            budget,
            nice,
        } = pool;
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            Some(OUTPUT_LEN),
        )
        .map_err(|e| HashError::Params(e.to_string()))?;
        let queue_len = queue.max(1);
        // The first measure of the pace: the dummy hash every pool makes anyway.
        let began = Instant::now();
        let dummy = hash_blocking(&params, b"flows-dummy-password-for-timing")?;
        let pace = Arc::new(Pace {
            mean_nanos: AtomicU64::new(
                u64::try_from(began.elapsed().as_nanos())
                    .unwrap_or(u64::MAX)
                    .max(1),
            ),
            threads: concurrency.max(1),
        });
        release_memory();
        let (jobs, queue) = flume::bounded::<Job>(queue_len);
        for n in 0..concurrency.max(1) {
            let queue = queue.clone();
            let params = params.clone();
            let pace = pace.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    yield_to_requests(nice);
                    work(&params, &queue, &pace)
                })
                .map_err(|e| HashError::Params(format!("cannot start a hashing thread: {e}")))?;
        }
        Ok(Self {
            jobs,
            queue: queue_len,
            budget,
            pace,
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

    /// The load now; saturated when work that starts something would be refused.
    pub fn load(&self) -> Load {
        let waiting = self.jobs.len();
        let predicted_wait = self.pace.wait_behind(waiting);
        Load {
            waiting,
            predicted_wait,
            mean_hash: self.pace.mean(),
            saturated: self.refusal(Priority::Start, waiting, predicted_wait),
        }
    }

    /// Whether work of `priority` is refused with `waiting` jobs ahead of it, predicted to
    /// wait `wait`.
    fn refusal(&self, priority: Priority, waiting: usize, wait: Duration) -> bool {
        let limit = match priority {
            Priority::Finish => self.queue,
            Priority::Start => start_limit(self.queue),
        };
        waiting >= limit || wait >= self.budget.for_priority(priority)
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
        let waiting = self.jobs.len();
        let wait = self.pace.wait_behind(waiting);
        // Told to come back once the work ahead of it now is done.
        let busy = || HashError::Busy {
            retry_after: wait.max(self.pace.mean()),
        };
        if self.refusal(self.priority, waiting, wait) {
            metrics::counter!("flows_hash_shed_total", "priority" => self.priority.as_str())
                .increment(1);
            return Err(busy());
        }
        self.jobs.try_send(job).map_err(|e| match e {
            flume::TrySendError::Full(_) => busy(),
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

/// A hashing thread: takes jobs until every `PasswordHasher` is gone, timing each hash for
/// the pace.
fn work(params: &Params, queue: &flume::Receiver<Job>, pace: &Pace) {
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
        let began = Instant::now();
        match job {
            Ok(Job::Hash { password, reply }) => {
                let hashed = hash_blocking(params, password.expose_secret().as_bytes());
                if hashed.is_ok() {
                    pace.record(began.elapsed());
                }
                let _ = reply.send(hashed);
            }
            Ok(Job::Verify {
                password,
                phc,
                reply,
            }) => {
                // A malformed hash is answered at once: no measure of the pace.
                let verified = verify_blocking(password.expose_secret().as_bytes(), &phc);
                if verified.is_ok() {
                    pace.record(began.elapsed());
                }
                let _ = reply.send(verified);
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

        // Each job is queued at the first poll; the answer is not waited for. One runs,
        // six wait, the rest are refused at once.
        let mut refused = 0;
        for _ in 0..20 {
            let job = tokio::time::timeout(Duration::from_millis(1), start.hash(&pw)).await;
            match job {
                Ok(Err(HashError::Busy { .. })) => refused += 1,
                Ok(Err(other)) => panic!("{other}"),
                Ok(Ok(_)) | Err(_) => {}
            }
        }
        assert!(refused >= 10, "refused {refused} of 20");
        assert!(h.load().saturated, "new work may take 3/4 of the queue");
        // Work that finishes a journey still finds room, up to the whole queue.
        let phc = tokio::time::timeout(Duration::from_secs(30), finish.hash(&pw))
            .await
            .expect("finishing work is served");
        assert!(phc.is_ok(), "{phc:?}");
    }

    #[tokio::test]
    async fn work_is_admitted_while_its_predicted_wait_stays_within_its_budget() {
        let slow = HashParams {
            memory_kib: 65_536,
            iterations: 2,
            parallelism: 1,
        };
        let budget = WaitBudget {
            start: Duration::from_millis(400),
            finish: Duration::from_millis(800),
        };
        // A backstop far beyond the budget: the prediction decides.
        let h = PasswordHasher::start(
            slow,
            Pool {
                threads: 1,
                queue: 1000,
                budget,
                ..Pool::default()
            },
        )
        .unwrap();
        let mean = h.load().mean_hash;
        assert!(mean > Duration::ZERO);
        let (start, finish) = (h.at(Priority::Start), h.at(Priority::Finish));
        let pw = SecretString::from("spike");
        let mut admitted = 0;
        let mut retry_after = Vec::new();
        for _ in 0..60 {
            match tokio::time::timeout(Duration::from_millis(1), start.hash(&pw)).await {
                Ok(Err(HashError::Busy { retry_after: wait })) => retry_after.push(wait),
                Ok(Err(other)) => panic!("{other}"),
                Ok(Ok(_)) | Err(_) => admitted += 1,
            }
        }
        let load = h.load();
        assert!(load.saturated, "{load:?}");
        assert!(load.predicted_wait >= budget.start, "{load:?}");
        // Refused at the budget, told to come back after the predicted wait.
        assert!(!retry_after.is_empty(), "admitted all {admitted}");
        assert!(
            retry_after.iter().all(|w| *w >= budget.start),
            "{retry_after:?}"
        );
        let expected = (budget.start.as_nanos() / load.mean_hash.as_nanos()) as usize;
        assert!(
            admitted <= expected + 3,
            "admitted {admitted}, about {expected} fit in the budget at {:?} a hash",
            load.mean_hash
        );
        // Finishing work has the longer budget: it is still admitted.
        let phc = tokio::time::timeout(Duration::from_secs(60), finish.hash(&pw))
            .await
            .expect("finishing work is served");
        assert!(phc.is_ok(), "{phc:?}");
    }

    #[test]
    fn a_wait_budget_is_read_in_seconds_or_milliseconds() {
        let s = Duration::from_secs;
        assert_eq!(
            "10s".parse::<WaitBudget>(),
            Ok(WaitBudget {
                start: s(10),
                finish: s(20)
            })
        );
        assert_eq!(
            "5, 30s".parse::<WaitBudget>(),
            Ok(WaitBudget {
                start: s(5),
                finish: s(30)
            })
        );
        assert_eq!("1500ms".parse::<WaitBudget>().map(|b| b.finish), Ok(s(3)));
        for bad in ["", "0s", "ten", "-1s", "20s,10s", "99999999s"] {
            assert!(bad.parse::<WaitBudget>().is_err(), "{bad:?}");
        }
        assert_eq!(WaitBudget::default(), "10s".parse().unwrap());
        assert_eq!(whole_seconds(Duration::from_millis(2500)), 3);
        assert_eq!(whole_seconds(Duration::ZERO), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_hashing_thread_lowers_its_own_priority_and_no_other() {
        let own = || rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
        let before = own();
        let hashing = std::thread::spawn(move || {
            yield_to_requests(13);
            own()
        })
        .join()
        .unwrap();
        assert_eq!(hashing, 13);
        assert_eq!(own(), before, "the calling thread keeps its priority");
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
