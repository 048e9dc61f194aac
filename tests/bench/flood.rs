//! `--flood N` and `--spike N`: N registration submits from many newcomers at once, against
//! one server. Measures what admission by predicted wait promises (README "Overload"):
//! - a spike (`--spike 128`: 128 people at once, as at a launch) is served whole: nobody is
//!   refused while the wait stays within the budget;
//! - a flood (`--flood 1000`) is shed only beyond the budget, with 503 and `Retry-After`,
//!   and nobody admitted is served later than the budget plus 2 s;
//! - meanwhile `/healthz` and a page GET from other clients stay fast (their p99), and the
//!   server's memory stays bounded (its peak RSS, the kernel's high-water mark).
//!
//! Run it with the server on one core and the load generator on the other, as the issue's
//! figures are: `cargo bench --bench load -- --spike 128 --server-cpus 0`.

use super::{Samples, Server, browser, ms};
use anyhow::Result;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Newcomers submitting at once unless `--concurrency` says otherwise.
pub const DEFAULT_FLOOD_CONCURRENCY: usize = 1_000;

/// The server's default wait budget for work that starts something (a registration's
/// details), `FLOWS_HASH_WAIT_BUDGET`, and the slack the promise allows beyond it.
const START_BUDGET: Duration = Duration::from_secs(10);
const SLACK: Duration = Duration::from_secs(2);

// Targets (README "Overload").
const TARGET_HEALTHZ_P99_MS: f64 = 20.0;
const TARGET_PEAK_RSS_MIB: f64 = 96.0;

#[derive(Default)]
struct Tally {
    /// How long each admitted submit took, from the POST to its answer.
    served: Vec<Duration>,
    shed: usize,
    /// Status and heading of anything else: each one is a failure of the promise.
    other: Vec<String>,
}

/// `spike`: every submit must be served; otherwise shedding beyond the budget is expected.
/// Returns the failures: requests answered otherwise than promised, and missed targets.
pub async fn run(
    server: &Server,
    submits: usize,
    concurrency: usize,
    spike: bool,
) -> Result<usize> {
    let rss_before = server.rss_mib()?;
    let peak_before = server.status_number("VmHWM:")? as f64 / 1024.0;
    let case = if spike { "Spike" } else { "Flood" };
    println!(
        "{case}: {submits} registration submits, {concurrency} newcomers at once; server RSS \
         {rss_before:.1} MiB before (peak so far {peak_before:.1} MiB)"
    );
    let next = Arc::new(AtomicUsize::new(0));
    let flooding = Arc::new(AtomicBool::new(true));
    let health = tokio::spawn(watch(server.address, "/healthz", flooding.clone()));
    let pages = tokio::spawn(watch(server.address, "/login", flooding.clone()));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency.min(submits))
        .map(|_| {
            let (address, next) = (server.address, next.clone());
            tokio::spawn(async move {
                let mut tally = Tally::default();
                while next.fetch_add(1, Ordering::Relaxed) < submits {
                    submit(address, &mut tally).await;
                }
                tally
            })
        })
        .collect();
    let mut tally = Tally::default();
    for worker in workers {
        let part = worker.await?;
        tally.served.extend(part.served);
        tally.shed += part.shed;
        tally.other.extend(part.other);
    }
    let elapsed = started.elapsed();
    flooding.store(false, Ordering::Relaxed);
    let (health, health_errors) = health.await?;
    let (pages, page_errors) = pages.await?;
    let peak = server.status_number("VmHWM:")? as f64 / 1024.0;
    let rss_after = server.rss_mib()?;
    let served = Samples::new(tally.served.clone());
    let late = tally
        .served
        .iter()
        .filter(|t| **t > START_BUDGET + SLACK)
        .count();

    println!(
        "  {} submits in {:.1} s: {} served (303 to the code page), {} shed (503 with Retry-After), {} other",
        served.len() + tally.shed + tally.other.len(),
        elapsed.as_secs_f64(),
        served.len(),
        tally.shed,
        tally.other.len()
    );
    for other in tally.other.iter().take(5) {
        println!("    other: {other}");
    }
    if served.len() > 0 {
        println!(
            "  Served submits waited p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {late} later than the budget plus {} s",
            ms(served.percentile(50.0)),
            ms(served.percentile(99.0)),
            ms(served.percentile(100.0)),
            SLACK.as_secs()
        );
    }
    for (path, samples, errors) in [
        ("/healthz", &health, health_errors),
        ("/login", &pages, page_errors),
    ] {
        println!(
            "  GET {path} from one other client meanwhile: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {errors} not 200",
            samples.len(),
            ms(samples.percentile(50.0)),
            ms(samples.percentile(99.0)),
            ms(samples.percentile(100.0))
        );
    }
    println!(
        "  Server RSS: peak {peak:.1} MiB during the {} (from {rss_before:.1} MiB before), {rss_after:.1} MiB after",
        case.to_lowercase()
    );

    let mut missed = Vec::new();
    if spike && tally.shed > 0 {
        missed.push(format!("{} of {submits} refused, target 0", tally.shed));
    }
    if late > 0 {
        missed.push(format!(
            "{late} served later than the budget plus the slack"
        ));
    }
    let health_p99 = ms(health.percentile(99.0));
    if health_p99 >= TARGET_HEALTHZ_P99_MS {
        missed.push(format!(
            "/healthz p99 {health_p99:.1} ms, target under {TARGET_HEALTHZ_P99_MS} ms"
        ));
    }
    if peak > TARGET_PEAK_RSS_MIB {
        missed.push(format!(
            "peak RSS {peak:.1} MiB, target at most {TARGET_PEAK_RSS_MIB} MiB"
        ));
    }
    for m in &missed {
        println!("  MISSED: {m}");
    }
    if missed.is_empty() {
        println!("  every target met");
    }
    Ok(tally.other.len() + health_errors + page_errors + missed.len())
}

/// One newcomer: the registration page, then its details submitted at once.
async fn submit(address: std::net::SocketAddr, tally: &mut Tally) {
    let mut client = browser(address, true);
    let email = format!("flood.{}@example.com", uuid::Uuid::new_v4().simple());
    let form = match client.get("/register").await {
        Ok(page) => page.step_form("details"),
        Err(e) => Err(e),
    };
    let form = match form {
        Ok(form) => form,
        Err(e) => return tally.other.push(format!("GET /register: {e:#}")),
    };
    let details = form.details(&email, "flood horse battery staple");
    let posted = Instant::now();
    match client.post("/register", &details).await {
        Ok(answer) if answer.redirect_to("/register").is_ok() => {
            tally.served.push(posted.elapsed());
        }
        Ok(answer) if answer.status == 503 && answer.retry_after.is_some() => tally.shed += 1,
        Ok(answer) => tally.other.push(format!(
            "{} {:?}",
            answer.status,
            answer.first_heading().unwrap_or_default()
        )),
        Err(e) => tally.other.push(format!("POST /register: {e:#}")),
    }
}

/// A person (or a load balancer's probe) reading `path` while the flood lasts: one request
/// after another on one connection.
async fn watch(
    address: std::net::SocketAddr,
    path: &'static str,
    flooding: Arc<AtomicBool>,
) -> (Samples, usize) {
    let mut client = browser(address, true);
    let mut times = Vec::new();
    let mut errors = 0;
    while flooding.load(Ordering::Relaxed) {
        let started = Instant::now();
        match client.get(path).await {
            Ok(page) if page.status == 200 => times.push(started.elapsed()),
            _ => errors += 1,
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (Samples::new(times), errors)
}
