//! What needs an operator today: the things that wait on a person at the console (accounts
//! to approve, invitees asking for a new link), what is failing (mail, webhook deliveries),
//! flows switched off, and a published flow whose share of finished journeys fell. The
//! console's home lists each with a link to where it is done.

use super::actor::Role;
use super::{Actor, Engine, EngineError, FlowType};
use crate::store::Funnel;
use time::Duration;

/// Counts stop here: past it, the list says "more than".
const COUNT_CAP: i64 = 500;

/// A week's journeys are compared with the week before only past this many in each: fewer
/// make a share that moves by chance.
const MIN_STARTS: i64 = 20;

/// A fall of at least this many points in the share of finished journeys is worth a look.
const DROP_POINTS: i64 = 10;

/// A flow whose journeys finish less often than the week before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelDrop {
    pub flow_type: FlowType,
    /// Percent of the journeys started in the week before that finished.
    pub before: i64,
    /// Percent of the journeys started in the last week that finished.
    pub now: i64,
}

/// The fall from `before` to `now` in percent of journeys finished, if it is one to show.
pub fn funnel_drop(before: &Funnel, now: &Funnel) -> Option<(i64, i64)> {
    if before.started < MIN_STARTS || now.started < MIN_STARTS {
        return None;
    }
    let share = |f: &Funnel| f.completed * 100 / f.started;
    let (b, n) = (share(before), share(now));
    (b - n >= DROP_POINTS).then_some((b, n))
}

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
    pub funnel_drops: Vec<FunnelDrop>,
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
        let mut funnel_drops = Vec::new();
        // The last day is left out: its journeys may still be under way.
        let end = now - Duration::days(1);
        let week = Duration::days(7);
        for flow_type in FlowType::ALL {
            let facts = self.flow_facts(flow_type).await?;
            if !facts.enabled {
                flows_disabled.push(flow_type);
            }
            if let Some(published) = facts.published() {
                let recent = self.funnel(published.id, end - week, end, now).await?;
                let earlier = self
                    .funnel(published.id, end - week - week, end - week, now)
                    .await?;
                if let Some((before, now)) = funnel_drop(&earlier, &recent) {
                    funnel_drops.push(FunnelDrop {
                        flow_type,
                        before,
                        now,
                    });
                }
            }
        }
        Ok(Today {
            approvals_waiting,
            renewals_asked,
            invitations_unopened: unopened,
            // Counted, not read: the home lists the newest of them on its own.
            mail_failed: self
                .outbox_counts()
                .await?
                .into_iter()
                .find(|(status, _)| status == "FAILED")
                .map_or(0, |(_, n)| usize::try_from(n).unwrap_or_default()),
            deliveries_failed,
            flows_disabled,
            funnel_drops,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funnel(started: i64, completed: i64) -> Funnel {
        Funnel {
            started,
            completed,
            ..Funnel::default()
        }
    }

    #[test]
    fn a_fall_of_ten_points_over_enough_journeys_is_shown() {
        assert_eq!(
            funnel_drop(&funnel(40, 32), &funnel(40, 28)),
            Some((80, 70))
        );
        assert_eq!(
            funnel_drop(&funnel(40, 32), &funnel(40, 29)),
            None,
            "72 %: 8 points"
        );
        assert_eq!(
            funnel_drop(&funnel(19, 19), &funnel(40, 0)),
            None,
            "too few before"
        );
        assert_eq!(
            funnel_drop(&funnel(40, 40), &funnel(19, 0)),
            None,
            "too few now"
        );
        assert_eq!(
            funnel_drop(&funnel(40, 20), &funnel(40, 36)),
            None,
            "a rise"
        );
    }
}
