//! What the comparison of two versions says, change by change.

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
