//! The hosted pages' form path: an `application/x-www-form-urlencoded` body is decoded as
//! actix's `web::Form<Vec<(String, String)>>` does (serde_urlencoded), the fields the page
//! itself adds are set aside as `submit_step` does, and what is left is mapped onto and
//! checked against every view of every starter template, as `Engine::submit` does. Nothing
//! may panic; a refused form names only fields the view has.

#![no_main]

use flows::domain::{Execution, ExecutionId, ExecutionSecrets, FlowVersionId, PasswordPolicy};
use flows::engine::{
    ExecutionStatus, FlowType, FormRules, Inputs, Step, StepKind, flatten, starter, validate_inputs,
};
use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

static VIEWS: LazyLock<Vec<Step>> = LazyLock::new(|| {
    starter::all()
        .iter()
        .flat_map(|t| t.definition().expect("starter templates parse").steps)
        .filter(|s| matches!(s.kind, StepKind::View { .. }))
        .collect()
});

static EXECUTION: LazyLock<Execution> = LazyLock::new(|| Execution {
    id: ExecutionId::new(),
    flow_id: FlowVersionId::new(),
    flow_type: FlowType::Registration,
    step: String::new(),
    status: ExecutionStatus::Incomplete,
    attributes: BTreeMap::from([("email".to_owned(), "ada@example.com".to_owned())]),
    secrets: ExecutionSecrets::default(),
    user_id: None,
    revision: 0,
    created_at: time::OffsetDateTime::UNIX_EPOCH,
    updated_at: time::OffsetDateTime::UNIX_EPOCH,
    expires_at: time::OffsetDateTime::UNIX_EPOCH,
});

fuzz_target!(|body: &[u8]| {
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return;
    };
    let inputs: HashMap<String, String> = form
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf_token" | "step" | "action"))
        .collect();
    let policy = PasswordPolicy::default();
    for view in VIEWS.iter() {
        let components = view.components();
        let Ok(parsed) = Inputs::parse(components, &inputs) else {
            continue;
        };
        let rules = FormRules {
            policy: &policy,
            default_region: Some("GB"),
        };
        let (values, errors) = validate_inputs(components, &parsed, &EXECUTION, &rules);
        let attributes: Vec<&str> = flatten(components)
            .into_iter()
            .filter_map(|c| c.attribute())
            .collect();
        for (field, _) in &errors.fields {
            assert!(attributes.contains(&field.as_str()), "error for {field}");
        }
        for field in values.keys() {
            assert!(attributes.contains(&field.as_str()), "value for {field}");
        }
    }
});
