//! The console's funnel over real registrations: who started, reached each step, completed,
//! expired or gave up; figures that stay with their version after a new one is published and
//! after the janitor deletes the executions; bad queries refused beside their field.

use crate::console::admin_browser;
use crate::helpers::*;
use crate::outbox::{Server, SmtpSink};
use flows::engine::{FlowType, starter};
use reqwest::StatusCode;

const FUNNEL: &str = "/admin/funnel?type=REGISTRATION&period=24h";

/// The figure shown under `key` (started, completed, expired…), without its share.
fn figure(page: &Page, key: &str) -> String {
    let text = page.text_of(&format!("#figure-{key}"));
    text.split(" (").next().unwrap_or_default().to_owned()
}

/// The summary figures, in a fixed order: started, completed, expired, abandoned, in
/// progress.
fn figures(page: &Page) -> Vec<String> {
    [
        "started",
        "completed",
        "expired",
        "abandoned",
        "in-progress",
    ]
    .iter()
    .map(|key| figure(page, key))
    .collect()
}

/// The table's rows: step, reached, stopped there.
fn steps(page: &Page) -> Vec<(String, String, String)> {
    table(page)
        .into_iter()
        .map(|cells| (cells[0].clone(), cells[1].clone(), cells[3].clone()))
        .collect()
}

/// The table's rows: step, forms sent back with an error, by how many executions.
fn refusals(page: &Page) -> Vec<(String, String, String)> {
    table(page)
        .into_iter()
        .map(|cells| (cells[0].clone(), cells[5].clone(), cells[6].clone()))
        .collect()
}

fn table(page: &Page) -> Vec<Vec<String>> {
    let doc = page.doc();
    let rows = scraper::Selector::parse(".funnel-table tbody tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    doc.select(&rows)
        .map(|row| {
            row.select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect()
        })
        .collect()
}

fn row(step: &str, reached: u32, stopped: u32) -> (String, String, String) {
    (step.into(), reached.to_string(), stopped.to_string())
}

#[tokio::test]
async fn funnel_counts_real_journeys_and_keeps_a_versions_figures() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        ..Options::default()
    })
    .await;
    register_fully(&app, "Ada", &unique_email("funnel.done1")).await;
    // Alan mistypes his code twice before the right one.
    let alan = unique_email("funnel.done2");
    let browser = app.browser();
    let mut code_page = to_code_page(&browser, "Alan", &alan).await;
    let code = app.last_mail(&alan, 1).await.code();
    for _ in 0..2 {
        let (status, again) = browser
            .press(&code_page, "verify", &[("otp", wrong_code(&code))])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.html);
        code_page = again;
    }
    let (_, done) = browser.press(&code_page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE);
    // One leaves at the code step for good; one comes back after the lifetime ran out.
    to_code_page(&app.browser(), "Bob", &unique_email("funnel.left")).await;
    let late = app.browser();
    to_code_page(&late, "Cy", &unique_email("funnel.late")).await;
    app.advance(time::Duration::minutes(31));
    let expired = late.get("/register").await;
    assert_eq!(expired.h1(), "This page has expired", "{}", expired.html);

    let (admin, _) = admin_browser(&app).await;
    let page = admin.get(FUNNEL).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(page.h1(), "Funnel");
    assert!(page.exists("nav a[href='/admin/funnel'][aria-current=page]"));
    assert_eq!(
        page.text_of("#funnel-title"),
        "Self registration, version 1"
    );
    assert_eq!(figures(&page), ["4", "2", "1", "1", "0"]);
    assert!(
        page.text_of(".funnel-adds-up")
            .contains("4 started = 2 completed + 1 expired + 1 abandoned + 0 in progress"),
        "{}",
        page.html
    );
    assert_ne!(figure(&page, "median"), "none completed");
    assert_eq!(
        steps(&page),
        [row("details", 4, 0), row("enter_code", 4, 2)]
    );
    assert_eq!(
        refusals(&page),
        [row("details", 0, 0), row("enter_code", 2, 1)],
        "two wrong codes, one person"
    );
    assert!(
        page.text_of(".funnel-give-up li")
            .starts_with("enter_code: 2 stopped there, 50%")
    );
    // The chart says the same to whoever cannot see it.
    assert_eq!(
        page.attr("svg.funnel-chart", "role").as_deref(),
        Some("img")
    );
    assert!(
        page.text_of("svg.funnel-chart desc")
            .contains("4 reached enter_code, 2 stopped there.")
    );

    // A new version, one journey on it: version 1's figures stay as they were, also once the
    // janitor has deleted its executions.
    let store = app.store().await.clone();
    let def = starter::by_id("registration-otp")
        .unwrap()
        .definition()
        .unwrap();
    let now = time::OffsetDateTime::now_utc();
    let v2 = store
        .insert_flow_draft(def.flow_type, &def.to_stored().unwrap(), Some("test"), now)
        .await
        .unwrap();
    assert!(
        store
            .publish_flow(FlowType::Registration, v2)
            .await
            .unwrap()
    );
    app.notice_changes().await;
    register_fully(&app, "Grace", &unique_email("funnel.v2")).await;
    let deleted = store
        .purge_executions(now + time::Duration::days(2))
        .await
        .unwrap();
    assert!(deleted >= 5, "{deleted}");

    let v1 = admin.get(&format!("{FUNNEL}&version=1")).await;
    assert_eq!(figures(&v1), figures(&page));
    assert_eq!(steps(&v1), steps(&page));
    let published = admin.get(FUNNEL).await;
    assert_eq!(
        published.text_of("#funnel-title"),
        "Self registration, version 2"
    );
    assert_eq!(figures(&published), ["1", "1", "0", "0", "0"]);

    // Started before the period: not counted.
    let later = admin
        .get("/admin/funnel?type=REGISTRATION&version=1&from=2000-01-01&to=2000-01-31")
        .await;
    assert_eq!(figure(&later, "started"), "0");
}

#[tokio::test]
async fn bad_queries_are_refused_beside_their_field() {
    let app = spawn_app().await;
    let (admin, _) = admin_browser(&app).await;
    for (query, field, says) in [
        ("period=dates&from=30/11/2026", "from", "YYYY-MM-DD"),
        (
            "period=dates&from=2026-11-30&to=2026-11-01",
            "to",
            "before the first day",
        ),
        (
            "type=REGISTRATION&version=9",
            "version",
            "Self registration has no version 9.",
        ),
        (
            "type=REGISTRATION&version=one",
            "version",
            "has no version one",
        ),
        ("type=NOPE", "type", "Choose one of the flows"),
        ("period=forever", "period", "Choose one of the periods"),
    ] {
        let page = admin.get(&format!("/admin/funnel?{query}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let error = page.field_error(field).unwrap_or_default();
        assert!(error.contains(says), "{query}: {error:?}");
        assert_eq!(page.summary().len(), 1, "{query}");
        assert!(!page.exists(".funnel-table"), "{query}");
    }
    let fine = admin.get("/admin/funnel").await;
    assert_eq!(fine.status, StatusCode::OK);
    assert_eq!(figure(&fine, "started"), "0");
}

/// The home's "what needs you today" names a flow whose journeys finish less often than the
/// week before, over real journeys two weeks apart: all 20 finished the first week, 10 of 20
/// the second. The last day is left out, so the second week is looked at a day later.
#[tokio::test]
async fn the_home_names_a_flow_whose_journeys_finish_less_often_than_the_week_before() {
    let app = spawn_app_with(Options {
        manual_clock: true,
        // Forty journeys from one test address in a few seconds.
        rate_limit_per_minute: Some(100_000),
        ..Options::default()
    })
    .await;
    for n in 0..20 {
        register_fully(&app, "Ada", &unique_email(&format!("week1.{n}"))).await;
    }
    app.advance(time::Duration::days(7));
    for n in 0..20 {
        let email = unique_email(&format!("week2.{n}"));
        if n % 2 == 0 {
            register_fully(&app, "Bea", &email).await;
        } else {
            // Started, and left at the code.
            to_code_page(&app.browser(), "Cy", &email).await;
        }
    }
    let (admin, _) = admin_browser(&app).await;
    let home = admin.get("/admin").await;
    assert!(
        !home.exists("#today a[href^='/admin/funnel']"),
        "the second week's last day is still under way: {}",
        home.text_of("#today")
    );

    app.advance(time::Duration::days(1) + time::Duration::hours(1));
    // A day later the console's session has ended: sign in again.
    let (admin, _) = admin_browser(&app).await;
    let home = admin.get("/admin").await;
    assert_eq!(
        home.text_of("#today a[href='/admin/funnel?type=REGISTRATION&period=7d']"),
        "Self registration: 50 % of the journeys started last week finished, against 100 % the week before"
    );
}

/// A visit that only looks at the first page writes nothing of its own: the journey is
/// stored by its first form that takes. It still counts as started, from the batch the server
/// writes each second; and two tabs sending the same first form store it once.
#[tokio::test]
async fn a_first_page_only_looked_at_is_stored_by_no_write_of_its_own_yet_counts_as_started() {
    let app = spawn_app().await;
    let store = app.store().await;
    let looker = app.browser();
    let early = app.browser();
    let mut first_pages = Vec::new();
    for browser in [&looker, &early] {
        let page = browser.get("/register").await;
        assert_eq!(page.step().as_deref(), Some("details"), "{}", page.html);
        first_pages.push(page);
    }
    let again = looker.get("/register").await;
    assert_eq!(
        again.step().as_deref(),
        Some("details"),
        "a reload shows it again"
    );
    assert_eq!(store.count_executions().await.unwrap(), 0, "nothing stored");

    // A form with a mistake changes nothing stored; the mistake counts.
    let (status, corrected) = early
        .press(
            &first_pages[1],
            "continue",
            &details("Ed", "not-an-address", GOOD_PASSWORD),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        corrected.html
    );
    assert!(
        corrected.field_error("email").is_some(),
        "{}",
        corrected.html
    );
    assert_eq!(store.count_executions().await.unwrap(), 0);

    // Early's start: the batch first (the server's own may have come already), then the
    // corrected form. Either order gives the same rows: store::funnel's tests.
    app.flush_funnel_starts().await;
    let early_email = unique_email("unstored.early");
    let (status, page) = early
        .press(
            &corrected,
            "continue",
            &details("Ed", &early_email, GOOD_PASSWORD),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);

    // Late's start: the first form, then the batch. Two tabs of one browser send the same
    // first form: one journey, one mail, and the second tab is told the page had moved on.
    let late = app.browser();
    let late_page = late.get("/register").await;
    let twin = app.browser();
    twin.restore_cookies(&late.cookie_header().unwrap());
    let late_email = unique_email("unstored.late");
    let form = details("Lu", &late_email, GOOD_PASSWORD);
    let (status, page) = late.press(&late_page, "continue", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    let (status, page) = twin.press(&late_page, "continue", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE, "{}", page.html);
    assert!(page.notice().is_some(), "{}", page.html);
    assert_eq!(store.count_executions().await.unwrap(), 2);
    assert_mail_count_stays(&app, &late_email, 1).await;
    let code = app.last_mail(&late_email, 1).await.code();
    let (_, done) = twin.press(&page, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE, "{}", done.html);
    app.flush_funnel_starts().await;

    let (admin, _) = admin_browser(&app).await;
    let page = admin.get(FUNNEL).await;
    assert_eq!(figures(&page), ["3", "1", "0", "0", "2"], "{}", page.html);
    // Nobody has stopped anywhere yet: the looker and Ed are still in time.
    assert_eq!(
        steps(&page),
        [row("details", 3, 0), row("enter_code", 2, 0)]
    );
    assert_eq!(
        refusals(&page),
        [row("details", 1, 1), row("enter_code", 0, 0)]
    );
}

/// The answer to the first form never arrives (a lost connection): the browser still holds
/// the cookie from before, which says the journey is not stored, and shows the first page
/// again without asking the database (a reload of the first page stays free). Sending it
/// again finds the journey stored: the person is told the page had moved on and lands where
/// it went, with no second mail. No dead end.
#[tokio::test]
async fn a_first_form_whose_answer_was_lost_leads_back_to_where_the_journey_went() {
    let app = spawn_app().await;
    let browser = app.browser();
    let page = browser.get("/register").await;
    let before = browser.cookie_header().unwrap();
    let email = unique_email("unstored.lost");
    let form = details("Ida", &email, GOOD_PASSWORD);
    let (status, moved) = browser.press(&page, "continue", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", moved.html);
    assert_eq!(moved.h1(), CODE_PAGE);

    let lost = app.browser();
    lost.restore_cookies(&before);
    let shown = lost.get("/register").await;
    assert_eq!(shown.step().as_deref(), Some("details"), "{}", shown.html);
    let (status, found) = lost.press(&shown, "continue", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", found.html);
    assert_eq!(found.h1(), CODE_PAGE, "{}", found.html);
    assert!(found.notice().is_some(), "{}", found.html);
    assert_mail_count_stays(&app, &email, 1).await;
    let code = app.last_mail(&email, 1).await.code();
    let (_, done) = lost.press(&found, "verify", &[("otp", &code)]).await;
    assert_eq!(done.h1(), DONE, "{}", done.html);
}

/// The starts of the moment before a graceful stop (SIGTERM, as a service manager stops it)
/// count too: the server writes its waiting batch on the way out, not only once a second.
#[tokio::test]
async fn the_starts_of_the_last_moment_count_after_a_graceful_stop() {
    let dir = tempfile::tempdir().expect("dir");
    let database = fresh_database_url(dir.path()).await;
    let mut sink = SmtpSink::new();
    sink.start().await;
    let server = Server::start_with(&database, &sink.url(), &[]).await;
    for _ in 0..3 {
        let page = Browser::new(&server.address).get("/register").await;
        assert_eq!(page.step().as_deref(), Some("details"), "{}", page.html);
    }
    let stopped = server.terminate();
    assert!(stopped.success(), "{stopped}");

    let store = flows::store::Store::connect(&database, &Default::default())
        .await
        .expect("store");
    let (version, _) = store
        .published_flow(FlowType::Registration)
        .await
        .unwrap()
        .expect("the default registration");
    let now = time::OffsetDateTime::now_utc();
    let steps = ["details".to_owned()];
    let funnel = store
        .funnel(&flows::store::FunnelQuery {
            flow_id: version,
            steps: &steps,
            from: now - time::Duration::hours(1),
            to: now + time::Duration::minutes(1),
            now,
        })
        .await
        .unwrap();
    assert_eq!(funnel.started, 3, "{funnel:?}");
    assert_eq!(store.count_executions().await.unwrap(), 0);
}
