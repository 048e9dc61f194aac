//! An HTTP SMS gateway: any provider with an HTTP API, described by settings.

use crate::config::Settings;
use crate::mail::SendError;

#[derive(Clone)]
pub struct Gateway {
    url: String,
}

impl Gateway {
    /// `None` when no gateway URL is set.
    pub fn from_settings(settings: &Settings) -> Result<Option<Self>, String> {
        let url = settings.sms_gateway_url.trim();
        if url.is_empty() {
            return Ok(None);
        }
        Err("the HTTP gateway is not built yet".into())
    }

    pub fn describe(&self) -> String {
        format!("gateway {}", self.url)
    }

    pub async fn send(&self, _to: &str, _body: &str) -> Result<(), SendError> {
        Err(SendError::Permanent("not built".into()))
    }
}
