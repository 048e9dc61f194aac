//! A flow definition: a directed graph of steps, stored as versioned JSON.

use super::rule::Branch;
use super::view::{Component, by_name, flatten};
use crate::domain::FlowType;
use crate::i18n::Said;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Built-in server actions. Each declares the outcomes it can take and what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExecutorName {
    /// Checks the password against the policy and keeps its Argon2id hash for provisioning.
    PasswordOnboarding,
    /// Sends a one-time code to the collected e-mail (or an "already registered" notice).
    EmailOtpSend,
    /// Checks the code typed on the submitting view.
    EmailOtpVerify,
    /// Sends a one-time code by text message: to the collected `phone`, or in recovery to
    /// the verified number of the account named.
    SmsOtpSend,
    /// Checks a text-message code; the number it went to is then `phone`, verified.
    SmsOtpVerify,
    /// Sends the person to sign in at the OpenID Connect provider the step's `connection`
    /// names, and back: the checked ID token's claims become attributes. Outcome `link`:
    /// the provider proved an address that already has an account.
    OpenIdConnect,
    /// After `link`: the account's owner proves it with its password, or with the code
    /// `LinkCodeSend` mailed, and the provider's sign-in is linked to it.
    LinkAccount,
    /// After `link`: mails a code to the account's address, the other way to prove it.
    LinkCodeSend,
    /// Sends a single-use link; the flow resumes at outcome `verified` when it is confirmed.
    MagicLinkSend,
    /// Creates the account from the collected attributes.
    UserProvisioning,
    /// Sets a new password on the account of the proved address (recovery), signs out every
    /// other session and kills outstanding recovery links.
    PasswordUpdate,
    /// Marks the invitation accepted, in the commit that creates the account.
    InvitationAccept,
    /// Recovery: finds the account named by `login` (an e-mail address or a username) and
    /// takes its address as `email`; an unknown one leaves `email` unset, silently.
    AccountResolve,
    /// The account this registration creates waits in `PENDING_APPROVAL` until an
    /// administrator approves it; the person is told by mail.
    RequireApproval,
    /// Calls the extension the step names (the organisation's own service): it allows,
    /// denies with a message beside a field, or sets attributes it may set.
    CallExtension,
}

/// What an executor needs before it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// A collected attribute that some earlier view must ask for.
    Attribute(&'static str),
    /// An input that the submitting view itself must carry (secrets are never stored).
    Input(&'static str),
}

impl ExecutorName {
    pub const ALL: [ExecutorName; 15] = [
        ExecutorName::PasswordOnboarding,
        ExecutorName::EmailOtpSend,
        ExecutorName::EmailOtpVerify,
        ExecutorName::SmsOtpSend,
        ExecutorName::SmsOtpVerify,
        ExecutorName::OpenIdConnect,
        ExecutorName::LinkAccount,
        ExecutorName::LinkCodeSend,
        ExecutorName::MagicLinkSend,
        ExecutorName::UserProvisioning,
        ExecutorName::PasswordUpdate,
        ExecutorName::InvitationAccept,
        ExecutorName::AccountResolve,
        ExecutorName::RequireApproval,
        ExecutorName::CallExtension,
    ];

    /// The name used in flow JSON, e.g. `EmailOtpSend`.
    pub fn as_name(self) -> &'static str {
        match self {
            ExecutorName::PasswordOnboarding => "PasswordOnboarding",
            ExecutorName::EmailOtpSend => "EmailOtpSend",
            ExecutorName::EmailOtpVerify => "EmailOtpVerify",
            ExecutorName::SmsOtpSend => "SmsOtpSend",
            ExecutorName::SmsOtpVerify => "SmsOtpVerify",
            ExecutorName::OpenIdConnect => "OpenIdConnect",
            ExecutorName::LinkAccount => "LinkAccount",
            ExecutorName::LinkCodeSend => "LinkCodeSend",
            ExecutorName::MagicLinkSend => "MagicLinkSend",
            ExecutorName::UserProvisioning => "UserProvisioning",
            ExecutorName::PasswordUpdate => "PasswordUpdate",
            ExecutorName::InvitationAccept => "InvitationAccept",
            ExecutorName::AccountResolve => "AccountResolve",
            ExecutorName::RequireApproval => "RequireApproval",
            ExecutorName::CallExtension => "CallExtension",
        }
    }

    /// Reads a name as `as_name` writes it, in any case.
    pub fn from_name(name: &str) -> Option<Self> {
        by_name(&Self::ALL, Self::as_name, name)
    }

    pub fn outcomes(self) -> &'static [&'static str] {
        match self {
            ExecutorName::MagicLinkSend => &["success", "verified"],
            ExecutorName::OpenIdConnect => &["success", "link"],
            _ => &["success"],
        }
    }

    /// Attributes this executor sets for the tasks after it.
    pub fn provides(self) -> &'static [&'static str] {
        match self {
            ExecutorName::AccountResolve => &["email"],
            ExecutorName::OpenIdConnect => &["email", "given_name", "family_name"],
            _ => &[],
        }
    }

    /// What it needs in a flow of `flow_type`.
    pub fn needs(self, flow_type: FlowType) -> &'static [Needs] {
        match self {
            // Recovery texts the account's own number, found by its address.
            ExecutorName::SmsOtpSend if flow_type == FlowType::PasswordRecovery => {
                &[Needs::Attribute("email")]
            }
            ExecutorName::SmsOtpSend => &[Needs::Attribute("phone")],
            ExecutorName::SmsOtpVerify => &[Needs::Input("otp")],
            ExecutorName::OpenIdConnect => &[],
            // The password or the code, whichever the view carries.
            ExecutorName::LinkAccount | ExecutorName::LinkCodeSend => &[Needs::Attribute("email")],
            ExecutorName::PasswordOnboarding => &[Needs::Input("password")],
            ExecutorName::EmailOtpSend | ExecutorName::MagicLinkSend => {
                &[Needs::Attribute("email")]
            }
            ExecutorName::EmailOtpVerify => &[Needs::Input("otp")],
            ExecutorName::UserProvisioning => &[Needs::Attribute("email")],
            ExecutorName::PasswordUpdate => &[Needs::Input("password"), Needs::Attribute("email")],
            ExecutorName::InvitationAccept => &[Needs::Attribute("email")],
            ExecutorName::AccountResolve => &[Needs::Attribute("login")],
            ExecutorName::RequireApproval => &[Needs::Attribute("email")],
            ExecutorName::CallExtension => &[],
        }
    }

    /// The flow types it makes sense in; validation refuses it elsewhere.
    pub fn flow_types(self) -> &'static [FlowType] {
        match self {
            ExecutorName::RequireApproval | ExecutorName::OpenIdConnect => {
                &[FlowType::Registration, FlowType::InvitedUserRegistration]
            }
            ExecutorName::LinkAccount | ExecutorName::LinkCodeSend => &[FlowType::Registration],
            _ => &FlowType::ALL,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// The button's id.
    #[serde(rename = "ref")]
    pub button: String,
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StepKind {
    /// Shows components; each button leads somewhere through `actions`.
    View {
        components: Vec<Component>,
        #[serde(default)]
        actions: Vec<Action>,
    },
    /// Runs an executor and follows the outcome it takes.
    Task {
        executor: ExecutorName,
        #[serde(default)]
        next: BTreeMap<String, String>,
        /// The extension a `CallExtension` step calls, by name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        extension: Option<String>,
        /// The connection an `OpenIdConnect` step signs up through, by name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        connection: Option<String>,
    },
    /// Decides where to go: the first branch whose condition holds, else `otherwise`.
    /// Never pauses.
    Rule {
        branches: Vec<Branch>,
        otherwise: String,
    },
    /// The flow is complete: shows its components, offers a way on.
    End {
        #[serde(default)]
        components: Vec<Component>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    #[serde(flatten)]
    pub kind: StepKind,
}

impl Step {
    /// Where the step can lead: its buttons' actions, its outcomes, or its branches and then
    /// `otherwise`, in that order.
    pub fn targets(&self) -> Vec<&str> {
        match &self.kind {
            StepKind::View { actions, .. } => actions.iter().map(|a| a.next.as_str()).collect(),
            StepKind::Task { next, .. } => next.values().map(String::as_str).collect(),
            StepKind::Rule {
                branches,
                otherwise,
            } => branches
                .iter()
                .map(|b| b.next.as_str())
                .chain([otherwise.as_str()])
                .collect(),
            StepKind::End { .. } => Vec::new(),
        }
    }

    /// `targets`, to change.
    pub fn targets_mut(&mut self) -> Vec<&mut String> {
        match &mut self.kind {
            StepKind::View { actions, .. } => actions.iter_mut().map(|a| &mut a.next).collect(),
            StepKind::Task { next, .. } => next.values_mut().collect(),
            StepKind::Rule {
                branches,
                otherwise,
            } => branches
                .iter_mut()
                .map(|b| &mut b.next)
                .chain([otherwise])
                .collect(),
            StepKind::End { .. } => Vec::new(),
        }
    }

    pub fn components(&self) -> &[Component] {
        match &self.kind {
            StepKind::View { components, .. } | StepKind::End { components } => components,
            StepKind::Task { .. } | StepKind::Rule { .. } => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowDefinition {
    pub flow_type: FlowType,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub start: String,
    pub steps: Vec<Step>,
    /// The region (ISO 3166 alpha-2, `GB`) a phone number typed without its country code is
    /// read in; without one, such a number is asked for again with its code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_region: Option<String>,
}

impl FlowDefinition {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The decision steps, in definition order: each with its branches and `otherwise`.
    pub fn decisions(&self) -> impl Iterator<Item = (&Step, &[Branch], &str)> {
        self.steps.iter().filter_map(|step| match &step.kind {
            StepKind::Rule {
                branches,
                otherwise,
            } => Some((step, branches.as_slice(), otherwise.as_str())),
            _ => None,
        })
    }

    fn successors(step: &Step) -> Vec<&str> {
        step.targets()
    }

    /// The view steps in the order people meet them: breadth-first from the start, buttons
    /// and outcomes in their order; views no path reaches come last, as defined.
    pub fn views_in_order(&self) -> Vec<&str> {
        let index = self.index();
        let mut seen = std::collections::BTreeSet::new();
        let mut queue = std::collections::VecDeque::from([self.start.as_str()]);
        let mut order = Vec::new();
        while let Some(id) = queue.pop_front() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(step) = index.get(id).copied() {
                order.push(step);
                queue.extend(Self::successors(step));
            }
        }
        let unreached = self.steps.iter().filter(|s| !seen.contains(s.id.as_str()));
        order
            .into_iter()
            .chain(unreached)
            .filter(|s| matches!(s.kind, StepKind::View { .. }))
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The first step of each id, as `step` finds it. `validate` looks steps up through it:
    /// with a scan per look-up, a definition of a few hundred steps took minutes to check.
    fn index(&self) -> HashMap<&str, &Step> {
        let mut index = HashMap::with_capacity(self.steps.len());
        for step in &self.steps {
            index.entry(step.id.as_str()).or_insert(step);
        }
        index
    }

    /// The ids reachable from any of `from`, `from` included.
    fn reachable<'a>(
        index: &HashMap<&'a str, &'a Step>,
        from: impl IntoIterator<Item = &'a str>,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        let mut stack: Vec<&str> = from.into_iter().collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(step) = index.get(id) {
                stack.extend(Self::successors(step));
            }
        }
        seen
    }

    /// Every problem of the graph, not only the first: an admin fixes them in one go.
    pub fn validate(&self) -> Vec<Problem> {
        let index = self.index();
        let mut collected = GiverCache::default();
        let mut run_by = HashMap::new();
        let mut uncollected = HashMap::new();
        let mut branch_problems = Vec::new();
        let mut problems = Vec::new();
        let mut push =
            |step: Option<&str>, component: Option<&str>, code: &'static str, message: Said| {
                problems.push(Problem {
                    step: step.map(str::to_owned),
                    component: component.map(str::to_owned),
                    code,
                    message,
                    branch: None,
                })
            };

        let mut ids = std::collections::BTreeSet::new();
        for step in &self.steps {
            if step.id.trim().is_empty() {
                push(
                    None,
                    None,
                    "empty_step_id",
                    Said::new("ui.problem.empty_step_id"),
                );
            } else if !ids.insert(step.id.as_str()) {
                push(
                    Some(&step.id),
                    None,
                    "duplicate_step",
                    Said::new("ui.problem.duplicate_step").with("step", &step.id),
                );
            }
        }
        if let Some(code) = &self.default_region
            && crate::domain::phone::region(code).is_none()
        {
            push(
                None,
                None,
                "bad_region",
                Said::new("ui.problem.bad_region").with("code", code),
            );
        }
        if !index.contains_key(self.start.as_str()) {
            push(
                None,
                None,
                "missing_start",
                Said::new("ui.problem.missing_start").with("step", &self.start),
            );
        } else if matches!(
            index.get(self.start.as_str()).map(|s| &s.kind),
            Some(StepKind::End { .. })
        ) {
            push(
                None,
                None,
                "start_is_end",
                Said::new("ui.problem.start_is_end"),
            );
        }

        for step in &self.steps {
            let here = Some(step.id.as_str());
            let own_targets = matches!(step.kind, StepKind::Rule { .. });
            for target in Self::successors(step).into_iter().filter(|_| !own_targets) {
                if !index.contains_key(target) {
                    push(
                        here,
                        None,
                        "dangling_action",
                        Said::new("ui.problem.dangling_action")
                            .with("step", &step.id)
                            .with("target", target),
                    );
                }
            }
            match &step.kind {
                StepKind::View {
                    components,
                    actions,
                } => {
                    let all = flatten(components);
                    let mut component_ids = std::collections::BTreeSet::new();
                    for c in &all {
                        if !component_ids.insert(c.id.as_str()) {
                            push(
                                here,
                                Some(&c.id),
                                "duplicate_component",
                                Said::new("ui.problem.duplicate_component")
                                    .with("step", &step.id)
                                    .with("component", &c.id),
                            );
                        }
                        if c.is_input() && c.config.identifier.as_deref().is_none_or(str::is_empty)
                        {
                            push(
                                here,
                                Some(&c.id),
                                "input_without_identifier",
                                Said::new("ui.problem.input_without_identifier")
                                    .with("component", &c.id),
                            );
                        }
                        if c.kind != super::view::ComponentType::Form && !c.components.is_empty() {
                            push(
                                here,
                                Some(&c.id),
                                "children_outside_form",
                                Said::new("ui.problem.children_outside_form")
                                    .with("component", &c.id),
                            );
                        }
                    }
                    for form in components
                        .iter()
                        .filter(|c| c.kind == super::view::ComponentType::Form)
                    {
                        if form
                            .components
                            .iter()
                            .any(|c| c.kind == super::view::ComponentType::Form)
                        {
                            push(
                                here,
                                Some(&form.id),
                                "nested_form",
                                Said::new("ui.problem.nested_form").with("component", &form.id),
                            );
                        }
                    }
                    // Each button as (component id, action ref): problems name the component,
                    // messages keep naming the action ref.
                    let button_ids: Vec<(&str, &str)> = all
                        .iter()
                        .filter_map(|c| c.button_action().map(|a| (c.id.as_str(), a)))
                        .collect();
                    let buttons: Vec<&str> = button_ids.iter().map(|(_, a)| *a).collect();
                    let button_of = |action: &str| {
                        button_ids
                            .iter()
                            .find(|(_, a)| *a == action)
                            .map_or(action.to_owned(), |(id, _)| (*id).to_owned())
                    };
                    if buttons.is_empty() {
                        push(
                            here,
                            None,
                            "dead_end",
                            Said::new("ui.problem.dead_end").with("step", &step.id),
                        );
                    }
                    for b in &buttons {
                        if !actions.iter().any(|a| a.button == *b) {
                            push(
                                here,
                                Some(&button_of(b)),
                                "button_without_action",
                                Said::new("ui.problem.button_without_action")
                                    .with("button", b)
                                    .with("step", &step.id),
                            );
                        }
                    }
                    for a in actions {
                        if !buttons.contains(&a.button.as_str()) {
                            push(
                                here,
                                None,
                                "action_without_button",
                                Said::new("ui.problem.action_without_button")
                                    .with("action", &a.button)
                                    .with("step", &step.id),
                            );
                        }
                    }
                    // Inputs a task needs from the submitting view itself.
                    for a in actions {
                        let tasks = run_by
                            .entry(a.next.as_str())
                            .or_insert_with(|| Self::tasks_run_by(&index, &a.next));
                        for task in tasks.iter() {
                            for need in task.needs(self.flow_type) {
                                if let super::graph::Needs::Input(name) = need
                                    && !all.iter().any(|c| c.attribute() == Some(name))
                                {
                                    push(
                                        here,
                                        Some(&button_of(&a.button)),
                                        "missing_input",
                                        Said::new("ui.problem.missing_input")
                                            .with("button", &a.button)
                                            .with("step", &step.id)
                                            .with("executor", task.as_name())
                                            .with("input", name),
                                    );
                                }
                            }
                        }
                    }
                }
                StepKind::Task {
                    executor,
                    next,
                    extension,
                    connection,
                } => {
                    match (executor, connection.as_deref().map(str::trim)) {
                        (ExecutorName::OpenIdConnect, None | Some("")) => push(
                            here,
                            None,
                            "missing_connection",
                            Said::new("ui.problem.missing_connection").with("step", &step.id),
                        ),
                        (ExecutorName::OpenIdConnect, _) | (_, None) => {}
                        (_, Some(_)) => push(
                            here,
                            None,
                            "connection_without_sign_up",
                            Said::new("ui.problem.connection_without_sign_up")
                                .with("step", &step.id)
                                .with("executor", executor.as_name()),
                        ),
                    }
                    match (executor, extension.as_deref().map(str::trim)) {
                        (ExecutorName::CallExtension, None | Some("")) => push(
                            here,
                            None,
                            "missing_extension",
                            Said::new("ui.problem.missing_extension").with("step", &step.id),
                        ),
                        (ExecutorName::CallExtension, _) | (_, None) => {}
                        (_, Some(_)) => push(
                            here,
                            None,
                            "extension_without_call",
                            Said::new("ui.problem.extension_without_call")
                                .with("step", &step.id)
                                .with("executor", executor.as_name()),
                        ),
                    }
                    if !executor.flow_types().contains(&self.flow_type) {
                        push(
                            here,
                            None,
                            "executor_not_for_flow",
                            Said::new("ui.problem.executor_not_for_flow")
                                .with("executor", executor.as_name())
                                .with("flow_type", self.flow_type.as_str()),
                        );
                    }
                    for outcome in executor.outcomes() {
                        if !next.contains_key(*outcome) {
                            push(
                                here,
                                None,
                                "missing_outcome",
                                Said::new("ui.problem.missing_outcome")
                                    .with("step", &step.id)
                                    .with("outcome", outcome),
                            );
                        }
                    }
                    for outcome in next.keys() {
                        if !executor.outcomes().contains(&outcome.as_str()) {
                            push(
                                here,
                                None,
                                "unknown_outcome",
                                Said::new("ui.problem.unknown_outcome")
                                    .with("executor", executor.as_name())
                                    .with("outcome", outcome),
                            );
                        }
                    }
                    for need in executor.needs(self.flow_type) {
                        if let Needs::Attribute(name) = need
                            && !self.flow_type.provided_at_start().contains(name)
                            && !self.some_view_before_collects(
                                &index,
                                &mut collected,
                                &step.id,
                                name,
                            )
                        {
                            push(
                                here,
                                None,
                                "missing_attribute",
                                Said::new("ui.problem.missing_attribute")
                                    .with("step", &step.id)
                                    .with("executor", executor.as_name())
                                    .with("attribute", name),
                            );
                        }
                    }
                }
                StepKind::Rule {
                    branches,
                    otherwise,
                } => {
                    self.rule_problems(
                        &index,
                        &mut uncollected,
                        &step.id,
                        branches,
                        otherwise,
                        &mut branch_problems,
                    );
                }
                StepKind::End { .. } => {}
            }
        }
        for stuck in self.loops_without_view(&index) {
            push(
                Some(stuck),
                None,
                "loop_without_view",
                Said::new("ui.problem.loop_without_view").with("step", stuck),
            );
        }

        if index.contains_key(self.start.as_str()) {
            let reachable = Self::reachable(&index, [self.start.as_str()]);
            for step in &self.steps {
                if !reachable.contains(step.id.as_str()) {
                    push(
                        Some(&step.id),
                        None,
                        "unreachable",
                        Said::new("ui.problem.unreachable").with("step", &step.id),
                    );
                }
            }
            let finishes = reachable
                .iter()
                .filter_map(|id| index.get(id))
                .any(|s| matches!(s.kind, StepKind::End { .. }));
            if !finishes {
                push(None, None, "no_end", Said::new("ui.problem.no_end"));
            }
        }
        problems.append(&mut branch_problems);
        problems
    }

    /// Tasks that run, one after another, when a view's action leads to `first`: each
    /// executor once, so a long chain of one executor gives one problem, not one per step.
    fn tasks_run_by(index: &HashMap<&str, &Step>, first: &str) -> Vec<ExecutorName> {
        let mut out = Vec::new();
        let mut frontier = vec![first];
        let mut seen = HashSet::new();
        while let Some(id) = frontier.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(step) = index.get(id).copied() else {
                continue;
            };
            if let StepKind::Rule { .. } = step.kind {
                frontier.extend(Self::successors(step));
            }
            if let StepKind::Task { executor, next, .. } = &step.kind {
                if !out.contains(executor) {
                    out.push(*executor);
                }
                // A link confirmation resumes later, in another request: it carries no input.
                frontier.extend(
                    next.iter()
                        .filter(|(o, _)| o.as_str() != "verified")
                        .map(|(_, n)| n.as_str()),
                );
            }
        }
        out
    }

    /// True when some view, or some task that provides it, leads to `task` with `attribute`.
    /// Which steps give an attribute, and what they reach, is worked out once per attribute
    /// (and once more for a task that shares its id with one of them, which does not count)
    /// and kept in `cache`, not once per task and giving step.
    fn some_view_before_collects<'a>(
        &'a self,
        index: &HashMap<&'a str, &'a Step>,
        cache: &mut GiverCache<'a>,
        task: &'a str,
        attribute: &'static str,
    ) -> bool {
        let givers = cache.givers.entry(attribute).or_insert_with(|| {
            self.steps
                .iter()
                .filter(|s| gives(s, attribute))
                .map(|s| s.id.as_str())
                .collect()
        });
        let excluded = givers.contains(task).then_some(task);
        cache
            .reached
            .entry((attribute, excluded))
            .or_insert_with(|| {
                Self::reachable(
                    index,
                    givers.iter().copied().filter(|g| Some(*g) != excluded),
                )
            })
            .contains(task)
    }
}

/// See `FlowDefinition::some_view_before_collects`.
#[derive(Default)]
struct GiverCache<'a> {
    /// Ids of the steps that give an attribute.
    givers: HashMap<&'static str, HashSet<&'a str>>,
    /// Ids reachable from them, all or all but one id.
    reached: HashMap<(&'static str, Option<&'a str>), HashSet<&'a str>>,
}

/// True when `step` gives `attribute`: a view that asks for it, a task that provides it.
fn gives(step: &Step, attribute: &str) -> bool {
    match &step.kind {
        StepKind::View { components, .. } => flatten(components)
            .iter()
            .any(|c| c.attribute() == Some(attribute)),
        StepKind::Task { executor, .. } => executor.provides().contains(&attribute),
        StepKind::Rule { .. } | StepKind::End { .. } => false,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The component the problem concerns, when it concerns one (its id, nested ones included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub code: &'static str,
    /// What is wrong, in words: English in the APIs' JSON, the administrator's language in
    /// the console.
    pub message: Said,
    /// The branch of a decision step the problem concerns (0 is the first); absent for
    /// `otherwise` and for other steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<usize>,
}

mod decisions;
#[cfg(test)]
mod tests;
