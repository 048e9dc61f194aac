use super::{config, hostile_text};
use crate::domain::{ExecutionId, ExecutionStatus, FlowType, FlowVersionId, UserId};
use proptest::prelude::*;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn ids_never_panic_on_text(raw in hostile_text()) {
        let _ = raw.parse::<ExecutionId>();
        let _ = raw.parse::<FlowVersionId>();
        let _ = raw.parse::<UserId>();
        let _ = raw.parse::<FlowType>();
        let _ = ExecutionStatus::parse(&raw);
    }

    #[test]
    fn ids_print_and_parse_back(bits in any::<u128>()) {
        let id = ExecutionId(uuid::Uuid::from_u128(bits));
        let shown = id.to_string();
        prop_assert_eq!(shown.len(), 36);
        prop_assert_eq!(shown.parse::<ExecutionId>().ok(), Some(id));
        // Hex in capitals names the same id.
        prop_assert_eq!(shown.to_uppercase().parse::<ExecutionId>().ok(), Some(id));
        let json = serde_json::to_string(&id).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(json, format!("\"{shown}\""));
        let user = UserId(uuid::Uuid::from_u128(bits));
        prop_assert_eq!(user.to_string().parse::<UserId>().ok(), Some(user));
        let version = FlowVersionId(uuid::Uuid::from_u128(bits));
        prop_assert_eq!(version.to_string().parse::<FlowVersionId>().ok(), Some(version));
    }

    #[test]
    fn a_parsed_id_prints_in_its_one_canonical_form(raw in "[0-9a-fA-F-]{32,40}") {
        if let Ok(id) = raw.parse::<UserId>() {
            let shown = id.to_string();
            prop_assert_eq!(shown.parse::<UserId>().ok(), Some(id));
            prop_assert_eq!(&shown, &shown.to_lowercase());
        }
    }

    #[test]
    fn flow_types_parse_in_any_case(t in prop::sample::select(FlowType::ALL.to_vec()), upper in prop::collection::vec(any::<bool>(), 40)) {
        let mixed: String = t
            .as_str()
            .chars()
            .zip(upper)
            .map(|(c, up)| if up { c } else { c.to_ascii_lowercase() })
            .collect();
        prop_assert_eq!(mixed.parse::<FlowType>(), Ok(t));
        prop_assert_eq!(t.to_string().parse::<FlowType>(), Ok(t));
    }
}

#[test]
fn statuses_print_and_parse_back() {
    for status in [
        ExecutionStatus::Incomplete,
        ExecutionStatus::Complete,
        ExecutionStatus::Error,
        ExecutionStatus::Expired,
    ] {
        assert_eq!(ExecutionStatus::parse(status.as_str()), status);
    }
}
