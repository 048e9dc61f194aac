//! Mail that is never lost: an SMTP outage, and a crash of the server with mail queued.

use crate::helpers::*;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

pub(crate) async fn wait_for_port(port: u16, up: bool) {
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() == up {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "port {port} never became {}",
        if up { "open" } else { "closed" }
    );
}

/// A real SMTP server (aiosmtpd) of this test's own, which the test stops and starts.
pub(crate) struct SmtpSink {
    pub(crate) port: u16,
    pub(crate) maildir: PathBuf,
    _dir: tempfile::TempDir,
    child: Option<Child>,
}

impl SmtpSink {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        // Mailbox creates the Maildir itself and fails on a bare existing folder.
        let maildir = dir.path().join("maildir");
        Self {
            port: free_port(),
            maildir,
            _dir: dir,
            child: None,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub(crate) async fn start(&mut self) {
        // aiosmtpd's Maildir handler, refusing for good any recipient whose address starts
        // with "reject", as a mail server refuses an unknown mailbox.
        let script = r#"
import sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
class Handler(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"
Controller(Handler(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1])).start()
while True:
    time.sleep(3600)
"#;
        let child = Command::new("python3")
            .args(["-c", script, &self.port.to_string()])
            .arg(&self.maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (installed by .ci/services.sh install)");
        self.child = Some(child);
        wait_for_port(self.port, true).await;
    }

    pub(crate) async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        wait_for_port(self.port, false).await;
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[tokio::test]
async fn mail_queued_while_smtp_is_down_arrives_exactly_once_when_it_is_back() {
    let mut sink = SmtpSink::new();
    let app = spawn_app_with(Options {
        smtp_server: Some((sink.url(), sink.maildir.clone())),
        outbox_retry_base_ms: Some(200),
        ..Options::default()
    })
    .await;
    let email = unique_email("outage");
    let browser = app.browser();
    let page = browser.get("/register").await;
    let (_, page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.h1(), CODE_PAGE, "the journey goes on while mail waits");

    // Several attempts fail against the closed port; nothing is lost or sent.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(app.mails_to(&email).len(), 0);

    sink.start().await;
    let mail = app.last_mail(&email, 1).await;
    assert_mail_count_stays(&app, &email, 1).await;
    let (_, page) = browser
        .press(&page, "verify", &[("otp", &mail.code())])
        .await;
    assert_eq!(page.h1(), DONE);
}

/// The `flows` binary as a child process, on a database of its own (a file, or a database on
/// the PostgreSQL test server).
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
}

impl Server {
    /// The same, with more `FLOWS_*` settings.
    pub(crate) async fn start_with(
        database_url: &str,
        smtp_url: &str,
        env: &[(&str, &str)],
    ) -> Self {
        Self::start_on(free_port(), database_url, smtp_url, env, None).await
    }

    /// The same on a given port (a restart keeps the address the clients and the mailed
    /// links know), with its log written to `log` when given.
    pub(crate) async fn start_on(
        port: u16,
        database_url: &str,
        smtp_url: &str,
        env: &[(&str, &str)],
        log: Option<&std::path::Path>,
    ) -> Self {
        let (stdout, stderr) = match log {
            Some(path) => {
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .expect("log file");
                let copy = file.try_clone().expect("log file");
                (Stdio::from(file), Stdio::from(copy))
            }
            None => (Stdio::null(), Stdio::null()),
        };
        let address = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_flows"))
            .arg("serve")
            .env("FLOWS_LISTEN", format!("127.0.0.1:{port}"))
            .env("FLOWS_PUBLIC_URL", &address)
            .env("FLOWS_DATABASE_URL", database_url)
            .env("FLOWS_SMTP_URL", smtp_url)
            .env("FLOWS_OUTBOX_RETRY_BASE_MS", "200")
            .env("FLOWS_LOG", "warn")
            // Tests send a form back the moment they have read it.
            .env("FLOWS_FORM_MIN_FILL_MS", "0")
            .envs(env.iter().copied())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("flows serve");
        wait_for_port(port, true).await;
        Self { child, address }
    }

    /// SIGTERM, as a service manager stops it, then waits for it to exit: a graceful stop.
    pub(crate) fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(sent.success(), "SIGTERM to {pid}");
        self.child.wait().expect("the server exits")
    }

    /// How the process ended, if it has.
    pub(crate) fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGKILL: no shutdown, no last flush.
    pub(crate) fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn mail_queued_when_the_server_is_killed_goes_out_after_a_restart() {
    let mut sink = SmtpSink::new();
    let dir = tempfile::tempdir().expect("dir");
    let database = crate::helpers::fresh_database_url(dir.path()).await;
    let inbox = MailSource::Maildir(sink.maildir.join("new"));
    let read = |email: &str| mails_in(&inbox, email);

    // The mail is leased to the first server's worker from its commit (or from a claim, for
    // a retry): killed, it leaves the lease to run out before the restarted server may send
    // it. A lease of two seconds keeps that wait inside this test's.
    let lease = [("FLOWS_OUTBOX_LEASE_MS", "2000")];
    let server = Server::start_with(&database, &sink.url(), &lease).await;
    let email = unique_email("crash");
    let browser = Browser::new(&server.address);
    let page = browser.get("/register").await;
    let (_, page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.h1(), CODE_PAGE);
    tokio::time::sleep(Duration::from_millis(800)).await;
    server.kill();

    sink.start().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(read(&email).is_empty(), "nobody was left to send it");

    let restarted = Server::start_with(&database, &sink.url(), &lease).await;
    for _ in 0..200 {
        if !read(&email).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    let mails = read(&email);
    assert_eq!(mails.len(), 1, "the queued mail went out, once");
    assert!(mails[0].subject.contains("verification code"));
    restarted.kill();
    sink.stop().await;
}

#[tokio::test]
async fn a_mailbox_refused_for_good_is_recorded_as_failed_and_not_retried() {
    let mut sink = SmtpSink::new();
    sink.start().await;
    let app = spawn_app_with(Options {
        smtp_server: Some((sink.url(), sink.maildir.clone())),
        outbox_retry_base_ms: Some(100),
        ..Options::default()
    })
    .await;
    let email = format!("reject.{}", unique_email("nobody"));
    let browser = app.browser();
    let page = browser.get("/register").await;
    let (_, page) = browser
        .press(&page, "continue", &details("Ada", &email, GOOD_PASSWORD))
        .await;
    assert_eq!(page.h1(), CODE_PAGE);

    let mut failed = String::new();
    for _ in 0..100 {
        let metrics = app.metrics().await;
        if let Some(line) = metrics
            .lines()
            .find(|l| l.starts_with("flows_outbox_messages{status=\"FAILED\"}"))
        {
            failed = line.to_owned();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        failed.ends_with(" 1"),
        "one permanently failed mail is visible: {failed:?}"
    );
    assert_mail_count_stays(&app, &email, 0).await;
}
