//! The cache of recent executions: on the only writer (SQLite) it serves every read; where
//! other instances write (PostgreSQL) it serves only a page view, and only from a copy at
//! least as new as the revision the person last saw committed.

use super::{Engine, EngineError, FlowType};
use crate::i18n::Locale;
use crate::store::test_stores;
use std::collections::HashMap;

#[tokio::test]
async fn a_cached_execution_serves_a_page_view_never_a_change_where_other_instances_write() {
    for store in test_stores().await {
        let backend = store.backend();
        let engine = Engine::for_tests(store.clone());
        engine.seed_default_flows().await.unwrap();
        let reply = engine
            .start(
                FlowType::Registration,
                HashMap::new(),
                Locale::default(),
                None,
            )
            .await
            .unwrap();
        let (id, seen) = (reply.execution().id, reply.execution().revision);
        // Gone from the database, as if another instance had changed it past recognition:
        // only the copy this instance cached at its commit is left.
        let far = engine.now() + time::Duration::days(1);
        assert_eq!(store.purge_executions(far).await.unwrap(), 1, "{backend}");

        let shown = engine.load_to_show(id, Some(seen)).await;
        assert_eq!(shown.map(|e| e.id).ok(), Some(id), "{backend}: served");
        let change = engine.load(id).await;
        let newer = engine.load_to_show(id, Some(seen + 1)).await;
        let unseen = engine.load_to_show(id, None).await;
        if backend == "sqlite" {
            assert!(
                change.is_ok(),
                "the only writer's cache is the database's state"
            );
        } else {
            for (read, what) in [
                (change, "a change"),
                (newer, "a newer revision"),
                (unseen, "no revision"),
            ] {
                assert!(
                    matches!(read, Err(EngineError::UnknownExecution)),
                    "{backend}: {what} reads the database"
                );
            }
        }
    }
}
