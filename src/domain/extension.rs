//! An extension: the organisation's own HTTPS service that a flow calls (`CallExtension`),
//! as an administrator registers it, and the Standard Webhooks signature every call carries.

use crate::i18n::Said;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How long Flows waits for an answer when nothing else is said.
pub const DEFAULT_TIMEOUT_MS: u32 = 3_000;
/// The longest an administrator may let a person wait for an extension.
pub const MAX_TIMEOUT_MS: u32 = 10_000;
/// The largest answer read; a longer one is a failure.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Attributes an extension may be sent or may set, at most.
pub const MAX_ATTRIBUTES: usize = 50;
/// A generated secret's random bytes (Standard Webhooks: 24 to 64).
pub const SECRET_BYTES: usize = 32;
/// Names never sent to nor set by an extension: secrets are no attributes, and these say
/// what the journey proved.
pub const NEVER_SHARED: &[&str] = &["password", "otp", "email_verified", "invitation_id"];

/// The events an extension may receive after the fact, each once per change that causes it.
pub const EVENT_TYPES: [&str; 4] = [
    "flow.completed",
    "user.created",
    "user.recovered",
    "invitation.sent",
];
/// How long a delivery is tried before it is given up on (and shown in the console).
pub const DELIVERY_GIVE_UP: time::Duration = time::Duration::hours(24);

/// Checks the events listed, which come back sorted and without repeats.
pub fn check_events(names: &[String]) -> Result<Vec<String>, ExtensionProblem> {
    let mut out: Vec<String> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !EVENT_TYPES.contains(&name) {
            return Err(problem(
                "events",
                Said::new("ui.refusal.extension.event")
                    .with("name", name)
                    .with("events", EVENT_TYPES.join(", ")),
            ));
        }
        if !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// What a call that times out, fails or answers nonsense does to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailurePolicy {
    /// Go on as if the extension had allowed it.
    Allow,
    /// Refuse the step with a message to try again later; what was typed is kept.
    Deny,
}

impl FailurePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            FailurePolicy::Allow => "allow",
            FailurePolicy::Deny => "deny",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "allow" => Some(FailurePolicy::Allow),
            "deny" => Some(FailurePolicy::Deny),
            _ => None,
        }
    }
}

/// Why a registration was refused, with the field the message belongs beside: worded in
/// the console's language there, in English in the API and the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionProblem {
    pub field: &'static str,
    pub message: Said,
}

fn problem(field: &'static str, message: Said) -> ExtensionProblem {
    ExtensionProblem { field, message }
}

/// Checks a name: what flows name the extension by.
pub fn check_name(name: &str) -> Result<String, ExtensionProblem> {
    let name = name.trim();
    let fine = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if fine {
        Ok(name.to_owned())
    } else {
        Err(problem("name", Said::new("ui.refusal.extension.name")))
    }
}

/// Checks a URL: https, no credentials, no fragment; plain http only where private
/// addresses are allowed (tests, services on the same machine).
pub fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, ExtensionProblem> {
    let url = url::Url::parse(raw.trim())
        .map_err(|_| problem("url", Said::new("ui.refusal.extension.url_form")))?;
    let scheme_ok = url.scheme() == "https" || (allow_private && url.scheme() == "http");
    if !scheme_ok {
        return Err(problem("url", Said::new("ui.refusal.extension.url_https")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            "url",
            Said::new("ui.refusal.extension.url_credentials"),
        ));
    }
    if url.fragment().is_some() || url.host().is_none() {
        return Err(problem("url", Said::new("ui.refusal.extension.url_host")));
    }
    if !allow_private
        && let Some(ip) = literal_ip(&url)
        && !is_public(ip)
    {
        return Err(problem(
            "url",
            Said::new("ui.refusal.extension.url_private"),
        ));
    }
    Ok(url)
}

/// The host of `url` when it is an address rather than a name.
pub fn literal_ip(url: &url::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(a) => Some(IpAddr::V4(a)),
        url::Host::Ipv6(a) => Some(IpAddr::V6(a)),
        url::Host::Domain(_) => None,
    }
}

/// Checks a timeout in milliseconds: 1 ms to `MAX_TIMEOUT_MS`.
pub fn check_timeout(ms: u32) -> Result<u32, ExtensionProblem> {
    if (1..=MAX_TIMEOUT_MS).contains(&ms) {
        Ok(ms)
    } else {
        Err(problem(
            "timeout_ms",
            Said::new("ui.refusal.extension.timeout").with("max", MAX_TIMEOUT_MS),
        ))
    }
}

/// Checks a list of attribute names, for `field`; they come back in their canonical names
/// (`canonical`: the engine's naming of claim URIs), sorted and without repeats.
pub fn check_attributes(
    field: &'static str,
    names: &[String],
    canonical: fn(&str) -> &'static str,
) -> Result<Vec<String>, ExtensionProblem> {
    let mut out: Vec<String> = Vec::new();
    for raw in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let name = canonical(raw);
        if NEVER_SHARED.contains(&name) {
            return Err(problem(
                field,
                Said::new("ui.refusal.extension.never_shared").with("name", raw),
            ));
        }
        let fine = name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !fine {
            return Err(problem(
                field,
                Said::new("ui.refusal.extension.not_attribute").with("name", raw),
            ));
        }
        if !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    if out.len() > MAX_ATTRIBUTES {
        return Err(problem(
            field,
            Said::new("ui.refusal.extension.too_many").with("max", MAX_ATTRIBUTES),
        ));
    }
    out.sort();
    Ok(out)
}

/// A new secret in the Standard Webhooks form: `whsec_` and base64 of random bytes.
pub fn new_secret() -> String {
    let bytes: [u8; SECRET_BYTES] = rand::random();
    format!("whsec_{}", B64.encode(bytes))
}

/// The bytes a secret signs with: base64 after `whsec_`; a secret written otherwise is
/// used as its own bytes, as receivers that take any string do.
pub fn secret_bytes(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix("whsec_")
        .and_then(|b| B64.decode(b).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// Checks a secret an administrator brings: long enough to be one.
pub fn check_secret(secret: &str) -> Result<String, ExtensionProblem> {
    let secret = secret.trim();
    if secret_bytes(secret).len() < 16 || secret.len() > 512 {
        return Err(problem("secret", Said::new("ui.refusal.extension.secret")));
    }
    Ok(secret.to_owned())
}

/// The `webhook-signature` header of a Standard Webhooks message: `v1,` and base64 of
/// HMAC-SHA256 over `<id>.<timestamp>.<body>` with the secret's bytes.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&secret_bytes(secret))
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
}

/// True for an address on the public internet: not loopback, private (RFC 1918, unique
/// local), shared (CGNAT), link-local (cloud metadata lives there), multicast, documentation,
/// benchmarking or otherwise reserved. Mapped and translated IPv6 forms are judged by the
/// IPv4 address they carry.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => is_public_v4(a),
        IpAddr::V6(a) => is_public_v6(a),
    }
}

fn is_public_v4(a: Ipv4Addr) -> bool {
    let [o0, o1, o2, _] = a.octets();
    !(o0 == 0
        || o0 == 10
        || o0 == 127
        || (o0 == 100 && (64..128).contains(&o1))
        || (o0 == 169 && o1 == 254)
        || (o0 == 172 && (16..32).contains(&o1))
        || (o0 == 192 && o1 == 0 && o2 == 0)
        || (o0 == 192 && o1 == 0 && o2 == 2)
        || (o0 == 192 && o1 == 88 && o2 == 99)
        || (o0 == 192 && o1 == 168)
        || (o0 == 198 && (18..20).contains(&o1))
        || (o0 == 198 && o1 == 51 && o2 == 100)
        || (o0 == 203 && o1 == 0 && o2 == 113)
        || o0 >= 224)
}

fn is_public_v6(a: Ipv6Addr) -> bool {
    let s = a.segments();
    if let Some(v4) = a.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(a.is_unspecified()
        || a.is_loopback()
        || s[0] & 0xfe00 == 0xfc00
        || s[0] & 0xffc0 == 0xfe80
        || s[0] & 0xff00 == 0xff00
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0])
        || (s[0] == 0x2001 && s[1] < 0x0200)
        // IPv4-compatible (deprecated) addresses: ::a.b.c.d
        || s[0..6] == [0, 0, 0, 0, 0, 0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_local_and_reserved_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.1",
            "198.18.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
            "::127.0.0.1",
        ] {
            let ip: IpAddr = private.parse().unwrap();
            assert!(!is_public(ip), "{private}");
        }
        for public in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = public.parse().unwrap();
            assert!(is_public(ip), "{public}");
        }
    }

    #[test]
    fn urls_must_be_https_and_public_unless_private_ones_are_allowed() {
        assert!(check_url("https://hooks.example.com/flows", false).is_ok());
        for bad in [
            "http://hooks.example.com/",
            "https://user:pw@hooks.example.com/",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://169.254.169.254/latest/meta-data",
            "ftp://example.com/",
            "hooks.example.com",
        ] {
            assert_eq!(check_url(bad, false).unwrap_err().field, "url", "{bad}");
        }
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
    }

    /// The engine's naming, as far as these tests need it (the domain knows no engine).
    fn canonical(name: &str) -> &'static str {
        match name {
            "http://wso2.org/claims/emailaddress" | "email" => "email",
            "country" => "country",
            "password" => "password",
            _ => "other",
        }
    }

    #[test]
    fn timeouts_names_attributes_and_secrets_are_checked() {
        assert_eq!(check_timeout(DEFAULT_TIMEOUT_MS), Ok(3000));
        assert!(check_timeout(MAX_TIMEOUT_MS).is_ok());
        assert!(check_timeout(MAX_TIMEOUT_MS + 1).is_err());
        assert!(check_timeout(0).is_err());
        assert_eq!(check_name(" crm-check ").unwrap(), "crm-check");
        assert!(check_name("9lives").is_err());
        assert_eq!(
            check_attributes(
                "send",
                &[
                    "http://wso2.org/claims/emailaddress".into(),
                    "email".into(),
                    " country".into()
                ],
                canonical
            )
            .unwrap(),
            ["country", "email"]
        );
        assert!(check_attributes("send", &["password".into()], canonical).is_err());
        assert!(check_secret("short").is_err());
        assert!(check_secret(&new_secret()).is_ok());
        assert_eq!(secret_bytes(&new_secret()).len(), SECRET_BYTES);
    }

    #[test]
    fn every_refusal_is_a_whole_sentence_in_english_and_french() {
        let many: Vec<String> = (0..=MAX_ATTRIBUTES).map(|i| format!("a{i}")).collect();
        let refusals = [
            check_name("9lives").unwrap_err(),
            check_url("not a url", false).unwrap_err(),
            check_url("ftp://hooks.example", false).unwrap_err(),
            check_url("https://me:pw@hooks.example", false).unwrap_err(),
            check_url("https://hooks.example/#top", false).unwrap_err(),
            check_url("https://127.0.0.1/", false).unwrap_err(),
            check_timeout(0).unwrap_err(),
            check_attributes("send", &["password".into()], canonical).unwrap_err(),
            check_attributes("send", &["x".into()], |_| "not one").unwrap_err(),
            check_attributes("send", &many, |n| Box::leak(n.to_owned().into_boxed_str()))
                .unwrap_err(),
            check_events(&["flow.started".into()]).unwrap_err(),
            check_secret("short").unwrap_err(),
        ];
        let fr = crate::i18n::Tr::new(crate::i18n::Locale::from_tag("fr").unwrap());
        for p in &refusals {
            assert!(p.message.faults().is_empty(), "{:?}", p.message.faults());
            assert_ne!(p.message.in_(&fr), p.message.english());
        }
        assert_eq!(
            refusals[6].message.english(),
            "Give a timeout from 1 to 10000 milliseconds."
        );
        assert_eq!(
            refusals[10].message.english(),
            "'flow.started' is not an event; use flow.completed, user.created, user.recovered, invitation.sent."
        );
    }

    /// The example of the Standard Webhooks specification (its README's "Signature scheme").
    #[test]
    fn signatures_follow_standard_webhooks() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
