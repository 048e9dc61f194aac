//! The load generator's HTTP client: one keep-alive HTTP/1.1 connection per simulated
//! browser, with its cookies, and nothing else.
//!
//! The bench shares the server's cores, so whatever the client spends is taken from the
//! figures it reports. A general client (reqwest, with its cookie store, URL and domain
//! handling) cost the journeys about 0.1 of the 2 cores; this one does only what a browser
//! submitting these forms does, on bytes.

use anyhow::{Context, Result, anyhow, bail};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// An answer, body read, so a timed request includes the transfer.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

pub struct Browser {
    server: SocketAddr,
    connection: Option<BufReader<TcpStream>>,
    /// `None` for a client that never sends cookies back (a crawler).
    cookies: Option<Vec<(String, String)>>,
    timeout: Duration,
    bearer: Option<String>,
}

impl Browser {
    pub fn new(server: SocketAddr, keep_cookies: bool, timeout: Duration) -> Self {
        Self {
            server,
            connection: None,
            cookies: keep_cookies.then(Vec::new),
            timeout,
            bearer: None,
        }
    }

    pub async fn get(&mut self, path: &str) -> Result<Answer> {
        self.send("GET", path, None).await
    }

    /// A GET with `Authorization: Bearer <token>` (the server's `/metrics`).
    pub async fn get_with_bearer(&mut self, path: &str, token: &str) -> Result<Answer> {
        self.bearer = Some(token.to_owned());
        let answer = self.send("GET", path, None).await;
        self.bearer = None;
        answer
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Answer> {
        let body = form_encode(form);
        self.send(
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", &body)),
        )
        .await
    }

    /// A JSON API call: `json` is sent as it is.
    pub async fn post_json(&mut self, path: &str, json: &str) -> Result<Answer> {
        self.send("POST", path, Some(("application/json", json)))
            .await
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, &str)>,
    ) -> Result<Answer> {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.server);
        if let Some(cookies) = self.cookies.as_ref().filter(|c| !c.is_empty()) {
            let pairs: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request.push_str(&format!("Cookie: {}\r\n", pairs.join("; ")));
        }
        if let Some(token) = &self.bearer {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        if let Some((content_type, body)) = body {
            request.push_str(&format!(
                "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ));
        } else {
            request.push_str("\r\n");
        }
        let answer = tokio::time::timeout(self.timeout, self.exchange(request.as_bytes()))
            .await
            .map_err(|_| anyhow!("{method} {path}: no answer within {:?}", self.timeout))?;
        if answer.is_err() {
            // Whatever state the connection is in, it cannot carry another request.
            self.connection = None;
        }
        answer.with_context(|| format!("{method} {path}"))
    }

    /// Writes the request and reads the answer. A kept-alive connection the server closed
    /// in the meantime fails before any byte of an answer; the request is sent once more on
    /// a new connection then, which is safe since the server never read it.
    async fn exchange(&mut self, request: &[u8]) -> Result<Answer> {
        let reused = self.connection.is_some();
        match self.try_exchange(request).await {
            Err(Exchange::NothingBack(_)) if reused => {
                self.connection = None;
                self.try_exchange(request)
                    .await
                    .map_err(Exchange::into_error)
            }
            other => other.map_err(Exchange::into_error),
        }
    }

    async fn try_exchange(&mut self, request: &[u8]) -> Result<Answer, Exchange> {
        if self.connection.is_none() {
            let stream = TcpStream::connect(self.server)
                .await
                .map_err(|e| Exchange::Failed(e.into()))?;
            stream
                .set_nodelay(true)
                .map_err(|e| Exchange::Failed(e.into()))?;
            self.connection = Some(BufReader::new(stream));
        }
        let connection = self
            .connection
            .as_mut()
            .ok_or_else(|| Exchange::Failed(anyhow!("no connection")))?;
        connection
            .get_mut()
            .write_all(request)
            .await
            .map_err(|e| Exchange::NothingBack(e.into()))?;
        let mut line = String::new();
        let read = connection
            .read_line(&mut line)
            .await
            .map_err(|e| Exchange::NothingBack(e.into()))?;
        if read == 0 {
            return Err(Exchange::NothingBack(anyhow!("connection closed")));
        }
        self.read_answer(line).await.map_err(Exchange::Failed)
    }

    async fn read_answer(&mut self, status_line: String) -> Result<Answer> {
        let connection = self
            .connection
            .as_mut()
            .ok_or_else(|| anyhow!("no connection"))?;
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("malformed status line {status_line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        let mut location = None;
        let mut retry_after = None;
        let mut line = String::new();
        loop {
            line.clear();
            if connection.read_line(&mut line).await? == 0 {
                bail!("connection closed inside the headers");
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                bail!("malformed header {header:?}");
            };
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = Some(value.parse::<usize>()?),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "location" => location = Some(value.to_owned()),
                "retry-after" => retry_after = Some(value.to_owned()),
                "set-cookie" => {
                    if let (Some(jar), Some((name, rest))) =
                        (self.cookies.as_mut(), value.split_once('='))
                    {
                        let value = rest.split(';').next().unwrap_or_default();
                        jar.retain(|(n, _)| n != name);
                        // An expired cookie is the server removing it.
                        if !value.is_empty() && !rest.contains("Max-Age=0") {
                            jar.push((name.to_owned(), value.to_owned()));
                        }
                    }
                }
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            read_chunked(connection, &mut body).await?;
        } else if let Some(length) = length {
            body.resize(length, 0);
            connection.read_exact(&mut body).await?;
        } else if status >= 200 && status != 204 && status != 304 {
            connection.read_to_end(&mut body).await?;
            close = true;
        }
        if close {
            self.connection = None;
        }
        Ok(Answer {
            status,
            location,
            retry_after,
            body: String::from_utf8(body).context("the body is not UTF-8")?,
        })
    }
}

/// Why an exchange failed: before any answer (worth one retry on a reused connection), or
/// after.
enum Exchange {
    NothingBack(anyhow::Error),
    Failed(anyhow::Error),
}

impl Exchange {
    fn into_error(self) -> anyhow::Error {
        match self {
            Exchange::NothingBack(e) | Exchange::Failed(e) => e,
        }
    }
}

async fn read_chunked(connection: &mut BufReader<TcpStream>, body: &mut Vec<u8>) -> Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        connection.read_line(&mut line).await?;
        let size_text = line.trim_end().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size_text, 16)
            .with_context(|| format!("malformed chunk size {size_text:?}"))?;
        if size == 0 {
            // Trailers, if any, end with an empty line.
            loop {
                line.clear();
                if connection.read_line(&mut line).await? == 0 || line.trim_end().is_empty() {
                    return Ok(());
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        connection.read_exact(&mut body[start..]).await?;
        line.clear();
        connection.read_line(&mut line).await?;
    }
}

/// `application/x-www-form-urlencoded`, as a browser writes it.
fn form_encode(form: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in form.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, name);
        out.push('=');
        encode_into(&mut out, value);
    }
    out
}

fn encode_into(out: &mut String, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
}
