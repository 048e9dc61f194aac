//! New passwords checked against a breached-password corpus through the Pwned Passwords range
//! API (`FLOWS_BREACHED_PASSWORDS_URL`), here a range server of the test's own on 127.0.0.1,
//! over plain HTTP and over TLS with a CA of its own (as an in-house mirror would be).

use crate::helpers::*;
use reqwest::StatusCode;
use sha1::{Digest, Sha1};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

/// In the corpus of every range server here (and strong enough for the policy otherwise).
const BREACHED: &str = "purple monkey dishwasher 1999";

/// A range API answering from a corpus of one password, padded as the real one is, and
/// noting each request's head.
struct RangeServer {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl RangeServer {
    async fn start(tls: Option<tokio_rustls::TlsAcceptor>, delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let noted = heads.clone();
        let scheme = if tls.is_some() { "https" } else { "http" };
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (tls, noted) = (tls.clone(), noted.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    match tls {
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(tcp).await {
                                answer(stream, &noted).await;
                            }
                        }
                        None => answer(tcp, &noted).await,
                    }
                });
            }
        });
        Self {
            url: format!("{scheme}://127.0.0.1:{port}/pwned"),
            heads,
        }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

fn sha1_hex(text: &str) -> String {
    hex::encode_upper(Sha1::digest(text.as_bytes()))
}

/// Reads one request's head and answers it: the breached suffix when the prefix is the
/// breached password's, and padding lines (count 0) always.
async fn answer<S: AsyncRead + AsyncWrite + Unpin>(stream: S, noted: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    noted.lock().unwrap().push(head.clone());
    let path = head.split(' ').nth(1).unwrap_or("");
    let digest = sha1_hex(BREACHED);
    let mut body = String::new();
    if path == format!("/pwned/range/{}", &digest[..5]) {
        body.push_str(&format!("{}:3861493\r\n", &digest[5..]));
    }
    for n in 0..50 {
        body.push_str(&format!("{n:035X}:0\r\n"));
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The details form with `password`, on a new browser: the POST's status and page.
async fn register_with(app: &TestApp, password: &str) -> (StatusCode, Page) {
    let browser = app.browser();
    let page = browser.get("/register").await;
    let email = unique_email("breach");
    browser
        .press(&page, "continue", &details("Ada", &email, password))
        .await
}

fn with_corpus(url: &str, ca: Option<&Path>) -> Options {
    Options {
        breached_passwords: Some((url.to_owned(), ca.map(|p| p.display().to_string()))),
        ..Options::default()
    }
}

#[tokio::test]
async fn a_breached_password_is_refused_beside_the_field_and_only_a_hash_prefix_leaves() {
    let corpus = RangeServer::start(None, Duration::ZERO).await;
    let app = spawn_app_with(with_corpus(&corpus.url, None)).await;

    let form = app.browser().get("/register").await;
    assert!(
        form.html.contains("Not found in known data breaches"),
        "the rule is listed before typing"
    );
    let (status, page) = register_with(&app, BREACHED).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    let shown = page.field_error("password").unwrap_or_default();
    assert!(shown.contains("data breach"), "{shown:?}");
    assert!(
        !page.html.contains(BREACHED),
        "the password is not shown again"
    );

    let (status, page) = register_with(&app, GOOD_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.h1(), CODE_PAGE);

    let heads = corpus.heads();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for (head, password) in heads.iter().zip([BREACHED, GOOD_PASSWORD]) {
        let digest = sha1_hex(password);
        assert!(
            head.starts_with(&format!("GET /pwned/range/{} HTTP/1.1\r\n", &digest[..5])),
            "{head}"
        );
        assert!(
            head.to_ascii_lowercase().contains("add-padding: true"),
            "{head}"
        );
        assert!(
            !head.contains(&digest[5..]),
            "only the prefix leaves: {head}"
        );
        assert!(!head.contains(password), "{head}");
    }
}

#[tokio::test]
async fn a_recovery_cannot_set_a_breached_password() {
    let corpus = RangeServer::start(None, Duration::ZERO).await;
    let app = spawn_app_with(with_corpus(&corpus.url, None)).await;
    let email = unique_email("reset");
    register_fully(&app, "Ada", &email).await;
    let browser = app.browser();
    let page = browser.get("/recover").await;
    let (_, page) = browser.press(&page, "continue", &[("login", &email)]).await;
    assert_eq!(page.h1(), "Check your e-mail");
    let link = app.last_mail(&email, 2).await.link();
    let landing = browser.get(&link).await;
    let (_, page) = press_link(&browser, &landing, &link).await;
    let (status, page) = browser
        .press(&page, "save", &[("password", BREACHED)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    let shown = page.field_error("password").unwrap_or_default();
    assert!(shown.contains("data breach"), "{shown:?}");
    let (_, page) = browser
        .press(
            &page,
            "save",
            &[("password", "a brand new passphrase for me")],
        )
        .await;
    assert_eq!(page.h1(), "Your password has been changed");
}

#[tokio::test]
async fn a_corpus_that_is_away_or_slow_lets_the_password_through() {
    // Nothing listens there.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let app = spawn_app_with(with_corpus(&format!("http://127.0.0.1:{closed}"), None)).await;
    let (status, page) = register_with(&app, BREACHED).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);

    // Slower than the check waits (3 s): the person waits that long, no more.
    let slow = RangeServer::start(None, Duration::from_secs(10)).await;
    let app = spawn_app_with(with_corpus(&slow.url, None)).await;
    let started = std::time::Instant::now();
    let (status, page) = register_with(&app, BREACHED).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(3) && waited < Duration::from_secs(8),
        "{waited:?}"
    );
}

/// A CA and a certificate it signed for 127.0.0.1, made with the openssl command; `None`
/// when there is no openssl.
fn make_certificates(dir: &Path) -> Option<()> {
    // An openssl command as one string, split on spaces: no argument here holds one.
    let run = |command: &str| {
        std::process::Command::new("openssl")
            .args(command.split(' '))
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    std::fs::write(
        dir.join("leaf.ext"),
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .ok()?;
    const EC: &str = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    let made = run(&format!(
        "req -x509 {EC} -keyout ca.key -out ca.pem -days 2 -subj /CN=Flows_test_CA"
    )) && run(&format!(
        "req {EC} -keyout leaf.key -out leaf.csr -subj /CN=127.0.0.1"
    )) && run(
        "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 2 -extfile leaf.ext",
    );
    made.then_some(())
}

fn acceptor(dir: &Path) -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<_> = CertificateDer::pem_file_iter(dir.join("leaf.pem"))
        .expect("leaf")
        .collect::<Result<_, _>>()
        .expect("leaf");
    let key = PrivateKeyDer::from_pem_file(dir.join("leaf.key")).expect("key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("certificate");
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

#[tokio::test]
async fn the_corpus_is_asked_over_tls_and_a_mirror_needs_its_ca_named() {
    let dir = tempfile::tempdir().expect("dir");
    if make_certificates(dir.path()).is_none() {
        cannot_run("breached TLS", "no openssl command to make a test CA");
        return;
    }
    let corpus = RangeServer::start(Some(acceptor(dir.path())), Duration::ZERO).await;
    assert!(corpus.url.starts_with("https://"));

    let trusted = spawn_app_with(with_corpus(&corpus.url, Some(&dir.path().join("ca.pem")))).await;
    let (status, page) = register_with(&trusted, BREACHED).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert_eq!(corpus.heads().len(), 1);

    // Without the CA the mirror's certificate is not believed: no answer is taken from it,
    // and the password goes through as when the corpus is away.
    let untrusting = spawn_app_with(with_corpus(&corpus.url, None)).await;
    let (status, page) = register_with(&untrusting, BREACHED).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(
        corpus.heads().len(),
        1,
        "nothing was asked over an untrusted channel"
    );
}

#[tokio::test]
async fn an_administrator_cannot_choose_a_breached_password_either() {
    let corpus = RangeServer::start(None, Duration::ZERO).await;
    let app = spawn_app_with(with_corpus(&corpus.url, None)).await;
    let (admin, _) = crate::console::admin_browser(&app).await;
    let account = admin.get("/admin/account").await;
    let change = |new: &'static str| {
        crate::console::fields(&[
            ("csrf_token", &account.csrf()),
            ("current_password", crate::console::ADMIN_PASSWORD),
            ("new_password", new),
        ])
    };
    let (status, page) = admin
        .post("/admin/account/password", &change(BREACHED))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = page.field_error("new_password").unwrap_or_default();
    assert!(shown.contains("data breach"), "{shown:?}");
    let (status, _) = admin
        .post("/admin/account/password", &change("a brand new phrase"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
