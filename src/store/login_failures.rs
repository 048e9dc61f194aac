//! Failed sign-ins per address (hashed), for the per-account sign-in throttle.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use crate::domain::UserId;
use time::OffsetDateTime;

/// The throttle's key for an end user's address (its `Email::key`): a hash, so the table
/// does not list who was tried. Sign-in, recovery and the console must agree on it.
pub fn login_subject(email_key: &str) -> String {
    crate::domain::sha256_hex(email_key.as_bytes())
}

/// The same for an administrator's address, counted apart from its end-user sign-ins.
pub fn admin_login_subject(email_key: &str) -> String {
    crate::domain::sha256_hex(format!("admin:{email_key}").as_bytes())
}

impl Store {
    /// When sign-ins for this address are refused until, if they are now.
    pub async fn login_blocked_until(
        &self,
        subject_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let row: Option<(Option<String>,)> = on_db!(self, p => sqlx::query_as(sql::login_failures::BLOCKED_UNTIL).bind(subject_hash).bind(to_text(now)).fetch_optional(p).await)?;
        row.and_then(|(until,)| until)
            .map(|until| from_text(&until))
            .transpose()
    }

    /// Counts a failure in the window of `window` before `now`; at `max_failures` the
    /// address is refused until `now + block_for`, and counting starts again after.
    /// Returns that time when this failure reached the limit. `account` is the end user
    /// the address belongs to, if any, so the console can list who is refused.
    pub async fn record_login_failure(
        &self,
        subject_hash: &str,
        account: Option<UserId>,
        now: OffsetDateTime,
        window: time::Duration,
        max_failures: u32,
        block_for: time::Duration,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let (failures,): (i64,) = on_db!(self, write p => sqlx::query_as(sql::login_failures::RECORD)
            .bind(subject_hash)
            .bind(to_text(now))
            .bind(to_text(now - window))
            .bind(account.map(|id| id.to_string()))
            .fetch_one(p)
            .await)?;
        if failures < i64::from(max_failures) {
            return Ok(None);
        }
        let until = now + block_for;
        on_db!(self, write p => sqlx::query(sql::login_failures::BLOCK).bind(subject_hash).bind(to_text(until)).execute(p).await.map(Done::from))?;
        Ok(Some(until))
    }

    /// A successful sign-in forgets the failures before it.
    pub async fn clear_login_failures(&self, subject_hash: &str) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::login_failures::CLEAR).bind(subject_hash).execute(p).await.map(Done::from))?;
        Ok(())
    }

    /// Forgets windows and blocks that ended before `before`.
    pub async fn purge_login_failures(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::login_failures::PURGE).bind(to_text(before)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use time::{Duration, macros::datetime};

    const WINDOW: Duration = Duration::minutes(15);

    #[tokio::test]
    async fn failures_count_within_the_window_only() {
        for store in crate::store::test_stores().await {
            let t0 = datetime!(2026-11-25 10:00 UTC);
            let fail = |at| store.record_login_failure("h", None, at, WINDOW, 3, WINDOW);
            assert_eq!(fail(t0).await.unwrap(), None);
            assert_eq!(fail(t0 + Duration::minutes(5)).await.unwrap(), None);
            // The window opened at t0 has closed: this one counts as the first again.
            assert_eq!(fail(t0 + Duration::minutes(16)).await.unwrap(), None);
            assert_eq!(fail(t0 + Duration::minutes(17)).await.unwrap(), None);
            let third = t0 + Duration::minutes(18);
            assert_eq!(fail(third).await.unwrap(), Some(third + WINDOW));

            let blocked = |at| store.login_blocked_until("h", at);
            assert_eq!(blocked(third).await.unwrap(), Some(third + WINDOW));
            assert_eq!(blocked(third + WINDOW).await.unwrap(), None);
            assert_eq!(
                store.login_blocked_until("other", third).await.unwrap(),
                None
            );

            // After the block, counting starts over.
            assert_eq!(
                fail(third + WINDOW + Duration::minutes(1)).await.unwrap(),
                None
            );
        }
    }

    #[tokio::test]
    async fn clearing_and_purging_forget_an_address() {
        for store in crate::store::test_stores().await {
            let t0 = datetime!(2026-11-25 10:00 UTC);
            for n in 0..2 {
                store
                    .record_login_failure("h", None, t0 + Duration::seconds(n), WINDOW, 3, WINDOW)
                    .await
                    .unwrap();
            }
            store.clear_login_failures("h").await.unwrap();
            let after = t0 + Duration::minutes(1);
            assert_eq!(
                store
                    .record_login_failure("h", None, after, WINDOW, 3, WINDOW)
                    .await
                    .unwrap(),
                None,
                "counted from zero after a success"
            );
            assert_eq!(store.purge_login_failures(t0).await.unwrap(), 0);
            assert_eq!(
                store
                    .purge_login_failures(after + Duration::days(1))
                    .await
                    .unwrap(),
                1
            );
        }
    }
}
