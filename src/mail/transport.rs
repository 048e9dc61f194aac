use super::relay::{Relay, RelayError};
use crate::store::OutboxRow;
use lettre::message::{Mailbox, MultiPart, header::MessageId};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (server down, 4xx).
    #[error("temporary: {0}")]
    Temporary(String),
    /// Will never succeed (bad address, 5xx).
    #[error("permanent: {0}")]
    Permanent(String),
}

/// Where mail goes: a plain SMTP relay (a connection of our own, see `relay`), an SMTP
/// server over TLS (lettre's pooled transport), or `.eml` files in a folder when none is
/// configured.
#[derive(Clone)]
pub enum Mailer {
    Relay(Relay),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Dir(PathBuf),
}

impl Mailer {
    pub fn from_config(smtp_url: Option<&str>, dir: PathBuf) -> Result<Self, String> {
        if let Some(relay) = smtp_url.and_then(Relay::from_url) {
            return Ok(Mailer::Relay(relay));
        }
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Mailer::Smtp(b.build()))
                .map_err(|e| format!("FLOWS_SMTP_URL is not a valid SMTP URL: {e}")),
            None => Ok(Mailer::Dir(dir)),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Mailer::Relay(relay) => relay.describe(),
            Mailer::Smtp(_) => "smtp".into(),
            Mailer::Dir(d) => format!("folder {}", d.display()),
        }
    }

    pub async fn send(&self, from: &Mailbox, row: &OutboxRow) -> Result<(), SendError> {
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| SendError::Permanent(format!("recipient: {e}")))?;
        let message = lettre::Message::builder()
            .from(from.clone())
            .to(to)
            .subject(row.subject.clone())
            // The outbox id makes a resend after a crash recognisable as the same message.
            .header(MessageId::from(format!("<{}@flows.outbox>", row.id)))
            .multipart(MultiPart::alternative_plain_html(
                row.text_body.clone(),
                row.html_body.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("build: {e}")))?;
        match self {
            Mailer::Relay(relay) => relay.send(&message).await.map_err(|e| match e {
                RelayError::Permanent(e) => SendError::Permanent(e),
                RelayError::Temporary(e) => SendError::Temporary(e),
            }),
            Mailer::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
                Err(e) => Err(SendError::Temporary(e.to_string())),
            },
            Mailer::Dir(dir) => {
                let bytes = message.formatted();
                let dir = dir.clone();
                let id = row.id.clone();
                // One blocking hop for the three file operations.
                tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                    std::fs::create_dir_all(&dir)?;
                    // Written aside then renamed, so a reader never sees half a message.
                    let tmp = dir.join(format!(".{id}.eml.tmp"));
                    std::fs::write(&tmp, bytes)?;
                    std::fs::rename(&tmp, dir.join(format!("{id}.eml")))
                })
                .await
                .map_err(|e| SendError::Temporary(e.to_string()))?
                .map_err(|e| SendError::Temporary(e.to_string()))
            }
        }
    }
}
