//! Every error code both JSON APIs answer with, in one table: the Flow Execution API's
//! `FE-…` (WSO2's codes, so WSO2's clients understand them) and the management API's `FM-…`.
//! Clients branch on these codes, so a row never changes its code or status; a test below
//! holds the table and `openapi.json` to each other.

use actix_web::http::StatusCode;

/// One code: the status it answers with, any other status it may answer with instead, and
/// its fixed message (the description says what happened this time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub status: StatusCode,
    pub also: &'static [StatusCode],
    pub message: &'static str,
}

// One list makes both the constants and `TABLE`, so no code can be used without being in it.
macro_rules! codes {
    ($($name:ident = $code:literal, $status:ident $(| $also:ident)*, $message:literal;)*) => {
        $(pub const $name: &Code = &Code {
            code: $code,
            status: StatusCode::$status,
            also: &[$(StatusCode::$also),*],
            message: $message,
        };)*

        /// Every code, in the order the APIs' documents list them; the tests hold it to them.
        #[cfg(test)]
        pub const TABLE: &[&Code] = &[$($name),*];
    };
}

codes! {
    // The Flow Execution API (docs/API.md, "Protocol errors").
    FE_INVALID_FLOW_ID = "FE-60001", BAD_REQUEST, "Invalid flow id.";
    FE_NO_FLOW_ID = "FE-60004", BAD_REQUEST, "Undefined flow id.";
    FE_CANNOT_GO_ON = "FE-60006", BAD_REQUEST, "Flow execution failed.";
    // WSO2 answers an unreadable body, and a refused one, with this one code.
    FE_UNREADABLE = "FE-60007",
        BAD_REQUEST | PAYLOAD_TOO_LARGE | UNSUPPORTED_MEDIA_TYPE | TOO_MANY_REQUESTS,
        "The request could not be processed.";
    FE_INVALID_INPUTS = "FE-60008", BAD_REQUEST, "Invalid user inputs.";
    FE_INVALID_ACTION = "FE-60009", BAD_REQUEST, "Invalid action id.";
    FE_NO_FLOW_TYPE = "FE-60011", BAD_REQUEST, "Flow type not provided.";
    FE_UNKNOWN_FLOW_TYPE = "FE-60103", BAD_REQUEST, "Invalid flow type.";
    FE_DISABLED = "FE-60104", BAD_REQUEST, "Flow is disabled.";
    FE_NO_PROOF = "FE-60401", UNAUTHORIZED, "Client proof required.";
    FE_APPLICATION_REQUIRED = "FE-60403", FORBIDDEN, "Application required.";
    FE_METHOD = "FE-60405", METHOD_NOT_ALLOWED, "Method not allowed.";
    FE_SERVER = "FE-65001", INTERNAL_SERVER_ERROR, "Server error.";
    FE_UNAVAILABLE = "FE-65003", SERVICE_UNAVAILABLE, "Service unavailable.";

    // The flow management API (README.md, "Flow management API").
    FM_MALFORMED = "FM-40000", BAD_REQUEST, "Malformed JSON";
    FM_WRONG_FLOW_TYPE = "FM-40001", BAD_REQUEST, "Wrong flow type";
    FM_NOT_EXPECTED = "FM-40002", BAD_REQUEST, "Not the expected JSON";
    FM_NO_REASON = "FM-40003", BAD_REQUEST, "A rejection needs a reason";
    FM_REASON_TOO_LONG = "FM-40004", BAD_REQUEST, "Reason too long";
    FM_BAD_PARAMETER = "FM-40005", BAD_REQUEST, "Invalid query parameter";
    FM_EXTENSION_REFUSED = "FM-40006", BAD_REQUEST, "Extension refused";
    FM_CONNECTION_REFUSED = "FM-40007", BAD_REQUEST, "Connection refused";
    FM_UNAUTHORIZED = "FM-40100", UNAUTHORIZED, "Unauthorized";
    FM_UNKNOWN_FLOW_TYPE = "FM-40400", NOT_FOUND, "Unknown flow type";
    FM_NO_VERSION = "FM-40401", NOT_FOUND, "No such version";
    FM_NO_DRAFT = "FM-40402", NOT_FOUND, "No draft";
    FM_NOTHING_PUBLISHED = "FM-40403", NOT_FOUND, "Nothing published";
    FM_NO_ROUTE = "FM-40404", NOT_FOUND, "No such route";
    FM_NOT_WAITING = "FM-40405", NOT_FOUND, "Not waiting for approval";
    FM_NO_EXTENSION = "FM-40406", NOT_FOUND, "No such extension";
    FM_NO_CONNECTION = "FM-40407", NOT_FOUND, "No such connection";
    FM_METHOD = "FM-40500", METHOD_NOT_ALLOWED, "Method not allowed";
    FM_DRAFT_PROBLEMS = "FM-40900", CONFLICT, "The draft has problems";
    FM_EXTENSION_TAKEN = "FM-40901", CONFLICT, "Extension name taken";
    FM_CONNECTION_TAKEN = "FM-40902", CONFLICT, "Connection name taken";
    FM_STALE = "FM-41200", PRECONDITION_FAILED, "Stale revision";
    FM_TOO_LARGE = "FM-41300", PAYLOAD_TOO_LARGE, "Body too large";
    FM_NOT_JSON = "FM-41500", UNSUPPORTED_MEDIA_TYPE, "Not JSON";
    FM_INTERNAL = "FM-50000", INTERNAL_SERVER_ERROR, "Internal error";
    FM_UNAVAILABLE = "FM-50300", SERVICE_UNAVAILABLE, "Service unavailable";
}

impl Code {
    /// Whether this code may answer with `status`.
    pub fn answers(&self, status: StatusCode) -> bool {
        self.status == status || self.also.contains(&status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn no_two_rows_share_a_code_and_each_code_names_its_status_class() {
        let mut seen = BTreeSet::new();
        for row in TABLE {
            assert!(seen.insert(row.code), "{} twice", row.code);
            // FE-6xxxx and FM-xxxxx put the status in the number (FE-65xxx: 5xx);
            // a row that says otherwise is a typo.
            let digits = &row.code[3..];
            let named = match &row.code[..3] {
                "FE-" if digits.starts_with("65") => 5,
                "FE-" => 4,
                "FM-" => u16::from(digits.as_bytes()[0] - b'0'),
                other => panic!("{other}: neither FE- nor FM-"),
            };
            for status in std::iter::once(&row.status).chain(row.also) {
                assert_eq!(
                    status.as_u16() / 100,
                    named,
                    "{}: status {status}",
                    row.code
                );
            }
            assert!(!row.message.is_empty(), "{}", row.code);
        }
    }

    /// The document's error schemas list exactly the table's codes: a client generated from
    /// it knows every code the server sends, and no code the server never sends.
    #[test]
    fn the_api_document_lists_exactly_the_codes_of_the_table() {
        let doc = super::super::openapi::document();
        let mut documented = BTreeSet::new();
        for schema in ["FeError", "FmError"] {
            let codes = doc["components"]["schemas"][schema]["properties"]["code"]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{schema} lists no codes"));
            documented.extend(codes.iter().map(|c| c.as_str().unwrap().to_owned()));
        }
        let table: BTreeSet<String> = TABLE.iter().map(|row| row.code.to_owned()).collect();
        super::super::assert_same_set(("in the table", &table), ("in openapi.json", &documented));
    }

    /// The people reading the prose (docs/API.md for FE, README.md for both) find each too.
    #[test]
    fn each_code_is_explained_in_the_prose_documentation() {
        let prose = [
            include_str!("../../../docs/API.md"),
            include_str!("../../../README.md"),
        ];
        for row in TABLE {
            assert!(
                prose.iter().any(|text| text.contains(row.code)),
                "{} is in neither docs/API.md nor README.md",
                row.code
            );
        }
    }
}
