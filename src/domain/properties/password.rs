use super::{config, hostile_text};
use crate::domain::PasswordPolicy;
use proptest::prelude::*;

const CHECK_CODES: &[&str] = &[
    "required",
    "password_too_short",
    "password_too_long",
    "password_common",
    "password_personal",
];

fn any_policy() -> impl Strategy<Value = PasswordPolicy> {
    (0usize..2000, 0usize..2000, any::<bool>(), any::<bool>()).prop_map(
        |(min_length, max_length, block_common, check_personal)| PasswordPolicy {
            min_length,
            max_length,
            block_common,
            check_personal,
        },
    )
}

/// What an owner may type into a bound: numbers in and out of range, padded, or anything.
fn typed_bound() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..2000).prop_map(|n| n.to_string()),
        (0u64..2000).prop_map(|n| format!(" {n}\t")),
        any::<i64>().prop_map(|n| n.to_string()),
        hostile_text(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn normalising_keeps_the_nist_floors_and_is_idempotent(policy in any_policy()) {
        let once = policy.normalised();
        prop_assert!(once.min_length >= 8);
        prop_assert!(once.max_length >= 64);
        prop_assert!(once.max_length >= once.min_length);
        prop_assert_eq!(once.clone().normalised(), once);
    }

    #[test]
    fn typed_bounds_are_in_range_or_refused_by_field(
        min in typed_bound(),
        max in typed_bound(),
        block_common in any::<bool>(),
        check_personal in any::<bool>(),
    ) {
        match PasswordPolicy::from_typed(&min, &max, block_common, check_personal) {
            Ok(p) => {
                prop_assert!((8..=64).contains(&p.min_length));
                prop_assert!((64..=1024).contains(&p.max_length));
                prop_assert_eq!(Some(p.min_length), min.trim().parse().ok());
                prop_assert_eq!(Some(p.max_length), max.trim().parse().ok());
                prop_assert_eq!((p.block_common, p.check_personal), (block_common, check_personal));
                prop_assert_eq!(p.clone().normalised(), p);
            }
            Err(errors) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.0).collect();
                prop_assert!(matches!(fields.as_slice(), ["min_length"] | ["max_length"] | ["min_length", "max_length"]), "{:?}", fields);
            }
        }
    }

    #[test]
    fn every_bound_in_range_is_accepted(min in 8usize..=64, max in 64usize..=1024) {
        let p = PasswordPolicy::from_typed(&min.to_string(), &max.to_string(), true, true);
        prop_assert_eq!(p.map(|p| (p.min_length, p.max_length)), Ok((min, max)));
    }

    #[test]
    fn checking_never_panics_and_accepts_only_within_bounds(
        policy in any_policy(),
        candidate in hostile_text(),
        personal in proptest::collection::vec(hostile_text(), 0..3),
    ) {
        let policy = policy.normalised();
        let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
        match policy.check(&candidate, &personal) {
            Ok(()) => {
                let len = candidate.chars().count();
                prop_assert!(len >= policy.min_length && len <= policy.max_length);
            }
            Err(e) => prop_assert!(CHECK_CODES.contains(&e.code), "{}", e.code),
        }
    }

    #[test]
    fn a_password_that_is_the_persons_address_is_refused(
        local in "[a-z][a-z0-9.]{7,30}",
        domain in "[a-z]{3,10}\\.(com|org)",
    ) {
        let email = format!("{local}@{domain}");
        let policy = PasswordPolicy::default();
        for candidate in [email.clone(), email.to_uppercase(), local.clone()] {
            let refused = policy.check(&candidate, &[&email]).map_err(|e| e.code);
            // A local part that happens to be on the blocklist is refused for that first.
            prop_assert!(matches!(refused, Err("password_personal" | "password_common")), "{candidate}: {refused:?}");
        }
    }
}
