//! One-time codes, by e-mail or text message: kept as a keyed hash bound to the execution
//! and the channel, checked in constant time, burnt after the last allowed attempt.

use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::{FieldError, OtpCode};
use crate::engine::{FieldErrors, OtpState};
use crate::store::Effect;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::ExposeSecret;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// What typing the code back proves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Proves {
    Email,
    Phone,
}

/// Keyed and bound to the execution, so a leaked database cannot be brute-forced offline
/// and a code cannot be replayed into another execution; a text message's code is bound to
/// its channel too, so it never passes for an e-mail code.
fn code_hash(engine: &Engine, ctx: &TaskContext<'_>, proves: Proves, code: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(engine.otp_key()) else {
        return String::new();
    };
    mac.update(ctx.execution.id.to_string().as_bytes());
    mac.update(b"|");
    if proves == Proves::Phone {
        mac.update(b"sms|");
    }
    mac.update(code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A fresh code, of the configured length.
pub(super) fn fresh(engine: &Engine) -> OtpCode {
    OtpCode::generate(engine.settings().otp_digits)
}

/// Keeps the keyed hash of a fresh code, with its attempts and lifetime. `sent_to`: the
/// number a text message went to.
pub(super) fn keep(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
    proves: Proves,
    code: &OtpCode,
    sent_to: Option<String>,
) {
    ctx.execution.secrets.otp = Some(OtpState {
        hash: code_hash(engine, ctx, proves, code.expose()),
        attempts: 0,
        expires_at: ctx.now + engine.settings().otp_lifetime,
        sent_to,
    });
}

/// Checks the typed code (`otp`); right, it records what it proves and goes on.
pub(super) fn verify(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
    proves: Proves,
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
    let (proved, rejected) = match proves {
        Proves::Email => ("email.verified_by_code", "email.code_rejected"),
        Proves::Phone => ("phone.verified_by_code", "phone.code_rejected"),
    };
    let expected = state.hash.as_bytes();
    let actual = code_hash(engine, ctx, proves, &typed);
    if bool::from(actual.as_bytes().ct_eq(expected)) {
        ctx.execution.secrets.otp = None;
        let attributes = &mut ctx.execution.attributes;
        match (proves, state.sent_to) {
            (Proves::Email, _) => {
                attributes.insert("email_verified".into(), "true".into());
            }
            // The proof is of the number the code went to, whatever the form says now.
            (Proves::Phone, Some(number)) => {
                attributes.insert("phone".into(), number);
                attributes.insert("phone_verified".into(), "true".into());
            }
            (Proves::Phone, None) => return refuse("code_expired"),
        }
        ctx.effects.push(Effect::Audit {
            actor: format!("execution:{}", ctx.execution.id),
            action: proved,
            subject: None,
            detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
        });
        return Ok(TaskResult::Outcome("success"));
    }
    let attempts = state.attempts + 1;
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: rejected,
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
