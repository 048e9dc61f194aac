//! PostgreSQL stopping for ten seconds in the middle of a journey, on a server of this test's
//! own (the shared test server keeps serving the other tests): the pages in between answer
//! 503 with Retry-After — never 500, never a hang past the timeouts — /readyz says 503, and
//! once the database is back the same journey finishes, with nothing lost or sent twice.

use crate::helpers::*;
use reqwest::StatusCode;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A PostgreSQL cluster in a temporary folder, which the test stops and starts.
struct PgServer {
    bin: PathBuf,
    data: tempfile::TempDir,
    port: u16,
}

fn newest_server() -> PathBuf {
    let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries (.ci/services.sh install puts them there)")
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|bin| bin.join("postgres").exists())
        .collect();
    bins.sort();
    bins.pop().expect("a PostgreSQL server")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl PgServer {
    /// PostgreSQL refuses to run as root: as root, the package's `postgres` user runs it.
    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let status = self
            .command(tool)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        assert!(status.success(), "{tool} {args:?}");
    }

    fn init() -> Self {
        let data = tempfile::tempdir().expect("data dir");
        if is_root() {
            let chowned = Command::new("chown")
                .arg("postgres:postgres")
                .arg(data.path())
                .status()
                .expect("chown");
            assert!(chowned.success());
        }
        let server = Self {
            bin: newest_server(),
            data,
            port: crate::outbox::free_port(),
        };
        server.run(
            "initdb",
            &["-D", server.dir(), "-U", "postgres", "--auth=trust"],
        );
        server
    }

    fn dir(&self) -> &str {
        self.data.path().to_str().expect("utf-8 path")
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port
        );
        self.run("pg_ctl", &["-D", self.dir(), "-o", &options, "-w", "start"]);
    }

    fn stop(&self) {
        self.run("pg_ctl", &["-D", self.dir(), "-m", "fast", "-w", "stop"]);
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-D", self.dir(), "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[tokio::test]
async fn ten_seconds_without_postgres_are_503s_and_the_journey_then_finishes() {
    // Runs in the PostgreSQL pass of .ci/test, with a server of its own.
    if test_backend() != "postgres" {
        return;
    }
    let server = PgServer::init();
    server.start();
    let app = spawn_app_with(Options {
        database_url: Some(server.url()),
        ..Options::default()
    })
    .await;
    let email = unique_email("pg.outage");
    let browser = app.browser();
    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::OK);

    server.stop();
    let stopped = Instant::now();
    let mut seen = Vec::new();
    while stopped.elapsed() < Duration::from_secs(10) {
        let asked = Instant::now();
        let (status, answer) = browser
            .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
            .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", answer.html);
        assert_eq!(answer.headers["retry-after"], "5");
        assert!(
            asked.elapsed() < Duration::from_secs(7),
            "answered within the connect timeout, not hung: {:?}",
            asked.elapsed()
        );
        let ready = browser.get_raw("/readyz").await;
        assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
        seen.push(status);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Each answer waits at most the connect timeout (5 s) for a connection that will not come.
    assert!(!seen.is_empty());
    assert!(app.mails_to(&email).is_empty());

    server.start();
    // The instance recovers by itself: the pool reconnects.
    let mut ready = false;
    for _ in 0..100 {
        if browser.get_raw("/readyz").await.status == StatusCode::OK {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "ready again once PostgreSQL is back");
    let (status, page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let code = app.last_mail(&email, 1).await.code();
    let (_, done) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE);
    assert_mail_count_stays(&app, &email, 1).await;
}
