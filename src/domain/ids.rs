use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        id_type!($(#[$doc])* $name;
            "Time-ordered (v7), so primary keys insert in order." => uuid::Uuid::now_v7());
    };
    ($(#[$doc:meta])* $name:ident; $new_doc:literal => $new:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            #[doc = $new_doc]
            pub fn new() -> Self {
                Self($new)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// One person's run through a flow. On the Flow Execution API it is the `flowId`, a
    /// bearer capability, so it is guessable from nothing: no time in it.
    ExecutionId;
    "122 bits from the operating system's random source (v4: `uuid` reads `getrandom`)."
        => uuid::Uuid::new_v4()
);
id_type!(
    /// One stored version of a flow definition.
    FlowVersionId
);
id_type!(
    /// An end-user account.
    UserId
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator itself, over a sample: every one of the 122 bits a v4 leaves free takes
    /// both values, none is stuck or skewed, the 6 fixed bits never move, and no two ids
    /// share a 48-bit prefix as ids that start with a timestamp do.
    #[test]
    fn an_execution_id_has_122_random_bits_and_no_time_in_it() {
        const SAMPLE: usize = 4096;
        let ids: Vec<u128> = (0..SAMPLE)
            .map(|_| ExecutionId::new().0.as_u128())
            .collect();
        let mut ones = [0usize; 128];
        for id in &ids {
            for (bit, count) in ones.iter_mut().enumerate() {
                *count += usize::from(id >> bit & 1 == 1);
            }
        }
        let free: Vec<usize> = (0..128)
            .filter(|&bit| ones[bit] != 0 && ones[bit] != SAMPLE)
            .collect();
        assert_eq!(free.len(), 122, "bits that vary");
        for &bit in &free {
            // Binomial(4096, ½): 5 standard deviations is about ±160.
            let skew = ones[bit].abs_diff(SAMPLE / 2);
            assert!(skew < 160, "bit {bit} is set in {} of {SAMPLE}", ones[bit]);
        }
        let mut prefixes: Vec<u128> = ids.iter().map(|id| id >> 80).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), SAMPLE, "ids sharing a 48-bit prefix");
        assert!(
            ids.iter()
                .all(|&id| uuid::Uuid::from_u128(id).get_version_num() == 4)
        );
    }
}
