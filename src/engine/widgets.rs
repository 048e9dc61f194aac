//! Widgets: pre-built groups of steps an administrator inserts into a draft flow on one of
//! its edges. Like starter templates they are data, one JSON file each in `widgets/`, so a
//! new widget is a new file and one line in `SOURCES`.
//!
//! A widget file looks like a flow definition without a start:
//! `{"id", "flowTypes": [...], "entry": STEP_ID, "steps": [...]}`.
//! Its steps lead only to each other or to `"$next"`: where the edge it is inserted on led.
//! Its name and description are catalogue messages, `ui.widget.ID.name` and
//! `ui.widget.ID.description` (with `_` for each `-` of the id), so each administrator
//! reads them in their own language.

use super::graph::{FlowDefinition, Step, StepKind};
use crate::domain::FlowType;
use crate::i18n::Said;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// The target, in a widget's steps, that stands for the old target of the edge.
pub const NEXT: &str = "$next";

const SOURCES: &[&str] = &[
    include_str!("widgets/email-otp.json"),
    include_str!("widgets/sms-otp.json"),
    include_str!("widgets/magic-link.json"),
    include_str!("widgets/password.json"),
    include_str!("widgets/profile.json"),
    include_str!("widgets/terms.json"),
    include_str!("widgets/approval.json"),
    include_str!("widgets/extension-call.json"),
];

#[derive(Debug)]
pub struct Widget {
    pub id: &'static str,
    /// The catalogue keys of its name and description.
    pub name_key: &'static str,
    pub description_key: &'static str,
    /// The flow types it makes sense in (an OTP page names the address, which a recovery
    /// flow must never show, so verification widgets are for registration only).
    pub flow_types: Vec<FlowType>,
    /// The step the edge leads to once the widget is in.
    pub entry: String,
    pub steps: Vec<Step>,
}

impl Widget {
    pub fn fits(&self, flow_type: FlowType) -> bool {
        self.flow_types.contains(&flow_type)
    }

    /// Its name, e.g. "E-mail OTP verification".
    pub fn name(&self) -> Said {
        Said::new(self.name_key)
    }

    /// What it does and what it needs, a sentence or two.
    pub fn description(&self) -> Said {
        Said::new(self.description_key)
    }

    /// Its name and description, as the draft editor offers it.
    pub fn choice(&self) -> Said {
        Said::new("ui.widget.choice")
            .with_said("name", self.name())
            .with_said("description", self.description())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WidgetFile {
    id: String,
    flow_types: Vec<FlowType>,
    entry: String,
    steps: Vec<Step>,
}

/// Reads one widget file and checks what `insert` relies on.
fn parse(json: &str) -> Result<Widget, String> {
    let file: WidgetFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let fail = |what: String| Err(format!("widget '{}': {what}", file.id));
    let mut ids = BTreeSet::new();
    for step in &file.steps {
        if step.id.trim().is_empty() || step.id == NEXT || !ids.insert(step.id.as_str()) {
            return fail(format!("bad or repeated step id '{}'", step.id));
        }
    }
    if !ids.contains(file.entry.as_str()) {
        return fail(format!("entry '{}' is not one of its steps", file.entry));
    }
    let mut leaves = false;
    for step in &file.steps {
        for target in step.targets() {
            if target == NEXT {
                leaves = true;
            } else if !ids.contains(target) {
                return fail(format!(
                    "'{}' leads outside the widget, to '{target}'",
                    step.id
                ));
            }
        }
    }
    if !leaves {
        return fail(format!("nothing leads to {NEXT}"));
    }
    if file.flow_types.is_empty() {
        return fail("no flow type".into());
    }
    // Built once per widget file for the life of the process, so leaking bounds itself.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let key = |what: &str| leak(format!("ui.widget.{}.{what}", file.id.replace('-', "_")));
    let (name_key, description_key) = (key("name"), key("description"));
    Ok(Widget {
        id: leak(file.id),
        name_key,
        description_key,
        flow_types: file.flow_types,
        entry: file.entry,
        steps: file.steps,
    })
}

static WIDGETS: LazyLock<Vec<Widget>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .filter_map(|json| match parse(json) {
            Ok(w) => Some(w),
            Err(e) => {
                // A unit test parses every file, so this only shows a broken build.
                tracing::error!(error = %e, "widget file refused");
                None
            }
        })
        .collect()
});

pub fn all() -> &'static [Widget] {
    &WIDGETS
}

pub fn by_id(id: &str) -> Option<&'static Widget> {
    WIDGETS.iter().find(|w| w.id == id)
}

/// An edge of the graph: a view's button action or a task's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EdgeRef {
    Button {
        step: String,
        button: String,
    },
    Outcome {
        step: String,
        outcome: String,
    },
    /// A decision's branch by index, or its `otherwise` (`None`).
    Branch {
        step: String,
        branch: Option<usize>,
    },
}

impl EdgeRef {
    pub fn step(&self) -> &str {
        match self {
            EdgeRef::Button { step, .. }
            | EdgeRef::Outcome { step, .. }
            | EdgeRef::Branch { step, .. } => step,
        }
    }

    /// `b:STEP:BUTTON` or `o:STEP:OUTCOME`, with `%` and `:` inside ids percent-encoded so
    /// that any step id survives the round trip through a form field.
    pub fn to_key(&self) -> String {
        match self {
            EdgeRef::Button { step, button } => format!("b:{}:{}", escape(step), escape(button)),
            EdgeRef::Outcome { step, outcome } => {
                format!("o:{}:{}", escape(step), escape(outcome))
            }
            EdgeRef::Branch { step, branch } => format!(
                "r:{}:{}",
                escape(step),
                branch.map_or("otherwise".to_owned(), |i| i.to_string())
            ),
        }
    }

    pub fn from_key(s: &str) -> Option<Self> {
        let mut parts = s.split(':');
        let (kind, step, name) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let (step, name) = (unescape(step)?, unescape(name)?);
        match kind {
            "b" => Some(EdgeRef::Button { step, button: name }),
            "o" => Some(EdgeRef::Outcome {
                step,
                outcome: name,
            }),
            "r" => Some(EdgeRef::Branch {
                step,
                branch: match name.as_str() {
                    "otherwise" => None,
                    n => Some(n.parse().ok()?),
                },
            }),
            _ => None,
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('%', "%25").replace(':', "%3A")
}

/// The inverse of `escape`; any other `%` sequence is not one of ours.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at + 1..at + 3)?;
        out.push(match code {
            "25" => '%',
            "3A" | "3a" => ':',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// Every edge of a definition with a label for a select list, e.g.
/// "details → set_password (button continue)", in step order.
pub fn edges(def: &FlowDefinition) -> Vec<(EdgeRef, Said)> {
    let mut out = Vec::new();
    for step in &def.steps {
        match &step.kind {
            StepKind::View { actions, .. } => {
                for a in actions {
                    out.push((
                        EdgeRef::Button {
                            step: step.id.clone(),
                            button: a.button.clone(),
                        },
                        Said::new("ui.widget.edge.button")
                            .with("step", &step.id)
                            .with("next", &a.next)
                            .with("button", &a.button),
                    ));
                }
            }
            StepKind::Task { next, .. } => {
                for (outcome, target) in next {
                    out.push((
                        EdgeRef::Outcome {
                            step: step.id.clone(),
                            outcome: outcome.clone(),
                        },
                        Said::new("ui.widget.edge.outcome")
                            .with("step", &step.id)
                            .with("next", target)
                            .with("outcome", outcome),
                    ));
                }
            }
            StepKind::Rule {
                branches,
                otherwise,
            } => {
                for (i, b) in branches.iter().enumerate() {
                    out.push((
                        EdgeRef::Branch {
                            step: step.id.clone(),
                            branch: Some(i),
                        },
                        Said::new("ui.widget.edge.branch")
                            .with("step", &step.id)
                            .with("next", &b.next)
                            .with("n", i + 1)
                            .with("when", b.when.summary()),
                    ));
                }
                out.push((
                    EdgeRef::Branch {
                        step: step.id.clone(),
                        branch: None,
                    },
                    Said::new("ui.widget.edge.otherwise")
                        .with("step", &step.id)
                        .with("next", otherwise),
                ));
            }
            StepKind::End { .. } => {}
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetError {
    pub code: &'static str,
    pub message: Said,
}

/// Where `edge` leads from `step`, if `step` has that edge.
fn edge_target<'a>(step: &'a mut Step, edge: &EdgeRef) -> Option<&'a mut String> {
    match (&mut step.kind, edge) {
        (StepKind::View { actions, .. }, EdgeRef::Button { button, .. }) => actions
            .iter_mut()
            .find(|a| a.button == *button)
            .map(|a| &mut a.next),
        (StepKind::Task { next, .. }, EdgeRef::Outcome { outcome, .. }) => next.get_mut(outcome),
        (
            StepKind::Rule {
                branches,
                otherwise,
            },
            EdgeRef::Branch { branch, .. },
        ) => match branch {
            Some(i) => branches.get_mut(*i).map(|b| &mut b.next),
            None => Some(otherwise),
        },
        _ => None,
    }
}

/// `id`, or `id_2`, `id_3` … whichever is free first.
fn unique(id: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(id) {
        return id.to_owned();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{id}_{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// Inserts the widget on `edge`: its steps are added right after the edge's source step in
/// `steps` (ids made unique against existing steps by a suffix _2, _3 … with internal
/// references renamed consistently), the edge now leads to the widget's entry, and every
/// "$next" leads to the edge's old target. Returns the ids of the steps added, in order.
/// On error `def` is unchanged.
pub fn insert(
    def: &mut FlowDefinition,
    widget: &Widget,
    edge: &EdgeRef,
) -> Result<Vec<String>, WidgetError> {
    if !widget.fits(def.flow_type) {
        return Err(WidgetError {
            code: "wrong_flow_type",
            message: Said::new("ui.widget.wrong_flow_type")
                .with_said("widget", widget.name())
                .with("flow_type", def.flow_type),
        });
    }
    let unknown_edge = || WidgetError {
        code: "unknown_edge",
        message: Said::new("ui.widget.unknown_edge").with("edge", edge.to_key()),
    };
    let source = def
        .steps
        .iter()
        .position(|s| s.id == edge.step())
        .ok_or_else(unknown_edge)?;
    let old_target = def
        .steps
        .get_mut(source)
        .and_then(|s| edge_target(s, edge))
        .ok_or_else(unknown_edge)?
        .clone();

    let mut taken: BTreeSet<String> = def.steps.iter().map(|s| s.id.clone()).collect();
    let mut renamed = BTreeMap::new();
    for step in &widget.steps {
        let id = unique(&step.id, &taken);
        taken.insert(id.clone());
        renamed.insert(step.id.as_str(), id);
    }
    let broken = |what: &str| WidgetError {
        code: "broken_widget",
        message: Said::new("ui.widget.broken")
            .with("widget", widget.id)
            .with("what", what),
    };
    let entry = renamed
        .get(widget.entry.as_str())
        .cloned()
        .ok_or_else(|| broken(&widget.entry))?;
    let mut added = Vec::with_capacity(widget.steps.len());
    for step in &widget.steps {
        let mut step = step.clone();
        step.id = renamed
            .get(step.id.as_str())
            .cloned()
            .ok_or_else(|| broken(&step.id))?;
        for target in step.targets_mut() {
            *target = if target == NEXT {
                old_target.clone()
            } else {
                renamed
                    .get(target.as_str())
                    .cloned()
                    .ok_or_else(|| broken(target))?
            };
        }
        added.push(step);
    }

    // Nothing can fail from here on, so `def` changes all at once or not at all.
    if let Some(target) = def.steps.get_mut(source).and_then(|s| edge_target(s, edge)) {
        *target = entry;
    }
    let ids = added.iter().map(|s| s.id.clone()).collect();
    def.steps.splice(source + 1..source + 1, added);
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::starter;
    use crate::i18n::{Locale, Tr};

    fn template(id: &str) -> FlowDefinition {
        starter::by_id(id).unwrap().definition().unwrap()
    }

    fn widget(id: &str) -> &'static Widget {
        by_id(id).unwrap()
    }

    fn button(step: &str, button: &str) -> EdgeRef {
        EdgeRef::Button {
            step: step.into(),
            button: button.into(),
        }
    }

    fn outcome(step: &str, outcome: &str) -> EdgeRef {
        EdgeRef::Outcome {
            step: step.into(),
            outcome: outcome.into(),
        }
    }

    fn codes(def: &FlowDefinition) -> Vec<&'static str> {
        def.validate().into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn every_widget_file_parses_with_a_unique_id() {
        for json in SOURCES {
            parse(json).unwrap();
        }
        assert_eq!(all().len(), SOURCES.len());
        let ids: BTreeSet<&str> = all().iter().map(|w| w.id).collect();
        assert_eq!(ids.len(), all().len());
        for id in ["email-otp", "magic-link", "password", "profile", "terms"] {
            assert!(by_id(id).is_some(), "{id}");
        }
        assert!(by_id("nope").is_none());
    }

    #[test]
    fn every_widget_has_a_name_and_a_description_in_english_and_french() {
        let fr = Tr::new(Locale::from_tag("fr").unwrap());
        for w in all() {
            for said in [w.name(), w.description(), w.choice()] {
                assert!(said.faults().is_empty(), "{}: {:?}", w.id, said.faults());
                let (en, in_fr) = (said.english(), said.in_(&fr));
                assert!(!en.is_empty() && en != said.key, "{}: {en}", w.id);
                assert!(
                    !in_fr.is_empty() && in_fr != en,
                    "{}: no French for {}",
                    w.id,
                    said.key
                );
            }
        }
        assert_eq!(
            by_id("email-otp").unwrap().name().english(),
            "E-mail OTP verification"
        );
        // Every decision's edge, as the widget form lists them.
        for t in starter::all() {
            for (_, label) in edges(&t.definition().unwrap()) {
                assert!(label.faults().is_empty(), "{}: {:?}", t.id, label.faults());
            }
        }
    }

    #[test]
    fn refusals_are_whole_sentences_in_each_language() {
        let fr = Tr::new(Locale::from_tag("fr").unwrap());
        let mut def = template("recovery-link");
        let edge = edges(&def)[0].0.clone();
        let wrong = insert(&mut def, widget("email-otp"), &edge).unwrap_err();
        let unknown = insert(&mut def, widget("terms"), &button("ghost", "x")).unwrap_err();
        let broken = Widget {
            entry: "nowhere".into(),
            ..parse(SOURCES[0]).unwrap()
        };
        let mut def = template("registration-otp");
        let broken = insert(&mut def, &broken, &button("details", "continue")).unwrap_err();
        assert_eq!(broken.code, "broken_widget");
        for e in [wrong, unknown, broken] {
            assert!(e.message.faults().is_empty(), "{:?}", e.message.faults());
            assert_ne!(e.message.english(), e.message.in_(&fr));
        }
        let mut def = template("recovery-link");
        let e = insert(&mut def, widget("email-otp"), &edge).unwrap_err();
        assert_eq!(
            e.message.english(),
            "The widget 'E-mail OTP verification' is not meant for PASSWORD_RECOVERY flows."
        );
        assert!(
            e.message
                .in_(&fr)
                .contains("Vérification par code envoyé par e-mail")
        );
    }

    #[test]
    fn a_widget_leading_outside_itself_is_refused() {
        let json = r#"{"id": "x", "flowTypes": ["REGISTRATION"], "entry": "a",
            "steps": [{"id": "a", "type": "TASK", "executor": "PasswordOnboarding", "next": {"success": "provision"}}]}"#;
        assert!(parse(json).unwrap_err().contains("outside"));
        let json = r#"{"id": "x", "flowTypes": ["REGISTRATION"], "entry": "b",
            "steps": [{"id": "a", "type": "TASK", "executor": "PasswordOnboarding", "next": {"success": "$next"}}]}"#;
        assert!(parse(json).unwrap_err().contains("entry"));
    }

    /// Each widget into a template of a type it fits, on an edge where it makes sense.
    #[test]
    fn each_widget_inserts_into_a_starter_and_validates_clean() {
        let cases = [
            // A second proof of the address before the link: pointless but sound.
            (
                "email-otp",
                "registration-passwordless",
                button("email", "continue"),
            ),
            (
                "magic-link",
                "registration-otp",
                outcome("check_code", "success"),
            ),
            (
                "password",
                "registration-passwordless",
                outcome("send_link", "verified"),
            ),
            (
                "profile",
                "registration-otp",
                outcome("check_code", "success"),
            ),
            (
                "terms",
                "registration-passwordless",
                outcome("send_link", "verified"),
            ),
            (
                "profile",
                "invite-password",
                outcome("accept_invitation", "success"),
            ),
        ];
        for (w, t, edge) in cases {
            let mut def = template(t);
            let before = def.steps.len();
            let added = insert(&mut def, widget(w), &edge).unwrap();
            assert_eq!(def.steps.len(), before + added.len(), "{w} into {t}");
            assert_eq!(def.validate(), vec![], "{w} into {t} on {edge:?}");
        }
    }

    #[test]
    fn every_widget_fits_somewhere_in_some_starter() {
        for w in all() {
            let fine = starter::all()
                .iter()
                .filter(|t| w.fits(t.flow_type))
                .any(|t| {
                    let def = t.definition().unwrap();
                    edges(&def).into_iter().any(|(edge, _)| {
                        let mut def = def.clone();
                        insert(&mut def, w, &edge).is_ok() && def.validate().is_empty()
                    })
                });
            assert!(fine, "{} fits nowhere", w.id);
        }
    }

    #[test]
    fn insert_rewires_the_edge_and_places_steps_after_its_source() {
        let mut def = template("registration-otp");
        let added = insert(
            &mut def,
            widget("profile"),
            &outcome("check_code", "success"),
        )
        .unwrap();
        assert_eq!(added, vec!["profile"]);
        let at = def.steps.iter().position(|s| s.id == "check_code").unwrap();
        assert_eq!(def.steps[at + 1].id, "profile");
        let StepKind::Task { next, .. } = &def.steps[at].kind else {
            panic!()
        };
        assert_eq!(next["success"], "profile");
        let StepKind::View { actions, .. } = &def.steps[at + 1].kind else {
            panic!()
        };
        assert_eq!(actions[0].next, "provision");
    }

    /// Terms or profile on the details page's button would come between the password field
    /// and the task that needs it: validation says so, which is what the console shows.
    #[test]
    fn a_page_between_a_password_and_its_task_is_reported() {
        let mut def = template("registration-otp");
        insert(&mut def, widget("terms"), &button("details", "continue")).unwrap();
        assert_eq!(codes(&def), vec!["missing_input"]);
    }

    #[test]
    fn clashing_ids_get_a_suffix_and_references_follow() {
        let mut def = template("registration-passwordless");
        let w = widget("email-otp");
        let first = insert(&mut def, w, &button("email", "continue")).unwrap();
        assert_eq!(first, vec!["send_code", "enter_code", "check_code"]);
        let second = insert(&mut def, w, &button("email", "continue")).unwrap();
        assert_eq!(second, vec!["send_code_2", "enter_code_2", "check_code_2"]);
        assert_eq!(def.validate(), vec![]);
        let step = |id: &str| def.step(id).unwrap().kind.clone();
        let StepKind::View { actions, .. } = step("enter_code_2") else {
            panic!()
        };
        let nexts: Vec<&str> = actions.iter().map(|a| a.next.as_str()).collect();
        assert_eq!(nexts, vec!["check_code_2", "send_code_2"]);
        // The second one came in on the edge, in front of the first.
        let StepKind::Task { next, .. } = step("check_code_2") else {
            panic!()
        };
        assert_eq!(next["success"], "send_code");
        let ids: Vec<&str> = def.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            &ids[..4],
            &["email", "send_code_2", "enter_code_2", "check_code_2"]
        );

        // The magic link's own steps clash with the template's.
        let mut def = template("registration-passwordless");
        let added = insert(&mut def, widget("magic-link"), &button("email", "continue")).unwrap();
        assert_eq!(added, vec!["send_link_2", "check_email_2"]);
        assert_eq!(def.validate(), vec![]);
    }

    #[test]
    fn unknown_edges_and_wrong_flow_types_are_refused_without_change() {
        let original = template("registration-otp");
        for edge in [
            button("details", "nope"),
            button("ghost", "continue"),
            outcome("details", "success"),
            button("send_code", "success"),
            outcome("send_code", "verified"),
        ] {
            let mut def = original.clone();
            let err = insert(&mut def, widget("terms"), &edge).unwrap_err();
            assert_eq!(err.code, "unknown_edge", "{edge:?}");
            assert_eq!(def, original);
        }
        let mut def = template("recovery-link");
        let before = def.clone();
        let edge = edges(&def)[0].0.clone();
        let err = insert(&mut def, widget("email-otp"), &edge).unwrap_err();
        assert_eq!(err.code, "wrong_flow_type");
        assert_eq!(def, before);
    }

    #[test]
    fn edges_are_listed_with_labels_in_step_order() {
        let def = template("registration-otp");
        let found: Vec<(EdgeRef, String)> = edges(&def)
            .into_iter()
            .map(|(edge, label)| {
                assert!(label.faults().is_empty(), "{:?}", label.faults());
                (edge, label.english())
            })
            .collect();
        assert_eq!(
            found[0],
            (
                button("details", "continue"),
                "details → set_password (button continue)".into()
            )
        );
        assert!(found.contains(&(
            outcome("send_code", "success"),
            "send_code → enter_code (outcome success)".into()
        )));
        let count: usize = def.steps.iter().map(|s| s.targets().len()).sum();
        assert_eq!(found.len(), count);
    }

    #[test]
    fn edge_keys_round_trip_any_id() {
        for edge in [
            button("details", "continue"),
            outcome("send_link", "verified"),
            button("a:b%3A", "c%d:"),
            outcome("", ""),
        ] {
            let key = edge.to_key();
            assert_eq!(key.matches(':').count(), 2, "{key}");
            assert_eq!(EdgeRef::from_key(&key), Some(edge));
        }
        assert_eq!(button("details", "continue").to_key(), "b:details:continue");
        for bad in ["", "b:x", "x:a:b", "b:a:b:c", "b:a%zz:b", "o:a%2"] {
            assert_eq!(EdgeRef::from_key(bad), None, "{bad}");
        }
    }
}
