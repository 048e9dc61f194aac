//! The `flows` binary as scripts use it (CONTRACT.md): exit codes, one-line errors, stdin.
//! Each test's database is on the backend under test (`helpers::test_backend`), so `flows
//! migrate` and every command run on PostgreSQL too.

use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Cli {
    dir: tempfile::TempDir,
    database_url: String,
}

impl Cli {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let database_url = tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(crate::helpers::fresh_database_url(dir.path()));
        Self { dir, database_url }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flows"))
            .args(args)
            .current_dir(self.dir.path())
            .env("FLOWS_DATABASE_URL", &self.database_url)
            .env_remove("FLOWS_SMTP_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("flows runs");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("flows exits")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn bad_arguments_give_one_line_and_a_non_zero_exit() {
    let cli = Cli::new();
    let out = cli.run(&["--bogus"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("flows: ") && err.contains("--bogus"),
        "{err}"
    );

    let out = cli.run(&["flow", "export", "--type", "NOPE"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).lines().count(), 1);
}

#[test]
fn bad_configuration_names_the_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_flows"))
        .arg("migrate")
        .env("FLOWS_LISTEN", "not an address")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("FLOWS_LISTEN"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

#[test]
fn migrate_then_admin_create_reads_the_password_from_stdin() {
    let cli = Cli::new();
    let out = cli.run(&["migrate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = cli.run(
        &["admin", "create", "--email", "root@example.com"],
        Some("a long admin passphrase\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("root@example.com"));

    // A second one with the same address is refused, and so is a weak password.
    let again = cli.run(
        &["admin", "create", "--email", "ROOT@example.com"],
        Some("another long passphrase"),
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    let weak = cli.run(
        &[
            "admin",
            "create",
            "--email",
            "two@example.com",
            "--password-stdin",
        ],
        Some("password"),
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        !text(&weak.stderr).contains("password\n"),
        "the password is never echoed"
    );
}

#[test]
fn flow_export_then_import_round_trips_and_import_refuses_a_broken_flow() {
    let cli = Cli::new();
    let out = cli.run(&["flow", "export", "--type", "REGISTRATION"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut flow: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(flow["flowType"], "REGISTRATION");

    flow["name"] = "Edited".into();
    let path = cli.dir.path().join("flow.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&flow).expect("json")).expect("write");
    let out = cli.run(&["flow", "import", path.to_str().expect("path")], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cli.run(&["flow", "export", "--type", "REGISTRATION"], None);
    let live: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(live["name"], "Edited");
    // Published as the console publishes: an author, a time, a note and an audit entry.
    let (versions, audit) = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let settings = flows::config::Settings {
                database_url: cli.database_url.clone(),
                ..flows::config::Settings::default()
            };
            let store = flows::startup::open_store(&settings).await.expect("store");
            (
                store
                    .flow_versions(flows::engine::FlowType::Registration)
                    .await
                    .expect("versions"),
                store.recent_audit(10).await.expect("audit"),
            )
        });
    let newest = &versions[0];
    assert_eq!(newest.status, "PUBLISHED");
    assert_eq!(newest.created_by.as_deref(), Some("cli"), "{newest:?}");
    assert!(newest.published_at.is_some(), "{newest:?}");
    assert!(
        newest
            .note
            .as_deref()
            .unwrap_or_default()
            .contains("flow.json")
    );
    assert!(
        audit
            .iter()
            .any(|a| a.actor == "cli" && a.action == "flow.published"),
        "{audit:?}"
    );

    flow["start"] = "nowhere".into();
    std::fs::write(&path, serde_json::to_vec(&flow).expect("json")).expect("write");
    let out = cli.run(&["flow", "import", path.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("missing_start"), "{err}");
    let out = cli.run(&["flow", "export", "--type", "REGISTRATION"], None);
    let live: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(live["name"], "Edited", "a refused import changes nothing");
}

#[test]
fn invite_records_the_invitation_and_sends_its_mail() {
    let cli = Cli::new();
    let out = cli.run(
        &[
            "invite",
            "--email",
            "new.person@example.com",
            "--given-name",
            "Ada",
            "--invited-by",
            "Grace",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("new.person@example.com"));
    // No SMTP server is configured, so the mail is in the mail folder, with its link.
    let mail_dir = cli.dir.path().join("mail");
    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .expect("mail folder")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let raw = std::fs::read(files[0].path()).expect("mail");
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("parses");
    assert!(
        message
            .subject()
            .unwrap_or_default()
            .contains("Grace invited you")
    );
    assert!(
        message
            .body_text(0)
            .unwrap_or_default()
            .contains("/invite?code=")
    );
    let url = cli.database_url.clone();
    let audit = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = flows::store::Store::connect(&url, &Default::default())
                .await
                .expect("store");
            store.recent_audit(10).await.expect("audit")
        });
    assert!(
        audit
            .iter()
            .any(|r| r.action == "invitation.sent" && r.actor == "cli"),
        "the command line's invitation is audited"
    );

    let bad = cli.run(&["invite", "--email", "not-an-address"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(text(&bad.stderr).lines().count(), 1);
}

#[test]
fn applications_are_created_listed_and_deleted() {
    let cli = Cli::new();
    let out = cli.run(
        &[
            "app",
            "create",
            "--name",
            "Shop",
            "--return-url",
            "https://shop.example/welcome",
            "--origin",
            "https://Shop.example/",
            "--origin",
            "http://localhost:3000",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_owned();
    assert_eq!(id.len(), 32, "the id alone, for scripts: {id}");

    let list = text(&cli.run(&["app", "list"], None).stdout);
    assert!(list.contains(&id) && list.contains("Shop"), "{list}");
    assert!(
        list.contains("https://shop.example http://localhost:3000"),
        "origins kept as browsers send them: {list}"
    );

    for bad in [
        vec![
            "app",
            "create",
            "--name",
            "Shop",
            "--return-url",
            "https://x.example",
        ],
        vec![
            "app",
            "create",
            "--name",
            "Other",
            "--return-url",
            "http://evil.example/",
        ],
        vec![
            "app",
            "create",
            "--name",
            "Other",
            "--return-url",
            "https://x.example",
            "--origin",
            "https://x.example/path",
        ],
        vec![
            "app",
            "create",
            "--name",
            "Other",
            "--return-url",
            "https://x.example",
            "--origin",
            "*",
        ],
        vec!["app", "delete", "nothing-here"],
    ] {
        let out = cli.run(&bad, None);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert_eq!(text(&out.stderr).lines().count(), 1, "{bad:?}");
    }

    let out = cli.run(&["app", "delete", "Shop"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&cli.run(&["app", "list"], None).stdout).contains(&id));
}

#[test]
fn applications_require_a_proof_change_and_are_listed_with_it() {
    let cli = Cli::new();
    let out = cli.run(
        &[
            "app",
            "create",
            "--name",
            "Shop",
            "--return-url",
            "https://shop.example/welcome",
            "--require-proof",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "the id, then the key: {stdout}");
    let (id, key) = (lines[0].to_owned(), lines[1].to_owned());
    assert!(key.starts_with("flows_app_") && key.len() == 74, "{key}");
    let listed = |cli: &Cli| text(&cli.run(&["app", "list"], None).stdout);
    assert!(listed(&cli).contains(&format!(
        "{id}\tShop\thttps://shop.example/welcome\t\t0\tproof"
    )));

    let out = cli.run(&["app", "new-key", "Shop"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let second = text(&out.stdout).trim().to_owned();
    assert!(
        second.starts_with("flows_app_") && second != key,
        "{second}"
    );

    let out = cli.run(
        &[
            "app",
            "update",
            &id,
            "--starts-per-minute",
            "5",
            "--origin",
            "https://shop.example",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        listed(&cli).contains("\thttps://shop.example\t5\tproof"),
        "{}",
        listed(&cli)
    );
    let out = cli.run(&["app", "update", "Shop", "--no-origins"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cli.run(&["app", "drop-proof", &id], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(listed(&cli).contains("\t\t5\t-"), "{}", listed(&cli));

    for bad in [
        vec!["app", "update", "nothing-here", "--starts-per-minute", "1"],
        vec!["app", "update", "Shop", "--name", " "],
        vec![
            "app",
            "update",
            "Shop",
            "--return-url",
            "http://evil.example/",
        ],
        vec!["app", "update", "Shop", "--starts-per-minute", "100001"],
        vec!["app", "new-key", "nothing-here"],
        vec!["app", "drop-proof", "nothing-here"],
        vec!["app", "anonymous-starts", "maybe"],
    ] {
        let out = cli.run(&bad, None);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert_eq!(text(&out.stderr).lines().count(), 1, "{bad:?}");
    }
    for choice in ["refuse", "allow"] {
        let out = cli.run(&["app", "anonymous-starts", choice], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    // The key is derived, never stored: neither key is anywhere in the database.
    for file in ["cli.db", "cli.db-wal"] {
        let stored = std::fs::read(cli.dir.path().join(file)).unwrap_or_default();
        let stored = String::from_utf8_lossy(&stored);
        for k in [&key, &second] {
            assert!(!stored.contains(&k[10..]), "a key in {file}");
        }
    }
}

#[test]
fn admin_token_create_prints_the_token_alone_and_revoke_needs_a_live_name() {
    let cli = Cli::new();
    let out = cli.run(&["admin", "token", "create", "--name", "ci"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "the token alone: {stdout}");
    let token = stdout.trim();
    assert!(token.starts_with("flows_") && token.len() == 49, "{token}");

    let again = cli.run(&["admin", "token", "create", "--name", "ci"], None);
    assert_eq!(again.status.code(), Some(2));
    let err = text(&again.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert!(text(&again.stdout).is_empty(), "no second token is printed");

    let bad = cli.run(&["admin", "token", "create", "--name", "two words"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(text(&bad.stderr).lines().count(), 1);

    let out = cli.run(&["admin", "token", "revoke", "--name", "ci"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for name in ["ci", "nobody"] {
        let out = cli.run(&["admin", "token", "revoke", "--name", name], None);
        assert_eq!(out.status.code(), Some(2), "revoke {name}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("no live API token named"), "{err}");
    }

    // A revoked name may be issued again, with a new token.
    let out = cli.run(&["admin", "token", "create", "--name", "ci"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(text(&out.stdout).trim(), token);
    // The database and its write-ahead log, wherever the row landed.
    for file in ["cli.db", "cli.db-wal"] {
        let stored = std::fs::read(cli.dir.path().join(file)).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&stored).contains(&token[6..]),
            "the token is never stored in plain text ({file})"
        );
    }
}

#[test]
fn extensions_are_added_with_a_secret_shown_once_listed_and_removed() {
    let cli = Cli::new();
    let add = |name: &str, url: &str, stdin: Option<&str>| {
        let mut args = vec![
            "extension",
            "add",
            "--name",
            name,
            "--url",
            url,
            "--send",
            "email",
            "--may-set",
            "department",
            "--on-failure",
            "allow",
        ];
        if stdin.is_some() {
            args.push("--secret-stdin");
        }
        cli.run(&args, stdin)
    };
    let out = add("crm", "https://hooks.example.com/flows", None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let secret = text(&out.stdout).trim().to_owned();
    assert!(
        secret.starts_with("whsec_") && secret.len() > 40,
        "{secret}"
    );

    // A secret the service already has comes on standard input, and is not printed back.
    let out = add(
        "billing",
        "https://billing.example.com/hook",
        Some("whsec_c2VjcmV0LWZvci10aGUtdGVzdC1yZWNlaXZlci0zMmI=\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "billing");

    let list = text(&cli.run(&["extension", "list"], None).stdout);
    assert!(list.contains("crm\thttps://hooks.example.com/flows\t3000 ms\tsends [email]\tmay set [department]\ton failure allow"), "{list}");
    assert!(!list.contains("whsec_"), "never shown again: {list}");

    // Refusals: one line naming the field, a non-zero exit.
    for (args, field) in [
        (
            vec![
                "extension",
                "add",
                "--name",
                "crm",
                "--url",
                "https://x.example.com/",
            ],
            "name",
        ),
        (
            vec![
                "extension",
                "add",
                "--name",
                "local",
                "--url",
                "https://127.0.0.1/",
            ],
            "url",
        ),
        (
            vec![
                "extension",
                "add",
                "--name",
                "plain",
                "--url",
                "http://x.example.com/",
            ],
            "url",
        ),
    ] {
        let out = cli.run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(field), "{err}");
    }

    let out = cli.run(&["extension", "remove", "crm"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cli.run(&["extension", "remove", "crm"], None);
    assert_eq!(out.status.code(), Some(2));
    let list = text(&cli.run(&["extension", "list"], None).stdout);
    assert!(!list.contains("crm") && list.contains("billing"), "{list}");
}

#[test]
fn connections_are_added_listed_tested_and_removed_never_showing_a_secret() {
    let cli = Cli::new();
    let out = cli.run(
        &[
            "connection",
            "add",
            "--name",
            "google",
            "--preset",
            "google",
            "--client-id",
            "flows.apps.googleusercontent.com",
            "--client-secret",
            "the google secret",
            "--map",
            "given_name=first_name",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "google");
    // The secret may come on standard input instead, where other users cannot read it.
    let out = cli.run(
        &[
            "connection",
            "add",
            "--name",
            "staff-sso",
            "--discovery-url",
            "https://127.0.0.1:9/.well-known/openid-configuration",
            "--client-id",
            "flows",
            "--client-secret-stdin",
            "--scopes",
            "openid email",
        ],
        Some("the staff secret\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let list = text(&cli.run(&["connection", "list"], None).stdout);
    assert!(
        list.contains("google\tgoogle\thttps://accounts.google.com/.well-known/openid-configuration\tflows.apps.googleusercontent.com\tscopes [openid email profile]\tmapping [given_name=first_name]"),
        "{list}"
    );
    assert!(
        list.contains("staff-sso\toidc\thttps://127.0.0.1:9/.well-known/openid-configuration\tflows\tscopes [openid email]"),
        "{list}"
    );
    assert!(!list.contains("secret"), "never shown again: {list}");

    // Refusals: one line naming the field, a non-zero exit.
    for (args, field) in [
        (
            vec![
                "connection",
                "add",
                "--name",
                "google",
                "--preset",
                "google",
                "--client-id",
                "x",
                "--client-secret",
                "y",
            ],
            "name",
        ),
        (
            vec![
                "connection",
                "add",
                "--name",
                "plain",
                "--discovery-url",
                "http://sso.example.com/.well-known/openid-configuration",
                "--client-id",
                "x",
                "--client-secret",
                "y",
            ],
            "discovery_url",
        ),
        (
            vec![
                "connection",
                "add",
                "--name",
                "nosecret",
                "--preset",
                "google",
                "--client-id",
                "x",
            ],
            "client_secret",
        ),
        (
            vec![
                "connection",
                "add",
                "--name",
                "badmap",
                "--preset",
                "google",
                "--client-id",
                "x",
                "--client-secret",
                "y",
                "--map",
                "given_name",
            ],
            "mapping",
        ),
    ] {
        let out = cli.run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(field), "{err}");
    }

    // A provider that does not answer: said on one line, a non-zero exit.
    let out = cli.run(&["connection", "test", "staff-sso"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("does not answer"), "{err}");
    let out = cli.run(&["connection", "test", "nobody"], None);
    assert_eq!(out.status.code(), Some(2));

    let out = cli.run(&["connection", "remove", "google"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cli.run(&["connection", "remove", "google"], None);
    assert_eq!(out.status.code(), Some(2));
    let list = text(&cli.run(&["connection", "list"], None).stdout);
    assert!(
        !list.contains("google") && list.contains("staff-sso"),
        "{list}"
    );
}
