//! A real external client: WSO2's published JavaScript SDK (`@asgardeo/javascript` from npm,
//! pinned in tests/sdk/package-lock.json and installed by `.ci/services.sh install`) registers
//! an account against the running server, in Node, through `executeEmbeddedSignUpFlow`.
//! tests/sdk/register.mjs drives the SDK; this test reads the code from the real mail and
//! hands it over on the script's standard input.

use crate::helpers::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The npm package's folder: `$FLOWS_TEST_SDK_DIR` (written to env.sh by
/// `.ci/services.sh start`), or tests/sdk. A missing install is a failure, never a skip.
fn sdk_dir() -> PathBuf {
    let dir = std::env::var("FLOWS_TEST_SDK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sdk"));
    let package = dir.join("node_modules/@asgardeo/javascript/package.json");
    assert!(
        package.is_file(),
        "@asgardeo/javascript is not installed at {}: run `bash .ci/services.sh install` \
         (npm ci --prefix tests/sdk) and source /tmp/flows-ci/env.sh, or set FLOWS_TEST_SDK_DIR",
        package.display()
    );
    dir
}

/// Kills the script if the test ends early, so no node process outlives it.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn wso2s_javascript_sdk_registers_an_account() {
    let dir = sdk_dir();
    let app = spawn_app_with(Options {
        smtp: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("sdk");
    let mut child = Reaped(
        Command::new("node")
            .arg(dir.join("register.mjs"))
            .args([&app.address, &email, GOOD_PASSWORD])
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("node could not be started ({e}): is Node.js installed?")),
    );
    let mut stdin = child.0.stdin.take().unwrap();
    let stdout = child.0.stdout.take().unwrap();
    let stderr = child.0.stderr.take().unwrap();
    // The script's lines, read off the runtime (the server runs on it too).
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let errors = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());

    let mut done = None;
    let mut codes = 0;
    while let Some(line) = tokio::time::timeout(Duration::from_secs(60), rx.recv())
        .await
        .expect("the SDK script answered nothing for 60 s")
    {
        let event: Value =
            serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON from node: {line}"));
        match event["event"].as_str() {
            Some("code") => {
                codes += 1;
                let code = app.last_mail(&email, codes).await.code();
                writeln!(stdin, "{code}").unwrap();
                stdin.flush().unwrap();
            }
            Some("done") => done = Some(event),
            _ => panic!("the SDK registration failed: {event:#}"),
        }
    }
    let status = tokio::task::spawn_blocking(move || child.0.wait())
        .await
        .unwrap()
        .unwrap();
    let errors = errors.join().unwrap();
    assert!(status.success(), "node exited with {status}: {errors}");
    let done = done.unwrap_or_else(|| panic!("the script never finished: {errors}"));
    assert_eq!(codes, 1, "one code step");

    println!("what the SDK sent and got: {done:#}");
    let response = &done["response"];
    assert_eq!(response["flowStatus"], "COMPLETE", "{response:#}");
    assert!(stored_user_exists(&app, &email).await);

    // What the SDK put on the wire: flowType on every call, continuations ignoring it, the
    // pressed button's id as actionId, and one call through the tenant-qualified path.
    let requests = done["requests"].as_array().unwrap();
    assert!(requests.len() >= 3, "{requests:#?}");
    for (i, request) in requests.iter().enumerate() {
        assert_eq!(request["status"], 200, "{request:#}");
        assert_eq!(request["method"], "POST");
        assert_eq!(request["body"]["flowType"], "REGISTRATION", "{request:#}");
        assert_eq!(request["headers"]["Content-Type"], "application/json");
        if i == 0 {
            assert!(request["body"].get("flowId").is_none(), "{request:#}");
        } else {
            assert!(request["body"]["flowId"].is_string(), "{request:#}");
            assert!(request["body"]["actionId"].is_string(), "{request:#}");
        }
    }
    let urls: Vec<&str> = requests
        .iter()
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls[0],
        format!("{}/api/server/v1/flow/execute", app.address)
    );
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/t/carbon.super/api/server/v1/flow/execute")),
        "{urls:?}"
    );
    let last = requests.last().unwrap();
    assert_eq!(
        last["body"]["inputs"]["otp"].as_str().map(str::len),
        Some(6)
    );
}
