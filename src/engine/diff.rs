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
                connection: old_connection,
            },
            StepKind::Task {
                executor: new_executor,
                next: new_next,
                extension: new_extension,
                connection: new_connection,
            },
        ) => {
            if old_connection != new_connection {
                out.changed(format!(
                    "Signs up through connection '{}' (was '{}').",
                    new_connection.as_deref().unwrap_or("none"),
                    old_connection.as_deref().unwrap_or("none")
                ));
            }
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
mod tests;
