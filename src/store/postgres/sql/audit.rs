//! PostgreSQL statements of `store::audit`.

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
            dialect!(id_after $reference, "6"),
            "), $6::json->>'email') ",
            "WHEN ",
            $reference,
            "::text LIKE 'execution:%' THEN ",
            "(SELECT attributes->>'email' FROM executions WHERE id = ",
            dialect!(id_after $reference, "11"),
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
            dialect!(id_after $reference, "12"),
            ") END"
        )
    };
}

crate::store::statements::audit_statements!();
