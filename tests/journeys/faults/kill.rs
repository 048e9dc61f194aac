//! `kill -9` of the server at random points while people register with a code, recover a
//! password by link and accept invitations; after each kill it is started again on the same
//! database and port. `FLOWS_KILL_ROUNDS` kills (8 by default, 50 for the full form).

use super::person::{Person, Tally, pause, wait_for_new};
use crate::helpers::*;
use crate::outbox::{Server, SmtpSink, free_port};
use flows::config::Settings;
use flows::engine::Engine;
use reqwest::StatusCode;
use sqlx::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const PEOPLE: usize = 4;
const NEW_PASSWORD: &str = "a brand new passphrase for me";
/// Long enough for a mail through a few kills and restarts.
const MAIL_WAIT: Duration = Duration::from_secs(60);
/// A journey that has not finished after this many looks is stuck.
const MAX_LOOKS: usize = 300;

struct World {
    inbox: MailSource,
    tally: Tally,
    base: String,
    engine: Engine,
    stop: AtomicBool,
}

/// Registration with an e-mailed code, driven by whatever page the cookie leads to.
async fn register(world: &World, email: &str) -> bool {
    let mut me = Person::new(&world.base, &world.tally);
    for _ in 0..MAX_LOOKS {
        let Some(page) = me.get("/register").await else {
            continue;
        };
        if page.h1() == DONE {
            world.tally.done("registration", me.interrupted);
            return true;
        }
        match page.step().as_deref() {
            Some("details") => {
                me.press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
                    .await;
            }
            Some("enter_code") => {
                // The page says the code is on its way: it must arrive.
                let Some(code) = wait_for_new(
                    &world.inbox,
                    email,
                    "verification code",
                    Mail::code,
                    &HashSet::new(),
                    MAIL_WAIT,
                )
                .await
                else {
                    world.tally.fail(format!("no code reached {email}"));
                    return false;
                };
                me.press(&page, "verify", &[("otp", &code)]).await;
            }
            _ => {
                world.tally.fail(format!(
                    "registration of {email} met {} {:?}",
                    page.status,
                    page.h1()
                ));
                return false;
            }
        }
    }
    world.tally.fail(format!("registration of {email} stuck"));
    false
}

/// Password recovery by link for an existing account.
async fn recover(world: &World, email: &str) -> bool {
    let mut me = Person::new(&world.base, &world.tally);
    let mut tried = HashSet::new();
    let mut link: Option<String> = None;
    for _ in 0..MAX_LOOKS {
        if let Some(l) = link.take() {
            // Used, replaced or expired links all end here: the cookie says what is next.
            let Some(landing) = me.get(&l).await else {
                link = Some(l);
                continue;
            };
            if landing.status == StatusCode::OK && landing.exists("input[name=csrf_token]") {
                let token = l.split("token=").nth(1).unwrap_or_default().to_owned();
                let fields = [
                    ("csrf_token".to_owned(), landing.csrf()),
                    ("token".to_owned(), token),
                ];
                if me.post("/link", &fields).await.is_none() {
                    // Cut off: the link may still be unused, so it is tried again.
                    link = Some(l);
                }
            }
            continue;
        }
        let Some(page) = me.get("/recover").await else {
            continue;
        };
        match page.h1().as_str() {
            "Reset your password" => {
                me.press(&page, "continue", &[("login", email)]).await;
            }
            "Check your e-mail" => {
                let Some(l) = wait_for_new(
                    &world.inbox,
                    email,
                    "Reset your",
                    Mail::link,
                    &tried,
                    MAIL_WAIT,
                )
                .await
                else {
                    world.tally.fail(format!("no reset link reached {email}"));
                    return false;
                };
                tried.insert(l.clone());
                link = Some(l);
            }
            "Choose a new password" => {
                me.press(&page, "save", &[("password", NEW_PASSWORD)]).await;
            }
            "Your password has been changed" => {
                world.tally.done("recovery", me.interrupted);
                return true;
            }
            other => {
                world
                    .tally
                    .fail(format!("recovery of {email} met {} {other:?}", page.status));
                return false;
            }
        }
    }
    world.tally.fail(format!("recovery of {email} stuck"));
    false
}

/// An administrator invites `email` (from outside the server, on the same database), and
/// the person accepts by the mailed link.
async fn accept_invitation(world: &World, email: &str) -> bool {
    let invited = async {
        for _ in 0..50 {
            let made = world
                .engine
                .invite(
                    email,
                    Default::default(),
                    "Grace Hopper",
                    flows::i18n::Locale::default(),
                )
                .await;
            if made.is_ok() {
                return true;
            }
            pause().await;
        }
        false
    };
    if !invited.await {
        world.tally.fail(format!("could not invite {email}"));
        return false;
    }
    let Some(link) = wait_for_new(
        &world.inbox,
        email,
        "invited you",
        Mail::invitation_link,
        &HashSet::new(),
        MAIL_WAIT,
    )
    .await
    else {
        world.tally.fail(format!("no invitation reached {email}"));
        return false;
    };
    let mut me = Person::new(&world.base, &world.tally);
    let mut started = false;
    for _ in 0..MAX_LOOKS {
        // Go on with the cookie once the journey started; the link starts it (again).
        let path = if started { "/invite" } else { link.as_str() };
        let Some(page) = me.get(path).await else {
            continue;
        };
        let h1 = page.h1();
        if h1 == DONE || h1 == "This invitation has already been accepted" {
            world.tally.done("invitation", me.interrupted);
            return true;
        }
        if page.step().is_none() {
            // No journey under this cookie (its answer was cut): the link again.
            started = false;
            continue;
        }
        started = true;
        me.press(
            &page,
            "accept",
            &[
                ("given_name", "Grace"),
                ("password", GOOD_PASSWORD),
                ("terms", "true"),
            ],
        )
        .await;
    }
    world.tally.fail(format!("invitation of {email} stuck"));
    false
}

/// One person's loop: a registration, a recovery of that account, an invitation.
async fn live(world: Arc<World>, who: usize) -> Vec<(String, &'static str)> {
    let mut accounts = Vec::new();
    let mut round = 0;
    while !world.stop.load(Ordering::Relaxed) {
        round += 1;
        let email = unique_email(&format!("kill{who}r{round}"));
        if register(&world, &email).await {
            let password = if recover(&world, &email).await {
                NEW_PASSWORD
            } else {
                GOOD_PASSWORD
            };
            accounts.push((email, password));
        }
        let invited = unique_email(&format!("kill{who}i{round}"));
        if accept_invitation(&world, &invited).await {
            accounts.push((invited, GOOD_PASSWORD));
        }
    }
    accounts
}

/// A small xorshift: the kill times vary per run, and the seed is printed to replay one.
struct Dice(u64);

impl Dice {
    fn between(&mut self, low: u64, high: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        low + self.0 % (high - low)
    }
}

async fn scalar(url: &str, sql: &'static str) -> i64 {
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
        sqlx::query_scalar(sql).fetch_one(&mut c).await.expect(sql)
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
        sqlx::query_scalar(sql).fetch_one(&mut c).await.expect(sql)
    }
}

async fn outbox_ids(url: &str) -> Vec<String> {
    let sql = "SELECT CAST(id AS TEXT) FROM outbox";
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
        sqlx::query_scalar(sql).fetch_all(&mut c).await.expect(sql)
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
        sqlx::query_scalar(sql).fetch_all(&mut c).await.expect(sql)
    }
}

/// The server answers again, database included.
async fn comes_back(base: &str) -> bool {
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status() == StatusCode::OK
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_random_the_server_comes_back_and_nothing_is_half_made_or_lost() {
    let rounds: usize = std::env::var("FLOWS_KILL_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let seed = std::env::var("FLOWS_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| u64::from(std::process::id()) | 1);
    println!("kill test: {rounds} rounds, FLOWS_KILL_SEED={seed}");
    let started = Instant::now();

    let mut sink = SmtpSink::new();
    sink.start().await;
    let dir = tempfile::tempdir().expect("dir");
    let database = fresh_database_url(dir.path()).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // A short lease, so mail claimed by a killed server is taken up again within a second;
    // no rate limit or mail quota, since every person here comes from 127.0.0.1.
    let env = [
        ("FLOWS_OUTBOX_LEASE_MS", "1000"),
        ("FLOWS_OUTBOX_POLL_MS", "50"),
        ("FLOWS_RATE_LIMIT_PER_MINUTE", "0"),
        ("FLOWS_MAIL_QUOTA_PER_HOUR", "100000"),
    ];
    let smtp = sink.url();
    let start = || Server::start_on(port, &database, &smtp, &env, None);
    let mut server = Some(start().await);
    assert!(comes_back(&base).await, "the server starts");

    let settings = Settings {
        database_url: database.clone(),
        public_url: base.clone(),
        ..Settings::default()
    };
    let store = flows::startup::open_store(&settings).await.expect("store");
    let engine = Engine::new(
        store,
        Arc::new(flows::clock::SystemClock),
        flows::startup::make_hasher(&settings).expect("hasher"),
        flows::startup::engine_settings(&settings),
        vec![0; 32],
    );
    let world = Arc::new(World {
        inbox: MailSource::Maildir(sink.maildir.join("new")),
        tally: Tally::default(),
        base: base.clone(),
        engine,
        stop: AtomicBool::new(false),
    });
    let people: Vec<_> = (0..PEOPLE)
        .map(|who| tokio::spawn(live(world.clone(), who)))
        .collect();

    let mut dice = Dice(seed);
    let mut kills = 0;
    for _ in 0..rounds {
        tokio::time::sleep(Duration::from_millis(dice.between(200, 1500))).await;
        if let Some(s) = server.take() {
            s.kill();
        }
        kills += 1;
        tokio::time::sleep(Duration::from_millis(dice.between(1, 300))).await;
        server = Some(start().await);
        assert!(
            comes_back(&base).await,
            "the server came back after kill {kills}"
        );
    }
    world.stop.store(true, Ordering::Relaxed);
    let mut accounts = Vec::new();
    for person in people {
        let mine = tokio::time::timeout(Duration::from_secs(300), person)
            .await
            .expect("every person finishes their journey")
            .expect("no panic");
        accounts.extend(mine);
    }

    // Everything the outbox holds goes out (through leases left by the killed servers).
    let mut pending = -1;
    for _ in 0..300 {
        pending = scalar(
            &database,
            "SELECT COUNT(*) FROM outbox WHERE status <> 'SENT'",
        )
        .await;
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Every account signs in with the password its journey left it.
    for (email, password) in &accounts {
        let browser = Browser::new(&base);
        let csrf = browser.get("/login").await.csrf();
        let (status, page) = browser
            .post("/login", &sign_in_form(&csrf, email, password))
            .await;
        if status != StatusCode::SEE_OTHER {
            world
                .tally
                .fail(format!("{email} cannot sign in: {status} {:?}", page.h1()));
        }
    }

    let half_made = scalar(
        &database,
        "SELECT COUNT(*) FROM users WHERE password_hash IS NULL OR NOT email_verified",
    )
    .await;
    let complete_without_user = scalar(
        &database,
        "SELECT COUNT(*) FROM executions e WHERE e.status = 'COMPLETE' \
         AND e.flow_type <> 'PASSWORD_RECOVERY' \
         AND (e.user_id IS NULL OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id))",
    )
    .await;

    // Mail: every message the outbox holds arrived at least once; the same message twice
    // is a duplicate (the Message-ID is the outbox id).
    let delivered = crate::helpers::read_mails(&sink.maildir.join("new"));
    let mut copies: HashMap<String, usize> = HashMap::new();
    for mail in &delivered {
        *copies.entry(mail.message_id.clone()).or_default() += 1;
    }
    let queued = outbox_ids(&database).await;
    let lost: Vec<_> = queued
        .iter()
        .filter(|id| !copies.contains_key(&format!("{id}@flows.outbox")))
        .collect();
    let duplicates: usize = copies.values().map(|n| n - 1).sum();

    let completed = world.tally.completed.lock().expect("lock").clone();
    let count = |kind| completed.iter().filter(|k| **k == kind).count();
    let resumed = *world.tally.resumed.lock().expect("lock");
    let failures = world.tally.failures.lock().expect("lock").clone();
    println!(
        "kill test: {kills} kills in {:.0?}; journeys completed: {} registrations, {} recoveries, \
         {} invitations ({resumed} of them interrupted and resumed); {} accounts; \
         {} mails queued, {} delivered, {duplicates} duplicate(s), {} lost; \
         {pending} not sent; failures: {}",
        started.elapsed(),
        count("registration"),
        count("recovery"),
        count("invitation"),
        accounts.len(),
        queued.len(),
        delivered.len(),
        lost.len(),
        failures.len(),
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(
        half_made, 0,
        "users without a password or a verified e-mail"
    );
    assert_eq!(
        complete_without_user, 0,
        "executions complete without their user"
    );
    assert_eq!(pending, 0, "mail left unsent");
    assert!(lost.is_empty(), "mail lost: {lost:?}");
    // The worker marks a mail sent right after the SMTP server's 250: only a kill between
    // the relay taking the final `.` and that commit sends a mail twice (after the lease).
    // That window is a few milliseconds per mail since every write leaves at once
    // (src/mail/relay.rs): measured 4 (SQLite) and 3 (PostgreSQL) in 50 kills, against 33
    // and 28 before. The bound allows one in ten kills, plus four for a chance run: the
    // window widens on a loaded machine (4 in 8 kills was seen once under the whole suite).
    assert!(
        duplicates <= kills / 10 + 4,
        "{duplicates} duplicates for {kills} kills"
    );
    assert!(!completed.is_empty(), "journeys went through");
    drop(server);
}
