//! Extensions as owners register them (console, CLI, management API), and the call a
//! `CallExtension` step makes. Registering, listing and removing are owners' acts; the
//! secret is sealed before it is stored and shown once, when Flows makes it.

use super::{Actor, Engine, EngineError};
use crate::domain::SealKey;
use crate::domain::extension::{self as ext, DEFAULT_TIMEOUT_MS, ExtensionProblem, FailurePolicy};
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
        let allow_private = self.settings().extension_allow_private;
        let checked = (|| {
            let name = ext::check_name(&new.name)?;
            let url = ext::check_url(&new.url, allow_private)?;
            let timeout_ms = ext::check_timeout(new.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS))?;
            let send_attributes = ext::check_attributes("send_attributes", &new.send_attributes)?;
            let may_set = ext::check_attributes("may_set", &new.may_set)?;
            let on_failure = match new.on_failure.trim() {
                "" => FailurePolicy::Deny,
                other => FailurePolicy::parse(other).ok_or(ExtensionProblem {
                    field: "on_failure",
                    message: "Choose allow or deny.".into(),
                })?,
            };
            let secret = match new.secret.trim() {
                "" => None,
                given => Some(ext::check_secret(given)?),
            };
            Ok((
                name,
                url,
                timeout_ms,
                send_attributes,
                may_set,
                on_failure,
                secret,
            ))
        })();
        let (name, url, timeout_ms, send_attributes, may_set, on_failure, secret) = match checked {
            Ok(c) => c,
            Err(problem) => return Ok(Err(problem)),
        };
        let made = secret.is_none();
        let secret = secret.unwrap_or_else(ext::new_secret);
        let id = uuid::Uuid::now_v7().to_string();
        let row = ExtensionRow {
            secret_sealed: self.seal_key().seal(&secret, &id),
            id,
            name: name.clone(),
            url: url.to_string(),
            timeout_ms,
            send_attributes: send_attributes.clone(),
            may_set: may_set.clone(),
            on_failure: on_failure.as_str().to_owned(),
            created_at: self.now(),
        };
        if !self.store().create_extension(&row).await? {
            return Ok(Err(ExtensionProblem {
                field: "name",
                message: format!("There is already an extension called '{name}'."),
            }));
        }
        let entry = actor.entry(
            "extension.added",
            format!("extension:{name}"),
            serde_json::json!({
                "url": row.url,
                "timeoutMs": timeout_ms,
                "sendAttributes": send_attributes,
                "maySet": may_set,
                "onFailure": on_failure.as_str(),
                "secretMadeByFlows": made,
            }),
        );
        self.store().audit(&entry, self.now()).await?;
        Ok(Ok(made.then_some(secret)))
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
        let Some(row) = self.store().extension_by_name(name).await? else {
            return Ok(None);
        };
        let Ok(secret) = self.seal_key().open(&row.secret_sealed, &row.id) else {
            tracing::error!(extension = %row.name, "the extension's secret does not open with this server's key");
            return Ok(None);
        };
        let Ok(url) = url::Url::parse(&row.url) else {
            return Ok(None);
        };
        Ok(Some(Callable {
            extension: Extension::from(&row),
            url,
            secret,
        }))
    }
}
