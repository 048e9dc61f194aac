//! docs/SECURITY.md names the test that proves each control; this keeps it true: every test
//! it names exists, so a renamed or deleted test cannot leave a control unproven unnoticed.

/// Every `path.rs::name` the document mentions, with the path and the function name.
fn named_tests(doc: &str) -> Vec<(String, String)> {
    let reference =
        regex::Regex::new(r"`((?:src|tests)/[a-z0-9_/]+\.rs)::([a-z0-9_]+)`").expect("pattern");
    reference
        .captures_iter(doc)
        .map(|c| (c[1].to_owned(), c[2].to_owned()))
        .collect()
}

#[test]
fn every_test_the_security_document_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/SECURITY.md")).expect("docs/SECURITY.md");
    let named = named_tests(&doc);
    assert!(named.len() > 60, "only {} tests named", named.len());
    let missing: Vec<String> = named
        .iter()
        .filter(|(path, name)| {
            let source = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            let defines = regex::Regex::new(&format!(r"\bfn {name}\s*[(<]")).expect("pattern");
            !defines.is_match(&source)
        })
        .map(|(path, name)| format!("{path}::{name}"))
        .collect();
    assert!(
        missing.is_empty(),
        "named in docs/SECURITY.md but not found: {missing:#?}"
    );
}

#[test]
fn every_control_row_names_a_test_or_says_it_is_open() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/SECURITY.md")).expect("docs/SECURITY.md");
    let controls = doc
        .split("## Controls and their proofs")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a controls section");
    let rows = controls
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| control"));
    let mut counted = 0;
    for row in rows {
        counted += 1;
        assert!(
            !named_tests(row).is_empty() || row.contains("**open**"),
            "a control with neither a test nor **open**: {row}"
        );
    }
    assert!(counted > 30, "only {counted} controls");
}
