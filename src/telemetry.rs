//! Structured logs. Request lines carry a request id, method, path (never the query string,
//! which may hold a link token), status and latency: no personal data, no secrets.

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str, json: bool) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
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
