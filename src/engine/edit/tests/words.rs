//! Every refusal and every summary an edit can give is a whole sentence: a key English has,
//! a value for each of its variables, and French words for it.

use super::*;
use crate::engine::graph::Action;
use crate::engine::rule::{Op, Test};
use crate::i18n::{Arg, Locale, Tr};
use std::collections::BTreeSet;

fn add(step: &str, kind: ComponentType, variant: Option<Variant>, id: &str) -> Edit {
    Edit::AddComponent {
        step: step.into(),
        kind,
        variant,
        id: id.into(),
        parent: None,
    }
}

fn add_into(step: &str, kind: ComponentType, id: &str, form: &str) -> Edit {
    Edit::AddComponent {
        step: step.into(),
        kind,
        variant: None,
        id: id.into(),
        parent: Some(form.into()),
    }
}

fn add_step(id: &str, kind: NewStepKind) -> Edit {
    Edit::AddStep {
        id: id.into(),
        kind,
        after: None,
    }
}

fn info(name: &str, description: &str) -> Edit {
    Edit::SetFlowInfo {
        name: name.into(),
        description: description.into(),
    }
}

fn move_step(step: &str, direction: Direction) -> Edit {
    Edit::MoveStep {
        step: step.into(),
        direction,
    }
}

fn move_component(step: &str, component: &str, to: ComponentMove) -> Edit {
    Edit::MoveComponent {
        step: step.into(),
        component: component.into(),
        to,
    }
}

fn remove_component(step: &str, component: &str) -> Edit {
    Edit::RemoveComponent {
        step: step.into(),
        component: component.into(),
    }
}

fn target(step: &str, button: &str, next: Option<&str>) -> Edit {
    Edit::SetActionTarget {
        step: step.into(),
        button: button.into(),
        next: next.map(str::to_owned),
    }
}

fn executor(step: &str, executor: ExecutorName) -> Edit {
    Edit::SetExecutor {
        step: step.into(),
        executor,
    }
}

fn extension(step: &str, name: Option<&str>) -> Edit {
    Edit::SetExtension {
        step: step.into(),
        extension: name.map(str::to_owned),
    }
}

fn outcome(step: &str, outcome: &str, next: Option<&str>) -> Edit {
    Edit::SetOutcome {
        step: step.into(),
        outcome: outcome.into(),
        next: next.map(str::to_owned),
    }
}

fn branch(branch: Option<usize>, value: &str, next: &str) -> Edit {
    Edit::SetBranch {
        step: "route".into(),
        branch,
        when: Condition::Test(Test::new("country", Op::Matches, Some(value), &[])),
        next: next.into(),
    }
}

fn move_branch(branch: usize, direction: Direction) -> Edit {
    Edit::MoveBranch {
        step: "route".into(),
        branch,
        direction,
    }
}

fn remove(step: &str) -> Edit {
    Edit::RemoveStep { step: step.into() }
}

/// Each list of edits is applied in turn to the registration template; together they give
/// every refusal and every summary the edits have.
fn cases() -> Vec<Vec<Edit>> {
    use ComponentType as T;
    use Direction::{Down, Up};
    let long = |n: usize| "x".repeat(n);
    let decision = || add_step("route", NewStepKind::Rule);
    vec![
        vec![add_step("1bad", NewStepKind::View)],
        vec![add("details", T::Divider, None, "heading")],
        vec![info("", ""), info(&long(201), ""), info("n", &long(2001))],
        vec![info("a\u{7}", ""), info("Name", "")],
        vec![remove("ghost"), remove("details"), remove("send_code")],
        vec![add("send_code", T::Divider, None, "d")],
        vec![update("details", "heading", &[("text", &long(10_001))])],
        vec![add_step("details", NewStepKind::View)],
        vec![
            Edit::SetStart {
                step: "done".into(),
            },
            Edit::SetStart {
                step: "enter_code".into(),
            },
        ],
        vec![
            target("done", "heading", Some("details")),
            target("details", "heading", Some("done")),
            target("details", "continue", Some("done")),
            target("details", "continue", None),
        ],
        vec![
            executor("details", ExecutorName::EmailOtpSend),
            outcome("send_code", "bogus", Some("done")),
            extension("send_code", Some("x")),
            outcome("send_code", "success", Some("done")),
            outcome("send_code", "success", None),
            executor("send_code", ExecutorName::EmailOtpSend),
            executor("send_code", ExecutorName::MagicLinkSend),
            outcome("send_code", "verified", Some("done")),
            executor("send_code", ExecutorName::CallExtension),
            extension("send_code", Some("bad name!")),
            extension("send_code", Some("ext")),
            extension("send_code", None),
        ],
        vec![
            Edit::RemoveBranch {
                step: "details".into(),
                branch: 0,
            },
            decision(),
            Edit::RemoveBranch {
                step: "route".into(),
                branch: 5,
            },
            branch(None, "(", "done"),
            branch(None, "a", "done"),
            branch(None, "b", "done"),
            branch(Some(0), "c", "done"),
            move_branch(0, Up),
            move_branch(1, Down),
            move_branch(0, Down),
            move_branch(1, Up),
            Edit::SetOtherwise {
                step: "route".into(),
                next: "done".into(),
            },
            Edit::SetOtherwise {
                step: "route".into(),
                next: String::new(),
            },
            Edit::RemoveBranch {
                step: "route".into(),
                branch: 0,
            },
        ],
        vec![
            remove_component("details", "ghost"),
            add("details", T::Form, Some(Variant::H1), "f"),
            add("details", T::Input, Some(Variant::H1), "f"),
            add("done", T::Input, None, "f"),
            add_into("details", T::Form, "f", "details_form"),
            add_into("details", T::Divider, "f", "ghost"),
            move_component(
                "details",
                "details_form",
                ComponentMove::IntoForm("details_form".into()),
            ),
            move_component("details", "heading", ComponentMove::OutOfForm),
            add("details", T::Divider, None, "div"),
            add_into("details", T::Divider, "div2", "details_form"),
            remove_component("details", "heading"),
            remove_component("enter_code", "resend"),
            remove_component("enter_code", "code_form"),
        ],
        vec![
            add("details", T::Form, None, "f2"),
            add_into("details", T::Divider, "inside", "f2"),
            remove_component("details", "f2"),
            add("details", T::Image, None, "img"),
            update("details", "img", &[("src", "javascript:alert(1)")]),
            add_step("lonely", NewStepKind::End),
            remove("lonely"),
        ],
        vec![
            move_component("details", "intro", ComponentMove::Up),
            move_component("details", "intro", ComponentMove::Down),
            move_component("details", "heading", ComponentMove::Up),
            move_component("details", "details_form", ComponentMove::Down),
            move_component(
                "details",
                "email",
                ComponentMove::IntoForm("details_form".into()),
            ),
            move_component("details", "email", ComponentMove::OutOfForm),
            move_component(
                "details",
                "email",
                ComponentMove::IntoForm("details_form".into()),
            ),
        ],
        vec![
            move_step("details", Up),
            move_step("done", Down),
            move_step("done", Up),
            move_step("details", Down),
            Edit::RenameStep {
                step: "enter_code".into(),
                new_id: "enter_code".into(),
            },
            Edit::RenameStep {
                step: "enter_code".into(),
                new_id: "details".into(),
            },
            Edit::RenameStep {
                step: "enter_code".into(),
                new_id: "code".into(),
            },
        ],
        vec![
            update("details", "email", &[("variant", "")]),
            update("details", "email", &[("variant", "BOGUS")]),
            update("details", "email", &[("identifier", "")]),
            update("details", "email", &[("identifier", "two words")]),
            update("details", "email", &[("max_length", "0")]),
            update(
                "details",
                "email",
                &[("min_length", "5"), ("max_length", "3")],
            ),
            update("details", "email", &[("pattern", "(")]),
            update("details", "email", &[("min_length", "x")]),
            update("enter_code", "otp", &[("length", "x")]),
            update("enter_code", "otp", &[("length", "99")]),
            update(
                "details",
                "given_name",
                &[("variant", "DROPDOWN"), ("options", "|x")],
            ),
            update(
                "details",
                "given_name",
                &[("variant", "DROPDOWN"), ("options", "a\na")],
            ),
            update("details", "heading", &[("text", "Hi")]),
            update("details", "heading", &[("id", "title")]),
        ],
    ]
}

/// The keys of a sentence and of the sentences in it.
fn keys(said: &Said, out: &mut BTreeSet<&'static str>) {
    out.insert(said.key);
    for (_, value) in &said.args {
        if let Arg::Said(inner) = value {
            keys(inner, out);
        }
    }
}

fn check(said: &Said, fr: &Tr, seen: &mut BTreeSet<&'static str>) {
    assert!(said.faults().is_empty(), "{said:?}: {:?}", said.faults());
    let (en, fr) = (said.english(), said.in_(fr));
    assert!(!en.contains("{$") && !fr.contains("{$"), "{en} / {fr}");
    if said.key != "ui.edit.as_said" {
        assert_ne!(en, fr, "{}: not in French", said.key);
    }
    keys(said, seen);
}

#[test]
fn every_refusal_and_summary_of_an_edit_is_whole_in_english_and_in_french() {
    let fr = Tr::new(Locale::from_tag("fr").unwrap());
    let mut seen = BTreeSet::new();
    for edits in cases() {
        let mut def = registration();
        for edit in edits {
            match apply(&mut def, &edit) {
                Ok(said) => check(&said, &fr, &mut seen),
                Err(e) => check(&e.message, &fr, &mut seen),
            }
        }
    }
    // An action already there for the new id of a button.
    let mut def = registration();
    if let StepKind::View { actions, .. } = &mut def.steps[0].kind {
        actions.push(Action {
            button: "orphan".into(),
            next: "done".into(),
        });
    }
    let e = refused(&mut def, update("details", "continue", &[("id", "orphan")]));
    check(&e.message, &fr, &mut seen);
    // What removing a step leaves leading nowhere, every kind of edge.
    let mut def = registration();
    ok(&mut def, add_step("route", NewStepKind::Rule));
    ok(&mut def, branch(None, "a", "done"));
    ok(
        &mut def,
        Edit::SetOtherwise {
            step: "route".into(),
            next: "done".into(),
        },
    );
    for step in ["details", "done", "send_code"] {
        if let Some(list) = super::super::steps::list(dangling_if_removed(&def, step)) {
            check(&list, &fr, &mut seen);
        }
    }

    // Every key the edits name, in their source, has been said here.
    let sources = [
        include_str!("../mod.rs"),
        include_str!("../actions.rs"),
        include_str!("../branches.rs"),
        include_str!("../components.rs"),
        include_str!("../patch.rs"),
        include_str!("../steps.rs"),
    ];
    let named = regex::Regex::new(r#""(ui\.edit\.[a-z_]+)""#).unwrap();
    let missing: Vec<&str> = sources
        .iter()
        .flat_map(|s| named.captures_iter(s).map(|c| c.get(1).unwrap().as_str()))
        .filter(|key| !seen.contains(key))
        .collect();
    assert!(missing.is_empty(), "never said: {missing:?}");
}
