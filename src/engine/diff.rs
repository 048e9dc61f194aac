//! What changed between two versions of a flow, in words an administrator reads before
//! publishing: a JSON diff would show braces moving, not that a button now leads elsewhere.

use super::graph::{FlowDefinition, Step, StepKind};
use super::view::{Component, ComponentType, SelectOption, Validation, Variant};
use crate::i18n::Said;
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
    /// The sentence, worded in the reader's language (the console's) or in English.
    pub text: Said,
}

/// What changed from `old` to `new`, step by step, in words: flow name, description, type
/// and start; steps added and removed; within a kept step its type or executor, components
/// added, removed, changed (field by field) and moved, and where its buttons and outcomes lead.
/// Ordered by the new definition's step order, removed steps where they were.
pub fn diff(old: &FlowDefinition, new: &FlowDefinition) -> Vec<Change> {
    let mut out = Changes::default();
    if old.flow_type != new.flow_type {
        out.changed(
            Said::new("ui.change.flow_type")
                .with("from", old.flow_type)
                .with("to", new.flow_type),
        );
    }
    for (key, before, after) in [
        ("ui.change.name", &old.name, &new.name),
        ("ui.change.description", &old.description, &new.description),
        ("ui.change.start", &old.start, &new.start),
    ] {
        if before != after {
            out.changed(Said::new(key).with("from", before).with("to", after));
        }
    }
    let old_ids: Vec<&str> = old.steps.iter().map(|s| s.id.as_str()).collect();
    let new_ids: Vec<&str> = new.steps.iter().map(|s| s.id.as_str()).collect();
    for pair in pair_up(&old_ids, &new_ids) {
        match pair {
            Pair::Added(n) => out.step_alone(ChangeKind::Added, &new.steps[n]),
            Pair::Removed(o) => out.step_alone(ChangeKind::Removed, &old.steps[o]),
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
    fn push(&mut self, kind: ChangeKind, text: Said) {
        self.list.push(Change {
            step: self.step.clone(),
            kind,
            text,
        });
    }

    fn changed(&mut self, text: Said) {
        self.push(ChangeKind::Changed, text);
    }

    /// A step only one side has (added or removed), with what kind of step it is.
    fn step_alone(&mut self, kind: ChangeKind, s: &Step) {
        self.step = Some(s.id.clone());
        let key = if kind == ChangeKind::Added {
            "ui.change.step_added"
        } else {
            "ui.change.step_removed"
        };
        let text = Said::new(key)
            .with("step", &s.id)
            .with_said("kind", kind_words(s));
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
                    out.changed(
                        Said::new("ui.change.branch_asks")
                            .with("n", n)
                            .with("now", now.when.summary())
                            .with("was", was.when.summary()),
                    );
                }
                if was.next != now.next {
                    out.changed(
                        Said::new("ui.change.branch_leads")
                            .with("n", n)
                            .with("now", &now.next)
                            .with("was", &was.next),
                    );
                }
            }
            (None, Some(now)) => out.push(
                ChangeKind::Added,
                Said::new("ui.change.branch_added")
                    .with("n", n)
                    .with("when", now.when.summary())
                    .with("next", &now.next),
            ),
            (Some(was), None) => out.push(
                ChangeKind::Removed,
                Said::new("ui.change.branch_removed")
                    .with("n", n)
                    .with("when", was.when.summary())
                    .with("next", &was.next),
            ),
            (None, None) => {}
        }
    }
    if old_otherwise != new_otherwise {
        out.changed(
            Said::new("ui.change.otherwise_leads")
                .with("now", new_otherwise)
                .with("was", old_otherwise),
        );
    }
}

/// What kind of step it is, as "view" or "task EmailOtpSend".
fn kind_words(step: &Step) -> Said {
    match &step.kind {
        StepKind::View { .. } => Said::new("ui.change.kind.view"),
        StepKind::Task { executor, .. } => {
            Said::new("ui.change.kind.task").with("executor", format!("{executor:?}"))
        }
        StepKind::Rule { .. } => Said::new("ui.change.kind.decision"),
        StepKind::End { .. } => Said::new("ui.change.kind.end"),
    }
}

/// What kind of step it is, as "a view" or "a task (EmailOtpSend)".
fn kind_phrase(step: &Step) -> Said {
    match &step.kind {
        StepKind::View { .. } => Said::new("ui.change.a_kind.view"),
        StepKind::Task { executor, .. } => {
            Said::new("ui.change.a_kind.task").with("executor", format!("{executor:?}"))
        }
        StepKind::Rule { .. } => Said::new("ui.change.a_kind.decision"),
        StepKind::End { .. } => Said::new("ui.change.a_kind.end"),
    }
}

/// `value` as `{ $name }`, or the word for none when there is no value.
fn or_none(said: Said, name: &'static str, value: Option<&str>) -> Said {
    match value {
        Some(value) => said.with(name, value),
        None => said.with_said(name, Said::new("ui.change.none")),
    }
}

fn step_changes(out: &mut Changes, old: &Step, new: &Step) {
    let same_kind = std::mem::discriminant(&old.kind) == std::mem::discriminant(&new.kind);
    if !same_kind {
        out.changed(
            Said::new("ui.change.step_kind")
                .with("step", &new.id)
                .with_said("now", kind_phrase(new))
                .with_said("was", kind_phrase(old)),
        );
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
                let said = Said::new("ui.change.connection");
                let said = or_none(said, "now", new_connection.as_deref());
                out.changed(or_none(said, "was", old_connection.as_deref()));
            }
            if old_extension != new_extension {
                let said = Said::new("ui.change.extension");
                let said = or_none(said, "now", new_extension.as_deref());
                out.changed(or_none(said, "was", old_extension.as_deref()));
            }
            if old_executor != new_executor {
                out.changed(
                    Said::new("ui.change.executor")
                        .with("from", format!("{old_executor:?}"))
                        .with("to", format!("{new_executor:?}")),
                );
            }
            let outcomes: BTreeSet<&String> = old_next.keys().chain(new_next.keys()).collect();
            for outcome in outcomes {
                match (old_next.get(outcome), new_next.get(outcome)) {
                    (Some(was), Some(now)) if was != now => out.changed(
                        Said::new("ui.change.outcome_leads")
                            .with("outcome", outcome)
                            .with("now", now)
                            .with("was", was),
                    ),
                    (None, Some(now)) => out.push(
                        ChangeKind::Added,
                        Said::new("ui.change.outcome_added")
                            .with("outcome", outcome)
                            .with("next", now),
                    ),
                    (Some(was), None) => out.push(
                        ChangeKind::Removed,
                        Said::new("ui.change.outcome_removed")
                            .with("outcome", outcome)
                            .with("next", was),
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
                        out.changed(
                            Said::new("ui.change.button_leads")
                                .with("button", &now.button)
                                .with("now", &now.next)
                                .with("was", &was.next),
                        );
                    }
                }
                Pair::Added(n) => {
                    let a = &new_actions[n];
                    out.push(
                        ChangeKind::Added,
                        Said::new("ui.change.action_added")
                            .with("button", &a.button)
                            .with("next", &a.next),
                    );
                }
                Pair::Removed(o) => {
                    let a = &old_actions[o];
                    out.push(
                        ChangeKind::Removed,
                        Said::new("ui.change.action_removed")
                            .with("button", &a.button)
                            .with("next", &a.next),
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
                    Said::new("ui.change.component_added")
                        .with_said("noun", noun(c.kind))
                        .with("id", &c.id),
                );
            }
            Pair::Removed(o) => {
                let c = old_placed[o].component;
                out.push(
                    ChangeKind::Removed,
                    Said::new("ui.change.component_removed")
                        .with_said("noun", noun(c.kind))
                        .with("id", &c.id),
                );
            }
            Pair::Both(o, n) => {
                let (was, now) = (&old_placed[o], &new_placed[n]);
                one_component(out, was.component, now.component);
                let id = &now.component.id;
                let relocated = match (was.parent, now.parent) {
                    (from, to) if from == to => None,
                    (Some(from), Some(to)) => Some(
                        Said::new("ui.change.moved_from_into")
                            .with("id", id)
                            .with("from", from)
                            .with("to", to),
                    ),
                    (None, Some(to)) => Some(
                        Said::new("ui.change.moved_into")
                            .with("id", id)
                            .with("to", to),
                    ),
                    (Some(from), None) => Some(
                        Said::new("ui.change.moved_out_of")
                            .with("id", id)
                            .with("from", from),
                    ),
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
                        Some(before) => Said::new("ui.change.moved_after")
                            .with("id", id)
                            .with("before", before),
                        None => Said::new("ui.change.moved_first").with("id", id),
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

/// A component's kind, as the start of a sentence ("Input").
fn noun(kind: ComponentType) -> Said {
    Said::new(match kind {
        ComponentType::Form => "ui.change.noun.form",
        ComponentType::Input => "ui.change.noun.input",
        ComponentType::Button => "ui.change.noun.button",
        ComponentType::Typography => "ui.change.noun.text",
        ComponentType::RichText => "ui.change.noun.rich_text",
        ComponentType::Divider => "ui.change.noun.divider",
        ComponentType::Image => "ui.change.noun.image",
    })
}

/// A component's kind with its article, within a sentence ("an input").
fn lower_noun_with_article(kind: ComponentType) -> Said {
    Said::new(match kind {
        ComponentType::Form => "ui.change.a_noun.form",
        ComponentType::Input => "ui.change.a_noun.input",
        ComponentType::Button => "ui.change.a_noun.button",
        ComponentType::Typography => "ui.change.a_noun.text",
        ComponentType::RichText => "ui.change.a_noun.rich_text",
        ComponentType::Divider => "ui.change.a_noun.divider",
        ComponentType::Image => "ui.change.a_noun.image",
    })
}

fn variant_name(v: Option<Variant>) -> Option<String> {
    v.and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_owned))
}

fn describe_validation(v: &Validation) -> Said {
    match v {
        Validation::MinLength { value } => {
            Said::new("ui.change.validation.min_length").with("value", value)
        }
        Validation::MaxLength { value } => {
            Said::new("ui.change.validation.max_length").with("value", value)
        }
        Validation::Regex { pattern, .. } => {
            Said::new("ui.change.validation.regex").with("pattern", pattern)
        }
        Validation::PasswordPolicy => Said::new("ui.change.validation.password_policy"),
    }
}

/// Items one after the other, "a, b, c"; `empty` when there are none.
fn listed(items: impl DoubleEndedIterator<Item = Said>, empty: Said) -> Said {
    items
        .rev()
        .reduce(|rest, first| {
            Said::new("ui.change.list")
                .with_said("first", first)
                .with_said("rest", rest)
        })
        .unwrap_or(empty)
}

fn describe_options(options: &[SelectOption]) -> Said {
    listed(
        options.iter().map(|o| {
            Said::new("ui.change.option")
                .with("value", &o.value)
                .with("label", &o.label)
        }),
        Said::new("ui.change.no_option"),
    )
}

/// "Label of 'email' changed from 'E-mail' to 'Work e-mail'." and its set/removed forms;
/// `field` is the key of the field's name.
fn text_field(
    out: &mut Changes,
    field: &'static str,
    id: &str,
    old: Option<&str>,
    new: Option<&str>,
) {
    let said = |key| {
        Said::new(key)
            .with_said("field", Said::new(field))
            .with("id", id)
    };
    match (old, new) {
        (Some(was), Some(now)) if was != now => out.changed(
            said("ui.change.field_changed")
                .with("was", was)
                .with("now", now),
        ),
        (None, Some(now)) => out.changed(said("ui.change.field_set").with("now", now)),
        (Some(was), None) => out.changed(said("ui.change.field_removed").with("was", was)),
        _ => {}
    }
}

fn one_component(out: &mut Changes, old: &Component, new: &Component) {
    let id = new.id.as_str();
    if old.kind != new.kind {
        out.changed(
            Said::new("ui.change.component_kind")
                .with("id", id)
                .with_said("now", lower_noun_with_article(new.kind))
                .with_said("was", lower_noun_with_article(old.kind)),
        );
    }
    if old.variant != new.variant {
        let said = Said::new("ui.change.variant").with("id", id);
        let said = or_none(said, "from", variant_name(old.variant).as_deref());
        out.changed(or_none(said, "to", variant_name(new.variant).as_deref()));
    }
    let (was, now) = (&old.config, &new.config);
    let fields: [(&'static str, &Option<String>, &Option<String>); 9] = [
        (
            "ui.change.field.attribute",
            &was.identifier,
            &now.identifier,
        ),
        ("ui.change.field.label", &was.label, &now.label),
        (
            "ui.change.field.placeholder",
            &was.placeholder,
            &now.placeholder,
        ),
        ("ui.change.field.hint", &was.hint, &now.hint),
        (
            "ui.change.field.default_value",
            &was.default_value,
            &now.default_value,
        ),
        ("ui.change.field.text", &was.text, &now.text),
        ("ui.change.field.src", &was.src, &now.src),
        ("ui.change.field.alt", &was.alt, &now.alt),
        (
            "ui.change.field.button_type",
            &was.button_type,
            &now.button_type,
        ),
    ];
    for (field, o, n) in fields {
        text_field(out, field, id, o.as_deref(), n.as_deref());
    }
    if was.required != now.required {
        out.changed(if now.required {
            Said::new("ui.change.required").with("id", id)
        } else {
            Said::new("ui.change.not_required").with("id", id)
        });
    }
    let length = |l: Option<u8>| l.map(|l| l.to_string());
    text_field(
        out,
        "ui.change.field.length",
        id,
        length(was.length).as_deref(),
        length(now.length).as_deref(),
    );
    if was.options != now.options {
        out.changed(
            Said::new("ui.change.options")
                .with("id", id)
                .with_said("from", describe_options(&was.options))
                .with_said("to", describe_options(&now.options)),
        );
    }
    if was.validations != now.validations {
        let list = |v: &[Validation]| {
            listed(
                v.iter().map(describe_validation),
                Said::new("ui.change.none"),
            )
        };
        out.changed(
            Said::new("ui.change.validations")
                .with("id", id)
                .with_said("from", list(&was.validations))
                .with_said("to", list(&now.validations)),
        );
    }
    text_field(
        out,
        "ui.change.field.action_id",
        id,
        old.action_id.as_deref(),
        new.action_id.as_deref(),
    );
}

#[cfg(test)]
mod tests;
