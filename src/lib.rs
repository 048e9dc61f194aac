//! Flows: hosted self-registration, password recovery and invitation journeys.

pub mod breached;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod engine;
pub mod i18n;
pub mod mail;
pub mod oidc;
pub mod outbox;
pub mod outcall;
pub mod password_hash;
#[cfg(test)]
mod security_claims;
pub mod sms;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod tls;
pub mod web;
