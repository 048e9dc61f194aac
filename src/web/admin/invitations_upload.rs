//! Many invitations from a CSV file: a header row (`email`, and optionally `language` and the
//! attributes an invitation may prefill), then one person a row. Every row is checked before
//! anything is sent; if any is refused, nobody is invited and the page lists the refused rows
//! with why. Nothing half-done.

use super::invitations::{Filter, Shown, inviter_named, page};
use super::{AdminUpload, TextUpload, UploadProblem, done, failed};
use crate::engine::{BatchInvite, BatchReason, BatchRefusal, MAX_BATCH, MAX_VALUE, PREFILLABLE};
use crate::i18n::Tr;
use crate::web::error;
use actix_web::{HttpResponse, web};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/invitations/upload", web::post().to(upload));
}

/// Five hundred rows of a long address, a language and two names fit many times over.
const MAX_UPLOAD: usize = 256 * 1024;

/// The upload form: `csrf_token`, `file` and `invited_by`.
type UploadFields = TextUpload<MAX_UPLOAD>;

/// One CSV record and the line of the file it starts on (the first line is 1).
#[derive(Debug, PartialEq, Eq)]
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Reads CSV as RFC 4180 has it: fields split by commas, records by CRLF or LF, a field in
/// double quotes may hold commas, line breaks and doubled quotes (`""`). A leading byte order
/// mark and blank lines are skipped. The error says the line of a quote left open.
///
/// Spreadsheets set to a language whose decimal mark is a comma (French, German…) save
/// "CSV" split by semicolons: a first line with semicolons and no comma is read that way.
fn parse_csv(text: &str, tr: &Tr) -> Result<Vec<Record>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let separator = if first.contains(';') && !first.contains(',') {
        ';'
    } else {
        ','
    };
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut start = 1;
    let mut quoted = false;
    // The current field was quoted and its quote closed: only a comma or a line end may follow.
    let mut closed = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    closed = true;
                }
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            _ if c == separator => {
                fields.push(std::mem::take(&mut field));
                closed = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                if !(fields.len() == 1 && fields[0].is_empty() && !closed) {
                    records.push(Record {
                        line: start,
                        fields: std::mem::take(&mut fields),
                    });
                }
                fields.clear();
                closed = false;
                line += 1;
                start = line;
            }
            '"' if field.is_empty() && !closed => quoted = true,
            _ if closed => {
                return Err(tr.t_args(
                    "ui.people.invitations.csv.after_quote",
                    &[("line", line.to_string())],
                ));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(tr.t_args(
            "ui.people.invitations.csv.open_quote",
            &[("line", start.to_string())],
        ));
    }
    if !field.is_empty() || !fields.is_empty() || closed {
        fields.push(field);
        records.push(Record {
            line: start,
            fields,
        });
    }
    Ok(records)
}

/// The columns a file may have, as the header names them.
fn known_columns() -> Vec<&'static str> {
    let mut known = vec!["email", "language"];
    known.extend(PREFILLABLE);
    known
}

/// The people a file lists, and the rows that could not be read; or why the whole file is
/// refused, in the console's language (`tr`).
fn people_of(text: &str, tr: &Tr) -> Result<(Vec<BatchInvite>, Vec<BatchRefusal>), String> {
    let mut records = parse_csv(text, tr)?.into_iter();
    let Some(header) = records.next() else {
        return Err(tr.t("ui.people.invitations.csv.empty"));
    };
    let columns: Vec<String> = header
        .fields
        .iter()
        .map(|c| c.trim().to_lowercase())
        .collect();
    let known = known_columns();
    for (i, column) in columns.iter().enumerate() {
        if !known.contains(&column.as_str()) {
            return Err(tr.t_args(
                "ui.people.invitations.csv.unknown_column",
                &[
                    ("column", column.chars().take(50).collect()),
                    ("columns", known.join(", ")),
                ],
            ));
        }
        if columns[..i].contains(column) {
            return Err(tr.t_args(
                "ui.people.invitations.csv.twice",
                &[("column", column.clone())],
            ));
        }
    }
    if !columns.iter().any(|c| c == "email") {
        return Err(tr.t_args(
            "ui.people.invitations.csv.no_email",
            &[("columns", known.join(", "))],
        ));
    }
    let records: Vec<Record> = records.collect();
    if records.is_empty() {
        return Err(tr.t("ui.people.invitations.csv.nobody"));
    }
    if records.len() > MAX_BATCH {
        return Err(tr.t_args(
            "ui.people.invitations.csv.too_many",
            &[
                ("count", records.len().to_string()),
                ("max", MAX_BATCH.to_string()),
            ],
        ));
    }
    let mut people = Vec::with_capacity(records.len());
    let mut unreadable = Vec::new();
    for record in records {
        if record.fields.len() != columns.len() {
            let email = columns
                .iter()
                .position(|c| c == "email")
                .and_then(|i| record.fields.get(i))
                .cloned()
                .unwrap_or_default();
            unreadable.push(BatchRefusal {
                row: record.line,
                email: email.chars().take(254).collect(),
                reason: BatchReason::Unreadable(tr.t_args(
                    "ui.people.invitations.csv.row_fields",
                    &[
                        ("count", record.fields.len().to_string()),
                        ("columns", columns.len().to_string()),
                    ],
                )),
            });
            continue;
        }
        let mut person = BatchInvite {
            row: record.line,
            ..BatchInvite::default()
        };
        for (column, value) in columns.iter().zip(record.fields) {
            match column.as_str() {
                "email" => person.email = value,
                "language" => person.language = value,
                _ => {
                    person.prefill.insert(column.clone(), value);
                }
            }
        }
        people.push(person);
    }
    Ok((people, unreadable))
}

/// The refused rows, as the page lists them: (row, address, why).
fn report(tr: &Tr, mut refused: Vec<BatchRefusal>) -> Vec<(usize, String, String)> {
    refused.sort_by_key(|r| r.row);
    refused
        .into_iter()
        .map(|r| (r.row, r.email, reason_words(tr, &r.reason)))
        .collect()
}

/// Why a row is refused, in the console's language.
fn reason_words(tr: &Tr, reason: &BatchReason) -> String {
    let key = |k: &str| format!("ui.people.invitations.row.{k}");
    match reason {
        BatchReason::InvalidEmail => tr.t(&key("invalid_email")),
        BatchReason::Duplicate(row) => tr.t_args(&key("duplicate"), &[("row", row.to_string())]),
        BatchReason::AlreadyRegistered => tr.t(&key("already_registered")),
        BatchReason::UnknownLanguage(tag) => {
            let known: Vec<&str> = crate::i18n::Locale::all().map(|l| l.tag()).collect();
            tr.t_args(
                &key("unknown_language"),
                &[("tag", tag.clone()), ("known", known.join(", "))],
            )
        }
        BatchReason::NotPrefillable(name) => {
            tr.t_args(&key("not_prefillable"), &[("name", name.clone())])
        }
        BatchReason::BadValue(column) => tr.t_args(
            &key("bad_value"),
            &[("column", column.clone()), ("max", MAX_VALUE.to_string())],
        ),
        BatchReason::MailQuota(per_hour) => {
            tr.t_args(&key("mail_quota"), &[("count", per_hour.to_string())])
        }
        // Worded already, in the console's language, by `people_of`.
        BatchReason::Unreadable(why) => why.clone(),
        BatchReason::Failed => tr.t(&key("failed")),
    }
}

async fn upload(AdminUpload { admin, form }: AdminUpload<UploadFields>) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let tr = admin.console_tr();
    let refuse = |message: String, refused: Vec<BatchRefusal>| {
        let shown = Shown::upload_refused(message, report(&tr, refused));
        page(&admin, Filter::default(), shown)
    };
    match form.problem {
        Some(UploadProblem::TooLarge) => {
            let kib = MAX_UPLOAD / 1024;
            let message = tr.t_args(
                "ui.people.invitations.upload.too_large",
                &[("kib", kib.to_string())],
            );
            return refuse(message, vec![]).await;
        }
        Some(UploadProblem::Unreadable) => {
            return refuse(tr.t("ui.people.invitations.upload.unreadable"), vec![]).await;
        }
        None => {}
    }
    if form.text("file").trim().is_empty() {
        return refuse(tr.t("ui.people.invitations.upload.no_file"), vec![]).await;
    }
    let (people, unreadable) = match people_of(form.text("file"), &tr) {
        Ok(p) => p,
        Err(message) => return refuse(message, vec![]).await,
    };
    let invited_by = inviter_named(form.text("invited_by"));
    let nothing_sent = |n: usize| {
        tr.t_args(
            "ui.people.invitations.upload.nothing_sent",
            &[("count", n.to_string())],
        )
    };
    if !unreadable.is_empty() {
        // Report every refused row at once, the unreadable ones and the others.
        let mut refused = match state.engine.check_invitation_batch(&people).await {
            Ok(r) => r,
            Err(e) => return error::internal(req, &e),
        };
        refused.extend(unreadable);
        return refuse(nothing_sent(refused.len()), refused).await;
    }
    let outcome = match state
        .engine
        .invite_batch(&people, &invited_by, &admin.actor())
        .await
    {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(refused)) => return refuse(nothing_sent(refused.len()), refused).await,
        Err(e) => return error::internal(req, &e),
    };
    let sent = outcome.sent;
    if outcome.failed.is_empty() {
        let message = tr.t_args(
            "ui.people.invitations.upload.sent",
            &[("count", sent.to_string())],
        );
        return done(session, "/admin/invitations", &message);
    }
    // What no check could foresee (another mail to an address between the check and the send).
    let missed: Vec<String> = outcome
        .failed
        .iter()
        .map(|r| {
            tr.t_args(
                "ui.people.invitations.upload.missed_one",
                &[
                    ("email", r.email.clone()),
                    ("row", r.row.to_string()),
                    ("reason", reason_words(&tr, &r.reason)),
                ],
            )
        })
        .collect();
    failed(
        session,
        "/admin/invitations",
        &tr.t_args(
            "ui.people.invitations.upload.missed",
            &[("count", sent.to_string()), ("missed", missed.join("; "))],
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Tr {
        Tr::new(crate::i18n::Locale::default())
    }

    fn people_of_en(text: &str) -> Result<(Vec<BatchInvite>, Vec<BatchRefusal>), String> {
        people_of(text, &english())
    }

    fn rows(text: &str) -> Vec<Record> {
        parse_csv(text, &english()).unwrap()
    }

    fn r(line: usize, fields: &[&str]) -> Record {
        Record {
            line,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn plain_fields_split_by_commas_and_lines() {
        assert_eq!(
            rows("email,language\r\na@example.com,fr\nb@example.com,\n"),
            vec![
                r(1, &["email", "language"]),
                r(2, &["a@example.com", "fr"]),
                r(3, &["b@example.com", ""]),
            ]
        );
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        assert_eq!(
            rows(
                "email,given_name\n\"a@example.com\",\"Lovelace, Ada\"\nb@example.com,\"Say \"\"hi\"\"\nthere\"\nc@example.com,\"\""
            ),
            vec![
                r(1, &["email", "given_name"]),
                r(2, &["a@example.com", "Lovelace, Ada"]),
                r(3, &["b@example.com", "Say \"hi\"\nthere"]),
                r(5, &["c@example.com", ""]),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_and_blank_lines_are_skipped_and_the_last_line_needs_no_break() {
        assert_eq!(
            rows("\u{feff}email\n\n\r\na@example.com"),
            vec![r(1, &["email"]), r(4, &["a@example.com"])]
        );
        assert_eq!(rows(""), Vec::new());
    }

    #[test]
    fn a_spreadsheet_s_semicolons_separate_when_the_header_has_no_comma() {
        assert_eq!(
            rows("email;given_name\na@example.com;\"Lovelace; Ada, Countess\"\n"),
            vec![
                r(1, &["email", "given_name"]),
                r(2, &["a@example.com", "Lovelace; Ada, Countess"]),
            ]
        );
        assert_eq!(
            rows("email,given_name\na@example.com,Semi;colon\n"),
            vec![
                r(1, &["email", "given_name"]),
                r(2, &["a@example.com", "Semi;colon"]),
            ]
        );
    }

    #[test]
    fn broken_quoting_is_refused_with_its_line() {
        let open = parse_csv("email\n\"a@example.com\n", &english()).unwrap_err();
        assert!(open.contains("Line 2"), "{open}");
        let after = parse_csv("email\n\"a\"b,c\n", &english()).unwrap_err();
        assert!(after.contains("Line 2"), "{after}");
    }

    #[test]
    fn the_header_is_checked_before_any_row() {
        let unknown = people_of_en("email,phone\na@example.com,1\n").unwrap_err();
        assert!(unknown.contains("“phone”"), "{unknown}");
        assert!(
            people_of_en("language\nfr\n")
                .unwrap_err()
                .contains("email")
        );
        assert!(
            people_of_en("email,email\na,b\n")
                .unwrap_err()
                .contains("twice")
        );
        assert!(people_of_en("email\n").unwrap_err().contains("nobody"));
        let many = format!("email\n{}", "a@example.com\n".repeat(MAX_BATCH + 1));
        assert!(people_of_en(&many).unwrap_err().contains("at most 500"));
    }

    #[test]
    fn rows_become_people_and_short_rows_are_refused_by_number() {
        let (people, unreadable) = people_of_en(
            "Email,Given_Name,language\na@example.com,\"Lovelace, Ada\",fr\nb@example.com\n",
        )
        .unwrap();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].row, 2);
        assert_eq!(people[0].email, "a@example.com");
        assert_eq!(people[0].language, "fr");
        assert_eq!(
            people[0].prefill.get("given_name").map(String::as_str),
            Some("Lovelace, Ada")
        );
        assert_eq!(unreadable.len(), 1);
        assert_eq!(unreadable[0].row, 3);
        assert_eq!(unreadable[0].email, "b@example.com");
    }
}
