//! Activities planned on any record (call, e-mail, meeting, to-do, upload a document, and
//! configured types) and the record timeline (notes, activities done, stage moves, won/lost,
//! field changes, tasks created), shared by opportunities, contacts, projects and tasks.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use crate::domain::activity::ActivityState;
use crate::i18n::{td_string, Locale};
use crate::shared::{RecordKind, UserRef};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A configurable row (stage, pipeline, lost reason, activity type): built-in rows have a
/// key and read in the reader's language until renamed; rows people add have a name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub key: Option<String>,
    pub name: String,
}

impl Named {
    pub fn label(&self, locale: Locale) -> String {
        if !self.name.trim().is_empty() {
            return self.name.clone();
        }
        self.key
            .as_deref()
            .and_then(|key| builtin(locale, key))
            .map_or_else(|| self.key.clone().unwrap_or_default(), str::to_string)
    }
}

/// The built-in rows' names.
fn builtin(l: Locale, key: &str) -> Option<&'static str> {
    Some(match key {
        "sales" => td_string!(l, crm.builtin.sales),
        "new" => td_string!(l, crm.builtin.stage_new),
        "qualified" => td_string!(l, crm.builtin.qualified),
        "proposition" => td_string!(l, crm.builtin.proposition),
        "won" => td_string!(l, crm.builtin.won),
        "too_expensive" => td_string!(l, crm.builtin.too_expensive),
        "competitor" => td_string!(l, crm.builtin.competitor),
        "no_budget" => td_string!(l, crm.builtin.no_budget),
        "no_answer" => td_string!(l, crm.builtin.no_answer),
        "call" => td_string!(l, activities.type_call),
        "email" => td_string!(l, activities.type_email),
        "meeting" => td_string!(l, activities.type_meeting),
        "todo" => td_string!(l, activities.type_todo),
        "document" => td_string!(l, activities.type_document),
        _ => return None,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityType {
    pub id: Uuid,
    pub named: Named,
    /// phone, email, meeting, todo or document.
    pub icon: String,
    pub delay_days: i32,
    pub active: bool,
}

pub const ICONS: [&str; 5] = ["phone", "email", "meeting", "todo", "document"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: Uuid,
    pub record_kind: RecordKind,
    pub record_id: Uuid,
    /// The record's title or name, for lists of activities across records.
    pub record_label: String,
    pub type_id: Uuid,
    pub type_named: Named,
    pub icon: String,
    pub due_date: NaiveDate,
    pub summary: String,
    pub note: String,
    pub assigned_to: Option<UserRef>,
    /// Overdue, today or planned, in the reader's own day; `None` once done.
    pub state: Option<ActivityState>,
    pub done_at: Option<DateTime<Utc>>,
    pub feedback: String,
    pub version: i32,
}

/// The signed-in user's open activities, by their state today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyActivities {
    pub today: NaiveDate,
    pub overdue: Vec<Activity>,
    pub due_today: Vec<Activity>,
    pub upcoming: Vec<Activity>,
}

/// What the navigation counter shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityCounts {
    pub overdue: i64,
    pub today: i64,
}

/// One entry of a record's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEvent {
    Created,
    Note {
        text: String,
    },
    ActivityDone {
        type_named: Named,
        icon: String,
        summary: String,
        note: String,
        feedback: String,
    },
    Stage {
        from: Named,
        to: Named,
    },
    Won,
    Lost {
        reason: Named,
        note: String,
    },
    Reopened,
    /// A field changed: its key (translated as the form's label) and both values as text.
    Field {
        field: String,
        old: String,
        new: String,
    },
    TaskCreated {
        task_id: Uuid,
        title: String,
    },
    /// A quote was made for this record (on the deal), or this quote was created.
    QuoteCreated {
        quote_id: Uuid,
        number: String,
    },
    /// Sent by e-mail (queued in the outbox).
    QuoteSent {
        to: String,
    },
    /// Back to draft, or cancelled.
    QuoteState {
        state: crate::domain::quote_state::QuoteState,
    },
    /// Confirmed into a sales order, which created the project.
    QuoteConfirmed {
        project_id: Uuid,
        project_number: String,
    },
    /// The outbox gave up on an e-mail.
    SendFailed {
        to: String,
        error: String,
    },
    /// A draft invoice or credit note was made (on the project, and on the invoice).
    InvoiceCreated {
        invoice_id: Uuid,
        #[serde(default)]
        label: String,
    },
    /// Issued with its number.
    InvoiceIssued {
        invoice_id: Uuid,
        number: String,
    },
    /// E-mailed (queued in the outbox) to `to`.
    InvoiceSent {
        invoice_id: Uuid,
        number: String,
        to: String,
    },
    /// A payment was registered.
    Payment {
        amount: crate::domain::Money,
    },
    /// Completed, and so locked.
    ProjectLocked,
    /// Unlocked by a manager or admin, who said why.
    ProjectUnlocked {
        reason: String,
    },
    /// An appointment confirmation was e-mailed (queued in the outbox) to `to`, for the
    /// appointment starting at `starts`.
    AppointmentSent {
        to: String,
        subject: String,
        starts: DateTime<Utc>,
    },
    /// A status update was e-mailed (queued in the outbox) to `to`.
    StatusSent {
        to: String,
        subject: String,
    },
}

impl TimelineEvent {
    /// The `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            TimelineEvent::Created => "created",
            TimelineEvent::Note { .. } => "note",
            TimelineEvent::ActivityDone { .. } => "activity_done",
            TimelineEvent::Stage { .. } => "stage",
            TimelineEvent::Won => "won",
            TimelineEvent::Lost { .. } => "lost",
            TimelineEvent::Reopened => "reopened",
            TimelineEvent::Field { .. } => "field",
            TimelineEvent::TaskCreated { .. } => "task_created",
            TimelineEvent::QuoteCreated { .. } => "quote_created",
            TimelineEvent::QuoteSent { .. } => "quote_sent",
            TimelineEvent::QuoteState { .. } => "quote_state",
            TimelineEvent::QuoteConfirmed { .. } => "quote_confirmed",
            TimelineEvent::SendFailed { .. } => "send_failed",
            TimelineEvent::InvoiceCreated { .. } => "invoice_created",
            TimelineEvent::InvoiceIssued { .. } => "invoice_issued",
            TimelineEvent::InvoiceSent { .. } => "invoice_sent",
            TimelineEvent::Payment { .. } => "payment",
            TimelineEvent::ProjectLocked => "project_locked",
            TimelineEvent::ProjectUnlocked { .. } => "project_unlocked",
            TimelineEvent::AppointmentSent { .. } => "appointment_sent",
            TimelineEvent::StatusSent { .. } => "status_sent",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub user: Option<String>,
    pub event: TimelineEvent,
}

/// Where the next page of a timeline starts: after this entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    pub entries: Vec<TimelineEntry>,
    pub next: Option<TimelineCursor>,
}
