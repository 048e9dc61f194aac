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
    /// What this actor may do: an operator only looks after people (accounts and
    /// invitations); owners, API tokens and the command line may do everything.
    pub role: Role,
}

/// Who may do what, in one place: each act that only an owner may do asks `must_own` first,
/// whichever way in (console, management API, CLI) called it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Operator,
}

impl Actor {
    /// A console administrator, with the role their account holds.
    pub fn admin(admin: &crate::store::AdminRow, address: Option<String>) -> Self {
        let role = if admin.is_owner() {
            Role::Owner
        } else {
            Role::Operator
        };
        Self::console(&admin.email, role, address)
    }

    /// A console administrator by address and role.
    pub fn console(email: &str, role: Role, address: Option<String>) -> Self {
        Self {
            name: format!("admin:{email}"),
            address,
            via: None,
            role,
        }
    }

    /// The act is an owner's: an operator is refused before anything is read or written.
    pub(crate) fn must_own(&self) -> Result<(), super::EngineError> {
        match self.role {
            Role::Owner => Ok(()),
            Role::Operator => Err(super::EngineError::OwnerOnly),
        }
    }

    /// A management-API token, by its name.
    pub fn token(name: &str, address: Option<String>) -> Self {
        Self {
            name: format!("token:{name}"),
            address,
            via: Some("api"),
            role: Role::Owner,
        }
    }

    pub fn cli() -> Self {
        Self {
            name: "cli".into(),
            address: None,
            via: None,
            role: Role::Owner,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FlowType;
    use crate::engine::{DraftStart, Engine, EngineError};
    use crate::i18n::Locale;

    /// The console hides an owner's pages from operators, but the rule is the engine's: an
    /// operator who reaches an owner's act some other way is refused before anything is
    /// written or audited, and may still do what operators do.
    #[tokio::test]
    async fn an_operator_is_refused_an_owners_act_whichever_way_it_comes() {
        for store in crate::store::test_stores().await {
            let engine = Engine::for_tests(store.clone());
            let operator = Actor::console("op@example.com", Role::Operator, None);
            let owner_only = |r: Result<(), EngineError>| {
                assert!(matches!(r, Err(EngineError::OwnerOnly)), "{r:?}");
            };
            let draft = engine
                .start_draft(FlowType::Registration, DraftStart::Published, &operator)
                .await;
            owner_only(draft.map(|_| ()));
            let enabled = engine
                .set_flow_enabled(FlowType::Registration, false, &operator)
                .await;
            owner_only(enabled.map(|_| ()));
            owner_only(engine.create_api_token("ci", &operator).await.map(|_| ()));
            owner_only(engine.delete_application("x", &operator).await.map(|_| ()));
            assert!(engine.recent_audit(10).await.unwrap().is_empty());
            assert!(
                engine
                    .draft(FlowType::Registration)
                    .await
                    .unwrap()
                    .is_none()
            );

            let sent = engine
                .send_invitation(
                    "invitee@example.com",
                    Default::default(),
                    "op@example.com",
                    Locale::default(),
                    &operator,
                )
                .await;
            assert!(sent.is_ok(), "an operator invites");
        }
    }
}
