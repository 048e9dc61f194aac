//! Checks a new password against a corpus of breached passwords through the Pwned Passwords
//! range API (k-anonymity): only the first 5 hexadecimal digits of the password's SHA-1 leave
//! the server, and the answer lists every suffix under that prefix, padded with fake ones so
//! that its size tells nothing either. Off unless `FLOWS_BREACHED_PASSWORDS_URL` is set, to
//! `https://api.pwnedpasswords.com` or to a mirror of the corpus kept in-house.
//!
//! A corpus that cannot be asked (down, slow, an answer that makes no sense) lets the
//! password through with a warning: the check adds to the policy, it must not stop people
//! from registering when a third party is away.

use hyper::body::Bytes;
use secrecy::{ExposeSecret, SecretString};
use sha1::{Digest, Sha1};
use std::time::Duration;

/// The whole exchange, connection included: a registration waits for it.
const TIMEOUT: Duration = Duration::from_secs(3);
/// A real answer is 20–40 KiB; anything much larger is not one.
const MAX_ANSWER: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    #[error("breached passwords URL {0:?}: expected http(s)://host[:port][/path]")]
    Url(String),
    #[error("breached passwords CA file {path}: {reason}")]
    Ca { path: String, reason: String },
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    Exchange(String),
}

/// Where the range API is, and how to reach it.
pub struct BreachedPasswords {
    host: String,
    port: u16,
    /// The path before `/range/`, without a trailing slash.
    base_path: String,
    /// `None` for plain http (a mirror on the same machine or network).
    tls: Option<tokio_rustls::TlsConnector>,
}

impl BreachedPasswords {
    /// `url` is the API's base (`https://api.pwnedpasswords.com`); `ca_file`, a PEM file of
    /// certificate authorities trusted besides the public ones (an in-house mirror's).
    pub fn new(url: &str, ca_file: Option<&str>) -> Result<Self, BreachError> {
        let parsed = url::Url::parse(url).map_err(|_| BreachError::Url(url.to_owned()))?;
        let https = match parsed.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(BreachError::Url(url.to_owned())),
        };
        let host = match parsed.host() {
            Some(url::Host::Domain(d)) => d.to_owned(),
            Some(url::Host::Ipv4(a)) => a.to_string(),
            Some(url::Host::Ipv6(a)) => a.to_string(),
            None => return Err(BreachError::Url(url.to_owned())),
        };
        if parsed.query().is_some() || !parsed.username().is_empty() {
            return Err(BreachError::Url(url.to_owned()));
        }
        let port = parsed
            .port_or_known_default()
            .ok_or_else(|| BreachError::Url(url.to_owned()))?;
        let tls = https.then(|| tls_connector(ca_file)).transpose()?;
        Ok(Self {
            host,
            port,
            base_path: parsed.path().trim_end_matches('/').to_owned(),
            tls,
        })
    }

    /// True when the password is in the corpus.
    pub async fn contains(&self, password: &SecretString) -> Result<bool, BreachError> {
        let digest = hex::encode_upper(Sha1::digest(password.expose_secret().as_bytes()));
        let (prefix, suffix) = digest.split_at(5);
        let answer = tokio::time::timeout(TIMEOUT, self.range(prefix))
            .await
            .map_err(|_| BreachError::Timeout(TIMEOUT))??;
        Ok(listed(&answer, suffix))
    }

    async fn range(&self, prefix: &str) -> Result<String, BreachError> {
        let authority = match self.port {
            80 | 443 => self.host.clone(),
            port => format!("{}:{port}", self.host),
        };
        let request = hyper::Request::get(format!("{}/range/{prefix}", self.base_path))
            .header(hyper::header::HOST, authority)
            .header(hyper::header::USER_AGENT, "flows")
            // The answer is padded to hide how many suffixes share the prefix.
            .header("Add-Padding", "true")
            .body(http_body_util::Empty::<Bytes>::new())
            .map_err(exchange)?;
        let (status, body) = crate::tls::exchange(
            (self.host.as_str(), self.port),
            &self.host,
            self.tls.as_ref(),
            request,
            MAX_ANSWER,
        )
        .await
        .map_err(|e| match e {
            crate::tls::ExchangeError::TooLarge => {
                BreachError::Exchange("length limit exceeded".into())
            }
            crate::tls::ExchangeError::Failed(why) => BreachError::Exchange(why),
        })?;
        if !status.is_success() {
            return Err(BreachError::Exchange(format!("answered {status}")));
        }
        String::from_utf8(body.to_vec()).map_err(exchange)
    }
}

fn exchange(e: impl std::fmt::Display) -> BreachError {
    BreachError::Exchange(e.to_string())
}

/// The public certificate authorities, and those of `ca_file` when given.
fn tls_connector(ca_file: Option<&str>) -> Result<tokio_rustls::TlsConnector, BreachError> {
    crate::tls::connector(ca_file).map_err(|e| match e {
        crate::tls::TlsSetupError::Ca { path, reason } => BreachError::Ca { path, reason },
        crate::tls::TlsSetupError::Setup(reason) => BreachError::Exchange(reason),
    })
}

/// Whether the range answer lists `suffix` with a count above zero (padding lines have 0).
fn listed(answer: &str, suffix: &str) -> bool {
    answer.lines().any(|line| {
        line.trim().split_once(':').is_some_and(|(s, count)| {
            s.eq_ignore_ascii_case(suffix) && count.trim().parse::<u64>().is_ok_and(|n| n > 0)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // SHA-1 of "password": 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8.
    const SUFFIX: &str = "1E4C9B93F3F0682250B6CF8331B7EE68FD8";

    #[test]
    fn a_suffix_counts_when_listed_with_a_count_and_not_as_padding() {
        let answer = format!("0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n{SUFFIX}:10434004\r\n");
        assert!(listed(&answer, SUFFIX));
        assert!(listed(&answer.to_lowercase(), SUFFIX));
        let padding = format!("{SUFFIX}:0\r\n");
        assert!(!listed(&padding, SUFFIX));
        assert!(!listed("", SUFFIX));
        assert!(!listed("garbage\n:\n::::\n", SUFFIX));
    }

    #[test]
    fn only_http_and_https_urls_without_credentials_are_taken() {
        for good in [
            "https://api.pwnedpasswords.com",
            "http://127.0.0.1:8080/pwned/",
            "https://[::1]:8443",
        ] {
            assert!(BreachedPasswords::new(good, None).is_ok(), "{good}");
        }
        for bad in [
            "",
            "api.pwnedpasswords.com",
            "ftp://example.com",
            "https://user:pw@example.com",
            "https://example.com/?q=1",
        ] {
            assert!(BreachedPasswords::new(bad, None).is_err(), "{bad}");
        }
        let with_path = BreachedPasswords::new("http://127.0.0.1:8080/pwned/", None).unwrap();
        assert_eq!(with_path.base_path, "/pwned");
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_an_error_naming_it() {
        let err = BreachedPasswords::new("https://example.com", Some("/nonexistent.pem"))
            .err()
            .expect("refused");
        assert!(err.to_string().contains("/nonexistent.pem"), "{err}");
        let empty = tempfile::NamedTempFile::new().unwrap();
        let path = empty.path().to_str().unwrap();
        let err = BreachedPasswords::new("https://example.com", Some(path))
            .err()
            .expect("refused");
        assert!(err.to_string().contains("no certificate"), "{err}");
    }
}
