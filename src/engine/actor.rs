//! Who does an act done outside a journey, as the audit log names them: an administrator in
//! the console, an API token, or the command line. The engine writes the entry; the caller
//! only says who it is and where the request came from.

use crate::store::AuditEntry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `admin:<email>`, `token:<name>` or `cli`.
    pub name: String,
    /// The client address of the request, when there was one.
    pub address: Option<String>,
    /// The way in, when it is not plain from the name (`api` for a token).
    pub via: Option<&'static str>,
}

impl Actor {
    pub fn admin(email: &str, address: Option<String>) -> Self {
        Self {
            name: format!("admin:{email}"),
            address,
            via: None,
        }
    }

    /// A management-API token, by its name.
    pub fn token(name: &str, address: Option<String>) -> Self {
        Self {
            name: format!("token:{name}"),
            address,
            via: Some("api"),
        }
    }

    pub fn cli() -> Self {
        Self {
            name: "cli".into(),
            address: None,
            via: None,
        }
    }

    /// The entry for `action` on `subject`, with the address in its detail.
    pub(crate) fn entry(
        &self,
        action: &'static str,
        subject: String,
        mut detail: serde_json::Value,
    ) -> AuditEntry {
        if let serde_json::Value::Object(map) = &mut detail {
            if let Some(address) = &self.address {
                map.insert("ip".into(), address.clone().into());
            }
            if let Some(via) = self.via {
                map.insert("via".into(), via.into());
            }
        }
        AuditEntry {
            actor: self.name.clone(),
            action,
            subject: Some(subject),
            detail,
        }
    }
}

impl super::Engine {
    /// The live management-API token whose hash is `hash`, its use recorded: who a
    /// management-API call is from.
    pub async fn api_token_caller(
        &self,
        hash: &str,
    ) -> Result<Option<crate::store::ApiTokenRow>, super::EngineError> {
        Ok(self.inner.store.use_api_token(hash, self.now()).await?)
    }
}
