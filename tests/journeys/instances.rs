//! Two instances of `flows serve` on one PostgreSQL database, as behind a load balancer with
//! no sticky sessions: every request of a journey may land on either. The journeys finish,
//! both outbox workers run and every mail arrives exactly once (counted in a real SMTP
//! server), and mail claimed by an instance killed with SIGKILL is sent by the other once its
//! lease ends.

use crate::helpers::*;
use crate::outbox::{Server, SmtpSink, wait_for_port};
use reqwest::StatusCode;
use std::time::Duration;

/// A browser whose requests take turns over the instances, one cookie jar for all (cookies
/// ignore ports), as a person behind a round-robin balancer.
struct Balanced {
    browsers: Vec<Browser>,
    turn: std::cell::Cell<usize>,
}

impl Balanced {
    fn new(a: &str, b: &str) -> Self {
        Self::over(&[a, b], 0)
    }

    /// Over `bases`, the first request on `bases[first % len]`.
    fn over(bases: &[&str], first: usize) -> Self {
        let first_browser = Browser::new(bases[0]);
        let jar = first_browser.jar.clone();
        let mut browsers = vec![first_browser];
        for base in &bases[1..] {
            browsers.push(Browser::with_jar(base, jar.clone()));
        }
        Self {
            browsers,
            turn: std::cell::Cell::new(first),
        }
    }

    /// The instance for the next request, taking turns.
    fn next(&self) -> &Browser {
        let turn = self.turn.get();
        self.turn.set(turn + 1);
        &self.browsers[turn % self.browsers.len()]
    }
}

fn on(browser: &Browser, url: &str) -> String {
    // A link from a mail names one instance; the balancer may send it to either.
    match url.find("/link?").or_else(|| url.find("/invite?")) {
        Some(at) => format!("{}{}", browser.base, &url[at..]),
        None => url.to_owned(),
    }
}

/// Registration with an e-mailed code, each request on the next instance.
async fn register(person: &Balanced, inbox: &MailSource, email: &str) {
    let page = person.next().get("/register").await;
    let (status, page) = person
        .next()
        .press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let code = wait_for_mails_in(inbox, email, 1).await[0].code();
    let (_, page) = person
        .next()
        .press(&page, "verify", &[("otp", &code)])
        .await;
    assert_eq!(page.h1(), DONE, "{email}");
}

/// Password recovery for `email`, each request on the next instance: asked, the mailed link
/// (the `nth` mail to the address, from 1) opened, a new password set.
async fn recover(person: &Balanced, inbox: &MailSource, email: &str, nth: usize, new: &str) {
    let page = person.next().get("/recover").await;
    let (_, page) = person
        .next()
        .press(&page, "continue", &[("login", email)])
        .await;
    assert_eq!(page.h1(), "Check your e-mail", "{email}");
    let link = wait_for_mails_in(inbox, email, nth).await[nth - 1].link();
    let opener = person.next();
    let landing = opener.get(&on(opener, &link)).await;
    let (_, page) = person
        .next()
        .post(
            "/link",
            &[
                ("csrf_token".into(), landing.csrf()),
                (
                    "token".into(),
                    landing.attr("input[name=token]", "value").unwrap(),
                ),
            ],
        )
        .await;
    assert_eq!(page.h1(), "Choose a new password", "{email}");
    let (_, page) = person
        .next()
        .press(&page, "save", &[("password", new)])
        .await;
    assert_eq!(page.h1(), "Your password has been changed", "{email}");
}

async fn start_pair(database: &str, smtp: &str) -> (Server, Server) {
    let env = [
        ("FLOWS_OUTBOX_LEASE_MS", "2000"),
        ("FLOWS_OUTBOX_POLL_MS", "100"),
    ];
    let a = Server::start_with(database, smtp, &env).await;
    let b = Server::start_with(database, smtp, &env).await;
    (a, b)
}

/// These run in the PostgreSQL pass of `.ci/test` (`FLOWS_TEST_BACKEND=postgres`): several
/// instances share a PostgreSQL database, never a SQLite file.
fn on_postgres() -> bool {
    test_backend() == "postgres"
}

#[tokio::test]
async fn journeys_hop_between_two_instances_and_every_mail_arrives_once() {
    if !on_postgres() {
        return;
    }
    let mut sink = SmtpSink::new();
    sink.start().await;
    let database = fresh_postgres_url().await;
    let (a, b) = start_pair(&database, &sink.url()).await;
    let inbox = MailSource::Maildir(sink.maildir.join("new"));
    let mails = |to: &str| mails_in(&inbox, to);

    // Registration: every request on the other instance than the one before.
    let person = Balanced::new(&a.address, &b.address);
    let email = unique_email("twice");
    register(&person, &inbox, &email).await;
    assert_eq!(
        person.next().get_raw("/account").await.status,
        StatusCode::OK
    );
    assert_eq!(
        person.next().get_raw("/account").await.status,
        StatusCode::OK
    );

    // Recovery: asked on one, the link opened and the password set on the others.
    let other = Balanced::new(&b.address, &a.address);
    recover(&other, &inbox, &email, 2, "a new passphrase for two").await;
    let changed = wait_for_mails_in(&inbox, &email, 3).await;
    assert!(changed[2].subject.contains("was changed"));

    // An invitation from the command line, accepted across both instances.
    let invitee = unique_email("twice.invited");
    let invited = std::process::Command::new(env!("CARGO_BIN_EXE_flows"))
        .args(["invite", "--email", &invitee, "--given-name", "Katherine"])
        .env("FLOWS_DATABASE_URL", &database)
        .env("FLOWS_SMTP_URL", sink.url())
        .env("FLOWS_PUBLIC_URL", &a.address)
        .output()
        .expect("flows invite");
    assert!(invited.status.success(), "{invited:?}");
    let link = wait_for_mails_in(&inbox, &invitee, 1).await[0].invitation_link();
    let guest = Balanced::new(&a.address, &b.address);
    let first = guest.next();
    let page = first.get(&on(first, &link)).await;
    assert_eq!(page.h1(), "You are invited");
    let (status, page) = guest
        .next()
        .press(
            &page,
            "accept",
            &[
                ("given_name", "Katherine"),
                ("password", GOOD_PASSWORD),
                ("terms", "true"),
            ],
        )
        .await;
    assert_eq!(page.h1(), DONE, "{status}: {:?}", page.summary());

    // Both workers ran all along; nothing was sent twice.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(mails(&email).len(), 3, "code, reset link, password changed");
    assert_eq!(mails(&invitee).len(), 1, "the invitation");
    drop((a, b));
    sink.stop().await;
}

/// docs/SCALING.md's model on one machine: four instances on one database behind a round
/// robin, a dozen people registering and then recovering their password at the same time,
/// each request on the next instance. Every journey ends, all four outbox workers run, and
/// every mail goes out exactly once.
#[tokio::test]
async fn four_instances_serve_people_at_once_and_send_every_mail_exactly_once() {
    if !on_postgres() {
        return;
    }
    const INSTANCES: usize = 4;
    const PEOPLE: usize = 12;
    let mut sink = SmtpSink::new();
    sink.start().await;
    let database = fresh_postgres_url().await;
    let env = [
        ("FLOWS_OUTBOX_LEASE_MS", "2000"),
        ("FLOWS_OUTBOX_POLL_MS", "100"),
        // All the people come from 127.0.0.1: the per-address limit is not what is tested.
        ("FLOWS_RATE_LIMIT_PER_MINUTE", "0"),
    ];
    let mut servers = vec![];
    for _ in 0..INSTANCES {
        servers.push(Server::start_with(&database, &sink.url(), &env).await);
    }
    let bases: Vec<&str> = servers.iter().map(|s| s.address.as_str()).collect();
    let inbox = MailSource::Maildir(sink.maildir.join("new"));

    let journeys = (0..PEOPLE).map(|n| {
        let (bases, inbox) = (&bases, &inbox);
        async move {
            let person = Balanced::over(bases, n);
            let email = unique_email(&format!("four.{n}"));
            register(&person, inbox, &email).await;
            recover(&person, inbox, &email, 2, "a new passphrase for four").await;
            wait_for_mails_in(inbox, &email, 3).await;
            email
        }
    });
    let people = futures_util::future::join_all(journeys).await;

    // Four workers polled all along; give a duplicate the time to show.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for email in &people {
        let got = mails_in(&inbox, email);
        let subjects: Vec<&str> = got.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(
            got.len(),
            3,
            "{email}: code, reset link, password changed: {subjects:?}"
        );
    }
    let all = std::fs::read_dir(sink.maildir.join("new"))
        .expect("maildir")
        .count();
    assert_eq!(all, 3 * PEOPLE, "no mail to anyone else, none twice");
    drop(servers);
    sink.stop().await;
}

/// Accepts SMTP connections and never answers: a sender stays stuck in its session.
async fn black_hole(port: u16) -> tokio::task::JoinHandle<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("black hole");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    })
}

#[tokio::test]
async fn mail_claimed_by_a_killed_instance_is_sent_once_by_the_other() {
    if !on_postgres() {
        return;
    }
    let database = fresh_postgres_url().await;
    let mut sink = SmtpSink::new();
    let hole = black_hole(sink.port).await;
    // Only A runs while mail is queued: it claims every message and hangs sending the first.
    let a = Server::start_with(
        &database,
        &sink.url(),
        &[
            ("FLOWS_OUTBOX_LEASE_MS", "4000"),
            ("FLOWS_OUTBOX_POLL_MS", "100"),
        ],
    )
    .await;
    let addresses: Vec<String> = (0..6).map(|_| unique_email("killed")).collect();
    for email in &addresses {
        let browser = Browser::new(&a.address);
        let page = browser.get("/register").await;
        let (status, _) = browser
            .press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    // A claimed what was due when it looked and is stuck sending it: its claim is held,
    // nothing was sent.
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&database)
        .await
        .expect("database");
    let (held,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM outbox WHERE status = 'PENDING' AND locked_until IS NOT NULL",
    )
    .fetch_one(&mut db)
    .await
    .unwrap();
    assert!(held >= 1, "A holds a claim when it dies");
    a.kill();
    hole.abort();
    wait_for_port(sink.port, false).await;
    sink.start().await;

    let b = Server::start_with(
        &database,
        &sink.url(),
        &[
            ("FLOWS_OUTBOX_LEASE_MS", "2000"),
            ("FLOWS_OUTBOX_POLL_MS", "100"),
        ],
    )
    .await;
    let inbox = MailSource::Maildir(sink.maildir.join("new"));
    for _ in 0..400 {
        if addresses.iter().all(|e| !mails_in(&inbox, e).is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    for email in &addresses {
        assert_eq!(mails_in(&inbox, email).len(), 1, "{email}: once");
    }
    drop(b);
    sink.stop().await;
}

/// Two instances on a fresh PostgreSQL database, whose periodic check for console changes
/// is ten minutes away: only the notification at commit can bring a change in time.
async fn two_instances_told_only_by_notification() -> (TestApp, TestApp) {
    let database = fresh_postgres_url().await;
    let instance = || {
        spawn_app_with(Options {
            database_url: Some(database.clone()),
            console_refresh_ms: Some(600_000),
            ..Options::default()
        })
    };
    (instance().await, instance().await)
}

/// A text saved in the console of one instance is in force on the other at once:
/// PostgreSQL notifies it at commit, so it does not wait for its periodic check, set here to
/// ten minutes so that only the notification can bring the change.
#[tokio::test]
async fn a_text_saved_on_one_instance_shows_on_the_other_at_once() {
    if !on_postgres() {
        return;
    }
    let (a, b) = two_instances_told_only_by_notification().await;
    let built_in = b.browser().get("/register?lang=en").await.h1();
    assert_ne!(built_in, "Join us");

    let (admin, _) = crate::console::admin_browser(&a).await;
    let found = admin.get("/admin/messages?q=create+your+account").await;
    let form = crate::console::fields(&[
        ("csrf_token", &found.csrf()),
        ("key", "register.title"),
        ("text_en", "Join us"),
        ("text_fr", ""),
    ]);
    let saved = admin.post_raw("/admin/messages", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let started = std::time::Instant::now();
    loop {
        let shown = b.browser().get("/register?lang=en").await.h1();
        if shown == "Join us" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the other instance still shows {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "instances: a text saved on A showed on B after {:?}",
        started.elapsed()
    );
}

/// Which version is live, and whether a type is on, is kept by each instance (the start of
/// every journey reads it): a flow type switched off in the console of one instance is off on
/// the other at once, through the same notification, with the periodic check out of reach.
#[tokio::test]
async fn a_flow_switched_off_on_one_instance_is_off_on_the_other_at_once() {
    if !on_postgres() {
        return;
    }
    let (a, b) = two_instances_told_only_by_notification().await;
    // B has started a journey, so it keeps the live version.
    assert_eq!(b.browser().get("/register").await.status, StatusCode::OK);

    let (admin, _) = crate::console::admin_browser(&a).await;
    let flow = admin.get("/admin/flows/REGISTRATION").await;
    let form = crate::console::fields(&[("csrf_token", &flow.csrf()), ("enabled", "false")]);
    let switched = admin
        .post_raw("/admin/flows/REGISTRATION/enabled", &form)
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let started = std::time::Instant::now();
    loop {
        let page = b.browser().get("/register").await;
        if page.status == StatusCode::FORBIDDEN {
            assert_eq!(page.h1(), "Sign-up is closed right now");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the other instance still starts journeys ({})",
            page.status
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "instances: a flow switched off on A was off on B after {:?}",
        started.elapsed()
    );
}
