//! The Users list's bulk form: unlock, disable or enable the chosen accounts at once. The
//! engine acts on each account as the single-account pages do, each audited on its own; this
//! only reads the form and words the outcome.

use super::users::{Filter, list};
use super::{Admin, AdminPost, FormFields, done, failed};
use crate::domain::UserId;
use crate::engine::{AccountAction, AccountsReport};
use crate::i18n::Tr;
use crate::web::error;
use actix_web::HttpResponse;

/// The bulk buttons: the `action` field's value (also the stem of its keys under
/// `ui.people.bulk.`: none, done, unchanged) and what the engine does.
const BULK: &[(&str, AccountAction)] = &[
    ("unlock", AccountAction::Unlock),
    ("disable", AccountAction::Disable),
    ("enable", AccountAction::Enable),
];

/// A choice made from the list is at most a page of it; twice that still bounds what one
/// request does.
const MAX_CHOSEN: usize = 100;

/// Where a refusal's summary link leads: the list's form (or its "no account" line).
const FIELD: &str = "accounts";

pub(super) async fn act_on_chosen(AdminPost { admin, form }: AdminPost) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let filter = Filter::new(
        &form.text("q"),
        &form.text("status"),
        form.text("page").parse().ok(),
    );
    let chosen = chosen_ids(&form);
    let word = form.text("action");
    let tr = admin.console_tr();
    let Some(&(stem, action)) = BULK.iter().find(|b| b.0 == word) else {
        let message = tr.t("ui.people.bulk.unknown");
        return refused(&admin, filter, message).await;
    };
    if chosen.is_empty() {
        let message = tr.t(&format!("ui.people.bulk.{stem}.none"));
        return refused(&admin, filter, message).await;
    }
    if chosen.len() > MAX_CHOSEN {
        let message = tr.t_args(
            "ui.people.bulk.too_many",
            &[("max", MAX_CHOSEN.to_string())],
        );
        return refused(&admin, filter, message).await;
    }
    let mut ids = Vec::new();
    let mut malformed = Vec::new();
    for raw in &chosen {
        match raw.parse::<UserId>() {
            Ok(id) => ids.push(id),
            Err(_) => malformed.push(raw.as_str()),
        }
    }
    let report = match state
        .engine
        .act_on_accounts(&ids, action, &admin.actor())
        .await
    {
        Ok(r) => r,
        Err(e) => return error::internal(req, &e),
    };
    let message = outcome(&tr, &report, &malformed, stem);
    let back = filter.url_at(filter.page);
    if report.done.is_empty() && report.unchanged.is_empty() {
        failed(session, &back, &message)
    } else {
        done(session, &back, &message)
    }
}

/// The list as it was, with `message` in its error summary.
async fn refused(admin: &Admin, filter: Filter, message: String) -> HttpResponse {
    list(admin, filter, vec![(FIELD.to_owned(), message)]).await
}

/// The `id` fields of the form, as sent, blanks left out.
fn chosen_ids(form: &FormFields) -> Vec<String> {
    form.all()
        .iter()
        .filter(|(k, v)| k == "id" && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_owned())
        .collect()
}

/// "2 accounts disabled. Nothing to do for ada@example.com (already disabled). Not found: …",
/// for the bulk action whose keys' stem is `stem`.
fn outcome(tr: &Tr, report: &AccountsReport, malformed: &[&str], stem: &str) -> String {
    let mut words = vec![tr.t_args(
        &format!("ui.people.bulk.{stem}.done"),
        &[("count", report.done.len().to_string())],
    )];
    if !report.unchanged.is_empty() {
        let who: Vec<&str> = report.unchanged.iter().map(|u| u.email.as_str()).collect();
        words.push(tr.t_args(
            &format!("ui.people.bulk.{stem}.unchanged"),
            &[("who", listed(tr, &who))],
        ));
    }
    let missing: Vec<String> = report
        .not_found
        .iter()
        .map(ToString::to_string)
        // Whatever was sent, cut short: it is shown back.
        .chain(malformed.iter().map(|m| m.chars().take(40).collect()))
        .collect();
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
        words.push(tr.t_args(
            "ui.people.bulk.not_found",
            &[("list", listed(tr, &missing))],
        ));
    }
    words.join(" ")
}

/// The first few, and how many more.
fn listed(tr: &Tr, items: &[&str]) -> String {
    const SHOWN: usize = 5;
    let out = items
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        return tr.t_args(
            "ui.people.bulk.more",
            &[("list", out), ("more", (items.len() - SHOWN).to_string())],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_says_how_many_and_which_were_not_acted_on() {
        let report = AccountsReport::default();
        assert_eq!(
            outcome(
                &Tr::new(crate::i18n::Locale::default()),
                &report,
                &["x"; 7],
                "unlock"
            ),
            "No account unlocked. No such account: x, x, x, x, x and 2 more."
        );
    }
}
