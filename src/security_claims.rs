//! Every number docs/SECURITY.md states (entropy, lifetimes, limits, hash parameters), held
//! against the values in force: each phrase below is built from the code's own constant or
//! default, and must appear in the document word for word. Change either side alone and this
//! fails. Behaviour tests (named in the document) prove the values are also enforced.

use crate::config::Settings;
use crate::domain::LinkToken;
use crate::startup::{SESSION_KEY_BYTES, engine_settings};
use crate::web::{FORM_LIMIT_BYTES, KEEP_ALIVE, SESSION_HOURS};
use base64::Engine as _;

fn document() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SECURITY.md");
    std::fs::read_to_string(path).expect("docs/SECURITY.md")
}

/// The phrases the document must hold, each made from the values in force.
fn claims() -> Vec<String> {
    let s = Settings::default();
    let engine = engine_settings(&s);
    let body = crate::web::body_limits_in_force(&s);
    let link_bits = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(LinkToken::generate().expose())
        .expect("base64url")
        .len()
        * 8;
    let id_bits = (0..256)
        .map(|_| crate::domain::ExecutionId::new().0.as_u128())
        .fold((0u128, u128::MAX), |(any, all), id| (any | id, all & id));
    // Bits set in some id and clear in another: the random ones.
    let random_id_bits = (id_bits.0 & !id_bits.1).count_ones();
    vec![
        format!(
            "{} MiB ceiling on every route",
            body.max_bytes / (1024 * 1024)
        ),
        format!("{} KiB forms", FORM_LIMIT_BYTES / 1024),
        format!("{} s per body", body.deadline.as_secs()),
        format!(
            "Argon2id ({} MiB, t={})",
            s.argon2.memory_kib / 1024,
            s.argon2.iterations
        ),
        format!(
            "{} failures in {} min block for {} min",
            s.login_max_failures, s.login_lockout_minutes, s.login_lockout_minutes
        ),
        format!(
            "E-mailed codes: {} digits, keyed hash bound to the execution, {} minutes, {} attempts then burnt",
            engine.otp_digits,
            engine.otp_lifetime.whole_minutes(),
            engine.otp_max_attempts
        ),
        format!(
            "Links: {link_bits}-bit tokens, stored hashed, single use, short lives (reset {} min)",
            engine.recovery_link_lifetime.whole_minutes()
        ),
        format!(
            "at most {} mails an hour to one address",
            engine.mail_quota_per_hour
        ),
        format!(
            "head {} s, body {} s, keep-alive {} s",
            s.request_head_timeout_ms / 1000,
            s.request_body_timeout_ms / 1000,
            KEEP_ALIVE.as_secs()
        ),
        format!("{random_id_bits} bits from the OS random source"),
        format!("met ({} by default", engine.password_policy.min_length),
        format!(
            "an encrypted cookie under a {}-bit key; link tokens {link_bits} bits",
            SESSION_KEY_BYTES * 8
        ),
        format!(
            "journeys {} min idle; console {} min idle; cookies {SESSION_HOURS} h",
            s.execution_idle_minutes, s.admin_idle_minutes
        ),
        format!(
            "the lockout is per address and lifts by itself after {} minutes",
            s.login_lockout_minutes
        ),
        format!(
            "at least {} digits from a CSPRNG, valid at most {} minutes",
            engine.otp_digits,
            engine.otp_lifetime.whole_minutes()
        ),
        format!(
            "sent mail's record after {} days",
            engine.sent_mail_retention.whole_days()
        ),
        format!(
            "HMAC-SHA256 with the application's {}-bit key",
            crate::engine::client_proof::KEY_BYTES * 8
        ),
        format!(
            "A proof is good within {} minutes of the server's time, either way",
            crate::engine::client_proof::TOLERANCE_SECONDS / 60
        ),
        format!(
            "the one before keeps working for {} hours",
            crate::engine::client_proof::PREVIOUS_KEY_HOURS
        ),
        format!(
            "a {}-bit nonce per application",
            crate::engine::client_proof::NONCE_BYTES * 8
        ),
        format!(
            "audit entries after {} days, funnel rows after {} days",
            engine.audit_retention.whole_days(),
            crate::engine::retention::FUNNEL_RETENTION.whole_days()
        ),
    ]
}

#[test]
fn every_number_the_security_document_states_is_the_one_in_force() {
    let doc = document();
    let missing: Vec<String> = claims()
        .into_iter()
        .filter(|claim| !doc.contains(claim.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/SECURITY.md does not say (or no longer says) what the code does: {missing:#?}"
    );
}

#[test]
fn the_defaults_meet_the_floors_the_document_maps_them_to() {
    let s = Settings::default();
    let engine = engine_settings(&s);
    // ASVS 6.2.1 / NIST: at least 8 characters; 6.2.9: at least 64 allowed.
    assert!(engine.password_policy.min_length >= 8);
    assert!(engine.password_policy.max_length >= 64);
    // ASVS 7.2.3: session tokens of at least 128 bits.
    const { assert!(SESSION_KEY_BYTES * 8 >= 128) };
    // NIST out-of-band: at least 6 digits, at most 10 minutes.
    assert!(engine.otp_digits >= 6);
    assert!(engine.otp_lifetime <= time::Duration::minutes(10));
}
