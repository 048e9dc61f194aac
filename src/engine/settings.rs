//! The settings in force: the configuration's, with what owners saved in the console over
//! them. The whole set is swapped at once on every save, so a request reads one consistent
//! set, and a new value holds from the next request on, with no restart.

use super::{Engine, EngineError};
use crate::domain::{
    Branding, Colour, LIMIT_FIELDS, Limits, Logo, LogoRef, PasswordPolicy, sha256_hex,
};
use crate::store::AuditEntry;
use std::sync::Arc;
use time::Duration;

/// Lifetimes, limits, the password policy and the branding. Defaults follow the issues:
/// 30 min idle executions, 10 min codes with 5 attempts, throttled resends.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    pub public_url: String,
    pub execution_idle: Duration,
    pub otp_lifetime: Duration,
    pub otp_digits: u32,
    pub otp_max_attempts: u32,
    pub resend_interval: Duration,
    pub max_sends: u32,
    /// Mails to one address per hour, across all executions and flow types.
    pub mail_quota_per_hour: u32,
    pub link_lifetime: Duration,
    /// Reset links live shorter than verification links: they grant more.
    pub recovery_link_lifetime: Duration,
    pub invitation_lifetime: Duration,
    pub password_policy: PasswordPolicy,
    /// Sign-ins refused for an address after this many failures within `login_lockout`.
    pub login_max_failures: u32,
    pub login_lockout: Duration,
    /// Form posts per client address per minute (0: no limit), and the burst allowed.
    pub rate_limit_per_minute: u32,
    pub rate_limit_burst: u32,
    pub audit_retention: Duration,
    /// Records of sent mail (address, kind, times) are deleted past this.
    pub sent_mail_retention: Duration,
    pub branding: Branding,
    /// Self-registration refuses addresses of disposable mail services. Invitations are
    /// not concerned: an administrator chose the address.
    pub refuse_disposable_email: bool,
    /// The Flow Execution API starts flows only for clients that send a registered
    /// `applicationId`, so an application's own limit and proof cannot be skipped by
    /// sending none. Off by default: WSO2's clients may send none.
    pub api_requires_application: bool,
    /// Extensions may be called on private addresses and over plain http
    /// (`FLOWS_EXTENSION_ALLOW_PRIVATE`).
    pub extension_allow_private: bool,
    /// The first wait after a failed event delivery (it doubles each time, up to an hour).
    pub event_retry_base: std::time::Duration,
    /// How long a claimed delivery stays one instance's (`FLOWS_OUTBOX_LEASE_MS`, as mail):
    /// a delivery claimed by an instance that dies is sent by another once it ends.
    pub event_lease: std::time::Duration,
    /// Text messages to one number per hour, across all executions and flow types.
    pub sms_quota_per_hour: u32,
    /// Text messages to one number range (all but the last four digits) per hour.
    pub sms_prefix_per_hour: u32,
    /// Text messages asked for from one client address per hour.
    pub sms_client_per_hour: u32,
    /// The countries text messages may go to (ISO 3166 alpha-2, upper case); empty: the
    /// country of the flow's default region.
    pub sms_countries: Vec<String>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            execution_idle: Duration::minutes(30),
            otp_lifetime: Duration::minutes(10),
            otp_digits: 6,
            otp_max_attempts: 5,
            resend_interval: Duration::seconds(30),
            max_sends: 5,
            mail_quota_per_hour: 5,
            link_lifetime: Duration::minutes(30),
            recovery_link_lifetime: Duration::minutes(15),
            invitation_lifetime: Duration::days(7),
            password_policy: PasswordPolicy::default(),
            login_max_failures: 10,
            login_lockout: Duration::minutes(15),
            rate_limit_per_minute: 30,
            rate_limit_burst: 20,
            // A year and a month, as the funnel: this month beside the same month last year.
            audit_retention: Duration::days(400),
            sent_mail_retention: Duration::days(7),
            branding: Branding {
                product_name: "Flows".into(),
                primary_colour: None,
                logo: None,
            },
            refuse_disposable_email: false,
            api_requires_application: false,
            extension_allow_private: false,
            event_retry_base: std::time::Duration::from_secs(5),
            event_lease: std::time::Duration::from_secs(60),
            sms_quota_per_hour: 5,
            sms_prefix_per_hour: 30,
            sms_client_per_hour: 10,
            sms_countries: Vec::new(),
        }
    }
}

const LIMITS: &str = "console.limits";
const PASSWORD_POLICY: &str = "console.password_policy";
const BRANDING: &str = "console.branding";
const API_ACCESS: &str = "console.api_access";

/// Who may start flows through the Flow Execution API, as saved in the console.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiAccess {
    require_application: bool,
}

impl EngineSettings {
    /// The lifetimes and limits, in the units the console's form shows.
    pub fn limits(&self) -> Limits {
        Limits {
            execution_idle_minutes: self.execution_idle.whole_minutes(),
            otp_lifetime_minutes: self.otp_lifetime.whole_minutes(),
            otp_max_attempts: i64::from(self.otp_max_attempts),
            link_lifetime_minutes: self.link_lifetime.whole_minutes(),
            recovery_link_lifetime_minutes: self.recovery_link_lifetime.whole_minutes(),
            invitation_lifetime_days: self.invitation_lifetime.whole_days(),
            resend_interval_seconds: self.resend_interval.whole_seconds(),
            max_sends: i64::from(self.max_sends),
            mail_quota_per_hour: i64::from(self.mail_quota_per_hour),
            login_max_failures: i64::from(self.login_max_failures),
            login_lockout_minutes: self.login_lockout.whole_minutes(),
            rate_limit_per_minute: i64::from(self.rate_limit_per_minute),
            rate_limit_burst: i64::from(self.rate_limit_burst),
            audit_retention_days: self.audit_retention.whole_days(),
            sent_mail_retention_days: self.sent_mail_retention.whole_days(),
        }
    }

    fn with_limits(mut self, l: &Limits) -> Self {
        let count = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        self.execution_idle = Duration::minutes(l.execution_idle_minutes);
        self.otp_lifetime = Duration::minutes(l.otp_lifetime_minutes);
        self.otp_max_attempts = count(l.otp_max_attempts);
        self.link_lifetime = Duration::minutes(l.link_lifetime_minutes);
        self.recovery_link_lifetime = Duration::minutes(l.recovery_link_lifetime_minutes);
        self.invitation_lifetime = Duration::days(l.invitation_lifetime_days);
        self.resend_interval = Duration::seconds(l.resend_interval_seconds);
        self.max_sends = count(l.max_sends);
        self.mail_quota_per_hour = count(l.mail_quota_per_hour);
        self.login_max_failures = count(l.login_max_failures);
        self.login_lockout = Duration::minutes(l.login_lockout_minutes);
        self.rate_limit_per_minute = count(l.rate_limit_per_minute);
        self.rate_limit_burst = count(l.rate_limit_burst);
        self.audit_retention = Duration::days(l.audit_retention_days);
        self.sent_mail_retention = Duration::days(l.sent_mail_retention_days);
        self
    }

    /// The configuration's settings with the stored rows over them. A row that no longer
    /// reads (or holds a value out of today's bounds) is left out and logged: a bad row must
    /// not stop pages from rendering.
    fn overlaid(mut self, rows: &[(String, String)]) -> Self {
        for (name, json) in rows {
            let applied = match name.as_str() {
                LIMITS => match self.stored_limits(json) {
                    Ok(l) if l.problems().is_empty() => {
                        self = self.with_limits(&l);
                        Ok(())
                    }
                    Ok(l) => Err(format!("{:?}", l.problems())),
                    Err(e) => Err(e.to_string()),
                },
                PASSWORD_POLICY => serde_json::from_str::<PasswordPolicy>(json)
                    .map(|p| self.password_policy = p.normalised())
                    .map_err(|e| e.to_string()),
                BRANDING => serde_json::from_str::<Branding>(json)
                    .map(|b| self.branding = b)
                    .map_err(|e| e.to_string()),
                API_ACCESS => serde_json::from_str::<ApiAccess>(json)
                    .map(|a| self.api_requires_application = a.require_application)
                    .map_err(|e| e.to_string()),
                _ => Ok(()),
            };
            if let Err(problem) = applied {
                tracing::warn!(setting = %name, %problem, "stored setting left out");
            }
        }
        self
    }
}

impl EngineSettings {
    /// A stored row over the limits in force: a row saved before a limit existed keeps
    /// the configured value of that limit.
    fn stored_limits(&self, json: &str) -> Result<Limits, serde_json::Error> {
        let mut merged = serde_json::to_value(self.limits())?;
        if let (Some(base), serde_json::Value::Object(stored)) =
            (merged.as_object_mut(), serde_json::from_str(json)?)
        {
            base.extend(stored);
        }
        serde_json::from_value(merged)
    }
}

fn json(value: &impl serde::Serialize) -> Result<String, EngineError> {
    serde_json::to_string(value).map_err(|e| EngineError::Store(e.into()))
}

/// A logo as it is served: its bytes, type and digest (the digest names its URL, so a new
/// logo is a new URL and the old one can be cached for good).
#[derive(Debug, Clone)]
pub struct StoredLogo {
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

impl Engine {
    /// The settings in force now. Cheap: one shared copy, replaced whole on a change.
    pub fn settings(&self) -> Arc<EngineSettings> {
        self.inner
            .settings
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// The stored logo, if one was uploaded.
    pub fn logo(&self) -> Option<Arc<StoredLogo>> {
        self.inner.logo.read().ok().and_then(|l| l.clone())
    }

    /// Puts in force what any instance saved since this one last loaded it (settings, logo,
    /// message texts), when the store's console revision moved; `true` when it reloaded. Also
    /// how a save here takes effect: the save raised the revision, so this reloads at once and
    /// records it, and the periodic check does not load the same change again.
    /// The revision is read first, so a change landing during the reload is caught by the
    /// next call rather than missed.
    pub async fn refresh_console_changes(&self) -> Result<bool, EngineError> {
        use std::sync::atomic::Ordering;
        let revision = self.inner.store.console_revision().await?;
        if revision == self.inner.loaded_revision.load(Ordering::Relaxed) {
            return Ok(false);
        }
        self.forget_published();
        self.reload_messages().await?;
        self.reload_settings().await?;
        self.inner
            .loaded_revision
            .store(revision, Ordering::Relaxed);
        Ok(true)
    }

    /// Reads what owners saved and puts it in force over the configuration's settings, at
    /// startup and after every change in the console.
    pub async fn reload_settings(&self) -> Result<(), EngineError> {
        let rows = self.inner.store.console_settings().await?;
        let next = self.inner.base_settings.clone().overlaid(&rows);
        let logo = match &next.branding.logo {
            Some(wanted) => self
                .inner
                .store
                .logo()
                .await?
                .filter(|(_, _, sha)| *sha == wanted.sha256)
                .map(|(content_type, bytes, sha256)| {
                    Arc::new(StoredLogo {
                        content_type,
                        bytes,
                        sha256,
                    })
                }),
            None => None,
        };
        if let Ok(mut current) = self.inner.logo.write() {
            *current = logo;
        }
        if let Ok(mut current) = self.inner.settings.write() {
            *current = Arc::new(next);
        }
        Ok(())
    }

    async fn save_setting(
        &self,
        name: &'static str,
        json: String,
        audit: &AuditEntry,
    ) -> Result<(), EngineError> {
        self.inner
            .store
            .save_console_setting(name, &json, audit, self.now())
            .await?;
        self.refresh_console_changes().await.map(drop)
    }

    /// The lifetimes and limits, audited with each changed field's `from` and `to`; how many
    /// changed. Nothing is written (nor audited) when none did.
    pub async fn save_limits(
        &self,
        limits: &Limits,
        actor: &super::Actor,
    ) -> Result<usize, EngineError> {
        actor.must_own()?;
        let before = self.settings().limits();
        let changed: serde_json::Map<String, serde_json::Value> = LIMIT_FIELDS
            .iter()
            .filter(|f| before.get(f.name) != limits.get(f.name))
            .map(|f| {
                let change =
                    serde_json::json!({ "from": before.get(f.name), "to": limits.get(f.name) });
                (f.name.to_owned(), change)
            })
            .collect();
        if changed.is_empty() {
            return Ok(0);
        }
        let audit = actor.entry(
            "settings.limits_changed",
            "settings:limits".into(),
            serde_json::json!({ "changed": changed }),
        );
        self.save_setting(LIMITS, json(limits)?, &audit).await?;
        Ok(changed.len())
    }

    pub async fn save_password_policy(
        &self,
        policy: &PasswordPolicy,
        actor: &super::Actor,
    ) -> Result<(), EngineError> {
        actor.must_own()?;
        let before = self.settings().password_policy.clone();
        let audit = actor.entry(
            "settings.password_policy_changed",
            "settings:password_policy".into(),
            serde_json::json!({ "from": before, "to": policy }),
        );
        let policy = policy.clone().normalised();
        self.save_setting(PASSWORD_POLICY, json(&policy)?, &audit)
            .await
    }

    /// Whether API clients must name a registered application to start a flow.
    pub async fn save_api_access(
        &self,
        require_application: bool,
        actor: &super::Actor,
    ) -> Result<(), EngineError> {
        actor.must_own()?;
        let audit = actor.entry(
            "settings.api_access",
            "settings:api_access".into(),
            serde_json::json!({ "requireApplication": require_application }),
        );
        let access = ApiAccess {
            require_application,
        };
        self.save_setting(API_ACCESS, json(&access)?, &audit).await
    }

    /// The product name and colour; the logo stays as it is.
    pub async fn save_branding(
        &self,
        product_name: String,
        primary_colour: Option<Colour>,
        actor: &super::Actor,
    ) -> Result<(), EngineError> {
        actor.must_own()?;
        let settings = self.settings();
        let before = &settings.branding;
        let audit = actor.entry(
            "settings.branding_changed",
            "settings:branding".into(),
            serde_json::json!({
                "productName": { "from": before.product_name, "to": product_name },
                "primaryColour": { "from": before.primary_colour, "to": primary_colour },
            }),
        );
        let branding = Branding {
            product_name,
            primary_colour,
            logo: before.logo.clone(),
        };
        self.save_setting(BRANDING, json(&branding)?, &audit).await
    }

    /// A new logo, or none (`None` removes it), stored with the branding that names it.
    pub async fn save_logo(
        &self,
        logo: Option<Logo>,
        actor: &super::Actor,
    ) -> Result<(), EngineError> {
        actor.must_own()?;
        let audit = match &logo {
            Some(l) => actor.entry(
                "settings.logo_changed",
                "settings:branding".into(),
                serde_json::json!({ "contentType": l.content_type, "bytes": l.bytes.len() }),
            ),
            None => actor.entry(
                "settings.logo_removed",
                "settings:branding".into(),
                serde_json::json!({}),
            ),
        };
        let mut branding = self.settings().branding.clone();
        branding.logo = logo.as_ref().map(|l| LogoRef {
            sha256: sha256_hex(&l.bytes),
            content_type: l.content_type.to_owned(),
        });
        let json = json(&branding)?;
        let stored = logo
            .as_ref()
            .zip(branding.logo.as_ref())
            .map(|(l, r)| (l.content_type, l.bytes.as_slice(), r.sha256.as_str()));
        self.inner
            .store
            .save_logo(stored, BRANDING, &json, &audit, self.now())
            .await?;
        self.refresh_console_changes().await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::store::Store;

    fn audit() -> crate::engine::Actor {
        crate::engine::Actor::console("ada@example.com", crate::engine::Role::Owner, None)
    }

    /// Two instances on one database: what one saves, the other puts in force at its next
    /// check, and only then.
    #[tokio::test]
    async fn another_instance_picks_up_settings_logo_and_texts_at_its_next_check() {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite://{}", dir.path().join("f.db").display());
        let postgres = crate::store::test_databases::fresh_postgres_url().await;
        for url in [sqlite, postgres] {
            let first = Store::connect(&url, &Default::default()).await.unwrap();
            first.migrate().await.unwrap();
            let second = Store::connect(&url, &Default::default()).await.unwrap();
            let (a, b) = (Engine::for_tests(first), Engine::for_tests(second));
            assert!(a.refresh_console_changes().await.unwrap(), "first load");
            assert!(b.refresh_console_changes().await.unwrap(), "first load");
            assert!(!b.refresh_console_changes().await.unwrap(), "nothing moved");

            let mut limits = a.settings().limits();
            limits.otp_max_attempts = 2;
            assert_eq!(a.save_limits(&limits, &audit()).await.unwrap(), 1);
            let logo = Logo::check(b"GIF89a-tiny".to_vec()).unwrap();
            a.save_logo(Some(logo), &audit()).await.unwrap();
            a.save_message_override(Locale::default(), "mail.otp.subject", "Your code", &audit())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(b.settings().otp_max_attempts, 5, "not before its check");

            assert!(b.refresh_console_changes().await.unwrap());
            assert_eq!(b.settings().otp_max_attempts, 2);
            assert_eq!(
                b.logo().map(|l| l.bytes.clone()),
                Some(b"GIF89a-tiny".to_vec())
            );
            assert_eq!(
                b.messages().tr(Locale::default()).t("mail.otp.subject"),
                "Your code"
            );
            assert!(!b.refresh_console_changes().await.unwrap());
        }
    }

    #[test]
    fn limits_round_trip_through_the_settings() {
        let base = EngineSettings::default();
        let mut limits = base.limits();
        limits.otp_max_attempts = 3;
        limits.audit_retention_days = 90;
        let next = base.with_limits(&limits);
        assert_eq!(next.otp_max_attempts, 3);
        assert_eq!(next.audit_retention, Duration::days(90));
        assert_eq!(next.limits(), limits);
    }

    #[test]
    fn stored_rows_overlay_the_configuration_and_bad_rows_are_left_out() {
        let mut limits = EngineSettings::default().limits();
        limits.otp_lifetime_minutes = 5;
        let mut out_of_range = limits.clone();
        out_of_range.otp_max_attempts = 1000;
        let rows = vec![
            (LIMITS.to_owned(), serde_json::to_string(&limits).unwrap()),
            (
                BRANDING.to_owned(),
                r##"{"productName":"Acme","primaryColour":"#ffff00"}"##.to_owned(),
            ),
            (PASSWORD_POLICY.to_owned(), r#"{"minLength":12}"#.to_owned()),
            (
                LIMITS.to_owned(),
                serde_json::to_string(&out_of_range).unwrap(),
            ),
        ];
        let s = EngineSettings::default().overlaid(&rows);
        assert_eq!(s.otp_lifetime, Duration::minutes(5));
        assert_eq!(s.otp_max_attempts, 5, "out of bounds: left out");
        assert_eq!(
            s.branding.product_name, "Flows",
            "unreadable colour: left out"
        );
        assert_eq!(s.password_policy.min_length, 12);
        assert!(s.password_policy.check_personal);
    }
}
