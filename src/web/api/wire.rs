//! The Flow Execution API's JSON: the request as WSO2's clients send it, and the engine's
//! answer rendered as WSO2's response. The components are the engine's view schema with
//! their texts resolved in the client's language, exactly what the hosted pages show.

use super::errors::ApiError;
use crate::engine::{Component, Execution, FieldErrors, FlowType, Notice, Step, flatten};
use crate::i18n::Tr;
use crate::web::render::error_text;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One request. Every field is optional on the wire; which ones must be there depends on
/// whether a flow starts or goes on, and is checked by the handler.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExecuteRequest {
    #[serde(default)]
    pub flow_type: Option<String>,
    #[serde(default)]
    pub flow_id: Option<String>,
    #[serde(default)]
    pub action_id: Option<String>,
    #[serde(default)]
    pub inputs: Option<Map<String, Value>>,
    #[serde(default)]
    pub application_id: Option<String>,
}

/// Longest key or value an input may carry on the wire; the view's own rules are stricter.
const MAX_INPUT_CHARS: usize = 4096;

/// `inputs` as the engine takes them: strings, with booleans and numbers (which some clients
/// send for checkboxes and digits) written out. Anything else, or a control character, is a
/// protocol error: no page could have produced it.
pub fn inputs_of(
    raw: Option<Map<String, Value>>,
    flow_type: Option<FlowType>,
) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    for (key, value) in raw.unwrap_or_default() {
        let shown: String = key.chars().take(64).collect();
        let text = match value {
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            _ => {
                return Err(ApiError::invalid_inputs(
                    flow_type,
                    format!("The input {shown:?} must be a string."),
                ));
            }
        };
        if key.chars().count() > MAX_INPUT_CHARS || text.chars().count() > MAX_INPUT_CHARS {
            return Err(ApiError::invalid_inputs(
                flow_type,
                format!("The input {shown:?} is longer than {MAX_INPUT_CHARS} characters."),
            ));
        }
        if key.chars().chain(text.chars()).any(char::is_control) {
            return Err(ApiError::invalid_inputs(
                flow_type,
                format!("The input {shown:?} holds a control character."),
            ));
        }
        out.insert(key, text);
    }
    Ok(out)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteResponse {
    pub flow_id: String,
    pub flow_type: &'static str,
    pub flow_status: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub data: Data,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Data {
    pub components: Vec<WireComponent>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required_params: Vec<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub additional_data: Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ApiMessage>,
    #[serde(rename = "redirectURL", skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiMessage {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub message: String,
    pub i18n_key: String,
    /// The input it concerns, by the identifier the view gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What the response says besides the step itself.
pub struct Shown<'a> {
    pub errors: &'a FieldErrors,
    /// What the client sent that may be shown again (never secrets).
    pub values: &'a HashMap<String, String>,
    pub notice: Option<&'a Notice>,
    /// Where a finished flow sends the person: the application's stored return URL.
    pub redirect_url: Option<String>,
}

/// What a step's texts may show: the execution's collected attributes, then the lifetimes
/// (`otp_minutes`, …). Read in place: an API answer is cheap enough that copying the
/// attributes into a map per answer showed in its profile.
pub struct Attributes<'a> {
    pub execution: &'a Execution,
    pub lifetimes: HashMap<String, String>,
}

impl Attributes<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.execution
            .attribute(name)
            .map(str::to_owned)
            .or_else(|| self.lifetimes.get(name).cloned())
    }
}

/// The response for an execution standing at `step`.
pub fn response(
    execution: &Execution,
    step: &Step,
    tr: &Tr,
    attributes: &Attributes<'_>,
    shown: Shown<'_>,
) -> ExecuteResponse {
    let complete = execution.status == crate::engine::ExecutionStatus::Complete;
    let components = step
        .components()
        .iter()
        .map(|c| component(c, tr, attributes, shown.values))
        .collect();
    let all = flatten(step.components());
    let required_params = all
        .iter()
        .filter(|c| c.is_input() && c.config.required)
        .filter_map(|c| c.config.identifier.clone())
        .collect();
    let mut additional_data = Map::new();
    if let Some(otp) = all
        .iter()
        .find(|c| c.variant == Some(crate::engine::Variant::Otp))
    {
        additional_data.insert(
            "otpLength".into(),
            Value::String(otp.config.length.unwrap_or(6).to_string()),
        );
    }
    let mut messages = Vec::new();
    for (attribute, error) in &shown.errors.fields {
        let field = all
            .iter()
            .find(|c| c.attribute() == Some(attribute.as_str()))
            .and_then(|c| c.config.identifier.clone())
            .or_else(|| Some(attribute.clone()));
        messages.push(ApiMessage {
            kind: "ERROR",
            message: error_text(tr, error),
            i18n_key: format!("error.{}", error.code),
            field,
        });
    }
    if let Some(error) = &shown.errors.form {
        messages.push(ApiMessage {
            kind: "ERROR",
            message: error_text(tr, error),
            i18n_key: format!("error.{}", error.code),
            field: None,
        });
    }
    if let Some(first) = messages.first() {
        additional_data.insert("error".into(), Value::String(first.message.clone()));
    }
    if let Some(notice) = shown.notice {
        messages.push(ApiMessage {
            kind: if notice.is_error { "ERROR" } else { "INFO" },
            message: tr.t_args(notice.key, &notice.args),
            i18n_key: notice.key.to_owned(),
            field: None,
        });
    }
    let redirect_url = if complete { shown.redirect_url } else { None };
    ExecuteResponse {
        flow_id: execution.id.to_string(),
        flow_type: execution.flow_type.as_str(),
        flow_status: if complete { "COMPLETE" } else { "INCOMPLETE" },
        kind: if redirect_url.is_some() {
            "REDIRECTION"
        } else {
            "VIEW"
        },
        data: Data {
            components,
            required_params,
            additional_data,
            messages,
            redirect_url,
        },
    }
}

/// A component as clients render it: the engine's own component (one schema for both front
/// ends) with its texts resolved, and its children always present, since clients iterate them.
#[derive(Debug, Serialize)]
pub struct WireComponent {
    #[serde(flatten)]
    component: Component,
    components: Vec<WireComponent>,
}

/// Resolves a component's texts in the client's language; a non-secret input the person
/// already filled carries its value as `defaultValue`.
fn component(
    c: &Component,
    tr: &Tr,
    attributes: &Attributes<'_>,
    values: &HashMap<String, String>,
) -> WireComponent {
    let mut resolved = c.with_texts(&|raw: &str| tr.text(raw, |name| attributes.get(name)));
    let config = &mut resolved.config;
    if c.is_input()
        && !c.is_secret()
        && let Some(attribute) = c.attribute()
        && let Some(value) = values
            .get(attribute)
            .cloned()
            .or_else(|| attributes.get(attribute))
    {
        config.default_value = Some(value);
    }
    if c.is_button() && resolved.action_id.is_none() {
        resolved.action_id = Some(c.id.clone());
    }
    WireComponent {
        components: c
            .components
            .iter()
            .map(|child| component(child, tr, attributes, values))
            .collect(),
        component: resolved,
    }
}
