//! The standard e-mails of a project page: an appointment confirmation with a calendar
//! invitation, and a status update, written to one of the project's client contacts in that
//! contact's language, sent through the outbox and logged on the project's timeline; and the
//! settings page where admins make the texts their own. The texts and their rules are
//! `domain::project_mail`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod compose;
#[cfg(feature = "ssr")]
pub mod db;
pub mod settings_ui;
pub mod ui;

use super::ContactRole;
use crate::contacts::ContactRef;
use crate::domain::project_mail::{AppointmentInput, MailKind};
use crate::domain::Language;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A client contact of the project with an e-mail address: someone a message can go to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRecipient {
    pub contact: ContactRef,
    pub email: String,
    /// Its roles in the project, tender first.
    pub roles: Vec<ContactRole>,
    /// The language it is written to in: its own, else that of its country, the customer's
    /// or the company's.
    pub language: Language,
}

/// Who a message goes to unless the user picks another: for an appointment the execution
/// contact, for a status update the billing contact; else the other of the two, else the first
/// contact with an address.
pub fn default_recipient(kind: MailKind, recipients: &[MailRecipient]) -> Option<&MailRecipient> {
    let preferred = match kind {
        MailKind::Appointment => [ContactRole::Execution, ContactRole::Billing],
        MailKind::Status => [ContactRole::Billing, ContactRole::Execution],
    };
    preferred
        .iter()
        .find_map(|role| recipients.iter().find(|r| r.roles.contains(role)))
        .or_else(|| recipients.first())
}

/// Which e-mail of which project, to whom (`None`: the default recipient), and for an
/// appointment its day, times and address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRequest {
    pub project: Uuid,
    pub kind: MailKind,
    #[serde(default)]
    pub contact: Option<Uuid>,
    #[serde(default)]
    pub appointment: AppointmentInput,
}

/// A message ready to be edited: the recipients to choose from, the one it is written for,
/// and the text (the company's own, else the standard one) with its placeholders filled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedMail {
    pub recipients: Vec<MailRecipient>,
    /// `None` when no client contact of the project has an e-mail address.
    pub contact: Option<Uuid>,
    pub language: Language,
    pub subject: String,
    pub body: String,
    /// The appointment's address as asked, else the recipient's or the customer's address.
    pub address: String,
}

/// The send dialog's form: what the message was prepared for, and its text as edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailForm {
    pub request: MailRequest,
    pub subject: String,
    pub body: String,
}

/// One text on the settings page: the company's own, or the standard one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateLine {
    pub kind: MailKind,
    pub language: Language,
    pub subject: String,
    pub body: String,
    pub custom: bool,
    /// The version a save or a reset states: 0 while the standard text applies.
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The settings page of the texts.
pub const TEMPLATES_HREF: &str = "/settings/mail-templates";

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(name: &str, roles: &[ContactRole]) -> MailRecipient {
        MailRecipient {
            contact: ContactRef {
                id: Uuid::now_v7(),
                name: name.to_string(),
            },
            email: format!("{}@example.com", name.to_lowercase()),
            roles: roles.to_vec(),
            language: Language::Nl,
        }
    }

    #[test]
    fn appointments_go_to_execution_and_updates_to_billing() {
        let all = [
            recipient("Tender", &[ContactRole::Tender]),
            recipient("Billing", &[ContactRole::Tender, ContactRole::Billing]),
            recipient("Execution", &[ContactRole::Execution]),
        ];
        let name = |kind, list: &[MailRecipient]| {
            default_recipient(kind, list).map(|r| r.contact.name.clone())
        };
        assert_eq!(name(MailKind::Appointment, &all), Some("Execution".into()));
        assert_eq!(name(MailKind::Status, &all), Some("Billing".into()));
        assert_eq!(
            name(MailKind::Appointment, &all[..2]),
            Some("Billing".into())
        );
        assert_eq!(name(MailKind::Status, &all[..1]), Some("Tender".into()));
        assert_eq!(name(MailKind::Status, &all[..0]), None);
    }
}
