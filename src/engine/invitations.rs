//! Invitations: an administrator invites an address; its link opens the invited flow.

use super::{Engine, EngineError, FlowType, Reply};
use crate::domain::{Email, LinkToken};
use crate::i18n::Locale;
use crate::mail::Message;
use crate::store::NewInvitation;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("not an e-mail address ({0})")]
    InvalidEmail(&'static str),
    #[error("{0} already has an account")]
    AlreadyRegistered(String),
    /// Told to the administrator (who knows the address anyway), unlike the journeys'
    /// pages, which look the same whether the mail went out or not.
    #[error("{0} has been sent {1} mails in the last hour, the most allowed; try again later")]
    MailQuota(String, u32),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Why an invitation link cannot be used. Each lands on a page that says so.
#[derive(Debug, PartialEq, Eq)]
pub enum InvitationProblem {
    Unknown,
    Accepted,
    Revoked,
    Replaced,
    Expired,
    /// The address got an account another way (self-registration) after the invitation
    /// went out. Only the mailbox's owner holds the code, so saying so tells nobody else.
    AccountExists,
}

/// Attributes an administrator may fill in for the invited person.
const PREFILLABLE: &[&str] = &["given_name", "family_name"];

impl Engine {
    /// Creates an invitation (replacing any pending one for the address) and queues its
    /// e-mail. Returns the invitation id.
    pub async fn invite(
        &self,
        email: &str,
        prefill: BTreeMap<String, String>,
        invited_by: &str,
        locale: Locale,
    ) -> Result<String, InviteError> {
        let email = Email::parse(email).map_err(|e| InviteError::InvalidEmail(e.code))?;
        let store = self.store();
        if store
            .user_by_email(&email.key())
            .await
            .map_err(EngineError::from)?
            .is_some()
        {
            return Err(InviteError::AlreadyRegistered(email.as_str().to_owned()));
        }
        let now = self.now();
        let code = LinkToken::generate();
        let settings = self.settings();
        let url = format!(
            "{}/invite?code={}",
            settings.public_url.trim_end_matches('/'),
            code.expose()
        );
        let message = Message::Invitation {
            url,
            inviter: invited_by.to_owned(),
            days: settings.invitation_lifetime.whole_days(),
        };
        let mail = self.compose(email.as_str(), locale, &message)?;
        let invitation = NewInvitation {
            // Random, not time-ordered: the id reaches the console's links and a journey's attributes.
            id: uuid::Uuid::new_v4().to_string(),
            email: email.as_str().to_owned(),
            email_key: email.key(),
            code_hash: code.hash(),
            attributes: prefill
                .into_iter()
                .filter(|(k, _)| PREFILLABLE.contains(&k.as_str()))
                .collect(),
            invited_by: invited_by.to_owned(),
            expires_at: now + settings.invitation_lifetime,
        };
        let queued = store
            .create_invitation(
                &invitation,
                &mail,
                &serde_json::json!({
                    "invitationId": invitation.id,
                    "email": invitation.email,
                    "invitedBy": invitation.invited_by,
                }),
                now,
            )
            .await
            .map_err(EngineError::from)?;
        if !queued {
            let entry = crate::store::quota_entry("invitation".into(), &mail);
            store.audit(&entry, now).await.map_err(EngineError::from)?;
            return Err(InviteError::MailQuota(
                email.as_str().to_owned(),
                settings.mail_quota_per_hour,
            ));
        }
        self.mail_queued().notify_one();
        Ok(invitation.id)
    }

    /// What is wrong with an invitation code, if anything, without changing anything.
    pub async fn invitation_status(
        &self,
        code: &str,
    ) -> Result<Result<crate::store::InvitationRow, InvitationProblem>, EngineError> {
        let Some(invitation) = self
            .store()
            .invitation_by_code(&LinkToken::hash_of(code))
            .await?
        else {
            return Ok(Err(InvitationProblem::Unknown));
        };
        Ok(match invitation.status.as_str() {
            "ACCEPTED" => Err(InvitationProblem::Accepted),
            "REVOKED" => Err(InvitationProblem::Revoked),
            "REPLACED" => Err(InvitationProblem::Replaced),
            _ if invitation.expires_at <= self.now() => Err(InvitationProblem::Expired),
            _ if self
                .store()
                .user_by_email(&invitation.email_key)
                .await?
                .is_some() =>
            {
                Err(InvitationProblem::AccountExists)
            }
            _ => Ok(invitation),
        })
    }

    /// Starts the invited flow for a valid code, with what the invitation knows prefilled.
    /// The invitation itself is only used up when the account is created.
    pub async fn start_invitation(
        &self,
        code: &str,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Result<Reply, InvitationProblem>, EngineError> {
        self.start_invitation_with(code, locale, HashMap::new(), client)
            .await
    }

    /// The same, with attributes of the client's own (the API's application id); the
    /// invitation's own attributes win over them.
    pub async fn start_invitation_with(
        &self,
        code: &str,
        locale: Locale,
        extra: HashMap<String, String>,
        client: Option<&str>,
    ) -> Result<Result<Reply, InvitationProblem>, EngineError> {
        let invitation = match self.invitation_status(code).await? {
            Ok(i) => i,
            Err(problem) => return Ok(Err(problem)),
        };
        let mut prefill = extra;
        prefill.extend(invitation.attributes);
        prefill.insert("email".into(), invitation.email);
        // The link reached this address's mailbox: that proves it.
        prefill.insert("email_verified".into(), "true".into());
        prefill.insert("invitation_id".into(), invitation.id);
        prefill.insert("invited_by".into(), invitation.invited_by);
        Ok(Ok(self
            .start(FlowType::InvitedUserRegistration, prefill, locale, client)
            .await?))
    }
}
