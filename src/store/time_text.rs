//! Times are stored as fixed-width RFC 3339 text in UTC, so that string comparison in SQL
//! is chronological on every backend.

use super::StoreError;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

pub fn to_text(t: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.to_offset(UtcOffset::UTC).format(&fmt).unwrap_or_default()
}

pub fn from_text(s: &str) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| StoreError::Corrupt(format!("time {s:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn round_trips_and_sorts() {
        let a = datetime!(2026-01-02 03:04:05.5 UTC);
        let b = datetime!(2026-01-02 03:04:05.25 +01:00);
        assert_eq!(from_text(&to_text(a)).unwrap(), a);
        assert_eq!(to_text(a), "2026-01-02T03:04:05.500000Z");
        assert!(to_text(b) < to_text(a));
    }
}
