//! The funnel's figures, read from the rows that the triggers of migration 0010 write with
//! every execution change. They outlive the executions themselves (see that migration).

use super::{Done, Store, StoreError, on_db, to_text};
use crate::domain::{Execution, FlowVersionId};
use time::{Duration, OffsetDateTime};

/// Which executions to count: those of one flow version that started in `[from, to)`, as
/// they stand at `now`.
pub struct FunnelQuery<'a> {
    pub flow_id: FlowVersionId,
    /// The version's step ids in the order the page lists them.
    pub steps: &'a [String],
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    pub now: OffsetDateTime,
}

/// What became of the executions counted. `started` is the sum of the four outcomes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Funnel {
    pub started: i64,
    pub completed: i64,
    pub expired: i64,
    pub abandoned: i64,
    pub in_progress: i64,
    pub median_to_complete: Option<Duration>,
    /// In the order asked for, then any other step where someone stopped.
    pub steps: Vec<StepFigures>,
    /// Executions per decision step and branch, sorted by step and then branch
    /// (`otherwise` last).
    pub branches: Vec<BranchFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchFigures {
    pub step: String,
    /// The branch's place in the definition (0 is the first); `None` is `otherwise`.
    pub branch: Option<usize>,
    /// Executions that went this way at least once.
    pub taken: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFigures {
    pub step: String,
    /// Executions shown this step at least once.
    pub reached: i64,
    /// Executions that expired or were abandoned with this step the last one shown.
    pub stopped: i64,
    /// Forms of this step sent back with an error (a wrong code, a refused password, a
    /// field to correct), however often by one execution.
    pub refused: i64,
    /// Executions sent back from this step at least once.
    pub refused_executions: i64,
}

impl Funnel {
    /// Those who gave up or were stopped: expired and abandoned.
    pub fn stopped(&self) -> i64 {
        self.expired + self.abandoned
    }
}

/// Last step, all, completed, expired, abandoned.
type OutcomeRow = (String, i64, i64, i64, i64);
/// Step, reached, refused forms, executions refused.
type ReachedRow = (String, i64, i64, i64);

impl Store {
    pub async fn funnel(&self, q: &FunnelQuery<'_>) -> Result<Funnel, StoreError> {
        let flow_id = q.flow_id.to_string();
        let (from, to) = (to_text(q.from), to_text(q.to));
        let steps = serde_json::to_string(q.steps)?;
        // Two chains on two reader connections at once: the median needs the count of
        // completions first, the steps need nothing.
        let outcomes_then_median = async {
            let outcomes: Vec<OutcomeRow> = on_db!(self, p => sqlx::query_as(sql::funnel::OUTCOMES)
                .bind(&flow_id).bind(&from).bind(&to).bind(to_text(q.now)).fetch_all(p).await)?;
            let n: i64 = outcomes.iter().map(|row| row.2).sum();
            let middle: Vec<(i64,)> = if n > 0 {
                on_db!(self, p => sqlx::query_as(sql::funnel::MIDDLE_COMPLETION)
                    .bind(&flow_id).bind(&from).bind(&to).bind((n - 1) / 2).bind(2 - n % 2)
                    .fetch_all(p).await)?
            } else {
                Vec::new()
            };
            Ok::<_, StoreError>((outcomes, middle))
        };
        let reached = async {
            let rows: Vec<ReachedRow> = on_db!(self, p => sqlx::query_as(sql::funnel::REACHED)
                .bind(&flow_id).bind(&steps).bind(&from).bind(&to).fetch_all(p).await)?;
            Ok::<_, StoreError>(rows)
        };
        let branches = async {
            let rows: Vec<(String, String, i64)> = on_db!(self, p => sqlx::query_as(sql::funnel::BRANCHES)
                .bind(&flow_id).bind(&from).bind(&to).fetch_all(p).await)?;
            Ok::<_, StoreError>(rows)
        };
        let ((outcomes, middle), reached, branches) =
            tokio::try_join!(outcomes_then_median, reached, branches)?;
        let mut funnel = assemble(q.steps, &outcomes, &reached);
        funnel.median_to_complete = median_of(&middle);
        funnel.branches = branches
            .into_iter()
            .map(|(step, branch, taken)| BranchFigures {
                step,
                branch: branch.parse().ok(),
                taken,
            })
            .collect();
        funnel
            .branches
            .sort_by_key(|b| (b.step.clone(), b.branch.is_none(), b.branch));
        Ok(funnel)
    }

    /// Records that the person came back to an execution whose lifetime had run out, unless
    /// it had ended otherwise before.
    pub async fn record_funnel_expired(&self, execution: &Execution) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::funnel::MARK_EXPIRED)
            .bind(execution.flow_id.to_string())
            .bind(to_text(execution.created_at))
            .bind(execution.id.to_string())
            .execute(p).await.map(Done::from))?;
        Ok(())
    }

    /// Writes the funnel's rows of journeys started but not stored (src/engine/starts.rs):
    /// each counts as started on its first view from then on. Any of them stored meanwhile
    /// keeps the rows its own start wrote, and one stored later brings these up to date
    /// (migration 0029): the order does not matter. One transaction for the whole batch.
    pub async fn record_funnel_starts(&self, starts: &[Execution]) -> Result<(), StoreError> {
        if starts.is_empty() {
            return Ok(());
        }
        let rows = serde_json::Value::Array(
            starts
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "flow": e.flow_id.to_string(),
                        "at": to_text(e.created_at),
                        "id": e.id.to_string(),
                        "step": e.step,
                        "until": to_text(e.expires_at),
                    })
                })
                .collect(),
        )
        .to_string();
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql::funnel::RECORD_STARTS).bind(&rows).execute(&mut *tx).await?;
            sqlx::query(sql::funnel::RECORD_START_STEPS).bind(&rows).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// Counts a form of `step` that `execution` had sent back with errors.
    pub async fn record_funnel_refusal(
        &self,
        execution: &Execution,
        step: &str,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::funnel::RECORD_REFUSAL)
            .bind(execution.flow_id.to_string())
            .bind(step)
            .bind(to_text(execution.created_at))
            .bind(execution.id.to_string())
            .execute(p).await.map(Done::from))?;
        Ok(())
    }

    /// Deletes the funnel rows of executions that started before `before`.
    pub async fn purge_funnel(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let before = to_text(before);
        let steps = on_db!(self, write p => sqlx::query(sql::funnel::PURGE_STEPS).bind(&before).execute(p).await.map(Done::from))?;
        let executions = on_db!(self, write p => sqlx::query(sql::funnel::PURGE_EXECUTIONS).bind(&before).execute(p).await.map(Done::from))?;
        let branches = on_db!(self, write p => sqlx::query(sql::funnel::PURGE_BRANCHES).bind(&before).execute(p).await.map(Done::from))?;
        Ok(steps.rows_affected() + executions.rows_affected() + branches.rows_affected())
    }
}

fn median_of(middle: &[(i64,)]) -> Option<Duration> {
    let sum: i64 = middle.iter().map(|(ms,)| ms).sum();
    let n = i64::try_from(middle.len()).ok().filter(|n| *n > 0)?;
    Some(Duration::milliseconds(sum / n))
}

/// Puts the counts per last step and per step reached together, steps in `order`.
fn assemble(order: &[String], outcomes: &[OutcomeRow], reached: &[ReachedRow]) -> Funnel {
    let mut funnel = Funnel::default();
    let mut stopped_at: Vec<(&str, i64)> = Vec::new();
    for (last_step, all, completed, expired, abandoned) in outcomes {
        funnel.started += all;
        funnel.completed += completed;
        funnel.expired += expired;
        funnel.abandoned += abandoned;
        let stopped = expired + abandoned;
        if stopped > 0 {
            stopped_at.push((last_step, stopped));
        }
    }
    funnel.in_progress = funnel.started - funnel.completed - funnel.stopped();
    let count_of = |rows: &[(&str, i64)], step: &str| {
        rows.iter()
            .filter(|(s, _)| *s == step)
            .map(|(_, n)| n)
            .sum()
    };
    let of = |pick: fn(&ReachedRow) -> i64| -> Vec<(&str, i64)> {
        reached.iter().map(|r| (r.0.as_str(), pick(r))).collect()
    };
    let (refused, refused_executions) = (of(|r| r.2), of(|r| r.3));
    let reached = of(|r| r.1);
    funnel.steps = order
        .iter()
        .map(|step| StepFigures {
            step: step.clone(),
            reached: count_of(&reached, step),
            stopped: count_of(&stopped_at, step),
            refused: count_of(&refused, step),
            refused_executions: count_of(&refused_executions, step),
        })
        .collect();
    // A step missing from `order` still holds people: listed, so the stops add up.
    for (step, stopped) in stopped_at {
        if !order.iter().any(|s| s == step) {
            funnel.steps.push(StepFigures {
                step: step.to_owned(),
                reached: stopped,
                stopped,
                refused: 0,
                refused_executions: 0,
            });
        }
    }
    funnel
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ExecutionId, ExecutionStatus, FlowType};
    use time::macros::datetime;

    const IDLE: Duration = Duration::minutes(30);
    const T0: OffsetDateTime = datetime!(2026-11-02 10:00 UTC);
    /// The store keeps a definition as text and reads nothing of it but the step ids (the
    /// funnel's purge): those of the starter template `registration-otp`.
    const REGISTRATION: &str = r#"{"flowType":"REGISTRATION","name":"Registration","start":"details","steps":[
        {"id":"details"},{"id":"set_password"},{"id":"send_code"},{"id":"enter_code"},
        {"id":"check_code"},{"id":"provision"},{"id":"done"}]}"#;

    /// A store per backend, each with the registration flow published.
    async fn stores_with_flow() -> Vec<(Store, FlowVersionId)> {
        let mut out = Vec::new();
        for store in crate::store::test_stores().await {
            out.push(with_flow(store).await);
        }
        out
    }

    async fn with_flow(store: Store) -> (Store, FlowVersionId) {
        let id = store
            .insert_flow_draft(FlowType::Registration, REGISTRATION, Some("test"), T0)
            .await
            .unwrap();
        store
            .publish_flow(FlowType::Registration, id)
            .await
            .unwrap();
        (store, id)
    }

    /// Walks a new execution through `views` (each a commit a minute apart), then ends it
    /// with `end` if given.
    async fn run(
        store: &Store,
        flow_id: FlowVersionId,
        start: OffsetDateTime,
        views: &[&str],
        end: Option<ExecutionStatus>,
    ) -> Execution {
        let mut e = Execution::new(
            ExecutionId::new(),
            flow_id,
            FlowType::Registration,
            views[0],
            start,
            IDLE,
        );
        e.secrets.arrive(views[0]);
        store.commit(&e, None, &mut [], start).await.unwrap();
        let mut at = start;
        let mut moves: Vec<(String, ExecutionStatus)> = views[1..]
            .iter()
            .map(|v| ((*v).to_owned(), ExecutionStatus::Incomplete))
            .collect();
        // A failed execution stays on the view where it failed; a complete one is at its end.
        match end {
            Some(ExecutionStatus::Complete) => {
                moves.push(("done".into(), ExecutionStatus::Complete))
            }
            Some(status) => moves.push((views[views.len() - 1].into(), status)),
            None => {}
        }
        for (step, status) in moves {
            at += Duration::minutes(1);
            // As the engine keeps it: a Back shortens the list, a view joins it.
            if status == ExecutionStatus::Incomplete {
                e.secrets.rewind_to(&step);
                e.secrets.arrive(&step);
            }
            e.step = step;
            e.status = status;
            e.updated_at = at;
            e.expires_at = at + IDLE;
            let read = e.revision;
            store.commit(&e, Some(read), &mut [], at).await.unwrap();
            e.revision += 1;
        }
        e
    }

    fn steps() -> Vec<String> {
        vec!["details".into(), "enter_code".into()]
    }

    /// The funnel of `flow_id` over `order`, of the journeys started from `T0` up to `now`.
    fn since_t0(flow_id: FlowVersionId, order: &[String], now: OffsetDateTime) -> FunnelQuery<'_> {
        FunnelQuery {
            flow_id,
            steps: order,
            from: T0,
            to: now,
            now,
        }
    }

    fn figures(f: &Funnel) -> Vec<(&str, i64, i64)> {
        f.steps
            .iter()
            .map(|s| (s.step.as_str(), s.reached, s.stopped))
            .collect()
    }

    #[tokio::test]
    async fn counts_reached_steps_outcomes_and_the_median_and_they_add_up() {
        for (store, v1) in stores_with_flow().await {
            let full = ["details", "enter_code"];
            // Three complete in 2, 2 and (after a Back and forth) 4 minutes.
            let completed = run(&store, v1, T0, &full, Some(ExecutionStatus::Complete)).await;
            let corrected = run(&store, v1, T0, &full, Some(ExecutionStatus::Complete)).await;
            let back = ["details", "enter_code", "details", "enter_code"];
            run(&store, v1, T0, &back, Some(ExecutionStatus::Complete)).await;
            // Two wrong codes by one person, one field to correct by another.
            store
                .record_funnel_refusal(&completed, "enter_code")
                .await
                .unwrap();
            store
                .record_funnel_refusal(&completed, "enter_code")
                .await
                .unwrap();
            store
                .record_funnel_refusal(&corrected, "details")
                .await
                .unwrap();
            let came_back = run(&store, v1, T0, &full, None).await;
            store.record_funnel_expired(&came_back).await.unwrap();
            run(&store, v1, T0, &["details"], None).await;
            // Still within its lifetime at `now`.
            let now = T0 + Duration::hours(3);
            run(&store, v1, now - Duration::minutes(5), &full, None).await;

            let order = steps();
            let q = since_t0(v1, &order, now);
            let f = store.funnel(&q).await.unwrap();
            assert_eq!(
                (
                    f.started,
                    f.completed,
                    f.expired,
                    f.abandoned,
                    f.in_progress
                ),
                (6, 3, 1, 1, 1)
            );
            assert_eq!(
                f.started,
                f.completed + f.stopped() + f.in_progress,
                "they add up"
            );
            assert_eq!(
                figures(&f),
                vec![("details", 6, 1), ("enter_code", 5, 1)],
                "each counted once however often shown"
            );
            let refused: Vec<(i64, i64)> = f
                .steps
                .iter()
                .map(|s| (s.refused, s.refused_executions))
                .collect();
            assert_eq!(refused, vec![(1, 1), (2, 1)], "forms, then people");
            assert_eq!(f.median_to_complete, Some(Duration::minutes(2)));

            // An execution ends once: recording expiry again, or on a completed one, changes nothing.
            store.record_funnel_expired(&came_back).await.unwrap();
            store.record_funnel_expired(&completed).await.unwrap();
            assert_eq!(store.funnel(&q).await.unwrap(), f);

            // The range is of start times, half-open.
            let later = FunnelQuery {
                from: now - Duration::minutes(5),
                ..q
            };
            let f = store.funnel(&later).await.unwrap();
            assert_eq!((f.started, f.in_progress), (1, 1));
            assert_eq!(f.median_to_complete, None);
        }
    }

    /// A hosted journey stored by its first change, past its first view: the batch of bare
    /// starts may write its funnel rows before that change or after it, and a second
    /// batch may repeat it. Every order comes out as a journey stored at its start.
    #[tokio::test]
    async fn a_start_stored_with_its_first_change_counts_alike_whenever_its_batch_comes() {
        for (store, v1) in stores_with_flow().await {
            let backend = store.backend();
            let now = T0 + Duration::minutes(10);
            let first_change = |start: &Execution| {
                let mut moved = start.clone();
                moved.step = "enter_code".into();
                moved.secrets.arrive("enter_code");
                moved.updated_at = start.created_at + Duration::minutes(1);
                moved.expires_at = moved.updated_at + IDLE;
                moved.revision = 1;
                moved
            };
            let bare = |at: OffsetDateTime| {
                let mut e = Execution::new(
                    ExecutionId::new(),
                    v1,
                    FlowType::Registration,
                    "details",
                    at,
                    IDLE,
                );
                e.secrets.arrive("details");
                e
            };
            let batch_first = bare(T0);
            store
                .record_funnel_starts(std::slice::from_ref(&batch_first))
                .await
                .unwrap();
            store
                .commit(&first_change(&batch_first), None, &mut [], now)
                .await
                .unwrap();
            let change_first = bare(T0);
            store
                .commit(&first_change(&change_first), None, &mut [], now)
                .await
                .unwrap();
            store
                .record_funnel_starts(&[batch_first, change_first])
                .await
                .unwrap();
            let looked_only = bare(T0);
            store
                .record_funnel_starts(std::slice::from_ref(&looked_only))
                .await
                .unwrap();
            store
                .record_funnel_starts(std::slice::from_ref(&looked_only))
                .await
                .unwrap();

            let f = store.funnel(&since_t0(v1, &steps(), now)).await.unwrap();
            assert_eq!((f.started, f.in_progress), (3, 3), "{backend}");
            assert_eq!(
                figures(&f),
                vec![("details", 3, 0), ("enter_code", 2, 0)],
                "{backend}: each view counted once, whichever came first"
            );
            let order = steps();
            let later = FunnelQuery {
                now: now + Duration::hours(1),
                ..since_t0(v1, &order, now)
            };
            let abandoned = store.funnel(&later).await.unwrap();
            assert_eq!(
                figures(&abandoned),
                vec![("details", 3, 1), ("enter_code", 2, 2)],
                "{backend}: each stopped where its newest row says, not where its batch said"
            );
        }
    }

    #[tokio::test]
    async fn figures_stay_per_version_and_outlive_the_executions() {
        for (store, v1) in stores_with_flow().await {
            let full = ["details", "enter_code"];
            run(&store, v1, T0, &full, Some(ExecutionStatus::Complete)).await;
            run(&store, v1, T0, &["details"], None).await;
            let order = steps();
            let now = T0 + Duration::days(3);
            let q = |flow_id| since_t0(flow_id, &order, now);
            let before = store.funnel(&q(v1)).await.unwrap();
            assert_eq!(
                (before.started, before.completed, before.abandoned),
                (2, 1, 1)
            );

            let v2 = store
                .insert_flow_draft(FlowType::Registration, REGISTRATION, Some("test"), now)
                .await
                .unwrap();
            store
                .publish_flow(FlowType::Registration, v2)
                .await
                .unwrap();
            run(&store, v2, T0 + Duration::hours(1), &full, None).await;
            assert_eq!(store.purge_executions(now).await.unwrap(), 3);

            assert_eq!(store.funnel(&q(v1)).await.unwrap(), before);
            assert_eq!(store.funnel(&q(v2)).await.unwrap().started, 1);

            // Their own retention: gone once they started before the cut-off.
            assert_eq!(store.purge_funnel(T0).await.unwrap(), 0);
            assert_eq!(store.purge_funnel(now).await.unwrap(), 3 + 5);
            assert_eq!(
                store.funnel(&q(v1)).await.unwrap(),
                Funnel {
                    steps: vec![
                        StepFigures {
                            step: "details".into(),
                            reached: 0,
                            stopped: 0,
                            refused: 0,
                            refused_executions: 0,
                        },
                        StepFigures {
                            step: "enter_code".into(),
                            reached: 0,
                            stopped: 0,
                            refused: 0,
                            refused_executions: 0,
                        },
                    ],
                    ..Funnel::default()
                }
            );
        }
    }

    #[tokio::test]
    async fn executions_stored_before_the_funnel_get_their_rows_from_the_migration() {
        const SQLITE: &str = include_str!("../../migrations/sqlite/0010_funnel.sql");
        const POSTGRES: &str = include_str!("../../migrations/postgres/0010_funnel.sql");
        for (store, v1) in stores_with_flow().await {
            // Each backend's own migration, from the same marker on.
            let migration = if store.backend() == "sqlite" {
                SQLITE
            } else {
                POSTGRES
            };
            let backfill = &migration[migration.find("-- Executions already stored").unwrap()..];
            let full = ["details", "enter_code"];
            run(&store, v1, T0, &full, Some(ExecutionStatus::Complete)).await;
            let back = ["details", "enter_code", "details", "enter_code"];
            run(&store, v1, T0, &back, Some(ExecutionStatus::Complete)).await;
            run(&store, v1, T0, &["details"], None).await;
            let now = T0 + Duration::hours(1);
            run(&store, v1, now - Duration::minutes(5), &full, None).await;
            let order = steps();
            let q = since_t0(v1, &order, now);
            let recorded = store.funnel(&q).await.unwrap();

            on_db!(&store, write p => sqlx::raw_sql("DELETE FROM funnel_steps; DELETE FROM funnel_executions").execute(p).await.map(Done::from)).unwrap();
            assert_eq!(store.funnel(&q).await.unwrap().started, 0);
            on_db!(&store, write p => sqlx::raw_sql(backfill).execute(p).await.map(Done::from))
                .unwrap();
            assert_eq!(store.funnel(&q).await.unwrap(), recorded);
        }
    }

    #[test]
    fn a_stop_at_an_unlisted_step_is_listed_so_the_figures_add_up() {
        let outcomes = vec![
            ("details".to_owned(), 3, 1, 0, 1),
            ("gone".to_owned(), 1, 0, 1, 0),
        ];
        let reached = vec![("details".to_owned(), 4, 0, 0)];
        let f = assemble(&["details".into()], &outcomes, &reached);
        assert_eq!((f.started, f.completed, f.in_progress), (4, 1, 1));
        assert_eq!(figures(&f), vec![("details", 4, 1), ("gone", 1, 1)]);
        let stops: i64 = f.steps.iter().map(|s| s.stopped).sum();
        assert_eq!(stops, f.stopped());
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median_of(&[(1000,), (3000,)]), Some(Duration::seconds(2)));
        assert_eq!(median_of(&[(1500,)]), Some(Duration::milliseconds(1500)));
        assert_eq!(median_of(&[]), None);
    }
}
