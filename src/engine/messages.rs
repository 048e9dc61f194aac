//! Administrators' message text: checked, stored with its audit entry, then put in force at
//! once for every page and mail of this process.

use super::Actor;
use super::{Engine, EngineError};
use crate::domain::Email;
use crate::i18n::{Locale, Said, check_key, check_message};
use crate::mail::Message;

impl Engine {
    /// Gives `key` the text `value` (Fluent pattern syntax) in one language and reloads the
    /// catalogues. `Ok(Err(why))` refuses a bad key or text, with the reason to show beside
    /// the field; nothing is stored then.
    pub async fn save_message_override(
        &self,
        locale: Locale,
        key: &str,
        value: &str,
        actor: &Actor,
    ) -> Result<Result<(), Said>, EngineError> {
        actor.must_own()?;
        let audit = &message_entry(actor, "message.changed", locale, key);
        let key = key.trim();
        if let Err(why) = check_key(key).and_then(|()| check_message(value)) {
            return Ok(Err(why));
        }
        self.store()
            .set_message_override(locale.tag(), key, value.trim(), audit, self.now())
            .await?;
        self.refresh_console_changes().await?;
        Ok(Ok(()))
    }

    /// Removes the override of `key` in one language, so its compiled-in text (or English's)
    /// shows again, and reloads the catalogues; `false` when there was none.
    pub async fn clear_message_override(
        &self,
        locale: Locale,
        key: &str,
        actor: &Actor,
    ) -> Result<bool, EngineError> {
        actor.must_own()?;
        let audit = &message_entry(actor, "message.reset", locale, key);
        let cleared = self
            .store()
            .clear_message_override(locale.tag(), key.trim(), audit, self.now())
            .await?;
        if cleared {
            self.refresh_console_changes().await?;
        }
        Ok(cleared)
    }
}

/// The audit entry of a change to one language's text of `key` (as typed, before trimming).
fn message_entry(
    actor: &Actor,
    action: &'static str,
    locale: Locale,
    key: &str,
) -> crate::store::AuditEntry {
    actor.entry(
        action,
        format!("message:{}:{key}", locale.tag()),
        serde_json::json!({}),
    )
}

impl Engine {
    /// Queues `message` (sample values: never a real code or link) to `to` in one language,
    /// as composed with the text in force, with its audit entry; the outbox sends it at once.
    pub async fn send_sample_mail(
        &self,
        to: &Email,
        locale: Locale,
        message: &Message,
        kind: &str,
        actor: &Actor,
    ) -> Result<(), EngineError> {
        actor.must_own()?;
        let audit = &actor.entry(
            "email_text.test_sent",
            format!("email_text:{kind}"),
            serde_json::json!({"lang": locale.tag(), "to": to.as_str()}),
        );
        let mut mail = self.compose(to.as_str(), locale, message)?;
        // Typed by an owner for this one test: theirs to send, quota or not.
        mail.quota_per_hour = None;
        self.store()
            .queue_mail_audited(&mail, audit, self.now())
            .await?;
        self.mail_queued().notify_one();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn saved_text_reaches_pages_and_mail_at_once_and_clearing_restores_it() {
        for store in crate::store::test_stores().await {
            let engine = Engine::for_tests(store.clone());
            let fr = Locale::from_tag("fr").unwrap();
            let audit = Actor::cli();
            let otp = Message::Otp {
                code: "012345".into(),
                minutes: 1,
            };

            let refused = engine
                .save_message_override(fr, "mail.otp.subject", "Code {code}", &audit)
                .await
                .unwrap();
            let refused = refused.unwrap_err();
            assert!(refused.english().contains("{ $code }"), "{refused}");
            assert!(refused.faults().is_empty(), "{:?}", refused.faults());
            let refused = engine
                .save_message_override(fr, "bad key", "Text", &audit)
                .await
                .unwrap();
            assert!(refused.is_err());
            assert!(store.message_overrides().await.unwrap().is_empty());

            engine
                .save_message_override(fr, "mail.otp.subject", " Code { $code } ", &audit)
                .await
                .unwrap()
                .unwrap();
            engine
                .save_message_override(fr, "terms.nickname", "Pseudo", &audit)
                .await
                .unwrap()
                .unwrap();
            let mail = engine.compose("a@b.c", fr, &otp).unwrap();
            assert_eq!(mail.subject, "Code 012345");
            assert!(
                mail.text_body.contains("Il expire dans 1 minute."),
                "{}",
                mail.text_body
            );
            assert_eq!(engine.messages().tr(fr).t("terms.nickname"), "Pseudo");

            // Another engine on the same database (another process) reads them at its start.
            let other = Engine::for_tests(store.clone());
            assert_eq!(
                other.messages().tr(fr).t("terms.nickname"),
                "terms.nickname"
            );
            other.reload_messages().await.unwrap();
            assert_eq!(other.messages().tr(fr).t("terms.nickname"), "Pseudo");

            assert!(
                engine
                    .clear_message_override(fr, "mail.otp.subject", &audit)
                    .await
                    .unwrap()
            );
            assert!(
                !engine
                    .clear_message_override(fr, "mail.otp.subject", &audit)
                    .await
                    .unwrap()
            );
            let mail = engine.compose("a@b.c", fr, &otp).unwrap();
            assert_eq!(mail.subject, "012345 est votre code de vérification Flows");
        }
    }
}
