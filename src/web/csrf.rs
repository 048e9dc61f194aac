//! Synchronizer-token CSRF protection: a random token in the encrypted session, echoed in a
//! hidden field of every form, compared in constant time; plus an Origin check.

use actix_session::Session;
use actix_web::HttpRequest;
use rand::Rng;
use subtle::ConstantTimeEq;

const KEY: &str = "csrf";

fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(KEY) {
        return t;
    }
    let t = generate();
    let _ = session.insert(KEY, t.clone());
    t
}

pub fn rotate(session: &Session) {
    let _ = session.insert(KEY, generate());
}

/// True when the submitted token matches and the request does not come from another site.
pub fn verify(req: &HttpRequest, session: &Session, submitted: Option<&str>) -> bool {
    if !same_origin(req) {
        return false;
    }
    let Ok(Some(expected)) = session.get::<String>(KEY) else {
        return false;
    };
    let Some(submitted) = submitted else {
        return false;
    };
    expected.len() == submitted.len() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
}

fn same_origin(req: &HttpRequest) -> bool {
    if req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        == Some("cross-site")
    {
        return false;
    }
    let Some(origin) = req.headers().get("origin").and_then(|v| v.to_str().ok()) else {
        return true;
    };
    // Privacy modes send "null"; the token alone decides then.
    if origin == "null" {
        return true;
    }
    let host = req.connection_info().host().to_owned();
    origin
        .split("://")
        .nth(1)
        .is_some_and(|o| o.eq_ignore_ascii_case(&host))
}
