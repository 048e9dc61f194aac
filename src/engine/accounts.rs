//! Signing in, for people and administrators alike: one throttle per address, one check
//! that costs the same whether the address has an account or not, a hash upgraded when its
//! parameters are old, and an audit entry for every outcome. The two differ only in which
//! accounts they look up, which throttle counter they use, and how soon hashing may shed
//! them. Also the administrators' own acts: add, remove, change their password.

use super::{Actor, Engine, EngineError, HashOwner};
use crate::domain::{Email, FieldError, UserId};
use crate::password_hash::Priority;
use crate::store::{AdminRow, AuditEntry, Store, StoreError, UserRow};
use secrecy::SecretString;
use time::OffsetDateTime;

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn<A> {
    SignedIn(A),
    /// Wrong address or password: which one is never said.
    Wrong,
    /// Too many failures for this address; refused until then, without a hash.
    Blocked(OffsetDateTime),
}

/// An account one can sign in to.
trait Account: Sized {
    /// The audit actions of a sign-in that succeeded, failed, or reached the lockout.
    const ACTIONS: [&'static str; 3];
    /// A new person's sign-in is the first work shed under load; an administrator's the last.
    const PRIORITY: Priority;
    fn throttle_subject(email_key: &str) -> String;
    async fn find(store: &Store, email_key: &str) -> Result<Option<Self>, StoreError>;
    /// The stored hash, if the account may sign in at all.
    fn usable_hash(&self) -> Option<&str>;
    /// How the audit log names it.
    fn audit_name(&self) -> String;
    fn owner(&self) -> HashOwner;
}

impl Account for UserRow {
    const ACTIONS: [&'static str; 3] = [
        "user.signed_in",
        "user.sign_in_failed",
        "user.sign_in_locked_out",
    ];
    const PRIORITY: Priority = Priority::Start;
    fn throttle_subject(email_key: &str) -> String {
        crate::store::login_subject(email_key)
    }
    async fn find(store: &Store, email_key: &str) -> Result<Option<Self>, StoreError> {
        store.user_by_email(email_key).await
    }
    fn usable_hash(&self) -> Option<&str> {
        self.password_hash
            .as_deref()
            .filter(|_| self.status == "ACTIVE")
    }
    fn audit_name(&self) -> String {
        format!("user:{}", self.id)
    }
    fn owner(&self) -> HashOwner {
        HashOwner::User(self.id)
    }
}

impl Account for AdminRow {
    const ACTIONS: [&'static str; 3] = [
        "admin.signed_in",
        "admin.sign_in_failed",
        "admin.sign_in_locked_out",
    ];
    const PRIORITY: Priority = Priority::Finish;
    fn throttle_subject(email_key: &str) -> String {
        // Counted apart from the same address's end-user sign-ins.
        crate::store::admin_login_subject(email_key)
    }
    async fn find(store: &Store, email_key: &str) -> Result<Option<Self>, StoreError> {
        store.admin_by_email(email_key).await
    }
    fn usable_hash(&self) -> Option<&str> {
        Some(&self.password_hash)
    }
    fn audit_name(&self) -> String {
        format!("admin:{}", self.email)
    }
    fn owner(&self) -> HashOwner {
        HashOwner::Admin(self.id.clone())
    }
}

/// Why an administrator was not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminRefusal {
    /// Not an address (the domain's code).
    Email(&'static str),
    Password(FieldError),
    Exists,
}

/// Why an administrator was not removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovalRefusal {
    Gone,
    Yourself,
    LastOwner,
}

/// How an administrator's password change ended.
#[derive(Debug)]
pub enum AdminPasswordChange {
    /// This session carries on under this auth version; all others end.
    Changed {
        auth_version: i64,
    },
    /// Counts as a failed sign-in for the address.
    WrongCurrent,
    Blocked(OffsetDateTime),
    Refused(FieldError),
}

impl Engine {
    /// Until when sign-ins for `subject` are refused; `None` when they are not or the
    /// throttle is off. Counted per account address, not per client: the per-client post
    /// limit alone would let guesses spread over many client addresses through.
    pub(crate) async fn login_blocked_until(
        &self,
        subject: &str,
    ) -> Result<Option<OffsetDateTime>, EngineError> {
        if self.settings().login_max_failures == 0 {
            return Ok(None);
        }
        Ok(self
            .inner
            .store
            .login_blocked_until(subject, self.now())
            .await?)
    }

    /// Counts a failed sign-in; until when sign-ins are refused if this one reached the limit.
    /// `account` is the end user the address belongs to, when it is one.
    pub(crate) async fn record_login_failure(
        &self,
        subject: &str,
        account: Option<UserId>,
    ) -> Result<Option<OffsetDateTime>, EngineError> {
        let settings = self.settings();
        if settings.login_max_failures == 0 {
            return Ok(None);
        }
        let lockout = settings.login_lockout;
        Ok(self
            .inner
            .store
            .record_login_failure(
                subject,
                account,
                self.now(),
                lockout,
                settings.login_max_failures,
                lockout,
            )
            .await?)
    }

    /// Every outcome writes one entry, known address or not, so the work done tells nothing.
    async fn audit_sign_in(
        &self,
        action: &'static str,
        known: Option<String>,
        client: Option<&str>,
    ) {
        let entry = AuditEntry {
            actor: known.clone().unwrap_or_else(|| "anonymous".to_owned()),
            action,
            subject: known,
            detail: serde_json::json!({ "ip": client.unwrap_or_default() }),
        };
        if let Err(e) = self.inner.store.audit(&entry, self.now()).await {
            tracing::error!(error = %e, "sign-in audit entry not written");
        }
    }

    async fn sign_in<A: Account>(
        &self,
        raw_email: &str,
        password: &SecretString,
        client: Option<&str>,
    ) -> Result<SignIn<A>, EngineError> {
        let hasher = self.hasher().at(A::PRIORITY);
        let Ok(email) = Email::parse(raw_email) else {
            // The same cost as a real check, so timing tells nothing.
            hasher.check(password, None).await?;
            return Ok(SignIn::Wrong);
        };
        // Counted per address whether or not it has an account, so the throttle tells
        // nothing about which exist; checked before the hash, so a blocked guess costs none.
        let subject = A::throttle_subject(&email.key());
        if let Some(until) = self.login_blocked_until(&subject).await? {
            return Ok(SignIn::Blocked(until));
        }
        let account = A::find(&self.inner.store, &email.key()).await?;
        let hash = account.as_ref().and_then(A::usable_hash);
        let matches = hasher.check(password, hash).await?;
        let known = account.as_ref().map(A::audit_name);
        let person = account.as_ref().and_then(|a| match a.owner() {
            HashOwner::User(id) => Some(id),
            HashOwner::Admin(_) => None,
        });
        let [signed_in, failed, locked_out] = A::ACTIONS;
        match account.filter(|_| matches) {
            Some(account) => {
                self.inner.store.clear_login_failures(&subject).await?;
                if let Some(stored) = account.usable_hash() {
                    self.rehash_if_outdated(account.owner(), password, stored);
                }
                self.audit_sign_in(signed_in, known, client).await;
                Ok(SignIn::SignedIn(account))
            }
            None => match self.record_login_failure(&subject, person).await? {
                Some(until) => {
                    tracing::warn!("sign-ins refused for an address after repeated failures");
                    metrics::counter!("flows_login_throttled_total").increment(1);
                    self.audit_sign_in(locked_out, known, client).await;
                    Ok(SignIn::Blocked(until))
                }
                None => {
                    self.audit_sign_in(failed, known, client).await;
                    Ok(SignIn::Wrong)
                }
            },
        }
    }

    /// A person signs in to their account page.
    pub async fn sign_in_person(
        &self,
        raw_email: &str,
        password: &SecretString,
        client: Option<&str>,
    ) -> Result<SignIn<UserRow>, EngineError> {
        self.sign_in(raw_email, password, client).await
    }

    /// An administrator signs in to the console.
    pub async fn sign_in_admin(
        &self,
        raw_email: &str,
        password: &SecretString,
        client: Option<&str>,
    ) -> Result<SignIn<AdminRow>, EngineError> {
        self.sign_in(raw_email, password, client).await
    }

    /// The person a session names, while the session is still good: the account active and
    /// its password unchanged since the session began.
    pub async fn signed_in_person(
        &self,
        id: UserId,
        auth_version: i64,
    ) -> Result<Option<UserRow>, EngineError> {
        Ok(self
            .inner
            .store
            .user_by_id(id)
            .await?
            .filter(|u| u.auth_version == auth_version && u.status == "ACTIVE"))
    }

    /// The administrator a console session names, while it is still good (not removed, the
    /// password unchanged since it began).
    pub async fn signed_in_admin(
        &self,
        id: &str,
        auth_version: i64,
    ) -> Result<Option<AdminRow>, EngineError> {
        Ok(self
            .inner
            .store
            .admin_by_id(id)
            .await?
            .filter(|a| a.auth_version == auth_version))
    }

    pub async fn admins(&self) -> Result<Vec<AdminRow>, EngineError> {
        Ok(self.inner.store.admins().await?)
    }

    pub async fn admin(&self, id: &str) -> Result<Option<AdminRow>, EngineError> {
        Ok(self.inner.store.admin_by_id(id).await?)
    }

    /// A new administrator (`owner` or `operator`), the password held to the policy in force.
    pub async fn add_admin(
        &self,
        raw_email: &str,
        password: &SecretString,
        operator: bool,
        actor: &Actor,
    ) -> Result<Result<AdminRow, AdminRefusal>, EngineError> {
        actor.must_own()?;
        let email = match Email::parse(raw_email) {
            Ok(e) => e,
            Err(e) => return Ok(Err(AdminRefusal::Email(e.code))),
        };
        if let Some(problem) = self.new_password_problem(password, &[email.as_str()]).await {
            return Ok(Err(AdminRefusal::Password(problem)));
        }
        self.create_admin(&email, password, operator, actor).await
    }

    async fn create_admin(
        &self,
        email: &Email,
        password: &SecretString,
        operator: bool,
        actor: &Actor,
    ) -> Result<Result<AdminRow, AdminRefusal>, EngineError> {
        let hash = self.hasher().hash(password).await?;
        let store = &self.inner.store;
        if !store
            .create_admin(email.as_str(), &email.key(), &hash, self.now())
            .await?
        {
            return Ok(Err(AdminRefusal::Exists));
        }
        let Some(mut created) = store.admin_by_email(&email.key()).await? else {
            return Err(EngineError::Store(StoreError::Corrupt(
                "an administrator vanished as it was made".into(),
            )));
        };
        let role = if operator { "operator" } else { "owner" };
        if operator {
            store.set_admin_role(&created.id, role).await?;
            created.role = role.to_owned();
        }
        let entry = actor.entry(
            "admin.created",
            format!("admin:{}", email.as_str()),
            serde_json::json!({ "role": role }),
        );
        store.audit(&entry, self.now()).await?;
        Ok(Ok(created))
    }

    /// The administrator named in the configuration, made at start-up when there is none:
    /// the password is the operator's own choice, so only the address is checked.
    pub async fn bootstrap_admin(
        &self,
        raw_email: &str,
        password: &SecretString,
    ) -> Result<Result<bool, AdminRefusal>, EngineError> {
        if self.inner.store.count_admins().await? > 0 {
            return Ok(Ok(false));
        }
        let email = match Email::parse(raw_email) {
            Ok(e) => e,
            Err(e) => return Ok(Err(AdminRefusal::Email(e.code))),
        };
        let actor = Actor {
            name: "config".into(),
            address: None,
            via: None,
            role: super::Role::Owner,
        };
        Ok(self
            .create_admin(&email, password, false, &actor)
            .await?
            .map(|_| true))
    }

    /// Removes another administrator: never oneself, never the last owner.
    pub async fn remove_admin(
        &self,
        id: &str,
        by: &AdminRow,
        actor: &Actor,
    ) -> Result<Result<AdminRow, RemovalRefusal>, EngineError> {
        actor.must_own()?;
        let Some(other) = self.inner.store.admin_by_id(id).await? else {
            return Ok(Err(RemovalRefusal::Gone));
        };
        if other.id == by.id {
            return Ok(Err(RemovalRefusal::Yourself));
        }
        let entry = actor.entry(
            "admin.removed",
            format!("admin:{}", other.email),
            serde_json::json!({}),
        );
        if self
            .inner
            .store
            .remove_admin(&other.id, &entry, self.now())
            .await?
        {
            Ok(Ok(other))
        } else {
            Ok(Err(RemovalRefusal::LastOwner))
        }
    }

    /// An administrator changes their own password: the current one proven (a wrong one
    /// counts against the address's sign-in throttle, as for people), the new one held to
    /// the policy in force.
    pub async fn change_admin_password(
        &self,
        admin: &AdminRow,
        current: &SecretString,
        new: &SecretString,
        actor: &Actor,
    ) -> Result<AdminPasswordChange, EngineError> {
        let key = Email::parse(&admin.email)
            .map(|e| e.key())
            .unwrap_or_else(|_| admin.email.to_lowercase());
        let subject = AdminRow::throttle_subject(&key);
        if let Some(until) = self.login_blocked_until(&subject).await? {
            return Ok(AdminPasswordChange::Blocked(until));
        }
        let hasher = self.hasher();
        if !hasher.check(current, Some(&admin.password_hash)).await? {
            return Ok(match self.record_login_failure(&subject, None).await? {
                Some(until) => AdminPasswordChange::Blocked(until),
                None => AdminPasswordChange::WrongCurrent,
            });
        }
        if let Some(problem) = self
            .new_password_problem(new, &[admin.email.as_str()])
            .await
        {
            return Ok(AdminPasswordChange::Refused(problem));
        }
        let hash = hasher.hash(new).await?;
        let entry = actor.entry(
            "admin.password_changed",
            format!("admin:{}", admin.email),
            serde_json::json!({}),
        );
        self.inner
            .store
            .set_admin_password(&admin.id, &hash, &entry, self.now())
            .await?;
        Ok(AdminPasswordChange::Changed {
            auth_version: admin.auth_version + 1,
        })
    }

    /// The language the console speaks to `admin` (`None`: the browser's), audited as
    /// `admin.language_changed`.
    pub async fn set_console_language(
        &self,
        admin: &AdminRow,
        locale: Option<crate::i18n::Locale>,
        actor: &Actor,
    ) -> Result<(), EngineError> {
        let tag = locale.map(crate::i18n::Locale::tag);
        let entry = actor.entry(
            "admin.language_changed",
            format!("admin:{}", admin.email),
            serde_json::json!({ "lang": tag }),
        );
        self.inner
            .store
            .set_admin_locale(&admin.id, tag, &entry, self.now())
            .await?;
        Ok(())
    }
}
