//! A flood of submits beyond what password hashing can serve is answered at once with 503
//! and `Retry-After`, never queued without end; pages stay served, `/readyz` says so, and
//! nothing a refused person typed was half-done.

use crate::helpers::*;
use reqwest::StatusCode;
use std::net::{IpAddr, Ipv4Addr};

const FLOOD: u8 = 120;

#[tokio::test]
async fn a_registration_flood_is_shed_with_503_and_pages_stay_served() {
    let app = spawn_app_with(Options {
        // One hashing thread, four waiting at most (three for new registrations), each hash
        // eight times the usual work, so the saturation lasts long enough to be seen.
        hashing: Some((1, 4, 16)),
        rate_limit_per_minute: Some(0),
        ..Options::default()
    })
    .await;
    // Each flooder has a session and a form, from an address of its own.
    let mut forms = Vec::new();
    for n in 0..FLOOD {
        let from = IpAddr::V4(Ipv4Addr::new(127, 0, 2, n + 1));
        let browser = Browser::from_address(&app.address, from);
        let page = browser.get("/register").await;
        assert_eq!(page.status, StatusCode::OK);
        forms.push((browser, page, unique_email(&format!("flood{n}"))));
    }
    let watcher = app.browser();
    let flooding = std::sync::atomic::AtomicBool::new(true);
    // Readiness is polled on its own, as tightly as it answers: the pool is saturated only
    // while its first hash runs, and a poll that waited on a page GET could miss all of it.
    let readiness = async {
        let mut saturated = false;
        while flooding.load(std::sync::atomic::Ordering::Relaxed) && !saturated {
            saturated = watcher.get("/readyz").await.status == StatusCode::SERVICE_UNAVAILABLE;
        }
        saturated
    };
    let pages = async {
        let mut page_statuses = Vec::new();
        while flooding.load(std::sync::atomic::Ordering::Relaxed) {
            let started = std::time::Instant::now();
            let status = watcher.get("/login").await.status;
            page_statuses.push((status, started.elapsed()));
        }
        page_statuses
    };
    let flood = async {
        let answers =
            futures_util::future::join_all(forms.iter().map(|(browser, page, email)| async {
                browser
                    .press(page, "continue", &details("Flo", email, GOOD_PASSWORD))
                    .await
            }))
            .await;
        flooding.store(false, std::sync::atomic::Ordering::Relaxed);
        answers
    };
    let (answers, saturated, page_statuses) = tokio::join!(flood, readiness, pages);

    let mut shed = Vec::new();
    for (n, (status, page)) in answers.iter().enumerate() {
        match *status {
            StatusCode::SEE_OTHER => assert_eq!(page.h1(), CODE_PAGE),
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(
                    page.headers.get("retry-after").is_some(),
                    "503 without Retry-After"
                );
                assert_eq!(page.h1(), "Very busy for a moment");
                shed.push(n);
            }
            other => panic!("a flooded submit got {other}: {}", page.html),
        }
    }
    assert!(
        !shed.is_empty(),
        "120 submits at once on one thread: some are shed"
    );
    assert!(saturated, "/readyz reported the saturation");
    assert!(
        page_statuses.iter().all(|(s, _)| *s == StatusCode::OK),
        "pages kept being served: {page_statuses:?}"
    );
    let mut times: Vec<_> = page_statuses.iter().map(|(_, t)| *t).collect();
    times.sort();
    eprintln!(
        "overload: {FLOOD} submits at once, {} served, {} shed with 503; {} page GETs meanwhile, p99 {:?}",
        answers.len() - shed.len(),
        shed.len(),
        times.len(),
        times[(times.len() * 99 / 100).min(times.len() - 1)]
    );

    // Once the flood is over, the server is ready again and a shed person's try goes through:
    // nothing of theirs was kept half-done.
    let ready = async {
        while watcher.get("/readyz").await.status != StatusCode::OK {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), ready)
        .await
        .expect("ready again");
    let (browser, _, email) = &forms[shed[0]];
    let page = browser.get("/register").await;
    assert_eq!(
        page.step().as_deref(),
        Some("details"),
        "still on the first step"
    );
    let (status, page) = browser
        .press(&page, "continue", &details("Flo", email, GOOD_PASSWORD))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);
    assert_eq!(app.last_mail(email, 1).await.code().len(), 6);
}
