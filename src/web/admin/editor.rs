//! What the draft editor page shows: every step as a section of small forms, built from the
//! engine's definition, problems and schema. Nothing here decides what an edit does.

use crate::engine::{
    Component, ComponentType, ExecutorName, FlowDefinition, Problem, StepKind, Validation,
    addable_components, flatten,
};
use crate::i18n::{Tr, message_ref};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The wire name of a schema enum (`INPUT`, `EMAIL`, `EmailOtpSend`).
pub fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub fn parse_name<T: DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_owned())).ok()
}

/// One line saying what a component is, for lists and read-only pages: its text as a
/// person reads it in `tr`'s language, and the message key it comes from, if any.
pub struct Summary {
    pub text: String,
    pub key: Option<String>,
}

pub fn component_summary(c: &Component, tr: &Tr) -> Summary {
    let variant = c.variant.as_ref().map(name_of).unwrap_or_default();
    let raw = c
        .config
        .label
        .as_deref()
        .or(c.config.text.as_deref())
        .unwrap_or("");
    let key = message_ref(raw).map(str::to_owned);
    let text = if key.is_some() {
        tr.text(raw, |_| None)
    } else {
        raw.to_owned()
    };
    let kind = name_of(&c.kind);
    let text = match c.kind {
        ComponentType::Input => {
            let fills = match c.config.identifier.as_deref() {
                Some(attribute) => attribute.to_owned(),
                None => tr.t("ui.builder.summary.nothing"),
            };
            let key = if c.config.required {
                "ui.builder.summary.input_required"
            } else {
                "ui.builder.summary.input"
            };
            tr.t_args(
                key,
                &[
                    ("what", format!("{kind} {variant} {}", c.id)),
                    ("fills", fills),
                ],
            )
        }
        ComponentType::Form => format!("FORM {}", c.id),
        _ if text.is_empty() => format!("{kind} {variant} {}", c.id),
        _ => format!("{kind} {variant} {}: “{text}”", c.id),
    };
    Summary { text, key }
}

/// One field of a component's settings form.
pub struct ConfigField {
    /// The form field's name, as `ComponentPatch` knows it.
    pub name: &'static str,
    /// The HTML id, unique on the page.
    pub html_id: String,
    /// The catalogue key of its label (the page says it in the console's language).
    pub label: &'static str,
    /// `text`, `textarea`, `checkbox`, `select`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    /// The catalogue key of its hint.
    pub hint: Option<&'static str>,
    pub error: Option<String>,
}

impl ConfigField {
    fn new(name: &'static str, label: &'static str, kind: &'static str, value: String) -> Self {
        Self {
            name,
            html_id: String::new(),
            label,
            kind,
            value,
            options: Vec::new(),
            hint: None,
            error: None,
        }
    }

    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }

    pub fn checked(&self) -> bool {
        self.value == "true"
    }

    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.html_id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.html_id));
        }
        ids.join(" ")
    }
}

pub struct ComponentRow {
    pub id: String,
    pub anchor: String,
    pub depth: usize,
    pub summary: Summary,
    pub is_form: bool,
    pub in_form: bool,
    pub fields: Vec<ConfigField>,
    pub problems: Vec<String>,
    /// Forms of the same view it may move into.
    pub forms: Vec<String>,
    /// Open the settings when they hold an error.
    pub open: bool,
}

pub struct ButtonRow {
    pub id: String,
    pub next: String,
    pub html_id: String,
}

pub struct OutcomeRow {
    pub outcome: String,
    pub next: String,
    pub html_id: String,
}

pub struct StepSection {
    pub id: String,
    pub kind: &'static str,
    /// The kind in the console's language.
    pub kind_label: String,
    pub is_start: bool,
    pub is_first: bool,
    pub is_last: bool,
    pub problems: Vec<String>,
    pub components: Vec<ComponentRow>,
    pub forms: Vec<String>,
    pub buttons: Vec<ButtonRow>,
    pub executor: Option<String>,
    /// The extension a `CallExtension` task names (empty: none yet); `None` on any other step.
    pub extension: Option<String>,
    pub outcomes: Vec<OutcomeRow>,
    /// Edges that lead here: removing the step asks first when there are any.
    pub incoming: usize,
    pub previewable: bool,
    /// A refused step-level edit: (html id of the field, message).
    pub error: Option<(String, String)>,
    /// Unfolded: the step just edited, or the one a refused edit concerns.
    pub open: bool,
    /// What the step holds, in a few words, for its folded line and the contents.
    pub outline: String,
    /// How many message keys its components name (the link to its texts shows with any).
    pub keys: usize,
    /// Problems of the step and of its components.
    pub problem_count: usize,
}

/// A refused edit, to show beside the field it concerns with what was typed.
pub struct FailedEdit {
    /// The edit's `op` (`widget` for a widget insertion).
    pub op: String,
    pub step: String,
    pub component: Option<String>,
    pub field: String,
    pub message: String,
    pub typed: Vec<(String, String)>,
}

impl FailedEdit {
    fn typed(&self, name: &str) -> Option<String> {
        self.typed
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// The HTML id of the field the error belongs beside, so the summary can link to it.
    pub fn html_id(&self) -> String {
        let step = &self.step;
        let field = self.field.as_str();
        let typed = |name: &str| self.typed(name).unwrap_or_default();
        match (self.op.as_str(), &self.component) {
            ("update_component", Some(c)) => config_id(step, c, field),
            (_, Some(c)) => component_anchor(step, c),
            ("info", _) => format!("{field}-"),
            ("widget", _) => format!("{field}-"),
            ("rename_step", _) => format!("new_id-{step}"),
            ("add_step", _) if field == "id" => format!("id-step-{step}"),
            ("add_step", _) => format!("kind-{step}"),
            ("add_component", _) if field == "id" => format!("id-{step}"),
            ("add_component", _) if field == "parent" => format!("parent-{step}"),
            ("add_component", _) => format!("what-{step}"),
            ("set_target", _) => format!("next-{step}-{}", typed("button")),
            ("set_outcome", _) => format!("outcome-{step}-{}", typed("outcome")),
            ("set_executor", _) => format!("executor-{step}"),
            // A name refused: beside the select. A step that calls none has no select: its
            // refusal (field `step`) is shown on top of the step, below.
            ("set_extension", _) if field == "extension" => format!("extension-{step}"),
            // Not a decision (or no such step): shown on top of the step.
            (op, _) if is_decision_edit(op) && field == "step" => format!("step-{step}"),
            ("set_branch", _) => {
                let key = Some(typed("branch")).filter(|b| !b.is_empty());
                let key = key.as_deref().unwrap_or("new");
                let json = self.typed("when_json").is_some();
                match field {
                    "next" if json => rule_field_id(step, key, "json_next"),
                    "next" => rule_field_id(step, key, "next"),
                    "when" if json => rule_field_id(step, key, "json"),
                    "when" => rule_field_id(step, key, "when"),
                    _ => format!("rule-{step}-error"),
                }
            }
            ("set_otherwise", _) if field == "next" => format!("otherwise-{step}"),
            ("set_otherwise" | "move_branch" | "remove_branch", _) => format!("rule-{step}-error"),
            _ if step.is_empty() => "steps".into(),
            _ => format!("step-{step}"),
        }
    }
}

pub fn config_id(step: &str, component: &str, field: &str) -> String {
    format!("cfg-{step}-{component}-{field}")
}

/// The HTML id of a field of a decision's branch form: `key` is the branch's index, or
/// "new" for the form that adds one.
pub fn rule_field_id(step: &str, key: &str, field: &str) -> String {
    format!("rule-{step}-{key}-{field}")
}

/// Edits of a decision step (`web::admin::decisions` reads their forms), shown beside its
/// branches rather than on top of the step.
pub fn is_decision_edit(op: &str) -> bool {
    matches!(
        op,
        "set_branch" | "move_branch" | "remove_branch" | "set_otherwise"
    )
}

pub fn component_anchor(step: &str, component: &str) -> String {
    format!("component-{step}-{component}")
}

fn rule_value(c: &Component, pick: impl Fn(&Validation) -> Option<String>) -> String {
    c.config
        .validations
        .iter()
        .find_map(pick)
        .unwrap_or_default()
}

fn variant_options(kind: ComponentType, tr: &Tr) -> Vec<(String, String)> {
    addable_components()
        .into_iter()
        .filter(|(k, v, _)| *k == kind && v.is_some())
        .filter_map(|(_, v, key)| Some((name_of(&v?), tr.t(key))))
        .collect()
}

fn config_fields(c: &Component, tr: &Tr) -> Vec<ConfigField> {
    let cfg = &c.config;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut out = vec![
        ConfigField::new("id", "ui.builder.field.id", "text", c.id.clone())
            .hint("ui.builder.hint.id"),
    ];
    let variants = variant_options(c.kind, tr);
    if !variants.is_empty() {
        out.push(
            ConfigField::new(
                "variant",
                "ui.builder.field.kind",
                "select",
                c.variant.as_ref().map(name_of).unwrap_or_default(),
            )
            .options(variants),
        );
    }
    match c.kind {
        ComponentType::Input => {
            out.push(
                ConfigField::new(
                    "identifier",
                    "ui.builder.field.identifier",
                    "text",
                    text(&cfg.identifier),
                )
                .hint("ui.builder.hint.identifier"),
            );
            out.push(
                ConfigField::new("label", "ui.builder.field.label", "text", text(&cfg.label))
                    .hint("ui.builder.hint.label"),
            );
            out.push(ConfigField::new(
                "placeholder",
                "ui.builder.field.placeholder",
                "text",
                text(&cfg.placeholder),
            ));
            out.push(ConfigField::new(
                "hint",
                "ui.builder.field.hint",
                "text",
                text(&cfg.hint),
            ));
            out.push(ConfigField::new(
                "required",
                "ui.builder.field.required",
                "checkbox",
                cfg.required.to_string(),
            ));
            out.push(ConfigField::new(
                "default_value",
                "ui.builder.field.default_value",
                "text",
                text(&cfg.default_value),
            ));
            out.push(ConfigField::new(
                "min_length",
                "ui.builder.field.min_length",
                "text",
                rule_value(c, |v| match v {
                    Validation::MinLength { value } => Some(value.to_string()),
                    _ => None,
                }),
            ));
            out.push(ConfigField::new(
                "max_length",
                "ui.builder.field.max_length",
                "text",
                rule_value(c, |v| match v {
                    Validation::MaxLength { value } => Some(value.to_string()),
                    _ => None,
                }),
            ));
            out.push(
                ConfigField::new(
                    "pattern",
                    "ui.builder.field.pattern",
                    "text",
                    rule_value(c, |v| match v {
                        Validation::Regex { pattern, .. } => Some(pattern.clone()),
                        _ => None,
                    }),
                )
                .hint("ui.builder.hint.pattern"),
            );
            out.push(ConfigField::new(
                "pattern_message",
                "ui.builder.field.pattern_message",
                "text",
                rule_value(c, |v| match v {
                    Validation::Regex { message, .. } => message.clone(),
                    _ => None,
                }),
            ));
            out.push(ConfigField::new(
                "password_policy",
                "ui.builder.field.password_policy",
                "checkbox",
                cfg.validations
                    .contains(&Validation::PasswordPolicy)
                    .to_string(),
            ));
            out.push(
                ConfigField::new(
                    "options",
                    "ui.builder.field.options",
                    "textarea",
                    cfg.options
                        .iter()
                        .map(|o| format!("{}|{}", o.value, o.label))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
                .hint("ui.builder.hint.options"),
            );
            out.push(
                ConfigField::new(
                    "length",
                    "ui.builder.field.length",
                    "text",
                    cfg.length.map(|l| l.to_string()).unwrap_or_default(),
                )
                .hint("ui.builder.hint.length"),
            );
        }
        ComponentType::Button | ComponentType::Typography => {
            out.push(
                ConfigField::new("text", "ui.builder.field.text", "text", text(&cfg.text))
                    .hint("ui.builder.hint.text"),
            );
        }
        ComponentType::RichText => {
            out.push(
                ConfigField::new("text", "ui.builder.field.text", "textarea", text(&cfg.text))
                    .hint("ui.builder.hint.rich_text"),
            );
        }
        ComponentType::Image => {
            out.push(ConfigField::new(
                "src",
                "ui.builder.field.src",
                "text",
                text(&cfg.src),
            ));
            out.push(ConfigField::new(
                "alt",
                "ui.builder.field.alt",
                "text",
                text(&cfg.alt),
            ));
        }
        ComponentType::Divider | ComponentType::Form => {}
    }
    out
}

/// Edges into each step, counted over the whole definition.
fn incoming(def: &FlowDefinition, id: &str) -> usize {
    def.steps
        .iter()
        .map(|s| s.targets().into_iter().filter(|n| *n == id).count())
        .sum()
}

pub fn sections(
    def: &FlowDefinition,
    problems: &[Problem],
    failed: Option<&FailedEdit>,
    tr: &Tr,
    open: Option<&str>,
) -> Vec<StepSection> {
    let count = def.steps.len();
    def.steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let step_problems = |component: Option<&str>| {
                problems
                    .iter()
                    .filter(|p| p.step.as_deref() == Some(step.id.as_str()))
                    .filter(|p| p.component.as_deref() == component)
                    // A decision's branch shows its own problems.
                    .filter(|p| p.branch.is_none())
                    .map(|p| p.message.in_(tr))
                    .collect::<Vec<_>>()
            };
            let forms: Vec<String> = step
                .components()
                .iter()
                .filter(|c| c.kind == ComponentType::Form)
                .map(|c| c.id.clone())
                .collect();
            let mut components = Vec::new();
            for top in step.components() {
                let mut push = |c: &Component, depth: usize| {
                    let mut fields = config_fields(c, tr);
                    let failed_here = failed.filter(|f| {
                        f.step == step.id && f.component.as_deref() == Some(c.id.as_str())
                    });
                    for field in &mut fields {
                        field.html_id = config_id(&step.id, &c.id, field.name);
                        if let Some(f) = failed_here {
                            if let Some(typed) = f.typed(field.name) {
                                field.value = typed;
                            } else if field.kind == "checkbox" {
                                field.value = "false".into();
                            }
                            if f.field == field.name {
                                field.error = Some(f.message.clone());
                            }
                        }
                    }
                    components.push(ComponentRow {
                        id: c.id.clone(),
                        anchor: component_anchor(&step.id, &c.id),
                        depth,
                        summary: component_summary(c, tr),
                        is_form: c.kind == ComponentType::Form,
                        in_form: depth > 0,
                        fields,
                        problems: step_problems(Some(&c.id)),
                        forms: forms.iter().filter(|f| **f != c.id).cloned().collect(),
                        open: failed_here.is_some(),
                    });
                };
                push(top, 0);
                for child in &top.components {
                    push(child, 1);
                }
            }
            let (kind, buttons, executor, outcomes) = match &step.kind {
                StepKind::View {
                    components,
                    actions,
                } => (
                    "view",
                    flatten(components)
                        .into_iter()
                        .filter_map(|c| c.button_action())
                        .map(|b| ButtonRow {
                            id: b.to_owned(),
                            next: actions
                                .iter()
                                .find(|a| a.button == b)
                                .map(|a| a.next.clone())
                                .unwrap_or_default(),
                            html_id: format!("next-{}-{b}", step.id),
                        })
                        .collect(),
                    None,
                    Vec::new(),
                ),
                StepKind::Task { executor, next, .. } => (
                    "task",
                    Vec::new(),
                    Some(name_of(executor)),
                    executor
                        .outcomes()
                        .iter()
                        .map(|o| OutcomeRow {
                            outcome: (*o).to_owned(),
                            next: next.get(*o).cloned().unwrap_or_default(),
                            html_id: format!("outcome-{}-{o}", step.id),
                        })
                        .collect(),
                ),
                StepKind::Rule { .. } => ("rule", Vec::new(), None, Vec::new()),
                StepKind::End { .. } => ("end", Vec::new(), None, Vec::new()),
            };
            // Refusals other than a component's settings are shown on top of the step, but
            // a decision's beside its branches.
            let error = failed
                .filter(|f| f.step == step.id && f.op != "update_component")
                .filter(|f| kind != "rule" || !is_decision_edit(&f.op))
                .map(|f| (f.html_id(), f.message.clone()));
            StepSection {
                id: step.id.clone(),
                kind,
                kind_label: tr.t(&format!("ui.builder.draft.kind.{kind}")),
                is_start: step.id == def.start,
                is_first: index == 0,
                is_last: index + 1 == count,
                problems: step_problems(None),
                components,
                forms,
                buttons,
                executor,
                extension: match &step.kind {
                    StepKind::Task {
                        executor: ExecutorName::CallExtension,
                        extension,
                        ..
                    } => Some(extension.clone().unwrap_or_default()),
                    _ => None,
                },
                outcomes,
                incoming: incoming(def, &step.id),
                previewable: kind != "task" && kind != "rule",
                open: open == Some(step.id.as_str())
                    || error.is_some()
                    || failed.is_some_and(|f| f.step == step.id),
                outline: outline(step, tr),
                keys: crate::engine::step_message_keys(step.components()).len(),
                problem_count: problems
                    .iter()
                    .filter(|p| p.step.as_deref() == Some(step.id.as_str()))
                    .count(),
                error,
            }
        })
        .collect()
}

/// A step in a few words: what it shows or runs.
fn outline(step: &crate::engine::Step, tr: &Tr) -> String {
    let count = |key: &str, n: usize| tr.t_args(key, &[("count", n.to_string())]);
    match &step.kind {
        StepKind::View { components, .. } => {
            let all = flatten(components);
            let inputs = all
                .iter()
                .filter(|c| c.kind == ComponentType::Input)
                .count();
            let buttons = all.iter().filter(|c| c.button_action().is_some()).count();
            tr.t_args(
                "ui.builder.outline.view",
                &[
                    (
                        "components",
                        count("ui.builder.outline.components", all.len()),
                    ),
                    ("fields", count("ui.builder.outline.fields", inputs)),
                    ("buttons", count("ui.builder.outline.buttons", buttons)),
                ],
            )
        }
        StepKind::Task { executor, .. } => {
            tr.t_args("ui.builder.outline.task", &[("task", name_of(executor))])
        }
        StepKind::Rule { branches, .. } => tr.t_args(
            "ui.builder.outline.rule",
            &[(
                "branches",
                count("ui.builder.outline.branches", branches.len()),
            )],
        ),
        StepKind::End { components } => tr.t_args(
            "ui.builder.outline.end",
            &[(
                "components",
                count("ui.builder.outline.components", flatten(components).len()),
            )],
        ),
    }
}

/// (wire name, label) of every executor, for select lists.
pub fn executors() -> Vec<(String, String)> {
    ExecutorName::ALL
        .iter()
        .map(|e| (name_of(e), format!("{e:?}")))
        .collect()
}

/// (value, label) of what a new component can be, in `tr`'s language.
pub fn component_choices(tr: &Tr) -> Vec<(String, String)> {
    addable_components()
        .into_iter()
        .map(|(kind, variant, key)| {
            let value = match variant {
                Some(v) => format!("{}:{}", name_of(&kind), name_of(&v)),
                None => name_of(&kind),
            };
            (value, tr.t(key))
        })
        .collect()
}
