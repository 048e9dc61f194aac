//! How a journey starts. The JSON API, an invitation and a start that did something (ran a
//! task, kept a typed profile) store the execution at once (`start`). A hosted page's start
//! that only shows the first view is all in three facts (its id, its version, when it began):
//! the person's signed cookie carries them, and the first form they send stores the execution
//! together with that form's change (`start_page`, `Engine::submit_to`). A visit that never
//! sends a form costs no commit of its own; its funnel row ("started, at the first view") is
//! written with others in one batch a second (`flush_unstored_starts`).

use super::journeys::stamp_audit;
use super::{
    Effect, Engine, EngineError, Execution, ExecutionId, FlowDefinition, FlowType, Inputs, Locale,
    Notice, Reply, TaskResult,
};
use crate::domain::FlowVersionId;
use crate::store::CommitOutcome;
use std::collections::HashMap;
use std::time::Duration;
use time::OffsetDateTime;

/// At most this many bare starts wait for their batch; past it the batch is written at once.
const BATCH: usize = 4_096;
/// Past this many waiting (the database refusing writes for a while under a flood of page
/// views), further bare starts are left out of the funnel, counted in
/// `flows_funnel_starts_dropped_total`, rather than held in memory without end.
const MAX_WAITING: usize = 100_000;

/// What a cookie carries of a journey not stored yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnstoredStart {
    pub id: ExecutionId,
    pub flow_type: FlowType,
    pub flow_id: FlowVersionId,
    pub started_at: OffsetDateTime,
}

/// Where a person's journey stands, as their cookie says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journey {
    Stored(ExecutionId),
    Unstored(UnstoredStart),
}

impl Journey {
    pub fn id(&self) -> ExecutionId {
        match self {
            Journey::Stored(id) => *id,
            Journey::Unstored(start) => start.id,
        }
    }

    pub fn is_stored(&self) -> bool {
        matches!(self, Journey::Stored(_))
    }
}

/// A journey's start run to its first view, with what storing it would write.
struct Begun {
    flow: std::sync::Arc<FlowDefinition>,
    execution: Execution,
    effects: Vec<Effect>,
    notice: Option<Notice>,
}

impl UnstoredStart {
    /// The execution these facts stand for: at the version's first view, nothing collected.
    fn execution(&self, flow: &FlowDefinition, idle: time::Duration) -> Execution {
        // The id the cookie carries, not a fresh one: a page view makes no random number.
        let mut execution = Execution::new(
            self.id,
            self.flow_id,
            self.flow_type,
            &flow.start,
            self.started_at,
            idle,
        );
        execution.secrets.arrive(&flow.start);
        execution
    }
}

/// The bare starts waiting for their batch.
#[derive(Default)]
pub(super) struct WaitingStarts {
    starts: std::sync::Mutex<Vec<Execution>>,
    full: tokio::sync::Notify,
}

impl Engine {
    /// Starts a new execution of the published flow of a type, runs it to its first view and
    /// stores it.
    pub async fn start(
        &self,
        flow_type: FlowType,
        prefill: HashMap<String, String>,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        let begun = self.begin(flow_type, prefill, locale, client).await?;
        self.store_start(begun).await
    }

    /// A journey's start run to its first view, not stored yet.
    async fn begin(
        &self,
        flow_type: FlowType,
        prefill: HashMap<String, String>,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Begun, EngineError> {
        let (flow_id, enabled) = self
            .published(flow_type)
            .await?
            .ok_or(EngineError::NoPublishedFlow(flow_type))?;
        if !enabled {
            return Err(EngineError::FlowDisabled(flow_type));
        }
        let flow = self.flow(flow_id).await?;
        // Whole microseconds, as the store and a cookie keep them: a start carried in a
        // cookie (`unstored`) comes back as exactly the one begun here.
        let now = self.now();
        let now = now
            .replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
            .unwrap_or(now);
        let mut execution = Execution::new(
            ExecutionId::new(),
            flow_id,
            flow_type,
            &flow.start,
            now,
            self.settings().execution_idle,
        );
        execution.attributes = prefill.into_iter().collect();
        let mut effects = Vec::new();
        let mut notice = None;
        let inputs = Inputs::default();
        let start = flow.start.clone();
        match self
            .advance(
                &flow,
                &mut execution,
                &start,
                &inputs,
                &mut effects,
                &mut notice,
                locale,
                client,
                now,
            )
            .await?
        {
            TaskResult::Outcome(_) | TaskResult::Away => {}
            TaskResult::Invalid(_) => return Err(EngineError::BrokenFlow(start)),
        }
        stamp_audit(&mut effects, execution.id, client);
        metrics::counter!("flows_executions_started_total", "flow_type" => flow_type.as_str())
            .increment(1);
        Ok(Begun {
            flow,
            execution,
            effects,
            notice,
        })
    }

    async fn store_start(&self, begun: Begun) -> Result<Reply, EngineError> {
        let Begun {
            flow,
            execution,
            mut effects,
            notice,
        } = begun;
        let now = execution.created_at;
        match self.commit(&execution, None, &mut effects, now).await? {
            CommitOutcome::Committed => Ok(Reply::Moved { execution, notice }),
            _ => Err(EngineError::BrokenFlow(flow.start.clone())),
        }
    }

    /// Starts a journey for a hosted page. It is stored at once only if its start did
    /// something (ran a task, queued a mail, kept a typed profile); otherwise its facts come
    /// back for the cookie and the first change stores it.
    pub async fn start_page(
        &self,
        flow_type: FlowType,
        prefill: HashMap<String, String>,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<(Reply, Option<UnstoredStart>), EngineError> {
        let begun = self.begin(flow_type, prefill, locale, client).await?;
        let start = UnstoredStart {
            id: begun.execution.id,
            flow_type,
            flow_id: begun.execution.flow_id,
            started_at: begun.execution.created_at,
        };
        if !self.comes_back_as(&begun, &start) {
            return Ok((self.store_start(begun).await?, None));
        }
        self.wait_for_batch(&begun.execution);
        let execution = begun.execution;
        Ok((
            Reply::Moved {
                execution,
                notice: None,
            },
            Some(start),
        ))
    }

    /// The execution a cookie's unstored start stands for, at its first view; an expired one
    /// comes back as `EngineError::Expired`.
    pub async fn unstored(&self, start: UnstoredStart) -> Result<Execution, EngineError> {
        let flow = match self.flow(start.flow_id).await {
            Ok(flow) => flow,
            // Not a version of this database (a cookie from another installation, signed
            // with the same key): a journey this database never had.
            Err(EngineError::BrokenFlow(_)) => return Err(EngineError::UnknownExecution),
            Err(e) => return Err(e),
        };
        let execution = start.execution(&flow, self.settings().execution_idle);
        if execution.is_expired(self.now()) {
            return Err(self.came_back_late(execution).await);
        }
        Ok(execution)
    }

    /// The journey's execution: read from the store (`seen` as `load_to_show` takes it,
    /// for a page view only; `None` for a change), or rebuilt from its cookie's facts.
    pub async fn load_journey(
        &self,
        journey: Journey,
        seen: Option<i64>,
    ) -> Result<Execution, EngineError> {
        match journey {
            Journey::Stored(id) => self.load_to_show(id, seen).await,
            Journey::Unstored(start) => self.unstored(start).await,
        }
    }

    /// Whether the start begun is exactly what its facts rebuild, so that nothing of it is
    /// lost by not storing it now.
    fn comes_back_as(&self, begun: &Begun, start: &UnstoredStart) -> bool {
        if !begun.effects.is_empty() || begun.notice.is_some() {
            return false;
        }
        let rebuilt = start.execution(&begun.flow, self.settings().execution_idle);
        rebuilt == begun.execution
    }

    fn wait_for_batch(&self, execution: &Execution) {
        let waiting = &self.inner.waiting_starts;
        let Ok(mut starts) = waiting.starts.lock() else {
            return;
        };
        if starts.len() >= MAX_WAITING {
            metrics::counter!("flows_funnel_starts_dropped_total").increment(1);
            return;
        }
        starts.push(execution.clone());
        if starts.len() >= BATCH {
            waiting.full.notify_one();
        }
    }

    /// Writes the funnel rows of the bare starts waiting so far; how many there were.
    pub async fn flush_unstored_starts(&self) -> Result<usize, EngineError> {
        let batch = match self.inner.waiting_starts.starts.lock() {
            Ok(mut starts) => std::mem::take(&mut *starts),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        if let Err(e) = self.inner.store.record_funnel_starts(&batch).await {
            // Put back for the next try, unless the next batch has filled up meanwhile.
            if let Ok(mut starts) = self.inner.waiting_starts.starts.lock()
                && starts.len() + batch.len() <= MAX_WAITING
            {
                starts.extend(batch);
            }
            return Err(e.into());
        }
        Ok(batch.len())
    }

    /// Writes the waiting bare starts every `every`, or at once when a batch is full.
    pub async fn flush_unstored_starts_forever(self, every: Duration) {
        loop {
            let full = self.inner.waiting_starts.full.notified();
            let _ = tokio::time::timeout(every, full).await;
            if let Err(e) = self.flush_unstored_starts().await {
                tracing::warn!(error = %e, "could not write the funnel rows of journeys started");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Engine, ExecutionId, FlowType, StepKind, starter};
    use super::{BATCH, MAX_WAITING, UnstoredStart};
    use crate::i18n::Locale;
    use crate::store::test_stores;
    use std::collections::HashMap;

    /// Every starter template, on both backends: a start that only shows its first view is
    /// not stored and comes back from its facts exactly as it was begun; one that ran
    /// anything first, or keeps a typed profile, is stored at once as before.
    #[tokio::test]
    async fn a_start_that_only_shows_its_first_view_waits_in_the_cookie_and_comes_back_as_begun() {
        let now = time::OffsetDateTime::now_utc();
        for store in test_stores().await {
            let backend = store.backend();
            let engine = Engine::for_tests(store.clone());
            let mut bare = 0;
            for template in starter::all()
                .iter()
                .filter(|t| t.flow_type != FlowType::InvitedUserRegistration)
            {
                let def = template.definition().unwrap();
                let version = store
                    .insert_flow_draft(def.flow_type, &def.to_stored().unwrap(), None, now)
                    .await
                    .unwrap();
                assert!(store.publish_flow(def.flow_type, version).await.unwrap());
                engine.forget_published();
                let shows_first = matches!(
                    def.step(&def.start).map(|s| &s.kind),
                    Some(StepKind::View { .. })
                );
                let (reply, unstored) = engine
                    .start_page(def.flow_type, HashMap::new(), Locale::default(), None)
                    .await
                    .unwrap();
                let begun = reply.execution();
                let what = format!("{backend}, {}", template.id);
                assert_eq!(unstored.is_some(), shows_first, "{what}");
                let stored = store.execution(begun.id).await.unwrap();
                match unstored {
                    Some(start) => {
                        bare += 1;
                        assert!(stored.is_none(), "{what}: nothing stored");
                        assert_eq!(begun.revision, 0, "{what}");
                        let back = engine.unstored(start).await.unwrap();
                        assert_eq!(&back, begun, "{what}: comes back as begun");
                    }
                    None => assert_eq!(stored.as_ref(), Some(begun), "{what}: stored as begun"),
                }

                let typed = HashMap::from([("given_name".to_owned(), "Ada".to_owned())]);
                let (reply, unstored) = engine
                    .start_page(def.flow_type, typed, Locale::default(), None)
                    .await
                    .unwrap();
                assert_eq!(unstored, None, "{what}: a kept profile is stored at once");
                let kept = store
                    .execution(reply.execution().id)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(kept.attribute("given_name"), Some("Ada"), "{what}");
            }
            assert!(bare >= 2, "{backend}: {bare} templates start on a view");
            assert_eq!(
                engine.flush_unstored_starts().await.unwrap(),
                bare,
                "{backend}"
            );
            assert_eq!(
                engine.flush_unstored_starts().await.unwrap(),
                0,
                "{backend}"
            );
        }
    }

    /// A registration flow published from its starter, on `store`.
    async fn published_registration(
        store: &crate::store::Store,
        now: time::OffsetDateTime,
    ) -> crate::domain::FlowVersionId {
        let def = starter::all()
            .iter()
            .find(|t| t.flow_type == FlowType::Registration)
            .unwrap()
            .definition()
            .unwrap();
        let version = store
            .insert_flow_draft(def.flow_type, &def.to_stored().unwrap(), None, now)
            .await
            .unwrap();
        assert!(store.publish_flow(def.flow_type, version).await.unwrap());
        version
    }

    /// The batch writer waits its interval unless `BATCH` starts wait: then it writes them
    /// at once, all of them in the funnel.
    #[tokio::test]
    async fn a_full_batch_of_bare_starts_is_written_at_once_without_waiting_for_its_interval() {
        let now = time::OffsetDateTime::now_utc();
        for store in test_stores().await {
            let backend = store.backend();
            let engine = Engine::for_tests(store.clone());
            let version = published_registration(&store, now).await;
            let started = || async {
                let far = time::OffsetDateTime::now_utc() + time::Duration::HOUR;
                engine
                    .funnel(version, now - time::Duration::HOUR, far, far)
                    .await
                    .unwrap()
                    .started
            };
            let writer = tokio::spawn(
                engine
                    .clone()
                    .flush_unstored_starts_forever(std::time::Duration::from_secs(3600)),
            );
            let start = || async {
                let (_, unstored) = engine
                    .start_page(
                        FlowType::Registration,
                        HashMap::new(),
                        Locale::default(),
                        None,
                    )
                    .await
                    .unwrap();
                assert!(unstored.is_some(), "{backend}: a bare start");
            };
            for _ in 1..BATCH {
                start().await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            assert_eq!(started().await, 0, "{backend}: one short of a batch waits");
            start().await;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            let mut counted = 0;
            while counted < BATCH as i64 && std::time::Instant::now() < deadline {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                counted = started().await;
            }
            writer.abort();
            assert_eq!(
                counted, BATCH as i64,
                "{backend}: the full batch, written at once"
            );
            assert_eq!(
                engine.flush_unstored_starts().await.unwrap(),
                0,
                "{backend}"
            );
        }
    }

    /// Past `MAX_WAITING` (a database refusing writes under a flood of page views), a bare
    /// start is counted as dropped instead of held: memory stays bounded.
    #[tokio::test]
    async fn bare_starts_past_the_most_that_may_wait_are_counted_as_dropped_not_held() {
        let now = time::OffsetDateTime::now_utc();
        let store = test_stores().await.remove(0);
        let engine = Engine::for_tests(store.clone());
        let version = published_registration(&store, now).await;
        let flow = engine.flow(version).await.unwrap();
        let start = UnstoredStart {
            id: ExecutionId::new(),
            flow_type: FlowType::Registration,
            flow_id: version,
            started_at: now,
        };
        let one = start.execution(&flow, time::Duration::HOUR);
        engine
            .inner
            .waiting_starts
            .starts
            .lock()
            .unwrap()
            .extend(std::iter::repeat_n(one.clone(), MAX_WAITING - 1));
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        let metrics = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            engine.wait_for_batch(&one);
            engine.wait_for_batch(&one);
            engine.wait_for_batch(&one);
        });
        let waiting = engine.inner.waiting_starts.starts.lock().unwrap().len();
        assert_eq!(
            waiting, MAX_WAITING,
            "the last one in, the next two left out"
        );
        assert!(
            metrics
                .render()
                .contains("flows_funnel_starts_dropped_total 2"),
            "{}",
            metrics.render()
        );
    }
}
