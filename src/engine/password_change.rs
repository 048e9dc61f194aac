//! A signed-in person changes their password: the current one proven, the new one held to
//! the same policy and breach corpus as at registration, every other session ended, links
//! and recoveries under way ended, and a notice mailed to the address.

use super::inputs::PERSONAL_ATTRIBUTES;
use super::{Engine, EngineError, FieldErrors};
use crate::domain::FieldError;
use crate::i18n::Locale;
use crate::mail::Message;
use crate::password_hash::Priority;
use crate::store::{AuditEntry, UserRow};
use secrecy::{ExposeSecret, SecretString};

pub enum PasswordChange {
    /// This session carries on under the account's new auth version; all others end.
    Changed {
        auth_version: i64,
    },
    /// The current password is not right: counted as a failed sign-in for the address.
    WrongCurrent,
    /// Too many failed sign-ins (or wrong current passwords) for the address; until then.
    Blocked(time::OffsetDateTime),
    Refused(FieldErrors),
}

impl Engine {
    pub async fn change_password(
        &self,
        user: &UserRow,
        current: &SecretString,
        new: &SecretString,
        locale: Locale,
        client: Option<String>,
    ) -> Result<PasswordChange, EngineError> {
        // A person already signed in finishing what they came for: the last work shed.
        let hasher = self.hasher().at(Priority::Finish);
        // The same counter as sign-in: a stolen session must not guess the password here.
        let subject = crate::store::login_subject(&user.email_key());
        if let Some(until) = self.login_blocked_until(&subject).await? {
            return Ok(PasswordChange::Blocked(until));
        }
        let proven = match user.password_hash.as_deref() {
            Some(stored) => hasher.check(current, Some(stored)).await?,
            None => false,
        };
        let Some(stored) = user.password_hash.as_deref().filter(|_| proven) else {
            return Ok(
                match self.record_login_failure(&subject, Some(user.id)).await? {
                    Some(until) => PasswordChange::Blocked(until),
                    None => PasswordChange::WrongCurrent,
                },
            );
        };
        let refuse = |e: FieldError| {
            Ok(PasswordChange::Refused(FieldErrors::field(
                "new_password",
                e,
            )))
        };
        if new.expose_secret().is_empty() {
            return refuse(FieldError::new("required"));
        }
        let personal: Vec<&str> = PERSONAL_ATTRIBUTES
            .iter()
            .filter_map(|a| match *a {
                "email" => Some(user.email.as_str()),
                "username" => user.username.as_deref(),
                other => user.attributes.get(other).map(String::as_str),
            })
            .collect();
        if new.expose_secret() == current.expose_secret() {
            return refuse(FieldError::new("password_same"));
        }
        if let Some(e) = self.new_password_problem(new, &personal).await {
            return refuse(e);
        }
        let hash = hasher.hash(new).await?;
        let (login_url, recover_url) = super::executors::login_urls(self);
        let mail = self.compose(
            &user.email,
            locale,
            &Message::PasswordChanged {
                login_url,
                recover_url,
            },
        )?;
        let audit = AuditEntry {
            actor: format!("user:{}", user.id),
            action: "user.password_changed",
            subject: Some(format!("user:{}", user.id)),
            detail: serde_json::json!({"ip": client.unwrap_or_default()}),
        };
        let changed = self
            .store()
            .change_password(
                user.id,
                stored,
                &hash,
                &user.email_key(),
                &mail,
                &audit,
                self.now(),
            )
            .await?;
        self.inner.mail_queued.notify_one();
        Ok(match changed {
            Some(auth_version) => PasswordChange::Changed { auth_version },
            // Changed meanwhile (a reset elsewhere): what they proved is no longer current.
            None => PasswordChange::WrongCurrent,
        })
    }
}
