//! Built-in executors, one file each. `run` is the only way the engine calls them.

mod account_resolve;
mod approval;
mod extension;
pub(crate) use approval::PENDING;
mod codes;
mod email_otp;
mod invitation;
mod magic_link;
mod password;
mod password_update;
mod provisioning;
mod sms_otp;
mod social;

use super::{Engine, EngineError, ExecutorName, Notice, TaskContext, TaskResult};
use crate::domain::{Email, FieldError};
use crate::engine::{FieldErrors, FlowType};
use crate::mail::Message;
use crate::store::Effect;

pub(crate) async fn run(
    engine: &Engine,
    name: ExecutorName,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    match name {
        ExecutorName::PasswordOnboarding => password::onboard(engine, ctx).await,
        ExecutorName::EmailOtpSend => email_otp::send(engine, ctx).await,
        ExecutorName::EmailOtpVerify => email_otp::verify(engine, ctx),
        ExecutorName::SmsOtpSend => sms_otp::send(engine, ctx).await,
        ExecutorName::SmsOtpVerify => sms_otp::verify(engine, ctx),
        ExecutorName::OpenIdConnect => social::sign_up(engine, ctx).await,
        ExecutorName::LinkAccount => social::link(engine, ctx).await,
        ExecutorName::LinkCodeSend => social::send_link_code(engine, ctx),
        ExecutorName::MagicLinkSend => magic_link::send(engine, ctx).await,
        ExecutorName::UserProvisioning => provisioning::provision(ctx),
        ExecutorName::PasswordUpdate => password_update::update(engine, ctx).await,
        ExecutorName::InvitationAccept => invitation::accept(engine, ctx).await,
        ExecutorName::AccountResolve => account_resolve::resolve(engine, ctx).await,
        ExecutorName::RequireApproval => approval::require(engine, ctx),
        ExecutorName::CallExtension => extension::call(engine, ctx).await,
    }
}

/// Shared resend throttle for codes and links: at most `max_sends` per execution, and one
/// per `resend_interval` to the same address (a corrected address need not wait). Counted in
/// the execution, server-side, so a replayed cookie or a second tab cannot reset it.
fn throttle(engine: &Engine, ctx: &mut TaskContext<'_>, email_key: &str) -> Option<TaskResult> {
    let settings = engine.settings();
    let secrets = &ctx.execution.secrets;
    if secrets.sends >= settings.max_sends {
        return Some(TaskResult::Invalid(FieldErrors::form(FieldError::new(
            "too_many_sends",
        ))));
    }
    let same_address = secrets.last_sent_to.as_deref() == Some(email_key);
    if let Some(last) = secrets.last_sent_at.filter(|_| same_address) {
        let wait = (last + settings.resend_interval - ctx.now).whole_seconds();
        if wait > 0 {
            return Some(TaskResult::Invalid(FieldErrors::form(
                FieldError::new("resend_wait").with("seconds", wait),
            )));
        }
    }
    None
}

fn record_send(ctx: &mut TaskContext<'_>, key: &'static str, email_key: String) {
    let resend = ctx.execution.secrets.sends > 0;
    ctx.execution.secrets.sends += 1;
    ctx.execution.secrets.last_sent_at = Some(ctx.now);
    ctx.execution.secrets.last_sent_to = Some(email_key);
    if resend {
        *ctx.notice = Some(Notice {
            key,
            args: Vec::new(),
            is_error: false,
        });
    }
}

/// Composed for, never sent to: the cost of a message for an account that does not exist.
const UNKNOWN_ADDRESS: &str = "nobody@invalid.example";

/// Recovery named no active account. Throttled like a real send, keyed by what was typed;
/// `Err` carries the refusal. Does the look-up a real account costs.
async fn begin_recovery_without_account(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<Result<String, TaskResult>, EngineError> {
    let key = ctx
        .execution
        .attribute("login")
        .unwrap_or("")
        .to_lowercase();
    if let Some(refused) = throttle(engine, ctx, &key) {
        return Ok(Err(refused));
    }
    let _ = engine.store().user_by_email(&key).await?;
    Ok(Ok(key))
}

/// Finishes a recovery for no active account: nothing is sent, but a message like the real
/// one (`like`) is composed, so the answer costs what it costs for an account. Audited.
fn finish_recovery_without_account(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
    key: String,
    like: &Message,
    notice: &'static str,
) -> Result<TaskResult, EngineError> {
    let _ = engine.compose(UNKNOWN_ADDRESS, ctx.locale, like)?;
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "recovery.no_active_account",
        subject: None,
        detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
    });
    record_send(ctx, notice, key);
    Ok(TaskResult::Outcome("success"))
}

/// The address a code or link goes to, past the throttle; `Err` is the task's answer without
/// one. A recovery that named no known account ends here as if sent: `like(ctx)` makes the
/// message a real one would be (with whatever a real one stores), composed and never sent.
async fn addressee(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
    notice: &'static str,
    like: impl FnOnce(&mut TaskContext<'_>) -> Message,
) -> Result<Result<Email, TaskResult>, EngineError> {
    let email = match Email::parse(ctx.execution.attribute("email").unwrap_or("")) {
        Ok(e) => e,
        Err(_) if ctx.execution.flow_type == FlowType::PasswordRecovery => {
            let key = match begin_recovery_without_account(engine, ctx).await? {
                Ok(key) => key,
                Err(refused) => return Ok(Err(refused)),
            };
            let like = like(ctx);
            return finish_recovery_without_account(engine, ctx, key, &like, notice).map(Err);
        }
        Err(e) => return Ok(Err(TaskResult::Invalid(FieldErrors::field("email", e)))),
    };
    if let Some(refused) = throttle(engine, ctx, &email.key()) {
        return Ok(Err(refused));
    }
    Ok(Ok(email))
}

/// Queues `message` to `email`. With none (recovery for an unknown or inactive account)
/// nothing is sent but `like()` is composed, so the answer looks and costs the same.
fn send_or_pretend(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
    email: &Email,
    message: Option<Message>,
    like: impl FnOnce() -> Message,
    notice: &'static str,
) -> Result<TaskResult, EngineError> {
    let Some(message) = message else {
        return finish_recovery_without_account(engine, ctx, email.key(), &like(), notice);
    };
    let mail = engine.compose(email.as_str(), ctx.locale, &message)?;
    ctx.effects.push(Effect::Mail(mail));
    record_send(ctx, notice, email.key());
    Ok(TaskResult::Outcome("success"))
}

pub(crate) fn login_urls(engine: &Engine) -> (String, String) {
    let settings = engine.settings();
    let base = settings.public_url.trim_end_matches('/');
    (format!("{base}/login"), format!("{base}/recover"))
}

/// What the owner of an address that already has an account gets instead of a code or link.
fn already_registered(engine: &Engine) -> Message {
    let (login_url, recover_url) = login_urls(engine);
    Message::AlreadyRegistered {
        login_url,
        recover_url,
    }
}
