//! Funnel bench: fills a fresh SQLite database with executions of two registration versions
//! through `Store::commit` (so the funnel rows come from the same triggers as in production),
//! then times the funnel's queries and the console page that shows them, and what recording
//! costs a commit.
//!
//! `cargo bench --bench funnel -- [--executions N] [--runs R]`
//!
//! Start times spread over 30 days: the first half of the executions ran version 1 (a code
//! sent by e-mail: views `details`, `enter_code`), the second half version 2 (a link:
//! `details`, `check_email`). Per view some people stop; some go back a step and on again,
//! some type a wrong code first, most complete, a few come back after their lifetime ran out
//! (expired), a handful fail; the last hour's are still in progress.

use anyhow::{Context, Result, anyhow, bail};
use flows::clock::ManualClock;
use flows::config::Settings;
use flows::domain::{ExecutionId, FlowVersionId};
use flows::engine::{Execution, ExecutionSecrets, ExecutionStatus, FlowType, StepKind, starter};
use flows::startup::Application;
use flows::store::{FunnelQuery, Store};
use secrecy::SecretString;
use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

const DEFAULT_EXECUTIONS: usize = 100_000;
const DEFAULT_RUNS: usize = 30;
const SPREAD_DAYS: i64 = 30;
const IDLE: time::Duration = time::Duration::minutes(30);
/// The commit-cost comparison: rounds alternate a database with and without the funnel's
/// triggers, this many executions each, so both sides see the same drift of the VM's speed.
const COST_ROUNDS: usize = 5;
const COST_EXECUTIONS: usize = 3_000;
const ADMIN_EMAIL: &str = "bench@example.com";
const ADMIN_PASSWORD: &str = "bench console password";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "funnel: {e:#}\nusage: cargo bench --bench funnel -- [--executions N] [--runs R]"
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
            eprintln!("funnel: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("funnel: {e:#}");
            ExitCode::from(1)
        }
    }
}

struct Args {
    executions: usize,
    runs: usize,
}

impl Args {
    fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self> {
        let mut args = Args {
            executions: DEFAULT_EXECUTIONS,
            runs: DEFAULT_RUNS,
        };
        while let Some(arg) = raw.next() {
            let mut number = || -> Result<usize> {
                raw.next()
                    .and_then(|v| v.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| anyhow!("{arg} needs a positive number"))
            };
            match arg.as_str() {
                "--executions" => args.executions = number()?,
                "--runs" => args.runs = number()?,
                // `cargo bench` appends this to every bench binary's arguments.
                "--bench" => {}
                other => bail!("unknown argument {other:?}"),
            }
        }
        Ok(args)
    }
}

/// A small deterministic generator (xorshift64*): the same database on every run.
struct Dice(u64);

impl Dice {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A whole number of seconds in `[lo, hi)`.
    fn seconds(&mut self, lo: i64, hi: i64) -> time::Duration {
        time::Duration::seconds(lo + (self.unit() * (hi - lo) as f64) as i64)
    }
}

/// A version as the fill needs it: its id, its views in order and its end step.
struct Version {
    id: FlowVersionId,
    views: Vec<String>,
    end: String,
}

async fn publish(store: &Store, template: &str, at: OffsetDateTime) -> Result<Version> {
    let def = starter::by_id(template).context("template")?.definition()?;
    let id = store
        .insert_flow_draft(def.flow_type, &def.to_stored()?, Some("bench"), at)
        .await?;
    store.publish_flow(FlowType::Registration, id).await?;
    let end = def
        .steps
        .iter()
        .find(|s| matches!(s.kind, StepKind::End { .. }))
        .map(|s| s.id.clone())
        .context("end step")?;
    Ok(Version {
        id,
        views: def
            .views_in_order()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        end,
    })
}

/// One person's run: views in order with a chance to stop at each, a Back now and then,
/// wrong codes, and an outcome. Returns the commits it took.
async fn journey(
    store: &Store,
    version: &Version,
    start: OffsetDateTime,
    now: OffsetDateTime,
    dice: &mut Dice,
) -> Result<usize> {
    let mut e = Execution {
        id: ExecutionId::new(),
        flow_id: version.id,
        flow_type: FlowType::Registration,
        step: version.views[0].clone(),
        status: ExecutionStatus::Incomplete,
        attributes: Default::default(),
        secrets: ExecutionSecrets::default(),
        user_id: None,
        revision: 0,
        created_at: start,
        updated_at: start,
        expires_at: start + IDLE,
    };
    store.commit(&e, None, &mut [], start).await?;
    let mut commits = 1;
    let mut at = start;
    let mut step_to = |e: &mut Execution, step: &str, status, pause| {
        at += pause;
        e.step = step.to_owned();
        e.status = status;
        e.updated_at = at;
        e.expires_at = at + IDLE;
        at
    };
    for (i, view) in version.views.iter().enumerate() {
        // The first view loses the most people, as forms do.
        if dice.chance(if i == 0 { 0.15 } else { 0.06 }) {
            return Ok(commits);
        }
        if i == 0 {
            continue;
        }
        let when = step_to(
            &mut e,
            view,
            ExecutionStatus::Incomplete,
            dice.seconds(20, 180),
        );
        commit(store, &mut e, when).await?;
        commits += 1;
        if dice.chance(0.08) {
            let back = version.views[i - 1].clone();
            for step in [back.as_str(), view.as_str()] {
                let when = step_to(
                    &mut e,
                    step,
                    ExecutionStatus::Incomplete,
                    dice.seconds(10, 60),
                );
                commit(store, &mut e, when).await?;
                commits += 1;
            }
        }
        if dice.chance(0.2) {
            // A wrong code: the execution changes, its step does not.
            let when = step_to(
                &mut e,
                view,
                ExecutionStatus::Incomplete,
                dice.seconds(10, 60),
            );
            commit(store, &mut e, when).await?;
            commits += 1;
        }
    }
    let pause = dice.seconds(15, 600);
    let roll = dice.unit();
    if roll < 0.9 {
        let end = version.end.clone();
        let when = step_to(&mut e, &end, ExecutionStatus::Complete, pause);
        commit(store, &mut e, when).await?;
        commits += 1;
    } else if roll < 0.91 {
        let step = e.step.clone();
        let when = step_to(&mut e, &step, ExecutionStatus::Error, pause);
        commit(store, &mut e, when).await?;
        commits += 1;
    } else if roll < 0.95 {
        let back_at = e.expires_at + dice.seconds(60, 7200);
        if back_at < now {
            store.record_funnel_expired(&e).await?;
            commits += 1;
        }
    }
    Ok(commits)
}

async fn commit(store: &Store, e: &mut Execution, at: OffsetDateTime) -> Result<()> {
    let outcome = store.commit(e, Some(e.revision), &mut [], at).await?;
    if outcome != flows::store::CommitOutcome::Committed {
        bail!("commit refused: {outcome:?}");
    }
    e.revision += 1;
    Ok(())
}

/// Fills `store` with `n` executions over `SPREAD_DAYS` up to `now`: the first half on `v1`,
/// the rest on `v2`. Returns the commits made.
async fn fill(
    store: &Store,
    versions: [&Version; 2],
    n: usize,
    now: OffsetDateTime,
    seed: u64,
) -> Result<usize> {
    let mut dice = Dice(seed);
    let first = now - time::Duration::days(SPREAD_DAYS);
    let span = time::Duration::days(SPREAD_DAYS).whole_seconds();
    let mut commits = 0;
    for i in 0..n {
        let start = first + time::Duration::seconds(span * i as i64 / n as i64);
        let version = versions[usize::from(i >= n / 2)];
        commits += journey(store, version, start, now, &mut dice).await?;
    }
    Ok(commits)
}

async fn fresh_store(dir: &std::path::Path, name: &str) -> Result<(Store, String)> {
    let url = format!("sqlite://{}", dir.join(name).display());
    let store = Store::connect(&url, &Default::default()).await?;
    store.migrate().await?;
    Ok((store, url))
}

/// Median, 95th percentile and highest, in milliseconds.
fn spread(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() - 1) as f64 * q).round() as usize;
        samples[i].as_secs_f64() * 1000.0
    };
    (at(0.5), at(0.95), at(1.0))
}

async fn timed<T, F: Future<Output = Result<T>>>(
    runs: usize,
    mut work: impl FnMut() -> F,
) -> Result<(T, Vec<Duration>)> {
    let mut last = None;
    let mut samples = Vec::with_capacity(runs);
    // One untimed run first: the first read pulls the pages into the cache.
    work().await?;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(work().await?);
        samples.push(started.elapsed());
    }
    Ok((last.context("no run")?, samples))
}

async fn run(args: Args) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (store, url) = fresh_store(dir.path(), "funnel.db").await?;
    let now = OffsetDateTime::now_utc();
    let v1 = publish(
        &store,
        "registration-otp",
        now - time::Duration::days(SPREAD_DAYS),
    )
    .await?;
    let v2 = publish(
        &store,
        "registration-magic-link",
        now - time::Duration::days(15),
    )
    .await?;

    println!(
        "funnel: filling {} executions over {SPREAD_DAYS} days, two versions…",
        args.executions
    );
    let started = Instant::now();
    let commits = fill(
        &store,
        [&v1, &v2],
        args.executions,
        now,
        0x9E37_79B9_7F4A_7C15,
    )
    .await?;
    let took = started.elapsed();
    let steps: i64 = count(&url, "SELECT COUNT(*) FROM funnel_steps").await?;
    let summaries: i64 = count(&url, "SELECT COUNT(*) FROM funnel_executions").await?;
    let bytes = db_bytes(dir.path(), "funnel.db");
    let funnel_bytes: i64 = count(
        &url,
        "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'funnel%'",
    )
    .await?;
    let mib = |b: f64| b / (1024.0 * 1024.0);
    println!(
        "  {commits} writes in {:.1} s ({:.0} µs each); {summaries} funnel_executions rows, {steps} funnel_steps rows; database {:.1} MiB, of which the funnel's tables {:.1} MiB",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / commits as f64,
        mib(bytes as f64),
        mib(funnel_bytes as f64)
    );

    println!(
        "\nStore::funnel (the page's three queries), {} runs each:",
        args.runs
    );
    println!("| range | version | started | median | p95 | max |");
    println!("|---|---|---|---|---|---|");
    for (label, days, version, number) in [
        ("30 days", SPREAD_DAYS, &v1, 1),
        ("30 days", SPREAD_DAYS, &v2, 2),
        ("7 days", 7, &v2, 2),
        ("24 hours", 1, &v2, 2),
    ] {
        let q = FunnelQuery {
            flow_id: version.id,
            steps: &version.views,
            from: now - time::Duration::days(days),
            to: now,
            now,
        };
        let (funnel, samples) = timed(args.runs, || async { Ok(store.funnel(&q).await?) }).await?;
        let (p50, p95, max) = spread(samples);
        let sum = funnel.completed + funnel.stopped() + funnel.in_progress;
        if sum != funnel.started {
            bail!("the figures do not add up: {funnel:?}");
        }
        println!(
            "| {label} | {number} | {} | {p50:.1} ms | {p95:.1} ms | {max:.1} ms |",
            funnel.started
        );
    }

    // What the janitor would do at once on this database, done before the server starts so
    // that it does not run beside the timings: the page then reads figures whose executions
    // are gone.
    let purged = store
        .purge_executions(now - time::Duration::days(1))
        .await?;
    println!("\n{purged} executions deleted as the janitor would; the funnel rows stay.");
    let (p50, p95, max) = page(&url, dir.path(), now, args.runs).await?;
    println!(
        "\nGET /admin/funnel?type=REGISTRATION&version=1&period=30d, whole request, {} runs: median {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms",
        args.runs
    );

    commit_cost(dir.path(), now).await?;
    Ok(())
}

async fn count(url: &str, sql: &'static str) -> Result<i64> {
    use sqlx::ConnectOptions;
    let mut conn = url
        .parse::<sqlx::sqlite::SqliteConnectOptions>()?
        .connect()
        .await?;
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&mut conn).await?;
    Ok(n)
}

fn db_bytes(dir: &std::path::Path, name: &str) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(dir.join(format!("{name}{suffix}"))).ok())
        .map(|m| m.len())
        .sum()
}

/// Times the console page on the filled database, through a real server and a signed-in
/// owner, with the server's clock at the fill's `now`.
async fn page(
    url: &str,
    dir: &std::path::Path,
    now: OffsetDateTime,
    runs: usize,
) -> Result<(f64, f64, f64)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    let settings = Settings {
        listen: listener.local_addr()?,
        public_url: address.clone(),
        database_url: url.to_owned(),
        mail_dir: dir.join("mail"),
        workers: 2,
        log: "warn".into(),
        admin_email: Some(ADMIN_EMAIL.into()),
        admin_password: Some(SecretString::from(ADMIN_PASSWORD.to_owned())),
        ..Settings::default()
    };
    let app = Application::build_on(settings, Arc::new(ManualClock::new(now)), listener)
        .await
        .map_err(|e| anyhow!("server: {e}"))?;
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let login = client
        .get(format!("{address}/admin/login"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = login
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("csrf token on the sign-in page")?;
    let signed = client
        .post(format!("{address}/admin/login"))
        .form(&[
            ("csrf_token", csrf),
            ("email", ADMIN_EMAIL),
            ("password", ADMIN_PASSWORD),
            ("next", "/admin"),
        ])
        .send()
        .await?;
    if signed.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("sign-in answered {}", signed.status());
    }
    let path = format!("{address}/admin/funnel?type=REGISTRATION&version=1&period=30d");
    let (_, samples) = timed(runs, || async {
        let answer = client.get(&path).send().await?;
        if answer.status() != reqwest::StatusCode::OK {
            bail!("the funnel page answered {}", answer.status());
        }
        let body = answer.text().await?;
        if !body.contains("funnel-chart") {
            bail!("the funnel page has no chart");
        }
        Ok(())
    })
    .await?;
    Ok(spread(samples))
}

/// What recording costs a write: the same executions committed to a database with the
/// funnel's triggers and to one without, in alternating rounds.
async fn commit_cost(dir: &std::path::Path, now: OffsetDateTime) -> Result<()> {
    let (with, _) = fresh_store(dir, "with.db").await?;
    let (without, without_url) = fresh_store(dir, "without.db").await?;
    {
        use sqlx::ConnectOptions;
        let mut conn = without_url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()?
            .connect()
            .await?;
        for trigger in [
            "DROP TRIGGER funnel_execution_started",
            "DROP TRIGGER funnel_execution_changed",
        ] {
            sqlx::query(trigger).execute(&mut conn).await?;
        }
    }
    let versions_with = [
        publish(&with, "registration-otp", now).await?,
        publish(&with, "registration-magic-link", now).await?,
    ];
    let versions_without = [
        publish(&without, "registration-otp", now).await?,
        publish(&without, "registration-magic-link", now).await?,
    ];
    let mut per_write = [Vec::new(), Vec::new()];
    for round in 0..COST_ROUNDS {
        for (side, store, versions) in
            [(0, &with, &versions_with), (1, &without, &versions_without)]
        {
            let started = Instant::now();
            let [a, b] = versions;
            let writes = fill(store, [a, b], COST_EXECUTIONS, now, round as u64 + 1).await?;
            per_write[side].push(started.elapsed() / writes as u32);
        }
    }
    let [with_us, without_us] = per_write.map(|samples| spread(samples).0 * 1000.0);
    println!(
        "\nA write through Store::commit, median of {COST_ROUNDS} alternating rounds of {COST_EXECUTIONS} executions: {with_us:.1} µs with the funnel's triggers, {without_us:.1} µs without ({:+.1} µs)",
        with_us - without_us
    );
    Ok(())
}
