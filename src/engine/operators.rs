//! Acts of operators outside a journey: API tokens, what an administrator does to an
//! account, invitations from the console. Each writes its own audit entry, so the console
//! and the command line record the same thing for the same act.

use super::{Actor, Engine, EngineError, InviteError};
use crate::domain::{ApiToken, UserId};
use crate::i18n::Locale;
use crate::store::{ApiTokenRow, InvitationRow, TokenRefusal, UserRow, login_subject};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Why no token was created under a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenNameRefusal {
    /// Not a name `ApiToken::check_name` allows; its reason, for the caller to word (a
    /// clause in lower case, without a full stop).
    Malformed(crate::i18n::Said),
    /// A live token has this name already.
    Taken,
}

/// What an operator does to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    /// No sign-in or recovery any more, and its sessions end.
    Disable,
    Enable,
    /// Clears the sign-in throttle of its address, and makes a locked account active.
    Unlock,
    /// Ends every session of the account.
    SignOut,
    /// For good; the audit log keeps the address, since the account can no longer name it.
    Delete,
}

impl AccountAction {
    fn audited_as(self) -> &'static str {
        match self {
            AccountAction::Disable => "user.disabled",
            AccountAction::Enable => "user.enabled",
            AccountAction::Unlock => "user.unlocked",
            AccountAction::SignOut => "user.signed_out_everywhere",
            AccountAction::Delete => "user.deleted",
        }
    }
}

/// What `act_on_accounts` did, account by account.
#[derive(Debug, Default)]
pub struct AccountsReport {
    /// Acted on, each with its audit entry.
    pub done: Vec<UserRow>,
    /// Already as the action would leave them: left alone, nothing audited.
    pub unchanged: Vec<UserRow>,
    /// No such account (deleted meanwhile, or never one).
    pub not_found: Vec<UserId>,
}

fn token_subject(name: &str) -> String {
    format!("token:{name}")
}

impl Engine {
    /// Every token, live or revoked: revoked ones stay listed as a record of who had access.
    pub async fn api_tokens(&self) -> Result<Vec<ApiTokenRow>, EngineError> {
        Ok(self.inner.store.api_tokens().await?)
    }

    /// A new token under `name`, returned this once: only its hash is stored. The audit
    /// entry is written in the same transaction as the token.
    pub async fn create_api_token(
        &self,
        name: &str,
        actor: &Actor,
    ) -> Result<Result<ApiToken, TokenNameRefusal>, EngineError> {
        actor.must_own()?;
        if let Err(reason) = ApiToken::check_name(name) {
            return Ok(Err(TokenNameRefusal::Malformed(reason)));
        }
        let token = ApiToken::generate();
        let entry = actor.entry(
            "api_token.created",
            token_subject(name),
            serde_json::json!({}),
        );
        match self
            .inner
            .store
            .create_api_token(name, &token.hash(), &entry, self.now())
            .await?
        {
            Ok(_) => Ok(Ok(token)),
            Err(_) => Ok(Err(TokenNameRefusal::Taken)),
        }
    }

    /// The live token named `name` stops working at once; audited in the same transaction.
    pub async fn revoke_api_token(
        &self,
        name: &str,
        actor: &Actor,
    ) -> Result<Result<(), TokenRefusal>, EngineError> {
        actor.must_own()?;
        let entry = actor.entry(
            "api_token.revoked",
            token_subject(name),
            serde_json::json!({}),
        );
        Ok(self
            .inner
            .store
            .revoke_api_token(name, &entry, self.now())
            .await?)
    }

    /// Accounts whose address, username or attributes contain `part`, in `status` when one
    /// is given, newest first, a page at a time. An account the sign-in throttle refuses
    /// now is `LOCKED` (until when: `sign_in_refused_until`), whatever it stores, and not
    /// `ACTIVE`: what an operator looks for is who cannot sign in.
    pub async fn search_users(
        &self,
        part: &str,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<UserRow>, EngineError> {
        let throttled_after = (self.settings().login_max_failures != 0).then(|| self.now());
        Ok(self
            .inner
            .store
            .search_users_in(part, status, throttled_after, limit, offset)
            .await?)
    }

    /// Until when the sign-in throttle refuses the account's address, if it does now. This
    /// is the only end a lock has: a `LOCKED` status lasts until someone unlocks it.
    pub async fn sign_in_refused_until(
        &self,
        user: &UserRow,
    ) -> Result<Option<OffsetDateTime>, EngineError> {
        self.login_blocked_until(&login_subject(&user.email_key()))
            .await
    }

    /// `act_on_account` for each account of `ids` as it reads now, each audited on its own.
    /// An account the action would not change is left alone and reported, so the log shows
    /// only what was done; a repeated id counts once.
    pub async fn act_on_accounts(
        &self,
        ids: &[UserId],
        action: AccountAction,
        actor: &Actor,
    ) -> Result<AccountsReport, EngineError> {
        let mut report = AccountsReport::default();
        let mut seen = std::collections::HashSet::new();
        for &id in ids {
            if !seen.insert(id) {
                continue;
            }
            let Some(user) = self.find_user(id).await? else {
                report.not_found.push(id);
                continue;
            };
            if self.nothing_to_do(&user, action).await? {
                report.unchanged.push(user);
                continue;
            }
            self.act_on_account(&user, action, actor).await?;
            report.done.push(user);
        }
        Ok(report)
    }

    /// Whether `action` would leave the account as it is: already disabled or enabled, or
    /// neither locked nor throttled when unlocking (a disabled account stays disabled
    /// when unlocked, as `act_on_account` does).
    async fn nothing_to_do(
        &self,
        user: &UserRow,
        action: AccountAction,
    ) -> Result<bool, EngineError> {
        Ok(match action {
            AccountAction::Disable => user.status == "DISABLED",
            AccountAction::Enable => user.status == "ACTIVE",
            AccountAction::Unlock => {
                user.status != "LOCKED" && self.sign_in_refused_until(user).await?.is_none()
            }
            AccountAction::SignOut | AccountAction::Delete => false,
        })
    }

    pub async fn find_user(&self, id: UserId) -> Result<Option<UserRow>, EngineError> {
        Ok(self.inner.store.user_by_id(id).await?)
    }

    /// Does `action` to the account as it was read, then audits it. The account gone or
    /// changed meanwhile still gets its entry: the operator asked, and nothing is left to do.
    pub async fn act_on_account(
        &self,
        user: &UserRow,
        action: AccountAction,
        actor: &Actor,
    ) -> Result<(), EngineError> {
        if action == AccountAction::Enable && user.status == super::executors::PENDING {
            // Enabling a waiting account is approving it: the person is told, as from the
            // queue.
            // An approval has no reason to refuse; whether it was still waiting is the
            // queue's concern, as for any act on an account changed meanwhile.
            let _decided = self
                .decide_approval(user.id, &super::Decision::Approve, actor)
                .await?;
            return Ok(());
        }
        let store = &self.inner.store;
        let now = self.now();
        match action {
            AccountAction::Disable => {
                let disabled = store.set_user_status(user.id, "DISABLED", now).await;
                // A disabled account's open sessions end with it; both are tried either way.
                let signed_out = store.sign_user_out_everywhere(user.id, now).await;
                disabled.and(signed_out)?;
            }
            AccountAction::Enable => {
                store.set_user_status(user.id, "ACTIVE", now).await?;
            }
            AccountAction::Unlock => {
                store
                    .clear_login_failures(&login_subject(&user.email_key()))
                    .await?;
                if user.status == "LOCKED" {
                    store.set_user_status(user.id, "ACTIVE", now).await?;
                }
            }
            AccountAction::SignOut => {
                store.sign_user_out_everywhere(user.id, now).await?;
            }
            AccountAction::Delete => {
                store.delete_user(user.id).await?;
            }
        }
        // A deleted account cannot be looked up by the entry any more: it names itself.
        let detail = if action == AccountAction::Delete {
            serde_json::json!({"email": user.email})
        } else {
            serde_json::json!({})
        };
        let entry = actor.entry(action.audited_as(), format!("user:{}", user.id), detail);
        store.audit(&entry, now).await?;
        Ok(())
    }

    /// Invitations matching a status and part of an address, newest first. `now` is the time
    /// the caller labels them at, so that what the filter calls expired the list does too.
    pub async fn invitations(
        &self,
        status: &str,
        address_part: &str,
        now: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<InvitationRow>, EngineError> {
        Ok(self
            .inner
            .store
            .invitations(status, address_part, now, limit)
            .await?)
    }

    pub async fn invitation(&self, id: &str) -> Result<Option<InvitationRow>, EngineError> {
        Ok(self.inner.store.invitation(id).await?)
    }

    /// `invite`, by an operator, audited as `invitation.sent`.
    pub async fn send_invitation(
        &self,
        email: &str,
        prefill: BTreeMap<String, String>,
        invited_by: &str,
        locale: Locale,
        actor: &Actor,
    ) -> Result<String, InviteError> {
        self.invite_audited(email, prefill, invited_by, locale, "invitation.sent", actor)
            .await
    }

    /// A new invitation to the same address, with the same prefill and inviter; the old
    /// link stops working. Audited as `invitation.resent`.
    pub async fn resend_invitation(
        &self,
        invitation: &InvitationRow,
        locale: Locale,
        actor: &Actor,
    ) -> Result<String, InviteError> {
        self.invite_audited(
            &invitation.email,
            invitation.attributes.clone(),
            &invitation.invited_by,
            locale,
            "invitation.resent",
            actor,
        )
        .await
    }

    async fn invite_audited(
        &self,
        email: &str,
        prefill: BTreeMap<String, String>,
        invited_by: &str,
        locale: Locale,
        action: &'static str,
        actor: &Actor,
    ) -> Result<String, InviteError> {
        let id = self.invite(email, prefill, invited_by, locale).await?;
        let entry = actor.entry(
            action,
            format!("invitation:{id}"),
            serde_json::json!({ "invitedBy": invited_by }),
        );
        // The invitation is made and its mail queued; a lost audit line is logged rather
        // than reported as a failed invitation the person has in fact received.
        if let Err(e) = self.inner.store.audit(&entry, self.now()).await {
            tracing::error!(error = %e, "invitation audit entry not written");
        }
        Ok(id)
    }

    /// Revokes a pending invitation: its link stops working. `false`, and nothing audited,
    /// when it is no longer pending.
    pub async fn revoke_invitation(&self, id: &str, actor: &Actor) -> Result<bool, EngineError> {
        if !self.inner.store.revoke_invitation(id).await? {
            return Ok(false);
        }
        self.audit_bare(actor, "invitation.revoked", format!("invitation:{id}"))
            .await?;
        Ok(true)
    }

    /// Whether a browser on `origin` may call the Flow Execution API: an origin of a
    /// registered application.
    pub async fn origin_allowed(&self, origin: &str) -> Result<bool, EngineError> {
        Ok(self.inner.store.origin_allowed(origin).await?)
    }

    /// Puts a mail the outbox gave up on back in the queue and wakes the worker; `false`
    /// when it is not waiting for a retry or its content is no longer kept.
    pub async fn retry_failed_mail(&self, id: &str, actor: &Actor) -> Result<bool, EngineError> {
        actor.must_own()?;
        if !self.inner.store.retry_failed_mail(id, self.now()).await? {
            return Ok(false);
        }
        self.mail_queued().notify_one();
        self.sms_queued().notify_one();
        self.audit_bare(actor, "outbox.retried", format!("mail:{id}"))
            .await?;
        Ok(true)
    }

    /// Writes `actor`'s entry for `action` on `subject`, now, with no detail of its own.
    async fn audit_bare(
        &self,
        actor: &Actor,
        action: &'static str,
        subject: String,
    ) -> Result<(), EngineError> {
        let entry = actor.entry(action, subject, serde_json::json!({}));
        Ok(self.inner.store.audit(&entry, self.now()).await?)
    }
}
