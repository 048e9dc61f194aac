//! One integration binary: the real server over real HTTP, mail read back from the mail
//! folder or from a real SMTP server, and a real browser.

// Helpers live outside #[test] fns, where clippy's in-test allowances do not reach.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails loudly at the first broken expectation"
)]

mod accessibility;
mod api;
mod api_snapshots;
mod approval;
mod approvals_console;
mod architecture;
mod audit;
mod bad_input;
mod bots;
mod breached;
mod browser;
mod browser_social;
mod changes_in_french;
mod cli;
mod client_proof;
mod connections;
mod console;
mod console_heights;
mod console_language;
mod console_language_admin;
mod console_language_builder;
mod console_language_people;
mod console_rules;
mod email_texts;
mod errors;
mod extensions;
mod extensions_console;
mod fast_fill;
mod faults;
mod funnel;
mod fuzz_api;
mod helpers;
mod html_checker;
mod instances;
mod invitations;
mod invitations_console;
mod limits;
mod mail_quota;
mod manage_api;
mod oidc_provider;
mod one_door;
mod openapi;
mod operations_browser;
mod outage;
mod outbox;
mod overload;
mod password_change;
mod pg_outage;
mod phone;
mod postgres;
mod problems_in_french;
mod recovery;
mod refusals_in_french;
mod registration;
mod retention;
mod rules;
mod sdk;
mod secrets;
mod security;
mod security_doc;
mod sessions;
mod settings;
mod slow_clients;
mod sms;
mod sms_gateway;
mod social;
mod texts_console;
mod users_console;
