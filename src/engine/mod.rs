//! Flows and executions. Nothing here knows HTTP: the engine takes an action with its inputs
//! and answers with what to show next; the hosted pages and the JSON API only render that.

mod accounts;
mod actor;
mod applications;
mod approvals;
#[cfg(test)]
mod cache_tests;
pub mod client_proof;
mod connections;
pub mod diff;
mod drafts;
mod edit;
mod error;
mod events;
mod executors;
mod extensions;
mod fill_time;
mod graph;
mod inputs;
mod invitation_batch;
mod invitations;
mod journeys;
mod mail_handoff;
mod message_files;
mod messages;
mod operators;
mod password_change;
mod published;
mod recovery;
mod rehash;
mod reports;
pub mod retention;
pub mod rule;
mod settings;
mod shown;
mod sign_in;
mod social;
pub mod starter;
mod starts;
mod stored;
mod text_index;
mod texts;
mod today;
mod view;
pub mod widgets;

pub use crate::store::TakeBack;
pub use accounts::{AdminPasswordChange, AdminRefusal, RemovalRefusal, SignIn};
pub use actor::{Actor, Role};
pub use applications::{
    ApplicationDraft, ApplicationRefusal, FieldProblems, MAX_STARTS_PER_MINUTE, Registered,
    starts_problem,
};
pub use approvals::{Decided, Decision, MAX_REASON_CHARS, ReasonProblem};
pub use client_proof::ProofProblem;
pub use connections::{Connection, ConnectionProblem, NewConnection, PRESETS};
pub use drafts::{DraftProblem, DraftStart, FlowFacts};
pub use edit::{
    ComponentMove, ComponentPatch, Direction, Edit, EditError, NewStepKind, addable_components,
    apply, dangling_if_removed, free_component_id, free_step_id,
};
pub use error::{EngineError, LinkProblem};
pub use extensions::{Extension, NewExtension};
pub use social::Callback;
// Plain data the store keeps too: they live in `domain`, so the store need not know the engine.
pub use crate::domain::{Execution, ExecutionSecrets, ExecutionStatus, FlowType, OtpState};
pub use graph::{Action, ExecutorName, FlowDefinition, Needs, Problem, Step, StepKind};
pub(crate) use inputs::is_hidden_control;
// `validate_inputs` is public for the fuzz target (fuzz/), which checks forms as `submit` does.
pub use inputs::{FieldErrors, FormRules, Inputs, validate as validate_inputs};
pub use invitation_batch::{
    BatchInvite, BatchOutcome, BatchReason, BatchRefusal, MAX_BATCH, MAX_VALUE,
};
pub use invitations::{InvitationProblem, InviteError, PREFILLABLE, invitation_locale};
use journeys::stamp_audit;
pub use journeys::{Notice, Reply, Submission};
pub use message_files::{ImportReport, text_change};
pub use operators::{AccountAction, AccountsReport, TokenNameRefusal};
pub use password_change::PasswordChange;
pub use recovery::RecoveryRefusal;
pub use rehash::HashOwner;
pub use settings::{EngineSettings, StoredLogo};
pub use shown::{
    Showing, ShownComponent, ShownError, ShownNotice, ShownStep, error_text, heading_level,
    lifetimes,
};
pub use starts::{Journey, UnstoredStart};
pub use stored::{Draft, FlowVersion};
pub use text_index::{FoundText, TextGroup, TextIndex, TextQuery};
pub use texts::{KeyUse, step_message_keys};
pub use today::{FunnelDrop, Today, funnel_drop};
pub use view::{
    Component, ComponentConfig, ComponentType, SelectOption, Validation, Variant, autocomplete_for,
    canonical_attribute, flatten,
};

use crate::clock::Clock;
use crate::domain::{ExecutionId, FieldError, FlowVersionId};
use crate::i18n::{Catalogues, Locale};
use crate::mail::Composer;
use crate::password_hash::PasswordHasher;
use crate::store::{CommitOutcome, Effect, Store};
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use time::OffsetDateTime;

/// Everything an executor may read or change while it runs.
pub(crate) struct TaskContext<'a> {
    pub execution: &'a mut Execution,
    pub inputs: &'a Inputs,
    pub effects: &'a mut Vec<Effect>,
    pub now: OffsetDateTime,
    pub locale: Locale,
    pub step_id: &'a str,
    /// The extension the step names (`CallExtension`).
    pub extension: Option<&'a str>,
    /// The connection the step names (`OpenIdConnect`).
    pub connection: Option<&'a str>,
    pub notice: &'a mut Option<Notice>,
    /// The address of the client that asked, when known: what per-client limits count by.
    pub client: Option<&'a str>,
    /// The flow's region for phone numbers (`defaultRegion`): where text messages may go
    /// unless the settings name the countries.
    pub default_region: Option<&'a str>,
}

pub(crate) enum TaskResult {
    Outcome(&'static str),
    Invalid(FieldErrors),
    /// The person is sent away (to sign in at a provider): the execution waits at this task,
    /// which runs again when they come back.
    Away,
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
    /// The version of each type that journeys start on (`published`).
    published: RwLock<published::PublishedFlows>,
    /// Accounts this instance's commits created a moment ago (`sign_in_of`).
    created: std::sync::Mutex<sign_in::CreatedAccounts>,
    /// Raised after a commit that queued mail, so the outbox worker sends it at once.
    mail_queued: Arc<tokio::sync::Notify>,
    /// This instance's mail worker, when it takes journeys' mail straight from their commit
    /// (`hand_mail_to`).
    mail_handoff: std::sync::OnceLock<mail_handoff::MailHandoff>,
    sms_queued: Arc<tokio::sync::Notify>,
    /// Raised when another instance commits a console change (PostgreSQL only).
    console_changed: Arc<tokio::sync::Notify>,
    /// The breached-password corpus new passwords are checked against, when configured.
    breached: std::sync::OnceLock<crate::breached::BreachedPasswords>,
    /// Executions recently written or read here. Every write still checks the stored
    /// revision, so a stale entry can only delay what a page shows (by at most `CACHE_TTL`),
    /// never change an outcome. On SQLite this process is the one server on its database
    /// file, so every read may use it; on PostgreSQL other instances write too, so only a
    /// page view may, and only from an entry at least as new as the revision that person
    /// last saw committed (`load_to_show`).
    recent: std::sync::Mutex<RecentExecutions>,
    /// Whether this process is the only writer of its database (SQLite).
    only_writer: bool,
    /// Client proofs that started a flow here already.
    spent_proofs: client_proof::SpentProofs,
    /// The password policy in words, per language: composing it through Fluent cost more
    /// than the rest of an API answer (the load bench's continue call).
    password_rules: std::sync::Mutex<Vec<shown::RulesInWords>>,
    /// Journeys shown their first page and not stored, for the funnel's next batch.
    waiting_starts: starts::WaitingStarts,
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

impl Engine {
    /// An engine on `store` with the real clock, default settings and a cheap hasher: what
    /// the engine's own tests act through.
    #[cfg(test)]
    pub(crate) fn for_tests(store: Store) -> Engine {
        use crate::password_hash::HashParams;
        let hasher = PasswordHasher::new(HashParams::default(), 1, 16).unwrap();
        let clock = Arc::new(crate::clock::SystemClock);
        Engine::new(store, clock, hasher, EngineSettings::default(), vec![0; 32])
    }

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
                published: RwLock::default(),
                created: std::sync::Mutex::default(),
                mail_queued: Arc::new(tokio::sync::Notify::new()),
                mail_handoff: std::sync::OnceLock::new(),
                sms_queued: Arc::new(tokio::sync::Notify::new()),
                console_changed: Arc::new(tokio::sync::Notify::new()),
                breached: std::sync::OnceLock::new(),
                recent: std::sync::Mutex::new(HashMap::new()),
                only_writer: store_backend == "sqlite",
                spent_proofs: client_proof::SpentProofs::default(),
                password_rules: std::sync::Mutex::new(Vec::new()),
                waiting_starts: starts::WaitingStarts::default(),
            }),
        }
    }

    /// Notified whenever committed changes queued mail.
    pub fn mail_queued(&self) -> Arc<tokio::sync::Notify> {
        self.inner.mail_queued.clone()
    }

    /// Notified whenever committed changes queued a text message.
    pub fn sms_queued(&self) -> Arc<tokio::sync::Notify> {
        self.inner.sms_queued.clone()
    }

    /// Notified when another instance commits a console change (`listen_for_changes`).
    pub fn console_changed(&self) -> Arc<tokio::sync::Notify> {
        self.inner.console_changed.clone()
    }

    /// On PostgreSQL, mail queued by any instance wakes this one's worker at once, and a
    /// console change saved on any instance wakes `console_changed`; `None` where this
    /// process is the only writer (SQLite).
    pub fn listen_for_changes(&self) -> Option<tokio::task::JoinHandle<()>> {
        self.inner.store.listen(crate::store::Wakes {
            mail: self.mail_queued(),
            console: self.console_changed(),
        })
    }

    /// Writes `execution` as it is to be stored, its new revision included, with `effects`:
    /// an update from `expected_revision`, or an insert when `None`.
    async fn commit(
        &self,
        execution: &Execution,
        expected_revision: Option<i64>,
        effects: &mut [Effect],
        now: OffsetDateTime,
    ) -> Result<CommitOutcome, EngineError> {
        let handoff = self.lease_mail(effects, now);
        let outcome = self
            .inner
            .store
            .commit(execution, expected_revision, effects, now)
            .await?;
        if outcome == CommitOutcome::Committed {
            self.note_created_accounts(effects);
            match handoff {
                Some(permits) => {
                    let handed = effects.iter().filter_map(|e| match e {
                        Effect::Mail(mail) => mail.handed(now),
                        _ => None,
                    });
                    for (permit, mail) in permits.zip(handed) {
                        permit.send(mail);
                    }
                }
                None if effects.iter().any(|e| matches!(e, Effect::Mail(_))) => {
                    self.inner.mail_queued.notify_one();
                }
                None => {}
            }
        }
        if outcome == CommitOutcome::Committed
            && effects.iter().any(|e| matches!(e, Effect::Sms(_)))
        {
            self.inner.sms_queued.notify_one();
        }
        if let Ok(mut recent) = self.inner.recent.lock() {
            if effects
                .iter()
                .any(|e| matches!(e, Effect::UpdatePassword { .. }))
            {
                // Other executions of the account just ended in the store.
                recent.clear();
            }
            if outcome == CommitOutcome::Committed {
                remember(&mut recent, execution.clone());
            } else {
                recent.remove(&execution.id);
            }
        }
        Ok(outcome)
    }

    /// The cached copy of an execution, when this read may use it: on the only writer
    /// always; elsewhere only for a page view (`seen`) and when the copy is at least as new
    /// as the revision the person last saw committed, on whichever instance.
    fn recent(&self, id: ExecutionId, seen: Option<i64>) -> Option<Execution> {
        let recent = self.inner.recent.lock().ok()?;
        let (execution, at) = recent.get(&id)?;
        let current = self.inner.only_writer || seen.is_some_and(|r| execution.revision >= r);
        (current && at.elapsed() < CACHE_TTL).then(|| execution.clone())
    }

    /// Keeps a copy just read from the store, so a refresh of the same step a moment
    /// later costs no round trip to the database (a quarter of a step page's CPU). A
    /// commit that landed while this copy was read has cached a newer revision: kept.
    fn remember_read(&self, execution: &Execution) {
        if let Ok(mut recent) = self.inner.recent.lock() {
            let newer = recent
                .get(&execution.id)
                .is_some_and(|(cached, _)| cached.revision > execution.revision);
            if !newer {
                remember(&mut recent, execution.clone());
            }
        }
    }

    /// For the start-up wiring only: it hands the store to the outbox worker, which sends what
    /// the engine's commits queued and decides nothing.
    pub(crate) fn store(&self) -> &Store {
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
        self.forget_published();
        Ok(())
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

    /// A text message to `to` (E.164), queued under the per-number quota and counted for
    /// the pumping limits by its range and by `client`.
    pub(crate) fn compose_sms(
        &self,
        to: &str,
        locale: Locale,
        message: &crate::sms::SmsMessage,
        client: Option<&str>,
    ) -> crate::store::NewSms {
        let settings = self.settings();
        let origin = url::Url::parse(&settings.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned));
        crate::store::NewSms {
            recipient: to.to_owned(),
            body: message.body(
                &self.inner.messages.tr(locale),
                &settings.branding.product_name,
                origin.as_deref(),
            ),
            kind: message.kind(),
            quota_per_hour: settings.sms_quota_per_hour,
            prefix_key: crate::sms::prefix_of(to),
            client_key: client.map(str::to_owned),
        }
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
