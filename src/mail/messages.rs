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
        }
    }
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
        let args = |pairs: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
            let mut v = vec![("product", self.product.clone())];
            v.extend_from_slice(pairs);
            v
        };
        let rendered = match message {
            Message::Otp { code, minutes } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args("mail.otp.subject", &args(&[("code", code.clone())])),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![
                    tr.t_args("mail.otp.body", &args(&[("minutes", minutes.to_string())])),
                ],
                code: Some(code.clone()),
                button: None,
                footer: tr.t_args("mail.otp.footer", &args(&[])),
            },
            Message::VerifyLink { url, minutes } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args("mail.link.subject", &args(&[])),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![
                    tr.t_args("mail.link.body", &args(&[("minutes", minutes.to_string())])),
                ],
                code: None,
                button: Some((tr.t("mail.link.button"), url.clone())),
                footer: tr.t_args("mail.link.footer", &args(&[])),
            },
            Message::AlreadyRegistered {
                login_url,
                recover_url,
            } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args("mail.exists.subject", &args(&[])),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![
                    tr.t_args("mail.exists.body", &args(&[])),
                    tr.t_args(
                        "mail.exists.recover",
                        &args(&[("recover_url", recover_url.clone())]),
                    ),
                ],
                code: None,
                button: Some((tr.t("mail.exists.button"), login_url.clone())),
                footer: tr.t_args("mail.exists.footer", &args(&[])),
            },
            Message::Invitation { url, inviter, days } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args(
                    "mail.invite.subject",
                    &args(&[("inviter", inviter.clone())]),
                ),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![tr.t_args(
                    "mail.invite.body",
                    &args(&[("inviter", inviter.clone()), ("days", days.to_string())]),
                )],
                code: None,
                button: Some((tr.t("mail.invite.button"), url.clone())),
                footer: tr.t_args("mail.invite.footer", &args(&[])),
            },
            Message::RecoveryCode { code, minutes } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args(
                    "mail.recovery_code.subject",
                    &args(&[("code", code.clone())]),
                ),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![tr.t_args(
                    "mail.recovery_code.body",
                    &args(&[("minutes", minutes.to_string())]),
                )],
                code: Some(code.clone()),
                button: None,
                footer: tr.t_args("mail.reset.footer", &args(&[])),
            },
            Message::ResetLink { url, minutes } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args("mail.reset.subject", &args(&[])),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![tr.t_args(
                    "mail.reset.body",
                    &args(&[("minutes", minutes.to_string())]),
                )],
                code: None,
                button: Some((tr.t("mail.reset.button"), url.clone())),
                footer: tr.t_args("mail.reset.footer", &args(&[])),
            },
            Message::PasswordChanged {
                login_url,
                recover_url,
            } => Rendered {
                product: self.product.clone(),
                colour: self.colour.clone(),
                logo_url: self.logo_url.clone(),
                subject: tr.t_args("mail.changed.subject", &args(&[])),
                greeting: tr.t("mail.greeting"),
                paragraphs: vec![
                    tr.t_args("mail.changed.body", &args(&[])),
                    tr.t_args(
                        "mail.changed.not_you",
                        &args(&[("recover_url", recover_url.clone())]),
                    ),
                ],
                code: None,
                button: Some((tr.t("mail.exists.button"), login_url.clone())),
                footer: tr.t_args("mail.changed.footer", &args(&[])),
            },
        };
        Ok(NewMail {
            recipient: to.to_owned(),
            subject: rendered.subject.clone(),
            text_body: TextMail { m: &rendered }.render()?,
            html_body: HtmlMail {
                m: &rendered,
                lang: tr.lang(),
            }
            .render()?,
            kind: message.kind(),
        })
    }
}
