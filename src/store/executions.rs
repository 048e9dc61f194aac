use super::{Done, NewMail, NewSms, Store, StoreError, from_text, on_db, to_text};
use crate::domain::{Execution, ExecutionId, ExecutionStatus, UserId, username_key};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// An account to create, with the execution change that creates it.
pub struct NewUser {
    pub id: UserId,
    pub email: String,
    pub email_key: String,
    pub email_verified: bool,
    pub username: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub password_hash: Option<String>,
    /// `ACTIVE`, or `PENDING_APPROVAL` when the flow asked for an administrator's approval.
    pub status: &'static str,
    /// The language the person registered in, for the mails that come later.
    pub locale: Option<String>,
}

/// A change that must happen together with an execution's step change, or not at all.
pub enum Effect {
    Mail(NewMail),
    /// A text message, queued like mail; past its quota it is left out and audited.
    Sms(NewSms),
    CreateUser(NewUser),
    InsertLink {
        token_hash: String,
        step: String,
        email_key: String,
        expires_at: OffsetDateTime,
    },
    /// Fails the whole commit unless exactly this unused, unexpired token is consumed now.
    ConsumeLink {
        token_hash: String,
    },
    /// A new password: every session of the account ends (auth version), and so does every
    /// other outstanding link sent to its address.
    UpdatePassword {
        user_id: UserId,
        password_hash: String,
        email_key: String,
    },
    /// The account holds this provider sign-in from now on.
    LinkIdentity {
        user_id: UserId,
        connection: String,
        subject: String,
    },
    /// Fails the whole commit unless the invitation is still pending and unexpired.
    AcceptInvitation {
        id: String,
    },
    Audit {
        actor: String,
        action: &'static str,
        subject: Option<String>,
        detail: serde_json::Value,
    },
    /// The execution went through a branch of a decision step (`None`: its `otherwise`),
    /// for the funnel's figures.
    BranchTaken {
        step: String,
        branch: Option<usize>,
    },
    /// An event for the extensions that receive its type; sent as
    /// `{"type", "timestamp", "data"}`.
    Event {
        event_type: &'static str,
        data: serde_json::Value,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed,
    /// Someone else changed the execution (double submit, second tab) or used the link first.
    Conflict,
    /// The account's e-mail or username was taken meanwhile.
    UserExists,
}

pub struct LinkRow {
    pub execution_id: ExecutionId,
    pub step: String,
    pub email_key: String,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct RawExecution {
    id: String,
    flow_id: String,
    flow_type: String,
    step: String,
    status: String,
    attributes: String,
    secrets: String,
    user_id: Option<String>,
    revision: i64,
    created_at: String,
    updated_at: String,
    expires_at: String,
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {v:?}"))
}

impl TryFrom<RawExecution> for Execution {
    type Error = StoreError;
    fn try_from(r: RawExecution) -> Result<Self, StoreError> {
        Ok(Execution {
            id: r.id.parse().map_err(|_| corrupt("execution id", &r.id))?,
            flow_id: r
                .flow_id
                .parse()
                .map_err(|_| corrupt("flow id", &r.flow_id))?,
            flow_type: r
                .flow_type
                .parse()
                .map_err(|_| corrupt("flow type", &r.flow_type))?,
            step: r.step,
            status: ExecutionStatus::parse(&r.status),
            attributes: serde_json::from_str(&r.attributes)?,
            secrets: serde_json::from_str(&r.secrets)?,
            user_id: r
                .user_id
                .map(|u| u.parse().map_err(|_| corrupt("user id", &u)))
                .transpose()?,
            revision: r.revision,
            created_at: from_text(&r.created_at)?,
            updated_at: from_text(&r.updated_at)?,
            expires_at: from_text(&r.expires_at)?,
        })
    }
}

/// Whether a write of an execution took: the update found the revision it read, or the
/// insert found no execution of that id. A journey's start is stored by its first submit
/// (src/engine/starts.rs), so two submits of the same first page (a double click, two
/// tabs) both insert it, and the second must lose as a stale update does.
fn written_once(written: Result<impl Into<Done>, sqlx::Error>) -> Result<bool, sqlx::Error> {
    match written {
        Ok(done) => Ok(done.into().rows_affected() == 1),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

impl Store {
    pub async fn execution(&self, id: ExecutionId) -> Result<Option<Execution>, StoreError> {
        let raw: Option<RawExecution> = on_db!(self, p => sqlx::query_as(sql::executions::SELECT_EXECUTION).bind(id.to_string()).fetch_optional(p).await)?;
        raw.map(Execution::try_from).transpose()
    }

    pub async fn link(&self, token_hash: &str) -> Result<Option<LinkRow>, StoreError> {
        let raw: Option<(String, String, String, String, Option<String>)> = on_db!(self, p => sqlx::query_as(sql::executions::SELECT_LINK).bind(token_hash).fetch_optional(p).await)?;
        raw.map(|(execution_id, step, email_key, expires_at, used_at)| {
            Ok(LinkRow {
                execution_id: execution_id
                    .parse()
                    .map_err(|_| corrupt("execution id", &execution_id))?,
                step,
                email_key,
                expires_at: from_text(&expires_at)?,
                used_at: used_at.as_deref().map(from_text).transpose()?,
            })
        })
        .transpose()
    }

    /// Marks a link that was found expired at `now` as expired whatever the clock says later.
    pub async fn burn_link(&self, token_hash: &str, now: OffsetDateTime) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::executions::BURN_LINK)
            .bind(token_hash)
            .bind(to_text(now))
            .bind(to_text(OffsetDateTime::UNIX_EPOCH))
            .execute(p)
            .await
            .map(Done::from))?;
        Ok(())
    }

    pub async fn count_live_executions(&self, now: OffsetDateTime) -> Result<i64, StoreError> {
        let n: (i64,) = on_db!(self, p => sqlx::query_as(sql::executions::COUNT_LIVE).bind(to_text(now)).fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Deletes executions (and, by cascade, their links) that expired before `before`.
    pub async fn purge_executions(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::executions::PURGE_EXPIRED).bind(to_text(before)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected())
    }

    /// Writes an execution and its effects atomically. `expected_revision` is the revision the
    /// caller read, or `None` for a new execution. The funnel's rows follow in the same
    /// statement, written by triggers (migrations/sqlite/0010_funnel.sql).
    pub async fn commit(
        &self,
        execution: &Execution,
        expected_revision: Option<i64>,
        effects: &mut [Effect],
        now: OffsetDateTime,
    ) -> Result<CommitOutcome, StoreError> {
        let attributes = serde_json::to_string(&execution.attributes)?;
        let secrets = serde_json::to_string(&execution.secrets)?;
        let user_id = execution.user_id.map(|u| u.to_string());
        let subject_key = execution.attribute("email").map(str::to_lowercase);
        on_db!(self, write p => {
            let write = match expected_revision {
                None => sqlx::query(sql::executions::INSERT_EXECUTION)
                    .bind(execution.id.to_string())
                    .bind(execution.flow_id.to_string())
                    .bind(execution.flow_type.as_str())
                    .bind(&execution.step)
                    .bind(execution.status.as_str())
                    .bind(&attributes)
                    .bind(&secrets)
                    .bind(&user_id)
                    .bind(execution.revision)
                    .bind(to_text(execution.created_at))
                    .bind(to_text(execution.updated_at))
                    .bind(to_text(execution.expires_at))
                    .bind(&subject_key),
                Some(revision) => sqlx::query(sql::executions::UPDATE_EXECUTION)
                    .bind(execution.id.to_string())
                    .bind(&execution.step)
                    .bind(execution.status.as_str())
                    .bind(&attributes)
                    .bind(&secrets)
                    .bind(&user_id)
                    .bind(to_text(execution.updated_at))
                    .bind(to_text(execution.expires_at))
                    .bind(revision)
                    .bind(&subject_key),
            };
            // One statement is atomic on its own: a transaction only when effects come along.
            if effects.is_empty() {
                let written = written_once(write.execute(p).await)?;
                return Ok(if written { CommitOutcome::Committed } else { CommitOutcome::Conflict });
            }
            let mut tx = p.begin_write().await?;
            if !written_once(write.execute(&mut *tx).await)? {
                tx.rollback().await?;
                return Ok(CommitOutcome::Conflict);
            }
            // Mail past its quota: not queued, so nothing for this instance's worker to send.
            let mut unqueued = Vec::new();
            for (index, effect) in effects.iter().enumerate() {
                match effect {
                    Effect::Mail(mail) => {
                        // Past the quota the journey goes on as if the mail went out: the
                        // page must not tell whether the address is being flooded.
                        if !super::outbox::queue_mail!(&mut *tx, mail, now)? {
                            unqueued.push(index);
                            let entry = super::outbox::quota_entry(format!("execution:{}", execution.id), mail);
                            super::audit::insert_audit!(entry, now, &mut *tx)?;
                        }
                    }
                    Effect::Sms(sms) => {
                        if !super::outbox::queue_sms!(&mut *tx, sms, now)? {
                            let entry = super::outbox::sms_quota_entry(format!("execution:{}", execution.id), sms);
                            super::audit::insert_audit!(entry, now, &mut *tx)?;
                        }
                    }
                    Effect::CreateUser(user) => {
                        let inserted = sqlx::query(sql::executions::INSERT_USER)
                            .bind(user.id.to_string())
                            .bind(&user.email)
                            .bind(&user.email_key)
                            .bind(i64::from(user.email_verified))
                            .bind(&user.username)
                            .bind(serde_json::to_string(&user.attributes)?)
                            .bind(&user.password_hash)
                            .bind(to_text(now))
                            .bind(user.username.as_deref().map(username_key))
                            .bind(user.status)
                            .bind(&user.locale)
                            .execute(&mut *tx)
                            .await;
                        if super::unique_violation(inserted)? {
                            tx.rollback().await?;
                            return Ok(CommitOutcome::UserExists);
                        }
                    }
                    Effect::InsertLink { token_hash, step, email_key, expires_at } => {
                        sqlx::query(sql::executions::INSERT_LINK)
                            .bind(token_hash)
                            .bind(execution.id.to_string())
                            .bind(step)
                            .bind(email_key)
                            .bind(to_text(*expires_at))
                            .bind(to_text(now))
                            .execute(&mut *tx)
                            .await?;
                    }
                    Effect::ConsumeLink { token_hash } => {
                        let used = sqlx::query(sql::executions::CONSUME_LINK).bind(token_hash).bind(to_text(now)).execute(&mut *tx).await?;
                        if used.rows_affected() != 1 {
                            tx.rollback().await?;
                            return Ok(CommitOutcome::Conflict);
                        }
                    }
                    Effect::UpdatePassword { user_id, password_hash, email_key } => {
                        sqlx::query(sql::executions::UPDATE_PASSWORD)
                            .bind(user_id.to_string())
                            .bind(password_hash)
                            .bind(to_text(now))
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(sql::executions::END_LINKS_FOR).bind(email_key).bind(to_text(now)).execute(&mut *tx).await?;
                        sqlx::query(sql::executions::END_OTHER_RECOVERIES)
                            .bind(email_key)
                            .bind(execution.id.to_string())
                            .bind(to_text(now))
                            .execute(&mut *tx)
                            .await?;
                        // Whoever ran the address into the sign-in throttle no longer
                        // holds its owner out: the new password is theirs alone.
                        sqlx::query(sql::login_failures::CLEAR)
                            .bind(super::login_failures::login_subject(email_key))
                            .execute(&mut *tx)
                            .await?;
                    }
                    Effect::AcceptInvitation { id } => {
                        let accepted =
                            sqlx::query(sql::invitations::ACCEPT).bind(id).bind(to_text(now)).execute(&mut *tx).await?;
                        if accepted.rows_affected() != 1 {
                            tx.rollback().await?;
                            return Ok(CommitOutcome::Conflict);
                        }
                    }
                    // Queued together after the loop, their subscribers read once.
                    Effect::Event { .. } => {}
                    Effect::BranchTaken { step, branch } => {
                        sqlx::query(sql::funnel::RECORD_BRANCH)
                            .bind(execution.flow_id.to_string())
                            .bind(step)
                            .bind(branch.map_or_else(|| "otherwise".to_owned(), |i| i.to_string()))
                            .bind(to_text(execution.created_at))
                            .bind(execution.id.to_string())
                            .execute(&mut *tx)
                            .await?;
                    }
                    Effect::LinkIdentity { user_id, connection, subject } => {
                        sqlx::query(sql::executions::LINK_IDENTITY)
                            .bind(connection)
                            .bind(subject)
                            .bind(user_id.to_string())
                            .bind(to_text(now))
                            .execute(&mut *tx)
                            .await?;
                    }
                    Effect::Audit { actor, action, subject, detail } => {
                        sqlx::query(sql::audit::INSERT)
                            .bind(uuid::Uuid::now_v7().to_string())
                            .bind(to_text(now))
                            .bind(actor)
                            .bind(*action)
                            .bind(subject)
                            .bind(detail.to_string())
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            let events: Vec<(&str, String)> = effects
                .iter()
                .filter_map(|e| match e {
                    Effect::Event { event_type, data } => {
                        Some((*event_type, super::events::payload(event_type, data, now)))
                    }
                    _ => None,
                })
                .collect();
            if !events.is_empty() {
                super::events::queue_events!(&mut *tx, &events, now)?;
            }
            tx.commit().await?;
            for index in unqueued {
                if let Some(Effect::Mail(mail)) = effects.get_mut(index) {
                    mail.lease = None;
                }
            }
            Ok(CommitOutcome::Committed)
        })
    }
}

impl Store {
    /// How many executions are stored, whatever their state.
    pub async fn count_executions(&self) -> Result<i64, StoreError> {
        let n: (i64,) =
            on_db!(self, p => sqlx::query_as(sql::executions::COUNT_ALL).fetch_one(p).await)?;
        Ok(n.0)
    }
}
