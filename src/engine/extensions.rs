//! Extensions as owners register them (console, CLI, management API), and the call a
//! `CallExtension` step makes. Registering, listing and removing are owners' acts; the
//! secret is sealed before it is stored and shown once, when Flows makes it.

use super::{Actor, Engine, EngineError};
use crate::domain::SealKey;
use crate::domain::extension::{self as ext, DEFAULT_TIMEOUT_MS, ExtensionProblem, FailurePolicy};
use crate::i18n::Said;
use crate::store::ExtensionRow;
use time::OffsetDateTime;

/// What an owner registers.
#[derive(Debug, Clone, Default)]
pub struct NewExtension {
    pub name: String,
    pub url: String,
    /// Empty: Flows makes one (`whsec_…`) and shows it this once.
    pub secret: String,
    /// `None`: `DEFAULT_TIMEOUT_MS`.
    pub timeout_ms: Option<u32>,
    pub send_attributes: Vec<String>,
    pub may_set: Vec<String>,
    /// `allow` or `deny`; empty is `deny`.
    pub on_failure: String,
    /// The events it receives after the fact (`EVENT_TYPES`).
    pub events: Vec<String>,
}

/// An extension as it may be shown: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub name: String,
    pub url: String,
    pub timeout_ms: u32,
    pub send_attributes: Vec<String>,
    pub may_set: Vec<String>,
    pub on_failure: FailurePolicy,
    pub created_at: OffsetDateTime,
    pub events: Vec<String>,
}

/// A registered extension, ready to call: its secret opened.
pub(crate) struct Callable {
    pub extension: Extension,
    pub url: url::Url,
    pub secret: String,
}

impl From<&ExtensionRow> for Extension {
    fn from(row: &ExtensionRow) -> Self {
        Extension {
            name: row.name.clone(),
            url: row.url.clone(),
            timeout_ms: row.timeout_ms,
            send_attributes: row.send_attributes.clone(),
            may_set: row.may_set.clone(),
            // The table admits nothing else; a changed row fails safe.
            on_failure: FailurePolicy::parse(&row.on_failure).unwrap_or(FailurePolicy::Deny),
            created_at: row.created_at,
            events: row.events.clone(),
        }
    }
}

impl Engine {
    fn seal_key(&self) -> SealKey {
        SealKey::derive(self.otp_key(), "extension secrets")
    }

    /// Registers an extension. `Ok(Some(secret))` when Flows made the secret: it is shown
    /// this once and never again.
    pub async fn add_extension(
        &self,
        new: &NewExtension,
        actor: &Actor,
    ) -> Result<Result<Option<String>, ExtensionProblem>, EngineError> {
        actor.must_own()?;
        let id = uuid::Uuid::now_v7().to_string();
        let (row, made) = match self.checked_row(new, &id) {
            Ok(checked) => checked,
            Err(problem) => return Ok(Err(problem)),
        };
        let name = row.name.clone();
        if !self.store().create_extension(&row).await? {
            return Ok(Err(ExtensionProblem {
                field: "name",
                message: Said::new("ui.refusal.extension.taken").with("name", &name),
            }));
        }
        let entry = actor.entry(
            "extension.added",
            format!("extension:{name}"),
            serde_json::json!({
                "url": row.url,
                "timeoutMs": row.timeout_ms,
                "sendAttributes": row.send_attributes,
                "maySet": row.may_set,
                "onFailure": row.on_failure,
                "events": row.events,
                "secretMadeByFlows": made.is_some(),
            }),
        );
        self.store().audit(&entry, self.now()).await?;
        Ok(Ok(made))
    }

    /// The row an owner's registration makes, checked field by field, with the secret Flows
    /// made for it (to show once) when none was given.
    fn checked_row(
        &self,
        new: &NewExtension,
        id: &str,
    ) -> Result<(ExtensionRow, Option<String>), ExtensionProblem> {
        let name = ext::check_name(&new.name)?;
        let url = ext::check_url(&new.url, self.settings().extension_allow_private)?;
        let timeout_ms = ext::check_timeout(new.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS))?;
        let canonical = super::canonical_attribute;
        let send_attributes =
            ext::check_attributes("send_attributes", &new.send_attributes, canonical)?;
        let may_set = ext::check_attributes("may_set", &new.may_set, canonical)?;
        let on_failure = match new.on_failure.trim() {
            "" => FailurePolicy::Deny,
            other => FailurePolicy::parse(other).ok_or_else(|| ExtensionProblem {
                field: "on_failure",
                message: Said::new("ui.refusal.extension.on_failure"),
            })?,
        };
        let events = ext::check_events(&new.events)?;
        let (secret, made) = match new.secret.trim() {
            "" => {
                let made = ext::new_secret();
                (made.clone(), Some(made))
            }
            given => (ext::check_secret(given)?, None),
        };
        let row = ExtensionRow {
            secret_sealed: self.seal_key().seal(&secret, id),
            id: id.to_owned(),
            name,
            url: url.to_string(),
            timeout_ms,
            send_attributes,
            may_set,
            on_failure: on_failure.as_str().to_owned(),
            created_at: self.now(),
            events,
        };
        Ok((row, made))
    }

    /// Every extension, by name; owners only (their addresses say what the business runs).
    pub async fn extensions(&self, actor: &Actor) -> Result<Vec<Extension>, EngineError> {
        actor.must_own()?;
        Ok(self
            .store()
            .extensions()
            .await?
            .iter()
            .map(Extension::from)
            .collect())
    }

    /// Removes an extension; `false` when there was none of that name. Steps that name it
    /// then apply their failure-time behaviour: they refuse, since nothing can be asked.
    pub async fn remove_extension(&self, name: &str, actor: &Actor) -> Result<bool, EngineError> {
        actor.must_own()?;
        let name = name.trim();
        if !self.store().delete_extension(name).await? {
            return Ok(false);
        }
        let entry = actor.entry(
            "extension.removed",
            format!("extension:{name}"),
            serde_json::json!({}),
        );
        self.store().audit(&entry, self.now()).await?;
        Ok(true)
    }

    /// The extension a step names, ready to call; `None` when there is none of that name or
    /// its secret does not open (another server key): both are failures of the call.
    pub(crate) async fn callable(&self, name: &str) -> Result<Option<Callable>, EngineError> {
        Ok(self
            .store()
            .extension_by_name(name)
            .await?
            .and_then(|row| self.callable_row(&row)))
    }

    /// `row`, ready to call: `None` when its secret does not open or its URL does not parse.
    pub(crate) fn callable_row(&self, row: &ExtensionRow) -> Option<Callable> {
        let Ok(secret) = self.seal_key().open(&row.secret_sealed, &row.id) else {
            tracing::error!(extension = %row.name, "the extension's secret does not open with this server's key");
            return None;
        };
        let url = url::Url::parse(&row.url).ok()?;
        Some(Callable {
            extension: Extension::from(row),
            url,
            secret,
        })
    }
}
