//! Lifetimes and limits an owner may change in the console, in the units the form shows.
//! Each has bounds: outside them a setting would either lock people out (a one-minute link)
//! or open the door to guessing (a hundred code attempts).

use crate::i18n::Said;
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

/// One field of the form: its name, the catalogue keys of what people read (its label, its
/// unit and its hint, when it has one), and the range it must stay in.
#[derive(Debug, Clone, Copy)]
pub struct LimitField {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub hint: Option<&'static str>,
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

    /// The catalogue key of the group's title.
    pub fn title(self) -> &'static str {
        match self {
            LimitGroup::Journeys => "ui.admin.limit_group.journeys",
            LimitGroup::Codes => "ui.admin.limit_group.codes",
            LimitGroup::Links => "ui.admin.limit_group.links",
            LimitGroup::SignIn => "ui.admin.limit_group.sign_in",
            LimitGroup::Audit => "ui.admin.limit_group.audit",
        }
    }
}

/// A field named `name`, its words under `ui.admin.limit.NAME` (`.unit`, `.hint`): the
/// catalogue holds them in every language.
macro_rules! field {
    ($name:ident, ($min:expr, $max:expr), $group:ident) => {
        field!(@ $name, $min, $max, $group,
            Some(concat!("ui.admin.limit.", stringify!($name), ".hint")))
    };
    ($name:ident, ($min:expr, $max:expr), $group:ident, no_hint) => {
        field!(@ $name, $min, $max, $group, None)
    };
    (@ $name:ident, $min:expr, $max:expr, $group:ident, $hint:expr) => {
        LimitField {
            name: stringify!($name),
            label: concat!("ui.admin.limit.", stringify!($name)),
            unit: concat!("ui.admin.limit.", stringify!($name), ".unit"),
            hint: $hint,
            min: $min,
            max: $max,
            group: LimitGroup::$group,
        }
    };
}

/// Every field, in the order the form shows them.
pub const LIMIT_FIELDS: [LimitField; 15] = [
    field!(execution_idle_minutes, (5, 1440), Journeys),
    field!(otp_lifetime_minutes, (1, 60), Codes),
    field!(otp_max_attempts, (1, 10), Codes),
    field!(resend_interval_seconds, (10, 3600), Codes),
    field!(max_sends, (1, 20), Codes),
    field!(mail_quota_per_hour, (1, 100), Codes),
    field!(link_lifetime_minutes, (5, 1440), Links, no_hint),
    field!(recovery_link_lifetime_minutes, (5, 240), Links),
    field!(invitation_lifetime_days, (1, 60), Links, no_hint),
    field!(login_max_failures, (3, 100), SignIn),
    field!(login_lockout_minutes, (1, 1440), SignIn),
    field!(rate_limit_per_minute, (0, 10_000), SignIn),
    field!(rate_limit_burst, (1, 1000), SignIn),
    field!(audit_retention_days, (30, 3650), Audit),
    field!(sent_mail_retention_days, (1, 365), Audit),
];

/// Why a value was refused, for the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    pub field: &'static str,
    /// In the console's language on its page, in English elsewhere.
    pub message: Said,
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
                    message: Said::new("ui.refusal.whole_number_unit")
                        .with("min", spec.min)
                        .with("max", spec.max)
                        .with_said("unit", Said::new(spec.unit)),
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
                    message: Said::new("ui.refusal.whole_number")
                        .with("min", spec.min)
                        .with("max", spec.max),
                });
            }
        }
        if self.resend_interval_seconds > self.otp_lifetime_minutes * 60 {
            errors.push(LimitError {
                field: "resend_interval_seconds",
                message: Said::new("ui.refusal.resend_wait"),
            });
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, Tr};

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
        assert_eq!(
            errors[0].message.english(),
            "Enter a whole number from 1 to 10 (attempts)."
        );
        for e in &errors {
            assert!(e.message.faults().is_empty(), "{:?}", e.message.faults());
        }
        let fr = errors[0]
            .message
            .in_(&Tr::new(Locale::from_tag("fr").unwrap()));
        assert!(
            fr.contains("1") && fr.contains("10") && !fr.contains("ui."),
            "{fr}"
        );
        assert_ne!(fr, errors[0].message.english());
    }

    #[test]
    fn every_field_and_group_has_its_words_in_the_catalogue() {
        for f in &LIMIT_FIELDS {
            for key in [f.label, f.unit].into_iter().chain(f.hint) {
                let said = Said::new(key);
                assert!(said.faults().is_empty(), "{:?}", said.faults());
            }
        }
        for g in LimitGroup::ALL {
            assert!(Said::new(g.title()).faults().is_empty(), "{g:?}");
        }
        let mut out_of_range = limits();
        out_of_range.max_sends = 0;
        let errors = out_of_range.problems();
        assert_eq!(errors[0].field, "max_sends");
        assert_eq!(
            errors[0].message.english(),
            "Enter a whole number from 1 to 20."
        );
        assert!(errors[0].message.faults().is_empty());
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
        assert_eq!(
            errors[0].message.english(),
            "The wait before sending again must be shorter than a code's lifetime."
        );
        assert!(errors[0].message.faults().is_empty());
    }
}
