//! One person's run through a flow, as stored server-side.

use super::{ExecutionId, FlowType, FlowVersionId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    Incomplete,
    Complete,
    Error,
    Expired,
}

impl ExecutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Incomplete => "INCOMPLETE",
            ExecutionStatus::Complete => "COMPLETE",
            ExecutionStatus::Error => "ERROR",
            ExecutionStatus::Expired => "EXPIRED",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "COMPLETE" => ExecutionStatus::Complete,
            "ERROR" => ExecutionStatus::Error,
            "EXPIRED" => ExecutionStatus::Expired,
            _ => ExecutionStatus::Incomplete,
        }
    }
}

/// The current one-time code of an execution. Only its keyed hash is kept.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OtpState {
    pub hash: String,
    pub attempts: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// The number a text-message code went to: what typing it back proves. `None` for a code
    /// sent by e-mail, or one sent to nobody (recovery for no account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_to: Option<String>,
}

/// Server-side state that must never be shown, logged or put in a cookie. It holds hashes
/// and counters only: no plain secret is ever stored.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ExecutionSecrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp: Option<OtpState>,
    /// Codes or links sent so far, and when the last went: resend throttling.
    #[serde(default)]
    pub sends: u32,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub last_sent_at: Option<OffsetDateTime>,
    /// The address the last code or link went to: a corrected address need not wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sent_to: Option<String>,
    /// Views reached so far, in order: a form for one of them is a Back, not an attack.
    #[serde(default)]
    pub visited: Vec<String>,
    /// The account this execution creates is to wait for an administrator's approval.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending_approval: bool,
    /// Wrong passwords typed to link a provider's sign-in to an existing account.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub link_attempts: u32,
    /// The person was sent to sign in at a provider and is awaited back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social: Option<SocialState>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A sign-in at an OpenID Connect provider under way: what the callback is checked against.
/// `state` is kept as its hash only. The PKCE verifier must be sent as it is, and the URL the
/// person was sent to carries `state`: both are kept sealed (AES-256-GCM under a key derived
/// from the server's, bound to the execution), for the few minutes the execution waits.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SocialState {
    pub connection: String,
    pub state_hash: String,
    pub nonce: String,
    pub verifier_sealed: String,
    /// Where the person was sent, sealed: the page that moves on, and the API, give it.
    pub authorize_url_sealed: String,
}

impl ExecutionSecrets {
    pub fn arrive(&mut self, view: &str) {
        if self.visited.last().map(String::as_str) != Some(view) {
            self.visited.retain(|v| v != view);
            self.visited.push(view.to_owned());
        }
    }

    pub fn rewind_to(&mut self, view: &str) {
        if let Some(at) = self.visited.iter().position(|v| v == view) {
            self.visited.truncate(at + 1);
        }
    }
}

impl fmt::Debug for ExecutionSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecutionSecrets")
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "[redacted]"),
            )
            .field("otp", &self.otp.as_ref().map(|o| o.attempts))
            .field("sends", &self.sends)
            .field("visited", &self.visited)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub id: ExecutionId,
    pub flow_id: FlowVersionId,
    pub flow_type: FlowType,
    pub step: String,
    pub status: ExecutionStatus,
    /// Collected, non-secret attributes, by canonical name.
    pub attributes: BTreeMap<String, String>,
    pub secrets: ExecutionSecrets,
    pub user_id: Option<UserId>,
    /// Bumped on every change; a write succeeds only against the revision it read, so a
    /// double submit or two tabs can never both act.
    pub revision: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

impl Execution {
    /// A new execution of `flow_id` at its first step `step`, started `now` and idle-expiring
    /// after `idle`.
    pub fn new(
        id: ExecutionId,
        flow_id: FlowVersionId,
        flow_type: FlowType,
        step: &str,
        now: OffsetDateTime,
        idle: time::Duration,
    ) -> Self {
        Self {
            id,
            flow_id,
            flow_type,
            step: step.to_owned(),
            status: ExecutionStatus::Incomplete,
            attributes: BTreeMap::new(),
            secrets: ExecutionSecrets::default(),
            user_id: None,
            revision: 0,
            created_at: now,
            updated_at: now,
            expires_at: now + idle,
        }
    }

    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.status == ExecutionStatus::Expired
            || (self.status == ExecutionStatus::Incomplete && now >= self.expires_at)
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// Whether the person was sent to sign in at a provider and is awaited back.
    pub fn is_away(&self) -> bool {
        self.secrets.social.is_some()
    }
}
