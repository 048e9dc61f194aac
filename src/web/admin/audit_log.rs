//! The audit log: who did what, to whom, when and from where, newest first, filtered by
//! person, event and dates (a GET form), paged, and exported as CSV or JSON lines. People are
//! shown and found by their address, as it is now or as it was when the entry was written.

use super::{Admin, AdminLayout};
use crate::store::{AuditFilter, AuditRow, Name};
use crate::web::error;
use crate::web::page::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use time::{Date, OffsetDateTime, Time};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(show_audit))
        .route("/admin/audit/export", web::get().to(export_audit));
}

const PAGE: i64 = 100;
/// An export is bounded: a larger one is a matter for the database's own tools.
const EXPORT_MAX: i64 = 50_000;

#[derive(serde::Deserialize, Default)]
struct Query {
    /// Part of an id, an address or a username (`actor` in links made before it was named so).
    #[serde(default, alias = "actor")]
    who: String,
    #[serde(default)]
    action: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<i64>,
    /// `csv` or `jsonl`, for the export.
    #[serde(default)]
    format: String,
}

fn date(raw: &str) -> Result<Option<Date>, ()> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format).map(Some).map_err(|_| ())
}

/// The filter a query names, or the field and the catalogue key of what is wrong with it.
fn filter_of(q: &Query) -> Result<AuditFilter, (&'static str, &'static str)> {
    let bad = |field| (field, "ui.admin.audit.bad_date");
    let from = date(&q.from).map_err(|()| bad("from"))?;
    let to = date(&q.to).map_err(|()| bad("to"))?;
    let start = |d: Date| OffsetDateTime::new_utc(d, Time::MIDNIGHT);
    let filter = AuditFilter {
        who: q.who.trim().chars().take(200).collect(),
        action: q.action.trim().chars().take(100).collect(),
        from: from.map_or(OffsetDateTime::UNIX_EPOCH, start),
        // Inclusive of the whole last day.
        to: to.map_or(start(Date::MAX), |d| {
            d.next_day().map_or(start(Date::MAX), start)
        }),
    };
    if filter.from >= filter.to {
        return Err(("to", "ui.admin.audit.dates_reversed"));
    }
    Ok(filter)
}

/// One side of an entry (its actor or its subject): the name shown, the id beside it when
/// the name is not the id itself, and the account's page when it is an account.
pub struct Party {
    pub name: String,
    pub id: String,
    pub link: Option<String>,
}

impl Party {
    fn of(reference: &str, name: Name) -> Self {
        // Only an account that exists now has a page to go to.
        let link = match (&name, reference.strip_prefix("user:")) {
            (Name::Account(_), Some(id)) => Some(format!("/admin/users/{id}")),
            _ => None,
        };
        let name = name.as_str().map(str::to_owned);
        match name.filter(|n| !n.is_empty() && !reference.ends_with(n.as_str())) {
            Some(name) => Self {
                name,
                id: reference.to_owned(),
                link,
            },
            None => Self {
                name: reference.to_owned(),
                id: String::new(),
                link,
            },
        }
    }
}

pub struct Entry {
    pub at: String,
    pub actor: Party,
    pub action: String,
    pub subject: Party,
    /// The client address the event came from, if known.
    pub from: String,
    /// The execution (an end user's journey) the event belongs to, if any.
    pub execution: String,
    /// The rest of the detail, without what has a column of its own.
    pub detail: String,
}

impl Entry {
    fn of(row: AuditRow) -> Self {
        let mut detail: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&row.detail).unwrap_or_default();
        let mut take = |name: &str| match detail.remove(name) {
            Some(serde_json::Value::String(s)) => s,
            _ => String::new(),
        };
        let from = take("ip");
        let mut execution = take("execution");
        // Entries written before executions were named in the detail carry it in the actor.
        if execution.is_empty()
            && let Some(id) = row.actor.strip_prefix("execution:")
        {
            execution = id.to_owned();
        }
        let rest = if detail.is_empty() {
            String::new()
        } else {
            serde_json::Value::Object(detail).to_string()
        };
        Self {
            at: super::when(row.at),
            actor: Party::of(&row.actor, row.actor_name),
            action: row.action,
            subject: Party::of(row.subject.as_deref().unwrap_or_default(), row.subject_name),
            from,
            execution,
            detail: rest,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: AdminLayout,
    who: String,
    action: String,
    from: String,
    to: String,
    page: i64,
    more: bool,
    entries: Vec<Entry>,
    /// The query string of this filter, for the pager and the export links.
    query: String,
    errors: Vec<(String, String)>,
    field_error: Option<(&'static str, String)>,
}

impl AuditPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::error_beside(&self.field_error, field)
    }
}

fn query_string(q: &Query) -> String {
    serde_urlencoded::to_string([
        ("who", q.who.as_str()),
        ("action", q.action.as_str()),
        ("from", q.from.as_str()),
        ("to", q.to.as_str()),
    ])
    .unwrap_or_default()
}

async fn show_audit(admin: Admin, query: web::Query<Query>) -> HttpResponse {
    let (req, _, state) = admin.parts();
    let q = query.into_inner();
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let (rows, field_error) = match filter_of(&q) {
        Ok(filter) => match state
            .engine
            .search_audit(&filter, PAGE + 1, (page - 1) * PAGE)
            .await
        {
            Ok(rows) => (rows, None),
            Err(e) => return error::internal(req, &e),
        },
        Err((field, key)) => (Vec::new(), Some((field, admin.t(key)))),
    };
    let more = rows.len() as i64 > PAGE;
    let status = super::form_status(field_error.is_some());
    let view = AuditPage {
        layout: admin
            .section_layout("", "audit")
            .retitle("ui.admin.audit.title"),
        query: query_string(&q),
        entries: rows
            .into_iter()
            .take(PAGE as usize)
            .map(Entry::of)
            .collect(),
        errors: field_error
            .iter()
            .map(|(f, m)| ((*f).to_owned(), m.clone()))
            .collect(),
        field_error,
        who: q.who,
        action: q.action,
        from: q.from,
        to: q.to,
        page,
        more,
    };
    html(status, &view)
}

/// One CSV field: quoted, quotes doubled, and a leading `= + - @` defused so a spreadsheet
/// does not run it as a formula.
fn csv_field(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

fn csv(rows: &[AuditRow]) -> String {
    let mut out = String::from("at,actor,actor_name,action,subject,subject_name,detail\r\n");
    for r in rows {
        let fields = [
            crate::store::to_text(r.at),
            r.actor.clone(),
            r.actor_name.as_str().unwrap_or_default().to_owned(),
            r.action.clone(),
            r.subject.clone().unwrap_or_default(),
            r.subject_name.as_str().unwrap_or_default().to_owned(),
            r.detail.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn json_lines(rows: &[AuditRow]) -> String {
    rows.iter()
        .map(|r| {
            let detail: serde_json::Value =
                serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null);
            serde_json::json!({
                "at": crate::store::to_text(r.at),
                "actor": r.actor,
                "actorName": r.actor_name.as_str(),
                "action": r.action,
                "subject": r.subject,
                "subjectName": r.subject_name.as_str(),
                "detail": detail,
            })
            .to_string()
                + "\n"
        })
        .collect()
}

async fn export_audit(admin: Admin, query: web::Query<Query>) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let q = query.into_inner();
    let Ok(filter) = filter_of(&q) else {
        return super::failed(
            session,
            "/admin/audit",
            &admin.t("ui.admin.audit.fix_dates"),
        );
    };
    let rows = match state.engine.search_audit(&filter, EXPORT_MAX, 0).await {
        Ok(r) => r,
        Err(e) => return error::internal(req, &e),
    };
    let (body, content_type, extension) = if q.format == "jsonl" {
        (json_lines(&rows), "application/x-ndjson", "jsonl")
    } else {
        (csv(&rows), "text/csv; charset=utf-8", "csv")
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"flows-audit.{extension}\""),
        ))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "\"plain\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()"), "\"'=cmd()\"");
        assert_eq!(csv_field("a,b\nc"), "\"a,b\nc\"");
    }

    #[test]
    fn dates_are_checked() {
        let q = |from: &str, to: &str| Query {
            from: from.into(),
            to: to.into(),
            ..Query::default()
        };
        assert!(filter_of(&q("", "")).is_ok());
        assert!(
            filter_of(&q("2026-11-30", "2026-11-30")).is_ok(),
            "one whole day"
        );
        assert_eq!(filter_of(&q("30/11/2026", "")).unwrap_err().0, "from");
        assert_eq!(
            filter_of(&q("2026-12-01", "2026-11-30")).unwrap_err().0,
            "to"
        );
    }
}
