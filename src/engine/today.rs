//! What needs an operator today: the things that wait on a person at the console (accounts
//! to approve, invitees asking for a new link), what is failing (mail, webhook deliveries),
//! and flows switched off. The console's home lists each with a link to where it is done.

use super::actor::Role;
use super::{Actor, Engine, EngineError, FlowType};

/// Counts stop here: past it, the list says "more than".
const COUNT_CAP: i64 = 500;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Today {
    pub approvals_waiting: i64,
    pub renewals_asked: usize,
    /// Pending invitations whose link nobody followed yet.
    pub invitations_unopened: usize,
    pub mail_failed: usize,
    /// Webhook deliveries given up on; owners only (an operator sees none).
    pub deliveries_failed: usize,
    pub flows_disabled: Vec<FlowType>,
}

impl Today {
    pub fn is_empty(&self) -> bool {
        *self == Today::default()
    }
}

impl Engine {
    pub async fn today(&self, actor: &Actor) -> Result<Today, EngineError> {
        let now = self.now();
        let (_, approvals_waiting) = self.approval_queue(0, 0).await?;
        let renewals_asked = self.invitations("RENEWAL", "", now, COUNT_CAP).await?.len();
        let unopened = self
            .invitations("PENDING", "", now, COUNT_CAP)
            .await?
            .iter()
            .filter(|r| r.opened_at.is_none())
            .count();
        let deliveries_failed = if actor.role == Role::Owner {
            self.failed_deliveries(COUNT_CAP, actor).await?.len()
        } else {
            0
        };
        let mut flows_disabled = Vec::new();
        for flow_type in FlowType::ALL {
            if !self.flow_facts(flow_type).await?.enabled {
                flows_disabled.push(flow_type);
            }
        }
        Ok(Today {
            approvals_waiting,
            renewals_asked,
            invitations_unopened: unopened,
            mail_failed: self.failed_mail(COUNT_CAP).await?.len(),
            deliveries_failed,
            flows_disabled,
        })
    }
}
