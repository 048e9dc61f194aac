//! `OpenIdConnect`: sign-up through a provider. Run from a button, it sends the person away
//! (code flow with PKCE, `state` and `nonce`); run again by their callback, it checks the
//! `state`, exchanges the code, and the checked ID token's claims become attributes. The
//! provider's address counts as proved only when it says `email_verified`.

use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::SocialState;
use crate::domain::{Email, FieldError};
use crate::engine::{FieldErrors, FlowType};
use crate::oidc::AnyProvider;
use crate::store::Effect;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub(super) async fn sign_up(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let coming_back = ctx.inputs.secret("state").is_some()
        || ctx.inputs.secret("code").is_some()
        || ctx.inputs.plain("error").is_some();
    // A callback is answered once: the next one (a replay) finds nothing to match.
    let pending = ctx.execution.secrets.social.take();
    match (coming_back, pending) {
        (true, Some(pending)) => come_back(engine, ctx, pending).await,
        (true, None) => refuse(ctx, "social_expired", "no sign-in under way"),
        (false, _) => send_away(engine, ctx).await,
    }
}

fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// Back on the page the person left, the reason above its form; audited with the cause.
fn refuse(
    ctx: &mut TaskContext<'_>,
    code: &'static str,
    why: &str,
) -> Result<TaskResult, EngineError> {
    metrics::counter!("flows_social_refused_total", "reason" => code).increment(1);
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "social_sign_up.refused",
        subject: None,
        detail: serde_json::json!({
            "reason": code,
            "why": why,
            "connection": ctx.connection,
            "flowType": ctx.execution.flow_type.as_str(),
        }),
    });
    Ok(TaskResult::Invalid(FieldErrors::form(FieldError::new(
        code,
    ))))
}

async fn provider(
    engine: &Engine,
    connection: &crate::engine::Connection,
) -> Result<AnyProvider, String> {
    AnyProvider::connect(
        &connection.discovery_url,
        connection.endpoints.clone(),
        engine.settings().extension_allow_private,
    )
    .await
    .map_err(|e| e.to_string())
}

async fn send_away(engine: &Engine, ctx: &mut TaskContext<'_>) -> Result<TaskResult, EngineError> {
    let name = ctx.connection.unwrap_or_default();
    let Some(usable) = engine.usable_connection(name).await? else {
        return refuse(ctx, "social_unavailable", "no such connection");
    };
    let provider = match provider(engine, &usable.connection).await {
        Ok(p) => p,
        Err(why) => {
            tracing::warn!(connection = %name, error = %why, "the provider does not answer");
            return refuse(ctx, "social_unavailable", &why);
        }
    };
    let redirect = engine.social_callback_url();
    let authorization =
        match provider.authorize(&usable.client(&redirect), &usable.connection.scopes) {
            Ok(a) => a,
            Err(e) => return refuse(ctx, "social_unavailable", &e.to_string()),
        };
    let key = engine.social_key();
    let bound = ctx.execution.id.to_string();
    ctx.execution.secrets.social = Some(SocialState {
        connection: name.to_owned(),
        state_hash: state_hash(&authorization.state),
        nonce: authorization.nonce,
        verifier_sealed: key.seal(&authorization.verifier, &bound),
        authorize_url_sealed: key.seal(&authorization.url, &bound),
    });
    Ok(TaskResult::Away)
}

async fn come_back(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
    pending: SocialState,
) -> Result<TaskResult, EngineError> {
    let state = ctx
        .inputs
        .secret("state")
        .map(|s| s.expose_secret().to_owned())
        .unwrap_or_default();
    if !bool::from(
        state_hash(&state)
            .as_bytes()
            .ct_eq(pending.state_hash.as_bytes()),
    ) {
        return refuse(ctx, "social_failed", "the state does not match");
    }
    if let Some(error) = ctx.inputs.plain("error").map(str::to_owned) {
        let code = if error == "access_denied" {
            "social_cancelled"
        } else {
            "social_failed"
        };
        return refuse(ctx, code, &format!("the provider answered {error}"));
    }
    let code = ctx
        .inputs
        .secret("code")
        .map(|s| s.expose_secret().to_owned())
        .unwrap_or_default();
    let Some(usable) = engine.usable_connection(&pending.connection).await? else {
        return refuse(ctx, "social_unavailable", "the connection is gone");
    };
    let provider = match provider(engine, &usable.connection).await {
        Ok(p) => p,
        Err(why) => return refuse(ctx, "social_unavailable", &why),
    };
    let redirect = engine.social_callback_url();
    let Ok(verifier) = engine
        .social_key()
        .open(&pending.verifier_sealed, &ctx.execution.id.to_string())
    else {
        return refuse(
            ctx,
            "social_expired",
            "the sign-in does not open with this key",
        );
    };
    let claims = match provider
        .finish(&usable.client(&redirect), &code, &verifier, &pending.nonce)
        .await
    {
        Ok(claims) => claims,
        Err(e) => return refuse(ctx, "social_failed", &e.to_string()),
    };
    let Some(email) = claims.email.as_deref().and_then(|e| Email::parse(e).ok()) else {
        return refuse(ctx, "social_no_email", "the provider gave no address");
    };
    let attributes = &mut ctx.execution.attributes;
    if ctx.execution.flow_type == FlowType::InvitedUserRegistration {
        // Only the invited address, proved by the provider, accepts the invitation.
        let invited = attributes.get("email").and_then(|e| Email::parse(e).ok());
        if !claims.email_verified || invited.is_none_or(|i| i.key() != email.key()) {
            return refuse(ctx, "social_invitation_mismatch", "another address");
        }
    } else {
        attributes.insert("email".into(), email.as_str().to_owned());
        // An address proved earlier in this journey is not this one, unless the provider
        // proves it now.
        attributes.remove("email_verified");
        if claims.email_verified {
            attributes.insert("email_verified".into(), "true".into());
        }
    }
    for (claim, attribute) in &usable.connection.mapping {
        let value = match claim.as_str() {
            "given_name" => claims.given_name.clone(),
            "family_name" => claims.family_name.clone(),
            "preferred_username" => claims.preferred_username.clone(),
            _ => None,
        };
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            attributes.insert(attribute.clone(), value.chars().take(200).collect());
        }
    }
    attributes.insert("social_connection".into(), pending.connection.clone());
    attributes.insert("social_subject".into(), claims.subject.clone());
    let has_account = ctx.execution.flow_type == FlowType::Registration
        && claims.email_verified
        && engine.store().user_by_email(&email.key()).await?.is_some();
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "social_sign_up.completed",
        subject: None,
        detail: serde_json::json!({
            "connection": pending.connection,
            "emailVerified": claims.email_verified,
            "flowType": ctx.execution.flow_type.as_str(),
        }),
    });
    // The provider proved the person holds this address: telling them it has an account
    // reveals nothing they do not know. Linking needs the account's own proof next.
    Ok(TaskResult::Outcome(if has_account {
        "link"
    } else {
        "success"
    }))
}

/// Links the provider's sign-in to the account of the proved address, once its owner types
/// the account's password. Wrong passwords count like wrong codes, five at most.
pub(super) async fn link(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let attributes = &ctx.execution.attributes;
    let (Some(connection), Some(subject), Some("true")) = (
        attributes.get("social_connection").cloned(),
        attributes.get("social_subject").cloned(),
        attributes.get("email_verified").map(String::as_str),
    ) else {
        return refuse(ctx, "social_expired", "no proved provider sign-in to link");
    };
    let account = match Email::parse(ctx.execution.attribute("email").unwrap_or("")) {
        Ok(email) => engine.store().user_by_email(&email.key()).await?,
        Err(_) => None,
    };
    let Some(user) = account.filter(|u| u.status == "ACTIVE") else {
        return refuse(ctx, "social_expired", "the account is gone or not active");
    };
    // Proved by the code mailed to the account's address, instead of its password.
    if ctx.inputs.secret("otp").is_some() {
        match super::codes::verify(engine, ctx, super::codes::Proves::Email)? {
            TaskResult::Outcome(_) => return Ok(linked(ctx, user.id, connection, subject)),
            refused => return Ok(refused),
        }
    }
    let max = engine.settings().otp_max_attempts;
    let wrong = |code: &'static str| {
        Ok(TaskResult::Invalid(FieldErrors::field(
            "password",
            FieldError::new(code),
        )))
    };
    if ctx.execution.secrets.link_attempts >= max {
        return wrong("too_many_attempts");
    }
    let Some(password) = ctx.inputs.secret("password") else {
        return wrong("required");
    };
    let right = match &user.password_hash {
        Some(hash) => engine.hasher().check(password, Some(hash)).await?,
        // An account without a password (made through a provider) proves itself there.
        None => false,
    };
    if !right {
        ctx.execution.secrets.link_attempts += 1;
        let attempts = ctx.execution.secrets.link_attempts;
        ctx.effects.push(Effect::Audit {
            actor: format!("execution:{}", ctx.execution.id),
            action: "social_sign_up.link_refused",
            subject: Some(format!("user:{}", user.id)),
            detail: serde_json::json!({"attempt": attempts, "connection": connection}),
        });
        if attempts >= max {
            return wrong("too_many_attempts");
        }
        return Ok(TaskResult::Invalid(FieldErrors::field(
            "password",
            FieldError::new("link_password_wrong").with("remaining", max - attempts),
        )));
    }
    Ok(linked(ctx, user.id, connection, subject))
}

/// The account holds the provider's sign-in from now on, and the person is signed in to it.
fn linked(
    ctx: &mut TaskContext<'_>,
    user: crate::domain::UserId,
    connection: String,
    subject: String,
) -> TaskResult {
    ctx.effects.push(Effect::LinkIdentity {
        user_id: user,
        connection: connection.clone(),
        subject,
    });
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "social_sign_up.linked",
        subject: Some(format!("user:{user}")),
        detail: serde_json::json!({"connection": connection}),
    });
    ctx.execution.user_id = Some(user);
    TaskResult::Outcome("success")
}

/// Mails a code to the address the provider proved (it has an account): typed back, it
/// proves the account's owner is here, for one who prefers it to the password or has none.
pub(super) fn send_link_code(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    if ctx.execution.attribute("social_subject").is_none()
        || ctx.execution.attribute("email_verified") != Some("true")
    {
        return refuse(ctx, "social_expired", "no proved provider sign-in to link");
    }
    let Ok(email) = Email::parse(ctx.execution.attribute("email").unwrap_or("")) else {
        return refuse(ctx, "social_expired", "no address");
    };
    if let Some(refused) = super::throttle(engine, ctx, &format!("link:{}", email.key())) {
        return Ok(refused);
    }
    let code = super::codes::fresh(engine);
    super::codes::keep(engine, ctx, super::codes::Proves::Email, &code, None);
    let mail = engine.compose(
        email.as_str(),
        ctx.locale,
        &crate::mail::Message::Otp {
            code: code.expose().to_owned(),
            minutes: engine.settings().otp_lifetime.whole_minutes(),
        },
    )?;
    ctx.effects.push(Effect::Mail(mail));
    super::record_send(ctx, "notice.code_resent", format!("link:{}", email.key()));
    Ok(TaskResult::Outcome("success"))
}
