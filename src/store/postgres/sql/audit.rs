//! PostgreSQL statements of `store::audit`.

/// The id after `prefix` in `reference`, as a uuid, or NULL when it is not one (so a stray
/// reference never fails the statement, and lookups stay on the primary key).
macro_rules! uuid_after {
    ($reference:literal, $from:literal) => {
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

/// The name an actor or subject (`user:<id>`, `execution:<id>`, `admin:<email>`,
/// `invitation:<id>`) goes by as the entry is written: an account's, a journey's or an
/// invitation's address. A deleted account names itself in the entry's detail (`email`).
macro_rules! name_at_write {
    ($reference:literal) => {
        concat!(
            "CASE WHEN ",
            $reference,
            "::text LIKE 'user:%' THEN COALESCE(",
            "(SELECT email FROM users WHERE id = ",
            uuid_after!($reference, "6"),
            "), $6::json->>'email') ",
            "WHEN ",
            $reference,
            "::text LIKE 'execution:%' THEN ",
            "(SELECT attributes->>'email' FROM executions WHERE id = ",
            uuid_after!($reference, "11"),
            ") ",
            "WHEN ",
            $reference,
            "::text LIKE 'admin:%' THEN substr(",
            $reference,
            ", 7) ",
            "WHEN ",
            $reference,
            "::text LIKE 'invitation:%' THEN ",
            "(SELECT email FROM invitations WHERE id = ",
            uuid_after!($reference, "12"),
            ") END"
        )
    };
}

/// An account's address and username as they are now, when `column` names an account.
macro_rules! account_now {
    ($column:literal, $what:literal) => {
        concat!(
            "(SELECT ",
            $what,
            " FROM users WHERE ",
            $column,
            " LIKE 'user:%' AND id = ",
            uuid_after!($column, "6"),
            ")"
        )
    };
}

/// What every read returns: the entry, then for its actor and its subject the address of the
/// account as it is now (none when it names no account, or one since deleted) and the name
/// recorded when the entry was written.
macro_rules! columns {
    () => {
        concat!(
            "flows_time(at), actor, action, subject, detail::text, ",
            account_now!("actor", "email"),
            ", actor_name, ",
            account_now!("subject", "email"),
            ", subject_name"
        )
    };
}

pub const INSERT: &str = concat!(
    "INSERT INTO audit_log (id, at, actor, action, subject, detail, actor_name, subject_name) ",
    "VALUES ($1::uuid, $2::timestamptz, $3, $4, $5, $6::json, ",
    name_at_write!("$3"),
    ", ",
    name_at_write!("$5"),
    ")"
);

/// Newest first. `$1` part (lower case) of who the entry is about: its actor or subject, by
/// id or by name, then or now; `$2` part of the action ('' for any); `$3`..`$4` the time range.
pub const SEARCH: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM audit_log WHERE ($1 = '' OR strpos(lower(",
    "actor || ' ' || COALESCE(subject, '') || ' ' || COALESCE(actor_name, '') || ' ' || ",
    "COALESCE(subject_name, '') || ' ' || ",
    "COALESCE(",
    account_now!("actor", "email || ' ' || COALESCE(username, '')"),
    ", '') || ' ' || ",
    "COALESCE(",
    account_now!("subject", "email || ' ' || COALESCE(username, '')"),
    ", '')",
    "), $1) > 0) AND ($2 = '' OR strpos(action, $2) > 0) ",
    "AND at >= $3::timestamptz AND at < $4::timestamptz ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6"
);

pub const RECENT: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM audit_log ORDER BY at DESC, id DESC LIMIT $1"
);

/// The newest entries about one subject (an account's page).
pub const ABOUT: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM audit_log WHERE subject = $1 ORDER BY at DESC, id DESC LIMIT $2"
);

/// A batch of the oldest entries (`$2` at most) written before `$1`.
pub const PURGE: &str = "DELETE FROM audit_log WHERE id IN \
     (SELECT id FROM audit_log WHERE at < $1::timestamptz ORDER BY at LIMIT $2)";
