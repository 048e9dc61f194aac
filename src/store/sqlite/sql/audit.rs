//! SQLite statements of `store::audit`.

/// The name an actor or subject (`user:<id>`, `execution:<id>`, `admin:<email>`,
/// `invitation:<id>`) goes by as the entry is written: an account's, a journey's or an
/// invitation's address. A deleted account names itself in the entry's detail (`email`).
macro_rules! name_at_write {
    ($reference:literal) => {
        concat!(
            "CASE WHEN ",
            $reference,
            " LIKE 'user:%' THEN COALESCE(",
            "(SELECT email FROM users WHERE id = substr(",
            $reference,
            ", 6)), json_extract($6, '$.email')) ",
            "WHEN ",
            $reference,
            " LIKE 'execution:%' THEN ",
            "(SELECT json_extract(attributes, '$.email') FROM executions WHERE id = substr(",
            $reference,
            ", 11)) ",
            "WHEN ",
            $reference,
            " LIKE 'admin:%' THEN substr(",
            $reference,
            ", 7) ",
            "WHEN ",
            $reference,
            " LIKE 'invitation:%' THEN ",
            "(SELECT email FROM invitations WHERE id = substr(",
            $reference,
            ", 12)) END"
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
            " LIKE 'user:%' AND id = substr(",
            $column,
            ", 6))"
        )
    };
}

/// What every read returns: the entry, then for its actor and its subject the address of the
/// account as it is now (none when it names no account, or one since deleted) and the name
/// recorded when the entry was written.
macro_rules! columns {
    () => {
        concat!(
            "at, actor, action, subject, detail, ",
            account_now!("actor", "email"),
            ", actor_name, ",
            account_now!("subject", "email"),
            ", subject_name"
        )
    };
}

pub const INSERT: &str = concat!(
    "INSERT INTO audit_log (id, at, actor, action, subject, detail, actor_name, subject_name) ",
    "VALUES ($1, $2, $3, $4, $5, $6, ",
    name_at_write!("$3"),
    ", ",
    name_at_write!("$5"),
    ")"
);

/// Newest first. `$1` part (lower case) of who the entry is about: its actor or subject, by
/// id or by name, then or now; `$2` part of the action ('' for any); `$3`..`$4` the time range
/// (RFC 3339 text sorts in time order).
pub const SEARCH: &str = concat!(
    "SELECT ",
    columns!(),
    " FROM audit_log WHERE ($1 = '' OR instr(lower(",
    "actor || ' ' || COALESCE(subject, '') || ' ' || COALESCE(actor_name, '') || ' ' || ",
    "COALESCE(subject_name, '') || ' ' || ",
    "COALESCE(",
    account_now!("actor", "email || ' ' || COALESCE(username, '')"),
    ", '') || ' ' || ",
    "COALESCE(",
    account_now!("subject", "email || ' ' || COALESCE(username, '')"),
    ", '')",
    "), $1) > 0) AND ($2 = '' OR instr(action, $2) > 0) ",
    "AND at >= $3 AND at < $4 ORDER BY at DESC, id DESC LIMIT $5 OFFSET $6"
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
     (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)";
