//! One signed JSON POST to a service an administrator named (an extension), guarded against
//! being turned on the server's own network: the name is resolved here, every address it
//! resolves to must be public, and the connection goes to the address that was checked, so
//! a name that resolves again differently (DNS rebinding) changes nothing. Redirects are not
//! followed: a 3xx is an answer like any other, and not a success.

use crate::domain::extension::{MAX_ANSWER_BYTES, is_public, literal_ip};
use hyper::body::Bytes;
use std::net::SocketAddr;
use std::time::Duration;

/// Why a call gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The address is private, local or reserved, and such addresses are not allowed.
    #[error("{0} is not a public address")]
    NotPublic(String),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("answered {0}")]
    Status(u16),
    #[error("the answer is larger than {MAX_ANSWER_BYTES} bytes")]
    TooLarge,
    #[error("{0}")]
    Exchange(String),
}

/// What a service answered with a 2xx status.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

/// A POST of `body` (JSON) with `headers` to `url`, the whole exchange within `timeout`.
/// Private addresses (and plain http) only when `allow_private`.
pub async fn post_json(
    url: &url::Url,
    headers: &[(&'static str, String)],
    body: Vec<u8>,
    timeout: Duration,
    allow_private: bool,
) -> Result<Answer, CallError> {
    let mut all: Vec<(hyper::header::HeaderName, String)> = vec![
        (hyper::header::CONTENT_TYPE, "application/json".into()),
        (hyper::header::ACCEPT, "application/json".into()),
    ];
    all.extend(
        headers
            .iter()
            .map(|(name, value)| (hyper::header::HeaderName::from_static(name), value.clone())),
    );
    let request = Outgoing {
        method: hyper::Method::POST,
        url,
        headers: &all,
        body,
    };
    let answer = tokio::time::timeout(timeout, exchange(request, allow_private))
        .await
        .map_err(|_| CallError::Timeout(timeout))??;
    if !(200..300).contains(&answer.status) {
        return Err(CallError::Status(answer.status));
    }
    Ok(answer)
}

/// One request to send with `fetch`.
pub struct Outgoing<'a> {
    pub method: hyper::Method,
    pub url: &'a url::Url,
    pub headers: &'a [(hyper::header::HeaderName, String)],
    pub body: Vec<u8>,
}

/// Any request, under the same guard and limits as `post_json`, answered whatever its status:
/// for a protocol library (OpenID Connect) that reads error answers itself.
pub async fn fetch(
    request: Outgoing<'_>,
    timeout: Duration,
    allow_private: bool,
) -> Result<Answer, CallError> {
    tokio::time::timeout(timeout, exchange(request, allow_private))
        .await
        .map_err(|_| CallError::Timeout(timeout))?
}

async fn exchange(request: Outgoing<'_>, allow_private: bool) -> Result<Answer, CallError> {
    let Outgoing {
        method,
        url,
        headers,
        body,
    } = request;
    let https = match url.scheme() {
        "https" => true,
        "http" if allow_private => false,
        other => return Err(CallError::Exchange(format!("{other}: not https"))),
    };
    let host = url
        .host_str()
        .ok_or_else(|| CallError::Exchange("no host".into()))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| CallError::Exchange("no port".into()))?;
    let address = resolve(url, &host, port, allow_private).await?;
    let authority = match (url.scheme(), port) {
        ("https", 443) | ("http", 80) => host.clone(),
        _ if host.contains(':') => format!("[{host}]:{port}"),
        _ => format!("{host}:{port}"),
    };
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(target)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::USER_AGENT, "flows");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let request = request
        .body(http_body_util::Full::new(Bytes::from(body)))
        .map_err(exchange_error)?;
    let tls = if https {
        Some(crate::tls::connector(None).map_err(exchange_error)?)
    } else {
        None
    };
    let (status, body) =
        crate::tls::exchange(address, &host, tls.as_ref(), request, MAX_ANSWER_BYTES)
            .await
            .map_err(|e| match e {
                crate::tls::ExchangeError::TooLarge => CallError::TooLarge,
                crate::tls::ExchangeError::Failed(why) => CallError::Exchange(why),
            })?;
    Ok(Answer {
        status: status.as_u16(),
        body,
    })
}

/// The address to connect to: the first the name resolves to, once every one of them
/// passed the check (one private address among public ones is refused: which one a later
/// look-up returns first is not ours to choose).
async fn resolve(
    url: &url::Url,
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<SocketAddr, CallError> {
    let addresses: Vec<SocketAddr> = match literal_ip(url) {
        Some(ip) => vec![SocketAddr::new(ip, port)],
        None => tokio::net::lookup_host((host, port))
            .await
            .map_err(exchange_error)?
            .collect(),
    };
    if !allow_private && let Some(private) = addresses.iter().find(|a| !is_public(a.ip())) {
        return Err(CallError::NotPublic(private.ip().to_string()));
    }
    addresses
        .into_iter()
        .next()
        .ok_or_else(|| CallError::Exchange(format!("{host} resolves to no address")))
}

fn exchange_error(e: impl std::fmt::Display) -> CallError {
    CallError::Exchange(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn private_addresses_are_refused_before_any_connection() {
        for url in [
            "https://127.0.0.1:9/hook",
            "https://[::1]:9/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost:9/hook",
        ] {
            let url = url::Url::parse(url).unwrap();
            let refused = post_json(&url, &[], b"{}".to_vec(), Duration::from_secs(2), false)
                .await
                .unwrap_err();
            assert!(
                matches!(refused, CallError::NotPublic(_)),
                "{url}: {refused:?}"
            );
        }
        let plain = url::Url::parse("http://hooks.example.com/").unwrap();
        let refused = post_json(&plain, &[], Vec::new(), Duration::from_secs(2), false)
            .await
            .unwrap_err();
        assert!(matches!(refused, CallError::Exchange(_)), "{refused:?}");
    }
}
