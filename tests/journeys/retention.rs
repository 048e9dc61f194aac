//! Nothing kept longer than needed: the janitor's pass (`Engine::purge_past_retention`) run
//! with the clock moved forward over real journeys, on each backend. Sent mail goes after a
//! week, executions a day after they expired, audit entries after 400 days, each in batches.

use crate::helpers::*;
use flows::clock::ManualClock;
use flows::engine::Engine;
use flows::engine::retention::{BATCH, Purged};
use flows::startup::{engine_settings, make_hasher, open_store};
use flows::store::AuditEntry;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// An engine on the app's database whose clock reads `at`.
async fn engine_at(app: &TestApp, at: OffsetDateTime) -> Engine {
    let store = open_store(&app.settings).await.expect("store");
    Engine::new(
        store,
        Arc::new(ManualClock::new(at)),
        make_hasher(&app.settings).expect("hasher"),
        engine_settings(&app.settings),
        vec![0; 32],
    )
}

async fn sent_mail(app: &TestApp) -> i64 {
    let counts = app.store().await.outbox_counts().await.expect("counts");
    counts
        .into_iter()
        .filter(|(status, _)| status == "SENT")
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn each_kind_of_row_goes_once_its_retention_has_passed() {
    let app = spawn_app().await;
    let email = unique_email("retention");
    register_fully(&app, "Ada", &email).await;
    for _ in 0..100 {
        if sent_mail(&app).await >= 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(sent_mail(&app).await, 1, "the code's mail, sent");
    let now = OffsetDateTime::now_utc();

    // Six days on: the execution is gone (expired, then kept a day), the mail's record stays.
    let purged = engine_at(&app, now + Duration::days(6))
        .await
        .purge_past_retention()
        .await
        .expect("purge");
    assert_eq!(purged.executions, 1, "{purged:?}");
    assert_eq!((purged.sent_mail, purged.audit_entries), (0, 0));
    assert_eq!(sent_mail(&app).await, 1);

    // Eight days on: the sent mail's record has gone too; the audit log stays.
    let purged = engine_at(&app, now + Duration::days(8))
        .await
        .purge_past_retention()
        .await
        .expect("purge");
    assert_eq!(
        purged,
        Purged {
            sent_mail: 1,
            ..Purged::default()
        }
    );
    assert_eq!(sent_mail(&app).await, 0);
    assert!(
        app.store()
            .await
            .recent_audit(10)
            .await
            .expect("audit")
            .len()
            > 1
    );

    // Entries older than 400 days go, more than a batch of them, in batches.
    let store = app.store().await.clone();
    let old = now - Duration::days(401);
    let many = BATCH.unsigned_abs() * 2 + 7;
    for i in 0..many {
        let entry = AuditEntry {
            actor: "test".into(),
            action: "test.old",
            subject: Some(format!("n:{i}")),
            detail: serde_json::json!({}),
        };
        store.audit(&entry, old).await.expect("audit");
    }
    let purged = engine_at(&app, now)
        .await
        .purge_past_retention()
        .await
        .expect("purge");
    assert_eq!(purged.audit_entries, many);
    let left = store.recent_audit(10_000).await.expect("audit");
    assert!(left.iter().all(|row| row.action != "test.old"));
    assert!(!left.is_empty(), "this year's entries stay");

    // And a year and more on, the journey's own entries and funnel rows go as well.
    let purged = engine_at(&app, now + Duration::days(401))
        .await
        .purge_past_retention()
        .await
        .expect("purge");
    assert!(
        purged.audit_entries >= 1 && purged.funnel_rows >= 1,
        "{purged:?}"
    );
}
