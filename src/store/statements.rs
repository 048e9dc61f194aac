//! Statements whose text is the same on both backends but for the dialect, written once.
//! Each area's macro is expanded in each backend's `sql/<area>.rs`, where that backend's own
//! `dialect!` (its `sql/mod.rs`) is in scope: every backend still compiles its own text.
//! Statements that differ in more than spelling (how a version is numbered, how a counter
//! is raised, which rows came first) stay in the backend's file.

/// `settings`: named values and the logo.
macro_rules! settings_statements {
    () => {
        pub const UPSERT: &str = "INSERT INTO settings (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value";

        pub const CONSOLE_ROWS: &str = concat!(
            "SELECT name, value FROM settings WHERE name LIKE 'console.%' ORDER BY ",
            dialect!(by_bytes "name")
        );

        pub const LOGO: &str = "SELECT content_type, bytes, sha256 FROM branding_logo WHERE id = 1";

        pub const PUT_LOGO: &str = concat!(
            "INSERT INTO branding_logo (id, content_type, bytes, sha256, updated_at) VALUES (1, $1, $2, $3, ",
            dialect!(time "$4"),
            ") ON CONFLICT (id) DO UPDATE SET content_type = excluded.content_type, ",
            "bytes = excluded.bytes, sha256 = excluded.sha256, updated_at = excluded.updated_at"
        );

        pub const DROP_LOGO: &str = "DELETE FROM branding_logo";

        pub const REVISION: &str = "SELECT value FROM settings WHERE name = 'console_revision'";

        pub const INSERT: &str =
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

        pub const SELECT: &str = "SELECT value FROM settings WHERE name = $1";
    };
}
pub(crate) use settings_statements;

/// `drafts`: the draft of a type and its published versions. Every write to the draft binds
/// `$1` the type, `$2` the time and `$3` the actor, then its own parameters.
macro_rules! drafts_statements {
    () => {
        pub const SELECT_DRAFT: &str = concat!(
            "SELECT flow_type, ",
            dialect!(text_of "definition"),
            ", ",
            dialect!(text_of "previous"),
            ", revision, source, ",
            dialect!(time_of "created_at"),
            ", created_by, ",
            dialect!(time_of "updated_at"),
            ", updated_by FROM flow_drafts WHERE flow_type = $1"
        );

        /// A new draft, its first revision, made of `$4` (the definition) from `$5` (its
        /// source, in words).
        macro_rules! new_draft {
            () => {
                concat!(
                    "INSERT INTO flow_drafts (flow_type, definition, previous, revision, source, ",
                    "created_at, created_by, updated_at, updated_by) VALUES ($1, ",
                    dialect!(json "$4"),
                    ", NULL, 1, $5, ",
                    dialect!(time "$2"),
                    ", $3, ",
                    dialect!(time "$2"),
                    ", $3)"
                )
            };
        }

        pub const INSERT_DRAFT: &str = concat!(new_draft!(), " ON CONFLICT (flow_type) DO NOTHING");

        pub const SAVE_DRAFT: &str = concat!(
            "UPDATE flow_drafts SET previous = definition, definition = ",
            dialect!(json "$4"),
            ", revision = revision + 1, updated_at = ",
            dialect!(time "$2"),
            ", updated_by = $3 WHERE flow_type = $1 AND revision = $5"
        );

        pub const UNDO_DRAFT: &str = concat!(
            "UPDATE flow_drafts SET definition = previous, previous = NULL, revision = revision + 1, ",
            "updated_at = ",
            dialect!(time "$2"),
            ", updated_by = $3 WHERE flow_type = $1 AND revision = $4 AND previous IS NOT NULL"
        );

        pub const REPLACE_DRAFT: &str = concat!(
            new_draft!(),
            " ON CONFLICT (flow_type) DO UPDATE SET ",
            "previous = flow_drafts.definition, definition = excluded.definition, ",
            "revision = flow_drafts.revision + 1, source = excluded.source, ",
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING revision"
        );

        pub const DELETE_DRAFT: &str =
            "DELETE FROM flow_drafts WHERE flow_type = $1 AND revision = $2";

        pub const DRAFT_REVISION: &str = concat!(
            "SELECT revision, ",
            dialect!(text_of "definition"),
            " FROM flow_drafts WHERE flow_type = $1"
        );

        pub const LIST_VERSIONS: &str = concat!(
            "SELECT ",
            dialect!(text_of "id"),
            ", version, status, ",
            dialect!(text_of "definition"),
            ", ",
            dialect!(time_of "created_at"),
            ", created_by, ",
            dialect!(time_of "published_at"),
            ", note FROM flow_versions WHERE flow_type = $1 ORDER BY version DESC"
        );

        pub const VERSION_BY_NUMBER: &str = concat!(
            "SELECT ",
            dialect!(text_of "id"),
            " FROM flow_versions WHERE flow_type = $1 AND version = $2"
        );

        pub const ENABLED: &str = concat!(
            "SELECT ",
            dialect!(flag_of "enabled"),
            " FROM flow_types WHERE flow_type = $1"
        );
    };
}
pub(crate) use drafts_statements;

/// An account's columns `$what` as they are now, when `$column` names an account.
macro_rules! account_now {
    ($column:literal, $what:literal) => {
        concat!(
            "(SELECT ",
            $what,
            " FROM users WHERE ",
            $column,
            " LIKE 'user:%' AND id = ",
            dialect!(id_after $column, "6"),
            ")"
        )
    };
}
pub(crate) use account_now;

/// The name an actor or subject (`user:<id>`, `execution:<id>`, `admin:<email>`,
/// `invitation:<id>`) goes by as the entry is written: an account's, a journey's or an
/// invitation's address. A deleted account names itself in the entry's detail (`email`, `$6`).
macro_rules! name_at_write {
    ($reference:literal) => {
        concat!(
            "CASE WHEN ",
            dialect!(text $reference),
            " LIKE 'user:%' THEN COALESCE(",
            "(SELECT email FROM users WHERE id = ",
            dialect!(id_after $reference, "6"),
            "), ",
            dialect!(field_of dialect!(json "$6"), "email"),
            ") WHEN ",
            dialect!(text $reference),
            " LIKE 'execution:%' THEN (SELECT ",
            dialect!(field_of "attributes", "email"),
            " FROM executions WHERE id = ",
            dialect!(id_after $reference, "11"),
            ") WHEN ",
            dialect!(text $reference),
            " LIKE 'admin:%' THEN substr(",
            $reference,
            ", 7) WHEN ",
            dialect!(text $reference),
            " LIKE 'invitation:%' THEN ",
            "(SELECT email FROM invitations WHERE id = ",
            dialect!(id_after $reference, "12"),
            ") END"
        )
    };
}
pub(crate) use name_at_write;

/// `audit`: writing and reading the log.
macro_rules! audit_statements {
    () => {
        /// What every read returns: the entry, then for its actor and its subject the address
        /// of the account as it is now (none when it names no account, or one since deleted)
        /// and the name recorded when the entry was written. The time read back is named
        /// `at` too, so the reads order by `audit_log.at`: the column, not the text.
        macro_rules! columns {
            () => {
                concat!(
                    dialect!(time_of "at"),
                    ", actor, action, subject, ",
                    dialect!(text_of "detail"),
                    ", ",
                    $crate::store::statements::account_now!("actor", "email"),
                    ", actor_name, ",
                    $crate::store::statements::account_now!("subject", "email"),
                    ", subject_name"
                )
            };
        }

        pub const INSERT: &str = concat!(
            "INSERT INTO audit_log (id, at, actor, action, subject, detail, actor_name, subject_name) ",
            "VALUES (",
            dialect!(uuid "$1"),
            ", ",
            dialect!(time "$2"),
            ", $3, $4, $5, ",
            dialect!(json "$6"),
            ", ",
            $crate::store::statements::name_at_write!("$3"),
            ", ",
            $crate::store::statements::name_at_write!("$5"),
            ")"
        );

        /// Newest first. `$1` part (lower case) of who the entry is about: its actor or
        /// subject, by id or by name, then or now; `$2` part of the action ('' for any);
        /// `$3`..`$4` the time range.
        pub const SEARCH: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log WHERE ($1 = '' OR ",
            dialect!(find_in
                concat!(
                    "lower(",
                    "actor || ' ' || COALESCE(subject, '') || ' ' || COALESCE(actor_name, '') || ' ' || ",
                    "COALESCE(subject_name, '') || ' ' || ",
                    "COALESCE(",
                    $crate::store::statements::account_now!("actor", "email || ' ' || COALESCE(username, '')"),
                    ", '') || ' ' || ",
                    "COALESCE(",
                    $crate::store::statements::account_now!("subject", "email || ' ' || COALESCE(username, '')"),
                    ", ''))"
                ),
                "$1"
            ),
            " > 0) AND ($2 = '' OR ",
            dialect!(find_in "action", "$2"),
            " > 0) AND at >= ",
            dialect!(time "$3"),
            " AND at < ",
            dialect!(time "$4"),
            " ORDER BY audit_log.at DESC, id DESC LIMIT ",
            dialect!(count "$5"),
            " OFFSET $6"
        );

        pub const RECENT: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log ORDER BY audit_log.at DESC, id DESC LIMIT ",
            dialect!(count "$1")
        );

        /// The newest entries about one subject (an account's page).
        pub const ABOUT: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM audit_log WHERE subject = $1 ORDER BY audit_log.at DESC, id DESC LIMIT ",
            dialect!(count "$2")
        );

        /// A batch of the oldest entries (`$2` at most) written before `$1`.
        pub const PURGE: &str = concat!(
            "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ",
            dialect!(time "$1"),
            " ORDER BY at LIMIT ",
            dialect!(count "$2"),
            ")"
        );
    };
}
pub(crate) use audit_statements;

/// `users`: accounts, and the keys the server sets where SQL cannot (NFKC, IDNA).
macro_rules! users_statements {
    () => {
        /// Whether the sign-in throttle refuses the account now (`$5`: now, NULL when off).
        macro_rules! throttled {
            () => {
                concat!(
                    "EXISTS (SELECT 1 FROM login_failures WHERE login_failures.user_id = users.id AND blocked_until > ",
                    dialect!(time "$5"),
                    ")"
                )
            };
        }

        /// An account as `UserRow` reads it.
        macro_rules! user_columns {
                                            () => {
                                                concat!(
                                                    "SELECT ",
                                                    dialect!(text_of "id"),
                                                    ", email, ",
                                                    dialect!(flag_of "email_verified"),
                                                    ", username, ",
                                                    dialect!(text_of "attributes"),
                                                    ", password_hash, status, auth_version, ",
                                                    dialect!(time_of "created_at"),
                                                    ", locale",
                                                    " FROM users"
                                                )
                                            };
                                        }

        pub const BY_EMAIL: &str = concat!(user_columns!(), " WHERE email_key = $1");

pub const BY_ID: &str = concat!(user_columns!(), " WHERE id = ", dialect!(uuid "$1"));

        pub const SET_STATUS: &str = concat!(
            "UPDATE users SET status = $2, updated_at = ",
    dialect!(time "$3"),
            " WHERE id = ",
    dialect!(uuid "$1")
        );

        pub const BY_USERNAME: &str = concat!(
            user_columns!(),
            " WHERE username_key = $1 OR (username_key IS NULL AND username = $2) ",
            "ORDER BY COALESCE(username = $2, false) DESC LIMIT 1"
        );

        pub const SET_USERNAME_KEY: &str = concat!(
            "UPDATE users SET username_key = $1 WHERE id = ",
    dialect!(uuid "$2"),
            " AND username_key IS NULL"
        );

        /// Newest first; `$1` is a lower-case part of the address, username or name ('' for
        /// all), `$4` a status ('' for any). An account whose sign-ins the throttle refuses
        /// after `$5` (NULL: the throttle is off) counts as `LOCKED`, not as `ACTIVE`.
        pub const SEARCH: &str = concat!(
            user_columns!(),
            " WHERE ($4 = '' OR (status = $4 AND NOT ($4 = 'ACTIVE' AND ",
            throttled!(),
            ")) OR ($4 = 'LOCKED' AND ",
            throttled!(),
            ")) AND ($1 = '' OR ",
    dialect!(find_in "email_key", "$1"),
            " > 0 OR ",
    dialect!(find_in "lower(COALESCE(username, ''))", "$1"),
            " > 0 OR ",
    dialect!(find_in concat!("lower(", dialect!(text "attributes"), ")"), "$1"),
            " > 0) ORDER BY created_at DESC, id DESC LIMIT ",
            dialect!(count "$2"),
            " OFFSET $3"
        );

        pub const SIGN_OUT_EVERYWHERE: &str = concat!(
            "UPDATE users SET auth_version = auth_version + 1, updated_at = ",
    dialect!(time "$2"),
            " WHERE id = ",
    dialect!(uuid "$1")
        );

pub const DELETE_USER: &str = concat!("DELETE FROM users WHERE id = ", dialect!(uuid "$1"));

        pub const COUNT_USERS: &str = "SELECT COUNT(*) FROM users";

        /// The approval queue, oldest first (the partial index of migration 0020).
        pub const PENDING_APPROVAL: &str = concat!(
            user_columns!(),
            " WHERE status = 'PENDING_APPROVAL' ORDER BY created_at, id LIMIT ",
            dialect!(count "$1"),
            " OFFSET $2"
        );

        pub const COUNT_PENDING_APPROVAL: &str =
            "SELECT COUNT(*) FROM users WHERE status = 'PENDING_APPROVAL'";

        pub const APPROVE: &str = concat!(
            "UPDATE users SET status = 'ACTIVE', updated_at = ",
            dialect!(time "$2"),
            " WHERE id = ",
            dialect!(uuid "$1"),
            " AND status = 'PENDING_APPROVAL'"
        );

        pub const REJECT: &str = concat!(
            "DELETE FROM users WHERE id = ",
            dialect!(uuid "$1"),
            " AND status = 'PENDING_APPROVAL'"
        );

        pub const INSERT_ADMIN: &str = concat!(
            "INSERT INTO admins (id, email_key, email, password_hash, created_at) VALUES (",
    dialect!(uuid "$1"),
            ", $2, $3, $4, ",
    dialect!(time "$5"),
            ")"
        );

        pub const COUNT_ADMINS: &str = "SELECT COUNT(*) FROM admins";

        pub const SINCE: &str = concat!(
            "SELECT COUNT(*) FROM users WHERE created_at >= ",
    dialect!(time "$1")
        );

        /// Addresses keyed before keys took the punycode form of a domain (their key is not
        /// ASCII), per table that keys addresses for look-ups; and their new keys.
        macro_rules! old_email_keys {
                                            ($table:literal) => {
                                                concat!(
                                                    "SELECT ",
                                                    dialect!(text_of "id"),
                                                    ", email FROM ",
                                                    $table,
                                                    " WHERE ",
                                                    dialect!(not_ascii "email_key")
                                                )
                                            };
                                        }
        pub const OLD_EMAIL_KEYS_USERS: &str = old_email_keys!("users");
        pub const OLD_EMAIL_KEYS_ADMINS: &str = old_email_keys!("admins");
        pub const OLD_EMAIL_KEYS_INVITATIONS: &str = old_email_keys!("invitations");

        pub const SET_EMAIL_KEY_USERS: &str = concat!(
            "UPDATE users SET email_key = $1 WHERE id = ",
    dialect!(uuid "$2")
        );
        pub const SET_EMAIL_KEY_ADMINS: &str = concat!(
            "UPDATE admins SET email_key = $1 WHERE id = ",
    dialect!(uuid "$2")
        );
        pub const SET_EMAIL_KEY_INVITATIONS: &str = concat!(
            "UPDATE invitations SET email_key = $1 WHERE id = ",
    dialect!(uuid "$2")
        );

        /// A password hash made again with the parameters in force; nothing happens when the
        /// password changed meanwhile (the old hash no longer matches). Sessions stay: the
        /// password is the same.
        pub const UPGRADE_PASSWORD_HASH: &str = concat!(
            "UPDATE users SET password_hash = $3 WHERE id = ",
    dialect!(uuid "$1"),
            " AND password_hash = $2"
        );

        /// A signed-in person's new password, if the stored hash is still the one they proved;
        /// every session ends with the auth version.
        pub const CHANGE_PASSWORD: &str = concat!(
            "UPDATE users SET password_hash = $3, auth_version = auth_version + 1, updated_at = ",
    dialect!(time "$4"),
            " WHERE id = ",
    dialect!(uuid "$1"),
            " AND password_hash = $2 RETURNING auth_version"
        );

        /// Recoveries under way for the address end: the password they would replace is gone.
        pub const END_RECOVERIES: &str = concat!(
            "UPDATE executions SET status = 'EXPIRED', revision = revision + 1, updated_at = ",
    dialect!(time "$2"),
            " WHERE subject_key = $1 AND flow_type = 'PASSWORD_RECOVERY' AND status = 'INCOMPLETE'"
        );
    };
}
pub(crate) use users_statements;
