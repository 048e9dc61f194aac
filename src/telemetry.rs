//! Structured logs. Request lines carry a request id, method, path (never the query string,
//! which may hold a link token), status and latency: no personal data, no secrets.

use tracing_subscriber::EnvFilter;

/// Capped whatever level is asked for: lettre writes every SMTP line it sends to its debug
/// log, the whole message included, and with it the codes and links the mail carries.
const NEVER_VERBOSE: &[&str] = &["lettre=info"];

pub fn init(filter: &str, json: bool) {
    let mut filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    for directive in NEVER_VERBOSE {
        if let Ok(d) = directive.parse() {
            filter = filter.add_directive(d);
        }
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    // A second init (tests start several apps in one process) is harmless.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
