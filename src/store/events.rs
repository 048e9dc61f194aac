//! Events after the fact, for the extensions that receive them: queued in the transaction
//! of the change that causes them, delivered later by the engine's worker (`deliver_events`),
//! so a crash or a receiver that is down loses nothing.

use super::{Done, Store, StoreError, from_text, on_db, to_text};
use time::OffsetDateTime;

/// One delivery, claimed to be sent.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    /// Also the `webhook-id`: the same on every attempt.
    pub id: String,
    pub extension_id: String,
    pub event_type: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: OffsetDateTime,
}

/// A delivery that was given up on, for the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedDelivery {
    pub id: String,
    pub extension: String,
    pub event_type: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: OffsetDateTime,
}

/// Queues `$events` (pairs of type and whole body, as text) for every extension that
/// receives each type, on `$conn` (a transaction of either backend): the events commit with
/// the change that causes them. The subscribers are read once for all of them.
macro_rules! queue_events {
    ($conn:expr, $events:expr, $now:expr) => {
        'queue: {
            let subscribers: Result<Vec<(String, String)>, sqlx::Error> =
                sqlx::query_as(sql::events::SUBSCRIBERS)
                    .fetch_all($conn)
                    .await;
            let subscribers = match subscribers {
                Ok(s) => s,
                Err(e) => break 'queue Err($crate::store::StoreError::from(e)),
            };
            for (extension_id, receives) in subscribers {
                let receives: Vec<String> = serde_json::from_str(&receives).unwrap_or_default();
                for (event_type, payload) in $events {
                    if !receives.iter().any(|e| e == event_type) {
                        continue;
                    }
                    let inserted = sqlx::query(sql::events::INSERT)
                        .bind(format!("msg_{}", uuid::Uuid::now_v7().simple()))
                        .bind(&extension_id)
                        .bind(*event_type)
                        .bind(payload.as_str())
                        .bind($crate::store::to_text($now))
                        .execute($conn)
                        .await;
                    if let Err(e) = inserted {
                        break 'queue Err($crate::store::StoreError::from(e));
                    }
                }
            }
            Ok::<(), $crate::store::StoreError>(())
        }
    };
}
pub(super) use queue_events;

type RawDelivery = (String, String, String, String, i64, String);

/// The body of an event, as Standard Webhooks lays it out.
pub fn payload(event_type: &str, data: &serde_json::Value, now: OffsetDateTime) -> String {
    serde_json::json!({"type": event_type, "timestamp": to_text(now), "data": data}).to_string()
}

impl Store {
    pub async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        let rows: Vec<RawDelivery> = on_db!(self, write p => sqlx::query_as(sql::events::CLAIM)
            .bind(to_text(now)).bind(to_text(lease_until)).bind(limit).fetch_all(p).await)?;
        rows.into_iter()
            .map(
                |(id, extension_id, event_type, payload, attempts, created_at)| {
                    Ok(DeliveryRow {
                        id,
                        extension_id,
                        event_type,
                        payload,
                        attempts,
                        created_at: from_text(&created_at)?,
                    })
                },
            )
            .collect()
    }

    pub async fn mark_delivery_sent(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::events::MARK_SENT).bind(id).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(())
    }

    pub async fn mark_delivery_retry(
        &self,
        id: &str,
        next_attempt_at: OffsetDateTime,
        error: &str,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::events::MARK_RETRY).bind(id).bind(to_text(next_attempt_at)).bind(error).execute(p).await.map(Done::from))?;
        Ok(())
    }

    pub async fn mark_delivery_failed(&self, id: &str, error: &str) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::events::MARK_FAILED).bind(id).bind(error).execute(p).await.map(Done::from))?;
        Ok(())
    }

    pub async fn failed_deliveries(&self, limit: i64) -> Result<Vec<FailedDelivery>, StoreError> {
        let rows: Vec<(String, String, String, i64, String, String)> = on_db!(self, p => sqlx::query_as(sql::events::FAILED)
            .bind(limit).fetch_all(p).await)?;
        rows.into_iter()
            .map(
                |(id, extension, event_type, attempts, last_error, created_at)| {
                    Ok(FailedDelivery {
                        id,
                        extension,
                        event_type,
                        attempts,
                        last_error,
                        created_at: from_text(&created_at)?,
                    })
                },
            )
            .collect()
    }

    /// `false` when it is not (or no longer) a failed delivery.
    pub async fn resend_delivery(&self, id: &str, now: OffsetDateTime) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::events::RESEND).bind(id).bind(to_text(now)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn purge_sent_deliveries(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::events::PURGE_SENT).bind(to_text(before)).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected())
    }
}
