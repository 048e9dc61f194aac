//! Drafts and versions of flows, as acts: start a draft, save an edit, replace it whole,
//! undo, discard, publish, roll back, import and publish, switch a flow on or off. The
//! console, the management API and the CLI call these, so each rule (a draft is published
//! only without problems, a change applies to the revision it was made on, every change is
//! audited with its author) is written once.

use super::{Actor, Draft, Engine, EngineError, FlowDefinition, FlowVersion, Problem};
use crate::domain::FlowType;
use crate::store::{DraftRefusal, TakeBack, VersionSummary};

/// Why a draft act was not done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftProblem {
    /// There is no draft (any more): someone published or discarded it.
    Missing,
    /// The draft changed since it was read; the revision it is at now.
    Stale(Option<i64>),
    /// There is a draft already (one per flow type).
    Exists,
    /// Nothing to undo.
    NothingToUndo,
    /// Publishing refused: the definition has problems.
    Problems {
        revision: Option<i64>,
        problems: Vec<Problem>,
    },
}

/// What a new draft starts from.
pub enum DraftStart {
    /// The published version.
    Published,
    /// A definition (a starter template), and how to name its origin ("template x").
    Definition(FlowDefinition, String),
}

/// What the console and the API show of one flow type.
#[derive(Debug, Clone)]
pub struct FlowFacts {
    /// Newest first.
    pub versions: Vec<VersionSummary>,
    pub draft: Option<Draft>,
    pub enabled: bool,
}

impl FlowFacts {
    pub fn published(&self) -> Option<&VersionSummary> {
        self.versions.iter().find(|v| v.status == "PUBLISHED")
    }
}

fn subject(flow_type: FlowType) -> String {
    format!("flow:{}", flow_type.as_str())
}

fn to_json(def: &FlowDefinition) -> Result<String, EngineError> {
    def.to_stored().map_err(EngineError::from)
}

impl Engine {
    /// Newest first.
    pub async fn flow_versions(
        &self,
        flow_type: FlowType,
    ) -> Result<Vec<VersionSummary>, EngineError> {
        Ok(self.inner.store.flow_versions(flow_type).await?)
    }

    pub async fn flow_facts(&self, flow_type: FlowType) -> Result<FlowFacts, EngineError> {
        Ok(FlowFacts {
            versions: self.inner.store.flow_versions(flow_type).await?,
            draft: self.draft(flow_type).await?,
            enabled: self.inner.store.flow_enabled(flow_type).await?,
        })
    }

    /// The live version of a flow type with its definition, if one is published.
    pub async fn published_version(
        &self,
        flow_type: FlowType,
    ) -> Result<Option<FlowVersion>, EngineError> {
        match self.inner.store.published_flow(flow_type).await? {
            Some((id, _)) => Ok(self.flow_version(id).await?),
            None => Ok(None),
        }
    }

    /// The revision the draft is at now, for an answer that says a change came too late.
    async fn draft_revision(&self, flow_type: FlowType) -> Result<Option<i64>, EngineError> {
        Ok(self.draft(flow_type).await?.map(|d| d.revision))
    }

    /// The store's answer to a change of the draft, a refusal told as the problem it is.
    async fn answer<T>(
        &self,
        flow_type: FlowType,
        stored: Result<T, DraftRefusal>,
    ) -> Result<Result<T, DraftProblem>, EngineError> {
        Ok(match stored {
            Ok(value) => Ok(value),
            Err(DraftRefusal::Missing) => Err(DraftProblem::Missing),
            Err(DraftRefusal::Exists) => Err(DraftProblem::Exists),
            Err(DraftRefusal::Stale) => {
                Err(DraftProblem::Stale(self.draft_revision(flow_type).await?))
            }
        })
    }

    /// Starts the draft of a flow type; the origin in words ("version 3", "template x").
    pub async fn start_draft(
        &self,
        flow_type: FlowType,
        start: DraftStart,
        actor: &Actor,
    ) -> Result<Result<String, Option<DraftProblem>>, EngineError> {
        actor.must_own()?;
        let (definition, from) = match start {
            DraftStart::Published => match self.published_version(flow_type).await? {
                Some(v) => (v.definition, format!("version {}", v.version)),
                // No problem of the draft's own: there is nothing to start from.
                None => return Ok(Err(None)),
            },
            DraftStart::Definition(def, from) => (def, from),
        };
        let entry = actor.entry(
            "flow.draft_started",
            subject(flow_type),
            serde_json::json!({ "from": from }),
        );
        let json = to_json(&definition)?;
        let stored = self
            .inner
            .store
            .create_draft(flow_type, &json, &from, &entry, self.now())
            .await?;
        let answer = self.answer(flow_type, stored).await?;
        Ok(answer.map(|()| from).map_err(Some))
    }

    /// Saves `changed` over the draft as it was at `revision`; `action` and `detail` say
    /// what the edit was, for the audit log. The draft's new revision.
    pub async fn save_draft_edit(
        &self,
        changed: &FlowDefinition,
        revision: i64,
        action: &'static str,
        detail: serde_json::Value,
        actor: &Actor,
    ) -> Result<Result<i64, DraftProblem>, EngineError> {
        actor.must_own()?;
        let flow_type = changed.flow_type;
        let entry = actor.entry(action, subject(flow_type), detail);
        let json = to_json(changed)?;
        let stored = self
            .inner
            .store
            .save_draft(flow_type, &json, revision, &entry, self.now())
            .await?;
        self.answer(flow_type, stored).await
    }

    /// Makes `def` the draft, whatever was there (kept for Undo). With `expected`, only if
    /// the draft is still at that revision. The new revision and the definition's problems.
    pub async fn replace_draft(
        &self,
        def: &FlowDefinition,
        expected: Option<i64>,
        source: &str,
        action: &'static str,
        actor: &Actor,
    ) -> Result<Result<(i64, Vec<Problem>), DraftProblem>, EngineError> {
        actor.must_own()?;
        let flow_type = def.flow_type;
        let problems = def.validate();
        let entry = actor.entry(
            action,
            subject(flow_type),
            serde_json::json!({ "problems": problems.len() }),
        );
        let json = to_json(def)?;
        let now = self.now();
        let revision = match expected {
            // The store's update checks the revision, so two clients cannot both win, and
            // tells a draft gone from one changed.
            Some(wanted) => {
                let stored = self
                    .inner
                    .store
                    .save_draft(flow_type, &json, wanted, &entry, now)
                    .await?;
                match self.answer(flow_type, stored).await? {
                    Ok(revision) => revision,
                    Err(problem) => return Ok(Err(problem)),
                }
            }
            None => {
                self.inner
                    .store
                    .replace_draft(flow_type, &json, source, &entry, now)
                    .await?
            }
        };
        Ok(Ok((revision, problems)))
    }

    /// Undoes the last edit of the draft seen at `revision`, or discards the draft, with its
    /// audit entry; refused when the draft changed since, or there is no edit to undo.
    pub async fn take_back_draft(
        &self,
        what: TakeBack,
        flow_type: FlowType,
        revision: i64,
        actor: &Actor,
    ) -> Result<Result<(), DraftProblem>, EngineError> {
        actor.must_own()?;
        let action = match what {
            TakeBack::LastEdit => "flow.draft_undone",
            TakeBack::Draft => "flow.draft_discarded",
        };
        let entry = actor.entry(action, subject(flow_type), serde_json::json!({}));
        let stored = self
            .inner
            .store
            .take_back_draft(what, flow_type, revision, &entry, self.now())
            .await?;
        match what {
            TakeBack::LastEdit => Ok(stored.map_err(|_| DraftProblem::NothingToUndo)),
            TakeBack::Draft => self.answer(flow_type, stored).await,
        }
    }

    /// Publishes the draft, if it has no problems and (with `expected`) is still at that
    /// revision. The new version's number.
    pub async fn publish_draft(
        &self,
        flow_type: FlowType,
        expected: Option<i64>,
        actor: &Actor,
    ) -> Result<Result<i64, DraftProblem>, EngineError> {
        actor.must_own()?;
        let Some(draft) = self.draft(flow_type).await? else {
            return Ok(Err(DraftProblem::Missing));
        };
        if expected.is_some_and(|wanted| wanted != draft.revision) {
            return Ok(Err(DraftProblem::Stale(Some(draft.revision))));
        }
        let problems = draft.definition.validate();
        if !problems.is_empty() {
            return Ok(Err(DraftProblem::Problems {
                revision: Some(draft.revision),
                problems,
            }));
        }
        let entry = actor.entry(
            "flow.published",
            subject(flow_type),
            serde_json::json!({ "from": draft.source, "revision": draft.revision }),
        );
        let stored = self
            .inner
            .store
            .publish_draft(flow_type, draft.revision, &entry, self.now())
            .await?;
        self.forget_published();
        self.answer(flow_type, stored).await
    }

    /// Publishes an old version's definition again, as a new version; `None` when there is
    /// no such version.
    pub async fn roll_back(
        &self,
        flow_type: FlowType,
        to_version: i64,
        actor: &Actor,
    ) -> Result<Option<i64>, EngineError> {
        actor.must_own()?;
        let entry = actor.entry(
            "flow.rolled_back",
            subject(flow_type),
            serde_json::json!({ "to": to_version }),
        );
        let version = self
            .inner
            .store
            .roll_back_flow(flow_type, to_version, &entry, self.now())
            .await?;
        self.forget_published();
        Ok(version)
    }

    /// Publishes `def` at once, as a new version, leaving any draft as it is: what
    /// `flows flow import` does. Refused with the definition's problems.
    pub async fn import_and_publish(
        &self,
        def: &FlowDefinition,
        source: &str,
        actor: &Actor,
    ) -> Result<Result<i64, DraftProblem>, EngineError> {
        actor.must_own()?;
        let problems = def.validate();
        if !problems.is_empty() {
            return Ok(Err(DraftProblem::Problems {
                revision: None,
                problems,
            }));
        }
        let entry = actor.entry(
            "flow.published",
            subject(def.flow_type),
            serde_json::json!({ "from": source }),
        );
        let json = to_json(def)?;
        let version = self
            .inner
            .store
            .publish_definition(
                def.flow_type,
                &json,
                Some(source.to_owned()),
                &entry,
                self.now(),
            )
            .await?;
        self.forget_published();
        Ok(Ok(version))
    }

    pub async fn set_flow_enabled(
        &self,
        flow_type: FlowType,
        enabled: bool,
        actor: &Actor,
    ) -> Result<(), EngineError> {
        actor.must_own()?;
        let action = if enabled {
            "flow.enabled"
        } else {
            "flow.disabled"
        };
        let entry = actor.entry(action, subject(flow_type), serde_json::json!({}));
        self.inner
            .store
            .set_flow_enabled_audited(flow_type, enabled, &entry, self.now())
            .await?;
        self.forget_published();
        Ok(())
    }
}
