//! Flow definitions as the store keeps them: JSON text that only the engine reads. The store
//! persists it untouched; writing and reading it happen here, at the engine's edge. A stored
//! definition that does not read is corrupt data: `StoreError::Corrupt`, as a bad row is.

use super::Engine;
use super::graph::FlowDefinition;
use crate::domain::{FlowType, FlowVersionId};
use crate::store::{DraftRow, FlowVersionRow, StoreError};

impl FlowDefinition {
    /// The text the store keeps for this definition.
    pub fn to_stored(&self) -> Result<String, StoreError> {
        Ok(serde_json::to_string(self)?)
    }

    /// A definition as read back from the store's text.
    pub fn from_stored(json: &str) -> Result<Self, StoreError> {
        Ok(serde_json::from_str(json)?)
    }
}

/// A stored flow version with its definition read.
pub type FlowVersion = FlowVersionRow<FlowDefinition>;

/// The console's draft of a flow type with its definition read: what the console and the
/// management API show and edit.
pub type Draft = DraftRow<FlowDefinition>;

fn read(json: String) -> Result<FlowDefinition, StoreError> {
    FlowDefinition::from_stored(&json)
}

/// The store's look-ups of definitions, read. For the console and the API, which show and
/// edit any version; journeys go through the cached `Engine::flow`.
impl Engine {
    pub async fn flow_version(&self, id: FlowVersionId) -> Result<Option<FlowVersion>, StoreError> {
        let row = self.store().flow_version(id).await?;
        row.map(|r| r.read(read)).transpose()
    }

    pub async fn flow_version_by_number(
        &self,
        flow_type: FlowType,
        version: i64,
    ) -> Result<Option<FlowVersion>, StoreError> {
        let row = self
            .store()
            .flow_version_by_number(flow_type, version)
            .await?;
        row.map(|r| r.read(read)).transpose()
    }

    /// The draft of a flow type, if there is one.
    pub async fn draft(&self, flow_type: FlowType) -> Result<Option<Draft>, StoreError> {
        let row = self.store().draft(flow_type).await?;
        row.map(|r| r.read(read)).transpose()
    }
}
