//! Text messages: the outbox's second channel. Queued like mail (in the transaction of the
//! change that causes them, under the same per-recipient quota) and sent by the same worker,
//! through a folder of files or an HTTP gateway.

mod gateway;
mod messages;

pub use gateway::Gateway;
pub use messages::{SMS_TEXTS, SmsMessage, SmsTexts, country_of, prefix_of};

use crate::config::Settings;
use crate::mail::SendError;
use crate::store::OutboxRow;
use std::path::PathBuf;

/// Where text messages go: files in a folder when no gateway is configured, else a gateway.
#[derive(Clone)]
pub enum SmsSender {
    Dir(PathBuf),
    Gateway(Gateway),
}

impl SmsSender {
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        match Gateway::from_settings(settings)? {
            Some(gateway) => Ok(SmsSender::Gateway(gateway)),
            None => Ok(SmsSender::Dir(settings.sms_dir.clone())),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            SmsSender::Dir(d) => format!("folder {}", d.display()),
            SmsSender::Gateway(g) => g.describe(),
        }
    }

    pub async fn send(&self, row: &OutboxRow) -> Result<(), SendError> {
        match self {
            SmsSender::Gateway(g) => g.send(&row.recipient, &row.text_body).await,
            SmsSender::Dir(dir) => {
                // Named by the time it was queued, then its id: a folder listing reads in order.
                let stamp = row
                    .created_at
                    .format(time::macros::format_description!(
                        "[year][month][day]T[hour][minute][second].[subsecond digits:3]Z"
                    ))
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                let name = format!("{stamp}-{}.txt", row.id);
                let content = format!("To: {}\n\n{}\n", row.recipient, row.text_body);
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                    std::fs::create_dir_all(&dir)?;
                    // Written aside then renamed, so a reader never sees half a message.
                    let tmp = dir.join(format!(".{name}.tmp"));
                    std::fs::write(&tmp, content)?;
                    std::fs::rename(&tmp, dir.join(name))
                })
                .await
                .map_err(|e| SendError::Temporary(e.to_string()))?
                .map_err(|e| SendError::Temporary(e.to_string()))
            }
        }
    }
}

/// The countries of `FLOWS_SMS_COUNTRIES`, upper case; `Err` names the first that is not an
/// ISO 3166 alpha-2 code libphonenumber knows.
pub fn countries(list: &str) -> Result<Vec<String>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| match crate::domain::phone::region(c) {
            Some(_) => Ok(c.to_ascii_uppercase()),
            None => Err(c.to_owned()),
        })
        .collect()
}
