use std::fmt::Write as _;
use std::path::Path;

/// Where the Fluent catalogues live; each `TAG.ftl` is one language.
const CATALOGUES: &str = "src/i18n/locales";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // sqlx::migrate! embeds the migration files; without this a new file may not be picked up.
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed={CATALOGUES}");
    catalogues()
}

/// Writes the list of compiled-in catalogues, so adding a language is adding a file.
fn catalogues() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::var("CARGO_MANIFEST_DIR")?;
    let dir = Path::new(&root).join(CATALOGUES);
    // Named from the crate's root as the compiler sees it, not as this script did: a build
    // of another checkout that shares the target folder may reuse this file without running
    // the script again, and a path into the first checkout would then break it (or, worse,
    // compile that checkout's texts).
    let include = |path: &Path| -> Result<String, Box<dyn std::error::Error>> {
        let relative = path.strip_prefix(&root)?.display().to_string();
        Ok(format!(
            "include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))",
            format!("/{relative}")
        ))
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "ftl")
            && let Some(tag) = path.file_stem().and_then(|s| s.to_str())
        {
            found.push((tag.to_owned(), path));
        }
    }
    // English first: it is the default and the fallback, found at index 0.
    found.sort_by(|(a, _), (b, _)| (a != "en", a).cmp(&(b != "en", b)));
    if found.first().is_none_or(|(tag, _)| tag != "en") {
        return Err(format!("{CATALOGUES}/en.ftl is missing: English is the fallback").into());
    }
    // The console's words are files of their own per language (`console/TAG.ftl`, and
    // `console/AREA.TAG.ftl` for a part of the console), appended to the language's
    // catalogue: one catalogue to look up, small files to read.
    let console_dir = dir.join("console");
    let mut out = String::from("&[\n");
    for (tag, path) in &found {
        let mut parts = vec![include(path)?];
        if console_dir.is_dir() {
            let mut extra: Vec<std::path::PathBuf> = std::fs::read_dir(&console_dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n == format!("{tag}.ftl") || n.ends_with(&format!(".{tag}.ftl"))
                    })
                })
                .collect();
            extra.sort();
            for p in &extra {
                parts.push(format!("\"\\n\", {}", include(p)?));
            }
        }
        writeln!(out, "    ({tag:?}, concat!({})),", parts.join(", "))?;
    }
    out.push_str("]\n");
    let target = Path::new(&std::env::var("OUT_DIR")?).join("catalogues.rs");
    std::fs::write(target, out)?;
    Ok(())
}
