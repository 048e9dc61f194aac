//! The kinds of journey a flow can be, as stored and as named in URLs and the API.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FlowType {
    Registration,
    PasswordRecovery,
    InvitedUserRegistration,
}

impl FlowType {
    pub const ALL: [FlowType; 3] = [
        FlowType::Registration,
        FlowType::PasswordRecovery,
        FlowType::InvitedUserRegistration,
    ];

    /// Attributes an execution of this type holds from its start, before any view: an
    /// invitation brings the invited address.
    pub fn provided_at_start(self) -> &'static [&'static str] {
        match self {
            FlowType::InvitedUserRegistration => &["email"],
            _ => &[],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FlowType::Registration => "REGISTRATION",
            FlowType::PasswordRecovery => "PASSWORD_RECOVERY",
            FlowType::InvitedUserRegistration => "INVITED_USER_REGISTRATION",
        }
    }
}

impl fmt::Display for FlowType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FlowType {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        FlowType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or(())
    }
}
