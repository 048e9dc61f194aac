//! Flows and executions. Nothing here knows HTTP: the engine takes an action with its inputs
//! and answers with what to show next; the hosted pages and the JSON API only render that.

mod accounts;
mod actor;
mod applications;
pub mod client_proof;
pub mod diff;
mod drafts;
mod edit;
mod error;
mod executors;
mod fill_time;
mod graph;
mod inputs;
mod invitations;
mod journeys;
mod messages;
mod operators;
mod password_change;
mod recovery;
mod rehash;
mod reports;
pub mod retention;
mod settings;
mod shown;
pub mod starter;
mod stored;
mod texts;
mod view;
pub mod widgets;

pub use accounts::{AdminPasswordChange, AdminRefusal, RemovalRefusal, SignIn};
pub use actor::Actor;
pub use applications::{
    ApplicationDraft, ApplicationRefusal, FieldProblems, MAX_STARTS_PER_MINUTE, Registered,
    starts_problem,
};
pub use client_proof::ProofProblem;
pub use drafts::{DraftProblem, DraftStart, FlowFacts};
pub use edit::{
    ComponentMove, ComponentPatch, Direction, Edit, EditError, NewStepKind, addable_components,
    apply, dangling_if_removed, free_component_id, free_step_id,
};
pub use error::{EngineError, LinkProblem};
// Plain data the store keeps too: they live in `domain`, so the store need not know the engine.
pub use crate::domain::{Execution, ExecutionSecrets, ExecutionStatus, FlowType, OtpState};
pub use graph::{Action, ExecutorName, FlowDefinition, Needs, Problem, Step, StepKind};
pub(crate) use inputs::is_hidden_control;
// `validate_inputs` is public for the fuzz target (fuzz/), which checks forms as `submit` does.
pub use inputs::{FieldErrors, Inputs, validate as validate_inputs};
pub use invitations::{InvitationProblem, InviteError};
pub use operators::{AccountAction, TokenNameRefusal};
pub use password_change::PasswordChange;
pub use recovery::RecoveryRefusal;
pub use rehash::HashOwner;
pub use settings::{EngineSettings, StoredLogo};
pub use shown::{
    Showing, ShownComponent, ShownError, ShownNotice, ShownStep, error_text, heading_level,
    lifetimes,
};
pub use stored::{Draft, FlowVersion};
pub use texts::KeyUse;
pub use view::{
    Component, ComponentConfig, ComponentType, SelectOption, Validation, Variant, autocomplete_for,
    canonical_attribute, flatten,
};

use crate::clock::Clock;
use crate::domain::{ExecutionId, FieldError, FlowVersionId, LinkToken, is_disposable};
use crate::i18n::{Catalogues, Locale};
use crate::mail::Composer;
use crate::password_hash::PasswordHasher;
use crate::store::{CommitOutcome, Effect, Store};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use time::OffsetDateTime;

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

/// Everything an executor may read or change while it runs.
pub(crate) struct TaskContext<'a> {
    pub execution: &'a mut Execution,
    pub inputs: &'a Inputs,
    pub effects: &'a mut Vec<Effect>,
    pub now: OffsetDateTime,
    pub locale: Locale,
    pub step_id: &'a str,
    pub notice: &'a mut Option<Notice>,
}

/// Where a step change on a stored execution starts, and what it runs with.
struct StepChange<'a> {
    flow: &'a FlowDefinition,
    first: &'a str,
    inputs: &'a Inputs,
    read_revision: i64,
    locale: Locale,
    /// The network address the person acts from, for the audit log only.
    client: Option<&'a str>,
    now: OffsetDateTime,
}

pub(crate) enum TaskResult {
    Outcome(&'static str),
    Invalid(FieldErrors),
}

#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    hasher: PasswordHasher,
    /// Message text in force: compiled-in catalogues with the console's overrides on top.
    /// Kept here, not in a global, so each engine (tests run several) has its own.
    messages: Catalogues,
    /// The configuration's settings, under what owners save in the console.
    base_settings: EngineSettings,
    settings: RwLock<Arc<EngineSettings>>,
    logo: RwLock<Option<Arc<settings::StoredLogo>>>,
    /// The store's console revision the settings and texts in force were loaded at; -1
    /// before the first load.
    loaded_revision: std::sync::atomic::AtomicI64,
    otp_key: Vec<u8>,
    /// Flow versions never change once stored, so they are cached forever by id.
    flows: RwLock<HashMap<FlowVersionId, Arc<FlowDefinition>>>,
    /// Raised after a commit that queued mail, so the outbox worker sends it at once.
    mail_queued: Arc<tokio::sync::Notify>,
    /// The breached-password corpus new passwords are checked against, when configured.
    breached: std::sync::OnceLock<crate::breached::BreachedPasswords>,
    /// Executions recently written or read, for SQLite only, where this process is the one server
    /// on its database file. Every write still checks the stored revision, so a stale entry
    /// can only delay what a page shows (by at most `CACHE_TTL`), never change an outcome.
    recent: Option<std::sync::Mutex<RecentExecutions>>,
    /// Client proofs that started a flow here already.
    spent_proofs: client_proof::SpentProofs,
}

const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(2);
const CACHE_ENTRIES: usize = 1024;

type RecentExecutions = HashMap<ExecutionId, (Execution, std::time::Instant)>;

/// Adds a copy to the cache of recent executions, dropping stale ones when it is full.
fn remember(recent: &mut RecentExecutions, execution: Execution) {
    if recent.len() >= CACHE_ENTRIES && !recent.contains_key(&execution.id) {
        recent.retain(|_, (_, at)| at.elapsed() < CACHE_TTL);
        if recent.len() >= CACHE_ENTRIES {
            recent.clear();
        }
    }
    recent.insert(execution.id, (execution, std::time::Instant::now()));
}

/// Every audit entry of an execution's change names the execution and the client address it
/// came from, added here once rather than by each executor. An entry that already names
/// either (an administrator's, with their own address) keeps its own.
fn stamp_audit(effects: &mut [Effect], execution: ExecutionId, client: Option<&str>) {
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
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        hasher: PasswordHasher,
        settings: EngineSettings,
        otp_key: Vec<u8>,
    ) -> Self {
        let store_backend = store.backend();
        Self {
            inner: Arc::new(Inner {
                store,
                clock,
                hasher,
                messages: Catalogues::new(),
                settings: RwLock::new(Arc::new(settings.clone())),
                base_settings: settings,
                logo: RwLock::new(None),
                loaded_revision: std::sync::atomic::AtomicI64::new(-1),
                otp_key,
                flows: RwLock::new(HashMap::new()),
                mail_queued: Arc::new(tokio::sync::Notify::new()),
                breached: std::sync::OnceLock::new(),
                recent: (store_backend == "sqlite").then(|| std::sync::Mutex::new(HashMap::new())),
                spent_proofs: client_proof::SpentProofs::default(),
            }),
        }
    }

    /// Notified whenever committed changes queued mail.
    pub fn mail_queued(&self) -> Arc<tokio::sync::Notify> {
        self.inner.mail_queued.clone()
    }

    async fn commit(
        &self,
        execution: &Execution,
        expected_revision: Option<i64>,
        effects: &[Effect],
        now: OffsetDateTime,
    ) -> Result<CommitOutcome, EngineError> {
        let outcome = self
            .inner
            .store
            .commit(execution, expected_revision, effects, now)
            .await?;
        if outcome == CommitOutcome::Committed
            && effects.iter().any(|e| matches!(e, Effect::Mail(_)))
        {
            self.inner.mail_queued.notify_one();
        }
        if let Some(Ok(mut recent)) = self.inner.recent.as_ref().map(|m| m.lock()) {
            if effects
                .iter()
                .any(|e| matches!(e, Effect::UpdatePassword { .. }))
            {
                // Other executions of the account just ended in the store.
                recent.clear();
            }
            if outcome == CommitOutcome::Committed {
                let mut stored = execution.clone();
                stored.revision = expected_revision.map_or(execution.revision, |r| r + 1);
                remember(&mut recent, stored);
            } else {
                recent.remove(&execution.id);
            }
        }
        Ok(outcome)
    }

    fn recent(&self, id: ExecutionId) -> Option<Execution> {
        let recent = self.inner.recent.as_ref()?.lock().ok()?;
        let (execution, at) = recent.get(&id)?;
        (at.elapsed() < CACHE_TTL).then(|| execution.clone())
    }

    /// Keeps a copy just read from the store, so a refresh of the same step a moment
    /// later costs no round trip to the database (a quarter of a step page's CPU). A
    /// commit that landed while this copy was read has cached a newer revision: kept.
    fn remember_read(&self, execution: &Execution) {
        if let Some(Ok(mut recent)) = self.inner.recent.as_ref().map(|m| m.lock()) {
            let newer = recent
                .get(&execution.id)
                .is_some_and(|(cached, _)| cached.revision > execution.revision);
            if !newer {
                remember(&mut recent, execution.clone());
            }
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }

    /// From now on new passwords are also checked against `corpus` (set once, at start).
    pub fn check_breached_passwords(&self, corpus: crate::breached::BreachedPasswords) {
        let _ = self.inner.breached.set(corpus);
    }

    /// Why a new password is refused (the policy, with the person's own words, then the
    /// breach corpus), or `None`.
    pub async fn new_password_problem(
        &self,
        password: &SecretString,
        personal: &[&str],
    ) -> Option<FieldError> {
        use secrecy::ExposeSecret;
        if let Err(e) = self
            .settings()
            .password_policy
            .check(password.expose_secret(), personal)
        {
            return Some(e);
        }
        self.breached_password(password).await
    }

    /// Whether new passwords are checked against a breached corpus (a rule to show).
    pub fn checks_breached_passwords(&self) -> bool {
        self.inner.breached.get().is_some()
    }

    /// `password_breached` when a new password is in the breached corpus. One that cannot
    /// be checked (the corpus away or slow) goes through, with a warning and a count: the
    /// check adds to the policy, and a third party's outage must not stop registrations.
    async fn breached_password(&self, password: &SecretString) -> Option<FieldError> {
        let corpus = self.inner.breached.get()?;
        match corpus.contains(password).await {
            Ok(true) => {
                metrics::counter!("flows_breached_passwords_refused_total").increment(1);
                Some(FieldError::new("password_breached"))
            }
            Ok(false) => None,
            Err(e) => {
                metrics::counter!("flows_breached_passwords_unchecked_total").increment(1);
                tracing::warn!(error = %e, "breached passwords: not checked, let through");
                None
            }
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.inner.clock.now()
    }

    pub async fn flow(&self, id: FlowVersionId) -> Result<Arc<FlowDefinition>, EngineError> {
        if let Some(found) = self
            .inner
            .flows
            .read()
            .ok()
            .and_then(|m| m.get(&id).cloned())
        {
            return Ok(found);
        }
        let row = self
            .flow_version(id)
            .await?
            .ok_or_else(|| EngineError::BrokenFlow(format!("flow version {id}")))?;
        let def = Arc::new(row.definition);
        if let Ok(mut cache) = self.inner.flows.write() {
            cache.insert(id, def.clone());
        }
        Ok(def)
    }

    /// Publishes the default starter template of each flow type that has no flow yet.
    pub async fn seed_default_flows(&self) -> Result<(), EngineError> {
        for flow_type in FlowType::ALL {
            let Some(template) = starter::default_for(flow_type) else {
                continue;
            };
            let def = template
                .definition()
                .map_err(|e| EngineError::BrokenFlow(e.to_string()))?;
            self.inner
                .store
                .seed_flow(flow_type, &def.to_stored()?, self.now())
                .await?;
        }
        Ok(())
    }

    /// Starts a new execution of the published flow of a type and runs it to its first view.
    pub async fn start(
        &self,
        flow_type: FlowType,
        prefill: HashMap<String, String>,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        let (flow_id, enabled) = self
            .inner
            .store
            .published_flow(flow_type)
            .await?
            .ok_or(EngineError::NoPublishedFlow(flow_type))?;
        if !enabled {
            return Err(EngineError::FlowDisabled(flow_type));
        }
        let flow = self.flow(flow_id).await?;
        let now = self.now();
        let mut execution = Execution::new(
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
                now,
            )
            .await?
        {
            TaskResult::Outcome(_) => {}
            TaskResult::Invalid(_) => return Err(EngineError::BrokenFlow(start)),
        }
        stamp_audit(&mut effects, execution.id, client);
        metrics::counter!("flows_executions_started_total", "flow_type" => flow_type.as_str())
            .increment(1);
        match self.commit(&execution, None, &effects, now).await? {
            CommitOutcome::Committed => Ok(Reply::Moved { execution, notice }),
            _ => Err(EngineError::BrokenFlow(start)),
        }
    }

    /// Loads an execution; an expired one comes back as `EngineError::Expired`.
    pub async fn load(&self, id: ExecutionId) -> Result<Execution, EngineError> {
        let execution = match self.recent(id) {
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
            // The person came back too late: the funnel's "expired", which no execution write
            // would ever record. Losing this figure must not cost them the page that says so.
            if let Err(e) = self.inner.store.record_funnel_expired(&execution).await {
                tracing::warn!(error = %e, "could not record an expiry in the funnel");
            }
            return Err(EngineError::Expired(Box::new(execution)));
        }
        Ok(execution)
    }

    /// Applies a button press with its inputs.
    pub async fn submit(
        &self,
        id: ExecutionId,
        submission: Submission,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        let mut execution = self.load(id).await?;
        let flow = self.flow(execution.flow_id).await?;
        if execution.status != ExecutionStatus::Incomplete {
            return Ok(Reply::Stale { execution });
        }
        let read_revision = execution.revision;

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
                if inputs::repeats_collected(view, &submission.inputs, &execution) {
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
                &self.settings().password_policy,
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
            self.count_refusal(&execution, &view_id).await;
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
                let execution = self.load(id).await?;
                self.count_refusal(&execution, &view_id).await;
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
            TaskResult::Outcome(_) => Reply::Moved { execution, notice },
            TaskResult::Invalid(errors) => {
                self.count_refusal(&execution, &view_id).await;
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
    /// figure must not cost the person the page that tells them what to correct.
    async fn count_refusal(&self, execution: &Execution, view: &str) {
        if let Err(e) = self
            .inner
            .store
            .record_funnel_refusal(execution, view)
            .await
        {
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
        let read_revision = execution.revision;
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
            TaskResult::Outcome(_) => Reply::Moved { execution, notice },
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
    async fn run_and_commit(
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
                now,
            )
            .await?;
        stamp_audit(&mut effects, execution.id, client);
        execution.expires_at = now + self.settings().execution_idle;
        execution.updated_at = now;
        match self
            .commit(execution, Some(read_revision), &effects, now)
            .await?
        {
            CommitOutcome::Committed => {}
            refused => return Ok(Err(refused)),
        }
        execution.revision += 1;
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
    async fn advance(
        &self,
        flow: &FlowDefinition,
        execution: &mut Execution,
        first: &str,
        inputs: &Inputs,
        effects: &mut Vec<Effect>,
        notice: &mut Option<Notice>,
        locale: Locale,
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
                    return Ok(TaskResult::Outcome("end"));
                }
                StepKind::Task { executor, next } => {
                    let mut ctx = TaskContext {
                        execution: &mut *execution,
                        inputs,
                        effects: &mut *effects,
                        now,
                        locale,
                        step_id: &step.id,
                        notice: &mut *notice,
                    };
                    let task_start = ctx.effects.len();
                    match executors::run(self, *executor, &mut ctx).await? {
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
    pub(crate) fn otp_key(&self) -> &[u8] {
        &self.inner.otp_key
    }

    /// A message to `to` as the text in force writes it, under the per-recipient quota:
    /// anyone may start journeys with someone else's address.
    pub(crate) fn compose(
        &self,
        to: &str,
        locale: Locale,
        message: &crate::mail::Message,
    ) -> Result<crate::store::NewMail, EngineError> {
        let settings = self.settings();
        let mut mail = Composer::branded(&settings.branding, &settings.public_url)
            .compose(to, &self.inner.messages.tr(locale), message)
            .map_err(|e| EngineError::Mail(e.to_string()))?;
        mail.quota_per_hour = Some(settings.mail_quota_per_hour);
        Ok(mail)
    }

    /// The message text in force, for pages (`Tr::with`) and the console's message list.
    pub fn messages(&self) -> &Catalogues {
        &self.inner.messages
    }

    /// Reads the stored message overrides and puts them in force, at startup and after every
    /// change in the console. One that no longer parses or names a removed language is left
    /// out and logged, so a bad row never stops pages from rendering.
    pub async fn reload_messages(&self) -> Result<(), EngineError> {
        let rows = self.inner.store.message_overrides().await?;
        let skipped = self.inner.messages.reload(
            rows.iter()
                .map(|r| (r.locale.as_str(), r.key.as_str(), r.value.as_str())),
        );
        for problem in skipped {
            tracing::warn!(%problem, "message override left out");
        }
        Ok(())
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
