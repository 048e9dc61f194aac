//! A full disk under the SQLite database: a real, small tmpfs filled with a file while the
//! server runs. People get a 503 page (or FE-65003 from the API) with `Retry-After`, never a
//! 500; what was committed stays; and once the file is deleted the server serves again,
//! without a restart. SQLite only: PostgreSQL's disk is its server's business.

use crate::helpers::*;
use crate::outbox::{Server, SmtpSink, free_port};
use reqwest::StatusCode;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `size` mounted on `at`, unmounted when dropped. `None` when this test cannot
/// mount (not root, or no permission in this container).
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(at).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .ok()?
            .success();
        mounted.then(|| Self(at.to_owned()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes `path` until the disk refuses more.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).expect("filler");
    let block = vec![0xa5u8; 64 * 1024];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
}

/// Submits the details step as a new person: the POST's status, and the page it led to.
async fn try_to_register(base: &str, email: &str) -> (StatusCode, Page, Browser) {
    let browser = Browser::new(base);
    let page = browser.get("/register").await;
    if page.status != StatusCode::OK {
        return (page.status, page, browser);
    }
    let (status, page) = browser
        .press(&page, "continue", &details("Ada", email, GOOD_PASSWORD))
        .await;
    (status, page, browser)
}

#[tokio::test]
async fn a_full_disk_is_a_503_and_the_server_recovers_when_space_returns() {
    if test_backend() == "postgres" {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk"), "6m") else {
        cannot_run(
            "full disk",
            "mounting a small tmpfs needs root (run the journeys as root)",
        );
        return;
    };
    let mut sink = SmtpSink::new();
    sink.start().await;
    let inbox = MailSource::Maildir(sink.maildir.join("new"));
    let log = dir.path().join("server.log");
    let database = format!("sqlite://{}", disk.0.join("flows.db").display());
    let server = Server::start_on(
        free_port(),
        &database,
        &sink.url(),
        &[("FLOWS_RATE_LIMIT_PER_MINUTE", "0")],
        Some(&log),
    )
    .await;
    let base = server.address.clone();

    // Before: one account, made and committed.
    let before = unique_email("beforefull");
    register_fully_at(&base, &inbox, &before).await;

    let filler = disk.0.join("filler");
    fill(&filler);

    // New people keep coming. Some writes may still fit in space SQLite already holds (its
    // write-ahead log is reused); soon one does not. Every answer is a success or a 503.
    let mut refused = None;
    let mut got_through = Vec::new();
    for i in 0..40 {
        let email = unique_email(&format!("full{i}"));
        let (status, page, _) = try_to_register(&base, &email).await;
        assert!(
            status == StatusCode::SEE_OTHER || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}: {}",
            page.html
        );
        if status == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some(page);
            break;
        }
        got_through.push(email);
    }
    let refused = refused.expect("a full disk refuses a write at last");
    assert_eq!(refused.headers["retry-after"], "5");
    assert_eq!(refused.h1(), "Not available for a moment");

    assert_api_unavailable(&base).await;
    assert_logged_why(&log, "full");

    // Space returns; the server serves again by itself.
    std::fs::remove_file(&filler).expect("free the disk");
    register_fully_at(&base, &inbox, &unique_email("afterfull")).await;

    // Nothing committed was lost: the first account signs in, and everyone shown the code
    // page got a code.
    assert_signs_in(&base, &before).await;
    for email in &got_through {
        wait_code(&inbox, email).await;
    }
    println!(
        "full disk: {} registration(s) fit before the first 503",
        got_through.len()
    );
    drop(server);
}

/// A whole registration by code, which must succeed.
async fn register_fully_at(base: &str, inbox: &MailSource, email: &str) {
    let (status, page, browser) = try_to_register(base, email).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let code = wait_code(inbox, email).await;
    let (_, done) = browser.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE);
}

/// The Flow Execution API is a 503 with `Retry-After` and FE-65003 too.
async fn assert_api_unavailable(base: &str) {
    let api = reqwest::Client::new()
        .post(format!("{base}{}", crate::api::EXECUTE))
        .json(&serde_json::json!({"flowType": "REGISTRATION"}))
        .send()
        .await
        .expect("api");
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.headers()["retry-after"], "5");
    let answer: serde_json::Value = api.json().await.expect("json");
    assert_eq!(answer["code"], "FE-65003", "{answer}");
}

/// The log has a `cannot serve now` line that says `why`, and no internal error.
fn assert_logged_why(log: &Path, why: &str) {
    let logged = std::fs::read_to_string(log).unwrap_or_default();
    let line = logged
        .lines()
        .find(|l| l.contains("cannot serve now"))
        .unwrap_or_else(|| panic!("no clear log line: {logged}"));
    assert!(line.contains(why), "the line says why: {line}");
    assert!(!logged.contains("internal error"), "{logged}");
}

async fn assert_signs_in(base: &str, email: &str) {
    let signer = Browser::new(base);
    let csrf = signer.get("/login").await.csrf();
    let (status, _) = signer
        .post("/login", &sign_in_form(&csrf, email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{email} signs in");
}

async fn wait_code(inbox: &MailSource, email: &str) -> String {
    for _ in 0..300 {
        if let Some(mail) = mails_in(inbox, email).pop() {
            return mail.code();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no code reached {email}");
}

/// An ext4 file system on a loop device, mounted with `errors=remount-ro` as servers mount
/// theirs: an error of the disk turns it read-only under the running server, open files and
/// all. `None` when this test cannot make one (not root, no loop devices, no mkfs.ext4).
struct FailingDisk {
    image: PathBuf,
    at: PathBuf,
}

impl FailingDisk {
    fn make(dir: &Path) -> Option<Self> {
        let image = dir.join("disk.img");
        let at = dir.join("ext4");
        std::fs::create_dir_all(&at).ok()?;
        std::fs::File::create(&image).ok()?.set_len(64 << 20).ok()?;
        let made = Command::new("mkfs.ext4")
            .args(["-q", "-F"])
            .arg(&image)
            .status()
            .ok()?
            .success();
        let disk = Self { image, at };
        (made && disk.mount()).then_some(disk)
    }

    fn mount(&self) -> bool {
        Command::new("mount")
            .args(["-o", "loop,errors=remount-ro"])
            .arg(&self.image)
            .arg(&self.at)
            .status()
            .is_ok_and(|s| s.success())
    }

    /// What the kernel does on a real disk error: ext4's own error path, which remounts the
    /// file system read-only at once.
    fn fail(&self) {
        let mounts = std::fs::read_to_string("/proc/mounts").expect("mounts");
        let device = mounts
            .lines()
            .find(|l| l.split(' ').nth(1) == self.at.to_str())
            .and_then(|l| l.split(' ').next())
            .expect("mounted");
        let name = Path::new(device).file_name().expect("device name");
        std::fs::write(
            Path::new("/sys/fs/ext4")
                .join(name)
                .join("trigger_fs_error"),
            "flows fault test",
        )
        .expect("trigger an ext4 error");
    }

    /// What an operator does next: unmount, check, mount again.
    fn repair(&self) {
        let _ = Command::new("umount").arg(&self.at).status();
        let _ = Command::new("e2fsck")
            .args(["-f", "-y"])
            .arg(&self.image)
            .stdout(std::process::Stdio::null())
            .status();
        assert!(self.mount(), "mounted again after the check");
    }
}

impl Drop for FailingDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).status();
    }
}

#[tokio::test]
async fn a_disk_turned_read_only_is_a_503_and_the_repaired_disk_serves_after_a_restart() {
    if test_backend() == "postgres" {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let Some(disk) = FailingDisk::make(dir.path()) else {
        cannot_run(
            "read-only disk",
            "a loop-mounted ext4 needs root, loop devices and mkfs.ext4",
        );
        return;
    };
    let mut sink = SmtpSink::new();
    sink.start().await;
    let inbox = MailSource::Maildir(sink.maildir.join("new"));
    let log = dir.path().join("server.log");
    let database = format!("sqlite://{}", disk.at.join("flows.db").display());
    let port = free_port();
    let settings = [("FLOWS_RATE_LIMIT_PER_MINUTE", "0")];
    let mut server = Server::start_on(port, &database, &sink.url(), &settings, Some(&log)).await;
    let base = server.address.clone();

    let before = unique_email("beforero");
    register_fully_at(&base, &inbox, &before).await;

    disk.fail();

    // Every write is refused from now on: a 503, never a 500, and the process lives on.
    for i in 0..5 {
        let (status, page, _) = try_to_register(&base, &unique_email(&format!("ro{i}"))).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.html);
        assert_eq!(page.headers["retry-after"], "5");
        assert_eq!(page.h1(), "Not available for a moment");
    }
    assert_api_unavailable(&base).await;
    assert_eq!(server.exited(), None, "the server still runs");
    assert_logged_why(&log, "read-only");

    // The operator repairs the disk and starts the server again: what was committed is there.
    server.kill();
    disk.repair();
    let _server = Server::start_on(port, &database, &sink.url(), &settings, Some(&log)).await;
    assert_signs_in(&base, &before).await;
    register_fully_at(&base, &inbox, &unique_email("afterro")).await;
}
