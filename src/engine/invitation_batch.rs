//! Many invitations at once (the console's CSV upload): every row is checked first and, if
//! any is refused, nothing is sent; otherwise all are. Nothing half-done.

use super::{Actor, Engine, EngineError, InviteError, PREFILLABLE};
use crate::domain::Email;
use crate::i18n::Locale;
use std::collections::{BTreeMap, HashMap};

/// The most invitations one batch sends.
pub const MAX_BATCH: usize = 500;

/// The longest prefilled value, as the single invitation form takes it.
pub const MAX_VALUE: usize = 100;

/// One person to invite, as the upload gave them.
#[derive(Debug, Clone, Default)]
pub struct BatchInvite {
    /// Where the person is in the upload (the file's line numbers, header included), for
    /// the report.
    pub row: usize,
    pub email: String,
    /// A language tag (`fr`); blank for the default language.
    pub language: String,
    /// Attributes to prefill: only `PREFILLABLE` ones are taken.
    pub prefill: BTreeMap<String, String>,
}

/// Why one row of a batch is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchReason {
    InvalidEmail,
    /// The same address is on an earlier row, this one.
    Duplicate(usize),
    AlreadyRegistered,
    UnknownLanguage(String),
    /// An attribute the invitation cannot prefill.
    NotPrefillable(String),
    /// A value too long, or with control characters, in this column.
    BadValue(String),
    /// The address has had this many mails in the last hour, the most allowed.
    MailQuota(u32),
    /// The row itself could not be read (the wrong number of fields); said by the caller.
    Unreadable(String),
    /// The invitation could not be made for another reason (after the checks passed).
    Failed,
}

impl std::fmt::Display for BatchReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchReason::InvalidEmail => f.write_str("Not an e-mail address."),
            BatchReason::Duplicate(row) => write!(f, "The same address is on row {row}."),
            BatchReason::AlreadyRegistered => f.write_str("This address already has an account."),
            BatchReason::UnknownLanguage(tag) => {
                let known: Vec<&str> = Locale::all().map(Locale::tag).collect();
                write!(
                    f,
                    "No language “{tag}”: use one of {}, or leave it blank.",
                    known.join(", ")
                )
            }
            BatchReason::NotPrefillable(name) => {
                write!(f, "“{name}” cannot be filled in for the invited person.")
            }
            BatchReason::BadValue(column) => write!(
                f,
                "The {column} is longer than {MAX_VALUE} characters or holds control characters."
            ),
            BatchReason::MailQuota(per_hour) => write!(
                f,
                "This address has been sent {per_hour} mails in the last hour, the most allowed."
            ),
            BatchReason::Unreadable(why) => f.write_str(why),
            BatchReason::Failed => f.write_str("The invitation could not be made."),
        }
    }
}

/// A refused row: its number, its address as given, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRefusal {
    pub row: usize,
    pub email: String,
    pub reason: BatchReason,
}

/// What a batch that passed its checks did. `failed` is for what no check can foresee
/// (another mail to the same address between the check and the send); normally empty.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub sent: usize,
    pub failed: Vec<BatchRefusal>,
}

/// A row that passed its checks, ready to send.
struct Checked {
    email: String,
    locale: Locale,
    prefill: BTreeMap<String, String>,
}

impl Engine {
    /// Checks every row of a batch without sending anything: the refusals, row by row
    /// (empty when all may go).
    pub async fn check_invitation_batch(
        &self,
        rows: &[BatchInvite],
    ) -> Result<Vec<BatchRefusal>, EngineError> {
        Ok(self.checked_batch(rows).await?.err().unwrap_or_default())
    }

    async fn checked_batch(
        &self,
        rows: &[BatchInvite],
    ) -> Result<Result<Vec<Checked>, Vec<BatchRefusal>>, EngineError> {
        let now = self.now();
        let per_hour = self.settings().mail_quota_per_hour;
        let mut first_row: HashMap<String, usize> = HashMap::new();
        let mut refused = Vec::new();
        let mut checked = Vec::with_capacity(rows.len());
        for row in rows {
            let refuse = |reason| BatchRefusal {
                row: row.row,
                email: row.email.chars().take(254).collect(),
                reason,
            };
            match self.check_row(row, &mut first_row, now, per_hour).await? {
                Ok(c) => checked.push(c),
                Err(reason) => refused.push(refuse(reason)),
            }
        }
        Ok(if refused.is_empty() {
            Ok(checked)
        } else {
            Err(refused)
        })
    }

    async fn check_row(
        &self,
        row: &BatchInvite,
        first_row: &mut HashMap<String, usize>,
        now: time::OffsetDateTime,
        per_hour: u32,
    ) -> Result<Result<Checked, BatchReason>, EngineError> {
        let Ok(email) = Email::parse(row.email.trim()) else {
            return Ok(Err(BatchReason::InvalidEmail));
        };
        let key = email.key();
        if let Some(first) = first_row.get(&key) {
            return Ok(Err(BatchReason::Duplicate(*first)));
        }
        first_row.insert(key.clone(), row.row);
        let language = row.language.trim();
        let locale = if language.is_empty() {
            Locale::default()
        } else {
            match Locale::from_tag(language) {
                Some(l) => l,
                None => return Ok(Err(BatchReason::UnknownLanguage(language.to_owned()))),
            }
        };
        let mut prefill = BTreeMap::new();
        for (name, value) in &row.prefill {
            if !PREFILLABLE.contains(&name.as_str()) {
                return Ok(Err(BatchReason::NotPrefillable(name.clone())));
            }
            let value = value.trim();
            if value.chars().count() > MAX_VALUE || value.chars().any(char::is_control) {
                return Ok(Err(BatchReason::BadValue(name.clone())));
            }
            if !value.is_empty() {
                prefill.insert(name.clone(), value.to_owned());
            }
        }
        let store = self.store();
        if store.user_by_email(&key).await?.is_some() {
            return Ok(Err(BatchReason::AlreadyRegistered));
        }
        let queued = store
            .mails_queued_to_since(&key, now - time::Duration::hours(1))
            .await?;
        if queued >= i64::from(per_hour) {
            return Ok(Err(BatchReason::MailQuota(per_hour)));
        }
        Ok(Ok(Checked {
            email: email.as_str().to_owned(),
            locale,
            prefill,
        }))
    }

    /// Invites every row of a batch, each in its own language and audited as one
    /// `invitation.sent`, after checking them all: when any row is refused, nothing is sent
    /// and the refusals come back. More than `MAX_BATCH` rows are refused as a whole (an
    /// empty list of refusals: the caller says why).
    pub async fn invite_batch(
        &self,
        rows: &[BatchInvite],
        invited_by: &str,
        actor: &Actor,
    ) -> Result<Result<BatchOutcome, Vec<BatchRefusal>>, EngineError> {
        if rows.len() > MAX_BATCH {
            return Ok(Err(Vec::new()));
        }
        let checked = match self.checked_batch(rows).await? {
            Ok(c) => c,
            Err(refused) => return Ok(Err(refused)),
        };
        let mut outcome = BatchOutcome::default();
        for (row, c) in rows.iter().zip(checked) {
            let sent = self
                .send_invitation(&c.email, c.prefill, invited_by, c.locale, actor)
                .await;
            let reason = match sent {
                Ok(_) => {
                    outcome.sent += 1;
                    continue;
                }
                Err(InviteError::MailQuota(_, per_hour)) => BatchReason::MailQuota(per_hour),
                Err(InviteError::AlreadyRegistered(_)) => BatchReason::AlreadyRegistered,
                Err(InviteError::InvalidEmail(_)) => BatchReason::InvalidEmail,
                Err(InviteError::Engine(e)) => {
                    tracing::error!(error = %e, "an invitation of a batch failed");
                    BatchReason::Failed
                }
            };
            outcome.failed.push(BatchRefusal {
                row: row.row,
                email: c.email,
                reason,
            });
        }
        Ok(Ok(outcome))
    }
}
