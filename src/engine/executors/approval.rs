use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::Email;
use crate::mail::Message;
use crate::store::Effect;

/// The status of an account that waits for an administrator.
pub(crate) const PENDING: &str = "PENDING_APPROVAL";

/// Marks the account this registration creates as waiting for approval, wherever the step
/// stands: before `UserProvisioning` it is created waiting; after it in the same button
/// press, the account queued to be created is changed before anything is written. The person
/// gets a mail saying so, in the commit that creates the account.
pub(super) fn require(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    ctx.execution.secrets.pending_approval = true;
    for effect in ctx.effects.iter_mut() {
        match effect {
            Effect::CreateUser(user) => user.status = PENDING,
            Effect::Event {
                event_type: "user.created",
                data,
            } => data["status"] = PENDING.into(),
            _ => {}
        }
    }
    if let Ok(email) = Email::parse(ctx.execution.attribute("email").unwrap_or("")) {
        let mail = engine.compose(email.as_str(), ctx.locale, &Message::AwaitingApproval)?;
        ctx.effects.push(Effect::Mail(mail));
    }
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "user.approval_required",
        subject: ctx.execution.user_id.map(|id| format!("user:{id}")),
        detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
    });
    Ok(TaskResult::Outcome("success"))
}
