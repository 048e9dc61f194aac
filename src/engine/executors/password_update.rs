use super::super::inputs::personal_values;
use super::{Engine, EngineError, TaskContext, TaskResult, login_urls};
use crate::domain::{Email, FieldError};
use crate::engine::FieldErrors;
use crate::mail::Message;
use crate::store::Effect;

/// Sets the new password of the account whose address this execution proved. The change,
/// the sign-out of every session (auth version bump), the end of other recovery links and the
/// "password changed" e-mail commit together.
pub(super) async fn update(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let refuse = |e: FieldError| Ok(TaskResult::Invalid(FieldErrors::field("password", e)));
    let Some(password) = ctx.inputs.secret("password") else {
        return refuse(FieldError::new("required"));
    };
    let Ok(email) = Email::parse(ctx.execution.attribute("email").unwrap_or("")) else {
        return Ok(TaskResult::Invalid(FieldErrors::form(FieldError::new(
            "could_not_update",
        ))));
    };
    let Some(user) = engine.store().user_by_email(&email.key()).await? else {
        return Ok(TaskResult::Invalid(FieldErrors::form(FieldError::new(
            "could_not_update",
        ))));
    };
    // Proved by the account's address, or by a code texted to the account's own verified
    // number: a number proved in the flow but not on the account proves nothing here.
    let proved_phone = ctx.execution.attribute("phone_verified") == Some("true")
        && super::sms_otp::verified_phone(&user.attributes)
            .is_some_and(|number| ctx.execution.attribute("phone") == Some(number));
    if ctx.execution.attribute("email_verified") != Some("true") && !proved_phone {
        return Ok(TaskResult::Invalid(FieldErrors::form(FieldError::new(
            "could_not_update",
        ))));
    }
    let mut personal = personal_values(ctx.inputs, ctx.execution);
    personal.extend(user.attributes.get("given_name").cloned());
    personal.extend(user.attributes.get("family_name").cloned());
    let refs: Vec<&str> = personal.iter().map(String::as_str).collect();
    if let Some(e) = engine.new_password_problem(password, &refs).await {
        return refuse(e);
    }
    // It finishes a recovery someone proved they may make: the last work shed.
    if let Some(current) = &user.password_hash
        && engine.hasher().check(password, Some(current)).await?
    {
        return refuse(FieldError::new("password_same"));
    }
    let hash = engine.hasher().hash(password).await?;
    ctx.effects.push(Effect::UpdatePassword {
        user_id: user.id,
        password_hash: hash,
        email_key: email.key(),
    });
    let (login_url, recover_url) = login_urls(engine);
    let mail = engine.compose(
        &user.email,
        ctx.locale,
        &Message::PasswordChanged {
            login_url,
            recover_url,
        },
    )?;
    ctx.effects.push(Effect::Mail(mail));
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "user.password_reset",
        subject: Some(format!("user:{}", user.id)),
        detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
    });
    ctx.effects.push(crate::engine::events::event(
        "user.recovered",
        serde_json::json!({"userId": user.id.to_string(), "email": user.email}),
    ));
    ctx.execution.user_id = Some(user.id);
    Ok(TaskResult::Outcome("success"))
}
