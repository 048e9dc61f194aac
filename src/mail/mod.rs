//! Mail: what is sent (`messages`) and how it leaves (`transport`). Nothing sends mail except
//! the outbox worker (`crate::outbox`).

mod messages;
mod relay;
mod transport;

pub use messages::{Composer, MESSAGE_TEXTS, Message, MessageTexts, TextKey};
pub use transport::{Mailer, SendError};
