//! Every statement the store runs on SQLite, by area, under the same names as PostgreSQL's
//! (`store/postgres/sql/`): `on_db!` brings the backend's `sql` into each body.
//! An area file expands the statements alike on both backends (`store::statements`) and
//! writes out its own.

/// How the statements written once for both backends (`store::statements`) are spelled here:
/// ids, times, JSON and flags are bound and read as what SQLite stores them as (text and
/// integers), and text already sorts byte by byte.
macro_rules! dialect {
    (find_in $haystack:expr, $needle:literal) => {
        concat!("instr(", $haystack, ", ", $needle, ")")
    };
    (field_of $json:expr, $field:literal) => {
        concat!("json_extract(", $json, ", '$.", $field, "')")
    };
    (not_ascii $column:literal) => {
        concat!($column, " GLOB '*[^ -~]*'")
    };
    // A row count bound straight into LIMIT is one SQLite plans around: it then prepares
    // the statement again at every run (as costly as the outbox claim's run itself, on each
    // poll). Cast, it is an expression evaluated at run time, and the statement stays prepared.
    (count $parameter:literal) => {
        concat!("CAST(", $parameter, " AS INTEGER)")
    };
    (id_after $reference:literal, $from:literal) => {
        concat!("substr(", $reference, ", ", $from, ")")
    };
    ($kind:ident $as_stored:literal) => {
        $as_stored
    };
}

pub mod admins;
pub mod api_tokens;
pub mod applications;
pub mod audit;
pub mod connections;
pub mod drafts;
pub mod events;
pub mod executions;
pub mod extensions;
pub mod flows;
pub mod funnel;
pub mod invitations;
pub mod login_failures;
pub mod messages;
pub mod outbox;
pub mod settings;
pub mod users;

pub const PING: &str = "SELECT 1";
