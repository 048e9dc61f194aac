//! What changed between two versions of a flow, in words an administrator reads before
//! publishing: a JSON diff would show braces moving, not that a button now leads elsewhere.

use super::graph::{FlowDefinition, Step, StepKind};
use super::view::{Component, ComponentType, SelectOption, Validation, Variant};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The step the change is in; `None` for the flow itself (name, start).
    pub step: Option<String>,
    pub kind: ChangeKind,
    pub text: String,
}

/// What changed from `old` to `new`, step by step, in words: flow name, description, type
/// and start; steps added and removed; within a kept step its type or executor, components
/// added, removed, changed (field by field) and moved, and where its buttons and outcomes lead.
/// Ordered by the new definition's step order, removed steps where they were.
pub fn diff(old: &FlowDefinition, new: &FlowDefinition) -> Vec<Change> {
    let mut out = Changes::default();
    if old.flow_type != new.flow_type {
        out.changed(format!(
            "Flow type changed from {} to {}.",
            old.flow_type, new.flow_type
        ));
    }
    for (what, before, after) in [
        ("Name", &old.name, &new.name),
        ("Description", &old.description, &new.description),
        ("Start step", &old.start, &new.start),
    ] {
        if before != after {
            out.changed(format!("{what} changed from '{before}' to '{after}'."));
        }
    }
    let old_ids: Vec<&str> = old.steps.iter().map(|s| s.id.as_str()).collect();
    let new_ids: Vec<&str> = new.steps.iter().map(|s| s.id.as_str()).collect();
    for pair in pair_up(&old_ids, &new_ids) {
        match pair {
            Pair::Added(n) => out.step_alone(ChangeKind::Added, &new.steps[n], "added"),
            Pair::Removed(o) => out.step_alone(ChangeKind::Removed, &old.steps[o], "removed"),
            Pair::Both(o, n) => {
                out.step = Some(new.steps[n].id.clone());
                step_changes(&mut out, &old.steps[o], &new.steps[n]);
            }
        }
    }
    out.list
}

#[derive(Default)]
struct Changes {
    step: Option<String>,
    list: Vec<Change>,
}

impl Changes {
    fn push(&mut self, kind: ChangeKind, text: String) {
        self.list.push(Change {
            step: self.step.clone(),
            kind,
            text,
        });
    }

    fn changed(&mut self, text: String) {
        self.push(ChangeKind::Changed, text);
    }

    /// A step only one side has, `verb` (added or removed), with what kind of step it is.
    fn step_alone(&mut self, kind: ChangeKind, s: &Step, verb: &str) {
        self.step = Some(s.id.clone());
        let text = format!("Step '{}' {verb} ({}).", s.id, kind_words(s));
        self.push(kind, text);
    }
}

/// How two lists of keyed items line up: kept, added or removed, in the new order with
/// removed items where they stood in the old one. A repeated key pairs with its first
/// unpaired namesake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pair {
    Both(usize, usize),
    Added(usize),
    Removed(usize),
}

fn pair_up(old: &[&str], new: &[&str]) -> Vec<Pair> {
    let mut old_paired = vec![false; old.len()];
    let mut new_match = vec![None; new.len()];
    for (n, key) in new.iter().enumerate() {
        if let Some(o) = (0..old.len()).find(|&o| !old_paired[o] && old[o] == *key) {
            old_paired[o] = true;
            new_match[n] = Some(o);
        }
    }
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    let mut next_old = 0;
    for (n, matched) in new_match.iter().enumerate() {
        // Old items gone from before the next kept one come first, so that a replacement
        // reads "removed, added".
        let upto = new_match[n..]
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(old.len());
        while next_old < upto {
            if !old_paired[next_old] {
                out.push(Pair::Removed(next_old));
            }
            next_old += 1;
        }
        match *matched {
            Some(o) => {
                next_old = next_old.max(o + 1);
                out.push(Pair::Both(o, n));
            }
            None => out.push(Pair::Added(n)),
        }
    }
    out.extend(
        (next_old..old.len())
            .filter(|&o| !old_paired[o])
            .map(Pair::Removed),
    );
    out
}

/// Branches compared by position: a branch is its place in the order, since the first that
/// holds wins.
fn branch_changes(
    out: &mut Changes,
    (old, old_otherwise): (&[super::rule::Branch], &str),
    (new, new_otherwise): (&[super::rule::Branch], &str),
) {
    for i in 0..old.len().max(new.len()) {
        let n = i + 1;
        match (old.get(i), new.get(i)) {
            (Some(was), Some(now)) => {
                if was.when != now.when {
                    out.changed(format!(
                        "Branch {n} now asks \"{}\" (was \"{}\").",
                        now.when.summary(),
                        was.when.summary()
                    ));
                }
                if was.next != now.next {
                    out.changed(format!(
                        "Branch {n} now leads to '{}' (was '{}').",
                        now.next, was.next
                    ));
                }
            }
            (None, Some(now)) => out.push(
                ChangeKind::Added,
                format!(
                    "Branch {n} added: \"{}\" leads to '{}'.",
                    now.when.summary(),
                    now.next
                ),
            ),
            (Some(was), None) => out.push(
                ChangeKind::Removed,
                format!(
                    "Branch {n} removed (\"{}\" led to '{}').",
                    was.when.summary(),
                    was.next
                ),
            ),
            (None, None) => {}
        }
    }
    if old_otherwise != new_otherwise {
        out.changed(format!(
            "'Otherwise' now leads to '{new_otherwise}' (was '{old_otherwise}')."
        ));
    }
}

fn kind_words(step: &Step) -> String {
    match &step.kind {
        StepKind::View { .. } => "view".into(),
        StepKind::Task { executor, .. } => format!("task {executor:?}"),
        StepKind::Rule { .. } => "decision".into(),
        StepKind::End { .. } => "end".into(),
    }
}

fn kind_phrase(step: &Step) -> String {
    match &step.kind {
        StepKind::View { .. } => "a view".into(),
        StepKind::Task { executor, .. } => format!("a task ({executor:?})"),
        StepKind::Rule { .. } => "a decision".into(),
        StepKind::End { .. } => "an end".into(),
    }
}

fn step_changes(out: &mut Changes, old: &Step, new: &Step) {
    let same_kind = std::mem::discriminant(&old.kind) == std::mem::discriminant(&new.kind);
    if !same_kind {
        out.changed(format!(
            "Step '{}' is now {} (was {}).",
            new.id,
            kind_phrase(new),
            kind_phrase(old)
        ));
    }
    match (&old.kind, &new.kind) {
        (
            StepKind::Task {
                executor: old_executor,
                next: old_next,
                extension: old_extension,
            },
            StepKind::Task {
                executor: new_executor,
                next: new_next,
                extension: new_extension,
            },
        ) => {
            if old_extension != new_extension {
                out.changed(format!(
                    "Calls extension '{}' (was '{}').",
                    new_extension.as_deref().unwrap_or("none"),
                    old_extension.as_deref().unwrap_or("none")
                ));
            }
            if old_executor != new_executor {
                out.changed(format!(
                    "Executor changed from {old_executor:?} to {new_executor:?}."
                ));
            }
            let outcomes: BTreeSet<&String> = old_next.keys().chain(new_next.keys()).collect();
            for outcome in outcomes {
                match (old_next.get(outcome), new_next.get(outcome)) {
                    (Some(was), Some(now)) if was != now => out.changed(format!(
                        "Outcome '{outcome}' now leads to '{now}' (was '{was}')."
                    )),
                    (None, Some(now)) => out.push(
                        ChangeKind::Added,
                        format!("Outcome '{outcome}' added, leading to '{now}'."),
                    ),
                    (Some(was), None) => out.push(
                        ChangeKind::Removed,
                        format!("Outcome '{outcome}' removed (it led to '{was}')."),
                    ),
                    _ => {}
                }
            }
        }
        (
            StepKind::Rule {
                branches: old_branches,
                otherwise: old_otherwise,
            },
            StepKind::Rule {
                branches: new_branches,
                otherwise: new_otherwise,
            },
        ) => branch_changes(
            out,
            (old_branches, old_otherwise),
            (new_branches, new_otherwise),
        ),
        (StepKind::Task { .. } | StepKind::Rule { .. }, _)
        | (_, StepKind::Task { .. } | StepKind::Rule { .. }) => {}
        _ => component_changes(out, old.components(), new.components()),
    }
    if let (
        StepKind::View {
            actions: old_actions,
            ..
        },
        StepKind::View {
            actions: new_actions,
            ..
        },
    ) = (&old.kind, &new.kind)
    {
        let old_refs: Vec<&str> = old_actions.iter().map(|a| a.button.as_str()).collect();
        let new_refs: Vec<&str> = new_actions.iter().map(|a| a.button.as_str()).collect();
        for pair in pair_up(&old_refs, &new_refs) {
            match pair {
                Pair::Both(o, n) => {
                    let (was, now) = (&old_actions[o], &new_actions[n]);
                    if was.next != now.next {
                        out.changed(format!(
                            "Button '{}' now leads to '{}' (was '{}').",
                            now.button, now.next, was.next
                        ));
                    }
                }
                Pair::Added(n) => {
                    let a = &new_actions[n];
                    out.push(
                        ChangeKind::Added,
                        format!("Action added: button '{}' leads to '{}'.", a.button, a.next),
                    );
                }
                Pair::Removed(o) => {
                    let a = &old_actions[o];
                    out.push(
                        ChangeKind::Removed,
                        format!(
                            "Action removed: button '{}' no longer leads to '{}'.",
                            a.button, a.next
                        ),
                    );
                }
            }
        }
    }
}

/// A component with where it sits: its parent form (if any) and its place among siblings.
struct Placed<'a> {
    component: &'a Component,
    parent: Option<&'a str>,
}

fn place<'a>(components: &'a [Component], parent: Option<&'a str>, out: &mut Vec<Placed<'a>>) {
    for c in components {
        out.push(Placed {
            component: c,
            parent,
        });
        place(&c.components, Some(&c.id), out);
    }
}

fn component_changes(out: &mut Changes, old: &[Component], new: &[Component]) {
    let (mut old_placed, mut new_placed) = (Vec::new(), Vec::new());
    place(old, None, &mut old_placed);
    place(new, None, &mut new_placed);
    let old_ids: Vec<&str> = old_placed.iter().map(|p| p.component.id.as_str()).collect();
    let new_ids: Vec<&str> = new_placed.iter().map(|p| p.component.id.as_str()).collect();
    let pairs = pair_up(&old_ids, &new_ids);
    let moved = reordered(&pairs, &old_placed, &new_placed);
    for pair in pairs {
        match pair {
            Pair::Added(n) => {
                let c = new_placed[n].component;
                out.push(
                    ChangeKind::Added,
                    format!("{} '{}' added.", noun(c.kind), c.id),
                );
            }
            Pair::Removed(o) => {
                let c = old_placed[o].component;
                out.push(
                    ChangeKind::Removed,
                    format!("{} '{}' removed.", noun(c.kind), c.id),
                );
            }
            Pair::Both(o, n) => {
                let (was, now) = (&old_placed[o], &new_placed[n]);
                one_component(out, was.component, now.component);
                let id = &now.component.id;
                let relocated = match (was.parent, now.parent) {
                    (from, to) if from == to => None,
                    (Some(from), Some(to)) => {
                        Some(format!("'{id}' moved from '{from}' into '{to}'."))
                    }
                    (None, Some(to)) => Some(format!("'{id}' moved into '{to}'.")),
                    (Some(from), None) => Some(format!("'{id}' moved out of '{from}'.")),
                    (None, None) => None,
                };
                if let Some(text) = relocated {
                    out.changed(text);
                } else if moved.contains(&n) {
                    let before = new_placed[..n]
                        .iter()
                        .rev()
                        .find(|p| p.parent == now.parent)
                        .map(|p| p.component.id.as_str());
                    out.changed(match before {
                        Some(before) => {
                            format!("'{}' moved, now after '{before}'.", now.component.id)
                        }
                        None => format!("'{}' moved, now first.", now.component.id),
                    });
                }
            }
        }
    }
}

/// New positions of kept components whose order among their kept siblings changed: those
/// outside a longest common subsequence of the old and new sibling orders, so that one
/// component moved is one move, not a shift of everything after it.
fn reordered(pairs: &[Pair], old: &[Placed], new: &[Placed]) -> BTreeSet<usize> {
    let kept: Vec<(usize, usize)> = pairs
        .iter()
        .filter_map(|p| match *p {
            Pair::Both(o, n) if old[o].parent == new[n].parent => Some((o, n)),
            _ => None,
        })
        .collect();
    let parents: BTreeSet<Option<&str>> = kept.iter().map(|&(_, n)| new[n].parent).collect();
    let mut moved = BTreeSet::new();
    for parent in parents {
        // In new order, with each one's old position.
        let siblings: Vec<(usize, usize)> = kept
            .iter()
            .copied()
            .filter(|&(_, n)| new[n].parent == parent)
            .collect();
        let in_order = longest_increasing(&siblings.iter().map(|&(o, _)| o).collect::<Vec<_>>());
        for (i, &(_, n)) in siblings.iter().enumerate() {
            if !in_order.contains(&i) {
                moved.insert(n);
            }
        }
    }
    moved
}

/// Indices of a longest strictly increasing subsequence of `values` (quadratic: a view has
/// a handful of components).
fn longest_increasing(values: &[usize]) -> BTreeSet<usize> {
    let mut length = vec![1usize; values.len()];
    let mut previous = vec![None; values.len()];
    for i in 0..values.len() {
        for j in 0..i {
            if values[j] < values[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = Some(j);
            }
        }
    }
    let mut out = BTreeSet::new();
    let mut at = (0..values.len()).max_by_key(|&i| (length[i], std::cmp::Reverse(i)));
    while let Some(i) = at {
        out.insert(i);
        at = previous[i];
    }
    out
}

fn noun(kind: ComponentType) -> &'static str {
    match kind {
        ComponentType::Form => "Form",
        ComponentType::Input => "Input",
        ComponentType::Button => "Button",
        ComponentType::Typography => "Text",
        ComponentType::RichText => "Rich text",
        ComponentType::Divider => "Divider",
        ComponentType::Image => "Image",
    }
}

fn lower_noun_with_article(kind: ComponentType) -> &'static str {
    match kind {
        ComponentType::Form => "a form",
        ComponentType::Input => "an input",
        ComponentType::Button => "a button",
        ComponentType::Typography => "a text",
        ComponentType::RichText => "a rich text",
        ComponentType::Divider => "a divider",
        ComponentType::Image => "an image",
    }
}

fn variant_name(v: Option<Variant>) -> String {
    v.and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "none".into())
}

fn describe_validation(v: &Validation) -> String {
    match v {
        Validation::MinLength { value } => format!("MIN_LENGTH {value}"),
        Validation::MaxLength { value } => format!("MAX_LENGTH {value}"),
        Validation::Regex { pattern, .. } => format!("REGEX {pattern}"),
        Validation::PasswordPolicy => "PASSWORD_POLICY".into(),
    }
}

fn describe_options(options: &[SelectOption]) -> String {
    options
        .iter()
        .map(|o| format!("{}: {}", o.value, o.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Label of 'email' changed from 'E-mail' to 'Work e-mail'." and its set/removed forms.
fn text_field(out: &mut Changes, field: &str, id: &str, old: Option<&str>, new: Option<&str>) {
    match (old, new) {
        (Some(was), Some(now)) if was != now => out.changed(format!(
            "{field} of '{id}' changed from '{was}' to '{now}'."
        )),
        (None, Some(now)) => out.changed(format!("{field} of '{id}' set to '{now}'.")),
        (Some(was), None) => out.changed(format!("{field} of '{id}' removed (was '{was}').")),
        _ => {}
    }
}

fn one_component(out: &mut Changes, old: &Component, new: &Component) {
    let id = new.id.as_str();
    if old.kind != new.kind {
        out.changed(format!(
            "'{id}' is now {} (was {}).",
            lower_noun_with_article(new.kind),
            lower_noun_with_article(old.kind)
        ));
    }
    if old.variant != new.variant {
        out.changed(format!(
            "Variant of '{id}' changed from {} to {}.",
            variant_name(old.variant),
            variant_name(new.variant)
        ));
    }
    let (was, now) = (&old.config, &new.config);
    let fields: [(&str, &Option<String>, &Option<String>); 9] = [
        ("Attribute", &was.identifier, &now.identifier),
        ("Label", &was.label, &now.label),
        ("Placeholder", &was.placeholder, &now.placeholder),
        ("Hint", &was.hint, &now.hint),
        ("Default value", &was.default_value, &now.default_value),
        ("Text", &was.text, &now.text),
        ("Image source", &was.src, &now.src),
        ("Alternative text", &was.alt, &now.alt),
        ("Button type", &was.button_type, &now.button_type),
    ];
    for (field, o, n) in fields {
        text_field(out, field, id, o.as_deref(), n.as_deref());
    }
    if was.required != now.required {
        out.changed(if now.required {
            format!("'{id}' is now required.")
        } else {
            format!("'{id}' is no longer required.")
        });
    }
    let length = |l: Option<u8>| l.map(|l| l.to_string());
    text_field(
        out,
        "Length",
        id,
        length(was.length).as_deref(),
        length(now.length).as_deref(),
    );
    if was.options != now.options {
        out.changed(format!(
            "Options of '{id}' changed from '{}' to '{}'.",
            describe_options(&was.options),
            describe_options(&now.options)
        ));
    }
    if was.validations != now.validations {
        let list = |v: &[Validation]| {
            if v.is_empty() {
                "none".to_owned()
            } else {
                v.iter()
                    .map(describe_validation)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        out.changed(format!(
            "Validations of '{id}' changed from {} to {}.",
            list(&was.validations),
            list(&now.validations)
        ));
    }
    text_field(
        out,
        "Action id",
        id,
        old.action_id.as_deref(),
        new.action_id.as_deref(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::starter;
    use crate::engine::{Action, ExecutorName, widgets};

    fn registration() -> FlowDefinition {
        starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap()
    }

    fn texts(changes: &[Change]) -> Vec<&str> {
        changes.iter().map(|c| c.text.as_str()).collect()
    }

    fn step_mut<'a>(def: &'a mut FlowDefinition, id: &str) -> &'a mut Step {
        def.steps.iter_mut().find(|s| s.id == id).unwrap()
    }

    /// The details page's form children.
    fn details_form(def: &mut FlowDefinition) -> &mut Vec<Component> {
        let StepKind::View { components, .. } = &mut step_mut(def, "details").kind else {
            panic!()
        };
        &mut components
            .iter_mut()
            .find(|c| c.id == "details_form")
            .unwrap()
            .components
    }

    #[test]
    fn identical_definitions_have_no_changes() {
        assert_eq!(diff(&registration(), &registration()), vec![]);
        for t in starter::all() {
            let def = t.definition().unwrap();
            assert_eq!(diff(&def, &def), vec![], "{}", t.id);
        }
    }

    #[test]
    fn flow_name_description_and_start() {
        let old = registration();
        let mut new = old.clone();
        new.name = "Sign up".into();
        new.start = "send_code".into();
        let changes = diff(&old, &new);
        assert_eq!(
            changes,
            vec![
                Change {
                    step: None,
                    kind: ChangeKind::Changed,
                    text: format!("Name changed from '{}' to 'Sign up'.", old.name),
                },
                Change {
                    step: None,
                    kind: ChangeKind::Changed,
                    text: "Start step changed from 'details' to 'send_code'.".into(),
                },
            ]
        );
    }

    #[test]
    fn steps_added_and_removed_in_place() {
        let old = registration();
        let mut new = old.clone();
        // set_password goes; a terms page comes in after the details page.
        new.steps.retain(|s| s.id != "set_password");
        let terms = Step {
            id: "terms".into(),
            kind: StepKind::View {
                components: vec![],
                actions: vec![],
            },
        };
        new.steps.insert(1, terms);
        let changes = diff(&old, &new);
        assert_eq!(
            changes
                .iter()
                .map(|c| (c.step.as_deref(), c.kind, c.text.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (
                    Some("set_password"),
                    ChangeKind::Removed,
                    "Step 'set_password' removed (task PasswordOnboarding)."
                ),
                (
                    Some("terms"),
                    ChangeKind::Added,
                    "Step 'terms' added (view)."
                )
            ]
        );

        // A step removed from the end still shows, last.
        let mut new = old.clone();
        new.steps.pop();
        let changes = diff(&old, &new);
        assert_eq!(texts(&changes), vec!["Step 'done' removed (end)."]);
    }

    #[test]
    fn step_type_and_executor() {
        let old = registration();
        let mut new = old.clone();
        if let StepKind::Task { executor, .. } = &mut step_mut(&mut new, "send_code").kind {
            *executor = ExecutorName::MagicLinkSend;
        }
        step_mut(&mut new, "check_code").kind = StepKind::End { components: vec![] };
        let changes = diff(&old, &new);
        assert_eq!(
            texts(&changes),
            vec![
                "Executor changed from EmailOtpSend to MagicLinkSend.",
                "Step 'check_code' is now an end (was a task (EmailOtpVerify)).",
            ]
        );
        assert_eq!(changes[0].step.as_deref(), Some("send_code"));
    }

    #[test]
    fn components_added_removed_and_changed() {
        let old = registration();
        let mut new = old.clone();
        let form = details_form(&mut new);
        form.retain(|c| c.id != "family_name");
        let email = form.iter_mut().find(|c| c.id == "email").unwrap();
        email.config.label = Some("Work e-mail".into());
        email.config.hint = None;
        email.config.placeholder = Some("you@example.com".into());
        email.variant = Some(Variant::Text);
        let terms = form.iter_mut().find(|c| c.id == "terms").unwrap();
        terms.config.required = false;
        let given = form.iter_mut().find(|c| c.id == "given_name").unwrap();
        given.config.validations = vec![Validation::MinLength { value: 2 }];
        let mut phone = given.clone();
        phone.id = "phone".into();
        phone.config.validations.clear();
        form.insert(1, phone);
        let changes = diff(&old, &new);
        assert_eq!(
            texts(&changes),
            vec![
                "Validations of 'given_name' changed from MAX_LENGTH 100 to MIN_LENGTH 2.",
                "Input 'family_name' removed.",
                "Input 'phone' added.",
                "Variant of 'email' changed from EMAIL to TEXT.",
                "Label of 'email' changed from '{{t(field.email)}}' to 'Work e-mail'.",
                "Placeholder of 'email' set to 'you@example.com'.",
                "Hint of 'email' removed (was '{{t(field.email.hint)}}').",
                "'terms' is no longer required.",
            ]
        );
        assert!(changes.iter().all(|c| c.step.as_deref() == Some("details")));
        assert_eq!(changes[1].kind, ChangeKind::Removed);
        assert_eq!(changes[2].kind, ChangeKind::Added);
    }

    #[test]
    fn components_moved() {
        let old = registration();
        let mut new = old.clone();
        let form = details_form(&mut new);
        let terms = form.remove(4);
        assert_eq!(terms.id, "terms");
        form.insert(0, terms);
        assert_eq!(texts(&diff(&old, &new)), vec!["'terms' moved, now first."]);

        let mut new = old.clone();
        let form = details_form(&mut new);
        let given = form.remove(0);
        form.insert(2, given);
        assert_eq!(
            texts(&diff(&old, &new)),
            vec!["'given_name' moved, now after 'email'."]
        );

        // Out of the form, onto the page.
        let mut new = old.clone();
        let button = details_form(&mut new).pop().unwrap();
        let StepKind::View { components, .. } = &mut step_mut(&mut new, "details").kind else {
            panic!()
        };
        components.push(button);
        assert_eq!(
            texts(&diff(&old, &new)),
            vec!["'continue' moved out of 'details_form'."]
        );
    }

    #[test]
    fn buttons_and_outcomes_lead_elsewhere() {
        let old = registration();
        let mut new = old.clone();
        let StepKind::View { actions, .. } = &mut step_mut(&mut new, "details").kind else {
            panic!()
        };
        actions[0].next = "terms".into();
        let StepKind::View { actions, .. } = &mut step_mut(&mut new, "enter_code").kind else {
            panic!()
        };
        actions.retain(|a| a.button != "resend");
        actions.push(Action {
            button: "back".into(),
            next: "details".into(),
        });
        let StepKind::Task { next, .. } = &mut step_mut(&mut new, "check_code").kind else {
            panic!()
        };
        next.insert("success".into(), "done".into());
        next.insert("verified".into(), "provision".into());
        let StepKind::Task { next, .. } = &mut step_mut(&mut new, "provision").kind else {
            panic!()
        };
        next.clear();
        let changes = diff(&old, &new);
        assert_eq!(
            changes
                .iter()
                .map(|c| (c.step.as_deref().unwrap(), c.kind, c.text.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (
                    "details",
                    ChangeKind::Changed,
                    "Button 'continue' now leads to 'terms' (was 'set_password')."
                ),
                (
                    "enter_code",
                    ChangeKind::Removed,
                    "Action removed: button 'resend' no longer leads to 'send_code'."
                ),
                (
                    "enter_code",
                    ChangeKind::Added,
                    "Action added: button 'back' leads to 'details'."
                ),
                (
                    "check_code",
                    ChangeKind::Changed,
                    "Outcome 'success' now leads to 'done' (was 'provision')."
                ),
                (
                    "check_code",
                    ChangeKind::Added,
                    "Outcome 'verified' added, leading to 'provision'."
                ),
                (
                    "provision",
                    ChangeKind::Removed,
                    "Outcome 'success' removed (it led to 'done')."
                ),
            ]
        );
    }

    #[test]
    fn a_widget_insertion_reads_as_one_step_and_one_edge() {
        let old = registration();
        let mut new = old.clone();
        let edge = widgets::EdgeRef::Outcome {
            step: "check_code".into(),
            outcome: "success".into(),
        };
        let terms = widgets::by_id("terms").unwrap();
        widgets::insert(&mut new, terms, &edge).unwrap();
        assert_eq!(
            texts(&diff(&old, &new)),
            vec![
                "Outcome 'success' now leads to 'terms' (was 'provision').",
                "Step 'terms' added (view).",
            ]
        );
    }

    #[test]
    fn pairing_keeps_removed_items_where_they_were() {
        use Pair::*;
        assert_eq!(
            pair_up(&["a", "b", "c", "d"], &["a", "x", "c", "b"]),
            vec![Both(0, 0), Added(1), Both(2, 2), Both(1, 3), Removed(3)]
        );
        assert_eq!(
            pair_up(&["a", "b"], &["a", "c"]),
            vec![Both(0, 0), Removed(1), Added(1)]
        );
        assert_eq!(longest_increasing(&[2, 0, 1, 3]), BTreeSet::from([1, 2, 3]));
    }
}
