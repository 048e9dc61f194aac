//! The e-mails Flows sends, rendered from catalogue text into one text and one HTML layout.

use crate::i18n::Tr;
use crate::store::NewMail;
use askama::Template;

/// Secrets (codes, link URLs) live here only until they are rendered into the outbox row.
pub enum Message {
    Otp {
        code: String,
        minutes: i64,
    },
    VerifyLink {
        url: String,
        minutes: i64,
    },
    AlreadyRegistered {
        login_url: String,
        recover_url: String,
    },
    ResetLink {
        url: String,
        minutes: i64,
    },
    RecoveryCode {
        code: String,
        minutes: i64,
    },
    Invitation {
        url: String,
        inviter: String,
        days: i64,
    },
    PasswordChanged {
        login_url: String,
        recover_url: String,
    },
    /// The account exists but waits for an administrator's approval.
    AwaitingApproval,
    Approved {
        login_url: String,
    },
    /// The account was refused and deleted; `reason` is the administrator's.
    Rejected {
        reason: String,
    },
}

impl Message {
    fn kind(&self) -> &'static str {
        match self {
            Message::Otp { .. } => "otp",
            Message::VerifyLink { .. } => "verify_link",
            Message::AlreadyRegistered { .. } => "already_registered",
            Message::ResetLink { .. } => "reset_link",
            Message::RecoveryCode { .. } => "recovery_code",
            Message::Invitation { .. } => "invitation",
            Message::PasswordChanged { .. } => "password_changed",
            Message::AwaitingApproval => "approval_waiting",
            Message::Approved { .. } => "approval_granted",
            Message::Rejected { .. } => "approval_refused",
        }
    }

    fn content(&self) -> Content<'_> {
        let (values, code, url) = match self {
            Message::Otp { code, minutes } | Message::RecoveryCode { code, minutes } => (
                vec![("code", code.clone()), ("minutes", minutes.to_string())],
                Some(code),
                None,
            ),
            Message::VerifyLink { url, minutes } | Message::ResetLink { url, minutes } => {
                (vec![("minutes", minutes.to_string())], None, Some(url))
            }
            Message::AlreadyRegistered {
                login_url,
                recover_url,
            }
            | Message::PasswordChanged {
                login_url,
                recover_url,
            } => (
                vec![("recover_url", recover_url.clone())],
                None,
                Some(login_url),
            ),
            Message::Invitation { url, inviter, days } => (
                vec![("inviter", inviter.clone()), ("days", days.to_string())],
                None,
                Some(url),
            ),
            Message::AwaitingApproval => (Vec::new(), None, None),
            Message::Approved { login_url } => (Vec::new(), None, Some(login_url)),
            Message::Rejected { reason } => (vec![("reason", reason.clone())], None, None),
        };
        Content { values, code, url }
    }
}

/// What one message puts into the texts its table entry lists.
struct Content<'a> {
    /// The values its texts may name, besides `product`.
    values: Vec<(&'static str, String)>,
    /// A code the person types, shown large.
    code: Option<&'a String>,
    /// Where its button leads.
    url: Option<&'a String>,
}

#[derive(Template)]
#[template(path = "email/message.txt")]
struct TextMail<'a> {
    m: &'a Rendered,
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlMail<'a> {
    m: &'a Rendered,
    lang: &'static str,
}

/// Catalogue text of one message, ready for either layout.
struct Rendered {
    product: String,
    /// The button's background: the primary colour of the branding.
    colour: String,
    logo_url: Option<String>,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    code: Option<String>,
    button: Option<(String, String)>,
    footer: String,
}

#[derive(Clone)]
pub struct Composer {
    product: String,
    colour: String,
    logo_url: Option<String>,
}

/// The built-in button colour (6.7:1 with white text).
const DEFAULT_COLOUR: &str = "#1d4ed8";

impl Composer {
    pub fn new(product: impl Into<String>) -> Self {
        Self {
            product: product.into(),
            colour: DEFAULT_COLOUR.into(),
            logo_url: None,
        }
    }

    /// With the organisation's name, colour and logo. The logo is linked from our own
    /// public URL (mail clients fetch it from there), by digest so a new one is a new URL.
    pub fn branded(branding: &crate::domain::Branding, public_url: &str) -> Self {
        Self {
            product: branding.product_name.clone(),
            colour: branding
                .primary_colour
                .map_or_else(|| DEFAULT_COLOUR.to_owned(), |c| c.to_string()),
            logo_url: branding.logo.as_ref().map(|l| {
                format!(
                    "{}/branding/logo/{}",
                    public_url.trim_end_matches('/'),
                    l.sha256
                )
            }),
        }
    }

    pub fn compose(&self, to: &str, tr: &Tr, message: &Message) -> Result<NewMail, askama::Error> {
        // A test holds the table to listing every kind.
        let texts = MessageTexts::by_kind(message.kind()).ok_or_else(|| {
            askama::Error::custom(format!("no texts for {} mail", message.kind()))
        })?;
        let Content {
            mut values,
            code,
            url,
        } = message.content();
        values.push(("product", self.product.clone()));
        let mut rendered = Rendered {
            product: self.product.clone(),
            colour: self.colour.clone(),
            logo_url: self.logo_url.clone(),
            subject: String::new(),
            greeting: String::new(),
            paragraphs: Vec::new(),
            code: code.cloned(),
            button: None,
            footer: String::new(),
        };
        for key in texts.keys {
            // Each key is given only the values the table lists for it, so a text an owner
            // writes in the console cannot show a code or link where it was not meant to.
            let args: Vec<(&str, String)> = values
                .iter()
                .filter(|(name, _)| key.placeholders.contains(name))
                .cloned()
                .collect();
            let text = tr.t_args(key.key, &args);
            match key.slot {
                Slot::Subject => rendered.subject = text,
                Slot::Greeting => rendered.greeting = text,
                Slot::Body | Slot::SecondParagraph => rendered.paragraphs.push(text),
                Slot::Button => rendered.button = url.map(|url| (text, url.clone())),
                Slot::Footer => rendered.footer = text,
            }
        }
        Ok(NewMail {
            recipient: to.to_owned(),
            recipient_key: crate::domain::Email::parse(to)
                .map(|e| e.key())
                .unwrap_or_else(|_| to.to_lowercase()),
            subject: one_line(&rendered.subject),
            text_body: TextMail { m: &rendered }.render()?,
            html_body: HtmlMail {
                m: &rendered,
                lang: tr.lang(),
            }
            .render()?,
            kind: message.kind(),
            quota_per_hour: None,
            lease: None,
        })
    }
}

/// Where in the mail a key's text goes.
#[derive(Clone, Copy)]
enum Slot {
    Subject,
    Greeting,
    Body,
    SecondParagraph,
    Button,
    Footer,
}

impl Slot {
    const fn label(self) -> &'static str {
        match self {
            Slot::Subject => "Subject",
            Slot::Greeting => "Greeting",
            Slot::Body => "Body",
            Slot::SecondParagraph => "Second paragraph",
            Slot::Button => "Button label",
            Slot::Footer => "Footer",
        }
    }
}

/// One catalogue key a message is written with, as the console's e-mail texts page shows it.
pub struct TextKey {
    pub key: &'static str,
    /// Where the text goes, as the console names it: "Subject", "Body", "Button label", …
    pub part: &'static str,
    slot: Slot,
    /// The Fluent variables `Composer::compose` passes to this key, and no others.
    pub placeholders: &'static [&'static str],
}

/// One kind of message Flows sends: when, and the keys it is written with, in mail order.
pub struct MessageTexts {
    /// The kind a queued mail records (`NewMail::kind`), also the console's URL word.
    pub kind: &'static str,
    pub name: &'static str,
    pub sent_when: &'static str,
    pub keys: &'static [TextKey],
}

const fn text(key: &'static str, slot: Slot, placeholders: &'static [&'static str]) -> TextKey {
    TextKey {
        key,
        part: slot.label(),
        slot,
        placeholders,
    }
}

const GREETING: TextKey = text("mail.greeting", Slot::Greeting, &[]);

/// Every message: the keys `compose` writes it with, in mail order, and what each is given.
pub static MESSAGE_TEXTS: &[MessageTexts] = &[
    MessageTexts {
        kind: "otp",
        name: "Verification code",
        sent_when: "During registration, to confirm the address with a code the person types on the page.",
        keys: &[
            text("mail.otp.subject", Slot::Subject, &["product", "code"]),
            GREETING,
            text("mail.otp.body", Slot::Body, &["product", "minutes"]),
            text("mail.otp.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "verify_link",
        name: "Verification link",
        sent_when: "During registration in a flow that confirms the address by a link, on any device.",
        keys: &[
            text("mail.link.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.link.body", Slot::Body, &["product", "minutes"]),
            text("mail.link.button", Slot::Button, &[]),
            text("mail.link.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "already_registered",
        name: "Already registered",
        sent_when: "Instead of a code or link, when someone registers with an address that already has an account: registration tells nobody which addresses have one.",
        keys: &[
            text("mail.exists.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.exists.body", Slot::Body, &["product"]),
            text(
                "mail.exists.recover",
                Slot::SecondParagraph,
                &["product", "recover_url"],
            ),
            text("mail.exists.button", Slot::Button, &[]),
            text("mail.exists.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "reset_link",
        name: "Password reset link",
        sent_when: "When someone asks to recover their password in a flow that sends a link, or an administrator sends a recovery e-mail from a user's page.",
        keys: &[
            text("mail.reset.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.reset.body", Slot::Body, &["product", "minutes"]),
            text("mail.reset.button", Slot::Button, &[]),
            text("mail.reset.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "recovery_code",
        name: "Password reset code",
        sent_when: "When someone asks to recover their password in a flow that checks a code typed on the page.",
        keys: &[
            text(
                "mail.recovery_code.subject",
                Slot::Subject,
                &["product", "code"],
            ),
            GREETING,
            text(
                "mail.recovery_code.body",
                Slot::Body,
                &["product", "minutes"],
            ),
            text("mail.reset.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "invitation",
        name: "Invitation",
        sent_when: "When an administrator invites someone, from the console or the command line, and when an invitation is sent again.",
        keys: &[
            text(
                "mail.invite.subject",
                Slot::Subject,
                &["product", "inviter"],
            ),
            GREETING,
            text(
                "mail.invite.body",
                Slot::Body,
                &["product", "inviter", "days"],
            ),
            text("mail.invite.button", Slot::Button, &[]),
            text("mail.invite.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "password_changed",
        name: "Password changed",
        sent_when: "After an account's password was changed, so its owner hears of it if it was not them.",
        keys: &[
            text("mail.changed.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.changed.body", Slot::Body, &["product"]),
            text(
                "mail.changed.not_you",
                Slot::SecondParagraph,
                &["product", "recover_url"],
            ),
            text("mail.exists.button", Slot::Button, &[]),
            text("mail.changed.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "approval_waiting",
        name: "Registration awaiting approval",
        sent_when: "When a registration ends in a flow that requires an administrator's approval (RequireApproval).",
        keys: &[
            text("mail.approval_wait.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.approval_wait.body", Slot::Body, &["product"]),
            text("mail.approval_wait.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "approval_granted",
        name: "Registration approved",
        sent_when: "When an administrator approves an account that was waiting, from the console or the management API.",
        keys: &[
            text("mail.approval_yes.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.approval_yes.body", Slot::Body, &["product"]),
            text("mail.exists.button", Slot::Button, &[]),
            text("mail.approval_yes.footer", Slot::Footer, &["product"]),
        ],
    },
    MessageTexts {
        kind: "approval_refused",
        name: "Registration refused",
        sent_when: "When an administrator rejects an account that was waiting for approval; the account is deleted.",
        keys: &[
            text("mail.approval_no.subject", Slot::Subject, &["product"]),
            GREETING,
            text("mail.approval_no.body", Slot::Body, &["product"]),
            text(
                "mail.approval_no.reason",
                Slot::SecondParagraph,
                &["reason"],
            ),
            text("mail.approval_no.footer", Slot::Footer, &["product"]),
        ],
    },
];

impl MessageTexts {
    pub fn by_kind(kind: &str) -> Option<&'static MessageTexts> {
        MESSAGE_TEXTS.iter().find(|m| m.kind == kind)
    }

    /// The names of the other messages that share `key` with this one.
    pub fn shared_with(&self, key: &str) -> Vec<&'static str> {
        MESSAGE_TEXTS
            .iter()
            .filter(|m| m.kind != self.kind && m.keys.iter().any(|k| k.key == key))
            .map(|m| m.name)
            .collect()
    }

    /// This message with sample values, for previews and test sends: never a real code, and
    /// links that lead nowhere (`base` is the public URL, for addresses that look right).
    pub fn sample(&self, base: &str) -> Message {
        let base = base.trim_end_matches('/');
        let link = format!("{base}/link?token=sample-link-for-a-preview");
        let (login_url, recover_url) = (format!("{base}/login"), format!("{base}/recover"));
        let (code, minutes) = ("123456".to_owned(), 10);
        match self.kind {
            "otp" => Message::Otp { code, minutes },
            "verify_link" => Message::VerifyLink { url: link, minutes },
            "already_registered" => Message::AlreadyRegistered {
                login_url,
                recover_url,
            },
            "reset_link" => Message::ResetLink { url: link, minutes },
            "recovery_code" => Message::RecoveryCode { code, minutes },
            "approval_waiting" => Message::AwaitingApproval,
            "approval_granted" => Message::Approved { login_url },
            "approval_refused" => Message::Rejected {
                reason: "We only open accounts for our partners' staff.".into(),
            },
            "invitation" => Message::Invitation {
                url: format!("{base}/invite?code=sample-invitation-for-a-preview"),
                inviter: "Grace Hopper".into(),
                days: 7,
            },
            _ => Message::PasswordChanged {
                login_url,
                recover_url,
            },
        }
    }
}

/// A subject is one header line: a text an owner wrote over several lines in the console,
/// or a value with a line break in it, reads as one line with spaces.
fn one_line(subject: &str) -> String {
    subject.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogues, Locale};

    /// A message kind's mail with `key` overridden in English by `value`: subject and text.
    fn composed_with(texts: &MessageTexts, key: &str, value: &str) -> String {
        let catalogues = Catalogues::new();
        let skipped = catalogues.reload([("en", key, value)]);
        assert!(skipped.is_empty(), "{skipped:?}");
        let mail = Composer::new("Flows")
            .compose(
                "a@example.com",
                &catalogues.tr(Locale::default()),
                &texts.sample("http://flows.test"),
            )
            .unwrap();
        format!("{}\n{}", mail.subject, mail.text_body)
    }

    #[test]
    fn the_table_lists_every_message_once_with_the_kind_its_mail_records() {
        assert_eq!(MESSAGE_TEXTS.len(), 10);
        for texts in MESSAGE_TEXTS {
            assert_eq!(texts.sample("http://x").kind(), texts.kind);
            assert_eq!(
                MessageTexts::by_kind(texts.kind).unwrap().name,
                texts.name,
                "each kind once"
            );
        }
    }

    #[test]
    fn a_subject_written_over_several_lines_is_sent_as_one() {
        let mut subjects = 0;
        for texts in MESSAGE_TEXTS {
            for key in texts.keys.iter().filter(|k| k.key.ends_with(".subject")) {
                let mail =
                    composed_with(texts, key.key, "Welcome\r\nBcc: evil@example.com\n\tto us");
                let subject = mail.lines().next().unwrap_or_default();
                assert_eq!(
                    subject, "Welcome Bcc: evil@example.com to us",
                    "{}",
                    key.key
                );
                subjects += 1;
            }
        }
        assert!(subjects >= 7, "{subjects}");
    }

    #[test]
    fn every_listed_key_is_used_and_every_listed_placeholder_is_passed() {
        for texts in MESSAGE_TEXTS {
            for key in texts.keys {
                let marked = composed_with(texts, key.key, "MARKED");
                assert!(
                    marked.contains("MARKED"),
                    "{} does not show {}",
                    texts.kind,
                    key.key
                );
                for name in key.placeholders {
                    let shown = composed_with(texts, key.key, &format!("[{{ ${name} }}]"));
                    assert!(
                        !shown.contains(&format!("{{${name}}}")) && !shown.contains("[]"),
                        "{}: {} is not given ${name}: {shown}",
                        texts.kind,
                        key.key
                    );
                }
                // A variable no listed placeholder names is not passed: it shows as `{$x}`.
                let unknown = composed_with(texts, key.key, "[{ $not_passed }]");
                assert!(unknown.contains("{$not_passed}"), "{unknown}");
            }
        }
    }

    #[test]
    fn built_in_texts_use_only_the_listed_placeholders() {
        let variable = regex::Regex::new(r"\$([a-z_]+)").unwrap();
        let catalogues = Catalogues::new();
        for texts in MESSAGE_TEXTS {
            for key in texts.keys {
                for entry in catalogues.entries(&[key.key.to_owned()]) {
                    for text in entry.texts.iter().filter_map(|t| t.compiled.as_deref()) {
                        for name in variable.captures_iter(text) {
                            assert!(
                                key.placeholders.contains(&&name[1]),
                                "{} uses ${} in {text:?}",
                                key.key,
                                &name[1]
                            );
                        }
                    }
                }
            }
        }
    }
}
