//! The approval queue: accounts a registration left waiting in `PENDING_APPROVAL`
//! (`RequireApproval`), and the administrator's decision on each. Operators may decide:
//! looking after people is their work. The console and the management API call these acts.

use super::executors::login_urls;
use super::{Actor, Engine, EngineError};
use crate::domain::UserId;
use crate::i18n::Locale;
use crate::mail::Message;
use crate::store::UserRow;

/// The longest reason an administrator may give for a refusal, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// The person is told `reason`, in their language's mail around it.
    Reject {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    Approved,
    Rejected,
    /// Nothing waits under that id: decided already by someone else, or never there.
    NotWaiting,
}

/// Why a decision was not taken, to show beside the reason field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReasonProblem {
    #[error("Say why, so that the person knows.")]
    Missing,
    #[error("Keep the reason under 1,000 characters.")]
    TooLong,
}

impl Engine {
    /// The accounts waiting, oldest first, a page at a time, and how many wait in all.
    pub async fn approval_queue(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<UserRow>, i64), EngineError> {
        let store = self.store();
        let (waiting, count) = tokio::try_join!(
            store.pending_approvals(limit, offset),
            store.count_pending_approvals()
        )?;
        Ok((waiting, count))
    }

    /// Approves or rejects an account that waits. The person is mailed in the language they
    /// registered in; a rejected account is deleted, so that the address may register again.
    /// The change, the mail and the audit entry commit together.
    pub async fn decide_approval(
        &self,
        id: UserId,
        decision: &Decision,
        actor: &Actor,
    ) -> Result<Result<Decided, ReasonProblem>, EngineError> {
        let reason = match decision {
            Decision::Approve => None,
            Decision::Reject { reason } => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Ok(Err(ReasonProblem::Missing));
                }
                if reason.chars().count() > MAX_REASON_CHARS {
                    return Ok(Err(ReasonProblem::TooLong));
                }
                Some(reason.to_owned())
            }
        };
        let store = self.store();
        let Some(user) = store
            .user_by_id(id)
            .await?
            .filter(|u| u.status == super::executors::PENDING)
        else {
            return Ok(Ok(Decided::NotWaiting));
        };
        let locale = user
            .locale
            .as_deref()
            .and_then(Locale::from_tag)
            .unwrap_or_default();
        let (message, action, detail) = match &reason {
            None => (
                Message::Approved {
                    login_url: login_urls(self).0,
                },
                "user.approved",
                serde_json::json!({}),
            ),
            Some(reason) => (
                Message::Rejected {
                    reason: reason.clone(),
                },
                "user.rejected",
                // The account goes: the entry keeps the address it had.
                serde_json::json!({"email": user.email, "reason": reason}),
            ),
        };
        let mail = self.compose(&user.email, locale, &message)?;
        let entry = actor.entry(action, format!("user:{}", user.id), detail);
        let approve = reason.is_none();
        if !store
            .decide_approval(user.id, approve, &mail, &entry, self.now())
            .await?
        {
            return Ok(Ok(Decided::NotWaiting));
        }
        metrics::counter!("flows_approvals_decided_total", "decision" => if approve { "approved" } else { "rejected" }).increment(1);
        self.mail_queued().notify_one();
        Ok(Ok(if approve {
            Decided::Approved
        } else {
            Decided::Rejected
        }))
    }
}
