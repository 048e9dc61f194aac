//! The way back from a provider: the callback resumes the execution at the step that sent
//! the person away. A refusal (consent refused, a `state` that does not match, a replayed or
//! late callback, a provider that fails) puts them back on the page they left, with the
//! reason above its form, never on a dead end.

use super::journeys::StepChange;
use super::{Engine, EngineError, ExecutorName, FieldError, FieldErrors, Reply, TaskResult};
use crate::domain::{ExecutionId, ExecutionStatus};
use crate::engine::graph::StepKind;
use crate::engine::inputs::Inputs;
use crate::i18n::Locale;
use crate::store::CommitOutcome;
use std::collections::HashMap;

/// What a provider's callback carried.
#[derive(Debug, Default, Clone)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

impl Engine {
    /// Resumes `id` with a provider's callback. An execution not waiting for one (a replay,
    /// or a second tab that already came back) is shown where it is.
    pub async fn social_callback(
        &self,
        id: ExecutionId,
        callback: Callback,
        locale: Locale,
        client: Option<&str>,
    ) -> Result<Reply, EngineError> {
        let mut execution = self.load(id).await?;
        let flow = self.flow(execution.flow_id).await?;
        let waiting = flow.step(&execution.step).is_some_and(|s| {
            matches!(
                s.kind,
                StepKind::Task {
                    executor: ExecutorName::OpenIdConnect,
                    ..
                }
            )
        });
        if execution.status != ExecutionStatus::Incomplete || !waiting {
            return Ok(Reply::Stale { execution });
        }
        let task = execution.step.clone();
        // Refused, the person is back on the page they left from.
        let view = execution
            .secrets
            .visited
            .last()
            .cloned()
            .unwrap_or_else(|| flow.start.clone());
        execution.step = view.clone();
        let inputs = Inputs::callback(callback.code, callback.state, callback.error);
        let change = StepChange {
            flow: &flow,
            first: &task,
            inputs: &inputs,
            read_revision: Some(execution.revision),
            locale,
            client,
            now: self.now(),
        };
        match self
            .run_and_commit(&mut execution, change, Vec::new())
            .await?
        {
            Ok((TaskResult::Invalid(errors), _)) => Ok(Reply::Invalid {
                execution,
                view,
                errors,
                values: HashMap::new(),
            }),
            Ok((_, notice)) => Ok(Reply::Moved { execution, notice }),
            Err(CommitOutcome::UserExists) => Ok(Reply::Invalid {
                execution: self.load(id).await?,
                view,
                errors: FieldErrors::form(FieldError::new("could_not_register")),
                values: HashMap::new(),
            }),
            // Another callback (a second tab, a replay) moved it first.
            Err(_) => Ok(Reply::Stale {
                execution: self.load(id).await?,
            }),
        }
    }
}
