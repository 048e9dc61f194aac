//! Starter templates: complete, ready-to-publish flows an admin starts from.

use super::graph::FlowDefinition;
use crate::domain::FlowType;

pub struct StarterTemplate {
    pub id: &'static str,
    pub flow_type: FlowType,
    /// The one published on first start for its flow type.
    pub is_default: bool,
    json: &'static str,
}

impl StarterTemplate {
    pub fn definition(&self) -> Result<FlowDefinition, serde_json::Error> {
        serde_json::from_str(self.json)
    }
}

const TEMPLATES: &[StarterTemplate] = &[
    StarterTemplate {
        id: "registration-otp",
        flow_type: FlowType::Registration,
        is_default: true,
        json: include_str!("templates/registration-otp.json"),
    },
    StarterTemplate {
        id: "registration-magic-link",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-magic-link.json"),
    },
    StarterTemplate {
        id: "registration-passwordless",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-passwordless.json"),
    },
    StarterTemplate {
        id: "registration-approval",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-approval.json"),
    },
    StarterTemplate {
        id: "registration-domains-approval",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-domains-approval.json"),
    },
    StarterTemplate {
        id: "registration-extension",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-extension.json"),
    },
    StarterTemplate {
        id: "recovery-link",
        flow_type: FlowType::PasswordRecovery,
        is_default: true,
        json: include_str!("templates/recovery-link.json"),
    },
    StarterTemplate {
        id: "registration-phone-otp",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-phone-otp.json"),
    },
    StarterTemplate {
        id: "registration-social",
        flow_type: FlowType::Registration,
        is_default: false,
        json: include_str!("templates/registration-social.json"),
    },
    StarterTemplate {
        id: "recovery-sms-otp",
        flow_type: FlowType::PasswordRecovery,
        is_default: false,
        json: include_str!("templates/recovery-sms-otp.json"),
    },
    StarterTemplate {
        id: "recovery-sms-or-email-otp",
        flow_type: FlowType::PasswordRecovery,
        is_default: false,
        json: include_str!("templates/recovery-sms-or-email-otp.json"),
    },
    StarterTemplate {
        id: "recovery-otp",
        flow_type: FlowType::PasswordRecovery,
        is_default: false,
        json: include_str!("templates/recovery-otp.json"),
    },
    StarterTemplate {
        id: "invite-password",
        flow_type: FlowType::InvitedUserRegistration,
        is_default: true,
        json: include_str!("templates/invite-password.json"),
    },
    StarterTemplate {
        id: "invite-profile",
        flow_type: FlowType::InvitedUserRegistration,
        is_default: false,
        json: include_str!("templates/invite-profile.json"),
    },
];

pub fn all() -> &'static [StarterTemplate] {
    TEMPLATES
}

pub fn by_id(id: &str) -> Option<&'static StarterTemplate> {
    TEMPLATES.iter().find(|t| t.id == id)
}

pub fn default_for(flow_type: FlowType) -> Option<&'static StarterTemplate> {
    TEMPLATES
        .iter()
        .find(|t| t.flow_type == flow_type && t.is_default)
}
