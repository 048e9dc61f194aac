//! Every console page is valid HTML, by an outside judge: the Nu HTML Checker (vnu.jar, the
//! W3C's validator, installed from npm by `.ci/services.sh install` and run with Java). Each
//! page is fetched as an administrator sees it, in English and in French, with data on it (an
//! account, an invitation, a throttled address), and the checker reads them all in one run.
//! Any error fails the test with the page, line and message.

use crate::console::{admin_browser, console_pages};
use crate::helpers::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where vnu.jar is: `$FLOWS_TEST_VNU` (written to env.sh by `.ci/services.sh start`), or
/// the npm install under tests/vnu.
fn vnu_jar() -> PathBuf {
    let path = std::env::var("FLOWS_TEST_VNU").unwrap_or_else(|_| {
        format!(
            "{}/tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "the Nu HTML Checker is missing at {}: run `bash .ci/services.sh install` \
         (npm ci --prefix tests/vnu) and source /tmp/flows-ci/env.sh, or set FLOWS_TEST_VNU",
        path.display()
    );
    path
}

/// The checker's errors for every `.html` file of `dir`, as "file:line: message".
fn errors_in(dir: &Path) -> Vec<String> {
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--format", "json", "--exit-zero-always"])
        .arg(dir)
        .output()
        .expect("java runs the Nu HTML Checker");
    // The report is written to standard error.
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "the checker's report is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    report["messages"]
        .as_array()
        .expect("a list of messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"].as_str().unwrap_or_default();
            let file = file.rsplit('/').next().unwrap_or(file);
            format!(
                "{file}:{}: {}",
                m["lastLine"],
                m["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn the_checker_finds_an_error_when_there_is_one() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("broken.html"),
        "<!doctype html><html lang=en><title>x</title><p><div></p><li>x</html>",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("good.html"),
        "<!doctype html><html lang=en><title>x</title><p>Fine.</html>",
    )
    .unwrap();
    let errors = errors_in(dir.path());
    assert!(!errors.is_empty(), "the broken page passed");
    assert!(
        errors.iter().all(|e| e.starts_with("broken.html:")),
        "{errors:?}"
    );
}

#[tokio::test]
async fn every_console_page_is_valid_html_in_english_and_french() {
    let app = spawn_app().await;
    let (mut browser, _) = admin_browser(&app).await;
    // Things for the pages to show: a draft, an account, an invitation.
    let flow = browser.get("/admin/flows/REGISTRATION").await;
    browser
        .post(
            "/admin/flows/REGISTRATION/draft/start",
            &[
                ("csrf_token".into(), flow.csrf()),
                ("source".into(), "template:registration-otp".into()),
            ],
        )
        .await;
    let person = unique_email("checked");
    register_fully(&app, "Ada", &person).await;
    app.invite(&unique_email("invited"), BTreeMap::new(), "Grace Hopper")
        .await;
    let users = browser.get(&format!("/admin/users?q={person}")).await;
    let account = users
        .attr("tbody a[href^='/admin/users/']", "href")
        .expect("the account is listed");

    let mut pages: Vec<String> = console_pages().into_iter().map(str::to_owned).collect();
    pages.extend(
        [
            "/admin/users",
            "/admin/invitations",
            "/admin/audit",
            "/admin/settings/applications",
            "/admin/flows/REGISTRATION/draft?open=details",
            "/admin/messages?group=errors&page=2",
        ]
        .map(str::to_owned),
    );
    pages.push(account);

    let dir = tempfile::tempdir().expect("dir");
    let mut checked = 0;
    for lang in ["en", "fr"] {
        browser.accept_language = Some(lang.into());
        for (n, path) in pages.iter().enumerate() {
            let page = browser.get(path).await;
            assert!(page.status.is_success(), "GET {path}: {}", page.status);
            let html = page
                .headers
                .get("content-type")
                .and_then(|t| t.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html"));
            if !html {
                continue;
            }
            assert!(
                !page.html.contains(">ui."),
                "a key shows on {path} ({lang})"
            );
            std::fs::write(dir.path().join(format!("{lang}-{n:02}.html")), &page.html).unwrap();
            checked += 1;
        }
    }
    browser.accept_language = None;
    let signed_out = app.browser().get("/admin/login").await;
    std::fs::write(dir.path().join("login.html"), &signed_out.html).unwrap();

    assert!(checked >= 2 * 35, "only {checked} pages were HTML");
    let errors = errors_in(dir.path());
    let names: Vec<String> = pages
        .iter()
        .enumerate()
        .map(|(n, p)| format!("{n:02} = {p}"))
        .collect();
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors (files are LANG-NN.html: {names:?}):\n{}",
        errors.join("\n")
    );
}
