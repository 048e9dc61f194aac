//! Invitations as full objects in the console: the invitee's language, links followed
//! ("opened"), many invitations from a CSV file (all or nothing), and an expired link's
//! request for a new invitation.

use crate::console::{admin_browser, fields};
use crate::helpers::*;
use reqwest::StatusCode;

/// The id of the newest invitation listed for `address`, with `status` as the filter.
async fn listed_id(browser: &Browser, status: &str, address: &str) -> Option<String> {
    let page = browser
        .get(&format!(
            "/admin/invitations?status={status}&address={address}"
        ))
        .await;
    page.attr("tr[id^=invitation-]", "id")
        .map(|id| id.trim_start_matches("invitation-").to_owned())
}

/// The row of the console's list for invitation `id`, as text.
async fn listed_row(browser: &Browser, id: &str) -> String {
    let page = browser.get("/admin/invitations").await;
    page.text_of(&format!("#invitation-{id}"))
}

/// Uploads `csv` as the invitation file; the answer, redirects not followed.
async fn upload(app: &TestApp, browser: &Browser, csv: &str) -> (StatusCode, String, String) {
    let form = browser.get("/admin/invitations").await;
    // The browser's own cookie jar, so the flash the answer sets is there for the next page.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_provider(browser.jar.clone())
        .build()
        .unwrap();
    let multipart = reqwest::multipart::Form::new()
        .text("csrf_token", form.csrf())
        .part(
            "file",
            reqwest::multipart::Part::text(csv.to_owned()).file_name("people.csv"),
        )
        .text("invited_by", "Dorothy");
    let answer = client
        .post(format!("{}/admin/invitations/upload", app.address))
        .multipart(multipart)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let location = answer
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location, answer.text().await.unwrap())
}

#[tokio::test]
async fn a_french_invitation_is_french_in_every_mail_and_page_and_its_opening_is_shown() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let page = admin.get("/admin/invitations").await;
    assert_eq!(
        page.attr("#language option[selected]", "value").as_deref(),
        Some("en"),
        "the default language is chosen unless the admin picks another"
    );
    let email = unique_email("amelie");
    let (status, _) = admin
        .post(
            "/admin/invitations",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("email", &email),
                ("given_name", "Amélie"),
                ("language", "fr"),
                ("invited_by", "Dorothy"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mail = app.last_mail(&email, 1).await;
    assert!(mail.subject.contains("vous invite"), "{}", mail.subject);
    let id = listed_id(&admin, "pending", &email).await.expect("listed");
    let row = listed_row(&admin, &id).await;
    assert!(row.contains("Français"), "{row}");
    assert!(row.contains("pending"), "{row}");
    assert!(listed_id(&admin, "opened", &email).await.is_none());

    // The invitee's browser asks for English; the invitation's language wins.
    let mut invitee = app.browser();
    invitee.accept_language = Some("en-GB,en;q=0.9".into());
    let opened = invitee.get(&mail.invitation_link()).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert_eq!(opened.h1(), "Vous êtes invité");
    assert!(opened.html.contains("<html lang=\"fr\""), "{}", opened.html);
    // A language the person picks themselves wins over the invitation's.
    let chosen = invitee.get("/invite?lang=en").await;
    assert_eq!(chosen.h1(), "You are invited");

    let row = listed_row(&admin, &id).await;
    assert!(row.contains("opened"), "{row}");
    assert_eq!(
        listed_id(&admin, "opened", &email).await.as_deref(),
        Some(id.as_str())
    );
    // Opened again: still one audit entry.
    app.browser().get(&mail.invitation_link()).await;
    let audit = app.store().await.recent_audit(100).await.unwrap();
    let opened_entries = audit
        .iter()
        .filter(|a| {
            a.action == "invitation.opened"
                && a.subject.as_deref() == Some(&format!("invitation:{id}"))
        })
        .count();
    assert_eq!(opened_entries, 1);

    // Resent by an administrator whose console is in English: still French.
    let (status, _) = admin
        .post(
            &format!("/admin/invitations/{id}/resend"),
            &fields(&[("csrf_token", &page.csrf())]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let resent = app.last_mail(&email, 2).await;
    assert!(resent.subject.contains("vous invite"), "{}", resent.subject);
    let new_id = listed_id(&admin, "pending", &email).await.expect("listed");
    assert_ne!(new_id, id);
    assert!(listed_row(&admin, &new_id).await.contains("Français"));

    // Several addresses at once take a language too.
    let several = unique_email("several");
    let (status, _) = admin
        .post(
            "/admin/invitations/bulk",
            &fields(&[
                ("csrf_token", &page.csrf()),
                ("addresses", &several),
                ("language", "fr"),
            ]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mail = app.last_mail(&several, 1).await;
    assert!(mail.subject.contains("vous invite"), "{}", mail.subject);
}

#[tokio::test]
async fn a_csv_file_of_good_rows_invites_everyone_each_in_their_language() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let (ada, bea, cy) = (
        unique_email("csv-ada"),
        unique_email("csv-bea"),
        unique_email("csv-cy"),
    );
    let csv = format!(
        "email,language,given_name,family_name\r\n\
         {ada},fr,\"Ada, Countess\",Lovelace\r\n\
         \"{bea}\",,Bea,\r\n\
         {cy},en,,\"O\"\"Neil\"\r\n"
    );
    let (status, location, _) = upload(&app, &admin, &csv).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/admin/invitations");
    let listed = admin.get("/admin/invitations").await;
    assert!(
        listed
            .notice()
            .is_some_and(|n| n.contains("3 invitations sent")),
        "{:?}",
        listed.notice()
    );
    let french = app.last_mail(&ada, 1).await;
    assert!(
        french.subject.contains("Dorothy vous invite"),
        "{}",
        french.subject
    );
    let english = app.last_mail(&bea, 1).await;
    assert!(
        english.subject.contains("Dorothy invited you"),
        "{}",
        english.subject
    );
    app.last_mail(&cy, 1).await;

    // The quoted field with its comma prefills the form whole.
    let page = app.browser().get(&french.invitation_link()).await;
    assert_eq!(
        page.attr("#given_name", "value").as_deref(),
        Some("Ada, Countess")
    );
    let audit = app.store().await.recent_audit(100).await.unwrap();
    let sent = audit
        .iter()
        .filter(|a| a.action == "invitation.sent" && a.actor.starts_with("admin:"))
        .count();
    assert_eq!(sent, 3, "each invitation audited");
}

#[tokio::test]
async fn a_csv_file_with_a_refused_row_sends_nothing_and_reports_every_refused_row() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    let (good, twice) = (unique_email("csv-good"), unique_email("csv-twice"));
    let member = unique_email("csv-member");
    register_fully(&app, "Ada", &member).await;
    let csv = format!(
        "email,language,given_name\n\
         {good},fr,\"Smith, Jo\"\n\
         not-an-address,,\n\
         {twice},,\n\
         {},,Again\n\
         {member},,\n\
         {},xx,\n",
        twice.to_uppercase(),
        unique_email("csv-lang")
    );
    let (status, _, body) = upload(&app, &admin, &csv).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let page = Page {
        status,
        url: String::new(),
        html: body,
        headers: Default::default(),
    };
    let rows = page.select_all("#upload-report tbody tr");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        rows[0].starts_with('3')
            && rows[0].contains("not-an-address")
            && rows[0].contains("Not an e-mail address"),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with('5') && rows[1].contains("row 4"),
        "{rows:?}"
    );
    assert!(
        rows[2].starts_with('6') && rows[2].contains("already has an account"),
        "{rows:?}"
    );
    assert!(
        rows[3].starts_with('7') && rows[3].contains("No language"),
        "{rows:?}"
    );
    assert!(
        page.field_error("file")
            .unwrap()
            .contains("Nobody was invited"),
        "{:?}",
        page.field_error("file")
    );
    // Nothing half-done: not even the good rows went.
    assert_mail_count_stays(&app, &good, 0).await;
    assert_mail_count_stays(&app, &twice, 0).await;
    assert!(listed_id(&admin, "", &good).await.is_none());

    // A whole file refused for its shape says why, and sends nothing either.
    let (status, _, body) = upload(&app, &admin, &format!("email,phone\n{good},1\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("phone"), "{body}");
    let (status, _, body) = upload(&app, &admin, &format!("email\n{good},extra\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("This row has 2 field(s)"), "{body}");
    assert_mail_count_stays(&app, &good, 0).await;
}

#[tokio::test]
async fn an_expired_link_asks_for_a_renewal_the_admin_resends_and_a_junk_code_looks_the_same() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    let email = unique_email("expired");
    let id = app
        .engine()
        .await
        .invite(
            &email,
            Default::default(),
            "Grace",
            flows::i18n::Locale::from_tag("fr").unwrap(),
        )
        .await
        .expect("invited");
    app.advance(time::Duration::minutes(1));
    let link = app.last_mail(&email, 1).await.invitation_link();
    app.advance(time::Duration::days(8));

    let invitee = app.browser();
    let expired = invitee.get(&link).await;
    assert_eq!(expired.status, StatusCode::GONE);
    let button = expired.text_of("form.flow-form button");
    assert!(!button.is_empty(), "{}", expired.html);
    assert_eq!(
        expired.attr("form.flow-form", "action").as_deref(),
        Some("/invite/renew")
    );
    let code = expired
        .attr("form.flow-form input[name=code]", "value")
        .unwrap();
    let csrf = expired.csrf();

    // A forged post changes nothing.
    let forged = invitee
        .post_raw(
            "/invite/renew",
            &fields(&[("code", &code), ("csrf_token", "nope")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let asked = invitee
        .post_raw(
            "/invite/renew",
            &fields(&[("code", &code), ("csrf_token", &csrf)]),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        asked
            .html
            .contains("the person who invited you has been asked")
            || asked.html.contains("la personne qui vous a invité"),
        "{}",
        asked.html
    );
    // Asked again, or with a code that is junk, unknown or empty: the very same page.
    for other in [code.as_str(), "junk", "", &"x".repeat(5000)] {
        let answer = invitee
            .post_raw(
                "/invite/renew",
                &fields(&[("code", other), ("csrf_token", &csrf)]),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{other:.20}");
        assert_eq!(
            answer.comparable_html(),
            asked.comparable_html(),
            "{other:.20}"
        );
    }
    let audit = app.store().await.recent_audit(100).await.unwrap();
    let requests = audit
        .iter()
        .filter(|a| a.action == "invitation.renewal_requested")
        .count();
    assert_eq!(requests, 1, "one pending request per invitation");

    // The administrator sees the request, and resending answers it (in French).
    let (admin, _) = admin_browser(&app).await;
    assert_eq!(
        listed_id(&admin, "renewal", &email).await.as_deref(),
        Some(id.as_str())
    );
    let row = listed_row(&admin, &id).await;
    assert!(
        row.contains("Renewal asked") && row.contains("expired"),
        "{row}"
    );
    let token = admin.get("/admin/invitations").await.csrf();
    let (status, _) = admin
        .post(
            &format!("/admin/invitations/{id}/resend"),
            &fields(&[("csrf_token", &token)]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(listed_id(&admin, "renewal", &email).await.is_none());
    let renewed = app.last_mail(&email, 2).await;
    assert!(
        renewed.subject.contains("vous invite"),
        "{}",
        renewed.subject
    );
    let page = app.browser().get(&renewed.invitation_link()).await;
    assert_eq!(page.status, StatusCode::OK);

    // Other dead links offer no renewal.
    let unknown = app.browser().get("/invite?code=not-a-real-code").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(!unknown.html.contains("/invite/renew"));
    let replaced = app.browser().get(&link).await;
    assert_eq!(replaced.status, StatusCode::GONE);
    assert!(!replaced.html.contains("/invite/renew"));
}

/// `flows invite --locale fr`: the command line chooses the invitee's language too, and
/// refuses one there is no catalogue for in one line.
#[test]
fn the_command_line_invites_in_a_language() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("dir");
    let database_url = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(fresh_database_url(dir.path()));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_flows"))
            .args(args)
            .current_dir(dir.path())
            .env("FLOWS_DATABASE_URL", &database_url)
            .env_remove("FLOWS_SMTP_URL")
            .stdin(Stdio::null())
            .output()
            .expect("flows runs")
    };
    let out = run(&[
        "invite",
        "--email",
        "amelie@example.com",
        "--invited-by",
        "Grace",
        "--locale",
        "fr",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
        .expect("mail folder")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let raw = std::fs::read(files[0].path()).expect("mail");
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("parses");
    assert!(
        message
            .subject()
            .unwrap_or_default()
            .contains("Grace vous invite"),
        "{:?}",
        message.subject()
    );

    let bad = run(&["invite", "--email", "b@example.com", "--locale", "xx"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--locale"), "{err}");
}
