//! Projects: what is being done for which customer, by whom, until when and for how much,
//! with the project's administration (members and their permission, client contacts by role,
//! admin documents with reminders).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod documents;
pub mod list;
pub mod mail;
pub mod ui;

use crate::contacts::ContactRef;
use crate::domain::{Money, Permission, ProjectInput, ProjectOp, ProjectState};
use crate::shared::UserRef;
use crate::tasks::TaskLine;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub description: String,
    pub customer: Option<ContactRef>,
    pub manager: Option<UserRef>,
    pub state: ProjectState,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub tender_end_date: Option<NaiveDate>,
    pub budget: Option<Money>,
    pub hourly_rate: Option<Money>,
    pub hours_spent: Decimal,
    pub locked: bool,
    pub version: i32,
    /// The quote whose confirmation created the project: id and number.
    #[serde(default)]
    pub quote: Option<(Uuid, String)>,
}

impl Project {
    /// The project's fields as its form shows them.
    pub fn input(&self) -> ProjectInput {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ProjectInput {
            title: self.title.clone(),
            description: self.description.clone(),
            start_date: date(self.start_date),
            end_date: date(self.end_date),
            tender_end_date: date(self.tender_end_date),
            budget: self
                .budget
                .map(|b| b.amount.to_string())
                .unwrap_or_default(),
            hourly_rate: self
                .hourly_rate
                .map(|r| r.amount.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn standing(&self) -> crate::domain::project_access::Standing {
        crate::domain::project_access::Standing {
            state: self.state,
            locked: self.locked,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRef {
    pub id: Uuid,
    pub number: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user: UserRef,
    pub permission: Permission,
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    /// The tender (submission) contact.
    Tender,
    Billing,
    Execution,
}

impl ContactRole {
    pub const ALL: [ContactRole; 3] = [
        ContactRole::Tender,
        ContactRole::Billing,
        ContactRole::Execution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactRole::Tender => "tender",
            ContactRole::Billing => "billing",
            ContactRole::Execution => "execution",
        }
    }

    pub fn parse(text: &str) -> Option<ContactRole> {
        ContactRole::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectContact {
    pub role: ContactRole,
    pub contact: ContactRef,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: Uuid,
    pub kind: String,
    pub file_name: String,
    pub size_bytes: i64,
    pub expires_on: Option<NaiveDate>,
    pub remind_on: Option<NaiveDate>,
    pub uploaded_by: Option<String>,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

pub const DOCUMENT_KINDS: [&str; 5] = ["contract", "insurance", "permit", "certificate", "other"];

/// Everything the project page shows, read with a constant number of statements whatever
/// the number of tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectPage {
    pub project: Project,
    /// The signed-in user's permission on it.
    pub permission: Permission,
    pub members: Vec<Member>,
    pub contacts: Vec<ProjectContact>,
    pub documents: Vec<Document>,
    pub tasks: Vec<TaskLine>,
    pub planned_hours: Decimal,
}

impl ProjectPage {
    /// Whether the signed-in user may do `op` now (the server checks again).
    pub fn may(&self, op: ProjectOp) -> bool {
        crate::domain::project_access::check(Some(self.permission), self.project.standing(), op)
            .is_ok()
    }
}

/// A project as the customer's contact page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProject {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub state: ProjectState,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub budget: Option<Money>,
    pub hours_spent: Decimal,
}

/// What "Assign client" did over the selected projects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkAssignReport {
    pub changed: usize,
    /// Selected projects the user may not change (closed, or not an admin of them).
    pub refused: usize,
}

pub fn project_href(id: Uuid) -> String {
    format!("/projects/{id}")
}

/// The customer (picked by id, or typed by its exact name) and the manager, as the project
/// form sends them; a blank field is none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLinks {
    #[serde(default, deserialize_with = "crate::domain::form::blank_as_none")]
    pub customer_id: Option<Uuid>,
    #[serde(default)]
    pub customer: String,
    #[serde(default, deserialize_with = "crate::domain::form::blank_as_none")]
    pub manager: Option<Uuid>,
}

/// A client contact picked by id, or typed by its exact name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPick {
    #[serde(default, deserialize_with = "crate::domain::form::blank_as_none")]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub contact: String,
}
