//! Journeys' mail handed straight to this instance's outbox worker as it commits: written
//! already leased to the worker, it goes out without the claim's own commit. Anything the
//! worker cannot take at once is queued unleased and claimed as before.

use super::Engine;
use crate::store::{Effect, HandedMail, MailLease};
use time::OffsetDateTime;

/// Where this instance's mail worker takes leased mail, and for how long it leases it.
pub(super) struct MailHandoff {
    to: tokio::sync::mpsc::Sender<HandedMail>,
    lease: time::Duration,
}

impl Engine {
    /// Leases each mail in `effects` to this instance's worker, when it has one with room
    /// for all of them: the room is reserved before the commit, so that no leased mail can
    /// wait for its lease to run out because the worker's queue filled in between.
    pub(super) fn lease_mail(
        &self,
        effects: &mut [Effect],
        now: OffsetDateTime,
    ) -> Option<tokio::sync::mpsc::PermitIterator<'_, HandedMail>> {
        let mails = effects
            .iter()
            .filter(|e| matches!(e, Effect::Mail(_)))
            .count();
        let handoff = self.inner.mail_handoff.get().filter(|_| mails > 0)?;
        let permits = handoff.to.try_reserve_many(mails).ok()?;
        for effect in effects.iter_mut() {
            if let Effect::Mail(mail) = effect {
                mail.lease = Some(MailLease {
                    id: uuid::Uuid::now_v7().to_string(),
                    until: now + handoff.lease,
                });
            }
        }
        Some(permits)
    }

    /// From now on, mail that journeys queue is leased at commit to the worker behind
    /// `handoff`, for `lease`; it is sent without being claimed, one commit fewer each.
    pub fn hand_mail_to(
        &self,
        handoff: tokio::sync::mpsc::Sender<HandedMail>,
        lease: time::Duration,
    ) {
        let _ = self
            .inner
            .mail_handoff
            .set(MailHandoff { to: handoff, lease });
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Effect, test_stores};
    use time::macros::datetime;

    fn mails(n: usize) -> Vec<Effect> {
        (0..n)
            .map(|i| Effect::Mail(crate::store::test_mail(&format!("p{i}@example.com"))))
            .collect()
    }

    fn leases(effects: &[Effect]) -> Vec<Option<time::OffsetDateTime>> {
        effects
            .iter()
            .map(|e| match e {
                Effect::Mail(m) => m.lease.as_ref().map(|l| l.until),
                _ => None,
            })
            .collect()
    }

    #[tokio::test]
    async fn mail_is_leased_to_the_worker_only_when_it_has_room_for_all_of_it() {
        let now = datetime!(2026-12-07 12:00 UTC);
        let store = test_stores().await.remove(0);
        let engine = super::Engine::for_tests(store);
        let mut unleased = mails(1);
        assert!(
            engine.lease_mail(&mut unleased, now).is_none(),
            "no worker yet"
        );
        assert_eq!(leases(&unleased), vec![None]);

        let (to, mut worker) = tokio::sync::mpsc::channel(2);
        engine.hand_mail_to(to, time::Duration::minutes(1));
        let mut three = mails(3);
        assert!(engine.lease_mail(&mut three, now).is_none(), "room for two");
        assert_eq!(
            leases(&three),
            vec![None; 3],
            "queued unleased, claimed as before"
        );

        let mut two = mails(2);
        let permits = engine.lease_mail(&mut two, now).expect("room for two");
        let until = Some(now + time::Duration::minutes(1));
        assert_eq!(leases(&two), vec![until; 2]);
        for (permit, effect) in permits.zip(&two) {
            let Effect::Mail(mail) = effect else {
                unreachable!()
            };
            permit.send(mail.handed(now).unwrap());
        }
        let handed = worker.recv().await.unwrap();
        assert_eq!(Some(handed.until), until);
        let Effect::Mail(first) = &two[0] else {
            unreachable!()
        };
        assert_eq!(
            (handed.row.id.as_str(), handed.row.subject.as_str()),
            (
                first.lease.as_ref().unwrap().id.as_str(),
                first.subject.as_str()
            ),
            "the worker gets the row as its commit writes it"
        );

        // A worker that stopped takes nothing: its mail must stay claimable.
        drop(worker);
        let mut after = mails(1);
        assert!(engine.lease_mail(&mut after, now).is_none());
        assert_eq!(leases(&after), vec![None]);
    }
}
