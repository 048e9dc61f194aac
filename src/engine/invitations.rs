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
pub const PREFILLABLE: &[&str] = &["given_name", "family_name"];

/// Who asks for a renewal, as the audit log names them: whoever holds the invitation's link.
const INVITEE: &str = "invitee";

/// The language an invitation was sent in; the default for one stored before languages were.
pub fn invitation_locale(invitation: &crate::store::InvitationRow) -> Locale {
    Locale::from_tag(&invitation.locale).unwrap_or_default()
}

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
            locale: locale.tag().to_owned(),
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
    ///
    /// `chosen` is a language the person picked themselves (a language menu, a `lang`
    /// parameter); without one the journey runs in the invitation's language, which the
    /// administrator chose for this person, rather than in what the browser's
    /// `Accept-Language` guesses (often a shared or work machine's). The language the
    /// journey runs in comes back with the reply, for the pages that follow.
    pub async fn start_invitation(
        &self,
        code: &str,
        chosen: Option<Locale>,
        client: Option<&str>,
    ) -> Result<Result<(Reply, Locale), InvitationProblem>, EngineError> {
        let invitation = match self.invitation_status(code).await? {
            Ok(i) => i,
            Err(problem) => return Ok(Err(problem)),
        };
        let locale = chosen.unwrap_or_else(|| invitation_locale(&invitation));
        let reply = self
            .start_invited(invitation, locale, HashMap::new(), client)
            .await?;
        Ok(Ok((reply, locale)))
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
        Ok(match self.invitation_status(code).await? {
            Ok(invitation) => Ok(self
                .start_invited(invitation, locale, extra, client)
                .await?),
            Err(problem) => Err(problem),
        })
    }

    /// Starts the invited flow for a usable invitation, its first opening recorded.
    async fn start_invited(
        &self,
        invitation: crate::store::InvitationRow,
        locale: Locale,
        extra: HashMap<String, String>,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        if invitation.opened_at.is_none() {
            // "Opened" means the link was followed: perhaps by a mail scanner rather than
            // the person. Only the first time is recorded (and audited); bookkeeping that
            // fails is logged rather than standing between the person and their invitation.
            let entry = crate::store::AuditEntry {
                actor: INVITEE.to_owned(),
                action: "invitation.opened",
                subject: Some(format!("invitation:{}", invitation.id)),
                detail: serde_json::json!({}),
            };
            let opened = self
                .store()
                .invitation_opened(&invitation.id, &entry, self.now())
                .await;
            if let Err(e) = opened {
                tracing::error!(error = %e, "an invitation's opening was not recorded");
            }
        }
        let mut prefill = extra;
        prefill.extend(invitation.attributes);
        prefill.insert("email".into(), invitation.email);
        // The link reached this address's mailbox: that proves it.
        prefill.insert("email_verified".into(), "true".into());
        prefill.insert("invitation_id".into(), invitation.id);
        prefill.insert("invited_by".into(), invitation.invited_by);
        self.start(FlowType::InvitedUserRegistration, prefill, locale, client)
            .await
    }

    /// The invitee, holding a link that no longer works, asks for a new invitation. Recorded
    /// (and audited) only for a pending invitation that has expired, once until it is
    /// resent: asking again, or with a code that is unknown, revoked, replaced or used,
    /// changes nothing. Answers nothing either way, so that the page after asking is the
    /// same whatever the code was.
    pub async fn ask_invitation_renewal(
        &self,
        code: &str,
        client: Option<&str>,
    ) -> Result<(), EngineError> {
        let store = self.store();
        let Some(invitation) = store.invitation_by_code(&LinkToken::hash_of(code)).await? else {
            return Ok(());
        };
        let now = self.now();
        if invitation.status != "PENDING"
            || invitation.expires_at > now
            || invitation.renewal_requested_at.is_some()
        {
            return Ok(());
        }
        let mut detail = serde_json::json!({});
        if let (Some(ip), serde_json::Value::Object(map)) = (client, &mut detail) {
            map.insert("ip".into(), ip.into());
        }
        let entry = crate::store::AuditEntry {
            actor: INVITEE.to_owned(),
            action: "invitation.renewal_requested",
            subject: Some(format!("invitation:{}", invitation.id)),
            detail,
        };
        store
            .ask_invitation_renewal(&invitation.id, &entry, now)
            .await?;
        Ok(())
    }

    /// Resends an invitation in the language it was first sent in (not the language of
    /// whoever resends it). The new invitation replaces the old, and with it any renewal the
    /// invitee asked for.
    pub async fn resend_invitation_in_its_language(
        &self,
        invitation: &crate::store::InvitationRow,
        actor: &super::Actor,
    ) -> Result<String, InviteError> {
        self.resend_invitation(invitation, invitation_locale(invitation), actor)
            .await
    }
}
