//! References to records that several features show or pick: a user, a deal, and the kinds
//! of record that activities, timelines and links point at.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user as others see them: picked as assignee, salesperson or participant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: Uuid,
    pub name: String,
}

/// A deal as others link to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityRef {
    pub id: Uuid,
    pub title: String,
}

/// The kinds of record activities and timeline entries attach to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Opportunity,
    Contact,
    Project,
    Task,
    Quote,
    Invoice,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Opportunity,
        RecordKind::Contact,
        RecordKind::Project,
        RecordKind::Task,
        RecordKind::Quote,
        RecordKind::Invoice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Opportunity => "opportunity",
            RecordKind::Contact => "contact",
            RecordKind::Project => "project",
            RecordKind::Task => "task",
            RecordKind::Quote => "quote",
            RecordKind::Invoice => "invoice",
        }
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The record's page.
    pub fn href(self, id: Uuid) -> String {
        match self {
            RecordKind::Opportunity => format!("/crm/{id}"),
            RecordKind::Contact => format!("/contacts/{id}"),
            RecordKind::Project => format!("/projects/{id}"),
            RecordKind::Task => format!("/tasks/{id}"),
            RecordKind::Quote => format!("/quotes/{id}"),
            RecordKind::Invoice => format!("/invoices/{id}"),
        }
    }
}
