use super::{
    Engine, EngineError, TaskContext, TaskResult, addressee, already_registered, send_or_pretend,
};
use crate::domain::LinkToken;
use crate::engine::FlowType;
use crate::mail::Message;
use crate::store::Effect;

/// Sends a single-use link that resumes this execution, from any device, at this task's
/// `verified` outcome. An address that already has an account gets the notice instead.
pub(super) async fn send(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    const NOTICE: &str = "notice.link_resent";
    // Recovery named no known account: the same steps, nothing sent.
    let email = match addressee(engine, ctx, NOTICE, |ctx| {
        let settings = engine.settings();
        // A token nobody receives, stored like a real one: the same writes as for an account.
        ctx.effects.push(Effect::InsertLink {
            token_hash: LinkToken::generate().hash(),
            step: ctx.step_id.to_owned(),
            email_key: String::new(),
            expires_at: ctx.now + settings.recovery_link_lifetime,
        });
        unsent_link(engine, settings.recovery_link_lifetime)
    })
    .await?
    {
        Ok(email) => email,
        Err(answer) => return Ok(answer),
    };
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
    let like = || unsent_link(engine, lifetime);
    send_or_pretend(engine, ctx, &email, message, like, NOTICE)
}

/// A reset link like a real one, for a recovery that sends none.
fn unsent_link(engine: &Engine, lifetime: time::Duration) -> Message {
    Message::ResetLink {
        url: format!(
            "{}/link?token={}",
            engine.settings().public_url,
            LinkToken::generate().expose()
        ),
        minutes: lifetime.whole_minutes(),
    }
}
