//! Every statement the store runs on PostgreSQL, by area, under the same names as SQLite's
//! (`store/sqlite/sql/`): `on_db!` brings the backend's `sql` into each body.
//! An area file expands the statements alike on both backends (`store::statements`) and
//! writes out its own.
//!
//! The bodies bind ids, times and JSON as text and read them back as text (and flags as
//! integers), so each statement casts at that boundary: parameters to `uuid`, `timestamptz`,
//! `jsonb` or `json`; results back through `::text`, `flows_time(..)` (exactly
//! `store::to_text`'s format) and `::int::bigint`. An id that can come from outside (a URL,
//! a form) goes through `flows_uuid(..)`, which turns a malformed one into no match rather
//! than an error. Both helpers are defined in `migrations/postgres/0001_init.sql`. Text is
//! ordered `COLLATE "C"`, byte by byte as SQLite does, whatever the database's locale.

/// How the statements written once for both backends (`store::statements`) are spelled here,
/// with the casts above: a parameter's `uuid`, `time`, `json` or `text` cast; a column read back
/// as text (`text_of`, `time_of`) or a flag as an integer (`flag_of`), under its own name;
/// the id in a reference such as `user:<id>` (`id_after`).
macro_rules! dialect {
    (count $parameter:literal) => {
        $parameter
    };
    (uuid $parameter:literal) => {
        concat!($parameter, "::uuid")
    };
    (time $parameter:literal) => {
        concat!($parameter, "::timestamptz")
    };
    (json $parameter:literal) => {
        concat!($parameter, "::json")
    };
    (text $parameter:literal) => {
        concat!($parameter, "::text")
    };
    (text_of $column:literal) => {
        concat!($column, "::text AS ", $column)
    };
    (time_of $column:literal) => {
        concat!("flows_time(", $column, ") AS ", $column)
    };
    (flag_of $column:literal) => {
        concat!($column, "::int::bigint AS ", $column)
    };
    (by_bytes $column:literal) => {
        concat!($column, " COLLATE \"C\"")
    };
    (find_in $haystack:expr, $needle:literal) => {
        concat!("strpos(", $haystack, ", ", $needle, ")")
    };
    (field_of $json:expr, $field:literal) => {
        concat!($json, "->>'", $field, "'")
    };
    (not_ascii $column:literal) => {
        concat!($column, " ~ '[^ -~]'")
    };
    // The id after the first `$from - 1` characters of `$reference` as a uuid, or NULL when
    // it is not one: a stray reference never fails the statement, and lookups stay on the
    // primary key.
    (id_after $reference:literal, $from:literal) => {
        concat!(
            "(CASE WHEN substr(",
            $reference,
            ", ",
            $from,
            ") ~ '^[0-9a-fA-F-]{36}$' THEN substr(",
            $reference,
            ", ",
            $from,
            ")::uuid END)"
        )
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

/// For the migrations' connection only (`postgres::migrate`), and back.
pub const NO_STATEMENT_TIMEOUT: &str = "SET statement_timeout = 0";
pub const DEFAULT_STATEMENT_TIMEOUT: &str = "RESET statement_timeout";

/// The contract between these statements and the bodies, checked against the migrated schema
/// instead of by the compiler: each statement prepares with the parameter types the bodies
/// bind (text for ids, times and JSON; integers; bytes), and every column comes back as what
/// they decode (text, bigint, bytes).
#[cfg(test)]
mod tests {
    use sqlx::postgres::PgTypeInfo;
    use sqlx::{Column, Executor, SqlSafeStr, TypeInfo};

    macro_rules! statements {
        ($($area:ident: $($name:ident),+;)+) => {
            &[$($((concat!(stringify!($area), "::", stringify!($name)), super::$area::$name)),+),+]
        };
    }

    const ALL: &[(&str, &str)] = statements! {
        admins: BY_EMAIL, BY_ID, ALL, SET_PASSWORD, SET_ROLE, REMOVE, UPGRADE_PASSWORD_HASH, SET_LOCALE;
        api_tokens: INSERT, LIVE_BY_NAME, ALL, REVOKE, LIVE_BY_HASH, TOUCH;
        applications: INSERT, ALL, BY_ID, BY_NAME, UPDATE, SET_PROOF, DELETE;
        events: SUBSCRIBERS, INSERT, CLAIM, MARK_SENT, MARK_RETRY, MARK_FAILED, FAILED, RESEND,
            PURGE_SENT;
        connections: INSERT, ALL, BY_NAME, DELETE, IDENTITIES_OF;
        extensions: INSERT, ALL, BY_NAME, BY_ID, DELETE;
        audit: INSERT, SEARCH, RECENT, ABOUT, PURGE;
        drafts: SELECT_DRAFT, INSERT_DRAFT, SAVE_DRAFT, UNDO_DRAFT, REPLACE_DRAFT, DELETE_DRAFT,
            DRAFT_REVISION, LIST_VERSIONS, VERSION_BY_NUMBER, INSERT_PUBLISHED, ENABLED;
        executions: LINK_IDENTITY, SELECT_EXECUTION, INSERT_EXECUTION, UPDATE_EXECUTION, END_OTHER_RECOVERIES,
            INSERT_USER, INSERT_LINK, CONSUME_LINK, BURN_LINK, UPDATE_PASSWORD, END_LINKS_FOR, SELECT_LINK,
            COUNT_LIVE, PURGE_EXPIRED, COUNT_ALL;
        flows: SELECT_VERSION, SELECT_PUBLISHED, COUNT_VERSIONS, INSERT_VERSION, ARCHIVE_PUBLISHED,
            PUBLISH, ENSURE_TYPE, SET_ENABLED, SEED_LOCK;
        funnel: OUTCOMES, REACHED, MIDDLE_COMPLETION, MARK_EXPIRED, RECORD_REFUSAL, PURGE_EXECUTIONS, PURGE_STEPS,
            RECORD_BRANCH, BRANCHES, PURGE_BRANCHES, RECORD_STARTS, RECORD_START_STEPS;
        invitations: BY_CODE, BY_ID, REPLACE_PENDING, INSERT, LIST, REVOKE, ACCEPT, OPENED, ASK_RENEWAL;
        login_failures: RECORD, BLOCK, BLOCKED_UNTIL, CLEAR, PURGE;
        messages: LIST, UPSERT, DELETE;
        outbox: INSERT_MAIL, LOCK_RECIPIENT, QUEUED_TO_SINCE, CLAIM, MARK_SENT, MARK_RETRY, MARK_FAILED, FAILED, RETRY_FAILED, FORGET_FAILED, PURGE_SENT, INSERT_SMS, SMS_SINCE,
            COUNT_BY_STATUS;
        settings: UPSERT, CONSOLE_ROWS, LOGO, PUT_LOGO, DROP_LOGO, BUMP_REVISION, REVISION, INSERT,
            SELECT;
        users: BY_EMAIL, BY_ID, SET_STATUS, BY_USERNAME, UNKEYED_USERNAMES, SET_USERNAME_KEY, OLD_EMAIL_KEYS_USERS, OLD_EMAIL_KEYS_ADMINS, OLD_EMAIL_KEYS_INVITATIONS, SET_EMAIL_KEY_USERS, SET_EMAIL_KEY_ADMINS, SET_EMAIL_KEY_INVITATIONS, UPGRADE_PASSWORD_HASH, CHANGE_PASSWORD, END_RECOVERIES, SEARCH, SIGN_OUT_EVERYWHERE, DELETE_USER, PENDING_APPROVAL, COUNT_PENDING_APPROVAL, APPROVE, REJECT,
            COUNT_USERS, INSERT_ADMIN, COUNT_ADMINS, SINCE;
    };

    /// `pub const` names per area file of one backend's `sql/`, with those the area's
    /// `store::statements` macro defines when the file expands it.
    fn names(backend: &str) -> std::collections::BTreeSet<String> {
        let store = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
        let shared = std::fs::read_to_string(store.join("statements.rs")).unwrap();
        let mut names = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(store.join(backend).join("sql")).unwrap() {
            let path = entry.unwrap().path();
            let area = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let expands = format!("statements::{area}_statements!();");
            let written_once = if text.contains(&expands) {
                let from = shared
                    .split(&format!("macro_rules! {area}_statements {{"))
                    .nth(1)
                    .unwrap();
                from.split("pub(crate) use").next().unwrap()
            } else {
                ""
            };
            for line in text.lines().chain(written_once.lines()) {
                if let Some(rest) = line.trim_start().strip_prefix("pub const ") {
                    let name = rest.split(':').next().unwrap();
                    names.insert(format!("{area}::{name}"));
                }
            }
        }
        names
    }

    #[test]
    fn both_backends_name_the_same_statements_and_all_are_checked_here() {
        let postgres = names("postgres");
        // What the bodies name; the backend's own statements (its migrations') aside.
        let shared: std::collections::BTreeSet<String> = postgres
            .iter()
            .filter(|n| !n.ends_with("STATEMENT_TIMEOUT"))
            .cloned()
            .collect();
        assert_eq!(names("sqlite"), shared);
        let mut listed: std::collections::BTreeSet<String> =
            ALL.iter().map(|(name, _)| (*name).to_owned()).collect();
        for own in ["PING", "NO_STATEMENT_TIMEOUT", "DEFAULT_STATEMENT_TIMEOUT"] {
            listed.insert(format!("mod::{own}"));
        }
        assert_eq!(listed, postgres, "add a new statement to ALL above");
    }

    #[tokio::test]
    async fn every_statement_prepares_and_speaks_in_the_types_the_bodies_use() {
        let store = crate::store::Store::connect(
            &crate::store::test_databases::fresh_postgres_url().await,
            &Default::default(),
        )
        .await
        .unwrap();
        store.migrate().await.unwrap();
        let crate::store::Store::Postgres(pools) = &store else {
            unreachable!("a postgres:// URL")
        };
        let mut wrong = Vec::new();
        for (name, sql) in ALL {
            let described = match pools.reader().describe(sql.into_sql_str()).await {
                Ok(d) => d,
                Err(e) => {
                    wrong.push(format!("{name}: {e}"));
                    continue;
                }
            };
            // PostgreSQL infers `$1::uuid` and `id = $1` alike as a uuid parameter; the bodies
            // bind text. Prepared again with text where it inferred a uuid, time, JSON or
            // flag, a statement whose cast is missing fails (no operator uuid = text).
            if let Some(sqlx::Either::Left(parameters)) = described.parameters() {
                let as_bound: Vec<PgTypeInfo> = parameters
                    .iter()
                    .map(|t| match t.name() {
                        "INT8" | "INT4" | "BYTEA" => t.clone(),
                        _ => PgTypeInfo::with_name("text"),
                    })
                    .collect();
                if let Err(e) = pools
                    .reader()
                    .prepare_with(sql.into_sql_str(), &as_bound)
                    .await
                {
                    wrong.push(format!("{name} with text parameters: {e}"));
                }
            }
            for column in described.columns() {
                let t = column.type_info().name();
                if !matches!(t, "TEXT" | "INT8" | "BYTEA") {
                    wrong.push(format!("{name}: column {} is {t}", column.name()));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
