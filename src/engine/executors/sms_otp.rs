//! Codes by text message: to the number a registration collected, or in recovery to the
//! verified number of the account named. Pumping protection (countries, number ranges,
//! clients) refuses before anything is queued; every refusal is counted and audited.

use super::codes::{self, Proves};
use super::{Engine, EngineError, TaskContext, TaskResult, record_send, throttle};
use crate::domain::{Email, FieldError};
use crate::engine::{FieldErrors, FlowType};
use crate::sms::SmsMessage;
use crate::store::Effect;

const NOTICE: &str = "notice.code_resent";

pub(super) async fn send(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    if ctx.execution.flow_type == FlowType::PasswordRecovery {
        return send_for_recovery(engine, ctx).await;
    }
    let number =
        match crate::domain::phone::parse(ctx.execution.attribute("phone").unwrap_or(""), None) {
            Ok(n) => n,
            Err(e) => return Ok(TaskResult::Invalid(FieldErrors::field("phone", e))),
        };
    if let Some(refused) = throttle(engine, ctx, &throttle_key(&number)) {
        return Ok(refused);
    }
    if let Some(refusal) = pumping_refusal(engine, ctx, &number).await? {
        refused(ctx, refusal);
        return Ok(TaskResult::Invalid(match refusal {
            Refusal::Country => FieldErrors::field("phone", FieldError::new("sms_country")),
            Refusal::Range | Refusal::Client => FieldErrors::form(FieldError::new("sms_limit")),
        }));
    }
    let code = codes::fresh(engine);
    codes::keep(engine, ctx, Proves::Phone, &code, Some(number.clone()));
    let message = SmsMessage::Code {
        code: code.expose().to_owned(),
        minutes: engine.settings().otp_lifetime.whole_minutes(),
    };
    let sms = engine.compose_sms(&number, ctx.locale, &message, ctx.client);
    ctx.effects.push(Effect::Sms(sms));
    record_send(ctx, NOTICE, throttle_key(&number));
    Ok(TaskResult::Outcome("success"))
}

/// Resends are throttled per destination; a text's is its own, so a person who asked by
/// e-mail and turns to a text message (or back) need not wait.
fn throttle_key(destination: &str) -> String {
    format!("sms:{destination}")
}

/// Recovery texts the account's own verified number, never one typed in the flow. An
/// unknown account, one without a verified number, or a number the pumping limits refuse:
/// the same pages, nothing sent, audited; which accounts have a number is never shown.
async fn send_for_recovery(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let account = match Email::parse(ctx.execution.attribute("email").unwrap_or("")) {
        Ok(email) => engine.store().user_by_email(&email.key()).await?,
        Err(_) => None,
    };
    let number = account
        .filter(|u| u.status == "ACTIVE")
        .and_then(|u| verified_phone(&u.attributes).map(str::to_owned));
    let key = throttle_key(&number.clone().unwrap_or_else(|| {
        ctx.execution
            .attribute("login")
            .unwrap_or("")
            .to_lowercase()
    }));
    if let Some(refused) = throttle(engine, ctx, &key) {
        return Ok(refused);
    }
    let code = codes::fresh(engine);
    let message = SmsMessage::RecoveryCode {
        code: code.expose().to_owned(),
        minutes: engine.settings().otp_lifetime.whole_minutes(),
    };
    let reachable = match number {
        Some(number) => match pumping_refusal(engine, ctx, &number).await? {
            Some(refusal) => {
                refused(ctx, refusal);
                None
            }
            None => Some(number),
        },
        None => None,
    };
    match reachable {
        Some(number) => {
            codes::keep(engine, ctx, Proves::Phone, &code, Some(number.clone()));
            let sms = engine.compose_sms(&number, ctx.locale, &message, ctx.client);
            ctx.effects.push(Effect::Sms(sms));
        }
        None => {
            // Kept all the same, so guessing behaves exactly as for a real one; composed,
            // so the answer costs what a real one costs.
            codes::keep(engine, ctx, Proves::Phone, &code, None);
            let _ = engine.compose_sms("+10000000000", ctx.locale, &message, ctx.client);
            ctx.effects.push(Effect::Audit {
                actor: format!("execution:{}", ctx.execution.id),
                action: "recovery.no_verified_phone",
                subject: None,
                detail: serde_json::json!({"flowType": ctx.execution.flow_type.as_str()}),
            });
        }
    }
    record_send(ctx, NOTICE, key);
    Ok(TaskResult::Outcome("success"))
}

/// The account's mobile number, when a code once proved it.
pub(super) fn verified_phone(
    attributes: &std::collections::BTreeMap<String, String>,
) -> Option<&str> {
    attributes
        .get("phone")
        .filter(|_| attributes.get("phone_verified").map(String::as_str) == Some("true"))
        .map(String::as_str)
}

pub(super) fn verify(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    codes::verify(engine, ctx, Proves::Phone)
}

#[derive(Clone, Copy)]
enum Refusal {
    /// The number's country is not one text messages may go to.
    Country,
    /// Its range had its share this hour.
    Range,
    /// The client asked for its share this hour.
    Client,
}

impl Refusal {
    fn as_str(self) -> &'static str {
        match self {
            Refusal::Country => "country",
            Refusal::Range => "range",
            Refusal::Client => "client",
        }
    }
}

/// Whether pumping protection refuses a text to `number` now.
async fn pumping_refusal(
    engine: &Engine,
    ctx: &TaskContext<'_>,
    number: &str,
) -> Result<Option<Refusal>, EngineError> {
    let settings = engine.settings();
    let allowed: Vec<String> = if settings.sms_countries.is_empty() {
        ctx.default_region
            .map(|r| vec![r.trim().to_ascii_uppercase()])
            .unwrap_or_default()
    } else {
        settings.sms_countries.clone()
    };
    // With neither the settings nor the flow naming a country, any country is allowed: the
    // range and client limits still hold.
    if !allowed.is_empty() {
        let country = crate::sms::country_of(number);
        if !country.is_some_and(|c| allowed.contains(&c)) {
            return Ok(Some(Refusal::Country));
        }
    }
    let (range, client) = engine
        .store()
        .sms_last_hour(&crate::sms::prefix_of(number), ctx.client, ctx.now)
        .await?;
    if range >= i64::from(settings.sms_prefix_per_hour) {
        return Ok(Some(Refusal::Range));
    }
    if ctx.client.is_some() && client >= i64::from(settings.sms_client_per_hour) {
        return Ok(Some(Refusal::Client));
    }
    Ok(None)
}

/// Counts and audits a refusal; the number's range is kept, not the number.
fn refused(ctx: &mut TaskContext<'_>, refusal: Refusal) {
    metrics::counter!("flows_sms_refused_total", "reason" => refusal.as_str()).increment(1);
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "sms_pumping.refused",
        subject: None,
        detail: serde_json::json!({
            "reason": refusal.as_str(),
            "flowType": ctx.execution.flow_type.as_str(),
        }),
    });
}
