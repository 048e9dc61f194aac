use super::{
    Engine, EngineError, TaskContext, TaskResult, addressee, already_registered, send_or_pretend,
};
use crate::domain::{FieldError, OtpCode};
use crate::engine::{FieldErrors, FlowType, OtpState};
use crate::mail::Message;
use crate::store::Effect;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Keyed and bound to the execution, so a leaked database cannot be brute-forced offline
/// and a code cannot be replayed into another execution.
fn code_hash(engine: &Engine, ctx: &TaskContext<'_>, code: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(engine.otp_key()) else {
        return String::new();
    };
    mac.update(ctx.execution.id.to_string().as_bytes());
    mac.update(b"|");
    mac.update(code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

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

/// Keeps the keyed hash of a fresh code, with its attempts and lifetime.
fn keep_code(engine: &Engine, ctx: &mut TaskContext<'_>, code: &OtpCode) {
    ctx.execution.secrets.otp = Some(OtpState {
        hash: code_hash(engine, ctx, code.expose()),
        attempts: 0,
        expires_at: ctx.now + engine.settings().otp_lifetime,
    });
}

pub(super) fn verify(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let refuse = |code: &'static str| {
        Ok(TaskResult::Invalid(FieldErrors::field(
            "otp",
            FieldError::new(code),
        )))
    };
    let typed: String = ctx
        .inputs
        .secret("otp")
        .map(|s| {
            s.expose_secret()
                .chars()
                .filter(|c| c.is_ascii_digit())
                .collect()
        })
        .unwrap_or_default();
    let max_attempts = engine.settings().otp_max_attempts;
    let Some(state) = ctx.execution.secrets.otp.clone() else {
        return refuse("code_expired");
    };
    if state.expires_at <= ctx.now {
        ctx.execution.secrets.otp = None;
        return refuse("code_expired");
    }
    if state.attempts >= max_attempts {
        return refuse("too_many_attempts");
    }
    let expected = state.hash.as_bytes();
    let actual = code_hash(engine, ctx, &typed);
    if bool::from(actual.as_bytes().ct_eq(expected)) {
        ctx.execution.secrets.otp = None;
        ctx.execution
            .attributes
            .insert("email_verified".into(), "true".into());
        ctx.effects.push(Effect::Audit {
            actor: format!("execution:{}", ctx.execution.id),
            action: "email.verified_by_code",
            subject: None,
            detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
        });
        return Ok(TaskResult::Outcome("success"));
    }
    let attempts = state.attempts + 1;
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "email.code_rejected",
        subject: None,
        detail: serde_json::json!({"attempt": attempts}),
    });
    // At the limit the code is burnt (kept only to say so): only a new one can succeed now.
    ctx.execution.secrets.otp = Some(OtpState { attempts, ..state });
    if attempts >= max_attempts {
        return refuse("too_many_attempts");
    }
    Ok(TaskResult::Invalid(FieldErrors::field(
        "otp",
        FieldError::new("code_invalid").with("remaining", max_attempts - attempts),
    )))
}
