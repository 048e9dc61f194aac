//! Every statement the store runs on PostgreSQL, by area, under the same names as SQLite's
//! (`store/sqlite/sql/`): `on_db!` brings the backend's `sql` into each body.
//!
//! The bodies bind ids, times and JSON as text and read them back as text (and flags as
//! integers), so each statement casts at that boundary: parameters to `uuid`, `timestamptz`,
//! `jsonb` or `json`; results back through `::text`, `flows_time(..)` (exactly
//! `store::to_text`'s format) and `::int::bigint`. An id that can come from outside (a URL,
//! a form) goes through `flows_uuid(..)`, which turns a malformed one into no match rather
//! than an error. Both helpers are defined in `migrations/postgres/0001_init.sql`. Text is
//! ordered `COLLATE "C"`, byte by byte as SQLite does, whatever the database's locale.

pub mod admins;
pub mod api_tokens;
pub mod applications;
pub mod audit;
pub mod drafts;
pub mod executions;
pub mod flows;
pub mod funnel;
pub mod invitations;
pub mod login_failures;
pub mod messages;
pub mod outbox;
pub mod settings;
pub mod users;

pub const PING: &str = "SELECT 1";
