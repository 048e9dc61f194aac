//! Recovery asked for on someone's behalf: an administrator sends an account's owner the
//! published recovery flow's own mail, as if the owner had typed their address on its first
//! page, so they go on from the mail's link on any device.

use super::inputs::{self, Inputs};
use super::{
    Engine, EngineError, Execution, ExecutionStatus, FlowType, StepKind, TaskResult, flatten,
    stamp_audit,
};
use crate::domain::ExecutionId;
use crate::i18n::Locale;
use crate::store::{AuditEntry, CommitOutcome, Effect, UserRow};
use std::collections::HashMap;

/// Why no recovery mail could be sent on someone's behalf. Nothing was stored or sent then.
#[derive(Debug, PartialEq, Eq)]
pub enum RecoveryRefusal {
    /// Only an active account recovers (the flow would silently send nothing otherwise).
    NotActive,
    NoPublishedFlow,
    FlowDisabled,
    /// The published flow's first page does not ask for an address or username alone.
    NoAddressStep,
    /// The published flow proves the address by a code typed on the page where recovery was
    /// asked, not by a link: a code mailed to someone who never saw that page is useless.
    ProvesByCode,
}

impl Engine {
    /// Starts the published recovery flow for `user` and runs it past its first page with the
    /// account's address, as its owner would; committed only if that mailed a link, with the
    /// audit entry of the administrator `actor` (which names the execution). Returns the execution.
    pub async fn send_recovery_for(
        &self,
        user: &UserRow,
        locale: Locale,
        client: Option<&str>,
        actor: &super::Actor,
    ) -> Result<Result<ExecutionId, RecoveryRefusal>, EngineError> {
        if user.status != "ACTIVE" {
            return Ok(Err(RecoveryRefusal::NotActive));
        }
        let Some((flow_id, enabled)) = self.published(FlowType::PasswordRecovery).await? else {
            return Ok(Err(RecoveryRefusal::NoPublishedFlow));
        };
        if !enabled {
            return Ok(Err(RecoveryRefusal::FlowDisabled));
        }
        let flow = self.flow(flow_id).await?;
        let now = self.now();
        let mut execution = Execution::new(
            ExecutionId::new(),
            flow_id,
            FlowType::PasswordRecovery,
            &flow.start,
            now,
            self.settings().execution_idle,
        );
        let mut effects = Vec::new();
        let mut notice = None;
        let start = flow.start.clone();
        let reached = self
            .advance(
                &flow,
                &mut execution,
                &start,
                &Inputs::default(),
                &mut effects,
                &mut notice,
                locale,
                client,
                now,
            )
            .await?;
        if matches!(reached, TaskResult::Invalid(_))
            || execution.status != ExecutionStatus::Incomplete
        {
            return Ok(Err(RecoveryRefusal::NoAddressStep));
        }
        let Some(StepKind::View {
            components,
            actions,
        }) = flow.step(&execution.step).map(|s| &s.kind)
        else {
            return Ok(Err(RecoveryRefusal::NoAddressStep));
        };
        // The field the owner would type into, and the button that sends it on.
        let all = flatten(components);
        let Some(field) = all
            .iter()
            .filter(|c| c.is_input())
            .find_map(|c| c.attribute().filter(|a| ["login", "email"].contains(a)))
        else {
            return Ok(Err(RecoveryRefusal::NoAddressStep));
        };
        let Some(action) = actions.iter().find(|a| {
            all.iter().any(|c| {
                c.button_action() == Some(a.button.as_str())
                    && c.variant.is_none_or(|v| v == super::Variant::Primary)
            })
        }) else {
            return Ok(Err(RecoveryRefusal::NoAddressStep));
        };
        let raw = HashMap::from([(field.to_owned(), user.email.clone())]);
        let typed = Inputs::parse(components, &raw)?;
        let (values, errors) = inputs::validate(
            components,
            &typed,
            &execution,
            &inputs::FormRules {
                policy: &self.settings().password_policy,
                default_region: flow.default_region.as_deref(),
            },
        );
        if !errors.is_empty() {
            // The page asks for more than the address (a checkbox, say): only its owner can answer.
            return Ok(Err(RecoveryRefusal::NoAddressStep));
        }
        inputs::collect(&mut execution, components, &values);
        let sent_from = effects.len();
        let next = action.next.clone();
        let reached = self
            .advance(
                &flow,
                &mut execution,
                &next,
                &typed,
                &mut effects,
                &mut notice,
                locale,
                client,
                now,
            )
            .await?;
        let mailed_a_link = effects[sent_from..]
            .iter()
            .any(|e| matches!(e, Effect::InsertLink { .. }))
            && effects[sent_from..]
                .iter()
                .any(|e| matches!(e, Effect::Mail(_)));
        if matches!(reached, TaskResult::Invalid(_)) {
            return Ok(Err(RecoveryRefusal::NoAddressStep));
        }
        if !mailed_a_link {
            return Ok(Err(RecoveryRefusal::ProvesByCode));
        }
        let audit: AuditEntry = actor.entry(
            "user.recovery_sent_by_admin",
            format!("user:{}", user.id),
            serde_json::json!({ "execution": execution.id.to_string() }),
        );
        effects.push(Effect::Audit {
            actor: audit.actor,
            action: audit.action,
            subject: audit.subject,
            detail: audit.detail,
        });
        stamp_audit(&mut effects, execution.id, client);
        metrics::counter!("flows_executions_started_total", "flow_type" => FlowType::PasswordRecovery.as_str())
            .increment(1);
        match self.commit(&execution, None, &mut effects, now).await? {
            CommitOutcome::Committed => Ok(Ok(execution.id)),
            _ => Err(EngineError::BrokenFlow(execution.step)),
        }
    }
}
