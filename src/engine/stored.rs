//! Flow definitions as the store keeps them: JSON text that only the engine reads. The store
//! persists it untouched; writing and reading it happen here, at the engine's edge. A stored
//! definition that does not read is corrupt data: `StoreError::Corrupt`, as a bad row is.

use super::Engine;
use super::graph::FlowDefinition;
use crate::domain::{FlowType, FlowVersionId};
use crate::store::{DraftRow, FlowVersionRow, StoreError};
use time::OffsetDateTime;

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

/// A stored flow version with its definition read. The fields are those of `FlowVersionRow`.
#[derive(Debug, Clone)]
pub struct FlowVersion {
    pub id: FlowVersionId,
    pub flow_type: FlowType,
    pub version: i64,
    pub status: String,
    pub definition: FlowDefinition,
    pub created_at: OffsetDateTime,
}

impl TryFrom<FlowVersionRow> for FlowVersion {
    type Error = StoreError;
    fn try_from(row: FlowVersionRow) -> Result<Self, StoreError> {
        Ok(FlowVersion {
            id: row.id,
            flow_type: row.flow_type,
            version: row.version,
            status: row.status,
            definition: FlowDefinition::from_stored(&row.definition)?,
            created_at: row.created_at,
        })
    }
}

/// The console's draft of a flow type with its definition read: what the console and the
/// management API show and edit. The fields are those of `DraftRow`.
#[derive(Debug, Clone)]
pub struct Draft {
    pub flow_type: FlowType,
    pub definition: FlowDefinition,
    pub can_undo: bool,
    pub revision: i64,
    /// Where the draft came from, in words: "template registration-otp", "version 3", "import".
    pub source: String,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub updated_at: OffsetDateTime,
    pub updated_by: String,
}

impl TryFrom<DraftRow> for Draft {
    type Error = StoreError;
    fn try_from(row: DraftRow) -> Result<Self, StoreError> {
        Ok(Draft {
            flow_type: row.flow_type,
            definition: FlowDefinition::from_stored(&row.definition)?,
            can_undo: row.can_undo,
            revision: row.revision,
            source: row.source,
            created_at: row.created_at,
            created_by: row.created_by,
            updated_at: row.updated_at,
            updated_by: row.updated_by,
        })
    }
}

/// The store's look-ups of definitions, read. For the console and the API, which show and
/// edit any version; journeys go through the cached `Engine::flow`.
impl Engine {
    pub async fn flow_version(&self, id: FlowVersionId) -> Result<Option<FlowVersion>, StoreError> {
        let row = self.store().flow_version(id).await?;
        row.map(FlowVersion::try_from).transpose()
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
        row.map(FlowVersion::try_from).transpose()
    }

    /// The draft of a flow type, if there is one.
    pub async fn draft(&self, flow_type: FlowType) -> Result<Option<Draft>, StoreError> {
        let row = self.store().draft(flow_type).await?;
        row.map(Draft::try_from).transpose()
    }
}
