//! `CallExtension`: asks the organisation's own service, in the middle of a journey, whether
//! the person may go on. The call carries the attributes the extension was registered to
//! receive, the flow type, the step, the language and a request id, signed as Standard
//! Webhooks signs; never a password, a code or a token (none of them is an attribute).

use super::{Engine, EngineError, TaskContext, TaskResult};
use crate::domain::FieldError;
use crate::domain::extension::{self as ext, FailurePolicy};
use crate::engine::FieldErrors;
use crate::outcall;
use crate::store::Effect;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

/// The longest deny message shown, in characters; a longer one is cut.
const MAX_MESSAGE_CHARS: usize = 500;
/// The longest value an answer may set.
const MAX_VALUE_CHARS: usize = 1000;

/// What the service said.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Allow,
    Deny {
        message: Option<String>,
        field: Option<String>,
    },
    Modify(Vec<(String, String)>),
}

pub(super) async fn call(
    engine: &Engine,
    ctx: &mut TaskContext<'_>,
) -> Result<TaskResult, EngineError> {
    let name = ctx.extension.unwrap_or_default().trim().to_owned();
    let started = Instant::now();
    let Some(callable) = engine.callable(&name).await? else {
        // Nothing to ask: refuse rather than let through what nobody checked.
        return Ok(failed(
            ctx,
            &name,
            FailurePolicy::Deny,
            "no such extension".into(),
        ));
    };
    let request_id = format!("msg_{}", uuid::Uuid::now_v7().simple());
    let attributes: Map<String, Value> = callable
        .extension
        .send_attributes
        .iter()
        .filter_map(|a| {
            ctx.execution
                .attribute(a)
                .map(|v| (a.clone(), Value::String(v.to_owned())))
        })
        .collect();
    let body = json!({
        "type": "flow.step",
        "requestId": request_id,
        "flowType": ctx.execution.flow_type.as_str(),
        "step": ctx.step_id,
        "locale": ctx.locale.tag(),
        "application": ctx.execution.attribute("application_id"),
        "attributes": attributes,
    });
    let body = serde_json::to_vec(&body).map_err(|e| EngineError::Mail(e.to_string()))?;
    // The receiver checks the timestamp against its own clock: the wall clock's, whatever
    // the engine's clock says.
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let headers = [
        ("webhook-id", request_id.clone()),
        ("webhook-timestamp", timestamp.to_string()),
        (
            "webhook-signature",
            ext::signature(&callable.secret, &request_id, timestamp, &body),
        ),
    ];
    let answer = outcall::post_json(
        &callable.url,
        &headers,
        body,
        Duration::from_millis(u64::from(callable.extension.timeout_ms)),
        engine.settings().extension_allow_private,
    )
    .await;
    let verdict = answer
        .map_err(|e| e.to_string())
        .and_then(|a| parse(&a.body));
    let outcome = match &verdict {
        Ok(Verdict::Allow) => "allow",
        Ok(Verdict::Deny { .. }) => "deny",
        Ok(Verdict::Modify(_)) => "modify",
        Err(_) => "failed",
    };
    metrics::histogram!("flows_extension_call_seconds", "extension" => name.clone(), "outcome" => outcome)
        .record(started.elapsed().as_secs_f64());
    match verdict {
        Ok(Verdict::Allow) => Ok(TaskResult::Outcome("success")),
        Ok(Verdict::Modify(set)) => {
            let mut changed = Vec::new();
            for (attribute, value) in set {
                let attribute = crate::engine::canonical_attribute(&attribute).to_owned();
                if callable.extension.may_set.contains(&attribute) {
                    ctx.execution.attributes.insert(attribute.clone(), value);
                    changed.push(attribute);
                } else {
                    tracing::warn!(extension = %name, %attribute, "an extension set an attribute it may not set: ignored");
                }
            }
            audit(
                ctx,
                "extension.modified",
                &name,
                json!({"attributes": changed}),
            );
            Ok(TaskResult::Outcome("success"))
        }
        Ok(Verdict::Deny { message, field }) => {
            let tr = engine.messages().tr(ctx.locale);
            let text = message
                .map(|m| tr.lookup(&m).unwrap_or(m))
                .map(|m| m.chars().take(MAX_MESSAGE_CHARS).collect::<String>())
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| tr.t("error.extension_refused"));
            let error = FieldError::new("extension_denied").with("message", text);
            let field = field.map(|f| crate::engine::canonical_attribute(f.trim()).to_owned());
            audit(ctx, "extension.denied", &name, json!({"field": field}));
            Ok(TaskResult::Invalid(match field {
                Some(attribute) if !attribute.is_empty() => FieldErrors::field(&attribute, error),
                _ => FieldErrors::form(error),
            }))
        }
        Err(why) => Ok(failed(ctx, &name, callable.extension.on_failure, why)),
    }
}

/// A call that gave no verdict: the extension's failure policy decides.
fn failed(ctx: &mut TaskContext<'_>, name: &str, policy: FailurePolicy, why: String) -> TaskResult {
    tracing::warn!(extension = %name, reason = %why, policy = policy.as_str(), "extension call failed");
    metrics::counter!("flows_extension_failures_total", "extension" => name.to_owned(), "policy" => policy.as_str())
        .increment(1);
    audit(
        ctx,
        "extension.failed",
        name,
        json!({"reason": why, "policy": policy.as_str()}),
    );
    match policy {
        FailurePolicy::Allow => TaskResult::Outcome("success"),
        FailurePolicy::Deny => {
            TaskResult::Invalid(FieldErrors::form(FieldError::new("extension_unavailable")))
        }
    }
}

fn audit(ctx: &mut TaskContext<'_>, action: &'static str, name: &str, mut detail: Value) {
    if let Value::Object(map) = &mut detail {
        map.insert("extension".into(), name.into());
        map.insert("step".into(), ctx.step_id.into());
        map.insert("flowType".into(), ctx.execution.flow_type.as_str().into());
    }
    ctx.effects.push(Effect::Audit {
        actor: format!("execution:{}", ctx.execution.id),
        action,
        subject: None,
        detail,
    });
}

/// Reads an answer: `{"action": "allow"}`, `{"action": "deny", "message"?, "field"?}` or
/// `{"action": "modify", "attributes": {NAME: VALUE}}`. Anything else is malformed.
fn parse(body: &[u8]) -> Result<Verdict, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let text = |v: Option<&Value>| -> Result<Option<String>, String> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("expected a string, got {other}")),
        }
    };
    match value.get("action").and_then(Value::as_str) {
        Some("allow") => Ok(Verdict::Allow),
        Some("deny") => Ok(Verdict::Deny {
            message: text(value.get("message"))?,
            field: text(value.get("field"))?,
        }),
        Some("modify") => {
            let Some(Value::Object(set)) = value.get("attributes") else {
                return Err("modify without an attributes object".into());
            };
            set.iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        other => return Err(format!("attribute {k}: {other} is not a value")),
                    };
                    if v.chars().count() > MAX_VALUE_CHARS {
                        return Err(format!("attribute {k}: longer than {MAX_VALUE_CHARS}"));
                    }
                    Ok((k.clone(), v))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Verdict::Modify)
        }
        _ => Err("no action of allow, deny or modify".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_strictly() {
        assert_eq!(parse(br#"{"action":"allow"}"#), Ok(Verdict::Allow));
        assert_eq!(
            parse(br#"{"action":"deny","message":"No.","field":"email"}"#),
            Ok(Verdict::Deny {
                message: Some("No.".into()),
                field: Some("email".into())
            })
        );
        assert_eq!(
            parse(br#"{"action":"modify","attributes":{"tier":"gold","seats":3}}"#),
            Ok(Verdict::Modify(vec![
                ("seats".into(), "3".into()),
                ("tier".into(), "gold".into())
            ]))
        );
        for bad in [
            &b"not json"[..],
            br#"{"action":"maybe"}"#,
            br#"{"action":"deny","message":5}"#,
            br#"{"action":"modify"}"#,
            br#"{"action":"modify","attributes":{"a":{"b":1}}}"#,
            br#"[]"#,
        ] {
            assert!(parse(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
