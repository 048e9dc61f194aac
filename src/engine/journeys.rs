//! What the hosted pages need of a journey beyond starting and submitting it: the audit of
//! a post refused as a bot's, what a restarted journey keeps, and the account a finished
//! one made (which the pages then sign in).

use super::{Engine, EngineError, Execution, ExecutionId, FlowType};
use crate::store::{AuditEntry, UserRow};
use std::collections::HashMap;

/// What a journey started again keeps of the one before: the person's profile as typed,
/// never a proof (a verified address, an accepted term).
const NOT_KEPT_ON_RESTART: [&str; 2] = ["email_verified", "terms"];

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

    /// The account a journey made or proved, if it has one.
    pub async fn account_of(&self, execution: &Execution) -> Result<Option<UserRow>, EngineError> {
        match execution.user_id {
            Some(id) => Ok(self.inner.store.user_by_id(id).await?),
            None => Ok(None),
        }
    }
}
