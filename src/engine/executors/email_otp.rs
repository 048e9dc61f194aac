use super::codes::{self, Proves};
use super::{
    Engine, EngineError, TaskContext, TaskResult, addressee, already_registered, send_or_pretend,
};
use crate::domain::OtpCode;
use crate::engine::FlowType;
use crate::mail::Message;

/// Sends a fresh code to the collected address. If the address already has an account the
/// owner gets an "already registered" notice instead and no code matches: the person sees
/// exactly the same pages either way.
pub(super) async fn send(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    const NOTICE: &str = "notice.code_resent";
    // Recovery named no known account: the same steps, nothing sent, no code matches.
    let email = match addressee(engine, ctx, NOTICE, |ctx| {
        let settings = engine.settings();
        let code = OtpCode::generate(settings.otp_digits);
        keep_code(engine, ctx, &code);
        Message::RecoveryCode {
            code: code.expose().to_owned(),
            minutes: settings.otp_lifetime.whole_minutes(),
        }
    })
    .await?
    {
        Ok(email) => email,
        Err(answer) => return Ok(answer),
    };
    let settings = engine.settings();
    let code = OtpCode::generate(settings.otp_digits);
    let minutes = settings.otp_lifetime.whole_minutes();
    let account = engine.store().user_by_email(&email.key()).await?;
    let code_mail = Message::Otp {
        code: code.expose().to_owned(),
        minutes,
    };
    let message = match (ctx.execution.flow_type, account) {
        (FlowType::Registration | FlowType::InvitedUserRegistration, Some(_)) => {
            Some(already_registered(engine))
        }
        (FlowType::Registration | FlowType::InvitedUserRegistration, None) => Some(code_mail),
        (FlowType::PasswordRecovery, Some(user)) if user.status == "ACTIVE" => {
            Some(Message::RecoveryCode {
                code: code.expose().to_owned(),
                minutes,
            })
        }
        // Recovery for an unknown or inactive account: no mail, same pages.
        (FlowType::PasswordRecovery, _) => None,
    };
    // When nobody is sent this code (the account exists on registration, or is inactive on
    // recovery) it is kept all the same, so guessing behaves exactly as elsewhere.
    keep_code(engine, ctx, &code);
    let like = || Message::RecoveryCode {
        code: code.expose().to_owned(),
        minutes,
    };
    send_or_pretend(engine, ctx, &email, message, like, NOTICE)
}

fn keep_code(engine: &Engine, ctx: &mut TaskContext<'_>, code: &OtpCode) {
    codes::keep(engine, ctx, Proves::Email, code, None);
}

pub(super) fn verify(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    codes::verify(engine, ctx, Proves::Email)
}
