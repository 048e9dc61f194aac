//! Plain SMTP to a relay (`smtp://host[:port]` without TLS, typically a local MTA), over a
//! connection of our own so the socket can send each write at once (`TCP_NODELAY`).
//!
//! Why: lettre writes a message's body, then its terminating `.` in a second small write.
//! With Nagle's algorithm on (lettre's own sockets), that terminator waits for the body's
//! acknowledgement, which a receiver delays by up to 40 ms: every mail took ~49 ms, and a
//! process killed in that time had the kernel flush the terminator as it closed the socket,
//! so the relay delivered a mail the outbox never marked sent. Measured with
//! `tests/journeys/faults/kill.rs`: 33 duplicates in 50 kills before, see README after.
//!
//! lettre still speaks the protocol (`AsyncSmtpConnection`), and its pooled transport still
//! serves every URL with TLS; this keeps one connection per mailer, reused while the relay
//! answers `NOOP`.

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// A connection or a send that takes longer gives up, as lettre's transport does.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What a failed send was, for the outbox's retry policy.
pub enum RelayError {
    Permanent(String),
    Temporary(String),
}

#[derive(Clone)]
pub struct Relay {
    inner: Arc<Inner>,
}

struct Inner {
    host: String,
    port: u16,
    hello: ClientId,
    credentials: Option<Credentials>,
    connection: Mutex<Option<AsyncSmtpConnection>>,
}

impl Relay {
    /// The relay a plain `smtp://` URL names, or `None` for any other URL (TLS, other
    /// schemes), which lettre's transport serves.
    pub fn from_url(raw: &str) -> Option<Self> {
        let url = url::Url::parse(raw).ok()?;
        if url.scheme() != "smtp" || url.query_pairs().any(|(k, _)| k == "tls") {
            return None;
        }
        let host = url.host_str()?.to_owned();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let credentials = url
            .password()
            .map(|password| Credentials::new(decode(url.username()), decode(password)));
        // As lettre reads the URL: its path, if any, is the name sent in EHLO.
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        Some(Self {
            inner: Arc::new(Inner {
                port: url.port().unwrap_or(25),
                host,
                hello,
                credentials,
                connection: Mutex::new(None),
            }),
        })
    }

    pub fn describe(&self) -> String {
        format!("smtp relay {}:{}", self.inner.host, self.inner.port)
    }

    pub async fn send(&self, message: &lettre::Message) -> Result<(), RelayError> {
        match tokio::time::timeout(TIMEOUT, self.send_within(message)).await {
            Ok(outcome) => outcome,
            Err(_) => {
                // Whatever state the connection is in, it is not to be reused.
                *self.inner.connection.lock().await = None;
                Err(RelayError::Temporary(
                    "the relay did not answer in time".into(),
                ))
            }
        }
    }

    async fn send_within(&self, message: &lettre::Message) -> Result<(), RelayError> {
        let mut slot = self.inner.connection.lock().await;
        let reusable = match slot.as_mut() {
            Some(connection) => connection.test_connected().await,
            None => false,
        };
        if !reusable {
            *slot = Some(self.connect().await?);
        }
        let Some(connection) = slot.as_mut() else {
            return Err(RelayError::Temporary("no connection".into()));
        };
        match connection
            .send(message.envelope(), &message.formatted())
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => {
                *slot = None;
                Err(classify(&e))
            }
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, RelayError> {
        let address = (self.inner.host.as_str(), self.inner.port);
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .map_err(|e| RelayError::Temporary(format!("connect: {e}")))?;
        // The point of this module: every write leaves at once.
        stream
            .set_nodelay(true)
            .map_err(|e| RelayError::Temporary(format!("TCP_NODELAY: {e}")))?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.inner.hello)
                .await
                .map_err(|e| classify(&e))?;
        if let Some(credentials) = &self.inner.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| classify(&e))?;
        }
        Ok(connection)
    }
}

fn classify(e: &lettre::transport::smtp::Error) -> RelayError {
    if e.is_permanent() {
        RelayError::Permanent(e.to_string())
    } else {
        RelayError::Temporary(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_smtp_urls_are_relays_and_their_parts_are_read_as_lettre_reads_them() {
        let relay =
            Relay::from_url("smtp://mailer:p%40ss@127.0.0.1:2525/flows.example").expect("a relay");
        assert_eq!(relay.describe(), "smtp relay 127.0.0.1:2525");
        assert_eq!(relay.inner.hello, ClientId::Domain("flows.example".into()));
        assert!(
            relay.inner.credentials == Some(Credentials::new("mailer".into(), "p@ss".into())),
            "user and password percent-decoded"
        );
        assert_eq!(Relay::from_url("smtp://localhost").unwrap().inner.port, 25);
        for not_plain in [
            "smtp://host:587?tls=required",
            "smtp://host?tls=opportunistic",
            "smtps://host",
            "http://host",
            "not a url",
        ] {
            assert!(Relay::from_url(not_plain).is_none(), "{not_plain}");
        }
    }
}
