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
            "(SELECT email FROM users WHERE id = ",
            dialect!(id_after $reference, "6"),
            "), json_extract($6, '$.email')) ",
            "WHEN ",
            $reference,
            " LIKE 'execution:%' THEN ",
            "(SELECT json_extract(attributes, '$.email') FROM executions WHERE id = ",
            dialect!(id_after $reference, "11"),
            ") ",
            "WHEN ",
            $reference,
            " LIKE 'admin:%' THEN substr(",
            $reference,
            ", 7) ",
            "WHEN ",
            $reference,
            " LIKE 'invitation:%' THEN ",
            "(SELECT email FROM invitations WHERE id = ",
            dialect!(id_after $reference, "12"),
            ") END"
        )
    };
}

crate::store::statements::audit_statements!();
