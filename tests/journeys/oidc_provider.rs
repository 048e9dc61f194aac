//! A real, OpenID-certified provider for the tests of social sign-up: panva's `oidc-provider`
//! from npm (pinned in tests/oidc/package-lock.json, installed by `.ci/services.sh install`),
//! run with node by tests/oidc/provider.mjs. [`Provider`] starts it with the clients a test
//! needs and plays the person on its sign-in and consent pages. The tests at the bottom
//! prove the harness against the provider alone, without our server.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::redirect::Policy;
use scraper::{Html, Selector};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use std::io::{BufRead, BufReader, Read as _};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

const START_TIMEOUT: Duration = Duration::from_secs(20);
/// More hops than the provider ever makes (authorize, login, resume, consent, resume): a
/// loop means a page the walk does not understand.
const MAX_STEPS: usize = 12;

/// A client registered at the provider: confidential, `client_secret_basic`, code flow with
/// PKCE (S256), scopes `openid email profile`.
#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub secret: String,
    pub redirect_uri: String,
}

/// The running provider; its node process is killed when this is dropped.
pub struct Provider {
    pub issuer: String,
    child: Option<Child>,
    /// Everything node wrote to stderr so far, for the message of a failed step.
    stderr: Arc<Mutex<String>>,
}

/// The npm package's folder: `$FLOWS_TEST_OIDC_DIR` (written to env.sh by
/// `.ci/services.sh start`), or tests/oidc. A missing install is a failure, never a skip.
fn oidc_dir() -> PathBuf {
    let dir = std::env::var("FLOWS_TEST_OIDC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc"));
    let package = dir.join("node_modules/oidc-provider/package.json");
    assert!(
        package.is_file(),
        "oidc-provider is not installed at {}: run `bash .ci/services.sh install` \
         (npm ci --prefix tests/oidc) and source /tmp/flows-ci/env.sh, or set FLOWS_TEST_OIDC_DIR",
        package.display()
    );
    dir
}

impl Provider {
    /// Starts node tests/oidc/provider.mjs on a free port with these clients; waits for READY
    /// and for GET {issuer}/.well-known/openid-configuration to answer 200 (timeout 20 s).
    pub async fn start(clients: &[Client]) -> Provider {
        let dir = oidc_dir();
        let clients: Vec<Value> = clients
            .iter()
            .map(|c| {
                json!({
                    "client_id": c.id,
                    "client_secret": c.secret,
                    "redirect_uris": [c.redirect_uri],
                })
            })
            .collect();
        // PORT=0: the script binds a port the system picks and names it in its READY line,
        // so no other process can take the port between choosing and binding it.
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .env("PORT", "0")
            .env("CLIENTS", Value::Array(clients).to_string())
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("node could not be started ({e}): is Node.js installed?"));
        let stdout = child.stdout.take().unwrap();
        let mut stderr_pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stderr_pipe.read(&mut chunk) {
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<String>();
        std::thread::spawn(move || {
            let mut ready_tx = Some(ready_tx);
            // Drained to the end, so node never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix("READY ")
                    && let Some(tx) = ready_tx.take()
                {
                    let _ = tx.send(issuer.trim().to_owned());
                }
            }
        });
        let mut provider = Provider {
            issuer: String::new(),
            child: Some(child),
            stderr,
        };

        let deadline = Instant::now() + START_TIMEOUT;
        provider.issuer = match tokio::time::timeout_at(deadline, ready_rx).await {
            Ok(Ok(issuer)) => issuer,
            Ok(Err(_)) => provider.fail("node exited before it printed READY"),
            Err(_) => provider.fail("no READY from node within 20 s"),
        };
        let http = reqwest::Client::new();
        loop {
            if let Ok(response) = http.get(provider.discovery_url()).send().await
                && response.status() == reqwest::StatusCode::OK
            {
                return provider;
            }
            if Instant::now() >= deadline {
                provider.fail("the discovery document did not answer 200 within 20 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer)
    }

    /// Plays the person at the provider: follows `authorize_url` (the URL our server
    /// redirected the browser to) with a cookie-keeping client that does NOT follow redirects
    /// automatically across to the client's redirect_uri; signs in as `login` on the dev
    /// login form, grants consent, and returns the final redirect Location — the client's
    /// redirect_uri with `code` and `state` (it does not call that URL).
    pub async fn sign_in(&self, authorize_url: &str, login: &str) -> String {
        self.walk(authorize_url, login, true).await
    }

    /// Same, but denies consent (the consent page's cancel link): returns the redirect_uri
    /// URL with `error=access_denied` and `state`.
    pub async fn refuse(&self, authorize_url: &str, login: &str) -> String {
        self.walk(authorize_url, login, false).await
    }

    /// Stops the provider (to test "provider down"); Drop does this too.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    async fn walk(&self, authorize_url: &str, login: &str, consent: bool) -> String {
        let issuer = Url::parse(&self.issuer).unwrap();
        let mut url = Url::parse(authorize_url)
            .unwrap_or_else(|e| panic!("not a URL ({e}): {authorize_url}"));
        assert_eq!(
            url.origin(),
            issuer.origin(),
            "the authorize URL is not at the provider {}: {authorize_url}",
            self.issuer
        );
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        let mut form: Option<Vec<(&str, &str)>> = None;
        for _ in 0..MAX_STEPS {
            let request = match form.take() {
                Some(fields) => http.post(url.clone()).form(&fields),
                None => http.get(url.clone()),
            };
            let response = request
                .send()
                .await
                .unwrap_or_else(|e| self.fail(&format!("{url} did not answer: {e}")));
            let status = response.status();
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or_else(|| self.fail(&format!("{status} without Location at {url}")));
                let next = url.join(location).unwrap();
                // Leaving the provider: this is where the browser would go next.
                if next.origin() != issuer.origin() {
                    return next.into();
                }
                url = next;
                continue;
            }
            let body = response.text().await.unwrap_or_default();
            if !status.is_success() {
                self.fail(&format!("{url} answered {status}: {}", text_of(&body)));
            }
            let page = Html::parse_document(&body);
            match page_prompt(&page).as_deref() {
                Some("login") => {
                    url = url.join(&form_action(&page)).unwrap();
                    form = Some(vec![
                        ("prompt", "login"),
                        ("login", login),
                        // Ignored by the dev form, but the browser's form requires one.
                        ("password", "any password"),
                    ]);
                }
                Some("consent") if consent => {
                    url = url.join(&form_action(&page)).unwrap();
                    form = Some(vec![("prompt", "consent")]);
                }
                Some("consent") => url = url.join(&abort_link(&page)).unwrap(),
                _ => self.fail(&format!(
                    "a page the walk does not know at {url}: {}",
                    text_of(&body)
                )),
            }
        }
        self.fail(&format!(
            "still at the provider after {MAX_STEPS} steps, at {url}"
        ))
    }

    /// Fails the test, with what node wrote to stderr.
    fn fail(&self, what: &str) -> ! {
        // A moment for the last stderr lines of a dying process to arrive.
        std::thread::sleep(Duration::from_millis(200));
        let stderr = self.stderr.lock().unwrap();
        panic!("oidc-provider: {what}\n--- node's stderr ---\n{stderr}");
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The dev interactions' forms carry a hidden `prompt` field: "login" or "consent".
fn page_prompt(page: &Html) -> Option<String> {
    let selector = Selector::parse(r#"form input[name="prompt"]"#).unwrap();
    page.select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .map(str::to_owned)
}

fn form_action(page: &Html) -> String {
    let selector = Selector::parse("form[action]").unwrap();
    let form = page
        .select(&selector)
        .next()
        .expect("a form with an action");
    form.value().attr("action").unwrap().to_owned()
}

fn abort_link(page: &Html) -> String {
    let selector = Selector::parse(r#"a[href*="/abort"]"#).unwrap();
    let link = page
        .select(&selector)
        .next()
        .expect("the page's cancel link (…/abort)");
    link.value().attr("href").unwrap().to_owned()
}

/// A page's words, for a failure message that fits on a screen.
fn text_of(body: &str) -> String {
    let page = Html::parse_document(body);
    let selector = Selector::parse("body").unwrap();
    let text = page.select(&selector).next().map_or_else(
        || body.to_owned(),
        |b| b.text().collect::<Vec<_>>().join(" "),
    );
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.chars().take(600).collect()
}

// The tests below stand in for our server: they build the authorize URL and redeem the code.

const REDIRECT_URI: &str = "http://127.0.0.1:9/cb";

fn test_client() -> Client {
    Client {
        id: format!("flows-{}", uuid::Uuid::new_v4().simple()),
        secret: uuid::Uuid::new_v4().simple().to_string(),
        redirect_uri: REDIRECT_URI.to_owned(),
    }
}

/// What the relying party keeps between the redirect out and the one back.
struct Attempt {
    url: String,
    state: String,
    nonce: String,
    verifier: String,
}

async fn discovery(provider: &Provider) -> Value {
    reqwest::get(provider.discovery_url())
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn authorize_url(provider: &Provider, client: &Client) -> Attempt {
    let endpoint = discovery(provider).await["authorization_endpoint"]
        .as_str()
        .unwrap()
        .to_owned();
    let state = uuid::Uuid::new_v4().simple().to_string();
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let url = Url::parse_with_params(
        &endpoint,
        [
            ("response_type", "code"),
            ("client_id", &client.id),
            ("redirect_uri", &client.redirect_uri),
            ("scope", "openid email profile"),
            ("state", &state),
            ("nonce", &nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .unwrap();
    Attempt {
        url: url.into(),
        state,
        nonce,
        verifier,
    }
}

/// The query parameters of the URL the provider sent the browser back to.
fn returned(location: &str) -> (Url, Vec<(String, String)>) {
    let url = Url::parse(location).unwrap();
    let query = url.query_pairs().into_owned().collect();
    (url, query)
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Signs in as `login`, redeems the code, and returns the ID token's claims.
async fn id_token_claims(login: &str) -> (Client, Attempt, Value) {
    let client = test_client();
    let provider = Provider::start(std::slice::from_ref(&client)).await;
    let attempt = authorize_url(&provider, &client).await;
    let location = provider.sign_in(&attempt.url, login).await;
    let (url, query) = returned(&location);
    assert_eq!(
        url.as_str().split('?').next(),
        Some(REDIRECT_URI),
        "{location}"
    );
    assert_eq!(param(&query, "state"), Some(attempt.state.as_str()));
    let code = param(&query, "code").unwrap_or_else(|| panic!("no code in {location}"));

    let token_endpoint = discovery(&provider).await["token_endpoint"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = reqwest::Client::new()
        .post(token_endpoint)
        .basic_auth(&client.id, Some(&client.secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &client.redirect_uri),
            ("code_verifier", &attempt.verifier),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status();
    let tokens: Value = response.json().await.unwrap();
    assert_eq!(status, reqwest::StatusCode::OK, "{tokens:#}");
    let id_token = tokens["id_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no id_token: {tokens:#}"));
    let payload = id_token.split('.').nth(1).expect("a JWS in compact form");
    let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    (client, attempt, claims)
}

#[tokio::test]
async fn a_code_comes_back_for_a_signed_in_person() {
    let (client, attempt, claims) = id_token_claims("ada@example.com").await;
    assert_eq!(claims["email"], "ada@example.com", "{claims:#}");
    assert_eq!(claims["email_verified"], true, "{claims:#}");
    assert_eq!(claims["nonce"], attempt.nonce.as_str(), "{claims:#}");
    assert_eq!(claims["aud"], client.id.as_str(), "{claims:#}");
    assert_eq!(claims["sub"], "ada@example.com", "{claims:#}");
    assert_eq!(claims["given_name"], "Ada", "{claims:#}");
    assert_eq!(claims["preferred_username"], "ada", "{claims:#}");
}

#[tokio::test]
async fn an_unverified_login_says_so() {
    let (_, _, claims) = id_token_claims("unverified-bob@example.com").await;
    assert_eq!(claims["email"], "unverified-bob@example.com", "{claims:#}");
    assert_eq!(claims["email_verified"], false, "{claims:#}");
}

#[tokio::test]
async fn refusing_consent_returns_access_denied() {
    let client = test_client();
    let mut provider = Provider::start(std::slice::from_ref(&client)).await;
    let attempt = authorize_url(&provider, &client).await;
    let location = provider.refuse(&attempt.url, "ada@example.com").await;
    let (url, query) = returned(&location);
    assert_eq!(
        url.as_str().split('?').next(),
        Some(REDIRECT_URI),
        "{location}"
    );
    assert_eq!(param(&query, "error"), Some("access_denied"), "{location}");
    assert_eq!(param(&query, "state"), Some(attempt.state.as_str()));
    assert_eq!(param(&query, "code"), None, "{location}");

    // Down means down: the discovery document no longer answers.
    let discovery_url = provider.discovery_url();
    provider.stop();
    assert!(reqwest::get(discovery_url).await.is_err());
}
