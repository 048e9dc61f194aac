//! A phone number as Flows stores it: E.164 (`+447400123456`), parsed and checked with
//! libphonenumber's data (the `phonenumber` crate), so that a number typed the way people
//! write it at home (`07400 123456`) and the same number written internationally
//! (`+44 7400 123456`, `0044…`) are one number.

use super::FieldError;

/// The longest input read, in characters: a number with its spacing is far shorter.
const MAX_CHARS: usize = 40;

/// The region a number without a country code is read in, when the flow names one: an ISO
/// 3166 alpha-2 code (`GB`, `FR`), in any case.
pub fn region(code: &str) -> Option<phonenumber::country::Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// The number in E.164. `default_region` reads a number typed without its country code;
/// without one, such a number is refused with `phone_needs_country`.
pub fn parse(raw: &str, default_region: Option<&str>) -> Result<String, FieldError> {
    let raw = raw.trim();
    if raw.chars().count() > MAX_CHARS {
        return Err(FieldError::new("invalid_phone"));
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().\u{a0}/".contains(c))
    {
        return Err(FieldError::new("invalid_phone"));
    }
    // `00` is how much of the world dials out; libphonenumber reads it only with a region.
    let international = raw.starts_with('+') || raw.starts_with("00");
    let written = match raw.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => raw.to_owned(),
    };
    let region = default_region.and_then(region);
    if !international && region.is_none() {
        return Err(FieldError::new("phone_needs_country"));
    }
    let number =
        phonenumber::parse(region, &written).map_err(|_| FieldError::new("invalid_phone"))?;
    if !phonenumber::is_valid(&number) {
        return Err(FieldError::new("invalid_phone"));
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_however_it_is_written() {
        for written in [
            "07400 123456",
            "07400-123-456",
            "+44 7400 123456",
            "+447400123456",
            "0044 7400 123456",
            "(07400) 123456",
        ] {
            assert_eq!(
                parse(written, Some("gb")).as_deref(),
                Ok("+447400123456"),
                "{written}"
            );
        }
        assert_eq!(
            parse("06 12 34 56 78", Some("FR")).as_deref(),
            Ok("+33612345678")
        );
        // A number with its country code needs no region, and ignores the flow's.
        assert_eq!(
            parse("+33 6 12 34 56 78", None).as_deref(),
            Ok("+33612345678")
        );
        assert_eq!(
            parse("+33 6 12 34 56 78", Some("GB")).as_deref(),
            Ok("+33612345678")
        );
    }

    #[test]
    fn what_is_no_number_says_why() {
        let code = |raw: &str, region: Option<&str>| parse(raw, region).unwrap_err().code;
        assert_eq!(code("07400 123456", None), "phone_needs_country");
        assert_eq!(code("07400 123456", Some("XX")), "phone_needs_country");
        assert_eq!(code("12", Some("GB")), "invalid_phone");
        assert_eq!(code("+44 12", None), "invalid_phone");
        assert_eq!(code("call me", Some("GB")), "invalid_phone");
        assert_eq!(code("+447400123456<script>", None), "invalid_phone");
        assert_eq!(code(&"1".repeat(41), Some("GB")), "invalid_phone");
    }
}
