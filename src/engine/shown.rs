//! One step ready to show: what the hosted pages print and the Flow Execution API sends,
//! decided once. Texts are resolved in the person's language, the person's values stand in
//! their inputs (never a secret), errors are text beside their fields, and the lifetimes and
//! password rules a step's texts name are filled in. The two front ends only lay it out:
//! HTML for one, JSON for the other.

use super::{
    Component, ComponentType, Engine, EngineError, EngineSettings, Execution, ExecutionId,
    ExecutionStatus, FieldErrors, FlowDefinition, FlowType, Notice, Reply, Step, StepKind,
    Validation, Variant, flatten,
};
use crate::domain::{FieldError, PasswordRule};
use crate::i18n::Tr;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A step as a person sees it, in one language.
#[derive(Debug)]
pub struct ShownStep {
    /// `None` on a console preview, which belongs to no journey.
    pub execution: Option<ExecutionId>,
    pub flow_type: FlowType,
    pub complete: bool,
    pub step: String,
    pub is_end: bool,
    /// Whether the journey may be started again from here: not from its first step (nothing
    /// to lose), not from its end, and never an invited one (only its link starts it).
    pub may_restart: bool,
    pub components: Vec<ShownComponent>,
    /// Field errors in the order the checks found them.
    pub field_errors: Vec<ShownError>,
    /// An error about the form as a whole.
    pub form_error: Option<ShownError>,
    pub notice: Option<ShownNotice>,
    /// The password policy in words, when the step asks for a new password.
    pub password_rules: Vec<String>,
    /// Where a finished journey of a registered application goes back to.
    pub redirect_url: Option<String>,
    /// Where the person was just sent to sign in (a provider), while the journey waits.
    pub away_to: Option<String>,
    /// The journey is complete and the account it made waits for an administrator's
    /// approval (`RequireApproval`).
    pub awaiting_approval: bool,
}

/// A component with its texts resolved. It serializes as the execution API's component:
/// the engine's own schema, with children always present since clients iterate them.
#[derive(Debug, Serialize)]
pub struct ShownComponent {
    /// The component without its children; on a non-secret input, `config.default_value`
    /// holds the value to show.
    #[serde(flatten)]
    pub component: Component,
    /// The error beside this input, if any.
    #[serde(skip)]
    pub error: Option<ShownError>,
    pub components: Vec<ShownComponent>,
}

#[derive(Debug, Clone)]
pub struct ShownError {
    /// The attribute it is about; `None` for the form's own error.
    pub attribute: Option<String>,
    /// The input it stands beside: its `identifier`, else the attribute.
    pub field: Option<String>,
    /// The catalogue key, `error.<code>`.
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct ShownNotice {
    pub key: String,
    pub text: String,
    pub is_error: bool,
}

impl ShownNotice {
    pub fn new(tr: &Tr, notice: &Notice) -> Self {
        Self {
            key: notice.key.to_owned(),
            text: tr.t_args(notice.key, &notice.args),
            is_error: notice.is_error,
        }
    }
}

impl ShownStep {
    /// Every component, depth first.
    pub fn all(&self) -> Vec<&ShownComponent> {
        fn walk<'a>(c: &'a ShownComponent, out: &mut Vec<&'a ShownComponent>) {
            out.push(c);
            for child in &c.components {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        for c in &self.components {
            walk(c, &mut out);
        }
        out
    }

    /// The step's first heading, which names the page.
    pub fn heading(&self) -> Option<&str> {
        self.all()
            .into_iter()
            .map(|c| &c.component)
            .find(|c| c.kind == ComponentType::Typography && heading_level(c) > 0)
            .and_then(|c| c.config.text.as_deref())
    }

    pub fn has_errors(&self) -> bool {
        !self.field_errors.is_empty() || self.form_error.is_some()
    }
}

/// 1 to 6 for a heading, 0 for any other text.
pub fn heading_level(c: &Component) -> u8 {
    match c.variant {
        Some(Variant::H1) => 1,
        Some(Variant::H2) => 2,
        Some(Variant::H3) => 3,
        Some(Variant::H4) => 4,
        Some(Variant::H5) => 5,
        Some(Variant::H6) => 6,
        _ => 0,
    }
}

/// A refused value in the person's language.
pub fn error_text(tr: &Tr, error: &FieldError) -> String {
    let args: Vec<(&str, String)> = error.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    tr.t_args(&format!("error.{}", error.code), &args)
}

/// Lifetimes are configurable, so texts name them through placeholders (`{otp_minutes}`,
/// `{ $link_minutes }`): what a step's texts may show besides the collected attributes.
pub fn lifetimes(settings: &EngineSettings, flow_type: FlowType) -> [(&'static str, String); 3] {
    let link_lifetime = if flow_type == FlowType::PasswordRecovery {
        settings.recovery_link_lifetime
    } else {
        settings.link_lifetime
    };
    [
        (
            "otp_minutes",
            settings.otp_lifetime.whole_minutes().to_string(),
        ),
        ("link_minutes", link_lifetime.whole_minutes().to_string()),
        ("otp_digits", settings.otp_digits.to_string()),
    ]
}

/// What a step is shown with, besides its flow.
pub struct Showing<'a> {
    pub flow_type: FlowType,
    pub execution: Option<&'a Execution>,
    /// Collected attributes, for a preview that has no execution.
    pub sample: HashMap<String, String>,
    pub errors: &'a FieldErrors,
    /// The person's non-secret input, on a form shown again.
    pub values: &'a HashMap<String, String>,
    pub notice: Option<ShownNotice>,
    pub redirect_url: Option<String>,
}

impl Engine {
    /// The step `reply` leads to, ready to show in `tr`'s language.
    pub async fn show(&self, reply: &Reply, tr: &Tr) -> Result<ShownStep, EngineError> {
        let no_values = HashMap::new();
        let no_errors = FieldErrors::default();
        let (execution, view, errors, values, notice) = match reply {
            Reply::Moved { execution, notice } => (
                execution,
                execution.step.as_str(),
                &no_errors,
                &no_values,
                notice.as_ref().map(|n| ShownNotice::new(tr, n)),
            ),
            Reply::Stale { execution } => (
                execution,
                execution.step.as_str(),
                &no_errors,
                &no_values,
                None,
            ),
            Reply::Invalid {
                execution,
                view,
                errors,
                values,
            } => (execution, view.as_str(), errors, values, None),
            // Held for coming back too quickly: one more press goes through, and the
            // person is told so.
            Reply::Held {
                execution,
                view,
                values,
            } => (
                execution,
                view.as_str(),
                &no_errors,
                values,
                Some(ShownNotice {
                    key: "notice.too_fast".into(),
                    text: tr.t("notice.too_fast"),
                    is_error: false,
                }),
            ),
        };
        let flow = self.flow(execution.flow_id).await?;
        // Waiting for a provider, the journey shows the page the person left from: Back
        // from the provider's page lands there, free to choose again.
        let view = if execution.is_away() && view == execution.step {
            execution
                .secrets
                .visited
                .last()
                .map_or(view, String::as_str)
        } else {
            view
        };
        let redirect_url = match execution.attribute("application_id") {
            Some(app) if execution.status == ExecutionStatus::Complete => {
                self.application(app).await?.map(|a| a.return_url)
            }
            _ => None,
        };
        let showing = Showing {
            flow_type: execution.flow_type,
            execution: Some(execution),
            sample: HashMap::new(),
            errors,
            values,
            notice,
            redirect_url,
        };
        self.show_step(&flow, view, showing, tr)
            .ok_or_else(|| EngineError::BrokenFlow(view.to_owned()))
    }

    /// The step `view` of `flow`, ready to show; `None` if the flow has no such step.
    pub fn show_step(
        &self,
        flow: &FlowDefinition,
        view: &str,
        showing: Showing<'_>,
        tr: &Tr,
    ) -> Option<ShownStep> {
        let step = flow.step(view)?;
        let lifetimes = lifetimes(&self.settings(), showing.flow_type);
        // Looked up in place rather than copied into one map: an API answer is cheap enough
        // that such a copy showed in its profile. What the person typed comes first: the
        // form is theirs again.
        let lookup = |name: &str| -> Option<String> {
            showing
                .values
                .get(name)
                .cloned()
                .or_else(|| {
                    showing
                        .execution
                        .and_then(|e| e.attribute(name))
                        .map(str::to_owned)
                })
                .or_else(|| showing.sample.get(name).cloned())
                .or_else(|| {
                    lifetimes
                        .iter()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| v.clone())
                })
        };
        let resolve = |raw: &str| tr.text(raw, lookup);
        let field_errors = field_errors(step, showing.errors, tr);
        let components = step
            .components()
            .iter()
            .map(|c| shown_component(c, &resolve, &lookup, &field_errors))
            .collect();
        let is_end = matches!(step.kind, StepKind::End { .. });
        Some(ShownStep {
            execution: showing.execution.map(|e| e.id),
            flow_type: showing.flow_type,
            complete: showing
                .execution
                .is_some_and(|e| e.status == ExecutionStatus::Complete),
            step: step.id.clone(),
            is_end,
            may_restart: !is_end
                && step.id != flow.start
                && showing.flow_type != FlowType::InvitedUserRegistration,
            components,
            field_errors,
            form_error: showing.errors.form.as_ref().map(|e| ShownError {
                attribute: None,
                field: None,
                key: format!("error.{}", e.code),
                text: error_text(tr, e),
            }),
            notice: showing.notice,
            password_rules: if asks_for_new_password(step) {
                self.password_rules(tr)
            } else {
                Vec::new()
            },
            redirect_url: showing.redirect_url,
            away_to: showing.execution.and_then(|e| self.away_to(e)),
            awaiting_approval: showing.execution.is_some_and(|e| {
                e.status == ExecutionStatus::Complete && e.secrets.pending_approval
            }),
        })
    }

    /// The password policy in force, in words: composed once per language, again when the
    /// settings or the texts in force change.
    pub fn password_rules(&self, tr: &Tr) -> Vec<String> {
        let settings = self.settings();
        let breached = self.checks_breached_passwords();
        let fresh = |r: &RulesInWords| {
            Arc::ptr_eq(&r.settings, &settings) && r.tr.same_texts(tr) && r.breached == breached
        };
        let Ok(mut cache) = self.inner.password_rules.lock() else {
            return self.compose_password_rules(&settings, tr);
        };
        if let Some(found) = cache.iter().find(|r| fresh(r)) {
            return found.words.clone();
        }
        let words = self.compose_password_rules(&settings, tr);
        cache.retain(|r| r.tr.locale != tr.locale);
        cache.push(RulesInWords {
            settings,
            tr: tr.clone(),
            breached,
            words: words.clone(),
        });
        words
    }

    fn compose_password_rules(&self, settings: &EngineSettings, tr: &Tr) -> Vec<String> {
        settings
            .password_policy
            .rules()
            .into_iter()
            .map(|rule| match rule {
                PasswordRule::MinLength(n) => {
                    tr.t_args("password.rule.min", &[("min", n.to_string())])
                }
                PasswordRule::MaxLength(n) => {
                    tr.t_args("password.rule.max", &[("max", n.to_string())])
                }
                PasswordRule::NotCommon => tr.t("password.rule.common"),
                PasswordRule::NotPersonal => tr.t("password.rule.personal"),
            })
            .chain(
                self.checks_breached_passwords()
                    .then(|| tr.t("password.rule.breached")),
            )
            .collect()
    }
}

/// The password policy in one language, with what it was composed from: the settings and
/// texts are held, so a new one is never taken for this one.
pub(super) struct RulesInWords {
    settings: Arc<EngineSettings>,
    tr: Tr,
    breached: bool,
    words: Vec<String>,
}

/// Asked on every page shown, so it looks without collecting the components first.
fn asks_for_new_password(step: &Step) -> bool {
    fn asks(c: &Component) -> bool {
        c.config.validations.contains(&Validation::PasswordPolicy) || c.components.iter().any(asks)
    }
    step.components().iter().any(asks)
}

fn field_errors(step: &Step, errors: &FieldErrors, tr: &Tr) -> Vec<ShownError> {
    if errors.fields.is_empty() {
        return Vec::new();
    }
    let all = flatten(step.components());
    errors
        .fields
        .iter()
        .map(|(attribute, error)| ShownError {
            attribute: Some(attribute.clone()),
            field: all
                .iter()
                .find(|c| c.attribute() == Some(attribute.as_str()))
                .and_then(|c| c.config.identifier.clone())
                .or_else(|| Some(attribute.clone())),
            key: format!("error.{}", error.code),
            text: error_text(tr, error),
        })
        .collect()
}

fn shown_component(
    c: &Component,
    resolve: &impl Fn(&str) -> String,
    lookup: &impl Fn(&str) -> Option<String>,
    errors: &[ShownError],
) -> ShownComponent {
    let mut component = c.with_texts(resolve);
    if c.is_input() {
        // Secrets are never echoed back.
        component.config.default_value = if c.is_secret() {
            None
        } else {
            c.attribute()
                .and_then(lookup)
                .or_else(|| c.config.default_value.clone())
        };
    }
    if c.is_button() && component.action_id.is_none() {
        component.action_id = Some(c.id.clone());
    }
    let error = c.is_input().then(|| c.attribute()).flatten().and_then(|a| {
        errors
            .iter()
            .find(|e| e.attribute.as_deref() == Some(a))
            .cloned()
    });
    ShownComponent {
        component,
        error,
        components: c
            .components
            .iter()
            .map(|child| shown_component(child, resolve, lookup, errors))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::PasswordPolicy;
    use crate::engine::{Actor, Engine, Role};
    use crate::i18n::Locale;

    /// The policy in words is composed once per language and kept, but never outlives what
    /// it was composed from: a saved policy or a changed text shows at the next page.
    #[tokio::test]
    async fn the_policy_in_words_follows_the_policy_and_the_texts_in_force() {
        let store = crate::store::test_stores().await.remove(0);
        let engine = Engine::for_tests(store);
        let owner = Actor::console("ada@example.com", Role::Owner, None);
        let (en, fr) = (Locale::default(), Locale::from_tag("fr").unwrap());
        let words = |locale| engine.password_rules(&engine.messages().tr(locale));

        let first = words(en);
        assert_eq!(words(en), first, "the same words again");
        assert_ne!(words(fr), first, "each language its own");

        let policy = PasswordPolicy {
            min_length: 17,
            ..engine.settings().password_policy.clone()
        };
        engine.save_password_policy(&policy, &owner).await.unwrap();
        assert!(words(en)[0].contains("17"), "{:?}", words(en));

        engine
            .save_message_override(en, "password.rule.common", "Not a common one", &owner)
            .await
            .unwrap()
            .unwrap();
        assert!(
            words(en).contains(&"Not a common one".to_owned()),
            "{:?}",
            words(en)
        );
        assert!(!words(fr).contains(&"Not a common one".to_owned()));
    }
}
