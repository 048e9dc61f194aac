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
}

impl Actor {
    pub fn admin(email: &str, address: Option<String>) -> Self {
        Self {
            name: format!("admin:{email}"),
            address,
        }
    }

    pub fn cli() -> Self {
        Self {
            name: "cli".into(),
            address: None,
        }
    }

    /// The entry for `action` on `subject`, with the address in its detail.
    pub(crate) fn entry(
        &self,
        action: &'static str,
        subject: String,
        mut detail: serde_json::Value,
    ) -> AuditEntry {
        if let (serde_json::Value::Object(map), Some(address)) = (&mut detail, &self.address) {
            map.insert("ip".into(), address.clone().into());
        }
        AuditEntry {
            actor: self.name.clone(),
            action,
            subject: Some(subject),
            detail,
        }
    }
}
