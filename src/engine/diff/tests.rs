//! What the comparison of two versions says, change by change.

use super::*;
use crate::engine::starter;
use crate::engine::{Action, ExecutorName, widgets};
use crate::i18n::{Locale, Tr};

fn registration() -> FlowDefinition {
    starter::by_id("registration-otp")
        .unwrap()
        .definition()
        .unwrap()
}

/// The changes' sentences in English, each checked whole (every value its text names, no
/// other) and worded in French too.
fn texts(changes: &[Change]) -> Vec<String> {
    changes.iter().map(whole).collect()
}

/// Each change's step, kind and English sentence.
fn rows(changes: &[Change]) -> Vec<(Option<String>, ChangeKind, String)> {
    changes
        .iter()
        .map(|c| (c.step.clone(), c.kind, whole(c)))
        .collect()
}

fn whole(c: &Change) -> String {
    assert!(c.text.faults().is_empty(), "{:?}", c.text.faults());
    let en = c.text.english();
    let fr = c.text.in_(&Tr::new(Locale::from_tag("fr").unwrap()));
    assert!(!fr.contains("{$") && !fr.contains("ui."), "{fr}");
    assert_ne!(en, fr);
    en
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
        changes
            .iter()
            .map(|c| (c.step.as_deref(), c.kind, whole(c)))
            .collect::<Vec<_>>(),
        vec![
            (
                None,
                ChangeKind::Changed,
                format!("Name changed from '{}' to 'Sign up'.", old.name),
            ),
            (
                None,
                ChangeKind::Changed,
                "Start step changed from 'details' to 'send_code'.".into(),
            ),
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
        rows(&changes)
            .iter()
            .map(|(step, kind, text)| (step.as_deref(), *kind, text.as_str()))
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
        rows(&changes)
            .iter()
            .map(|(step, kind, text)| (step.as_deref().unwrap(), *kind, text.as_str()))
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

/// The keys of a sentence and of the sentences inside it.
fn keys_of(said: &Said, out: &mut BTreeSet<&'static str>) {
    out.insert(said.key);
    for (_, value) in &said.args {
        if let crate::i18n::Arg::Said(inner) = value {
            keys_of(inner, out);
        }
    }
}

/// A view step named `id` with the components of `json` (a JSON array).
fn view(id: &str, json: serde_json::Value) -> Step {
    serde_json::from_value(serde_json::json!({"id": id, "type": "VIEW", "components": json}))
        .unwrap()
}

/// Every kind of sentence the comparison says, from diffs of every starter against every
/// other and of edits that touch each field: each is whole in English and worded in French,
/// and together they use every `ui.change` key of the catalogue.
#[test]
fn every_sentence_is_whole_and_worded_in_french() {
    let mut changes = Vec::new();
    let starters: Vec<FlowDefinition> = starter::all()
        .iter()
        .map(|t| t.definition().unwrap())
        .collect();
    for old in &starters {
        for new in &starters {
            changes.extend(diff(old, new));
        }
    }

    // Every kind of component, each becoming the next kind, then gone, then back.
    let kinds = [
        "FORM",
        "INPUT",
        "BUTTON",
        "TYPOGRAPHY",
        "RICH_TEXT",
        "DIVIDER",
        "IMAGE",
    ];
    let of = |shift: usize| {
        serde_json::Value::Array(
            (0..kinds.len())
                .map(|i| serde_json::json!({"id": format!("c{i}"), "type": kinds[(i + shift) % kinds.len()]}))
                .collect(),
        )
    };
    let mut old = registration();
    let mut new = old.clone();
    old.steps.push(view("gallery", of(0)));
    new.steps.push(view("gallery", of(1)));
    changes.extend(diff(&old, &new));
    new.steps.pop();
    new.steps.push(view("gallery", serde_json::json!([])));
    changes.extend(diff(&old, &new));
    changes.extend(diff(&new, &old));

    // Every field of a component set, changed and removed; moves in, out, between forms.
    let plain = serde_json::json!([
        {"id": "a", "type": "FORM", "components": [{"id": "x", "type": "INPUT"}]},
        {"id": "b", "type": "FORM", "components": [{"id": "y", "type": "INPUT"}]},
        {"id": "z", "type": "INPUT", "variant": "TEXT"},
        {"id": "w", "type": "INPUT"},
    ]);
    let full = serde_json::json!([
        {"id": "b", "type": "FORM", "components": [{"id": "x", "type": "INPUT"}, {"id": "w", "type": "INPUT"}]},
        {"id": "a", "type": "FORM"},
        {"id": "y", "type": "INPUT"},
        {"id": "z", "type": "INPUT", "actionId": "go", "config": {
            "identifier": "nickname", "label": "Nickname", "placeholder": "Ada",
            "hint": "Any name", "required": true, "defaultValue": "A", "text": "T",
            "src": "/i.png", "alt": "An image", "type": "submit", "length": 6,
            "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
            "validations": [
                {"name": "MIN_LENGTH", "value": 2}, {"name": "MAX_LENGTH", "value": 9},
                {"name": "REGEX", "pattern": "^a"}, {"name": "PASSWORD_POLICY"}
            ]
        }},
    ]);
    let mut other = full.clone();
    for (field, value) in [
        ("identifier", "nick"),
        ("label", "Name"),
        ("placeholder", "Bo"),
    ] {
        other[3]["config"][field] = value.into();
    }
    other[3]["config"]["options"] = serde_json::json!([{"value": "c", "label": "C"}]);
    other[3]["config"]["validations"] = serde_json::json!([{"name": "MIN_LENGTH", "value": 3}]);
    let mut old = registration();
    let (mut new, mut newer) = (old.clone(), old.clone());
    old.steps.push(view("fields", plain));
    new.steps.push(view("fields", full));
    newer.steps.push(view("fields", other));
    changes.extend(diff(&old, &new));
    changes.extend(diff(&new, &old));
    changes.extend(diff(&new, &newer));

    // Steps of each kind becoming the next kind; a task's outcomes; one component first.
    let step_kinds = [
        serde_json::json!({"type": "VIEW", "components": []}),
        serde_json::json!({"type": "TASK", "executor": "EmailOtpSend", "next": {"success": "done"}}),
        serde_json::json!({"type": "RULE", "branches": [], "otherwise": "done"}),
        serde_json::json!({"type": "END", "components": []}),
    ];
    let steps = |shift: usize| -> Vec<Step> {
        (0..step_kinds.len())
            .map(|i| {
                let mut step = step_kinds[(i + shift) % step_kinds.len()].clone();
                step["id"] = format!("k{i}").into();
                serde_json::from_value(step).unwrap()
            })
            .collect()
    };
    let mut old = registration();
    let mut new = old.clone();
    old.steps.extend(steps(0));
    new.steps.extend(steps(1));
    changes.extend(diff(&old, &new));
    let mut other = old.clone();
    if let StepKind::Task { next, .. } = &mut step_mut(&mut other, "k1").kind {
        next.clear();
        next.insert("failure".into(), "done".into());
    }
    changes.extend(diff(&old, &other));
    let (mut old, mut new) = (registration(), registration());
    let row = |ids: [&str; 3]| {
        serde_json::Value::Array(
            ids.iter()
                .map(|id| serde_json::json!({"id": id, "type": "DIVIDER"}))
                .collect(),
        )
    };
    old.steps.push(view("row", row(["p", "q", "r"])));
    new.steps.push(view("row", row(["r", "p", "q"])));
    changes.extend(diff(&old, &new));

    // A decision's branches changed, added and removed; where tasks go and what they call.
    let approval = starter::by_id("registration-domains-approval")
        .unwrap()
        .definition()
        .unwrap();
    let mut changed = approval.clone();
    if let StepKind::Rule {
        branches,
        otherwise,
    } = &mut step_mut(&mut changed, "route").kind
    {
        let mut second = branches[0].clone();
        second.next = "approval".into();
        branches[0].when = another_condition(&starters, &branches[0].when);
        branches[0].next = "provision".into();
        branches.push(second);
        *otherwise = "done".into();
    }
    for step in &mut changed.steps {
        if let StepKind::Task {
            connection,
            extension,
            ..
        } = &mut step.kind
        {
            *connection = Some("sso".into());
            *extension = Some("check".into());
        }
    }
    changes.extend(diff(&approval, &changed));
    changes.extend(diff(&changed, &approval));

    let mut used = BTreeSet::new();
    for c in &changes {
        whole(c);
        keys_of(&c.text, &mut used);
    }
    let unused: Vec<String> = crate::i18n::compiled_keys()
        .into_iter()
        .filter(|k| k.starts_with("ui.change.") && !used.contains(k.as_str()))
        .collect();
    assert!(unused.is_empty(), "no change says {unused:?}");
}

/// A condition a starter's decision asks other than `than`.
fn another_condition(
    starters: &[FlowDefinition],
    than: &crate::engine::rule::Condition,
) -> crate::engine::rule::Condition {
    starters
        .iter()
        .flat_map(|d| &d.steps)
        .find_map(|s| match &s.kind {
            StepKind::Rule { branches, .. } => branches
                .iter()
                .find(|b| b.when != *than)
                .map(|b| b.when.clone()),
            _ => None,
        })
        .expect("a starter with another condition")
}
