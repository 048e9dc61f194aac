//! A person who does not give up: a browser whose every request may meet a dead server, and
//! who then waits and looks again with the same cookies, as someone pressing reload would.

use crate::helpers::{Browser, MailSource, Page, mails_in};
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What went wrong across all people of a test, and how the journeys ended.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) failures: Mutex<Vec<String>>,
    pub(super) completed: Mutex<Vec<&'static str>>,
    /// Journeys interrupted at least once (a refused connection, a cut answer, a 503) that
    /// then went on with the same cookies.
    pub(super) resumed: Mutex<usize>,
}

impl Tally {
    pub(super) fn fail(&self, what: String) {
        if let Ok(mut f) = self.failures.lock() {
            f.push(what);
        }
    }

    pub(super) fn done(&self, kind: &'static str, interrupted: bool) {
        if let Ok(mut c) = self.completed.lock() {
            c.push(kind);
        }
        if interrupted && let Ok(mut r) = self.resumed.lock() {
            *r += 1;
        }
    }
}

pub(super) struct Person<'a> {
    pub(super) browser: Browser,
    tally: &'a Tally,
    /// Set by any request that met a dead or unavailable server.
    pub(super) interrupted: bool,
}

impl<'a> Person<'a> {
    pub(super) fn new(base: &str, tally: &'a Tally) -> Self {
        Self {
            browser: Browser::new(base),
            tally,
            interrupted: false,
        }
    }

    /// One request. `None` when the server was not there to answer in full (killed,
    /// restarting) or answered 503: the person waits and looks again. Any other 5xx is a
    /// failure of the test.
    async fn send(&mut self, request: reqwest::RequestBuilder) -> Option<Page> {
        let answer = async {
            let res = request.timeout(Duration::from_secs(30)).send().await.ok()?;
            let status = res.status();
            let url = res.url().to_string();
            let headers = res.headers().clone();
            let html = res.text().await.ok()?;
            Some(Page {
                status,
                url,
                html,
                headers,
            })
        }
        .await;
        let Some(page) = answer else {
            self.interrupted = true;
            pause().await;
            return None;
        };
        if page.status == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            self.interrupted = true;
            pause().await;
            return None;
        }
        if page.status.is_server_error() {
            self.tally
                .fail(format!("{} at {}: {}", page.status, page.url, page.h1()));
            self.interrupted = true;
            pause().await;
            return None;
        }
        Some(page)
    }

    /// GET, following redirects.
    pub(super) async fn get(&mut self, path: &str) -> Option<Page> {
        let mut page = self
            .send(self.browser.client.get(url(&self.browser, path)))
            .await?;
        for _ in 0..5 {
            if !page.status.is_redirection() {
                break;
            }
            let next = page.location();
            page = self
                .send(self.browser.client.get(url(&self.browser, &next)))
                .await?;
        }
        Some(page)
    }

    pub(super) async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Option<Page> {
        let page = self
            .send(
                self.browser
                    .client
                    .post(url(&self.browser, path))
                    .form(fields),
            )
            .await?;
        if page.status.is_redirection() {
            return self.get(&page.location()).await;
        }
        Some(page)
    }

    /// Presses `action` on the step form of `page`.
    pub(super) async fn press(
        &mut self,
        page: &Page,
        action: &str,
        inputs: &[(&str, &str)],
    ) -> Option<Page> {
        let path = page.attr("form.flow-form", "action")?;
        let mut fields = page.form_fields();
        fields.push(("action".into(), action.into()));
        fields.extend(inputs.iter().map(|(k, v)| ((*k).into(), (*v).into())));
        self.post(&path, &fields).await
    }
}

fn url(browser: &Browser, path: &str) -> String {
    if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", browser.base)
    }
}

/// How long a person waits before looking again.
pub(super) async fn pause() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}

/// The newest mail to `to` whose subject contains `subject` and whose `pick` is not in
/// `tried`, waiting up to `within` for it (through kills and restarts).
pub(super) async fn wait_for_new(
    inbox: &MailSource,
    to: &str,
    subject: &str,
    pick: impl Fn(&crate::helpers::Mail) -> String,
    tried: &HashSet<String>,
    within: Duration,
) -> Option<String> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let found = mails_in(inbox, to)
            .into_iter()
            .rev()
            .filter(|m| m.subject.contains(subject))
            .map(|m| pick(&m))
            .find(|p| !tried.contains(p));
        if found.is_some() {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    None
}
