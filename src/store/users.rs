use super::{AuditEntry, Done, NewMail, Store, StoreError, from_text, on_db, to_text};
use crate::domain::{Email, UserId, username_key};
use std::collections::BTreeMap;
use time::OffsetDateTime;

#[derive(Clone)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub email_verified: bool,
    pub username: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub password_hash: Option<String>,
    pub status: String,
    pub auth_version: i64,
    pub created_at: OffsetDateTime,
    /// The language tag the person registered in, when known.
    pub locale: Option<String>,
}

impl UserRow {
    /// First and last name as collected, joined; empty when neither is known.
    pub fn display_name(&self) -> String {
        [
            self.attributes.get("given_name"),
            self.attributes.get("family_name"),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// The address's key, as looked up and throttled by; an address stored before today's
    /// parsing rules that no longer parses falls back to its lower case.
    pub fn email_key(&self) -> String {
        Email::parse(&self.email).map_or_else(|_| self.email.to_lowercase(), |e| e.key())
    }
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither personal data nor the hash belongs in a debug line.
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct RawUser {
    id: String,
    email: String,
    email_verified: i64,
    username: Option<String>,
    attributes: String,
    password_hash: Option<String>,
    status: String,
    auth_version: i64,
    created_at: String,
    locale: Option<String>,
}

impl TryFrom<RawUser> for UserRow {
    type Error = StoreError;
    fn try_from(r: RawUser) -> Result<Self, StoreError> {
        Ok(UserRow {
            id: r
                .id
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("user id {}", r.id)))?,
            email: r.email,
            email_verified: r.email_verified != 0,
            username: r.username,
            attributes: serde_json::from_str(&r.attributes)?,
            password_hash: r.password_hash,
            status: r.status,
            auth_version: r.auth_version,
            created_at: from_text(&r.created_at)?,
            locale: r.locale,
        })
    }
}

impl Store {
    pub async fn user_by_email(&self, email_key: &str) -> Result<Option<UserRow>, StoreError> {
        let raw: Option<RawUser> = on_db!(self, p => sqlx::query_as(sql::users::BY_EMAIL).bind(email_key).fetch_optional(p).await)?;
        raw.map(UserRow::try_from).transpose()
    }

    /// The account whose username reads as `username` (see `username_key`); an exact match
    /// first, for accounts made before keys that share one.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        let key = username_key(username);
        let raw: Option<RawUser> = on_db!(self, p => sqlx::query_as(sql::users::BY_USERNAME).bind(&key).bind(username.trim()).fetch_optional(p).await)?;
        raw.map(UserRow::try_from).transpose()
    }

    /// Replaces `old` by `new`, a hash of the same password with the parameters in force;
    /// false when the password changed meanwhile.
    pub async fn upgrade_password_hash(
        &self,
        id: UserId,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::users::UPGRADE_PASSWORD_HASH).bind(id.to_string()).bind(old).bind(new).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    /// A signed-in person's new password, with everything that goes with it, at once: the
    /// hash replaced if it is still `old_hash` (the one they proved), every session ended
    /// (auth version), outstanding links and recoveries for the address ended, the sign-in
    /// throttle cleared, the notice mail queued and the audit entry written. The new auth
    /// version, or `None` when the password changed meanwhile.
    #[allow(clippy::too_many_arguments)]
    pub async fn change_password(
        &self,
        id: UserId,
        old_hash: &str,
        new_hash: &str,
        email_key: &str,
        mail: &NewMail,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<Option<i64>, StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            let changed: Option<(i64,)> = sqlx::query_as(sql::users::CHANGE_PASSWORD)
                .bind(id.to_string()).bind(old_hash).bind(new_hash).bind(to_text(now))
                .fetch_optional(&mut *tx).await?;
            let Some((version,)) = changed else {
                tx.rollback().await?;
                return Ok(None);
            };
            sqlx::query(sql::executions::END_LINKS_FOR).bind(email_key).bind(to_text(now)).execute(&mut *tx).await?;
            sqlx::query(sql::users::END_RECOVERIES).bind(email_key).bind(to_text(now)).execute(&mut *tx).await?;
            sqlx::query(sql::login_failures::CLEAR).bind(super::login_failures::login_subject(email_key)).execute(&mut *tx).await?;
            if !super::outbox::queue_mail!(&mut *tx, mail, now)? {
                super::audit::insert_audit!(super::outbox::quota_entry(audit.actor.clone(), mail), now, &mut *tx)?;
            }
            super::audit::insert_audit!(audit, now, &mut *tx)?;
            tx.commit().await?;
            Ok::<Option<i64>, StoreError>(Some(version))
        })
    }

    /// Accounts waiting for an administrator's approval, oldest first, a page at a time.
    pub async fn pending_approvals(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<UserRow>, StoreError> {
        let rows: Vec<RawUser> = on_db!(self, p => sqlx::query_as(sql::users::PENDING_APPROVAL)
            .bind(limit).bind(offset).fetch_all(p).await)?;
        rows.into_iter().map(UserRow::try_from).collect()
    }

    pub async fn count_pending_approvals(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = on_db!(self, p => sqlx::query_as(sql::users::COUNT_PENDING_APPROVAL).fetch_one(p).await)?;
        Ok(n)
    }

    /// Approves (the account becomes active) or rejects (the account is deleted, so the
    /// address may register again) an account still waiting, with the person's mail and the
    /// audit entry in the same commit. `false` when it no longer waits: another
    /// administrator decided first.
    pub async fn decide_approval(
        &self,
        id: UserId,
        approve: bool,
        mail: &NewMail,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        on_db!(self, write p => {
            let mut tx = p.begin_write().await?;
            let decided = if approve {
                sqlx::query(sql::users::APPROVE).bind(id.to_string()).bind(to_text(now)).execute(&mut *tx).await?
            } else {
                sqlx::query(sql::users::REJECT).bind(id.to_string()).execute(&mut *tx).await?
            };
            if decided.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
            if !super::outbox::queue_mail!(&mut *tx, mail, now)? {
                super::audit::insert_audit!(super::outbox::quota_entry(audit.actor.clone(), mail), now, &mut *tx)?;
            }
            super::audit::insert_audit!(audit, now, &mut *tx)?;
            tx.commit().await?;
            Ok::<bool, StoreError>(true)
        })
    }

    /// Keys the usernames the migration could not (not ASCII): SQL has no NFKC. A name whose
    /// key another account holds already keeps none, and is found by its exact form only.
    /// Returns how many were keyed.
    pub async fn key_usernames(&self) -> Result<usize, StoreError> {
        let unkeyed: Vec<(String, String)> =
            on_db!(self, p => sqlx::query_as(sql::users::UNKEYED_USERNAMES).fetch_all(p).await)?;
        let mut keyed = 0;
        let update = on_db!(self, _p => sql::users::SET_USERNAME_KEY);
        for (id, username) in unkeyed {
            if self.set_key(update, &username_key(&username), &id).await? {
                keyed += 1;
            } else {
                tracing::warn!(user = %id, "username reads as another account's: found by its exact form only");
            }
        }
        Ok(keyed)
    }

    /// Runs `update` (a key, then a row id); false when another row holds that key already.
    async fn set_key(&self, update: &'static str, key: &str, id: &str) -> Result<bool, StoreError> {
        let set = on_db!(self, write p => sqlx::query(update).bind(key).bind(id).execute(p).await.map(Done::from));
        match set {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Re-keys addresses stored before keys took a domain's punycode form (`ada@éxample.com`
    /// is now `ada@xn--xample-9ua.com`), so that their owners are still recognised. Only keys
    /// that are not ASCII are read. An address whose new key another row holds already keeps
    /// its old one, with a warning. Returns how many were re-keyed.
    pub async fn rekey_emails(&self) -> Result<usize, StoreError> {
        let tables = on_db!(self, _p => [
            ("users", sql::users::OLD_EMAIL_KEYS_USERS, sql::users::SET_EMAIL_KEY_USERS),
            ("admins", sql::users::OLD_EMAIL_KEYS_ADMINS, sql::users::SET_EMAIL_KEY_ADMINS),
            ("invitations", sql::users::OLD_EMAIL_KEYS_INVITATIONS, sql::users::SET_EMAIL_KEY_INVITATIONS),
        ]);
        let mut rekeyed = 0;
        for (table, select, update) in tables {
            let old: Vec<(String, String)> =
                on_db!(self, p => sqlx::query_as(select).fetch_all(p).await)?;
            for (id, email) in old {
                let Ok(email) = Email::parse(&email) else {
                    tracing::warn!(table, row = %id, "stored address no longer parses: left as it was");
                    continue;
                };
                if self.set_key(update, &email.key(), &id).await? {
                    rekeyed += 1;
                } else {
                    tracing::warn!(table, row = %id, "address reads as another row's: key left as it was");
                }
            }
        }
        Ok(rekeyed)
    }

    pub async fn user_by_id(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        let raw: Option<RawUser> = on_db!(self, p => sqlx::query_as(sql::users::BY_ID).bind(id.to_string()).fetch_optional(p).await)?;
        raw.map(UserRow::try_from).transpose()
    }

    /// `ACTIVE`, `DISABLED` (switched off by an administrator) or `LOCKED` (held for a
    /// security reason). Only `ACTIVE` accounts sign in or get recovery mail.
    pub async fn set_user_status(
        &self,
        id: UserId,
        status: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::users::SET_STATUS).bind(id.to_string()).bind(status).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let n: (i64,) =
            on_db!(self, p => sqlx::query_as(sql::users::COUNT_USERS).fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Returns false when an administrator with that e-mail already exists.
    pub async fn create_admin(
        &self,
        email: &str,
        email_key: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let result = on_db!(self, write p => sqlx::query(sql::users::INSERT_ADMIN)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(email_key)
            .bind(email)
            .bind(password_hash)
            .bind(to_text(now))
            .execute(p)
            .await.map(Done::from));
        match result {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn count_admins(&self) -> Result<i64, StoreError> {
        let n: (i64,) =
            on_db!(self, p => sqlx::query_as(sql::users::COUNT_ADMINS).fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Accounts created since `since`.
    pub async fn count_users_since(&self, since: OffsetDateTime) -> Result<i64, StoreError> {
        let n: (i64,) = on_db!(self, p => sqlx::query_as(sql::users::SINCE).bind(to_text(since)).fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Accounts matching part of an address, username or name, newest first.
    pub async fn search_users(
        &self,
        part: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<UserRow>, StoreError> {
        self.search_users_in(part, None, None, limit, offset).await
    }

    /// `search_users` among the accounts in `status` (`ACTIVE`, `LOCKED`…) when one is
    /// given: filtered by the query, so that paging counts matching accounts only. An
    /// account the sign-in throttle refuses after `throttled_after` is `LOCKED`, not
    /// `ACTIVE` (`None`: the throttle is off, nobody is refused).
    pub async fn search_users_in(
        &self,
        part: &str,
        status: Option<&str>,
        throttled_after: Option<OffsetDateTime>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<UserRow>, StoreError> {
        let raw: Vec<RawUser> = on_db!(self, p => sqlx::query_as(sql::users::SEARCH)
            .bind(part.trim().to_lowercase())
            .bind(limit)
            .bind(offset)
            .bind(status.unwrap_or_default())
            .bind(throttled_after.map(to_text))
            .fetch_all(p)
            .await)?;
        raw.into_iter().map(UserRow::try_from).collect()
    }

    /// Ends every session of the account: they carry the auth version they began under.
    pub async fn sign_user_out_everywhere(
        &self,
        id: UserId,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::users::SIGN_OUT_EVERYWHERE).bind(id.to_string()).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn delete_user(&self, id: UserId) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::users::DELETE_USER).bind(id.to_string()).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod key_tests {
    use crate::domain::{UserId, username_key};
    use crate::store::{CommitOutcome, Effect, NewUser, Store, test_execution, test_stores};
    use time::macros::datetime;

    /// Commits a new execution that creates an account named `username`.
    async fn register(store: &Store, n: usize, username: &str) -> CommitOutcome {
        let now = datetime!(2026-11-30 12:00 UTC) + time::Duration::minutes(n as i64);
        let execution = test_execution(store, "done", now).await;
        let user = NewUser {
            id: UserId::new(),
            email: format!("person{n}@example.com"),
            email_key: format!("person{n}@example.com"),
            email_verified: true,
            username: Some(username.to_owned()),
            attributes: Default::default(),
            password_hash: None,
            status: "ACTIVE",
            locale: None,
        };
        store
            .commit(&execution, None, &mut [Effect::CreateUser(user)], now)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn look_alike_usernames_cannot_hold_two_accounts_and_each_finds_the_one() {
        for store in test_stores().await {
            let backend = store.backend();
            assert_eq!(register(&store, 0, "Ada").await, CommitOutcome::Committed);
            assert_eq!(register(&store, 1, "Zoë").await, CommitOutcome::Committed);
            for (n, look_alike) in [
                "ada",
                "ADA",
                "\u{FF21}da",
                "a\u{200B}da",
                "Zoe\u{0308}",
                "ZOË",
            ]
            .into_iter()
            .enumerate()
            {
                assert_eq!(
                    register(&store, 10 + n, look_alike).await,
                    CommitOutcome::UserExists,
                    "{backend}: {look_alike:?}"
                );
                let found = store.user_by_username(look_alike).await.unwrap();
                let found = found.and_then(|u| u.username).unwrap_or_default();
                assert_eq!(username_key(&found), username_key(look_alike), "{backend}");
            }
            assert!(store.user_by_username("adam").await.unwrap().is_none());
        }
    }

    #[tokio::test]
    async fn an_account_the_throttle_refuses_is_found_as_locked_and_not_as_active() {
        for store in test_stores().await {
            let backend = store.backend();
            register(&store, 0, "Ada").await;
            register(&store, 1, "Bea").await;
            let ada = store
                .user_by_email("person0@example.com")
                .await
                .unwrap()
                .unwrap();
            let now = datetime!(2026-12-07 10:00 UTC);
            let window = time::Duration::minutes(15);
            let subject = super::super::login_subject(&ada.email_key());
            for _ in 0..3 {
                store
                    .record_login_failure(&subject, Some(ada.id), now, window, 3, window)
                    .await
                    .unwrap();
            }
            let names = |status: &'static str, after: Option<time::OffsetDateTime>| {
                let store = &store;
                async move {
                    let found = store.search_users_in("", Some(status), after, 10, 0).await;
                    let found = found.unwrap().into_iter().map(|u| u.username.unwrap());
                    found.collect::<Vec<_>>()
                }
            };
            assert_eq!(names("LOCKED", Some(now)).await, ["Ada"], "{backend}");
            assert_eq!(names("ACTIVE", Some(now)).await, ["Bea"], "{backend}");
            // Once the block has ended, or with the throttle off, Ada is active again.
            let later = now + window + time::Duration::seconds(1);
            assert!(names("LOCKED", Some(later)).await.is_empty(), "{backend}");
            assert_eq!(names("ACTIVE", None).await, ["Bea", "Ada"], "{backend}");
        }
    }

    #[tokio::test]
    async fn names_from_before_keys_are_keyed_at_start_and_a_clash_keeps_its_exact_name() {
        for store in test_stores().await {
            let backend = store.backend();
            for (n, name) in ["Ｅve", "ÉMILE", "eve"].into_iter().enumerate() {
                assert_eq!(register(&store, n, name).await, CommitOutcome::Committed);
                // As the migration leaves a name it cannot fold in SQL.
                crate::store::on_db!(&store, write p => sqlx::query("UPDATE users SET username_key = NULL").execute(p).await.map(crate::store::Done::from)).unwrap();
            }
            // `Ｅve` is keyed first (the oldest); `eve` then reads as it and keeps no key.
            assert_eq!(store.key_usernames().await.unwrap(), 2, "{backend}");
            assert_eq!(store.key_usernames().await.unwrap(), 0, "{backend}: once");
            let emile = store.user_by_username("émile").await.unwrap().unwrap();
            assert_eq!(emile.username.as_deref(), Some("ÉMILE"), "{backend}");
            let exact = store.user_by_username("eve").await.unwrap().unwrap();
            assert_eq!(
                exact.username.as_deref(),
                Some("eve"),
                "{backend}: exact first"
            );
            let folded = store.user_by_username("EVE").await.unwrap().unwrap();
            assert_eq!(folded.username.as_deref(), Some("Ｅve"), "{backend}");
        }
    }

    #[tokio::test]
    async fn addresses_keyed_before_punycode_are_rekeyed_and_found_again() {
        let now = datetime!(2026-11-30 12:00 UTC);
        let bea = crate::domain::Email::parse("bea@exämple.com")
            .unwrap()
            .key();
        for store in test_stores().await {
            let backend = store.backend();
            for n in 0..3 {
                assert_eq!(
                    register(&store, n, &format!("p{n}")).await,
                    CommitOutcome::Committed
                );
            }
            // As keys were stored before: lower case, the domain in Unicode. The third was
            // registered since, under the new key of the second, which keeps its old one.
            for (n, email, key) in [
                (0, "Ada@Éxample.com", "ada@éxample.com"),
                (1, "bea@exämple.com", "bea@exämple.com"),
                (2, "bea@exämple.com", bea.as_str()),
            ] {
                crate::store::on_db!(&store, write p => sqlx::query("UPDATE users SET email = $1, email_key = $2 WHERE email = $3")
                    .bind(email).bind(key).bind(format!("person{n}@example.com")).execute(p).await.map(crate::store::Done::from)).unwrap();
            }
            assert!(
                store
                    .create_admin("Root@Éxample.com", "root@éxample.com", "x", now)
                    .await
                    .unwrap()
            );
            assert_eq!(
                store.rekey_emails().await.unwrap(),
                2,
                "{backend}: Ada and the administrator"
            );
            assert_eq!(store.rekey_emails().await.unwrap(), 0, "{backend}: once");
            let key = crate::domain::Email::parse("ADA@ÉXAMPLE.com")
                .unwrap()
                .key();
            assert_eq!(key, "ada@xn--xample-9ua.com");
            let found = store.user_by_email(&key).await.unwrap().unwrap();
            assert_eq!(found.email, "Ada@Éxample.com", "{backend}");
            assert!(
                store
                    .admin_by_email("root@xn--xample-9ua.com")
                    .await
                    .unwrap()
                    .is_some(),
                "{backend}"
            );
            assert!(
                store
                    .user_by_email("bea@exämple.com")
                    .await
                    .unwrap()
                    .is_some(),
                "{backend}: left"
            );
        }
    }

    #[tokio::test]
    async fn the_key_fixups_run_at_the_first_start_only() {
        for store in test_stores().await {
            let backend = store.backend();
            assert_eq!(register(&store, 0, "Ｚed").await, CommitOutcome::Committed);
            crate::store::on_db!(&store, write p => sqlx::query("UPDATE users SET username_key = NULL").execute(p).await.map(crate::store::Done::from)).unwrap();
            // A later start does not scan again: the fix-up was done when the database was new.
            store.migrate().await.unwrap();
            assert!(
                store.user_by_username("zed").await.unwrap().is_none(),
                "{backend}"
            );
            assert_eq!(store.key_usernames().await.unwrap(), 1, "{backend}");
            assert!(
                store.user_by_username("zed").await.unwrap().is_some(),
                "{backend}"
            );
        }
    }
}
