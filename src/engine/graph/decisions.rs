//! The checks `validate` makes of decision (`RULE`) steps and of loops without a page: kept
//! apart from the rest of the graph's checks, which read views and tasks.

use super::{FlowDefinition, Problem, Step, StepKind, gives};
use crate::engine::rule::{self, Branch};
use crate::i18n::Said;
use std::collections::{HashMap, HashSet};

impl FlowDefinition {
    /// Problems of one decision step, each naming the branch (`None`: `otherwise`).
    pub(super) fn rule_problems<'a>(
        &'a self,
        index: &HashMap<&'a str, &'a Step>,
        uncollected: &mut HashMap<&'a str, HashSet<&'a str>>,
        step: &'a str,
        branches: &'a [Branch],
        otherwise: &str,
        out: &mut Vec<Problem>,
    ) {
        let mut push = |branch: Option<usize>, code: &'static str, message: Said| {
            out.push(Problem {
                step: Some(step.to_owned()),
                component: None,
                code,
                message,
                branch,
            })
        };
        if branches.is_empty() {
            push(
                None,
                "rule_without_branch",
                Said::new("ui.problem.rule_without_branch").with("step", step),
            );
        }
        for (i, branch) in branches.iter().enumerate() {
            let n = i + 1;
            if !index.contains_key(branch.next.as_str()) {
                push(
                    Some(i),
                    "branch_leads_nowhere",
                    Said::new("ui.problem.branch_leads_nowhere")
                        .with("n", n)
                        .with("step", step)
                        .with("target", &branch.next),
                );
            }
            for (code, why) in branch.when.problems() {
                let said = Said::new("ui.problem.branch_condition")
                    .with("n", n)
                    .with("step", step)
                    .with_said("why", why);
                push(Some(i), code, said);
            }
            let mut named = HashSet::new();
            for test in branch.when.tests() {
                let Some(name) = rule::collected_name(&test.attribute) else {
                    continue;
                };
                if name.is_empty()
                    || !named.insert(name)
                    || self.flow_type.provided_at_start().contains(&name)
                {
                    continue;
                }
                let open = uncollected
                    .entry(name)
                    .or_insert_with(|| self.reached_without(index, name));
                if open.contains(step) {
                    push(
                        Some(i),
                        "attribute_not_collected",
                        Said::new("ui.problem.attribute_not_collected")
                            .with("n", n)
                            .with("step", step)
                            .with("attribute", name),
                    );
                }
            }
        }
        if !index.contains_key(otherwise) {
            push(
                None,
                "branch_leads_nowhere",
                Said::new("ui.problem.otherwise_leads_nowhere")
                    .with("step", step)
                    .with("target", otherwise),
            );
        }
    }

    /// The steps a person can reach from the start without any step giving `attribute`
    /// first (a giving step is reached, but not passed).
    fn reached_without<'a>(
        &'a self,
        index: &HashMap<&'a str, &'a Step>,
        attribute: &str,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        let mut stack = vec![self.start.as_str()];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(step) = index.get(id)
                && !gives(step, attribute)
            {
                stack.extend(Self::successors(step));
            }
        }
        seen
    }

    /// Steps on a cycle of tasks and decisions alone: a person would never see a page
    /// again. A link's `verified` outcome resumes in a later request, so it is no edge here.
    /// Kahn's algorithm both ways leaves the cycles (and what lies between two of them).
    pub(super) fn loops_without_view<'a>(
        &'a self,
        index: &HashMap<&'a str, &'a Step>,
    ) -> Vec<&'a str> {
        let silent = |id: &str| {
            index
                .get(id)
                .is_some_and(|s| matches!(s.kind, StepKind::Task { .. } | StepKind::Rule { .. }))
        };
        let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
        for step in self.steps.iter().filter(|s| silent(&s.id)) {
            if edges.contains_key(step.id.as_str()) {
                continue;
            }
            let targets = match &step.kind {
                StepKind::Task { next, .. } => next
                    .iter()
                    .filter(|(o, _)| o.as_str() != "verified")
                    .map(|(_, n)| n.as_str())
                    .collect(),
                _ => Self::successors(step),
            };
            let mut targets: Vec<&str> = targets.into_iter().filter(|t| silent(t)).collect();
            targets.sort_unstable();
            targets.dedup();
            edges.insert(step.id.as_str(), targets);
        }
        let peel = |edges: &HashMap<&'a str, Vec<&'a str>>| -> HashSet<&'a str> {
            let mut degree: HashMap<&str, usize> = edges.keys().map(|k| (*k, 0)).collect();
            for targets in edges.values() {
                for t in targets {
                    *degree.entry(t).or_default() += 1;
                }
            }
            let mut free: Vec<&str> = degree
                .iter()
                .filter(|(_, d)| **d == 0)
                .map(|(k, _)| *k)
                .collect();
            let mut left: HashSet<&str> = degree.keys().copied().collect();
            while let Some(id) = free.pop() {
                left.remove(id);
                for t in edges.get(id).into_iter().flatten() {
                    let d = degree.entry(t).or_default();
                    *d -= 1;
                    if *d == 0 {
                        free.push(t);
                    }
                }
            }
            left
        };
        let forward = peel(&edges);
        let mut reversed: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, targets) in &edges {
            reversed.entry(from).or_default();
            for t in targets {
                reversed.entry(t).or_default().push(from);
            }
        }
        let backward = peel(&reversed);
        let mut stuck: Vec<&str> = self
            .steps
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| forward.contains(id) && backward.contains(id))
            .collect();
        stuck.dedup();
        stuck
    }
}
