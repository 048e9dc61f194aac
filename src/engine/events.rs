//! Events after the fact: what the engine queues when a flow completes or an account is
//! created, recovered or invited, and the delivery of each to the extensions that receive
//! it, signed as Standard Webhooks signs, retried with backoff for up to a day, at least
//! once, under the same id every time. Failed deliveries are shown to owners, who may send
//! them again.

use super::{Actor, Engine, EngineError};
use crate::domain::extension::{self as ext, DELIVERY_GIVE_UP};
use crate::outcall;
use crate::store::{Effect, FailedDelivery};
use std::collections::HashMap;
use std::time::Duration;

/// Deliveries one pass sends, each claimed on its own just before it is sent: a claim's
/// lease then only has to outlast one call (at most 10 s), not a batch of them.
pub const BATCH: i64 = 20;

/// An event for the extensions that receive `event_type`, committed with the change.
pub(crate) fn event(event_type: &'static str, data: serde_json::Value) -> Effect {
    Effect::Event { event_type, data }
}

impl Engine {
    /// Sends what is due now; how many deliveries it handled (`BATCH` when more may wait).
    pub async fn deliver_events(&self) -> Result<usize, EngineError> {
        let store = self.store();
        let settings = self.settings();
        let lease =
            time::Duration::try_from(settings.event_lease).unwrap_or(time::Duration::MINUTE);
        let mut extensions = HashMap::new();
        let mut handled = 0;
        while handled < BATCH {
            let now = self.now();
            let Some(delivery) = store.claim_deliveries(now, now + lease, 1).await?.pop() else {
                break;
            };
            handled += 1;
            let delivery = &delivery;
            if !extensions.contains_key(&delivery.extension_id) {
                let callable = store
                    .extension_by_id(&delivery.extension_id)
                    .await?
                    .and_then(|row| self.callable_row(&row));
                extensions.insert(delivery.extension_id.clone(), callable);
            }
            let Some(Some(callable)) = extensions.get(&delivery.extension_id) else {
                store
                    .mark_delivery_failed(&delivery.id, "the extension's secret does not open")
                    .await?;
                continue;
            };
            let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
            let body = delivery.payload.as_bytes().to_vec();
            let headers = [
                ("webhook-id", delivery.id.clone()),
                ("webhook-timestamp", timestamp.to_string()),
                (
                    "webhook-signature",
                    ext::signature(&callable.secret, &delivery.id, timestamp, &body),
                ),
            ];
            let sent = outcall::post_json(
                &callable.url,
                &headers,
                body,
                Duration::from_millis(u64::from(callable.extension.timeout_ms)),
                settings.extension_allow_private,
            )
            .await;
            let name = callable.extension.name.clone();
            match sent {
                Ok(_) => {
                    store.mark_delivery_sent(&delivery.id, self.now()).await?;
                    metrics::counter!("flows_event_deliveries_total", "extension" => name, "outcome" => "sent").increment(1);
                }
                Err(e) if self.now() - delivery.created_at >= DELIVERY_GIVE_UP => {
                    store
                        .mark_delivery_failed(&delivery.id, &e.to_string())
                        .await?;
                    metrics::counter!("flows_event_deliveries_total", "extension" => name.clone(), "outcome" => "failed").increment(1);
                    tracing::error!(delivery = %delivery.id, extension = %name, error = %e, "event delivery given up after a day");
                }
                Err(e) => {
                    // The mail outbox's backoff: 5 s doubling, at most an hour.
                    let next = self.now()
                        + crate::outbox::backoff(settings.event_retry_base, delivery.attempts);
                    store
                        .mark_delivery_retry(&delivery.id, next, &e.to_string())
                        .await?;
                    metrics::counter!("flows_event_deliveries_total", "extension" => name.clone(), "outcome" => "retry").increment(1);
                    tracing::warn!(delivery = %delivery.id, extension = %name, attempt = delivery.attempts + 1, error = %e, "event delivery delayed");
                }
            }
        }
        Ok(usize::try_from(handled).unwrap_or_default())
    }

    /// Deliveries given up on, newest first; owners only.
    pub async fn failed_deliveries(
        &self,
        limit: i64,
        actor: &Actor,
    ) -> Result<Vec<FailedDelivery>, EngineError> {
        actor.must_own()?;
        Ok(self.store().failed_deliveries(limit).await?)
    }

    /// Sends a failed delivery again, under the same id; `false` when it is not (or no
    /// longer) failed.
    pub async fn resend_delivery(&self, id: &str, actor: &Actor) -> Result<bool, EngineError> {
        actor.must_own()?;
        if !self.store().resend_delivery(id, self.now()).await? {
            return Ok(false);
        }
        let entry = actor.entry(
            "extension.event_resent",
            format!("delivery:{id}"),
            serde_json::json!({}),
        );
        self.store().audit(&entry, self.now()).await?;
        Ok(true)
    }

    /// Loops `deliver_events` for as long as the server runs.
    pub async fn deliver_events_forever(self, poll: Duration) {
        loop {
            match self.deliver_events().await {
                Ok(n) if i64::try_from(n).unwrap_or(0) == BATCH => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "events: could not read the queue"),
            }
            tokio::time::sleep(poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    // What docs/EXTENSIONS.md promises of event retries, from the backoff they share with mail.
    use crate::outbox::backoff;
    use std::time::Duration;

    #[test]
    fn retries_back_off_to_an_hour() {
        let base = Duration::from_secs(5);
        assert_eq!(backoff(base, 0).whole_seconds(), 5);
        assert_eq!(backoff(base, 4).whole_seconds(), 80);
        assert_eq!(backoff(base, 40).whole_seconds(), 3600);
    }
}
