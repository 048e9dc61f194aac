//! Every statement the store runs on SQLite, by area, under the same names as PostgreSQL's
//! (`store/postgres/sql/`): `on_db!` brings the backend's `sql` into each body.

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
