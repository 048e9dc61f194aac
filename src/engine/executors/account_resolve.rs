use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::Email;
use crate::store::Effect;

/// Finds the account a person named when asking for recovery: by e-mail address when the
/// value looks like one, else by username. Found, its address becomes `email` (never shown:
/// recovery pages speak of what the person typed); not found, `email` stays unset and the
/// next steps behave exactly the same, sending nothing.
pub(super) async fn resolve(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let login = ctx
        .execution
        .attribute("login")
        .unwrap_or("")
        .trim()
        .to_owned();
    let store = engine.store();
    let account = match Email::parse(&login) {
        Ok(email) => store.user_by_email(&email.key()).await?,
        Err(_) => store.user_by_username(&login).await?,
    };
    // One entry either way, so the work done tells nothing; the typed value is not kept in
    // it (it may be someone else's address), only the account it named, if any.
    let subject = match account {
        // Only an active account recovers; the others take exactly the unknown path.
        Some(user) if user.status == "ACTIVE" => {
            ctx.execution.attributes.insert("email".into(), user.email);
            Some(format!("user:{}", user.id))
        }
        _ => {
            ctx.execution.attributes.remove("email");
            None
        }
    };
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "recovery.requested",
        subject,
        detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
    });
    Ok(TaskResult::Outcome("success"))
}
