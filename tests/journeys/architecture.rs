//! The layers of docs/ARCHITECTURE.md hold: no circle of imports among the crate's top-level
//! modules, nor among `web`'s children. Read from the source as text (every `crate::…` and
//! `super::…` path outside comments and test code), so a new circle fails here, naming the
//! files that make it, before it sets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its module path (`["web", "pages", "flow"]`) and its code without comments
/// and test modules.
struct Source {
    file: String,
    module: Vec<String>,
    code: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code a build without tests compiles: comments, `#[cfg(test)] mod x;` lines and
/// `#[cfg(test)] mod tests { … }` (which runs to the end of a file here) left out. Also the
/// names of the test-only child modules, whose files are left out whole.
fn code_of(text: &str) -> (String, Vec<String>) {
    let mut code = String::new();
    let mut test_children = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            let next = lines.peek().map(|l| l.trim()).unwrap_or_default();
            if let Some(name) = next
                .strip_prefix("mod ")
                .or_else(|| next.strip_prefix("pub mod "))
                .and_then(|rest| rest.strip_suffix(';'))
            {
                test_children.push(name.to_owned());
                lines.next();
                continue;
            }
            break;
        }
        let without_comment = match line.find("//") {
            // A `//` inside a string (a URL) ends the line early: only paths after it on
            // the same line could be missed, and no import line holds a URL.
            Some(at) => &line[..at],
            None => line,
        };
        code.push_str(without_comment);
        code.push('\n');
    }
    (code, test_children)
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut sources = Vec::new();
    let mut test_only: BTreeSet<Vec<String>> = BTreeSet::new();
    for path in files {
        let relative = path.strip_prefix(&root).expect("under src");
        let mut module: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let is_mod_file = matches!(module.last().map(String::as_str), Some("mod"));
        if is_mod_file || module == ["lib"] {
            module.pop();
        }
        if module == ["main"] {
            continue;
        }
        let (code, test_children) = code_of(&std::fs::read_to_string(&path).expect("source"));
        // `#[cfg(test)] mod x;` in module M is M::x, whichever file M is in.
        for child in test_children {
            let mut m = module.clone();
            m.push(child);
            test_only.insert(m);
        }
        sources.push(Source {
            file: format!("src/{}", relative.display()),
            module,
            code,
        });
    }
    sources.retain(|s| !test_only.iter().any(|t| s.module.starts_with(t)));
    sources
}

/// The paths of a use tree at the start of `text`, below `prefix`: `a::b`, `a::{b, c::d}`,
/// nested groups too.
fn use_tree(prefix: &[String], text: &str) -> Vec<Vec<String>> {
    let mut path = prefix.to_vec();
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let mut found = Vec::new();
            let (mut depth, mut item_start) = (0, 0);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    '}' | ',' if depth == 0 => {
                        found.extend(use_tree(&path, group[item_start..i].trim()));
                        item_start = i + 1;
                        if c == '}' {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            return found;
        }
        let segment: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if segment.is_empty() {
            return vec![path];
        }
        path.push(segment.clone());
        match rest[segment.len()..].strip_prefix("::") {
            Some(more) => rest = more.trim_start(),
            None => return vec![path],
        }
    }
}

/// The module paths a file's code names: `crate::a::b…` as `[a, b, …]`, `super::x` resolved
/// against the file's own module, and each item of a group (`crate::web::{a, b::c}`).
fn paths_named(source: &Source) -> Vec<Vec<String>> {
    let code = &source.code;
    let mut found = Vec::new();
    for (prefix, resolve) in [("crate::", false), ("super::", true)] {
        let mut at = 0;
        while let Some(offset) = code[at..].find(prefix) {
            let start = at + offset;
            at = start + prefix.len();
            if code[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == ':')
            {
                // `$crate::` in a macro, a longer name, or the second `super::` of
                // `super::super::`, read with the first.
                continue;
            }
            let mut base = Vec::new();
            let mut rest = &code[at..];
            if resolve {
                // A module's parent; `mod.rs` is its folder's module, so this holds for both.
                base = source.module.clone();
                base.pop();
                while let Some(more) = rest.strip_prefix("super::") {
                    base.pop();
                    rest = more;
                }
            }
            found.extend(use_tree(&base, rest));
        }
    }
    found.retain(|p| !p.is_empty());
    found
}

/// Module-level edges `from -> to` with the files that make each, given how to name a node.
fn edges(
    sources: &[Source],
    node_of: impl Fn(&[String]) -> Option<String>,
) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for source in sources {
        let Some(from) = node_of(&source.module) else {
            continue;
        };
        for path in paths_named(source) {
            if let Some(to) = node_of(&path)
                && to != from
            {
                out.entry((from.clone(), to))
                    .or_default()
                    .insert(source.file.clone());
            }
        }
    }
    out
}

/// Each circle as its nodes, by a depth-first search for back edges.
fn circles(edges: &BTreeMap<(String, String), BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = stack.iter().position(|n| *n == node) {
            found.push(stack[at..].iter().map(|n| (*n).to_owned()).collect());
            return;
        }
        if !done.insert(node) {
            return;
        }
        stack.push(node);
        for to in next.get(node).into_iter().flatten() {
            visit(to, next, stack, done, found);
        }
        stack.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in next.keys() {
        visit(node, &next, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn explain(found: &[Vec<String>], edges: &BTreeMap<(String, String), BTreeSet<String>>) -> String {
    let mut text = String::new();
    for circle in found {
        text.push_str(&format!("circle: {}\n", circle.join(" -> ")));
        for (i, from) in circle.iter().enumerate() {
            let to = &circle[(i + 1) % circle.len()];
            if let Some(files) = edges.get(&(from.clone(), to.clone())) {
                text.push_str(&format!("  {from} -> {to}: {files:?}\n"));
            }
        }
    }
    text
}

fn modules_under(sources: &[Source], parent: &[&str]) -> BTreeSet<String> {
    sources
        .iter()
        .filter(|s| {
            s.module.len() > parent.len()
                && s.module
                    .starts_with(&parent.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>())
        })
        .map(|s| s.module[parent.len()].clone())
        .collect()
}

#[test]
fn no_circle_among_the_top_level_modules_or_among_webs_children() {
    let sources = sources();
    assert!(sources.len() > 100, "read {} files", sources.len());
    let top = modules_under(&sources, &[]);
    for expected in ["engine", "store", "web", "domain", "config", "i18n"] {
        assert!(top.contains(expected), "{expected} in {top:?}");
    }
    let top_edges = edges(&sources, |path| {
        path.first().filter(|m| top.contains(*m)).cloned()
    });
    assert!(
        top_edges.contains_key(&("web".into(), "engine".into())),
        "the reader finds the imports it should: {:?}",
        top_edges.keys().collect::<Vec<_>>()
    );
    let found = circles(&top_edges);
    assert!(found.is_empty(), "{}", explain(&found, &top_edges));

    let web = modules_under(&sources, &["web"]);
    assert!(web.contains("pages") && web.contains("admin") && web.contains("api"));
    let web_edges = edges(&sources, |path| match path {
        [first, child, ..] if first == "web" && web.contains(child) => Some(child.clone()),
        _ => None,
    });
    assert!(
        web_edges.contains_key(&("admin".into(), "page".into())),
        "{:?}",
        web_edges.keys().collect::<Vec<_>>()
    );
    let found = circles(&web_edges);
    assert!(found.is_empty(), "{}", explain(&found, &web_edges));
}

#[test]
fn the_reader_finds_a_circle_made_on_purpose() {
    let made = |file: &str, module: &[&str], code: &str| Source {
        file: file.into(),
        module: module.iter().map(|m| (*m).to_owned()).collect(),
        code: code_of(code).0,
    };
    let sources = vec![
        made("src/a.rs", &["a"], "use crate::b::Thing;\n"),
        made(
            "src/b/mod.rs",
            &["b"],
            "use crate::{d, e::{f, c::Y}};\nuse crate::c::{\n    x::X,\n    Z,\n};\n",
        ),
        made(
            "src/c/x.rs",
            &["c", "x"],
            "// use crate::d::Nothing;\nuse super::super::a::Y;\n#[cfg(test)]\nmod tests { use crate::b::Z; }\n",
        ),
    ];
    let edges = edges(&sources, |path| path.first().cloned());
    let found = circles(&edges);
    assert_eq!(found, vec![vec!["a".to_owned(), "b".into(), "c".into()]]);
    assert!(
        !edges.contains_key(&("c".into(), "d".into())),
        "comments are not read"
    );
    assert!(
        !edges.contains_key(&("c".into(), "b".into())),
        "tests are not read"
    );
}

#[test]
fn only_the_engine_and_the_start_up_wiring_reach_the_store() {
    let mut outside = Vec::new();
    for source in sources() {
        let in_engine = source.module.first().is_some_and(|m| m == "engine");
        let wiring = source.module == ["startup"];
        if in_engine || wiring {
            continue;
        }
        for (n, line) in source.code.lines().enumerate() {
            if line.contains(".store()") || line.contains("open_store(") {
                outside.push(format!("{}:{}: {}", source.file, n + 1, line.trim()));
            }
        }
    }
    // `flows migrate` is wiring too: it opens the store to migrate it and does nothing else.
    outside.retain(|l| {
        !(l.starts_with("src/cli/mod.rs")
            && l.contains("open_store(&settings)")
            && l.contains("map_err"))
    });
    assert!(
        outside.is_empty(),
        "the web and the CLI go through the engine's acts: {outside:#?}"
    );
}

#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).expect("source").lines().count();
            (lines > 1_000).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by what they hold: {long:?}");
}

/// SQLite prepares a statement again at every run when a parameter is bound straight into its
/// LIMIT (it plans around the count): the outbox claim, polled all day, cost as much again.
/// Every SQLite statement, its own or written once for both backends, casts the count
/// (`dialect!(count …)`).
#[test]
fn no_sqlite_statement_binds_its_limit_straight() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut files = Vec::new();
    rust_files(&root.join("sqlite"), &mut files);
    files.push(root.join("statements.rs"));
    let bound: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("source");
            text.lines()
                .enumerate()
                .filter(|(_, line)| line.contains("LIMIT $") || line.contains("LIMIT ?"))
                .map(|(n, line)| format!("{}:{}: {}", f.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(bound.is_empty(), "cast these counts: {bound:?}");
}

/// The engine hands the front ends a step ready to show (`Engine::show`): neither the hosted
/// pages nor the execution API fetch a flow to take a step apart and resolve it themselves.
#[test]
fn the_front_ends_show_the_step_the_engine_made_ready() {
    let mut fetching = Vec::new();
    for source in sources() {
        let front_end = source.module.len() > 1
            && source.module[0] == "web"
            && (source.module[1] == "pages" || source.module[1] == "api");
        if !front_end {
            continue;
        }
        for (n, line) in source.code.lines().enumerate() {
            if line.contains("engine.flow(") || line.contains(".with_texts(") {
                fetching.push(format!("{}:{}: {}", source.file, n + 1, line.trim()));
            }
        }
    }
    assert!(
        fetching.is_empty(),
        "show what `Engine::show` returns instead: {fetching:#?}"
    );
}
