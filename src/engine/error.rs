use crate::domain::{Execution, FlowType};

/// Why the engine could not act. The web edge maps each to a page or an API error code.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("no such execution")]
    UnknownExecution,
    #[error("the execution expired")]
    Expired(Box<Execution>),
    #[error("flow type {0} has no published flow")]
    NoPublishedFlow(FlowType),
    #[error("flow type {0} is disabled")]
    FlowDisabled(FlowType),
    #[error("action {0:?} is not offered by this step")]
    InvalidAction(String),
    #[error("input {0:?} is not offered by this step")]
    UnexpectedInput(String),
    #[error("the flow definition is broken at step {0:?}")]
    BrokenFlow(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Hash(#[from] crate::password_hash::HashError),
    #[error("mail could not be composed: {0}")]
    Mail(String),
    #[error("only an owner may do this")]
    OwnerOnly,
}

impl EngineError {
    /// The database cannot serve now (see `StoreError::is_unavailable`), or password
    /// hashing is saturated: nothing changed, and the same request will do shortly.
    pub fn is_unavailable(&self) -> bool {
        self.unavailable_reason().is_some()
    }

    /// Why, in words for the operator's log.
    pub fn unavailable_reason(&self) -> Option<&'static str> {
        match self {
            EngineError::Store(e) => e.unavailable_reason(),
            EngineError::Hash(e) if e.is_busy() => Some("password hashing is saturated"),
            _ => None,
        }
    }
}

/// Why a link could not be confirmed. Each lands on a page that explains and offers a way on.
#[derive(Debug)]
pub enum LinkProblem {
    Unknown,
    Used {
        execution: Option<crate::domain::ExecutionId>,
    },
    Expired {
        flow_type: Option<FlowType>,
    },
}
