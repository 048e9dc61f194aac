//! PostgreSQL statements of `store::audit`.

crate::store::statements::audit_statements!();
