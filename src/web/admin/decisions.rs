//! Decision (`RULE`) steps in the draft editor: each branch as a form of test rows (or as
//! JSON when its condition is too nested for rows), where the step leads otherwise, and a
//! page that tries the decision on sample values. The edits themselves are the engine's,
//! posted to the draft's one edit route like every other edit.

use super::editor::{FailedEdit, is_decision_edit, rule_field_id};
use super::{AdminFlow, AdminLayout, FormFields, flow_url, not_found};
use crate::engine::rule::{self, Branch, Condition, Facts, Op, Operand, Test};
use crate::engine::{Direction, Edit, EditError, FlowDefinition, Problem, StepKind, flatten};
use crate::i18n::{Locale, Said, Tr};
use crate::web::error;
use crate::web::page::html;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::{BTreeMap, BTreeSet};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/admin/flows/{type}/draft/decide/{step}",
        web::get().to(try_decision),
    );
}

/// The most test rows a branch form may carry: far more than a person writes by hand.
const MAX_ROWS: usize = 100;

fn refused(field: &'static str, code: &'static str, message: Said) -> EditError {
    EditError {
        field,
        code,
        message,
    }
}

fn branch_index(form: &FormFields) -> Result<usize, EditError> {
    form.text("branch").parse().map_err(|_| {
        refused(
            "branch",
            "unknown_branch",
            Said::new("ui.builder.rule.choose_branch"),
        )
    })
}

/// The edit a decision form asks for (`editor::is_decision_edit` tells which forms are).
pub fn edit_of(form: &FormFields) -> Result<Edit, EditError> {
    let step = form.text("step");
    Ok(match form.text("op").as_str() {
        "set_branch" => Edit::SetBranch {
            branch: match form.text("branch") {
                b if b.is_empty() => None,
                _ => Some(branch_index(form)?),
            },
            when: condition_of(form)?,
            next: form.text("next"),
            step,
        },
        "move_branch" => Edit::MoveBranch {
            branch: branch_index(form)?,
            direction: if form.text("direction") == "up" {
                Direction::Up
            } else {
                Direction::Down
            },
            step,
        },
        "remove_branch" => Edit::RemoveBranch {
            branch: branch_index(form)?,
            step,
        },
        _ => Edit::SetOtherwise {
            next: form.text("next"),
            step,
        },
    })
}

/// Where the draft page opens after a decision edit: the branch it changed, where it now is.
pub fn anchor_after(edit: &Edit, def: &FlowDefinition) -> Option<String> {
    let (step, at) = match edit {
        Edit::SetBranch { step, branch, .. } => (step, *branch),
        Edit::MoveBranch {
            step,
            branch,
            direction,
        } => (
            step,
            Some(match direction {
                Direction::Up => branch.saturating_sub(1),
                Direction::Down => branch + 1,
            }),
        ),
        Edit::SetOtherwise { step, .. } => return Some(format!("#otherwise-{step}")),
        _ => return None,
    };
    let count = match def.step(step).map(|s| &s.kind) {
        Some(StepKind::Rule { branches, .. }) => branches.len(),
        _ => return None,
    };
    // Appended: the last one. Moved past either end: it stayed where it was, at an end.
    let at = at.unwrap_or(count).min(count.checked_sub(1)?);
    Some(format!(
        "#{}",
        rule_field_id(step, &at.to_string(), "branch")
    ))
}

/// A branch form's condition: its JSON when it carries one, else its rows, blank ones left
/// out. One row is the test itself; several are all or any of them.
fn condition_of(form: &FormFields) -> Result<Condition, EditError> {
    if let Some(json) = form.get("when_json") {
        return serde_json::from_str(json).map_err(|e| {
            refused(
                "when",
                "bad_json",
                Said::new("ui.builder.rule.bad_json").with("error", e),
            )
        });
    }
    let mut tests: Vec<Condition> = typed_rows(form)
        .iter()
        .filter(|r| !r.is_blank())
        .map(TestRow::condition)
        .collect();
    Ok(match (tests.len(), form.text("match").as_str()) {
        (1, _) => tests.remove(0),
        (_, "any") => Condition::Any(tests),
        _ => Condition::All(tests),
    })
}

/// One test of a branch form, as typed or as stored.
pub struct TestRow {
    pub negated: bool,
    pub attribute: String,
    pub op: String,
    pub value: String,
    /// The field at fault (`attribute`, `op`, `value`) and why.
    pub error: Option<(&'static str, String)>,
}

impl TestRow {
    fn of(test: &Test, negated: bool) -> Self {
        let value = match test.op.operand() {
            Operand::Many => test.values.join(", "),
            _ => test.value.clone().unwrap_or_default(),
        };
        TestRow {
            negated,
            attribute: test.attribute.clone(),
            op: test.op.as_name().to_owned(),
            value,
            error: None,
        }
    }

    fn blank() -> Self {
        TestRow {
            negated: false,
            attribute: String::new(),
            op: "equals".into(),
            value: String::new(),
            error: None,
        }
    }

    fn is_blank(&self) -> bool {
        self.attribute.is_empty() && self.value.is_empty()
    }

    fn condition(&self) -> Condition {
        let op = Op::from_name(&self.op);
        let (value, values) = match op.operand() {
            Operand::One => (Some(self.value.as_str()).filter(|v| !v.is_empty()), vec![]),
            Operand::Many => (
                None,
                self.value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .collect(),
            ),
            Operand::None => (None, vec![]),
        };
        let test = Condition::Test(Test::new(&self.attribute, op, value, &values));
        if self.negated {
            Condition::Not(Box::new(test))
        } else {
            test
        }
    }

    pub fn error_on(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The rows a branch form carried, blank ones included, in order.
fn rows_in(fields: &[(String, String)]) -> Vec<TestRow> {
    let get = |name: String| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    (0..MAX_ROWS)
        .map_while(|r| {
            Some(TestRow {
                attribute: get(format!("t{r}_attribute"))?,
                negated: get(format!("t{r}_not")).as_deref() == Some("true"),
                op: get(format!("t{r}_op")).unwrap_or_default(),
                value: get(format!("t{r}_value")).unwrap_or_default(),
                error: None,
            })
        })
        .collect()
}

fn typed_rows(form: &FormFields) -> Vec<TestRow> {
    rows_in(form.all())
}

/// Whether a row shows all of a test, so that saving the row gives the test back: a known
/// op with just the operand it takes, and no list value holding a comma.
fn fits_a_row(t: &Test) -> bool {
    match t.op.operand() {
        _ if matches!(t.op, Op::Unknown(_)) => false,
        Operand::None => t.value.is_none() && t.values.is_empty(),
        Operand::One => t.values.is_empty(),
        Operand::Many => t.value.is_none() && t.values.iter().all(|v| !v.contains(',')),
    }
}

/// The rows of a condition simple enough for them: a test, a negated test, or all or any of
/// those. `None` for anything more nested, or a test a row cannot show whole.
fn rows_of(condition: &Condition) -> Option<(bool, Vec<TestRow>)> {
    let row = |c: &Condition| match c {
        Condition::Test(t) if fits_a_row(t) => Some(TestRow::of(t, false)),
        Condition::Not(inner) => match inner.as_ref() {
            Condition::Test(t) if fits_a_row(t) => Some(TestRow::of(t, true)),
            _ => None,
        },
        _ => None,
    };
    match condition {
        Condition::All(list) => Some((false, list.iter().map(row).collect::<Option<_>>()?)),
        Condition::Any(list) => Some((true, list.iter().map(row).collect::<Option<_>>()?)),
        single => Some((false, vec![row(single)?])),
    }
}

/// One branch's forms, or the form that adds one (`key` "new").
pub struct BranchForm {
    /// "0", "1"… or "new": what the page's ids and the form's `branch` field carry.
    pub key: String,
    pub number: usize,
    pub summary: String,
    pub next: String,
    /// `None`: the condition is too nested for rows, and is edited as JSON only.
    pub rows: Option<Vec<TestRow>>,
    pub any: bool,
    pub json: String,
    pub json_open: bool,
    pub problems: Vec<String>,
    /// A refusal of the whole condition or branch.
    pub error: Option<String>,
    pub json_error: Option<String>,
    pub next_error: Option<String>,
    pub is_first: bool,
    pub is_last: bool,
}

impl BranchForm {
    pub fn is_new(&self) -> bool {
        self.key == "new"
    }

    /// The value of the form's `branch` field: empty appends.
    pub fn branch_value(&self) -> &str {
        if self.is_new() { "" } else { &self.key }
    }

    pub fn id(&self, step: &str, field: &str) -> String {
        rule_field_id(step, &self.key, field)
    }

    /// `aria-describedby` of the condition's fieldset.
    pub fn described(&self, step: &str) -> String {
        let mut ids = Vec::new();
        if !self.problems.is_empty() {
            ids.push(self.id(step, "problems"));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id(step, "when")));
        }
        ids.join(" ")
    }

    fn new(key: String, branch: Option<&Branch>) -> Self {
        let simple = branch.map_or(Some((false, Vec::new())), |b| rows_of(&b.when));
        let (any, rows) = match simple {
            Some((any, mut rows)) => {
                rows.push(TestRow::blank());
                (any, Some(rows))
            }
            None => (false, None),
        };
        BranchForm {
            number: key.parse::<usize>().map_or(0, |i| i + 1),
            key,
            summary: branch.map(|b| b.when.summary()).unwrap_or_default(),
            next: branch.map(|b| b.next.clone()).unwrap_or_default(),
            json: branch
                .and_then(|b| serde_json::to_string_pretty(&b.when).ok())
                .unwrap_or_default(),
            json_open: rows.is_none(),
            rows,
            any,
            problems: Vec::new(),
            error: None,
            json_error: None,
            next_error: None,
            is_first: false,
            is_last: false,
        }
    }

    /// What was typed in a refused form, with the message beside the field at fault.
    fn refused_with(&mut self, failed: &FailedEdit) {
        let typed = |name: &str| {
            failed
                .typed
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if let Some(next) = typed("next") {
            self.next = next;
        }
        let message = failed.message.clone();
        if let Some(json) = typed("when_json") {
            self.json = json;
            self.json_open = true;
            if failed.field == "next" {
                self.next_error = Some(message);
            } else {
                self.json_error = Some(message);
            }
            return;
        }
        let mut rows = rows_in(&failed.typed);
        if !rows.last().is_some_and(TestRow::is_blank) {
            rows.push(TestRow::blank());
        }
        self.any = typed("match").as_deref() == Some("any");
        if failed.field == "next" {
            self.next_error = Some(message);
        } else {
            // The first row with a problem of its own takes the message; an empty or
            // otherwise whole-condition problem goes beside the condition.
            let at_fault = rows.iter_mut().filter(|r| !r.is_blank()).find_map(|r| {
                let code = r.condition().problems().into_iter().next()?.0;
                Some((r, code))
            });
            match at_fault {
                Some((row, code)) => {
                    let field = match code {
                        "missing_attribute_name" | "unknown_fact" => "attribute",
                        "unknown_op" => "op",
                        _ => "value",
                    };
                    row.error = Some((field, message));
                }
                None => self.error = Some(message),
            }
        }
        self.rows = Some(rows);
    }
}

/// Everything the draft page shows for one decision step.
pub struct RuleEditor {
    pub branches: Vec<BranchForm>,
    pub add: BranchForm,
    pub otherwise: String,
    pub otherwise_error: Option<String>,
    /// A refused move or removal of a branch.
    pub error: Option<String>,
    /// What a test may read: what the flow collects, then the context facts.
    pub attributes: Vec<String>,
    pub ops: Vec<&'static str>,
    pub locales: Vec<(&'static str, &'static str)>,
}

impl RuleEditor {
    /// The branches' forms, then the form that adds one.
    pub fn forms(&self) -> Vec<&BranchForm> {
        self.branches.iter().chain([&self.add]).collect()
    }
}

/// What the flow asks for or its tasks provide, for the attribute inputs' suggestions.
fn attributes(def: &FlowDefinition) -> Vec<String> {
    let mut names = BTreeSet::new();
    for step in &def.steps {
        match &step.kind {
            StepKind::View { components, .. } => {
                names.extend(
                    flatten(components)
                        .iter()
                        .filter(|c| !c.is_secret())
                        .filter_map(|c| c.attribute()),
                );
            }
            StepKind::Task { executor, .. } => names.extend(executor.provides().iter().copied()),
            StepKind::Rule { .. } | StepKind::End { .. } => {}
        }
    }
    names
        .into_iter()
        .map(str::to_owned)
        .chain(rule::CONTEXT_FACTS.map(str::to_owned))
        .collect()
}

fn locales() -> Vec<(&'static str, &'static str)> {
    Locale::all().map(|l| (l.tag(), l.name())).collect()
}

/// The editor of every decision step, by step id.
pub fn editors(
    def: &FlowDefinition,
    problems: &[Problem],
    failed: Option<&FailedEdit>,
    tr: &Tr,
) -> BTreeMap<String, RuleEditor> {
    let mut out = BTreeMap::new();
    for (step, branches, otherwise) in def.decisions() {
        let failed = failed.filter(|f| f.step == step.id && is_decision_edit(&f.op));
        let count = branches.len();
        let mut forms: Vec<BranchForm> = branches
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut form = BranchForm::new(i.to_string(), Some(b));
                form.is_first = i == 0;
                form.is_last = i + 1 == count;
                form.problems = problems
                    .iter()
                    .filter(|p| p.step.as_deref() == Some(step.id.as_str()))
                    .filter(|p| p.branch == Some(i))
                    .map(|p| p.message.in_(tr))
                    .collect();
                form
            })
            .collect();
        let mut add = BranchForm::new("new".into(), None);
        let (mut otherwise_error, mut error) = (None, None);
        if let Some(f) = failed {
            let key = f
                .typed
                .iter()
                .rev()
                .find(|(k, _)| k == "branch")
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default();
            let form = match key.parse::<usize>() {
                Ok(i) => forms.get_mut(i),
                Err(_) => Some(&mut add),
            };
            // Beside the field at fault when the page has it, else on top of the decision.
            match (f.op.as_str(), f.field.as_str(), form) {
                ("set_branch", "when" | "next", Some(form)) => form.refused_with(f),
                ("set_otherwise", "next", _) => otherwise_error = Some(f.message.clone()),
                _ => error = Some(f.message.clone()),
            }
        }
        let editor = RuleEditor {
            branches: forms,
            add,
            otherwise: otherwise.to_owned(),
            otherwise_error,
            error,
            attributes: attributes(def),
            ops: Op::ALL.iter().map(Op::as_name).collect(),
            locales: locales(),
        };
        out.insert(step.id.clone(), editor);
    }
    out
}

#[derive(serde::Deserialize)]
struct TryQuery {
    #[serde(default)]
    facts: String,
    #[serde(default)]
    locale: String,
}

#[derive(Template)]
#[template(path = "admin/rule_try.html")]
struct TryPage {
    layout: AdminLayout,
    flow_type: &'static str,
    step: String,
    facts: String,
    locale: String,
    locales: Vec<(&'static str, &'static str)>,
    /// (branch, its summary) in order, then where `otherwise` leads.
    branches: Vec<(String, String)>,
    otherwise: String,
    /// "Branch 2 → provision" or "Otherwise → set_password".
    outcome: String,
    /// Lines that are not `name=value`.
    ignored: Vec<String>,
}

/// The facts a sample names, one `name=value` a line, as the engine keeps them: the context
/// facts under the attribute they are read from, `context.locale` as the language.
fn sample_facts(text: &str) -> (BTreeMap<String, String>, Option<String>, Vec<String>) {
    let mut attributes = BTreeMap::new();
    let mut locale = None;
    let mut ignored = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once('=') else {
            ignored.push(line.to_owned());
            continue;
        };
        let (name, value) = (name.trim(), value.trim().to_owned());
        match name {
            "context.locale" => locale = Some(value),
            "context.application" => {
                attributes.insert("application_id".to_owned(), value);
            }
            "context.email_verified" => {
                attributes.insert("email_verified".to_owned(), value);
            }
            _ => {
                let name = rule::collected_name(name).unwrap_or(name);
                attributes.insert(name.to_owned(), value);
            }
        }
    }
    (attributes, locale, ignored)
}

/// Which branch the draft's decision `step` takes for sample facts: a GET form, so the
/// sample stays in the address and nothing is saved.
async fn try_decision(
    AdminFlow { admin, flow_type }: AdminFlow,
    path: web::Path<(String, String)>,
    query: web::Query<TryQuery>,
) -> HttpResponse {
    let (req, session, state) = admin.parts();
    let (_, step) = path.into_inner();
    let draft = match state.engine.draft(flow_type).await {
        Ok(Some(d)) => d,
        Ok(None) => return not_found(req, session),
        Err(e) => return error::internal(req, &e),
    };
    let Some(StepKind::Rule {
        branches,
        otherwise,
    }) = draft.definition.step(&step).map(|s| &s.kind)
    else {
        return not_found(req, session);
    };
    let query = query.into_inner();
    let (attributes, named_locale, ignored) = sample_facts(&query.facts);
    let locale = named_locale.unwrap_or_else(|| match query.locale.trim() {
        "" => Locale::default().tag().to_owned(),
        tag => tag.to_owned(),
    });
    let facts = Facts {
        attributes: &attributes,
        locale: &locale,
    };
    let tr = admin.console_tr();
    let outcome = match rule::choose(branches, &facts) {
        Some(i) => tr.t_args(
            "ui.builder.rule.takes_branch",
            &[
                ("n", (i + 1).to_string()),
                (
                    "next",
                    branches.get(i).map(|b| b.next.clone()).unwrap_or_default(),
                ),
            ],
        ),
        None if otherwise.is_empty() => tr.t("ui.builder.rule.takes_otherwise_nowhere"),
        None => tr.t_args(
            "ui.builder.rule.takes_otherwise",
            &[("next", otherwise.clone())],
        ),
    };
    let base = format!("{}/draft", flow_url(flow_type));
    let page = TryPage {
        layout: admin
            .layout(tr.t_args("ui.builder.rule.try_title", &[("step", step.clone())]))
            .under_flow(flow_type)
            .crumb(&base, admin.t("ui.builder.flow.draft")),
        flow_type: flow_type.as_str(),
        branches: branches
            .iter()
            .map(|b| (b.next.clone(), b.when.summary()))
            .collect(),
        otherwise: otherwise.clone(),
        step,
        facts: query.facts,
        locale,
        locales: locales(),
        outcome,
        ignored,
    };
    html(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormFields {
        FormFields::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    fn json(c: &Condition) -> serde_json::Value {
        serde_json::to_value(c).unwrap()
    }

    #[test]
    fn rows_make_a_test_a_negation_or_all_or_any_and_blank_rows_are_ignored() {
        let one = condition_of(&form(&[
            ("match", "any"),
            ("t0_attribute", "country"),
            ("t0_op", "in"),
            ("t0_value", "FR, BE,"),
            ("t1_attribute", ""),
            ("t1_op", "equals"),
            ("t1_value", ""),
        ]))
        .unwrap();
        assert_eq!(
            json(&one),
            serde_json::json!({"attribute": "country", "op": "in", "values": ["FR", "BE"]})
        );
        let two = condition_of(&form(&[
            ("match", "any"),
            ("t0_attribute", "email"),
            ("t0_not", "true"),
            ("t0_op", "domain_in"),
            ("t0_value", "corp.example"),
            ("t1_attribute", "context.locale"),
            ("t1_op", "equals"),
            ("t1_value", "fr"),
            ("t2_attribute", ""),
            ("t2_value", ""),
        ]))
        .unwrap();
        assert_eq!(
            json(&two),
            serde_json::json!({"any": [
                {"not": {"attribute": "email", "op": "domain_in", "values": ["corp.example"]}},
                {"attribute": "context.locale", "op": "equals", "value": "fr"},
            ]})
        );
        assert_eq!(
            rows_of(&two).map(|(any, rows)| (any, rows.len())),
            Some((true, 2))
        );
        let nested = Condition::All(vec![two]);
        assert!(rows_of(&nested).is_none());
        let empty = condition_of(&form(&[("t0_attribute", ""), ("t0_value", "")])).unwrap();
        assert_eq!(json(&empty), serde_json::json!({"all": []}));
    }

    #[test]
    fn tests_a_row_cannot_show_whole_are_edited_as_json() {
        let c = |v: serde_json::Value| serde_json::from_value::<Condition>(v).unwrap();
        for whole in [
            serde_json::json!({"attribute": "a", "op": "resembles", "value": "x"}),
            serde_json::json!({"attribute": "a", "op": "in", "values": ["x,y"]}),
            serde_json::json!({"attribute": "a", "op": "present", "value": "x"}),
            serde_json::json!({"any": [{"attribute": "a", "op": "equals", "value": "x", "values": ["y"]}]}),
        ] {
            assert!(rows_of(&c(whole.clone())).is_none(), "{whole}");
        }
        assert!(
            rows_of(&c(
                serde_json::json!({"attribute": "a", "op": "in", "values": ["x", "y"]})
            ))
            .is_some()
        );
    }

    #[test]
    fn after_a_branch_edit_the_page_opens_at_the_branch() {
        let mut def = crate::engine::starter::by_id("registration-otp")
            .unwrap()
            .definition()
            .unwrap();
        def.steps.push(
            serde_json::from_value(serde_json::json!({
            "id": "route", "type": "RULE", "otherwise": "done", "branches": [
                {"when": {"attribute": "a", "op": "present"}, "next": "done"},
                {"when": {"attribute": "b", "op": "present"}, "next": "done"},
            ]}))
            .unwrap(),
        );
        let set = |branch| Edit::SetBranch {
            step: "route".into(),
            branch,
            when: Condition::All(vec![]),
            next: "done".into(),
        };
        let moved = |branch, direction| Edit::MoveBranch {
            step: "route".into(),
            branch,
            direction,
        };
        let at = |edit: Edit| anchor_after(&edit, &def);
        assert_eq!(at(set(None)).as_deref(), Some("#rule-route-1-branch"));
        assert_eq!(at(set(Some(0))).as_deref(), Some("#rule-route-0-branch"));
        assert_eq!(
            at(moved(1, Direction::Up)).as_deref(),
            Some("#rule-route-0-branch")
        );
        assert_eq!(
            at(moved(0, Direction::Down)).as_deref(),
            Some("#rule-route-1-branch")
        );
        assert_eq!(
            at(moved(1, Direction::Down)).as_deref(),
            Some("#rule-route-1-branch")
        );
        assert_eq!(
            at(Edit::SetOtherwise {
                step: "route".into(),
                next: "done".into()
            })
            .as_deref(),
            Some("#otherwise-route")
        );
        assert_eq!(
            at(Edit::RemoveBranch {
                step: "route".into(),
                branch: 0
            }),
            None
        );
    }

    #[test]
    fn json_wins_over_rows_and_bad_json_is_refused_on_the_condition() {
        let c = condition_of(&form(&[
            ("when_json", r#"{"attribute": "a", "op": "present"}"#),
            ("t0_attribute", "b"),
        ]))
        .unwrap();
        assert_eq!(
            json(&c),
            serde_json::json!({"attribute": "a", "op": "present"})
        );
        let e = condition_of(&form(&[("when_json", "{")])).unwrap_err();
        assert_eq!((e.field, e.code), ("when", "bad_json"));
        assert!(e.message.faults().is_empty(), "{:?}", e.message.faults());
    }

    #[test]
    fn samples_name_attributes_and_context_facts() {
        let (attributes, locale, ignored) = sample_facts(
            "email = ada@corp.example\ncontext.application=app1\ncontext.locale=fr\nnonsense\n\n",
        );
        assert_eq!(
            attributes.get("email").map(String::as_str),
            Some("ada@corp.example")
        );
        assert_eq!(
            attributes.get("application_id").map(String::as_str),
            Some("app1")
        );
        assert_eq!(locale.as_deref(), Some("fr"));
        assert_eq!(ignored, ["nonsense"]);
    }
}
