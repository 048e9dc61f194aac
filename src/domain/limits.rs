//! Lifetimes and limits an owner may change in the console, in the units the form shows.
//! Each has bounds: outside them a setting would either lock people out (a one-minute link)
//! or open the door to guessing (a hundred code attempts).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub execution_idle_minutes: i64,
    pub otp_lifetime_minutes: i64,
    pub otp_max_attempts: i64,
    pub link_lifetime_minutes: i64,
    pub recovery_link_lifetime_minutes: i64,
    pub invitation_lifetime_days: i64,
    pub resend_interval_seconds: i64,
    pub max_sends: i64,
    pub mail_quota_per_hour: i64,
    pub login_max_failures: i64,
    pub login_lockout_minutes: i64,
    pub rate_limit_per_minute: i64,
    pub rate_limit_burst: i64,
    pub audit_retention_days: i64,
    pub sent_mail_retention_days: i64,
}

/// One field of the form: its name, what people read, and the range it must stay in.
#[derive(Debug, Clone, Copy)]
pub struct LimitField {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub hint: &'static str,
    pub min: i64,
    pub max: i64,
    pub group: LimitGroup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitGroup {
    Journeys,
    Codes,
    Links,
    SignIn,
    Audit,
}

impl LimitGroup {
    pub const ALL: [LimitGroup; 5] = [
        LimitGroup::Journeys,
        LimitGroup::Codes,
        LimitGroup::Links,
        LimitGroup::SignIn,
        LimitGroup::Audit,
    ];

    pub fn title(self) -> &'static str {
        match self {
            LimitGroup::Journeys => "Journeys",
            LimitGroup::Codes => "E-mail codes",
            LimitGroup::Links => "E-mail links and invitations",
            LimitGroup::SignIn => "Sign-in and form posts",
            LimitGroup::Audit => "Audit log and data kept",
        }
    }
}

const fn field(
    name: &'static str,
    label: &'static str,
    unit: &'static str,
    hint: &'static str,
    (min, max): (i64, i64),
    group: LimitGroup,
) -> LimitField {
    LimitField {
        name,
        label,
        unit,
        hint,
        min,
        max,
        group,
    }
}

/// Every field, in the order the form shows them.
pub const LIMIT_FIELDS: [LimitField; 15] = [
    field(
        "execution_idle_minutes",
        "A journey expires after",
        "minutes without activity",
        "Someone who leaves a page open longer starts again.",
        (5, 1440),
        LimitGroup::Journeys,
    ),
    field(
        "otp_lifetime_minutes",
        "A code works for",
        "minutes",
        "NIST 800-63B allows up to 10 minutes for e-mailed codes.",
        (1, 60),
        LimitGroup::Codes,
    ),
    field(
        "otp_max_attempts",
        "Wrong codes allowed",
        "attempts",
        "After this many, the code stops working and a new one must be sent.",
        (1, 10),
        LimitGroup::Codes,
    ),
    field(
        "resend_interval_seconds",
        "Wait before sending again",
        "seconds",
        "Between two codes or links sent to one journey.",
        (10, 3600),
        LimitGroup::Codes,
    ),
    field(
        "max_sends",
        "Mails per journey",
        "mails",
        "Codes or links one journey may send in all.",
        (1, 20),
        LimitGroup::Codes,
    ),
    field(
        "mail_quota_per_hour",
        "Mails to one address",
        "per hour",
        "Across all journeys and invitations, whoever starts them. Past it nothing is sent, \
         the page looks the same, and the audit log says so.",
        (1, 100),
        LimitGroup::Codes,
    ),
    field(
        "link_lifetime_minutes",
        "A verification link works for",
        "minutes",
        "",
        (5, 1440),
        LimitGroup::Links,
    ),
    field(
        "recovery_link_lifetime_minutes",
        "A password reset link works for",
        "minutes",
        "Shorter than a verification link: it grants more.",
        (5, 240),
        LimitGroup::Links,
    ),
    field(
        "invitation_lifetime_days",
        "An invitation works for",
        "days",
        "",
        (1, 60),
        LimitGroup::Links,
    ),
    field(
        "login_max_failures",
        "Failed sign-ins before a lockout",
        "failures",
        "Counted per address, whichever client addresses the guesses come from.",
        (3, 100),
        LimitGroup::SignIn,
    ),
    field(
        "login_lockout_minutes",
        "Lockout lasts",
        "minutes",
        "Also the window in which failures are counted.",
        (1, 1440),
        LimitGroup::SignIn,
    ),
    field(
        "rate_limit_per_minute",
        "Form posts per client address",
        "per minute",
        "Hosted forms and API calls together; 0 turns the limit off.",
        (0, 10_000),
        LimitGroup::SignIn,
    ),
    field(
        "rate_limit_burst",
        "Posts allowed at once",
        "posts",
        "A burst above the rate per minute, before it applies.",
        (1, 1000),
        LimitGroup::SignIn,
    ),
    field(
        "audit_retention_days",
        "Keep audit entries for",
        "days",
        "Older entries are deleted; the check runs every ten minutes.",
        (30, 3650),
        LimitGroup::Audit,
    ),
    field(
        "sent_mail_retention_days",
        "Keep a record of sent mail for",
        "days",
        "A sent mail's record holds only its address, kind and times (its text is erased once sent); older records are deleted.",
        (1, 365),
        LimitGroup::Audit,
    ),
];

/// Why a value was refused, for the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    pub field: &'static str,
    pub message: String,
}

impl Limits {
    pub fn get(&self, name: &str) -> Option<i64> {
        Some(match name {
            "execution_idle_minutes" => self.execution_idle_minutes,
            "otp_lifetime_minutes" => self.otp_lifetime_minutes,
            "otp_max_attempts" => self.otp_max_attempts,
            "link_lifetime_minutes" => self.link_lifetime_minutes,
            "recovery_link_lifetime_minutes" => self.recovery_link_lifetime_minutes,
            "invitation_lifetime_days" => self.invitation_lifetime_days,
            "resend_interval_seconds" => self.resend_interval_seconds,
            "max_sends" => self.max_sends,
            "mail_quota_per_hour" => self.mail_quota_per_hour,
            "login_max_failures" => self.login_max_failures,
            "login_lockout_minutes" => self.login_lockout_minutes,
            "rate_limit_per_minute" => self.rate_limit_per_minute,
            "rate_limit_burst" => self.rate_limit_burst,
            "audit_retention_days" => self.audit_retention_days,
            "sent_mail_retention_days" => self.sent_mail_retention_days,
            _ => return None,
        })
    }

    fn slot(&mut self, name: &str) -> Option<&mut i64> {
        Some(match name {
            "execution_idle_minutes" => &mut self.execution_idle_minutes,
            "otp_lifetime_minutes" => &mut self.otp_lifetime_minutes,
            "otp_max_attempts" => &mut self.otp_max_attempts,
            "link_lifetime_minutes" => &mut self.link_lifetime_minutes,
            "recovery_link_lifetime_minutes" => &mut self.recovery_link_lifetime_minutes,
            "invitation_lifetime_days" => &mut self.invitation_lifetime_days,
            "resend_interval_seconds" => &mut self.resend_interval_seconds,
            "max_sends" => &mut self.max_sends,
            "mail_quota_per_hour" => &mut self.mail_quota_per_hour,
            "login_max_failures" => &mut self.login_max_failures,
            "login_lockout_minutes" => &mut self.login_lockout_minutes,
            "rate_limit_per_minute" => &mut self.rate_limit_per_minute,
            "rate_limit_burst" => &mut self.rate_limit_burst,
            "audit_retention_days" => &mut self.audit_retention_days,
            "sent_mail_retention_days" => &mut self.sent_mail_retention_days,
            _ => return None,
        })
    }

    /// These limits with the typed values over them, or every refused field with its reason.
    /// `typed` yields (field, text) pairs; fields it leaves out keep their value.
    pub fn with_typed<'a>(
        &self,
        typed: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Limits, Vec<LimitError>> {
        let mut next = self.clone();
        let mut errors = Vec::new();
        for (name, text) in typed {
            let Some(spec) = LIMIT_FIELDS.iter().find(|f| f.name == name) else {
                continue;
            };
            let in_range = text
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|v| (spec.min..=spec.max).contains(v));
            match (in_range, next.slot(name)) {
                (Some(value), Some(slot)) => *slot = value,
                _ => errors.push(LimitError {
                    field: spec.name,
                    message: format!(
                        "Enter a whole number from {} to {} ({}).",
                        spec.min, spec.max, spec.unit
                    ),
                }),
            }
        }
        if errors.is_empty() {
            errors = next.problems();
        }
        if errors.is_empty() {
            Ok(next)
        } else {
            Err(errors)
        }
    }

    /// Values out of range, or each in range but together making no sense.
    pub fn problems(&self) -> Vec<LimitError> {
        let mut errors = Vec::new();
        for spec in &LIMIT_FIELDS {
            let value = self.get(spec.name).unwrap_or_default();
            if !(spec.min..=spec.max).contains(&value) {
                errors.push(LimitError {
                    field: spec.name,
                    message: format!("Enter a whole number from {} to {}.", spec.min, spec.max),
                });
            }
        }
        if self.resend_interval_seconds > self.otp_lifetime_minutes * 60 {
            errors.push(LimitError {
                field: "resend_interval_seconds",
                message: "The wait before sending again must be shorter than a code's lifetime."
                    .into(),
            });
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            execution_idle_minutes: 30,
            otp_lifetime_minutes: 10,
            otp_max_attempts: 5,
            link_lifetime_minutes: 30,
            recovery_link_lifetime_minutes: 15,
            invitation_lifetime_days: 7,
            resend_interval_seconds: 30,
            max_sends: 5,
            mail_quota_per_hour: 5,
            login_max_failures: 10,
            login_lockout_minutes: 15,
            rate_limit_per_minute: 30,
            rate_limit_burst: 20,
            audit_retention_days: 400,
            sent_mail_retention_days: 7,
        }
    }

    #[test]
    fn every_field_reads_and_writes() {
        let mut l = limits();
        for f in &LIMIT_FIELDS {
            assert!(l.get(f.name).is_some(), "{}", f.name);
            assert!(l.slot(f.name).is_some(), "{}", f.name);
            assert!(f.min <= f.max);
        }
        assert!(limits().problems().is_empty());
    }

    #[test]
    fn typed_values_replace_in_range_ones() {
        let next = limits()
            .with_typed([("otp_max_attempts", " 3 "), ("unknown", "9")])
            .unwrap();
        assert_eq!(next.otp_max_attempts, 3);
        assert_eq!(next.otp_lifetime_minutes, 10);
    }

    #[test]
    fn out_of_range_and_garbage_are_refused_beside_their_field() {
        let errors = limits()
            .with_typed([
                ("otp_max_attempts", "100"),
                ("otp_lifetime_minutes", "ten"),
                ("login_max_failures", "0"),
                ("audit_retention_days", "-1"),
            ])
            .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "otp_max_attempts",
                "otp_lifetime_minutes",
                "login_max_failures",
                "audit_retention_days"
            ]
        );
        assert!(errors[0].message.contains("from 1 to 10"));
    }

    #[test]
    fn a_resend_wait_longer_than_the_code_is_refused() {
        let errors = limits()
            .with_typed([
                ("otp_lifetime_minutes", "1"),
                ("resend_interval_seconds", "90"),
            ])
            .unwrap_err();
        assert_eq!(errors[0].field, "resend_interval_seconds");
    }
}
