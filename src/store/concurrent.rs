//! Store operations run at the same moment, as several instances on one database run them:
//! on each backend they serialise where they must, and none fails for having met another.

use super::{FlowVersionStatus, TEST_DEFINITION, test_execution, test_stores};
use crate::domain::FlowType;
use time::macros::datetime;

const N: i64 = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn versions_stored_at_once_each_take_a_number_of_their_own() {
    let now = datetime!(2026-11-30 12:00 UTC);
    for store in test_stores().await {
        let backend = store.backend();
        // Each on a task of its own, as requests on several instances would be.
        let tasks: Vec<_> = (0..N)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .insert_flow_draft(
                            FlowType::Registration,
                            TEST_DEFINITION,
                            Some("test"),
                            now,
                        )
                        .await
                })
            })
            .collect();
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(
                task.await
                    .unwrap()
                    .unwrap_or_else(|e| panic!("{backend}: {e}")),
            );
        }
        let mut numbers: Vec<i64> = store
            .flow_versions(FlowType::Registration)
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.version)
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=N).collect::<Vec<_>>(), "{backend}");

        // Publishing several at once leaves exactly one live.
        let published = futures_util::future::join_all(
            ids.iter()
                .map(|id| store.publish_flow(FlowType::Registration, *id)),
        )
        .await;
        for done in published {
            assert!(
                done.unwrap_or_else(|e| panic!("{backend}: {e}")),
                "{backend}"
            );
        }
        let live = store
            .flow_versions(FlowType::Registration)
            .await
            .unwrap()
            .into_iter()
            .filter(|v| v.status == FlowVersionStatus::Published.as_str())
            .count();
        assert_eq!(live, 1, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_writes_from_one_read_exactly_one_commits() {
    let now = datetime!(2026-11-30 12:00 UTC);
    for store in test_stores().await {
        let backend = store.backend();
        let execution = test_execution(&store, "details", now).await;
        let first = store.commit(&execution, None, &mut [], now).await.unwrap();
        assert_eq!(first, super::CommitOutcome::Committed, "{backend}");
        // Two requests (two instances, or a double submit) that both read revision 0.
        let tasks: Vec<_> = ["enter_code", "done"]
            .into_iter()
            .map(|step| {
                let store = store.clone();
                let mut moved = execution.clone();
                moved.step = step.into();
                tokio::spawn(async move { store.commit(&moved, Some(0), &mut [], now).await })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap().unwrap());
        }
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert_eq!(
            outcomes,
            [
                super::CommitOutcome::Committed,
                super::CommitOutcome::Conflict
            ],
            "{backend}"
        );
        let stored = store.execution(execution.id).await.unwrap().unwrap();
        assert_eq!(stored.revision, 1, "{backend}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_sign_ins_at_once_are_each_counted_and_block_once() {
    let now = datetime!(2026-11-30 12:00 UTC);
    let window = time::Duration::minutes(15);
    for store in test_stores().await {
        let backend = store.backend();
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .record_login_failure("h", None, now, window, 10, window)
                        .await
                })
            })
            .collect();
        let mut blocks = 0;
        for task in tasks {
            if task.await.unwrap().unwrap().is_some() {
                blocks += 1;
            }
        }
        assert_eq!(blocks, 1, "{backend}: the tenth failure blocks, once");
        assert!(
            store.login_blocked_until("h", now).await.unwrap().is_some(),
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_removing_each_other_at_once_leave_one() {
    let now = datetime!(2026-11-30 12:00 UTC);
    for store in test_stores().await {
        let backend = store.backend();
        for who in ["ada", "grace"] {
            let email = format!("{who}@example.com");
            assert!(store.create_admin(&email, &email, "x", now).await.unwrap());
        }
        let tasks: Vec<_> = store
            .admins()
            .await
            .unwrap()
            .into_iter()
            .map(|admin| {
                let store = store.clone();
                tokio::spawn(async move {
                    let audit = super::AuditEntry {
                        actor: "test".into(),
                        action: "admin.removed",
                        subject: None,
                        detail: serde_json::json!({}),
                    };
                    store.remove_admin(&admin.id, &audit, now).await
                })
            })
            .collect();
        let mut removed = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                removed += 1;
            }
        }
        assert_eq!(removed, 1, "{backend}");
        assert_eq!(store.admins().await.unwrap().len(), 1, "{backend}");
    }
}

/// Mail queued through one handle on a PostgreSQL database wakes a worker listening through
/// another, as on two instances, within moments and without a poll; a console change wakes
/// the other's console follower, and only it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_mail_and_console_changes_wake_the_other_instance() {
    use std::sync::Arc;
    use std::time::Duration;
    let url = crate::store::test_databases::fresh_postgres_url().await;
    let options = crate::store::DbOptions::default();
    let queuer = crate::store::Store::connect(&url, &options).await.unwrap();
    queuer.migrate().await.unwrap();
    let listener = crate::store::Store::connect(&url, &options).await.unwrap();
    let mail_wake = Arc::new(tokio::sync::Notify::new());
    let console_wake = Arc::new(tokio::sync::Notify::new());
    let wakes = || crate::store::Wakes {
        mail: mail_wake.clone(),
        console: console_wake.clone(),
    };
    let task = listener.listen(wakes()).expect("PostgreSQL listens");
    // The first wakes say it listens (what was queued or changed before is looked at then).
    for wake in [&mail_wake, &console_wake] {
        tokio::time::timeout(Duration::from_secs(5), wake.notified())
            .await
            .expect("listening");
    }
    let (mut mail, mut audit) = mail_to_ada("ada@example.com");
    mail.quota_per_hour = None;
    audit.action = "email_text.test_sent";
    let now = datetime!(2026-11-30 12:00 UTC);
    queuer.queue_mail_audited(&mail, &audit, now).await.unwrap();
    tokio::time::timeout(Duration::from_secs(2), mail_wake.notified())
        .await
        .expect("woken by the other handle's commit");

    audit.action = "settings.saved";
    queuer
        .save_console_setting("console.limits", "{}", &audit, now)
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(2), console_wake.notified())
        .await
        .expect("the console change wakes the follower");
    assert!(
        tokio::time::timeout(Duration::from_millis(300), mail_wake.notified())
            .await
            .is_err(),
        "a console change is no mail"
    );

    assert!(
        crate::store::Store::connect("sqlite::memory:", &options)
            .await
            .unwrap()
            .listen(wakes())
            .is_none(),
        "SQLite's one instance wakes its worker in process"
    );
    task.abort();
}

/// Instances starting at once on an empty database: the type gets one version, published.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_seeding_at_once_store_one_version() {
    let now = datetime!(2026-11-30 12:00 UTC);
    for store in test_stores().await {
        let backend = store.backend();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .seed_flow(FlowType::Registration, TEST_DEFINITION, now)
                        .await
                })
            })
            .collect();
        let mut seeded = 0;
        for task in tasks {
            seeded += usize::from(task.await.unwrap().unwrap());
        }
        assert_eq!(seeded, 1, "{backend}");
        assert_eq!(
            store
                .count_flow_versions(FlowType::Registration)
                .await
                .unwrap(),
            1,
            "{backend}"
        );
        assert!(
            store
                .published_flow(FlowType::Registration)
                .await
                .unwrap()
                .is_some(),
            "{backend}"
        );
    }
}

/// A mail to Ada under a quota of five an hour, spelt as given, and an audit entry.
/// How many of the latest audit entries record `action`.
async fn audited(store: &super::Store, action: &str) -> i64 {
    let entries = store.recent_audit(100).await.unwrap();
    entries.iter().filter(|r| r.action == action).count() as i64
}

fn mail_to_ada(recipient: &str) -> (crate::store::NewMail, crate::store::AuditEntry) {
    let mail = crate::store::NewMail {
        recipient: recipient.into(),
        ..crate::store::test_mail("ada@example.com")
    };
    let audit = crate::store::AuditEntry {
        actor: "test".into(),
        action: "test.sent",
        subject: None,
        detail: serde_json::json!({}),
    };
    (mail, audit)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mail_queued_at_once_to_one_address_stops_at_its_quota() {
    let now = datetime!(2026-11-30 12:00 UTC);
    for store in test_stores().await {
        let backend = store.backend();
        let tasks: Vec<_> = (0..N)
            .map(|n| {
                let store = store.clone();
                // Spelt two ways: one key, one count.
                let (mail, audit) = mail_to_ada(if n % 2 == 0 {
                    "Ada@Example.com"
                } else {
                    "ada@example.com"
                });
                tokio::spawn(async move { store.queue_mail_audited(&mail, &audit, now).await })
            })
            .collect();
        for task in tasks {
            task.await
                .unwrap()
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
        }
        let pending = |n: i64| vec![("PENDING".to_owned(), n)];
        assert_eq!(
            store.outbox_counts().await.unwrap(),
            pending(5),
            "{backend}"
        );
        let held_back = audited(&store, "mail_quota.exceeded").await;
        assert_eq!(held_back, N - 5, "{backend}");
        // An hour on, the window has moved past them all.
        let (mail, audit) = mail_to_ada("ada@example.com");
        let later = now + time::Duration::minutes(61);
        store
            .queue_mail_audited(&mail, &audit, later)
            .await
            .unwrap();
        assert_eq!(
            store.outbox_counts().await.unwrap(),
            pending(6),
            "{backend}"
        );
    }
}

/// The CLI writes to the file a running server writes to. A transaction of one that read
/// before the other's write committed must wait for it, not fail with "database is locked"
/// (which SQLite answers at once, busy timeout or not, to a plain `BEGIN` that reads first).
/// Journeys committing a text message to one number at once: the quota's count and the
/// insert are one statement (behind PostgreSQL's advisory lock), so exactly the quota goes
/// out and every one past it is audited, on both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn texts_queued_at_once_to_one_number_stop_at_its_quota() {
    const QUOTA: u32 = 3;
    let now = datetime!(2026-11-30 12:00 UTC);
    for store in test_stores().await {
        let backend = store.backend();
        let journey = test_execution(&store, "phone", now).await;
        let text = || {
            crate::store::Effect::Sms(crate::store::NewSms {
                recipient: "+447700900123".into(),
                body: "Your code is 123456".into(),
                kind: "sms_otp",
                quota_per_hour: QUOTA,
                prefix_key: "+4477009".into(),
                client_key: None,
            })
        };
        let send = |at: time::OffsetDateTime| {
            let store = store.clone();
            let mut execution = journey.clone();
            execution.id = crate::domain::ExecutionId::new();
            let mut effects = [text()];
            async move { store.commit(&execution, None, &mut effects, at).await }
        };
        let tasks: Vec<_> = (0..N).map(|_| tokio::spawn(send(now))).collect();
        for task in tasks {
            let outcome = task
                .await
                .unwrap()
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
            assert_eq!(outcome, crate::store::CommitOutcome::Committed, "{backend}");
        }
        let pending = |n: i64| vec![("PENDING".to_owned(), n)];
        let quota = i64::from(QUOTA);
        assert_eq!(
            store.outbox_counts().await.unwrap(),
            pending(quota),
            "{backend}"
        );
        let held_back = audited(&store, "sms_quota.exceeded").await;
        assert_eq!(held_back, N - quota, "{backend}");
        // An hour on, the window has moved past them all.
        let later = now + time::Duration::minutes(61);
        send(later).await.unwrap();
        assert_eq!(
            store.outbox_counts().await.unwrap(),
            pending(quota + 1),
            "{backend}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_one_sqlite_file_waits_for_the_other_writer() {
    use super::{BeginWrite, DbOptions, Store};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("flows.db").display());
    let server = Store::connect(&url, &DbOptions::default()).await.unwrap();
    server.migrate().await.unwrap();
    let cli = Store::connect(&url, &DbOptions::default()).await.unwrap();
    let Store::Sqlite(pools) = &server else {
        unreachable!("a sqlite: URL")
    };
    // The server is mid-commit, holding the write lock.
    let mut held = pools.writer().begin_write().await.unwrap();
    sqlx::query("CREATE TABLE held_lock (x INTEGER)")
        .execute(&mut *held)
        .await
        .unwrap();
    let audit = super::AuditEntry {
        actor: "cli".into(),
        action: "api_token.created",
        subject: Some("token:deploy".into()),
        detail: serde_json::json!({}),
    };
    let now = datetime!(2026-11-30 12:00 UTC);
    let creating =
        tokio::spawn(async move { cli.create_api_token("deploy", "hash", &audit, now).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    held.commit().await.unwrap();
    let made = creating.await.unwrap().expect("waits, then writes");
    assert!(made.is_ok(), "a new name");
    assert_eq!(server.api_tokens().await.unwrap().len(), 1);
}
