//! Who a finished journey signs in, in one place for every way a journey ends (a form, an
//! e-mailed link): the account it made or proved, only while that account may sign in.
//! An account this instance has just created is known without reading it back, which
//! saved a round trip to the database at the end of every registration.

use super::{Engine, EngineError, Execution};
use crate::domain::UserId;
use crate::store::Effect;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The auth version an account is created at (`INSERT_USER`).
const NEW_ACCOUNT_AUTH_VERSION: i64 = 1;
/// A journey's last press is answered in well under this; an entry older than it is one
/// nobody will ask for (the JSON API signs no one in).
const KEPT_FOR: Duration = Duration::from_secs(2);
const KEPT_AT_MOST: usize = 1024;

/// Accounts created by this instance's commits a moment ago: whether each may sign in.
pub(super) type CreatedAccounts = HashMap<UserId, (bool, Instant)>;

/// The rule, for an account just made and for one read: active, not awaiting an
/// administrator's approval (nor disabled).
fn may_sign_in(status: &str) -> bool {
    status == "ACTIVE"
}

impl Engine {
    /// The account `execution` made or proved and the auth version its session holds,
    /// when it may sign in now: active, not awaiting an administrator's approval.
    pub async fn sign_in_of(
        &self,
        execution: &Execution,
    ) -> Result<Option<(UserId, i64)>, EngineError> {
        let Some(id) = execution.user_id else {
            return Ok(None);
        };
        let created = self
            .inner
            .created
            .lock()
            .ok()
            .and_then(|mut created| created.remove(&id))
            .filter(|(_, at)| at.elapsed() < KEPT_FOR);
        if let Some((active, _)) = created {
            return Ok(active.then_some((id, NEW_ACCOUNT_AUTH_VERSION)));
        }
        Ok(self
            .inner
            .store
            .user_by_id(id)
            .await?
            .filter(|user| may_sign_in(&user.status))
            .map(|user| (user.id, user.auth_version)))
    }

    /// After a commit: the accounts it created, for `sign_in_of`.
    pub(super) fn note_created_accounts(&self, effects: &[Effect]) {
        let made: Vec<(UserId, bool)> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::CreateUser(user) => Some((user.id, may_sign_in(user.status))),
                _ => None,
            })
            .collect();
        if made.is_empty() {
            return;
        }
        let Ok(mut created) = self.inner.created.lock() else {
            return;
        };
        if created.len() >= KEPT_AT_MOST {
            created.retain(|_, (_, at)| at.elapsed() < KEPT_FOR);
            if created.len() >= KEPT_AT_MOST {
                created.clear();
            }
        }
        let now = Instant::now();
        created.extend(made.into_iter().map(|(id, active)| (id, (active, now))));
    }
}

#[cfg(test)]
mod tests {
    use super::super::Engine;
    use crate::domain::UserId;
    use crate::store::{CommitOutcome, Effect, NewUser, test_execution, test_stores};
    use time::macros::datetime;

    fn account(n: u32, status: &'static str) -> NewUser {
        NewUser {
            id: UserId::new(),
            email: format!("person{n}@example.com"),
            email_key: format!("person{n}@example.com"),
            email_verified: true,
            username: None,
            attributes: Default::default(),
            password_hash: None,
            status,
            locale: None,
        }
    }

    #[tokio::test]
    async fn a_finished_journey_signs_in_only_an_account_that_may_sign_in() {
        let now = datetime!(2026-12-07 12:00 UTC);
        for store in test_stores().await {
            let backend = store.backend();
            let engine = Engine::for_tests(store.clone());
            // Made by this instance a moment ago: known without reading it back, so it
            // signs in even if its row were gone meanwhile; asked once, it is read after.
            let (store, engine) = (&store, &engine);
            let made = |n, status| async move {
                let user = account(n, status);
                let mut execution = test_execution(store, "done", now).await;
                execution.user_id = Some(user.id);
                let mut effects = [Effect::CreateUser(user)];
                let committed = engine.commit(&execution, None, &mut effects, now).await;
                assert_eq!(committed.unwrap(), CommitOutcome::Committed, "{backend}");
                execution
            };
            let active = made(1, "ACTIVE").await;
            let id = active.user_id.unwrap();
            store.delete_user(id).await.unwrap();
            assert_eq!(
                engine.sign_in_of(&active).await.unwrap(),
                Some((id, 1)),
                "{backend}"
            );
            assert_eq!(
                engine.sign_in_of(&active).await.unwrap(),
                None,
                "{backend}: read the second time, and gone"
            );
            let pending = made(2, "PENDING_APPROVAL").await;
            assert_eq!(
                engine.sign_in_of(&pending).await.unwrap(),
                None,
                "{backend}: not while an administrator has not approved it"
            );

            // Made elsewhere (another instance, or a while ago): read, with the same rule.
            for (n, status, signs_in) in [(3, "ACTIVE", true), (4, "PENDING_APPROVAL", false)] {
                let user = account(n, status);
                let mut execution = test_execution(store, "done", now).await;
                execution.user_id = Some(user.id);
                let mut effects = [Effect::CreateUser(user)];
                store
                    .commit(&execution, None, &mut effects, now)
                    .await
                    .unwrap();
                assert_eq!(
                    engine.sign_in_of(&execution).await.unwrap(),
                    signs_in.then(|| (execution.user_id.unwrap(), 1)),
                    "{backend}: {status}"
                );
            }
        }
    }
}
