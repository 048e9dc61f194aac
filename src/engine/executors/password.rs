use super::super::inputs::personal_values;
use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::FieldError;
use crate::engine::FieldErrors;
use crate::password_hash::Priority;

/// A password chosen once the address is proven (after a code or link, or on an invitation)
/// finishes a journey; one typed on a first form starts one, and is shed first.
fn priority(ctx: &TaskContext<'_>) -> Priority {
    if ctx.execution.attribute("email_verified") == Some("true") {
        Priority::Finish
    } else {
        Priority::Start
    }
}

/// Checks the password against the policy (again: the view may lack the rule) and keeps only
/// its Argon2id hash until the account is created.
pub(super) async fn onboard(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let Some(password) = ctx.inputs.secret("password") else {
        return Ok(TaskResult::Invalid(FieldErrors::field(
            "password",
            FieldError::new("required"),
        )));
    };
    let personal = personal_values(ctx.inputs, ctx.execution);
    let refs: Vec<&str> = personal.iter().map(String::as_str).collect();
    if let Some(e) = engine.new_password_problem(password, &refs).await {
        return Ok(TaskResult::Invalid(FieldErrors::field("password", e)));
    }
    ctx.execution.secrets.password_hash =
        Some(engine.hasher().at(priority(ctx)).hash(password).await?);
    Ok(TaskResult::Outcome("success"))
}
