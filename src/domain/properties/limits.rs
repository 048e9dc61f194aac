use super::{config, hostile_text};
use crate::domain::{LIMIT_FIELDS, Limits};
use proptest::prelude::*;

/// The defaults, as the engine starts with them.
fn limits() -> Limits {
    crate::engine::EngineSettings::default().limits()
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(LIMIT_FIELDS.map(|f| f.name).to_vec()).prop_map(str::to_owned),
        1 => hostile_text(),
    ]
}

fn typed_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-100i64..5000).prop_map(|n| n.to_string()),
        (-100i64..5000).prop_map(|n| format!("  {n} ")),
        any::<i64>().prop_map(|n| n.to_string()),
        hostile_text(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn typed_limits_are_in_range_or_refused_beside_a_known_field(
        typed in proptest::collection::vec((field_name(), typed_value()), 0..6),
    ) {
        let pairs = typed.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match limits().with_typed(pairs) {
            Ok(next) => {
                prop_assert!(next.problems().is_empty());
                for spec in &LIMIT_FIELDS {
                    let value = next.get(spec.name);
                    prop_assert!(value.is_some_and(|v| (spec.min..=spec.max).contains(&v)), "{}", spec.name);
                    // The last value typed for a field is the one kept; the others stay.
                    let expected = match typed.iter().rev().find(|(n, _)| n == spec.name) {
                        Some((_, text)) => text.trim().parse::<i64>().ok(),
                        None => limits().get(spec.name),
                    };
                    prop_assert_eq!(value, expected, "{}", spec.name);
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    prop_assert!(LIMIT_FIELDS.iter().any(|f| f.name == e.field), "{}", e.field);
                    prop_assert!(e.message.faults().is_empty(), "{:?}", e.message.faults());
                }
            }
        }
    }

    #[test]
    fn every_value_in_a_fields_range_is_taken(index in 0..LIMIT_FIELDS.len(), pick in any::<prop::sample::Index>()) {
        let spec = LIMIT_FIELDS[index];
        let span = usize::try_from(spec.max - spec.min).unwrap_or(0) + 1;
        let value = spec.min + i64::try_from(pick.index(span)).unwrap_or(0);
        let text = value.to_string();
        match limits().with_typed([(spec.name, text.as_str())]) {
            Ok(next) => {
                prop_assert_eq!(next.get(spec.name), Some(value));
                // Nothing else moved.
                for other in LIMIT_FIELDS.iter().filter(|f| f.name != spec.name) {
                    prop_assert_eq!(next.get(other.name), limits().get(other.name));
                }
            }
            // In range alone, but a resend wait must stay shorter than a code's lifetime.
            Err(errors) => prop_assert!(errors.iter().all(|e| e.field == "resend_interval_seconds"), "{:?}", errors),
        }
    }

    #[test]
    fn a_value_out_of_range_is_refused_beside_its_field(index in 0..LIMIT_FIELDS.len(), beyond in 1i64..1_000_000, below in any::<bool>()) {
        let spec = LIMIT_FIELDS[index];
        let value = if below { spec.min - beyond } else { spec.max + beyond };
        let text = value.to_string();
        let errors = limits().with_typed([(spec.name, text.as_str())]).err().unwrap_or_default();
        prop_assert!(errors.iter().any(|e| e.field == spec.name), "{}", spec.name);
    }
}
