use super::{EngineError, TaskContext, TaskResult};
use crate::domain::{Email, UserId};
use crate::engine::FieldErrors;
use crate::store::to_text;
use crate::store::{Effect, NewUser};

/// Attributes that describe the journey, not the person: never copied onto the account.
const INTERNAL: &[&str] = &[
    "email",
    "email_verified",
    "username",
    "terms",
    "invitation_id",
    "invited_by",
    "application_id",
    "social_connection",
    "social_subject",
];

/// Creates the account from what the flow collected. The insert commits with the step change,
/// so a double submit cannot create two accounts.
pub(super) fn provision(ctx: &mut TaskContext<'_>) -> Result<TaskResult, EngineError> {
    let email = match Email::parse(ctx.execution.attribute("email").unwrap_or("")) {
        Ok(e) => e,
        Err(e) => return Ok(TaskResult::Invalid(FieldErrors::field("email", e))),
    };
    // An address taken meanwhile is caught by the unique index when this commits
    // (`CommitOutcome::UserExists`), which answers "could not register".
    let mut attributes: std::collections::BTreeMap<String, String> = ctx
        .execution
        .attributes
        .iter()
        .filter(|(k, _)| !INTERNAL.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if ctx.execution.attribute("terms") == Some("true") {
        attributes.insert("terms_accepted_at".into(), to_text(ctx.now));
    }
    let id = UserId::new();
    ctx.effects.push(Effect::CreateUser(NewUser {
        id,
        email: email.as_str().to_owned(),
        email_key: email.key(),
        email_verified: ctx.execution.attribute("email_verified") == Some("true"),
        username: ctx.execution.attribute("username").map(str::to_owned),
        attributes,
        password_hash: ctx.execution.secrets.password_hash.take(),
        status: if ctx.execution.secrets.pending_approval {
            super::approval::PENDING
        } else {
            "ACTIVE"
        },
        locale: Some(ctx.locale.tag().to_owned()),
    }));
    // Made through a provider: the account holds that sign-in from the start.
    if let (Some(connection), Some(subject)) = (
        ctx.execution.attribute("social_connection"),
        ctx.execution.attribute("social_subject"),
    ) {
        ctx.effects.push(Effect::LinkIdentity {
            user_id: id,
            connection: connection.to_owned(),
            subject: subject.to_owned(),
        });
    }
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action: "user.registered",
        subject: Some(format!("user:{id}")),
        detail: serde_json::json!({
            "flowType": ctx.execution.flow_type.as_str(),
            "flowVersion": ctx.execution.flow_id.to_string(),
            "emailVerified": ctx.execution.attribute("email_verified") == Some("true"),
        }),
    });
    ctx.effects.push(crate::engine::events::event(
        "user.created",
        serde_json::json!({
            "userId": id.to_string(),
            "email": email.as_str(),
            "status": if ctx.execution.secrets.pending_approval {
                super::approval::PENDING
            } else {
                "ACTIVE"
            },
            "flowType": ctx.execution.flow_type.as_str(),
        }),
    ));
    ctx.execution.user_id = Some(id);
    Ok(TaskResult::Outcome("success"))
}
