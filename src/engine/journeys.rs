//! Journeys: start one, take a step, come back from an e-mailed link, and what the hosted
//! pages need besides (the audit of a post refused as a bot's, what a restarted journey
//! keeps, the account a finished one made). Every way in (the hosted pages, the execution
//! API) calls these same acts.

use super::{
    Engine, EngineError, Execution, ExecutionId, ExecutionStatus, FieldErrors, FlowDefinition,
    FlowType, Inputs, Journey, LinkProblem, Step, StepKind, TaskContext, TaskResult, Variant,
    executors, fill_time, flatten, inputs, rule,
};
use crate::domain::{FieldError, LinkToken, is_disposable};
use crate::i18n::Locale;
use crate::store::{AuditEntry, CommitOutcome, Effect};
use std::collections::HashMap;
use time::OffsetDateTime;

/// What a journey started again keeps of the one before: the person's profile as typed,
/// never a proof (a verified address, an accepted term).
const NOT_KEPT_ON_RESTART: [&str; 2] = ["email_verified", "terms"];

/// What the person (or client) asked for on the step they saw.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// The step the form was rendered for; a different one means Back, a second tab or a replay.
    pub step: Option<String>,
    pub action: String,
    pub inputs: HashMap<String, String>,
    /// The client sent the form faster than a person could fill it (the hosted pages' signed
    /// render time says so); `fill_time` decides whether that matters on this view.
    pub too_fast: bool,
}

/// A notice shown above the step (not tied to a field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub is_error: bool,
}

/// What to show after an action.
#[derive(Debug)]
pub enum Reply {
    /// The execution moved (or stayed) and its current step should be shown.
    Moved {
        execution: Execution,
        notice: Option<Notice>,
    },
    /// The submitted view (`view`) comes back with errors; `values` keeps the non-secret input.
    Invalid {
        execution: Execution,
        view: String,
        errors: FieldErrors,
        values: HashMap<String, String>,
    },
    /// The form was for another step than the current one and changed nothing.
    Stale { execution: Execution },
    /// The form came faster than a person types, on a view where a bot would gain something:
    /// nothing done; `view` is shown again with the non-secret `values` for one more press.
    Held {
        execution: Execution,
        view: String,
        values: HashMap<String, String>,
    },
}

impl Reply {
    pub fn execution(&self) -> &Execution {
        match self {
            Reply::Moved { execution, .. }
            | Reply::Invalid { execution, .. }
            | Reply::Held { execution, .. }
            | Reply::Stale { execution } => execution,
        }
    }
}

/// Where a step change on a stored execution starts, and what it runs with.
pub(super) struct StepChange<'a> {
    pub flow: &'a FlowDefinition,
    pub first: &'a str,
    pub inputs: &'a Inputs,
    /// The revision the change was read at; `None` for a journey not stored yet.
    pub read_revision: Option<i64>,
    pub locale: Locale,
    /// The network address the person acts from, for the audit log and per-client limits.
    pub client: Option<&'a str>,
    pub now: OffsetDateTime,
}

/// Every audit entry of an execution's change names the execution and the client address it
/// came from, added here once rather than by each executor. An entry that already names
/// either (an administrator's, with their own address) keeps its own.
pub(super) fn stamp_audit(effects: &mut [Effect], execution: ExecutionId, client: Option<&str>) {
    for effect in effects {
        if let Effect::Audit {
            detail: serde_json::Value::Object(detail),
            ..
        } = effect
        {
            detail
                .entry("execution")
                .or_insert_with(|| execution.to_string().into());
            if let Some(address) = client {
                detail.entry("ip").or_insert_with(|| address.into());
            }
        }
    }
}

impl Engine {
    /// Records a post refused as a bot's: the address and the reason, never a submitted
    /// value (it may be a password).
    pub async fn record_bot_refusal(
        &self,
        execution: ExecutionId,
        flow_type: FlowType,
        reason: &'static str,
        client: Option<&str>,
    ) -> Result<(), EngineError> {
        let entry = AuditEntry {
            actor: format!("execution:{execution}"),
            action: "bot.refused",
            subject: None,
            detail: serde_json::json!({
                "ip": client.unwrap_or_default(),
                "execution": execution.to_string(),
                "flowType": flow_type.as_str(),
                "reason": reason,
            }),
        };
        Ok(self.inner.store.audit(&entry, self.now()).await?)
    }

    /// What a journey started again over `previous` begins with.
    pub async fn restart_prefill(
        &self,
        previous: ExecutionId,
    ) -> Result<HashMap<String, String>, EngineError> {
        Ok(match self.inner.store.execution(previous).await? {
            Some(old) => old
                .attributes
                .into_iter()
                .filter(|(k, _)| !NOT_KEPT_ON_RESTART.contains(&k.as_str()))
                .collect(),
            None => HashMap::new(),
        })
    }
}

impl Engine {
    /// Loads an execution; an expired one comes back as `EngineError::Expired`.
    pub async fn load(&self, id: ExecutionId) -> Result<Execution, EngineError> {
        self.load_seen(id, None).await
    }

    /// Loads an execution to show its page to the person who last saw it at revision
    /// `seen` (kept in their cookie): on several instances, a copy cached here that is at
    /// least that new serves without a round trip to the database. Never for a change.
    pub async fn load_to_show(
        &self,
        id: ExecutionId,
        seen: Option<i64>,
    ) -> Result<Execution, EngineError> {
        self.load_seen(id, seen).await
    }

    async fn load_seen(
        &self,
        id: ExecutionId,
        seen: Option<i64>,
    ) -> Result<Execution, EngineError> {
        let execution = match self.recent(id, seen) {
            Some(e) => e,
            None => {
                let stored = self
                    .inner
                    .store
                    .execution(id)
                    .await?
                    .ok_or(EngineError::UnknownExecution)?;
                self.remember_read(&stored);
                stored
            }
        };
        if execution.is_expired(self.now()) {
            return Err(self.came_back_late(execution).await);
        }
        Ok(execution)
    }

    /// The person came back too late: the funnel's "expired", which no execution write would
    /// ever record. Losing this figure must not cost them the page that says so.
    pub(super) async fn came_back_late(&self, execution: Execution) -> EngineError {
        if let Err(e) = self.inner.store.record_funnel_expired(&execution).await {
            tracing::warn!(error = %e, "could not record an expiry in the funnel");
        }
        EngineError::Expired(Box::new(execution))
    }

    /// Applies a button press with its inputs.
    pub async fn submit(
        &self,
        id: ExecutionId,
        submission: Submission,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        self.submit_to(Journey::Stored(id), submission, locale, client)
            .await
    }

    /// Applies a button press to a journey stored or still carried by its cookie; the first
    /// change of an unstored one stores it.
    pub async fn submit_to(
        &self,
        journey: Journey,
        submission: Submission,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        let mut execution = self.load_journey(journey, None).await?;
        let id = execution.id;
        let flow = self.flow(execution.flow_id).await?;
        if execution.status != ExecutionStatus::Incomplete {
            return Ok(Reply::Stale { execution });
        }
        // `None`: nothing stored yet, so the change inserts the execution.
        let read_revision = journey.is_stored().then_some(execution.revision);

        // The form may be for an earlier view (Back, old tab, replay). A repeat of what was
        // already sent changes nothing; an edit (say, a corrected e-mail) rewinds to that view.
        let view_id = match submission.step.as_deref() {
            Some(step) if step != execution.step => {
                if !execution.secrets.visited.iter().any(|v| v == step) {
                    return Ok(Reply::Stale { execution });
                }
                let view = flow
                    .step(step)
                    .ok_or_else(|| EngineError::BrokenFlow(step.to_owned()))?;
                if !execution.is_away()
                    && inputs::repeats_collected(view, &submission.inputs, &execution)
                {
                    return Ok(Reply::Stale { execution });
                }
                step.to_owned()
            }
            _ => execution.step.clone(),
        };
        let view = flow
            .step(&view_id)
            .ok_or_else(|| EngineError::BrokenFlow(view_id.clone()))?;
        let StepKind::View {
            components,
            actions,
        } = &view.kind
        else {
            return Ok(Reply::Stale { execution });
        };
        let action = actions
            .iter()
            .find(|a| a.button == submission.action)
            .ok_or_else(|| EngineError::InvalidAction(submission.action.clone()))?;

        let now = self.now();
        // Secondary and text buttons (resend, back) act without the form's values, so an
        // empty code field does not stop a resend.
        let carries_values = flatten(components)
            .iter()
            .find(|c| c.button_action() == Some(action.button.as_str()))
            .is_none_or(|b| b.variant.is_none_or(|v| v == Variant::Primary));
        let inputs = Inputs::parse(components, &submission.inputs)?;
        let inputs = if carries_values {
            inputs
        } else {
            Inputs::default()
        };
        if submission.too_fast && carries_values {
            if fill_time::applies(&execution, components) {
                fill_time::count("held");
                let values = fill_time::kept_values(components, &inputs);
                return Ok(Reply::Held {
                    execution,
                    view: view_id,
                    values,
                });
            }
            fill_time::count("let_through");
        }
        let (values, mut errors) = if carries_values {
            inputs::validate(
                components,
                &inputs,
                &execution,
                &inputs::FormRules {
                    policy: &self.settings().password_policy,
                    default_region: flow.default_region.as_deref(),
                },
            )
        } else {
            (HashMap::new(), FieldErrors::default())
        };
        // Only self-registration: an invitation's address was chosen by an administrator.
        if execution.flow_type == FlowType::Registration
            && self.settings().refuse_disposable_email
            && errors.get("email").is_none()
            && values.get("email").is_some_and(|e| is_disposable(e))
        {
            errors
                .fields
                .push(("email".into(), FieldError::new("disposable_email")));
        }
        if !errors.is_empty() {
            self.count_refusal(&execution, &view_id, journey.is_stored())
                .await;
            return Ok(Reply::Invalid {
                execution,
                view: view_id,
                errors,
                values,
            });
        }
        inputs::collect(&mut execution, components, &values);
        if view_id != execution.step {
            execution.step = view_id.clone();
            execution.secrets.rewind_to(&view_id);
        }

        let step = StepChange {
            flow: &flow,
            first: &action.next,
            inputs: &inputs,
            read_revision,
            locale,
            client,
            now,
        };
        let (result, notice) = match self
            .run_and_commit(&mut execution, step, Vec::new())
            .await?
        {
            Ok(done) => done,
            Err(CommitOutcome::UserExists) => {
                // Nothing of the change was stored: an unstored journey is still unstored.
                let execution = self.load_journey(journey, None).await?;
                self.count_refusal(&execution, &view_id, journey.is_stored())
                    .await;
                return Ok(Reply::Invalid {
                    execution,
                    view: view_id,
                    errors: FieldErrors::form(FieldError::new("could_not_register")),
                    values,
                });
            }
            Err(_) => {
                return Ok(Reply::Stale {
                    execution: self.load(id).await?,
                });
            }
        };
        Ok(match result {
            TaskResult::Outcome(_) | TaskResult::Away => Reply::Moved { execution, notice },
            TaskResult::Invalid(errors) => {
                self.count_refusal(&execution, &view_id, true).await;
                Reply::Invalid {
                    execution,
                    view: view_id,
                    errors,
                    values,
                }
            }
        })
    }

    /// A form sent back with errors counts in the funnel's figures for its view; losing the
    /// figure must not cost the person the page that tells them what to correct. The funnel
    /// rows of a journey not stored yet may still wait for their batch: written first.
    async fn count_refusal(&self, execution: &Execution, view: &str, stored: bool) {
        let store = &self.inner.store;
        let counted = async {
            if !stored {
                store
                    .record_funnel_starts(std::slice::from_ref(execution))
                    .await?;
            }
            store.record_funnel_refusal(execution, view).await
        };
        if let Err(e) = counted.await {
            tracing::warn!(error = %e, "could not count a refused form in the funnel");
        }
    }

    /// Confirms an e-mailed link (after the person pressed the button on the landing page)
    /// and resumes its execution at the sending task's `verified` outcome.
    pub async fn confirm_link(
        &self,
        raw_token: &str,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Result<Reply, LinkProblem>, EngineError> {
        let now = self.now();
        let hash = LinkToken::hash_of(raw_token);
        let Some(link) = self.inner.store.link(&hash).await? else {
            return Ok(Err(LinkProblem::Unknown));
        };
        if link.used_at.is_some() {
            return Ok(Err(LinkProblem::Used {
                execution: Some(link.execution_id),
            }));
        }
        let execution = match self.load(link.execution_id).await {
            Ok(e) => e,
            Err(EngineError::Expired(e)) => {
                return Ok(Err(LinkProblem::Expired {
                    flow_type: Some(e.flow_type),
                }));
            }
            Err(EngineError::UnknownExecution) => {
                return Ok(Err(LinkProblem::Expired { flow_type: None }));
            }
            Err(e) => return Err(e),
        };
        if link.expires_at <= now {
            self.inner.store.burn_link(&hash, now).await?;
            return Ok(Err(LinkProblem::Expired {
                flow_type: Some(execution.flow_type),
            }));
        }
        if execution.status != ExecutionStatus::Incomplete {
            return Ok(Err(LinkProblem::Used {
                execution: Some(execution.id),
            }));
        }
        // A link proves the address it was sent to, not one typed in since.
        let current_email = execution.attribute("email").map(str::to_lowercase);
        if current_email.as_deref() != Some(link.email_key.as_str()) {
            return Ok(Err(LinkProblem::Expired {
                flow_type: Some(execution.flow_type),
            }));
        }
        let flow = self.flow(execution.flow_id).await?;
        let Some(Step {
            kind: StepKind::Task { next, .. },
            ..
        }) = flow.step(&link.step)
        else {
            return Err(EngineError::BrokenFlow(link.step));
        };
        let Some(target) = next.get("verified").cloned() else {
            return Err(EngineError::BrokenFlow(link.step));
        };
        let mut execution = execution;
        let read_revision = Some(execution.revision);
        execution
            .attributes
            .insert("email_verified".into(), "true".into());
        let effects = vec![
            Effect::ConsumeLink { token_hash: hash },
            Effect::Audit {
                actor: format!("execution:{}", execution.id),
                action: "email.verified_by_link",
                subject: None,
                detail: serde_json::json!({"flowType": execution.flow_type.as_str()}),
            },
        ];
        let step = StepChange {
            flow: &flow,
            first: &target,
            inputs: &Inputs::default(),
            read_revision,
            locale,
            client,
            now,
        };
        let Ok((result, notice)) = self.run_and_commit(&mut execution, step, effects).await? else {
            // Someone else moved the execution on, or took the address, first.
            return Ok(Err(LinkProblem::Used {
                execution: Some(execution.id),
            }));
        };
        Ok(Ok(match result {
            TaskResult::Outcome(_) | TaskResult::Away => Reply::Moved { execution, notice },
            TaskResult::Invalid(errors) => {
                let view = execution.step.clone();
                Reply::Invalid {
                    execution,
                    view,
                    errors,
                    values: HashMap::new(),
                }
            }
        }))
    }

    /// Runs a step change's tasks and commits it with their effects (after `effects`, the
    /// caller's own) if the execution is still at `read_revision`. On success `execution` is
    /// what was stored, revision included; otherwise the store's refusal comes back.
    pub(super) async fn run_and_commit(
        &self,
        execution: &mut Execution,
        step: StepChange<'_>,
        mut effects: Vec<Effect>,
    ) -> Result<Result<(TaskResult, Option<Notice>), CommitOutcome>, EngineError> {
        let StepChange {
            flow,
            first,
            inputs,
            read_revision,
            locale,
            client,
            now,
        } = step;
        let mut notice = None;
        let result = self
            .advance(
                flow,
                execution,
                first,
                inputs,
                &mut effects,
                &mut notice,
                locale,
                client,
                now,
            )
            .await?;
        stamp_audit(&mut effects, execution.id, client);
        execution.expires_at = now + self.settings().execution_idle;
        execution.updated_at = now;
        let before = execution.revision;
        // Stored by its first change, a journey stands at revision 1 as if its start had
        // been stored on its own before: a reply past revision 0 is a stored journey.
        execution.revision = read_revision.map_or(1, |read| read + 1);
        match self
            .commit(execution, read_revision, &mut effects, now)
            .await?
        {
            CommitOutcome::Committed => {}
            refused => {
                execution.revision = before;
                return Ok(Err(refused));
            }
        }
        if execution.status == ExecutionStatus::Complete {
            metrics::counter!("flows_executions_completed_total", "flow_type" => execution.flow_type.as_str()).increment(1);
        }
        Ok(Ok((result, notice)))
    }

    /// Runs tasks from `first` until a view or the end is reached, or a task refuses.
    #[expect(
        clippy::too_many_arguments,
        reason = "the state of one step change, threaded through"
    )]
    pub(super) async fn advance(
        &self,
        flow: &FlowDefinition,
        execution: &mut Execution,
        first: &str,
        inputs: &Inputs,
        effects: &mut Vec<Effect>,
        notice: &mut Option<Notice>,
        locale: Locale,
        client: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<TaskResult, EngineError> {
        let chain_start = effects.len();
        let user_before = execution.user_id;
        let mut current = first.to_owned();
        // A task graph without a view between two tasks could loop; a flow never needs this many.
        for _ in 0..32 {
            let step = flow
                .step(&current)
                .ok_or_else(|| EngineError::BrokenFlow(current.clone()))?;
            match &step.kind {
                StepKind::View { .. } => {
                    metrics::counter!("flows_step_reached_total",
                        "flow_type" => execution.flow_type.as_str(), "step" => current.clone())
                    .increment(1);
                    execution.step = current.clone();
                    execution.secrets.arrive(&current);
                    return Ok(TaskResult::Outcome("view"));
                }
                StepKind::End { .. } => {
                    execution.step = current.clone();
                    execution.status = ExecutionStatus::Complete;
                    effects.push(super::events::event(
                        "flow.completed",
                        serde_json::json!({
                            "flowType": execution.flow_type.as_str(),
                            "userId": execution.user_id.map(|id| id.to_string()),
                        }),
                    ));
                    return Ok(TaskResult::Outcome("end"));
                }
                StepKind::Rule {
                    branches,
                    otherwise,
                } => {
                    let taken = rule::choose(
                        branches,
                        &rule::Facts {
                            attributes: &execution.attributes,
                            locale: locale.tag(),
                        },
                    );
                    metrics::counter!("flows_rule_branch_total",
                        "flow_type" => execution.flow_type.as_str(), "step" => current.clone(),
                        "branch" => taken.map_or_else(|| "otherwise".to_owned(), |i| i.to_string()))
                    .increment(1);
                    effects.push(Effect::BranchTaken {
                        step: current.clone(),
                        branch: taken,
                    });
                    current = taken
                        .and_then(|i| branches.get(i))
                        .map_or(otherwise, |b| &b.next)
                        .clone();
                }
                StepKind::Task {
                    executor,
                    next,
                    extension,
                    connection,
                } => {
                    let mut ctx = TaskContext {
                        execution: &mut *execution,
                        inputs,
                        effects: &mut *effects,
                        now,
                        locale,
                        step_id: &step.id,
                        extension: extension.as_deref(),
                        connection: connection.as_deref(),
                        notice: &mut *notice,
                        client,
                        default_region: flow.default_region.as_deref(),
                    };
                    let task_start = ctx.effects.len();
                    match executors::run(self, *executor, &mut ctx).await? {
                        TaskResult::Away => {
                            execution.step = current.clone();
                            return Ok(TaskResult::Away);
                        }
                        TaskResult::Outcome(outcome) => {
                            current = next
                                .get(outcome)
                                .cloned()
                                .ok_or_else(|| EngineError::BrokenFlow(step.id.clone()))?;
                        }
                        invalid @ TaskResult::Invalid(_) => {
                            // What earlier tasks of this chain did must not outlive the refusal
                            // (an account without its invitation accepted): keep only the
                            // refusing task's own effects and the audit trail.
                            let mut index = 0;
                            effects.retain(|e| {
                                let keep = index < chain_start
                                    || index >= task_start
                                    || matches!(e, Effect::Audit { .. });
                                index += 1;
                                keep
                            });
                            execution.user_id = user_before;
                            return Ok(invalid);
                        }
                    }
                }
            }
        }
        Err(EngineError::BrokenFlow(current))
    }
}

impl Engine {
    /// What is wrong with a link, if anything. Changes nothing, except that a link found
    /// expired stays expired even if the clock is set back.
    pub async fn link_status(&self, raw_token: &str) -> Result<Option<LinkProblem>, EngineError> {
        let now = self.now();
        let hash = LinkToken::hash_of(raw_token);
        let Some(link) = self.inner.store.link(&hash).await? else {
            return Ok(Some(LinkProblem::Unknown));
        };
        if link.used_at.is_some() {
            return Ok(Some(LinkProblem::Used {
                execution: Some(link.execution_id),
            }));
        }
        match self.load(link.execution_id).await {
            Ok(e) if e.status != ExecutionStatus::Incomplete => Ok(Some(LinkProblem::Used {
                execution: Some(e.id),
            })),
            Ok(e) if link.expires_at <= now => {
                self.inner.store.burn_link(&hash, now).await?;
                Ok(Some(LinkProblem::Expired {
                    flow_type: Some(e.flow_type),
                }))
            }
            Ok(_) => Ok(None),
            Err(EngineError::Expired(e)) => Ok(Some(LinkProblem::Expired {
                flow_type: Some(e.flow_type),
            })),
            Err(EngineError::UnknownExecution) => {
                Ok(Some(LinkProblem::Expired { flow_type: None }))
            }
            Err(e) => Err(e),
        }
    }
}
