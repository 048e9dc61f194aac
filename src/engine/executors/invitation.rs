use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::FieldError;
use crate::engine::FieldErrors;
use crate::store::Effect;

/// Accepts the invitation this execution came from. The store re-checks it is still
/// pending and unexpired in the same commit that creates the account.
pub(super) async fn accept(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let refused = || {
        Ok(TaskResult::Invalid(FieldErrors::form(FieldError::new(
            "invitation_invalid",
        ))))
    };
    let Some(id) = ctx.execution.attribute("invitation_id").map(str::to_owned) else {
        return refused();
    };
    let Some(invitation) = engine.store().invitation(&id).await? else {
        return refused();
    };
    let same_address = ctx.execution.attribute("email").map(str::to_lowercase)
        == Some(invitation.email_key.clone());
    if invitation.status != "PENDING" || invitation.expires_at <= ctx.now || !same_address {
        return refused();
    }
    ctx.effects
        .push(Effect::AcceptInvitation { id: id.clone() });
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "invitation.accepted",
        subject: Some(format!("invitation:{id}")),
        detail: serde_json::json!({"invitedBy": invitation.invited_by}),
    });
    Ok(TaskResult::Outcome("success"))
}
