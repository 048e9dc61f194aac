//! Every outgoing call (the breached-password corpus, extensions) is one HTTP/1.1 exchange
//! made here, over rustls with ring, the public certificate authorities, and optionally
//! in-house ones.

use std::sync::Arc;
use tokio_rustls::rustls;

#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("CA file {path}: {reason}")]
    Ca { path: String, reason: String },
    #[error("{0}")]
    Setup(String),
}

/// The public certificate authorities, and those of `ca_file` when given.
pub fn connector(ca_file: Option<&str>) -> Result<tokio_rustls::TlsConnector, TlsSetupError> {
    use rustls::pki_types::{CertificateDer, pem::PemObject};
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let ca = |reason: String| TlsSetupError::Ca {
            path: path.to_owned(),
            reason,
        };
        let certs: Vec<_> = CertificateDer::pem_file_iter(path)
            .map_err(|e| ca(e.to_string()))?
            .collect::<Result<_, _>>()
            .map_err(|e| ca(e.to_string()))?;
        if certs.is_empty() {
            return Err(ca("no certificate in it".into()));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| ca(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError::Setup(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

/// Why one exchange gave no answer.
#[derive(Debug)]
pub enum ExchangeError {
    /// The body went past the limit given.
    TooLarge,
    Failed(String),
}

fn failed(e: impl std::fmt::Display) -> ExchangeError {
    ExchangeError::Failed(e.to_string())
}

/// One HTTP/1.1 request on a new connection to `address`, over TLS to `host` when `tls` is
/// given: the answer's status and its body, read up to `limit` bytes. Every outgoing call
/// (the breached-password corpus, extensions) goes through here.
pub async fn exchange<A, B>(
    address: A,
    host: &str,
    tls: Option<&tokio_rustls::TlsConnector>,
    request: hyper::Request<B>,
    limit: usize,
) -> Result<(hyper::StatusCode, hyper::body::Bytes), ExchangeError>
where
    A: tokio::net::ToSocketAddrs,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let tcp = tokio::net::TcpStream::connect(address)
        .await
        .map_err(failed)?;
    let _ = tcp.set_nodelay(true);
    match tls {
        Some(tls) => {
            let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(failed)?;
            let stream = tls.connect(name, tcp).await.map_err(failed)?;
            send(hyper_util::rt::TokioIo::new(stream), request, limit).await
        }
        None => send(hyper_util::rt::TokioIo::new(tcp), request, limit).await,
    }
}

async fn send<T, B>(
    io: T,
    request: hyper::Request<B>,
    limit: usize,
) -> Result<(hyper::StatusCode, hyper::body::Bytes), ExchangeError>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    use http_body_util::BodyExt;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(failed)?;
    let driver = tokio::spawn(connection);
    let response = sender.send_request(request).await.map_err(failed)?;
    let status = response.status();
    let collected = http_body_util::Limited::new(response.into_body(), limit)
        .collect()
        .await;
    driver.abort();
    match collected {
        Ok(c) => Ok((status, c.to_bytes())),
        Err(e)
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(ExchangeError::TooLarge)
        }
        Err(e) => Err(failed(e)),
    }
}
