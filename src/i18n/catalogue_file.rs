//! A language as a file: the Fluent (`.ftl`) format the compiled-in catalogues are written
//! in, so a translator works in the same format with the same tools, and what the console
//! exports reads back in unchanged.

use super::{check_key, check_message, fluent_id, message_key, message_source};
use fluent_bundle::FluentResource;
use fluent_syntax::ast;

/// One message as a catalogue file writes it: `id = text`, every further line indented so
/// it belongs to the message (blank lines stay blank).
pub fn catalogue_entry(key: &str, value: &str) -> String {
    let mut lines = value.trim().lines();
    let mut out = format!("{} = {}", fluent_id(key), lines.next().unwrap_or_default());
    for line in lines {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
    }
    out.push('\n');
    out
}

/// A problem in a catalogue file, on a line (1-based) of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub line: usize,
    pub message: String,
}

/// Every message of a catalogue file as `(key, text)`, in the file's order, or every
/// problem found in it: a syntax error, a term or a message with attributes only, a key
/// twice, a text `check_message` refuses. Comments are skipped.
pub fn read_catalogue(source: &str) -> Result<Vec<(String, String)>, Vec<FileProblem>> {
    // An error at the very end (an unclosed `{`) belongs to the last line written.
    let line_of = |at: usize| {
        let at = at.min(source.trim_end().len());
        source.get(..at).unwrap_or(source).matches('\n').count() + 1
    };
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(r) => r,
        Err((_, errors)) => {
            return Err(errors
                .iter()
                .map(|e| FileProblem {
                    line: line_of(e.pos.start),
                    message: format!("this is not Fluent: {}", e.kind),
                })
                .collect());
        }
    };
    let mut problems = Vec::new();
    let mut messages: Vec<(String, String)> = Vec::new();
    // Entries carry no position: find each one's line by its id at the start of a line.
    let line_of_id = |id: &str| {
        source
            .lines()
            .position(|l| {
                l.trim_start_matches('-')
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or(1, |i| i + 1)
    };
    for entry in resource.entries() {
        match entry {
            ast::Entry::Message(m) => {
                let id = m.id.name;
                let line = line_of_id(id);
                let key = message_key(id);
                let text = match (&m.value, message_source(&resource, id)) {
                    (Some(_), Some(text)) => text,
                    _ => {
                        problems.push(FileProblem {
                            line,
                            message: format!("“{key}” has attributes only, no text"),
                        });
                        continue;
                    }
                };
                if let Err(why) = check_key(&key).and_then(|()| check_message(&text)) {
                    problems.push(FileProblem {
                        line,
                        message: format!("“{key}”: {why}"),
                    });
                } else if messages.iter().any(|(k, _)| *k == key) {
                    problems.push(FileProblem {
                        line,
                        message: format!("“{key}” is in the file twice"),
                    });
                } else {
                    messages.push((key, text));
                }
            }
            ast::Entry::Term(t) => problems.push(FileProblem {
                line: line_of_id(t.id.name),
                message: format!("“-{}” is a term; write messages only", t.id.name),
            }),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(messages)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_as_written() {
        let text = "Hello { $name },\n\nyour code:\n  { $code }";
        let file = format!(
            "# a comment\n{}{}",
            catalogue_entry("mail.otp.body", text),
            catalogue_entry("register.title", "Join")
        );
        let read = read_catalogue(&file).unwrap();
        assert_eq!(read[0].0, "mail.otp.body");
        assert_eq!(read[1], ("register.title".into(), "Join".into()));
        assert_eq!(
            read_catalogue(&catalogue_entry("mail.otp.body", &read[0].1)).unwrap()[0].1,
            read[0].1
        );
    }

    #[test]
    fn every_problem_is_said_with_its_line() {
        let file =
            "a-b = One\nbad-ref = Hi {email}\n-term = T\na-b = Twice\nonly =\n    .attr = x\n";
        let problems = read_catalogue(file).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 1, 5], "{problems:?}");
        assert!(problems[0].message.contains("bad.ref"), "{problems:?}");
        let broken = read_catalogue("a = ok\nb = { oops\n").unwrap_err();
        assert_eq!(broken[0].line, 2, "{broken:?}");
    }
}
