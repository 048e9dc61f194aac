//! Which version of each flow type is live, and whether the type is on: read at every
//! journey's start, changed only by a publish, a roll-back or a switch in the console. So
//! each instance keeps it, and forgets it when the console revision moves: every such
//! change raises that revision in its own transaction (and PostgreSQL notifies the other
//! instances), so another instance starts on the old version for a moment at most.

use super::{Engine, EngineError, FlowType};
use crate::domain::FlowVersionId;
use std::collections::HashMap;

/// The live version and the on switch, per type, as last read here.
#[derive(Default)]
pub(super) struct PublishedFlows {
    /// Raised at each forgetting, so that a read begun before it does not put back what it
    /// read after a change it may have missed.
    generation: u64,
    by_type: HashMap<FlowType, (FlowVersionId, bool)>,
}

impl Engine {
    /// The live version of `flow_type` and whether the type is on; `None` before any
    /// version was published.
    pub(super) async fn published(
        &self,
        flow_type: FlowType,
    ) -> Result<Option<(FlowVersionId, bool)>, EngineError> {
        let generation = match self.inner.published.read() {
            Ok(known) => match known.by_type.get(&flow_type) {
                Some(found) => return Ok(Some(*found)),
                None => known.generation,
            },
            Err(_) => u64::MAX,
        };
        let stored = self.inner.store.published_flow(flow_type).await?;
        if let (Some(found), Ok(mut known)) = (stored, self.inner.published.write())
            && known.generation == generation
        {
            known.by_type.insert(flow_type, found);
        }
        Ok(stored)
    }

    /// After a change to what is live, here or (seen through the console revision) on any
    /// instance: the next start reads it again.
    pub(super) fn forget_published(&self) {
        if let Ok(mut known) = self.inner.published.write() {
            known.generation += 1;
            known.by_type.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Actor, Engine, FlowType};
    use crate::store::test_stores;

    /// Two engines on one database stand for two instances: a switch made through one is
    /// in force on the other once it has seen the console revision move.
    #[tokio::test]
    async fn a_change_to_what_is_live_reaches_every_instance_through_the_console_revision() {
        for store in test_stores().await {
            let backend = store.backend();
            let here = Engine::for_tests(store.clone());
            let there = Engine::for_tests(store);
            here.seed_default_flows().await.unwrap();
            there.refresh_console_changes().await.unwrap();
            let live = there.published(FlowType::Registration).await.unwrap();
            assert_eq!(live.map(|(_, on)| on), Some(true), "{backend}");

            here.set_flow_enabled(FlowType::Registration, false, &Actor::cli())
                .await
                .unwrap();
            assert_eq!(
                here.published(FlowType::Registration).await.unwrap(),
                live.map(|(id, _)| (id, false)),
                "{backend}: in force at once where it was made"
            );
            assert_eq!(
                there.published(FlowType::Registration).await.unwrap(),
                live,
                "{backend}: kept until the other instance checks"
            );
            assert!(there.refresh_console_changes().await.unwrap(), "{backend}");
            assert_eq!(
                there.published(FlowType::Registration).await.unwrap(),
                live.map(|(id, _)| (id, false)),
                "{backend}: in force there after its check"
            );
        }
    }
}
