//! Load benchmark: start-to-ready, registrations against the Argon2id ceiling, page speed
//! and memory, all against a real `flows serve` child process on 127.0.0.1.
//!
//! `cargo bench --bench load -- [--journeys N] [--rounds R] [--concurrency C] [--postgres URL [--instances N]]`
//! `cargo bench --bench load -- --flood N [--concurrency C] [--postgres URL]`: the overload phase alone.
//! `cargo bench --bench load -- --spike N [--server-cpus 0]`: N at once, each to be served.
//!
//! With `--postgres postgres://user@host:port/db` the server runs on PostgreSQL: each start
//! gets a fresh database created on that server (the URL's database is only where the
//! bench connects to create it). Without it, on a fresh SQLite file. With `--instances N`
//! (PostgreSQL only), N instances share that database behind a round-robin TCP balancer.
//!
//! Every ratio is computed inside one run, so both sides were measured on the same machine
//! under the same conditions; absolute figures vary from box to box, ratios much less.
//! The registration ratio goes further: a shared VM's speed drifts by ±15 % within a
//! minute, so journeys run in rounds, each between two hash baselines taken seconds apart,
//! and the median of the rounds' ratios is the figure.
//! Missed targets are reported, not fatal; any failed request makes the exit code 1.

mod client;
mod flood;

use anyhow::{Context, Result, anyhow, bail};
use client::{Answer, Browser};
use flows::password_hash::{HashParams, PasswordHasher};
use secrecy::SecretString;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

const DEFAULT_JOURNEYS: usize = 500;
const DEFAULT_ROUNDS: usize = 5;
const DEFAULT_CONCURRENCY: usize = 16;
const HASH_BASELINE_FOR: Duration = Duration::from_millis(1500);
/// The page figures alternate the two routes in short rounds, for the same reason as the
/// registration rounds: the box's speed drifts between two 5 s phases.
const PAGE_ROUNDS: usize = 5;
const PAGE_ROUND_FOR: Duration = Duration::from_secs(1);
/// Journeys run before the first round and not counted: the first ones pay for cold
/// caches, first connections and the hashing threads' first buffers.
const WARM_UP_JOURNEYS: usize = 50;
const PAGE_SPEED_CLIENTS: usize = 32;
const LIVE_EXECUTIONS: usize = 10_000;
const LIVE_EXECUTIONS_CONCURRENCY: usize = 32;
/// Start-to-ready is one short sample, easily disturbed: take the median of a few starts.
const STARTS: usize = 3;

// Bounds, so a broken server makes the bench fail instead of hang.
const READY_TIMEOUT: Duration = Duration::from_secs(15);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const MAIL_TIMEOUT: Duration = Duration::from_secs(30);
const PHASE_DEADLINE: Duration = Duration::from_secs(600);
const MAX_REQUESTS_PER_WORKER: usize = 2_000_000;
const MAIL_SCAN_EVERY: Duration = Duration::from_millis(5);

// Targets (see the README's "Benchmarks" section): issue 23's, on one core.
const TARGET_READY_MS: f64 = 300.0;
const TARGET_REGISTRATION_RATIO: f64 = 0.9;
const TARGET_PAGE_RATIO: f64 = 0.35;
const TARGET_STEP_P99_MS: f64 = 10.0;
const TARGET_API_CONTINUE_RATIO: f64 = 0.5;
const API_PATH: &str = "/api/server/v1/flow/execute";
const TARGET_RSS_MIB: f64 = 64.0;

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "load: {e:#}\nusage: cargo bench --bench load -- [--journeys N] [--rounds R] [--concurrency C] | --flood N | --spike N [--server-cpus LIST]"
            );
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("load: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(errors) => {
            eprintln!("load: {errors} request(s) failed");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("load: {e:#}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------------------
// Arguments

struct Args {
    /// In all, split evenly over the rounds.
    journeys: usize,
    rounds: usize,
    concurrency: usize,
    /// A PostgreSQL server to run on, instead of SQLite.
    postgres: Option<String>,
    /// Instances sharing the database, behind a round-robin balancer (PostgreSQL only).
    instances: usize,
    /// Only the overload phase: this many registration submits at once (`flood.rs`).
    flood: Option<usize>,
    /// The same with all of them at once, each to be served (`flood.rs`).
    spike: Option<usize>,
    concurrency_given: bool,
}

/// The CPUs the server runs on (`--server-cpus 0`, as `taskset -c` reads them), when told.
static SERVER_CPUS: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Another build of the server to measure (`--binary PATH`), so that two commits are
/// compared in one sitting; the one built with this bench otherwise.
static SERVER_BINARY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn server_binary() -> &'static str {
    SERVER_BINARY
        .get()
        .map_or(env!("CARGO_BIN_EXE_flows"), String::as_str)
}

impl Args {
    fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self> {
        let mut args = Args {
            journeys: DEFAULT_JOURNEYS,
            rounds: DEFAULT_ROUNDS,
            concurrency: DEFAULT_CONCURRENCY,
            postgres: None,
            instances: 1,
            flood: None,
            spike: None,
            concurrency_given: false,
        };
        while let Some(arg) = raw.next() {
            match arg.as_str() {
                "--journeys" => args.journeys = positive(&arg, raw.next())?,
                "--rounds" => args.rounds = positive(&arg, raw.next())?,
                "--concurrency" => {
                    args.concurrency = positive(&arg, raw.next())?;
                    args.concurrency_given = true;
                }
                "--flood" => args.flood = Some(positive(&arg, raw.next())?),
                "--spike" => args.spike = Some(positive(&arg, raw.next())?),
                "--server-cpus" => {
                    let cpus = raw
                        .next()
                        .filter(|c| {
                            !c.is_empty()
                                && c.chars()
                                    .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
                        })
                        .ok_or_else(|| anyhow!("--server-cpus needs a CPU list, like 0 or 0-1"))?;
                    let _ = SERVER_CPUS.set(cpus);
                }
                "--instances" => args.instances = positive(&arg, raw.next())?,
                "--binary" => {
                    let path = raw
                        .next()
                        .filter(|p| std::path::Path::new(p).is_file())
                        .ok_or_else(|| anyhow!("--binary needs the path of a flows binary"))?;
                    let _ = SERVER_BINARY.set(path);
                }
                "--postgres" => {
                    let url = raw
                        .next()
                        .ok_or_else(|| anyhow!("--postgres needs a URL"))?;
                    if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
                        bail!("--postgres needs a postgres:// URL");
                    }
                    args.postgres = Some(url);
                }
                // `cargo bench` appends this to every bench binary's arguments.
                "--bench" => {}
                other => bail!("unknown argument {other:?}"),
            }
        }
        if args.instances > 1 && args.postgres.is_none() {
            bail!("--instances above 1 needs --postgres: instances share a PostgreSQL database");
        }
        if args.rounds > args.journeys {
            bail!("--rounds cannot exceed --journeys");
        }
        Ok(args)
    }
}

fn positive(name: &str, value: Option<String>) -> Result<usize> {
    let value = value.ok_or_else(|| anyhow!("{name} needs a value"))?;
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => bail!("{name} must be a positive whole number, not {value:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The run

async fn run(args: Args) -> Result<usize> {
    if let Some((submits, spike)) = args
        .flood
        .map(|n| (n, false))
        .or(args.spike.map(|n| (n, true)))
    {
        let concurrency = match (args.concurrency_given, spike) {
            (true, _) => args.concurrency,
            (false, true) => submits,
            (false, false) => flood::DEFAULT_FLOOD_CONCURRENCY,
        };
        let (server, _) = Server::start(args.postgres.as_deref()).await?;
        let errors = flood::run(&server, submits, concurrency, spike).await?;
        if errors > 0 {
            println!("Server log (last lines):\n{}\n", server.log_tail(20));
        }
        return Ok(errors);
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "Flows load benchmark: {} journeys in {} rounds, concurrency {}, {cores} cores\n",
        args.journeys, args.rounds, args.concurrency
    );
    let mut cpu = CpuLog::default();

    // Before the server starts, so nothing else competes for the cores.
    let (hashes, used) = metered(None, hash_baseline(cores)).await?;
    cpu.push("hash baseline 0", used);
    println!("Argon2id baseline ({cores} concurrent hashes, default params): {hashes:.1} hashes/s");
    let mut baselines = vec![(hashes, used)];

    let (mut server, ready) = start_server(args.postgres.as_deref()).await?;
    let mut others = Vec::new();
    for _ in 1..args.instances {
        others.push(server.join().await?);
    }
    let _balancer = if others.is_empty() {
        None
    } else {
        let mut upstreams = vec![server.address];
        upstreams.extend(others.iter().map(|o| o.address));
        let (front, task) = balance(upstreams).await?;
        server.address = front;
        println!(
            "{} instances on one database behind a round-robin balancer (per connection); \
             memory and CPU figures are the first instance's",
            args.instances
        );
        Some(task)
    };
    println!(
        "Database: {}",
        if args.postgres.is_some() {
            "PostgreSQL (a fresh database per start)"
        } else {
            "SQLite (a fresh file per start)"
        }
    );
    let rss_start = server.rss_mib()?;
    println!("Server at start: {}\n", server.memory()?);
    let pid = Some(server.pid());

    let phases = Phases {
        server: &server,
        args: &args,
        cores,
        pid,
    };
    let (rounds, journeys) = phases
        .registrations(Front::Pages, &mut cpu, &mut baselines)
        .await?;
    let (api_rounds, api_journeys) = phases
        .registrations(Front::Api, &mut cpu, &mut baselines)
        .await?;
    let rss_journeys = server.rss_mib()?;
    println!("Server after the journeys: {}\n", server.memory()?);

    let mut trivial = Hammer::start(server.address, "/healthz", is_health_body).await?;
    let mut step = Hammer::start(server.address, "/register", is_details_page).await?;
    let mut api = Hammer::start_api(server.address).await?;
    let mut pages = Vec::with_capacity(PAGE_ROUNDS);
    let mut api_pages = Vec::with_capacity(PAGE_ROUNDS);
    for _ in 0..PAGE_ROUNDS {
        let (trivial, trivial_cpu) = metered(pid, trivial.run(PAGE_ROUND_FOR)).await?;
        let (step, step_cpu) = metered(pid, step.run(PAGE_ROUND_FOR)).await?;
        let (api, api_cpu) = metered(pid, api.run(PAGE_ROUND_FOR)).await?;
        // Each side against the trivial round right before it.
        api_pages.push(PageRound {
            trivial: LoadReport::merge(std::iter::once(&trivial)),
            trivial_cpu,
            step: api,
            step_cpu: api_cpu,
        });
        pages.push(PageRound {
            trivial,
            trivial_cpu,
            step,
            step_cpu,
        });
    }
    cpu.push(
        "GET /healthz",
        CpuUse::mean(pages.iter().map(|p| p.trivial_cpu)),
    );
    cpu.push(
        "GET /register",
        CpuUse::mean(pages.iter().map(|p| p.step_cpu)),
    );
    let trivial = LoadReport::merge(pages.iter().map(|p| &p.trivial));
    trivial.print("GET /healthz (trivial route)");
    let step = LoadReport::merge(pages.iter().map(|p| &p.step));
    step.print("GET /register (step page, existing session)");
    cpu.push(
        "POST API continue",
        CpuUse::mean(api_pages.iter().map(|p| p.step_cpu)),
    );
    let api_step = LoadReport::merge(api_pages.iter().map(|p| &p.step));
    api_step.print("POST API continue ({\"flowId\"}: the current view)");

    let before = JourneyCounts::read(server.address).await?;
    let (live, live_cpu) = metered(pid, create_executions(server.address)).await?;
    cpu.push("journeys started", live_cpu);
    live.print(&format!("\n{LIVE_EXECUTIONS} cookie-less GET /register"));
    let rss_live = server.rss_mib()?;
    let rss_peak = server.status_number("VmHWM:")? as f64 / 1024.0;
    let after = JourneyCounts::read(server.address).await?;
    let started_by_views = after.started - before.started;
    let stored_by_views = after.stored - before.stored;
    println!(
        "Server after them: {}; journeys started {started_by_views}, executions stored {stored_by_views}\n",
        server.memory()?
    );

    let figures = Figures {
        ready,
        rss: [rss_start, rss_journeys, rss_live, rss_peak],
        started_by_views,
        stored_by_views,
        rounds,
        journeys,
        api_rounds,
        api_journeys,
        pages,
        api_pages,
        trivial,
        step,
        api_step,
        live,
        cpu,
    };
    if figures.errors() > 0 {
        println!("Server log (last lines):\n{}\n", server.log_tail(20));
    }
    figures.cpu.print(cores);
    figures.summary().print();
    Ok(figures.errors())
}

/// What the registration phases share.
struct Phases<'a> {
    server: &'a Server,
    args: &'a Args,
    cores: usize,
    pid: Option<u32>,
}

impl Phases<'_> {
    /// Warm-up journeys (not counted), then rounds of journeys through `front`, each
    /// followed by a hash baseline with the server idle.
    async fn registrations(
        &self,
        front: Front,
        cpu: &mut CpuLog,
        baselines: &mut Vec<(f64, CpuUse)>,
    ) -> Result<(Vec<Round>, JourneyReport)> {
        let args = self.args;
        let warm_up = run_journeys(self.server, WARM_UP_JOURNEYS, args.concurrency, front).await?;
        println!(
            "{} warm-up: {} journeys, not counted, {} errors",
            front.name(),
            warm_up.times.len(),
            warm_up.errors.len()
        );
        let mut rounds = Vec::with_capacity(args.rounds);
        let tag = if front == Front::Api { "API " } else { "" };
        for round in 0..args.rounds {
            let planned =
                args.journeys / args.rounds + usize::from(round < args.journeys % args.rounds);
            let phase = run_journeys(self.server, planned, args.concurrency, front);
            let (journeys, journeys_cpu) = metered(self.pid, phase).await?;
            cpu.push(&format!("{tag}round {}", round + 1), journeys_cpu);
            // The server idle: the ceiling is measured right beside the round it bounds.
            let before = baselines
                .last()
                .copied()
                .unwrap_or((f64::NAN, journeys_cpu));
            let (hashes, used) = metered(self.pid, hash_baseline(self.cores)).await?;
            cpu.push(&format!("{tag}hash baseline {}", round + 1), used);
            baselines.push((hashes, used));
            let round = Round {
                journeys,
                cpu: journeys_cpu,
                hashes: [before, (hashes, used)],
            };
            round.print(&format!("{tag}round {}", rounds.len() + 1));
            rounds.push(round);
        }
        let journeys = JourneyReport::merge(
            std::iter::once(&warm_up).chain(rounds.iter().map(|r| &r.journeys)),
        );
        journeys.print();
        Ok((rounds, journeys))
    }
}

/// Journeys between two hash baselines: the ratio of one round uses the two around it.
struct Round {
    journeys: JourneyReport,
    cpu: CpuUse,
    /// Hashes/s and the CPU it took, just before and just after the round.
    hashes: [(f64, CpuUse); 2],
}

impl Round {
    fn hashes_per_second(&self) -> f64 {
        (self.hashes[0].0 + self.hashes[1].0) / 2.0
    }

    /// Registrations/s over hashes/s, both in wall time.
    fn ratio(&self) -> f64 {
        self.journeys.per_second() / self.hashes_per_second()
    }

    /// The same per CPU-second (the server's for registrations, the bench's for hashes):
    /// the share of a registration's CPU its hash accounts for, whatever else competed.
    fn ratio_per_cpu(&self) -> f64 {
        let per_cpu = |(hashes, used): (f64, CpuUse)| hashes / used.bench;
        (self.journeys.per_second() / self.cpu.server)
            / ((per_cpu(self.hashes[0]) + per_cpu(self.hashes[1])) / 2.0)
    }

    fn print(&self, name: &str) {
        println!(
            "{name}: {} journeys in {:.2} s = {:.1}/s; hashes {:.1} and {:.1}/s around it; ratio {:.2} (per CPU-second {:.2})",
            self.journeys.times.len(),
            self.journeys.elapsed.as_secs_f64(),
            self.journeys.per_second(),
            self.hashes[0].0,
            self.hashes[1].0,
            self.ratio(),
            self.ratio_per_cpu()
        );
    }
}

/// The median, lowest and highest of some rounds' figures.
fn spread(values: Vec<f64>) -> (f64, f64, f64) {
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(0.0, f64::max);
    (median(values), low, high)
}

/// One second on the trivial route, then one on the step page.
struct PageRound {
    trivial: LoadReport,
    trivial_cpu: CpuUse,
    step: LoadReport,
    step_cpu: CpuUse,
}

impl PageRound {
    fn ratio(&self) -> f64 {
        self.step.per_second() / self.trivial.per_second()
    }

    /// The same per CPU-second the server spent: what the page costs the server, whatever
    /// else ran; on a small box the load generator takes much of the cores on /healthz.
    fn ratio_per_cpu(&self) -> f64 {
        (self.step.per_second() / self.step_cpu.server)
            / (self.trivial.per_second() / self.trivial_cpu.server)
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Everything the summary needs, gathered once the phases are over.
struct Figures {
    ready: Duration,
    /// MiB at start, after the journeys, after the live executions, and the peak.
    rss: [f64; 4],
    /// Journeys the cookie-less page views started, and executions they stored: a first
    /// page only looked at is stored by no write of its own (src/engine/starts.rs).
    started_by_views: f64,
    stored_by_views: f64,
    rounds: Vec<Round>,
    /// The warm-up and all rounds together, for the step latencies and errors.
    journeys: JourneyReport,
    api_rounds: Vec<Round>,
    api_journeys: JourneyReport,
    pages: Vec<PageRound>,
    /// The API continue call, each round against the trivial round before it.
    api_pages: Vec<PageRound>,
    /// All page rounds together, for the totals and latencies.
    trivial: LoadReport,
    step: LoadReport,
    api_step: LoadReport,
    live: LoadReport,
    cpu: CpuLog,
}

impl Figures {
    fn page_errors(&self) -> usize {
        self.trivial.errors + self.step.errors + self.api_step.errors + self.live.errors
    }

    fn errors(&self) -> usize {
        self.journeys.errors.len() + self.api_journeys.errors.len() + self.page_errors()
    }

    fn summary(&self) -> Table {
        let mut t = Table::default();
        self.registration_rows(&mut t);
        self.api_rows(&mut t);
        self.page_rows(&mut t);
        self.memory_rows(&mut t);
        let other = self.cpu.worst_other();
        t.check(
            "Other processes' CPU, worst phase",
            format!("{other:.2} cores"),
            format!("< {NOISY_OTHER_CORES} cores"),
            other < NOISY_OTHER_CORES,
        );
        t
    }

    fn registration_rows(&self, t: &mut Table) {
        let ready = ms(self.ready);
        t.check(
            "Start-to-ready, fresh DB (median)",
            format!("{ready:.1} ms"),
            format!("< {TARGET_READY_MS} ms"),
            ready < TARGET_READY_MS,
        );
        let (hashes, low, high) =
            spread(self.rounds.iter().map(Round::hashes_per_second).collect());
        t.info(
            "Argon2id hashes/s (median; rounds' range)",
            format!("{hashes:.1} ({low:.1}–{high:.1})"),
        );
        let (regs, low, high) = spread(
            self.rounds
                .iter()
                .map(|r| r.journeys.per_second())
                .collect(),
        );
        t.info(
            "Registrations/s (median; rounds' range)",
            format!("{regs:.1} ({low:.1}–{high:.1})"),
        );
        let errors = self.journeys.errors.len();
        t.check(
            "Journey errors",
            errors.to_string(),
            "0".into(),
            errors == 0,
        );
        let (ratio, low, high) = spread(self.rounds.iter().map(Round::ratio).collect());
        t.check(
            "Registrations/s ÷ hashes/s (median of rounds)",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
            format!(">= {TARGET_REGISTRATION_RATIO}"),
            ratio >= TARGET_REGISTRATION_RATIO,
        );
        let (ratio, low, high) = spread(self.rounds.iter().map(Round::ratio_per_cpu).collect());
        t.info(
            "  same, per CPU-second",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
        );
    }

    fn api_rows(&self, t: &mut Table) {
        let (regs, low, high) = spread(
            self.api_rounds
                .iter()
                .map(|r| r.journeys.per_second())
                .collect(),
        );
        t.info(
            "API registrations/s (median; rounds' range)",
            format!("{regs:.1} ({low:.1}–{high:.1})"),
        );
        let errors = self.api_journeys.errors.len();
        t.check(
            "API journey errors",
            errors.to_string(),
            "0".into(),
            errors == 0,
        );
        let (ratio, low, high) = spread(self.api_rounds.iter().map(Round::ratio).collect());
        t.check(
            "API registrations/s ÷ hashes/s (median of rounds)",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
            format!(">= {TARGET_REGISTRATION_RATIO}"),
            ratio >= TARGET_REGISTRATION_RATIO,
        );
        t.info(
            "POST API continue req/s",
            format!("{:.0}", self.api_step.per_second()),
        );
        let (ratio, low, high) = spread(self.api_pages.iter().map(PageRound::ratio).collect());
        t.check(
            "API continue ÷ trivial req/s (median of rounds)",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
            format!(">= {TARGET_API_CONTINUE_RATIO}"),
            ratio >= TARGET_API_CONTINUE_RATIO,
        );
        let (ratio, low, high) = spread(
            self.api_pages
                .iter()
                .map(PageRound::ratio_per_cpu)
                .collect(),
        );
        t.info(
            "  same, per server CPU-second",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
        );
        let p99 = ms(self.api_step.latencies.percentile(99.0));
        t.check(
            "API continue p99",
            format!("{p99:.2} ms"),
            format!("< {TARGET_STEP_P99_MS} ms"),
            p99 < TARGET_STEP_P99_MS,
        );
    }

    fn page_rows(&self, t: &mut Table) {
        t.info(
            "GET /healthz req/s",
            format!("{:.0}", self.trivial.per_second()),
        );
        t.info(
            "GET /register (step) req/s",
            format!("{:.0}", self.step.per_second()),
        );
        let (ratio, low, high) = spread(self.pages.iter().map(PageRound::ratio).collect());
        t.check(
            "Step ÷ trivial req/s (median of rounds)",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
            format!(">= {TARGET_PAGE_RATIO}"),
            ratio >= TARGET_PAGE_RATIO,
        );
        let (ratio, low, high) = spread(self.pages.iter().map(PageRound::ratio_per_cpu).collect());
        t.info(
            "  same, per server CPU-second",
            format!("{ratio:.2} ({low:.2}–{high:.2})"),
        );
        let p99 = ms(self.step.latencies.percentile(99.0));
        t.check(
            "Step page p99",
            format!("{p99:.2} ms"),
            format!("< {TARGET_STEP_P99_MS} ms"),
            p99 < TARGET_STEP_P99_MS,
        );
        let errors = self.page_errors();
        t.check(
            "Page and execution errors",
            errors.to_string(),
            "0".into(),
            errors == 0,
        );
    }

    fn memory_rows(&self, t: &mut Table) {
        let [start, journeys, live, peak] = self.rss;
        t.info("RSS at start", format!("{start:.1} MiB"));
        t.info("RSS after journeys", format!("{journeys:.1} MiB"));
        t.check(
            &format!("RSS after {LIVE_EXECUTIONS} journeys started"),
            format!("{live:.1} MiB"),
            format!("<= {TARGET_RSS_MIB} MiB"),
            live <= TARGET_RSS_MIB,
        );
        // The hashing threads hold 19 MiB each while registrations come in and give it
        // back after 5 s idle, so the live executions are measured without them: the
        // peak shows all of it at once.
        t.check(
            "Peak RSS, whole run",
            format!("{peak:.1} MiB"),
            format!("<= {TARGET_RSS_MIB} MiB"),
            peak <= TARGET_RSS_MIB,
        );
        let started = self.started_by_views;
        t.check(
            "Journeys they started (flows_executions_started_total)",
            format!("{started}"),
            format!(">= {LIVE_EXECUTIONS}"),
            started >= LIVE_EXECUTIONS as f64,
        );
        let stored = self.stored_by_views;
        t.check(
            "Executions they stored (flows_live_executions)",
            format!("{stored}"),
            "0".into(),
            stored == 0.0,
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------------------
// Argon2id baseline

/// Hashes/s with the server's own hasher and default parameters, one concurrent hash per
/// core: the ceiling for registrations, since each one hashes exactly one password.
async fn hash_baseline(cores: usize) -> Result<f64> {
    // On the server's own CPUs when it is pinned (the server idle meanwhile): the ceiling of
    // that core, not of the one the load generator runs on.
    let hasher =
        on_server_cpus(|| PasswordHasher::new(HashParams::default(), cores, 1024 * cores))?;
    let started = Instant::now();
    let deadline = started + HASH_BASELINE_FOR;
    let workers: Vec<_> = (0..cores)
        .map(|i| {
            let hasher = hasher.clone();
            tokio::spawn(async move {
                let password = SecretString::from(format!("bench horse battery {i}"));
                let mut done = 0usize;
                while Instant::now() < deadline && done < MAX_REQUESTS_PER_WORKER {
                    hasher.hash(&password).await?;
                    done += 1;
                }
                anyhow::Ok(done)
            })
        })
        .collect();
    let mut total = 0;
    for worker in workers {
        total += worker.await??;
    }
    // The last hashes overrun the deadline: divide by the time they really took.
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// Runs `f` with this thread on the server's CPUs, when `--server-cpus` names them: threads
/// `f` starts keep that affinity. Where the affinity cannot be set, `f` runs where it is.
fn on_server_cpus<T>(f: impl FnOnce() -> T) -> T {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
    let Some(cpus) = SERVER_CPUS.get() else {
        return f();
    };
    let Ok(before) = sched_getaffinity(None) else {
        return f();
    };
    let mut server = CpuSet::new();
    for cpu in cpu_list(cpus) {
        server.set(cpu);
    }
    if sched_setaffinity(None, &server).is_err() {
        return f();
    }
    let value = f();
    let _ = sched_setaffinity(None, &before);
    value
}

/// The CPUs of a list as `taskset -c` reads it: `0`, `0-1`, `0,2-3`.
fn cpu_list(list: &str) -> Vec<usize> {
    list.split(',')
        .filter_map(|part| match part.trim().split_once('-') {
            Some((from, to)) => Some((from.parse().ok()?..=to.parse().ok()?).collect::<Vec<_>>()),
            None => part.trim().parse().ok().map(|cpu| vec![cpu]),
        })
        .flatten()
        .collect()
}

// ---------------------------------------------------------------------------------------
// The server under test

/// A `flows serve` child on a free port with its own database and mail folder. Dropping it
/// (also while unwinding) kills the process before the folder is deleted.
struct Server {
    child: Child,
    /// Where the bench sends requests: this instance, or the balancer in front of several.
    address: SocketAddr,
    log: PathBuf,
    /// Holds the log (and the SQLite file); deleted with the server.
    _dir: tempfile::TempDir,
    database: String,
    mail: PathBuf,
}

impl Server {
    /// Spawns the server on a fresh database and returns it with its start-to-ready time.
    async fn start(postgres: Option<&str>) -> Result<(Self, Duration)> {
        let dir = tempfile::tempdir().context("temporary folder")?;
        let database = match postgres {
            Some(admin) => fresh_postgres_database(admin).await?,
            None => format!("sqlite://{}", dir.path().join("flows.db").display()),
        };
        let mail = dir.path().join("mail");
        Self::spawn(dir, database, mail).await
    }

    /// One more instance on this one's database, writing mail to the same folder (so the
    /// bench finds every code whichever instance sent it).
    async fn join(&self) -> Result<Self> {
        let dir = tempfile::tempdir().context("temporary folder")?;
        let (server, _) = Self::spawn(dir, self.database.clone(), self.mail_dir()).await?;
        Ok(server)
    }

    async fn spawn(
        dir: tempfile::TempDir,
        database: String,
        mail: PathBuf,
    ) -> Result<(Self, Duration)> {
        let address = SocketAddr::from(([127, 0, 0, 1], free_port()?));
        let base = format!("http://{address}");
        let log = dir.path().join("server.log");
        let log_file = std::fs::File::create(&log).context("server log")?;
        let started = Instant::now();
        // Under `taskset` when told which CPUs: it execs the server, so the pid is the
        // server's and its /proc figures are the server's.
        let mut command = match SERVER_CPUS.get() {
            Some(cpus) => {
                let mut c = Command::new("taskset");
                c.args(["-c", cpus.as_str(), server_binary()]);
                c
            }
            None => Command::new(server_binary()),
        };
        let child = command
            .arg("serve")
            .env("FLOWS_LISTEN", address.to_string())
            .env("FLOWS_PUBLIC_URL", &base)
            .env("FLOWS_DATABASE_URL", &database)
            .env("FLOWS_MAIL_DIR", &mail)
            .env("FLOWS_LOG", "warn")
            // Every simulated newcomer posts from 127.0.0.1: a per-address limit would
            // measure the limiter, not the server.
            .env("FLOWS_RATE_LIMIT_PER_MINUTE", "0")
            // Simulated newcomers send a form back the moment they have read it.
            .env("FLOWS_FORM_MIN_FILL_MS", "0")
            // `/metrics` is closed without a token; the bench reads its gauges with this one.
            .env("FLOWS_METRICS_TOKEN", METRICS_TOKEN)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().context("server log")?)
            .stderr(log_file)
            .spawn()
            .context("cannot start the flows binary")?;
        let mut server = Server {
            child,
            address,
            log,
            _dir: dir,
            database,
            mail,
        };
        server.wait_ready(started).await?;
        Ok((server, started.elapsed()))
    }

    /// Polls `/healthz` until it answers 200; the ready line is logged at info, which the
    /// bench turns off to keep the server's logging cost out of the figures.
    async fn wait_ready(&mut self, started: Instant) -> Result<()> {
        while started.elapsed() < READY_TIMEOUT {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited with {status}:\n{}", self.log_tail(20));
            }
            let answer = browser(self.address, false).get("/healthz").await;
            if answer.is_ok_and(|a| a.status == 200) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        bail!(
            "the server was not ready within {READY_TIMEOUT:?}:\n{}",
            self.log_tail(20)
        )
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident and peak memory, and threads: each thread that ever hashed keeps its
    /// Argon2 buffer, so the thread count explains most RSS jumps.
    fn memory(&self) -> Result<String> {
        Ok(format!(
            "RSS {:.1} MiB (peak {:.1} MiB), {} threads",
            self.rss_mib()?,
            self.status_number("VmHWM:")? as f64 / 1024.0,
            self.status_number("Threads:")?
        ))
    }

    fn mail_dir(&self) -> PathBuf {
        self.mail.clone()
    }

    fn rss_mib(&self) -> Result<f64> {
        self.status_number("VmRSS:").map(|kib| kib as f64 / 1024.0)
    }

    /// One line of `/proc/<pid>/status`: a count, or a size in KiB (which it calls `kB`).
    fn status_number(&self, field: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| anyhow!("{path} has no {field} line"))
    }

    fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server `STARTS` times, each on a fresh database, and keeps the last one
/// running; returns it with the median start-to-ready time.
async fn start_server(postgres: Option<&str>) -> Result<(Server, Duration)> {
    let mut times = Vec::with_capacity(STARTS);
    let mut server = None;
    for _ in 0..STARTS {
        // Dropping the previous one first: only one server runs at a time.
        drop(server.take());
        let (started, ready) = Server::start(postgres).await?;
        times.push(ready);
        server = Some(started);
    }
    let server = server.ok_or_else(|| anyhow!("no server started"))?;
    let shown: Vec<String> = times.iter().map(|t| format!("{:.1}", ms(*t))).collect();
    let median = Samples::new(times).percentile(50.0);
    println!(
        "\nStart-to-ready on a fresh database: median {:.1} ms of {STARTS} starts ({} ms)",
        ms(median),
        shown.join(", ")
    );
    Ok((server, median))
}

/// A round-robin TCP balancer in front of `upstreams`, as an L4 load balancer would be: each
/// new connection goes to the next instance. Returns its address.
async fn balance(upstreams: Vec<SocketAddr>) -> Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .context("balancer")?;
    let front = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let mut next = 0usize;
        while let Ok((mut client, _)) = listener.accept().await {
            let upstream = upstreams[next % upstreams.len()];
            next += 1;
            tokio::spawn(async move {
                if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = client.set_nodelay(true);
                    let _ = server.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    Ok((front, task))
}

/// Creates a database of its own on the PostgreSQL server `admin` names; its URL.
async fn fresh_postgres_database(admin: &str) -> Result<String> {
    use sqlx::Connection;
    let name = format!("flows_bench_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .context("the PostgreSQL server given by --postgres")?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .context("create the bench's database")?;
    let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
    Ok(format!("{base}/{name}"))
}

/// Asks the kernel for a free port; the tiny window before the server binds it is harmless
/// on a bench box.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// A new browser with no connection yet; it follows no redirect, so every step is timed
/// on its own.
fn browser(server: SocketAddr, keep_cookies: bool) -> Browser {
    Browser::new(server, keep_cookies, REQUEST_TIMEOUT)
}

/// The bench's own `/metrics` bearer token (32 characters or more, as the server asks).
const METRICS_TOKEN: &str = "load-bench-metrics-token-0123456789";

/// Registrations started so far, and executions stored and live, from `/metrics`.
struct JourneyCounts {
    started: f64,
    stored: f64,
}

impl JourneyCounts {
    async fn read(server: SocketAddr) -> Result<Self> {
        let body = browser(server, false)
            .get_with_bearer("/metrics", METRICS_TOKEN)
            .await?
            .body;
        let series = |name: &str| {
            body.lines()
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().parse::<f64>().ok())
        };
        Ok(Self {
            // Not there before the first start.
            started: series(r#"flows_executions_started_total{flow_type="REGISTRATION"} "#)
                .unwrap_or(0.0),
            stored: series("flows_live_executions ")
                .ok_or_else(|| anyhow!("/metrics has no flows_live_executions gauge"))?,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Mail

/// The server's `.eml` folder, read for every journey by one scanner thread: each new file
/// is parsed once, instead of each waiting journey re-reading the whole folder (which would
/// steal CPU from the server on a small box).
struct Inbox {
    dir: PathBuf,
    /// The code stands alone on an indented line of the text part.
    code: regex::Regex,
    state: Mutex<InboxState>,
}

#[derive(Default)]
struct InboxState {
    seen: HashSet<PathBuf>,
    /// Codes that arrived before their journey started waiting.
    codes: HashMap<String, String>,
    waiting: HashMap<String, oneshot::Sender<String>>,
}

impl Inbox {
    fn new(dir: PathBuf) -> Result<Self> {
        Ok(Self {
            dir,
            code: regex::Regex::new(r"(?m)^\s+(\d{6})\s*$")?,
            state: Mutex::default(),
        })
    }

    fn state(&self) -> MutexGuard<'_, InboxState> {
        // A poisoned lock only means a scanner panicked mid-insert; the maps are still sound.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for the code mailed to `email` (lower case).
    async fn code_for(&self, email: &str) -> Result<String> {
        let receiver = {
            let mut state = self.state();
            if let Some(code) = state.codes.remove(email) {
                return Ok(code);
            }
            let (sender, receiver) = oneshot::channel();
            state.waiting.insert(email.to_owned(), sender);
            receiver
        };
        match tokio::time::timeout(MAIL_TIMEOUT, receiver).await {
            Ok(Ok(code)) => Ok(code),
            _ => {
                self.state().waiting.remove(email);
                bail!("no code mailed to {email} within {MAIL_TIMEOUT:?}")
            }
        }
    }

    /// Reads the files not seen yet, then removes them. The server writes `.name.tmp` then
    /// renames, so a visible `.eml` is complete; one that cannot be read is retried on the
    /// next scan.
    fn scan(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return; // Not created until the first mail.
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_none_or(|x| x != "eml") || self.state().seen.contains(&path) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let parsed = self.code_mail(&bytes);
            // Read mail is removed so each scan lists only what is new; `seen` still
            // guards a file the removal failed on.
            let _ = std::fs::remove_file(&path);
            let mut state = self.state();
            state.seen.insert(path);
            if let Some((to, code)) = parsed {
                match state.waiting.remove(&to) {
                    Some(sender) => {
                        let _ = sender.send(code);
                    }
                    None => {
                        state.codes.insert(to, code);
                    }
                }
            }
        }
    }

    /// The recipient (lower case) and the one-time code of a verification mail.
    fn code_mail(&self, bytes: &[u8]) -> Option<(String, String)> {
        let message = mail_parser::MessageParser::default().parse(bytes)?;
        let to = message.to()?.first()?.address()?.to_lowercase();
        let text = message.body_text(0)?;
        let code = self.code.captures(&text)?.get(1)?.as_str().to_owned();
        Some((to, code))
    }

    /// Scans until `stop` is set, or the phase deadline passes.
    fn spawn_scanner(self: &Arc<Self>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
        let inbox = self.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            while !stop.load(Ordering::Relaxed) && started.elapsed() < PHASE_DEADLINE {
                inbox.scan();
                std::thread::sleep(MAIL_SCAN_EVERY);
            }
        })
    }
}

// ---------------------------------------------------------------------------------------
// Registration journeys

/// Which front end a journey goes through: the hosted pages or the JSON API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Front {
    Pages,
    Api,
}

impl Front {
    fn name(self) -> &'static str {
        match self {
            Front::Pages => "Registrations (hosted pages)",
            Front::Api => "Registrations (JSON API)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    GetForm,
    PostDetails,
    GetCodePage,
    MailWait,
    PostCode,
    GetDone,
}

impl Step {
    const ALL: [Step; 6] = [
        Step::GetForm,
        Step::PostDetails,
        Step::GetCodePage,
        Step::MailWait,
        Step::PostCode,
        Step::GetDone,
    ];

    /// The JSON journey has no pages to fetch after a post: its answers are the views.
    fn label(self, front: Front) -> &'static str {
        match (front, self) {
            (Front::Api, Step::GetForm) => "POST start",
            (Front::Api, Step::PostDetails) => "POST details (answers the code view)",
            (Front::Api, Step::GetCodePage | Step::GetDone) => "",
            (Front::Api, Step::PostCode) => "POST code (answers COMPLETE)",
            (_, Step::GetForm) => "GET form",
            (_, Step::PostDetails) => "POST details",
            (_, Step::GetCodePage) => "GET code page",
            (_, Step::MailWait) => "mail wait (not server latency)",
            (_, Step::PostCode) => "POST code",
            (_, Step::GetDone) => "GET done",
        }
    }
}

/// How long each step of one journey took, in the order of `Step::ALL`.
type StepTimes = [Duration; Step::ALL.len()];

struct JourneyFailure {
    step: Step,
    error: anyhow::Error,
}

fn at(step: Step) -> impl Fn(anyhow::Error) -> JourneyFailure {
    move |error| JourneyFailure { step, error }
}

struct JourneyReport {
    front: Front,
    planned: usize,
    concurrency: usize,
    times: Vec<StepTimes>,
    errors: Vec<(Step, String)>,
    elapsed: Duration,
}

impl JourneyReport {
    /// Completed registrations per second of wall time.
    fn per_second(&self) -> f64 {
        self.times.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The rounds as one report: all their journeys, over their summed time.
    fn merge<'a>(rounds: impl Iterator<Item = &'a JourneyReport>) -> JourneyReport {
        let mut all = JourneyReport {
            front: Front::Pages,
            planned: 0,
            concurrency: 0,
            times: Vec::new(),
            errors: Vec::new(),
            elapsed: Duration::ZERO,
        };
        for round in rounds {
            all.front = round.front;
            all.planned += round.planned;
            all.concurrency = round.concurrency;
            all.times.extend_from_slice(&round.times);
            all.errors.extend(round.errors.iter().cloned());
            all.elapsed += round.elapsed;
        }
        all
    }

    fn step_samples(&self, step: Step) -> Samples {
        let i = Step::ALL.iter().position(|s| *s == step).unwrap_or(0);
        Samples::new(self.times.iter().map(|t| t[i]).collect())
    }

    fn print(&self) {
        println!(
            "{}: {} of {} journeys completed at concurrency {} in {:.2} s: {:.1} journeys/s, {} errors",
            self.front.name(),
            self.times.len(),
            self.planned,
            self.concurrency,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            self.errors.len()
        );
        println!("  {:<32} {:>9} {:>9}", "step", "p50 ms", "p99 ms");
        for step in Step::ALL {
            if step.label(self.front).is_empty() {
                continue;
            }
            let samples = self.step_samples(step);
            println!(
                "  {:<32} {:>9.2} {:>9.2}",
                step.label(self.front),
                ms(samples.percentile(50.0)),
                ms(samples.percentile(99.0))
            );
        }
        for (step, error) in self.errors.iter().take(5) {
            println!("  error at {}: {error}", step.label(self.front));
        }
    }
}

/// `total` complete registrations, `concurrency` at a time, each with its own browser.
async fn run_journeys(
    server: &Server,
    total: usize,
    concurrency: usize,
    front: Front,
) -> Result<JourneyReport> {
    let inbox = Arc::new(Inbox::new(server.mail_dir())?);
    let stop = Arc::new(AtomicBool::new(false));
    let scanner = inbox.spawn_scanner(stop.clone());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency.min(total))
        .map(|_| {
            let (address, inbox, next) = (server.address, inbox.clone(), next.clone());
            tokio::spawn(async move {
                let mut results = Vec::new();
                while started.elapsed() < PHASE_DEADLINE {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break;
                    }
                    results.push(match front {
                        Front::Pages => journey(address, &inbox, n).await,
                        Front::Api => api_journey(address, &inbox, n).await,
                    });
                }
                results
            })
        })
        .collect();
    let mut report = JourneyReport {
        front,
        planned: total,
        concurrency,
        times: Vec::with_capacity(total),
        errors: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for worker in workers {
        for result in worker.await? {
            match result {
                Ok(times) => report.times.push(times),
                Err(f) => report.errors.push((f.step, format!("{:#}", f.error))),
            }
        }
    }
    report.elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    scanner
        .join()
        .map_err(|_| anyhow!("the mail scanner panicked"))?;
    for _ in report.times.len() + report.errors.len()..total {
        report
            .errors
            .push((Step::GetForm, "not started before the deadline".into()));
    }
    Ok(report)
}

/// One newcomer registering with the default template, every answer checked.
async fn journey(server: SocketAddr, inbox: &Inbox, n: usize) -> Result<StepTimes, JourneyFailure> {
    let mut client = browser(server, true);
    let url = "/register";
    let email = format!("load.{}@example.com", uuid::Uuid::new_v4().simple());
    let password = format!("bench horse battery {n}");
    let mut times = StepTimes::default();

    let (page, t) = timed(client.get(url)).await.map_err(at(Step::GetForm))?;
    times[0] = t;
    let form = page.step_form("details").map_err(at(Step::GetForm))?;

    let details = form.details(&email, &password);
    let (answer, t) = timed(client.post(url, &details))
        .await
        .map_err(at(Step::PostDetails))?;
    times[1] = t;
    answer
        .redirect_to("/register")
        .map_err(at(Step::PostDetails))?;

    let (page, t) = timed(client.get(url))
        .await
        .map_err(at(Step::GetCodePage))?;
    times[2] = t;
    let form = page
        .step_form("enter_code")
        .map_err(at(Step::GetCodePage))?;

    let (code, t) = timed(inbox.code_for(&email))
        .await
        .map_err(at(Step::MailWait))?;
    times[3] = t;

    let verify = [
        ("csrf_token", form.csrf.as_str()),
        ("form_token", form.token.as_str()),
        ("step", "enter_code"),
        ("action", "verify"),
        ("otp", &code),
    ];
    let (answer, t) = timed(client.post(url, &verify))
        .await
        .map_err(at(Step::PostCode))?;
    times[4] = t;
    answer
        .redirect_to("/register")
        .map_err(at(Step::PostCode))?;

    let (page, t) = timed(client.get(url)).await.map_err(at(Step::GetDone))?;
    times[5] = t;
    page.heading("Your account is ready")
        .map_err(at(Step::GetDone))?;
    Ok(times)
}

/// The same newcomer through the JSON API, as a client application renders it.
async fn api_journey(
    server: SocketAddr,
    inbox: &Inbox,
    n: usize,
) -> Result<StepTimes, JourneyFailure> {
    let mut client = browser(server, false);
    let email = format!("api.{}@example.com", uuid::Uuid::new_v4().simple());
    let password = format!("bench horse battery {n}");
    let mut times = StepTimes::default();

    let start = r#"{"flowType":"REGISTRATION"}"#;
    let (answer, t) = timed(client.post_json(API_PATH, start))
        .await
        .map_err(at(Step::GetForm))?;
    times[0] = t;
    let flow_id = answer.flow_id("continue").map_err(at(Step::GetForm))?;

    let details = serde_json::json!({
        "flowId": flow_id,
        "actionId": "continue",
        "inputs": {
            "http://wso2.org/claims/givenname": "Ada",
            "http://wso2.org/claims/lastname": "Lovelace",
            "http://wso2.org/claims/emailaddress": email,
            "password": password,
            "terms": true,
        },
    })
    .to_string();
    let (answer, t) = timed(client.post_json(API_PATH, &details))
        .await
        .map_err(at(Step::PostDetails))?;
    times[1] = t;
    answer.flow_id("verify").map_err(at(Step::PostDetails))?;

    let (code, t) = timed(inbox.code_for(&email))
        .await
        .map_err(at(Step::MailWait))?;
    times[3] = t;

    let verify = serde_json::json!({
        "flowId": flow_id,
        "actionId": "verify",
        "inputs": {"otp": code},
    })
    .to_string();
    let (answer, t) = timed(client.post_json(API_PATH, &verify))
        .await
        .map_err(at(Step::PostCode))?;
    times[4] = t;
    answer.expect_status(200).map_err(at(Step::PostCode))?;
    if !answer.body.contains(r#""flowStatus":"COMPLETE""#) {
        return Err(at(Step::PostCode)(anyhow!("not COMPLETE: {}", answer.body)));
    }
    Ok(times)
}

async fn timed<T>(work: impl Future<Output = Result<T>>) -> Result<(T, Duration)> {
    let started = Instant::now();
    let value = work.await?;
    Ok((value, started.elapsed()))
}

// ---------------------------------------------------------------------------------------
// Answers and what the bench checks in them

/// The hidden fields of a step form.
struct StepForm {
    csrf: String,
    /// The signed render time, which every step form must send back.
    token: String,
}

impl StepForm {
    /// The registration's details step filled in for a newcomer.
    fn details<'a>(&'a self, email: &'a str, password: &'a str) -> [(&'a str, &'a str); 9] {
        [
            ("csrf_token", self.csrf.as_str()),
            ("form_token", self.token.as_str()),
            ("step", "details"),
            ("action", "continue"),
            ("given_name", "Ada"),
            ("family_name", "Lovelace"),
            ("email", email),
            ("password", password),
            ("terms", "true"),
        ]
    }
}

impl Answer {
    fn expect_status(&self, expected: u16) -> Result<()> {
        if self.status != expected {
            bail!(
                "expected {expected}, got {} (h1 {:?})",
                self.status,
                self.first_heading().unwrap_or_default()
            );
        }
        Ok(())
    }

    fn redirect_to(&self, path: &str) -> Result<()> {
        self.expect_status(303)?;
        match self.location.as_deref() {
            Some(l) if l == path => Ok(()),
            other => bail!("expected a redirect to {path}, got {other:?}"),
        }
    }

    /// A 200 page showing the step form of `step`.
    fn step_form(&self, step: &str) -> Result<StepForm> {
        self.expect_status(200)?;
        let form = self
            .body
            .split_once(r#"<form class="flow-form""#)
            .map(|(_, form)| form.split_once("</form>").map_or(form, |(f, _)| f));
        let field = |name: &str| form.and_then(|f| hidden_value(f, name));
        let shown = field("step");
        if shown != Some(step) {
            bail!(
                "expected step {step:?}, got {shown:?} (h1 {:?})",
                self.first_heading().unwrap_or_default()
            );
        }
        let csrf = field("csrf_token")
            .ok_or_else(|| anyhow!("the {step} form has no csrf_token"))?
            .to_owned();
        let token = field("form_token")
            .ok_or_else(|| anyhow!("the {step} form has no form_token"))?
            .to_owned();
        Ok(StepForm { csrf, token })
    }

    /// A 200 API view offering the button `action`; returns its `flowId`. String search,
    /// for the same reason as `first_heading`.
    fn flow_id(&self, action: &str) -> Result<String> {
        self.expect_status(200)?;
        if !self.body.contains(&format!(r#""actionId":"{action}""#)) {
            bail!("no {action:?} button in {}", self.body);
        }
        let (_, rest) = self
            .body
            .split_once(r#""flowId":""#)
            .ok_or_else(|| anyhow!("no flowId in {}", self.body))?;
        rest.split_once('"')
            .map(|(id, _)| id.to_owned())
            .ok_or_else(|| anyhow!("a broken flowId"))
    }

    /// A 200 page whose `h1` reads `text`.
    fn heading(&self, text: &str) -> Result<()> {
        self.expect_status(200)?;
        let h1 = self.first_heading().unwrap_or_default();
        if h1 != text {
            bail!("expected h1 {text:?}, got {h1:?}");
        }
        Ok(())
    }

    /// The text of the first `h1`. Plain string search, not an HTML parser: the load
    /// generator shares the server's cores, so every microsecond it spends is taken from
    /// the figures it reports (a parser cost about a tenth of both cores here).
    fn first_heading(&self) -> Option<&str> {
        let (_, rest) = self.body.split_once("<h1")?;
        let (_, rest) = rest.split_once('>')?;
        let (text, _) = rest.split_once("</h1>")?;
        Some(text.trim())
    }
}

/// The value of `<input type="hidden" name="{name}" value="…">` in `html`, as the server's
/// templates write it; a token or step name never needs unescaping.
fn hidden_value<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!(r#"name="{name}" value=""#);
    let (_, rest) = html.split_once(marker.as_str())?;
    rest.split_once('"').map(|(value, _)| value)
}

// ---------------------------------------------------------------------------------------
// Page speed and live executions

/// How much work a load phase may do: until a deadline, and at most `left` requests.
#[derive(Clone)]
struct Budget {
    deadline: Instant,
    left: Arc<AtomicUsize>,
}

impl Budget {
    fn for_time(duration: Duration, workers: usize) -> Self {
        Self {
            deadline: Instant::now() + duration,
            left: Arc::new(AtomicUsize::new(MAX_REQUESTS_PER_WORKER * workers)),
        }
    }

    fn requests(count: usize) -> Self {
        Self {
            deadline: Instant::now() + PHASE_DEADLINE,
            left: Arc::new(AtomicUsize::new(count)),
        }
    }

    /// Claims one request, if time and count allow.
    fn take(&self) -> bool {
        Instant::now() < self.deadline
            && self
                .left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
    }
}

struct LoadReport {
    latencies: Samples,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
}

impl LoadReport {
    /// Several phases as one: their answers over their summed time.
    fn merge<'a>(phases: impl Iterator<Item = &'a LoadReport>) -> LoadReport {
        let mut latencies = Vec::new();
        let (mut errors, mut first_error, mut elapsed) = (0, None, Duration::ZERO);
        for phase in phases {
            latencies.extend_from_slice(&phase.latencies.0);
            errors += phase.errors;
            first_error = first_error.or_else(|| phase.first_error.clone());
            elapsed += phase.elapsed;
        }
        LoadReport {
            latencies: Samples::new(latencies),
            errors,
            first_error,
            elapsed,
        }
    }

    /// Good answers per second.
    fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn print(&self, what: &str) {
        println!(
            "{what}: {} ok in {:.2} s = {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
            self.latencies.len(),
            self.elapsed.as_secs_f64(),
            self.per_second(),
            ms(self.latencies.percentile(50.0)),
            ms(self.latencies.percentile(99.0)),
            self.errors
        );
        if let Some(e) = &self.first_error {
            println!("  first error: {e}");
        }
    }
}

fn is_health_body(body: &str) -> bool {
    body == "ok"
}

fn is_details_page(body: &str) -> bool {
    body.contains(r#"name="step" value="details""#)
}

/// `true` for an API answer that is a view of a flow under way.
fn is_api_view(body: &str) -> bool {
    body.contains(r#""flowStatus":"INCOMPLETE""#) && body.contains(r#""type":"VIEW""#)
}

/// What one simulated client sends, again and again.
#[derive(Clone)]
enum Request {
    Get(String),
    Json(&'static str, String),
}

impl Request {
    async fn send(&self, client: &mut Browser) -> Result<Answer> {
        match self {
            Request::Get(path) => client.get(path).await,
            Request::Json(path, body) => client.post_json(path, body).await,
        }
    }
}

/// `PAGE_SPEED_CLIENTS` clients asking for one thing. Each keeps its own cookie jar and
/// connection: its first, untimed request starts its one execution, and every timed one
/// after it shows that execution's step again without creating another.
struct Hammer {
    clients: Vec<(Browser, Request)>,
    check: fn(&str) -> bool,
}

impl Hammer {
    async fn start(
        server: SocketAddr,
        path: &'static str,
        check: fn(&str) -> bool,
    ) -> Result<Self> {
        let mut clients = Vec::with_capacity(PAGE_SPEED_CLIENTS);
        for _ in 0..PAGE_SPEED_CLIENTS {
            let mut client = browser(server, true);
            let first = client.get(path).await?;
            if first.status != 200 || !check(&first.body) {
                bail!("warm-up GET {path} answered {}", first.status);
            }
            clients.push((client, Request::Get(path.to_owned())));
        }
        Ok(Self { clients, check })
    }

    /// Clients of the JSON API, each with a registration of its own standing at its first
    /// view, asking where it stands (`{"flowId"}` alone): a continue call that answers a
    /// view and runs no executor.
    async fn start_api(server: SocketAddr) -> Result<Self> {
        let mut clients = Vec::with_capacity(PAGE_SPEED_CLIENTS);
        for _ in 0..PAGE_SPEED_CLIENTS {
            let mut client = browser(server, false);
            let first = client
                .post_json(API_PATH, r#"{"flowType":"REGISTRATION"}"#)
                .await?;
            let flow_id = first.flow_id("continue")?;
            let again =
                serde_json::json!({"flowType": "REGISTRATION", "flowId": flow_id}).to_string();
            clients.push((client, Request::Json(API_PATH, again)));
        }
        Ok(Self {
            clients,
            check: is_api_view,
        })
    }

    async fn run(&mut self, duration: Duration) -> Result<LoadReport> {
        let budget = Budget::for_time(duration, PAGE_SPEED_CLIENTS);
        let clients = std::mem::take(&mut self.clients);
        let (report, clients) = drive(clients, self.check, budget).await?;
        self.clients = clients;
        Ok(report)
    }
}

/// `LIVE_EXECUTIONS` GETs of `/register` without cookies: each starts a journey that
/// nobody goes on with, as crawlers and abandoned tabs do.
async fn create_executions(server: SocketAddr) -> Result<LoadReport> {
    let clients = (0..LIVE_EXECUTIONS_CONCURRENCY)
        .map(|_| (browser(server, false), Request::Get("/register".into())))
        .collect();
    let budget = Budget::requests(LIVE_EXECUTIONS);
    let (report, _) = drive(clients, is_details_page, budget).await?;
    Ok(report)
}

/// One task per client, sending its request while the budget lasts; answers that are not a
/// 200 passing `check` count as errors. The clients come back, connections and cookies kept.
async fn drive(
    clients: Vec<(Browser, Request)>,
    check: fn(&str) -> bool,
    budget: Budget,
) -> Result<(LoadReport, Vec<(Browser, Request)>)> {
    let started = Instant::now();
    let workers: Vec<_> = clients
        .into_iter()
        .map(|(mut client, request)| {
            let budget = budget.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                while budget.take() {
                    let sent = Instant::now();
                    match request.send(&mut client).await {
                        Ok(a) if a.status == 200 && check(&a.body) => {
                            latencies.push(sent.elapsed());
                        }
                        Ok(a) => errors.push(format!("status {}", a.status)),
                        Err(e) => errors.push(format!("{e:#}")),
                    }
                }
                ((client, request), latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    let mut clients = Vec::new();
    for worker in workers {
        let (c, l, e) = worker.await?;
        clients.push(c);
        latencies.extend(l);
        errors.extend(e);
    }
    let report = LoadReport {
        latencies: Samples::new(latencies),
        errors: errors.len(),
        first_error: errors.into_iter().next(),
        elapsed: started.elapsed(),
    };
    Ok((report, clients))
}

// ---------------------------------------------------------------------------------------
// CPU accounting

/// Figures taken while other processes (a build, say) used more than this many cores are
/// flagged as unreliable.
const NOISY_OTHER_CORES: f64 = 0.2;

/// Cores used on average during a phase by the server, by this bench (the load generator
/// shares the box), and by everything else.
#[derive(Clone, Copy)]
struct CpuUse {
    server: f64,
    bench: f64,
    other: f64,
}

/// CPU time counters, in the kernel's USER_HZ ticks (100 per second on every Linux
/// architecture that matters; /proc always reports in USER_HZ whatever the kernel's HZ).
#[derive(Clone, Copy)]
struct CpuSample {
    busy: u64,
    server: u64,
    bench: u64,
}

const USER_HZ: f64 = 100.0;

impl CpuUse {
    /// The average of phases of equal length.
    fn mean(phases: impl Iterator<Item = CpuUse>) -> CpuUse {
        let (mut sum, mut n) = (
            CpuUse {
                server: 0.0,
                bench: 0.0,
                other: 0.0,
            },
            0.0,
        );
        for p in phases {
            sum.server += p.server;
            sum.bench += p.bench;
            sum.other += p.other;
            n += 1.0;
        }
        let n = f64::max(n, 1.0);
        CpuUse {
            server: sum.server / n,
            bench: sum.bench / n,
            other: sum.other / n,
        }
    }
}

struct CpuMeter {
    pid: Option<u32>,
    at: Instant,
    start: CpuSample,
}

impl CpuMeter {
    fn start(pid: Option<u32>) -> Result<Self> {
        Ok(Self {
            pid,
            at: Instant::now(),
            start: cpu_sample(pid)?,
        })
    }

    fn stop(&self) -> Result<CpuUse> {
        let end = cpu_sample(self.pid)?;
        let seconds = self.at.elapsed().as_secs_f64() * USER_HZ;
        let cores = |a: u64, b: u64| b.saturating_sub(a) as f64 / seconds;
        let server = cores(self.start.server, end.server);
        let bench = cores(self.start.bench, end.bench);
        let busy = cores(self.start.busy, end.busy);
        Ok(CpuUse {
            server,
            bench,
            other: (busy - server - bench).max(0.0),
        })
    }
}

/// Runs one phase and measures the CPU it took.
async fn metered<T>(
    server: Option<u32>,
    phase: impl Future<Output = Result<T>>,
) -> Result<(T, CpuUse)> {
    let meter = CpuMeter::start(server)?;
    let value = phase.await?;
    Ok((value, meter.stop()?))
}

fn cpu_sample(server: Option<u32>) -> Result<CpuSample> {
    Ok(CpuSample {
        busy: system_busy_ticks()?,
        server: server.map_or(Ok(0), |pid| process_ticks(&pid.to_string()))?,
        bench: process_ticks("self")?,
    })
}

/// Busy time of all cores: the first line of /proc/stat minus idle and iowait.
fn system_busy_ticks() -> Result<u64> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("cpu "))
        .ok_or_else(|| anyhow!("/proc/stat has no cpu line"))?
        .split_whitespace()
        .take(8) // user nice system idle iowait irq softirq steal; guest is inside user
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let (idle, iowait) = (fields.get(3), fields.get(4));
    Ok(fields.iter().sum::<u64>() - idle.unwrap_or(&0) - iowait.unwrap_or(&0))
}

/// User plus system time of all threads of a process, from /proc/<pid>/stat.
fn process_ticks(pid: &str) -> Result<u64> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path)?;
    // The command name may hold spaces; the fields after it are fixed: utime and stime are
    // the 12th and 13th after the closing parenthesis.
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| anyhow!("{path} is malformed"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| -> Result<u64> {
        Ok(fields
            .get(i)
            .ok_or_else(|| anyhow!("{path} is short"))?
            .parse()?)
    };
    Ok(tick(11)? + tick(12)?)
}

/// The CPU use of each phase, in the order they ran.
#[derive(Default)]
struct CpuLog {
    phases: Vec<(String, CpuUse)>,
}

impl CpuLog {
    fn push(&mut self, phase: &str, used: CpuUse) {
        self.phases.push((phase.to_owned(), used));
    }

    /// The most CPU other processes took during any phase.
    fn worst_other(&self) -> f64 {
        self.phases.iter().map(|(_, u)| u.other).fold(0.0, f64::max)
    }

    fn print(&self, cores: usize) {
        println!("CPU used per phase, in cores (of {cores}):");
        println!(
            "  {:<16} {:>7} {:>7} {:>7}",
            "phase", "server", "bench", "other"
        );
        for (phase, u) in &self.phases {
            let flag = if u.other > NOISY_OTHER_CORES {
                "  <- other processes were busy: figure unreliable"
            } else {
                ""
            };
            println!(
                "  {phase:<16} {:>7.2} {:>7.2} {:>7.2}{flag}",
                u.server, u.bench, u.other
            );
        }
        println!();
    }
}

// ---------------------------------------------------------------------------------------
// Figures

/// Latencies, sorted once so percentiles are cheap.
struct Samples(Vec<Duration>);

impl Samples {
    fn new(mut values: Vec<Duration>) -> Self {
        values.sort_unstable();
        Self(values)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// Nearest-rank percentile; zero when there are no samples.
    fn percentile(&self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }
}

/// The closing summary: figure, value, target, verdict (`-` for figures without a target).
#[derive(Default)]
struct Table {
    rows: Vec<[String; 4]>,
}

impl Table {
    /// A figure with a target.
    fn check(&mut self, figure: &str, value: String, target: String, pass: bool) {
        let verdict = if pass { "PASS" } else { "FAIL" };
        self.rows
            .push([figure.to_owned(), value, target, verdict.to_owned()]);
    }

    /// A figure reported for context, without a target.
    fn info(&mut self, figure: &str, value: String) {
        self.rows
            .push([figure.to_owned(), value, "-".into(), "-".into()]);
    }

    fn print(&self) {
        let header = ["figure", "value", "target", "result"].map(str::to_owned);
        let mut widths = [0usize; 4];
        for row in std::iter::once(&header).chain(&self.rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::from("Summary\n");
        for row in std::iter::once(&header).chain(&self.rows) {
            let _ = writeln!(
                out,
                "  {:<w0$}  {:>w1$}  {:<w2$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2]
            );
        }
        print!("{out}");
    }
}
