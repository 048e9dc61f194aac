//! Bots without JavaScript or a third-party CAPTCHA, on the hosted flow forms: a honeypot
//! input that people never see and scripts fill in, and a signed render time that tells a
//! form sent back faster than a person could read and type it. A filled honeypot or a
//! missing or forged token is refused; a quick form is only flagged, and the engine decides
//! whether that matters on its step (autofill and pasted codes are quick too).
//!
//! Both are keyed with a key derived from the session key, so every instance that shares the
//! session key checks what another rendered, and both are bound to the execution (and the
//! step): a bot can neither hard-code the honeypot's name nor keep one old token for good.

use crate::domain::ExecutionId;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

/// The hidden field that carries the render time. Its name is stable (tests and people
/// reading the HTML find it); its value is what cannot be guessed.
pub const TOKEN_FIELD: &str = "form_token";

/// Token version: a new format gets a new prefix, and old tokens simply stop verifying.
const VERSION: &str = "t1";

/// Why a post was refused; `as_str` is the audit entry's `reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Honeypot,
    MissingToken,
    BadToken,
    StaleToken,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Honeypot => "honeypot",
            Refusal::MissingToken => "missing_token",
            Refusal::BadToken => "bad_token",
            Refusal::StaleToken => "stale_token",
        }
    }
}

/// A genuine post: when its form was first rendered, and whether it came back sooner than
/// the minimum fill time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub rendered: OffsetDateTime,
    pub too_fast: bool,
}

/// What a rendered form carries: the honeypot input's name and the token's value.
#[derive(Debug, Clone)]
pub struct GuardFields {
    pub honeypot: String,
    pub token: String,
}

#[derive(Clone)]
pub struct FormGuard {
    /// The MAC keyed once: each tag starts from a copy, not from the key again (every step
    /// page makes two tags).
    keyed: HmacSha256,
    min_fill: Duration,
}

/// The key stays out of `Debug`.
impl std::fmt::Debug for FormGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormGuard")
            .field("min_fill", &self.min_fill)
            .finish_non_exhaustive()
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length; the error branch cannot happen, and a keyless MAC
    // would still verify only what this same instance made.
    HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| <HmacSha256 as KeyInit>::new(&Default::default()))
}

impl FormGuard {
    /// `master` is the session key: a key of its own is derived from it, so a token here
    /// can never stand in for a cookie signature or the other way round.
    pub fn new(master: &[u8], min_fill: Duration) -> Self {
        let mut m = mac(master);
        m.update(b"flows form guard v1");
        Self {
            keyed: mac(&m.finalize().into_bytes()),
            min_fill,
        }
    }

    fn tag(&self, parts: &[&[u8]]) -> HmacSha256 {
        let mut m = self.keyed.clone();
        for part in parts {
            // Length-prefixed, so no two different part lists share a MAC input.
            m.update(&(part.len() as u64).to_be_bytes());
            m.update(part);
        }
        m
    }

    /// The honeypot input's name on `step` of `execution`: a letter and twelve hex digits,
    /// nothing that an autofill heuristic would take for a real field.
    pub fn honeypot_name(&self, execution: ExecutionId, step: &str) -> String {
        let id = execution.to_string();
        let bytes = self
            .tag(&[b"honeypot", id.as_bytes(), step.as_bytes()])
            .finalize()
            .into_bytes();
        format!("f{}", hex::encode(&bytes[..6]))
    }

    /// `t1.<render time, Unix ms>.<MAC over execution, step and time>`: nothing secret in
    /// it, and it says nothing an observer of the page did not already know.
    pub fn token(&self, execution: ExecutionId, step: &str, rendered: OffsetDateTime) -> String {
        let ms = unix_ms(rendered).to_string();
        format!("{VERSION}.{ms}.{}", self.token_mac(execution, step, &ms))
    }

    fn token_mac(&self, execution: ExecutionId, step: &str, ms: &str) -> String {
        let id = execution.to_string();
        let bytes = self
            .tag(&[b"fill time", id.as_bytes(), step.as_bytes(), ms.as_bytes()])
            .finalize()
            .into_bytes();
        hex::encode(&bytes[..16])
    }

    pub fn fields(
        &self,
        execution: ExecutionId,
        step: &str,
        rendered: OffsetDateTime,
    ) -> GuardFields {
        GuardFields {
            honeypot: self.honeypot_name(execution, step),
            token: self.token(execution, step, rendered),
        }
    }

    /// The fields of a form shown again after a quick post was held: dated back by the
    /// minimum, so the very next press goes through however quick it is. A person is held
    /// at most once per form, and the MAC still binds the token to this execution and step.
    pub fn fields_after_hold(
        &self,
        execution: ExecutionId,
        step: &str,
        now: OffsetDateTime,
    ) -> GuardFields {
        self.fields(execution, step, now - self.min_fill)
    }

    /// Checks a post of `step`'s form of `execution` at `now`. A token older than
    /// `max_age` (the execution's idle lifetime: no person leaves a live form that long) is
    /// stale. On success, the time the form was first rendered, so a form shown again with
    /// errors keeps counting from then, and whether it came back too soon.
    pub fn check(
        &self,
        form: &[(String, String)],
        execution: ExecutionId,
        step: &str,
        now: OffsetDateTime,
        max_age: Duration,
    ) -> Result<Checked, Refusal> {
        let honeypot = self.honeypot_name(execution, step);
        // A missing honeypot is not refused: every browser sends it (empty), and the token
        // already catches posts that never came from a rendered form.
        if form.iter().any(|(k, v)| *k == honeypot && !v.is_empty()) {
            return Err(Refusal::Honeypot);
        }
        let mut tokens = form.iter().filter(|(k, _)| k == TOKEN_FIELD);
        let (Some((_, token)), None) = (tokens.next(), tokens.next()) else {
            return Err(Refusal::MissingToken);
        };
        let rendered = self
            .verify(token, execution, step)
            .ok_or(Refusal::BadToken)?;
        let age = now - rendered;
        if age > max_age {
            return Err(Refusal::StaleToken);
        }
        Ok(Checked {
            rendered,
            too_fast: age < self.min_fill,
        })
    }

    fn verify(&self, token: &str, execution: ExecutionId, step: &str) -> Option<OffsetDateTime> {
        let mut parts = token.split('.');
        let (Some(VERSION), Some(ms), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        // Only the canonical spelling of a number: `007` or `+7` would verify against the
        // MAC of another string, and must not pass as the same time.
        let millis: i64 = ms.parse().ok()?;
        if millis.to_string() != ms {
            return None;
        }
        let expected = self.token_mac(execution, step, ms);
        let genuine =
            expected.len() == tag.len() && bool::from(expected.as_bytes().ct_eq(tag.as_bytes()));
        if !genuine {
            return None;
        }
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).ok()
    }

    /// The form minus the guard's own fields, for the engine, which knows nothing of them.
    pub fn strip(
        &self,
        form: Vec<(String, String)>,
        execution: ExecutionId,
        step: &str,
    ) -> Vec<(String, String)> {
        let honeypot = self.honeypot_name(execution, step);
        form.into_iter()
            .filter(|(k, _)| k != TOKEN_FIELD && *k != honeypot)
            .collect()
    }
}

fn unix_ms(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::minutes(1);
    const HOUR: Duration = Duration::hours(1);

    fn guard() -> FormGuard {
        FormGuard::new(&[7; 64], Duration::seconds(2))
    }

    fn t0() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }

    fn form(
        guard: &FormGuard,
        id: ExecutionId,
        step: &str,
        at: OffsetDateTime,
    ) -> Vec<(String, String)> {
        let f = guard.fields(id, step, at);
        vec![
            (f.honeypot, String::new()),
            (TOKEN_FIELD.into(), f.token),
            ("email".into(), "ada@example.com".into()),
        ]
    }

    #[test]
    fn a_form_sent_back_after_the_minimum_passes_and_keeps_its_render_time() {
        let g = guard();
        let id = ExecutionId::new();
        let f = form(&g, id, "details", t0());
        assert_eq!(
            g.check(&f, id, "details", t0() + MINUTE, HOUR),
            Ok(Checked {
                rendered: t0(),
                too_fast: false
            })
        );
        assert_eq!(
            g.strip(f, id, "details"),
            vec![("email".to_owned(), "ada@example.com".to_owned())]
        );
    }

    fn too_fast(
        g: &FormGuard,
        f: &[(String, String)],
        id: ExecutionId,
        at: OffsetDateTime,
    ) -> bool {
        g.check(f, id, "details", at, HOUR)
            .expect("genuine")
            .too_fast
    }

    #[test]
    fn a_quick_form_is_flagged_and_a_form_shown_after_a_hold_is_not() {
        let g = guard();
        let id = ExecutionId::new();
        let f = form(&g, id, "details", t0());
        assert!(too_fast(&g, &f, id, t0() + Duration::milliseconds(1_999)));
        assert!(
            too_fast(&g, &f, id, t0() - MINUTE),
            "a time in the future is too fast, not a pass"
        );
        assert!(!too_fast(&g, &f, id, t0() + Duration::seconds(2)));

        let held = g.fields_after_hold(id, "details", t0());
        let again = vec![
            (held.honeypot, String::new()),
            (TOKEN_FIELD.into(), held.token),
        ];
        assert!(
            !too_fast(&g, &again, id, t0() + Duration::milliseconds(100)),
            "the press after a hold goes through however quick"
        );
    }

    #[test]
    fn stale_and_filled_honeypot_are_refused() {
        let g = guard();
        let id = ExecutionId::new();
        let f = form(&g, id, "details", t0());
        let late = t0() + HOUR + Duration::seconds(1);
        assert_eq!(
            g.check(&f, id, "details", late, HOUR),
            Err(Refusal::StaleToken)
        );
        let mut filled = f.clone();
        filled[0].1 = "http://spam.example".into();
        assert_eq!(
            g.check(&filled, id, "details", t0() + MINUTE, HOUR),
            Err(Refusal::Honeypot)
        );
    }

    #[test]
    fn a_token_is_bound_to_its_execution_its_step_and_its_time() {
        let g = guard();
        let id = ExecutionId::new();
        let later = t0() + MINUTE;
        let f = form(&g, id, "details", t0());
        assert_eq!(
            g.check(&f, ExecutionId::new(), "details", later, HOUR),
            Err(Refusal::BadToken)
        );
        assert_eq!(
            g.check(&f, id, "enter_code", later, HOUR),
            Err(Refusal::BadToken)
        );
        let token = &f[1].1;
        let ms = unix_ms(t0());
        for forged in [
            token.replace(&ms.to_string(), &(ms - 60_000).to_string()),
            token.replace(&ms.to_string(), &format!("0{ms}")),
            // The last digit changed (to `0`, or to `1` where it was `0` already).
            format!(
                "{}{}",
                &token[..token.len() - 1],
                if token.ends_with('0') { '1' } else { '0' }
            ),
            token.replace("t1.", "t2."),
            format!("{token}.x"),
            String::new(),
        ] {
            let mut altered = f.clone();
            altered[1].1 = forged.clone();
            assert_eq!(
                g.check(&altered, id, "details", later, HOUR),
                Err(Refusal::BadToken),
                "{forged}"
            );
        }
        let other_key = FormGuard::new(&[8; 64], Duration::seconds(2));
        assert_eq!(
            other_key.check(&f, id, "details", later, HOUR),
            Err(Refusal::BadToken)
        );
    }

    #[test]
    fn no_token_or_two_tokens_are_missing() {
        let g = guard();
        let id = ExecutionId::new();
        let mut f = form(&g, id, "details", t0());
        let token = f.remove(1);
        assert_eq!(
            g.check(&f, id, "details", t0() + MINUTE, HOUR),
            Err(Refusal::MissingToken)
        );
        f.push(token.clone());
        f.push(token);
        assert_eq!(
            g.check(&f, id, "details", t0() + MINUTE, HOUR),
            Err(Refusal::MissingToken)
        );
    }

    #[test]
    fn the_honeypot_name_varies_by_execution_and_step_and_key() {
        let g = guard();
        let (a, b) = (ExecutionId::new(), ExecutionId::new());
        let name = g.honeypot_name(a, "details");
        assert_eq!(name, g.honeypot_name(a, "details"));
        assert_ne!(name, g.honeypot_name(b, "details"));
        assert_ne!(name, g.honeypot_name(a, "enter_code"));
        assert_ne!(
            name,
            FormGuard::new(&[8; 64], Duration::ZERO).honeypot_name(a, "details")
        );
        assert!(name.starts_with('f') && name.len() == 13, "{name}");
    }

    #[test]
    fn a_zero_minimum_still_wants_a_genuine_token() {
        let g = FormGuard::new(&[7; 64], Duration::ZERO);
        let id = ExecutionId::new();
        let f = form(&g, id, "details", t0());
        assert!(!too_fast(&g, &f, id, t0()));
        assert_eq!(
            g.check(&f[..1], id, "details", t0(), HOUR),
            Err(Refusal::MissingToken)
        );
    }
}
