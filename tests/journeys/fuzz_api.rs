//! An outside judge of the OpenAPI document: schemathesis (pinned, installed by
//! `.ci/services.sh`) reads `/api/openapi.json` from a fresh server and sends generated
//! requests to both APIs, with a management token, running every check and every phase
//! (examples, coverage, fuzzing, stateful). The document and the server must agree: zero
//! failures. What a schema cannot predict is stated in `tests/schemathesis/schemathesis.toml`.

use crate::helpers::*;
use crate::manage_api::create_token;
use std::process::Command;

/// Examples per operation and phase: bounded, so the run stays around a minute in CI.
const EXAMPLES: &str = "40";
/// A fixed seed: a failure is the same failure when run again.
const SEED: &str = "20261205";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_disagreement_between_the_document_and_the_server() {
    if Command::new("schemathesis")
        .arg("--version")
        .output()
        .is_err()
    {
        cannot_run(
            "schemathesis",
            "no schemathesis command (bash .ci/services.sh install puts it in)",
        );
        return;
    }
    let app = spawn_app_with(Options {
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    let token = create_token(&app, "schemathesis").await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = tempfile::tempdir().expect("report dir");
    let address = app.address.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("schemathesis")
            .arg("--config-file")
            .arg(root.join("tests/schemathesis/schemathesis.toml"))
            .arg("run")
            .arg(format!("{address}/api/openapi.json"))
            .args(["--checks", "all"])
            .args(["--phases", "examples,coverage,fuzzing,stateful"])
            .args(["--max-examples", EXAMPLES, "--seed", SEED])
            .args(["--continue-on-failure", "--warnings", "off"])
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .arg("--report-dir")
            .arg(report.path())
            // Its cache (`.schemathesis/`) goes there too, not into the checkout.
            .current_dir(report.path())
            // No colours, no progress bars: the log is read by people and by CI.
            .env("NO_COLOR", "1")
            .env("SCHEMATHESIS_HOOKS", "")
            .output()
            .expect("schemathesis runs")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout.split("SUMMARY").nth(1).unwrap_or(&stdout).to_owned();
    println!("schemathesis summary:{summary}");
    assert!(
        output.status.success(),
        "schemathesis found disagreements:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every operation of the document was selected and tested.
    let count = |label: &str| -> Option<String> {
        let line = summary
            .lines()
            .find(|l| l.trim_start().starts_with(label))?;
        Some(line.split(':').nth(1)?.trim().to_owned())
    };
    let selected = count("Selected").expect("a Selected line");
    let (chosen, all) = selected.split_once('/').expect("N/M");
    assert_eq!(chosen, all, "{summary}");
    assert_eq!(count("Tested").as_deref(), Some(all), "{summary}");
}
