use super::{
    Engine, EngineError, TaskContext, TaskResult, already_registered,
    begin_recovery_without_account, finish_recovery_without_account, record_send, throttle,
};
use crate::domain::{Email, LinkToken};
use crate::engine::{FieldErrors, FlowType};
use crate::mail::Message;
use crate::store::Effect;

/// Sends a single-use link that resumes this execution, from any device, at this task's
/// `verified` outcome. An address that already has an account gets the notice instead.
pub(super) async fn send(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let email = match Email::parse(ctx.execution.attribute("email").unwrap_or("")) {
        Ok(e) => e,
        // Recovery named no known account: the same steps, nothing sent.
        Err(_) if ctx.execution.flow_type == FlowType::PasswordRecovery => {
            let key = match begin_recovery_without_account(engine, ctx).await? {
                Ok(key) => key,
                Err(refused) => return Ok(refused),
            };
            let settings = engine.settings();
            let url = format!(
                "{}/link?token={}",
                settings.public_url,
                LinkToken::generate().expose()
            );
            let like = Message::ResetLink {
                url,
                minutes: settings.recovery_link_lifetime.whole_minutes(),
            };
            // A token nobody receives, stored like a real one: the same writes as for an account.
            ctx.effects.push(Effect::InsertLink {
                token_hash: LinkToken::generate().hash(),
                step: ctx.step_id.to_owned(),
                email_key: String::new(),
                expires_at: ctx.now + settings.recovery_link_lifetime,
            });
            return finish_recovery_without_account(engine, ctx, key, &like, "notice.link_resent");
        }
        Err(e) => return Ok(TaskResult::Invalid(FieldErrors::field("email", e))),
    };
    if let Some(refused) = throttle(engine, ctx, &email.key()) {
        return Ok(refused);
    }
    let settings = engine.settings();
    let lifetime = if ctx.execution.flow_type == FlowType::PasswordRecovery {
        settings.recovery_link_lifetime
    } else {
        settings.link_lifetime
    };
    let account = engine.store().user_by_email(&email.key()).await?;
    let link = |ctx: &mut TaskContext<'_>| {
        let token = LinkToken::generate();
        ctx.effects.push(Effect::InsertLink {
            token_hash: token.hash(),
            step: ctx.step_id.to_owned(),
            email_key: email.key(),
            expires_at: ctx.now + lifetime,
        });
        let url = format!(
            "{}/link?token={}",
            settings.public_url.trim_end_matches('/'),
            token.expose()
        );
        (url, lifetime.whole_minutes())
    };
    let message = match (ctx.execution.flow_type, account) {
        // Registering an address that has an account: its owner is told, nobody gets a link.
        (FlowType::Registration | FlowType::InvitedUserRegistration, Some(_)) => {
            Some(already_registered(engine))
        }
        (FlowType::Registration | FlowType::InvitedUserRegistration, None) => {
            let (url, minutes) = link(ctx);
            Some(Message::VerifyLink { url, minutes })
        }
        (FlowType::PasswordRecovery, Some(user)) if user.status == "ACTIVE" => {
            let (url, minutes) = link(ctx);
            Some(Message::ResetLink { url, minutes })
        }
        // Recovery for an unknown (or disabled) account sends nothing; the page is the same.
        (FlowType::PasswordRecovery, _) => None,
    };
    let Some(message) = message else {
        let (url, minutes) = (
            format!(
                "{}/link?token={}",
                settings.public_url,
                LinkToken::generate().expose()
            ),
            lifetime.whole_minutes(),
        );
        let like = Message::ResetLink { url, minutes };
        return finish_recovery_without_account(
            engine,
            ctx,
            email.key(),
            &like,
            "notice.link_resent",
        );
    };
    let mail = engine.compose(email.as_str(), ctx.locale, &message)?;
    ctx.effects.push(Effect::Mail(mail));
    record_send(ctx, "notice.link_resent", email.key());
    Ok(TaskResult::Outcome("success"))
}
