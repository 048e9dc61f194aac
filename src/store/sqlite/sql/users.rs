//! SQLite statements of `store::users`.

crate::store::statements::users_statements!();

/// Accounts whose username has no key yet, oldest first: set by the server since SQL has
/// no NFKC.
pub const UNKEYED_USERNAMES: &str = "SELECT id, username FROM users WHERE username IS NOT NULL AND username_key IS NULL ORDER BY created_at, rowid";
