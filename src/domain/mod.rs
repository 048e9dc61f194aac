//! Value types that know nothing of HTTP, SQL or templates.

mod application;
mod branding;
mod disposable;
mod email;
mod execution;
pub mod extension;
mod flow_type;
mod ids;
mod limits;
mod password;
pub mod phone;
#[cfg(test)]
mod properties;
mod sealed;
mod token;
mod trusted_proxies;
mod username;

pub use application::{parse_origin, parse_return_url};
pub use branding::{Branding, Colour, LOGO_MAX_BYTES, Logo, LogoRef};
pub use disposable::is_disposable;
pub use email::{Email, domain_to_ascii};
pub use execution::{Execution, ExecutionSecrets, ExecutionStatus, OtpState, SocialState};
pub use flow_type::FlowType;
pub use ids::{ExecutionId, FlowVersionId, UserId};
pub use limits::{LIMIT_FIELDS, LimitError, LimitField, LimitGroup, Limits};
pub use password::{PasswordPolicy, PasswordRule};
pub use sealed::{SealKey, Unsealable};
pub use token::{ApiToken, LinkToken, OtpCode, sha256_hex};
pub use trusted_proxies::TrustedProxies;
pub use username::username_key;

/// Why one submitted field was refused: a stable snake_case code clients may rely on
/// (also the message-catalogue key suffix), plus values the message interpolates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(code: &'static str) -> Self {
        Self {
            code,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}
