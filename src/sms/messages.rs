//! The text messages Flows sends, written from catalogue text like the e-mails, so they are
//! translated and an owner edits them in the console's Texts.

use crate::i18n::Tr;

/// Secrets (codes) live here only until they are written into the outbox row.
pub enum SmsMessage {
    /// Proves a number during registration.
    Code { code: String, minutes: i64 },
    /// Proves the account's number during password recovery.
    RecoveryCode { code: String, minutes: i64 },
}

/// One kind of text message: when it is sent, and the catalogue key it is written with.
pub struct SmsTexts {
    pub kind: &'static str,
    pub name: &'static str,
    pub sent_when: &'static str,
    pub key: &'static str,
    /// The Fluent variables the key is given, and no others.
    pub placeholders: &'static [&'static str],
}

pub static SMS_TEXTS: &[SmsTexts] = &[
    SmsTexts {
        kind: "sms_otp",
        name: "Verification code (text message)",
        sent_when: "During registration, to confirm a mobile number with a code the person types on the page.",
        key: "sms.otp",
        placeholders: &["product", "code", "minutes"],
    },
    SmsTexts {
        kind: "sms_recovery_code",
        name: "Password reset code (text message)",
        sent_when: "When someone asks to recover their password in a flow that sends a code to the account's verified mobile number.",
        key: "sms.recovery_code",
        placeholders: &["product", "code", "minutes"],
    },
];

impl SmsMessage {
    pub fn kind(&self) -> &'static str {
        match self {
            SmsMessage::Code { .. } => "sms_otp",
            SmsMessage::RecoveryCode { .. } => "sms_recovery_code",
        }
    }

    /// The message's text in `tr`'s language. `origin`: the host of the public URL, for the
    /// last line (`@host #code`) that lets a phone offer the code to that site's form (the
    /// origin-bound one-time code format of WebOTP and iOS), so nobody retypes it.
    pub fn body(&self, tr: &Tr, product: &str, origin: Option<&str>) -> String {
        let (SmsMessage::Code { code, minutes } | SmsMessage::RecoveryCode { code, minutes }) =
            self;
        let texts = SMS_TEXTS
            .iter()
            .find(|t| t.kind == self.kind())
            .map_or("sms.otp", |t| t.key);
        let text = tr.t_args(
            texts,
            &[
                ("product", product.to_owned()),
                ("code", code.clone()),
                ("minutes", minutes.to_string()),
            ],
        );
        match origin {
            Some(host) => format!("{text}\n\n@{host} #{code}"),
            None => text,
        }
    }
}

/// The range a number belongs to for pumping limits: all but its last four digits.
pub fn prefix_of(e164: &str) -> String {
    let keep = e164.len().saturating_sub(4).max(1);
    e164.get(..keep).unwrap_or(e164).to_owned()
}

/// The country (ISO 3166 alpha-2, upper case) of a number in E.164.
pub fn country_of(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    number.country().id().map(|id| format!("{id:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_the_number_without_its_last_four_digits() {
        assert_eq!(prefix_of("+447400123456"), "+44740012");
    }

    #[test]
    fn a_number_knows_its_country() {
        assert_eq!(country_of("+447400123456").as_deref(), Some("GB"));
        assert_eq!(country_of("+33612345678").as_deref(), Some("FR"));
        assert_eq!(country_of("+15417543010").as_deref(), Some("US"));
    }
}
