//! The Flow Execution API's JSON: the request as WSO2's clients send it, and the engine's
//! answer rendered as WSO2's response. The components are the engine's view schema with
//! their texts resolved in the client's language, exactly what the hosted pages show.

use super::errors::ApiError;
use crate::engine::{FlowType, ShownComponent, ShownStep};
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
    pub components: Vec<ShownComponent>,
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

/// The response for a step the engine made ready to show.
pub fn response(shown: ShownStep) -> ExecuteResponse {
    let all = shown.all();
    let required_params = all
        .iter()
        .map(|c| &c.component)
        .filter(|c| c.is_input() && c.config.required)
        .filter_map(|c| c.config.identifier.clone())
        .collect();
    let mut additional_data = Map::new();
    if let Some(otp) = all
        .iter()
        .find(|c| c.component.variant == Some(crate::engine::Variant::Otp))
    {
        additional_data.insert(
            "otpLength".into(),
            Value::String(otp.component.config.length.unwrap_or(6).to_string()),
        );
    }
    let mut messages: Vec<ApiMessage> = shown
        .field_errors
        .iter()
        .chain(&shown.form_error)
        .map(|e| ApiMessage {
            kind: "ERROR",
            message: e.text.clone(),
            i18n_key: e.key.clone(),
            field: e.field.clone(),
        })
        .collect();
    if shown.awaiting_approval {
        // The flow is complete; the account it made cannot be used until approved.
        additional_data.insert(
            "accountStatus".into(),
            Value::String("PENDING_APPROVAL".into()),
        );
    }
    if let Some(first) = messages.first() {
        additional_data.insert("error".into(), Value::String(first.message.clone()));
    }
    if let Some(notice) = shown.notice {
        messages.push(ApiMessage {
            kind: if notice.is_error { "ERROR" } else { "INFO" },
            message: notice.text,
            i18n_key: notice.key,
            field: None,
        });
    }
    let redirect_url = if shown.complete {
        shown.redirect_url
    } else {
        shown.away_to
    };
    ExecuteResponse {
        flow_id: shown.execution.map(|id| id.to_string()).unwrap_or_default(),
        flow_type: shown.flow_type.as_str(),
        flow_status: if shown.complete {
            "COMPLETE"
        } else {
            "INCOMPLETE"
        },
        kind: if redirect_url.is_some() {
            "REDIRECTION"
        } else {
            "VIEW"
        },
        data: Data {
            components: shown.components,
            required_params,
            additional_data,
            messages,
            redirect_url,
        },
    }
}
