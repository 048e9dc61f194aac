//! Mail: what is sent (`messages`), how it leaves (`transport`) and the worker that drains
//! the outbox (`worker`). Nothing sends mail except the worker.

mod messages;
mod relay;
mod transport;
mod worker;

pub use messages::{Composer, MESSAGE_TEXTS, Message, MessageTexts, TextKey};
pub use transport::{Mailer, SendError};
pub use worker::{OutboxWorker, Sender, backoff};
