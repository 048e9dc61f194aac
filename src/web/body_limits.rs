//! Every request body, whatever route reads it, has a ceiling and a deadline. Each route
//! keeps its own smaller byte limit (forms 64 KiB, the API 64 or 512 KiB, a logo 256 KiB);
//! this catches what a route reads past its limit (a multipart field it skips), and a body
//! sent a byte at a time, which no byte limit stops from holding a connection for good.

use crate::web::page::{MessagePage, html};
use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use futures_util::{Stream, StreamExt};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

type BoxedStream = Pin<Box<dyn Stream<Item = Result<web::Bytes, PayloadError>>>>;

/// The largest body any route accepts, and the time a whole body may take to arrive.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_bytes: usize,
    pub deadline: Duration,
}

impl Default for BodyLimits {
    fn default() -> Self {
        Self {
            max_bytes: 1 << 20,
            deadline: Duration::from_secs(10),
        }
    }
}

/// Refuses a declared length over the ceiling at once on pages (413, nothing read), and hands the
/// route a body that fails once it passes the ceiling or the deadline.
pub async fn enforce(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let limits = req
        .app_data::<web::Data<BodyLimits>>()
        .map(|l| *l.get_ref())
        .unwrap_or_default();
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The APIs answer an oversized body in their own JSON, as soon as it passes their limit.
    let api = req.path().starts_with("/api/");
    if !api && declared.is_some_and(|n| n > limits.max_bytes as u64) {
        let (request, _) = req.into_parts();
        let session = request.get_session();
        let page = html(
            StatusCode::PAYLOAD_TOO_LARGE,
            &MessagePage::new(&request, &session, "problem.bad_form").link("/", "link.home"),
        );
        return Ok(ServiceResponse::new(request, page).map_into_right_body());
    }
    let mut req = req;
    let body: BoxedStream = Box::pin(bounded(req.take_payload(), limits));
    req.set_payload(Payload::from(body));
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// The payload, cut off with an error past `max_bytes` or once `deadline` has passed since
/// the request began. Ended (an error given or the body done), it stays ended however often
/// it is polled, as multipart readers do.
struct Bounded {
    payload: Payload,
    read: usize,
    ended: bool,
    max_bytes: usize,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

fn bounded(payload: Payload, limits: BodyLimits) -> Bounded {
    Bounded {
        payload,
        read: 0,
        ended: false,
        max_bytes: limits.max_bytes,
        deadline: Box::pin(tokio::time::sleep(limits.deadline)),
    }
}

impl Stream for Bounded {
    type Item = Result<web::Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let next = match self.payload.poll_next_unpin(cx) {
            Poll::Ready(next) => next,
            Poll::Pending => {
                if self.deadline.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                self.ended = true;
                let late = std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request body took too long to arrive",
                );
                return Poll::Ready(Some(Err(PayloadError::Io(late))));
            }
        };
        let item = match next {
            None => None,
            Some(Ok(chunk)) if self.read + chunk.len() > self.max_bytes => {
                Some(Err(PayloadError::Overflow))
            }
            Some(Ok(chunk)) => {
                self.read += chunk.len();
                return Poll::Ready(Some(Ok(chunk)));
            }
            Some(Err(e)) => Some(Err(e)),
        };
        self.ended = true;
        Poll::Ready(item)
    }
}
