//! Client applications of the Flow Execution API, as acts: register, change, delete, and
//! require (or stop requiring) a signed proof from the application's clients. The console
//! and the CLI call these, so both check the same things and write the same audit entries.

use super::client_proof::{self, ProofProblem};
use super::{Actor, Engine, EngineError};
use crate::domain::{parse_origin, parse_return_url};
use crate::i18n::Said;
use crate::store::{ApplicationRow, ProofNonces};
use time::Duration;

/// The most new flows per minute an application's own limit may allow.
pub const MAX_STARTS_PER_MINUTE: u32 = 100_000;
const MAX_NAME_CHARS: usize = 100;

/// An application as typed in the console or on the command line.
#[derive(Debug, Clone, Default)]
pub struct ApplicationDraft {
    pub name: String,
    pub return_url: String,
    /// One origin each, as typed; empty ones are left out.
    pub origins: Vec<String>,
    pub starts_per_minute: u32,
}

/// (field, message) for each field refused: `name`, `return_url`, `origins`,
/// `starts_per_minute`. The console words the message in its language, the CLI in English.
pub type FieldProblems = Vec<(&'static str, Said)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationRefusal {
    Fields(FieldProblems),
    /// No application has that id (deleted meanwhile, or never was).
    Gone,
}

/// A registered application and, when it requires a proof, its key: shown this once.
#[derive(Debug, Clone)]
pub struct Registered {
    pub app: ApplicationRow,
    pub key: Option<String>,
}

struct Checked {
    name: String,
    return_url: String,
    origins: Vec<String>,
    starts_per_minute: u32,
}

impl ApplicationDraft {
    /// What the acts would refuse, for a form that found a problem of its own first (a
    /// limit that is not a number) and shows every problem at once.
    pub fn problems(&self) -> FieldProblems {
        match self.checked() {
            Err(ApplicationRefusal::Fields(problems)) => problems,
            _ => FieldProblems::new(),
        }
    }

    fn checked(&self) -> Result<Checked, ApplicationRefusal> {
        let mut problems = FieldProblems::new();
        let name = self.name.trim().to_owned();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            problems.push((
                "name",
                Said::new("ui.refusal.application.name").with("max", MAX_NAME_CHARS),
            ));
        }
        let return_url = parse_return_url(&self.return_url)
            .map_err(|e| problems.push(("return_url", e)))
            .unwrap_or_default();
        let mut origins = Vec::new();
        for raw in self
            .origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
        {
            match parse_origin(raw) {
                Ok(o) if !origins.contains(&o) => origins.push(o),
                Ok(_) => {}
                Err(e) => {
                    problems.push(("origins", e));
                    break;
                }
            }
        }
        if self.starts_per_minute > MAX_STARTS_PER_MINUTE {
            problems.push(("starts_per_minute", starts_problem()));
        }
        if problems.is_empty() {
            Ok(Checked {
                name,
                return_url,
                origins,
                starts_per_minute: self.starts_per_minute,
            })
        } else {
            Err(ApplicationRefusal::Fields(problems))
        }
    }
}

/// The message beside a limit that is not a whole number in bounds.
pub fn starts_problem() -> Said {
    Said::new("ui.refusal.application.starts").with("max", MAX_STARTS_PER_MINUTE)
}

fn name_taken() -> ApplicationRefusal {
    ApplicationRefusal::Fields(vec![("name", Said::new("ui.refusal.application.taken"))])
}

fn subject(app: &ApplicationRow) -> String {
    format!("application:{}", app.id)
}

impl Engine {
    pub async fn applications(&self) -> Result<Vec<ApplicationRow>, EngineError> {
        Ok(self.inner.store.applications().await?)
    }

    pub async fn application(&self, id: &str) -> Result<Option<ApplicationRow>, EngineError> {
        Ok(self.inner.store.application(id).await?)
    }

    /// By id, or else by name: what a person types on the command line.
    pub async fn application_named(
        &self,
        id_or_name: &str,
    ) -> Result<Option<ApplicationRow>, EngineError> {
        match self.inner.store.application(id_or_name).await? {
            Some(app) => Ok(Some(app)),
            None => Ok(self.inner.store.application_by_name(id_or_name).await?),
        }
    }

    pub async fn register_application(
        &self,
        draft: &ApplicationDraft,
        require_proof: bool,
        actor: &Actor,
    ) -> Result<Result<Registered, ApplicationRefusal>, EngineError> {
        actor.must_own()?;
        let checked = match draft.checked() {
            Ok(c) => c,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let now = self.now();
        let app = ApplicationRow {
            id: uuid::Uuid::new_v4().simple().to_string(),
            name: checked.name,
            allowed_origins: checked.origins,
            return_url: checked.return_url,
            created_at: now,
            starts_per_minute: checked.starts_per_minute,
            proof: require_proof.then(|| ProofNonces {
                current: client_proof::new_nonce(),
                previous: None,
                changed_at: now,
            }),
        };
        if !self.inner.store.create_application(&app).await? {
            return Ok(Err(name_taken()));
        }
        let entry = actor.entry(
            "application.created",
            subject(&app),
            serde_json::json!({
                "name": app.name,
                "origins": app.allowed_origins,
                "startsPerMinute": app.starts_per_minute,
                "proofRequired": require_proof,
            }),
        );
        self.inner.store.audit(&entry, now).await?;
        let key = app
            .proof
            .as_ref()
            .map(|p| self.proof_key(&app.id, &p.current));
        Ok(Ok(Registered { app, key }))
    }

    /// Its name, return URL, origins and limit; its id and proof stay as they are.
    pub async fn change_application(
        &self,
        id: &str,
        draft: &ApplicationDraft,
        actor: &Actor,
    ) -> Result<Result<ApplicationRow, ApplicationRefusal>, EngineError> {
        actor.must_own()?;
        let checked = match draft.checked() {
            Ok(c) => c,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let Some(before) = self.inner.store.application(id).await? else {
            return Ok(Err(ApplicationRefusal::Gone));
        };
        let app = ApplicationRow {
            name: checked.name,
            allowed_origins: checked.origins,
            return_url: checked.return_url,
            starts_per_minute: checked.starts_per_minute,
            ..before.clone()
        };
        match self.inner.store.update_application(&app).await? {
            None => return Ok(Err(name_taken())),
            Some(false) => return Ok(Err(ApplicationRefusal::Gone)),
            Some(true) => {}
        }
        let entry = actor.entry(
            "application.changed",
            subject(&app),
            serde_json::json!({
                "name": app.name,
                "before": {
                    "name": before.name,
                    "returnUrl": before.return_url,
                    "origins": before.allowed_origins,
                    "startsPerMinute": before.starts_per_minute,
                },
                "returnUrl": app.return_url,
                "origins": app.allowed_origins,
                "startsPerMinute": app.starts_per_minute,
            }),
        );
        self.inner.store.audit(&entry, self.now()).await?;
        Ok(Ok(app))
    }

    /// Requires a proof from the application's clients, with a new key, returned this once
    /// with the application as it now is.
    /// If it required one already, the key before keeps working for
    /// `PREVIOUS_KEY_HOURS`, so its clients can change over without a refused call.
    pub async fn new_application_key(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Result<(ApplicationRow, String), ApplicationRefusal>, EngineError> {
        actor.must_own()?;
        let Some(app) = self.inner.store.application(id).await? else {
            return Ok(Err(ApplicationRefusal::Gone));
        };
        let now = self.now();
        let nonces = ProofNonces {
            current: client_proof::new_nonce(),
            previous: app.proof.as_ref().map(|p| p.current.clone()),
            changed_at: now,
        };
        let action = if app.proof.is_some() {
            "application.key_replaced"
        } else {
            "application.proof_required"
        };
        let key = self.proof_key(&app.id, &nonces.current);
        let stored = self
            .set_proof(app, Some(nonces), action, actor, now)
            .await?;
        Ok(stored.map(|app| (app, key)))
    }

    /// Its clients need no proof any more; its keys stop working at once.
    pub async fn drop_application_proof(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Result<ApplicationRow, ApplicationRefusal>, EngineError> {
        actor.must_own()?;
        let Some(app) = self.inner.store.application(id).await? else {
            return Ok(Err(ApplicationRefusal::Gone));
        };
        if app.proof.is_none() {
            return Ok(Ok(app));
        }
        self.set_proof(app, None, "application.proof_dropped", actor, self.now())
            .await
    }

    /// Stores the application's proof nonces (`None`: its clients need no proof), audited as
    /// `action`; refused when the application is gone meanwhile.
    async fn set_proof(
        &self,
        app: ApplicationRow,
        proof: Option<ProofNonces>,
        action: &'static str,
        actor: &Actor,
        now: time::OffsetDateTime,
    ) -> Result<Result<ApplicationRow, ApplicationRefusal>, EngineError> {
        let store = &self.inner.store;
        if !store.set_application_proof(&app.id, proof.as_ref()).await? {
            return Ok(Err(ApplicationRefusal::Gone));
        }
        self.audit_named(actor, action, &app, now).await?;
        Ok(Ok(ApplicationRow { proof, ..app }))
    }

    pub async fn delete_application(
        &self,
        id: &str,
        actor: &Actor,
    ) -> Result<Result<ApplicationRow, ApplicationRefusal>, EngineError> {
        actor.must_own()?;
        let Some(app) = self.inner.store.application(id).await? else {
            return Ok(Err(ApplicationRefusal::Gone));
        };
        if !self.inner.store.delete_application(&app.id).await? {
            return Ok(Err(ApplicationRefusal::Gone));
        }
        self.audit_named(actor, "application.deleted", &app, self.now())
            .await?;
        Ok(Ok(app))
    }

    /// Audits `action` on `app`, with its name as it was then.
    async fn audit_named(
        &self,
        actor: &Actor,
        action: &'static str,
        app: &ApplicationRow,
        now: time::OffsetDateTime,
    ) -> Result<(), EngineError> {
        let detail = serde_json::json!({ "name": app.name });
        let entry = actor.entry(action, subject(app), detail);
        Ok(self.inner.store.audit(&entry, now).await?)
    }

    /// Whether a call to `app`'s flow carries a good proof (see `client_proof`). `subject`
    /// is the flow type of a start, or the flow id of a later call; a start's proof is spent
    /// on first use. Refusals are counted by reason.
    pub fn check_client_proof(
        &self,
        app: &ApplicationRow,
        header: Option<&str>,
        subject: &str,
        start: bool,
    ) -> Result<(), ProofProblem> {
        let Some(nonces) = &app.proof else {
            return Ok(());
        };
        let now = self.now();
        let mut keys = vec![self.proof_key(&app.id, &nonces.current)];
        if let Some(previous) = &nonces.previous
            && now - nonces.changed_at <= Duration::hours(client_proof::PREVIOUS_KEY_HOURS)
        {
            keys.push(self.proof_key(&app.id, previous));
        }
        let checked = client_proof::verify(header, &keys, subject, now.unix_timestamp()).and_then(
            |signature| {
                if !start
                    || self
                        .inner
                        .spent_proofs
                        .spend(signature, now.unix_timestamp())
                {
                    Ok(())
                } else {
                    Err(ProofProblem::Spent)
                }
            },
        );
        if let Err(problem) = checked {
            metrics::counter!("flows_client_proof_refused_total", "reason" => problem.as_str())
                .increment(1);
        }
        checked
    }

    fn proof_key(&self, app_id: &str, nonce: &str) -> String {
        client_proof::derive_key(&self.inner.otp_key, app_id, nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, Tr};

    #[test]
    fn every_problem_of_a_draft_is_a_whole_sentence_in_english_and_french() {
        let draft = ApplicationDraft {
            name: " ".into(),
            return_url: "http://shop.example/".into(),
            origins: vec!["shop.example".into()],
            starts_per_minute: MAX_STARTS_PER_MINUTE + 1,
        };
        let mut problems = draft.problems();
        assert_eq!(
            problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            ["name", "return_url", "origins", "starts_per_minute"]
        );
        assert_eq!(
            problems[3].1.english(),
            "Write a whole number from 0 (no limit of its own) to 100000."
        );
        assert_eq!(
            problems[0].1.english(),
            "Give the application a name of up to 100 characters."
        );
        let ApplicationRefusal::Fields(taken) = name_taken() else {
            unreachable!()
        };
        problems.extend(taken);
        let fr = Tr::new(Locale::from_tag("fr").unwrap());
        for (_, said) in &problems {
            assert!(said.faults().is_empty(), "{:?}", said.faults());
            assert_ne!(said.in_(&fr), said.english());
        }
    }
}
