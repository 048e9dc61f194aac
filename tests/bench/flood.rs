//! `--flood N`: N registration submits from many newcomers at once, far more than password
//! hashing can serve, against one server. Measures what the shedding promises (README
//! "Overload"): every submit is served or refused at once with 503 and `Retry-After`, and
//! nothing else; page GETs from another client stay fast meanwhile (their p99); the
//! server's memory stays bounded (its peak RSS, the kernel's high-water mark).

use super::{Samples, Server, browser, ms};
use anyhow::Result;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Newcomers submitting at once unless `--concurrency` says otherwise: four times the
/// hashing queue of a 2-core server (32 per core), so most of them find it full.
pub const DEFAULT_FLOOD_CONCURRENCY: usize = 256;

#[derive(Default)]
struct Tally {
    served: usize,
    shed: usize,
    /// Status and heading of anything else: each one is a failure of the promise.
    other: Vec<String>,
}

pub async fn run(server: &Server, submits: usize, concurrency: usize) -> Result<usize> {
    let rss_before = server.rss_mib()?;
    let peak_before = server.status_number("VmHWM:")? as f64 / 1024.0;
    println!(
        "Flood: {submits} registration submits, {concurrency} newcomers at once; server RSS \
         {rss_before:.1} MiB before (peak so far {peak_before:.1} MiB)"
    );
    let next = Arc::new(AtomicUsize::new(0));
    let flooding = Arc::new(AtomicBool::new(true));
    let watcher = tokio::spawn(watch_pages(server.address, flooding.clone()));
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
        tally.served += part.served;
        tally.shed += part.shed;
        tally.other.extend(part.other);
    }
    let elapsed = started.elapsed();
    flooding.store(false, Ordering::Relaxed);
    let (pages, page_errors) = watcher.await?;
    let peak = server.status_number("VmHWM:")? as f64 / 1024.0;
    let rss_after = server.rss_mib()?;

    println!(
        "  {} submits in {:.1} s: {} served (303 to the code page), {} shed (503 with Retry-After), {} other",
        tally.served + tally.shed + tally.other.len(),
        elapsed.as_secs_f64(),
        tally.served,
        tally.shed,
        tally.other.len()
    );
    for other in tally.other.iter().take(5) {
        println!("    other: {other}");
    }
    println!(
        "  GET /login from one other client meanwhile: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {page_errors} not 200",
        pages.len(),
        ms(pages.percentile(50.0)),
        ms(pages.percentile(99.0)),
        ms(pages.percentile(100.0))
    );
    println!(
        "  Server RSS: peak {peak:.1} MiB during the flood (from {rss_before:.1} MiB before), {rss_after:.1} MiB after"
    );
    Ok(tally.other.len() + page_errors)
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
    match client.post("/register", &details).await {
        Ok(answer) if answer.redirect_to("/register").is_ok() => tally.served += 1,
        Ok(answer) if answer.status == 503 && answer.retry_after.is_some() => tally.shed += 1,
        Ok(answer) => tally.other.push(format!(
            "{} {:?}",
            answer.status,
            answer.first_heading().unwrap_or_default()
        )),
        Err(e) => tally.other.push(format!("POST /register: {e:#}")),
    }
}

/// A person reading pages while the flood lasts: one request after another on one
/// connection, as a browser would.
async fn watch_pages(address: std::net::SocketAddr, flooding: Arc<AtomicBool>) -> (Samples, usize) {
    let mut client = browser(address, true);
    let mut times = Vec::new();
    let mut errors = 0;
    while flooding.load(Ordering::Relaxed) {
        let started = Instant::now();
        match client.get("/login").await {
            Ok(page) if page.status == 200 => times.push(started.elapsed()),
            _ => errors += 1,
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (Samples::new(times), errors)
}
