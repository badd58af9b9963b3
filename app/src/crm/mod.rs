//! The CRM: opportunities (deals) in configurable pipelines, shown as a board with one
//! column per stage, as a list and as a calendar by expected closing; won, lost and reopen;
//! tasks created from a deal, finished when the deal closes.

pub mod api;
#[cfg(feature = "ssr")]
pub mod board;
#[cfg(feature = "ssr")]
pub mod db;
pub mod list;
#[cfg(feature = "ssr")]
pub mod settings;
pub mod ui;

use crate::activities::{ActivityType, Named};
use crate::contacts::ContactRef;
use crate::domain::activity::ActivityState;
use crate::domain::form::blank_as_none;
use crate::domain::opportunity::{CrmRights, OpportunityInput, OpportunityStatus};
use crate::domain::{CurrencySums, Money, TaskStatus};
use crate::shared::{OpportunityRef, UserRef};
use crate::tasks::TaskLine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Cards a column shows at first and per "more".
pub const COLUMN_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: Uuid,
    pub named: Named,
    pub folded: bool,
    pub is_won: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    pub id: Uuid,
    pub named: Named,
    pub stages: Vec<Stage>,
}

/// A board card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub id: Uuid,
    pub title: String,
    pub customer: Option<String>,
    pub expected_revenue: Option<Money>,
    pub salesperson: Option<UserRef>,
    pub priority: u8,
    pub tags: Vec<String>,
    pub status: OpportunityStatus,
    /// The next activity's icon and state; `None` shows the grey clock.
    pub next_activity: Option<(String, ActivityState)>,
    /// The state of the deal's most recently updated task.
    pub task_status: Option<TaskStatus>,
    pub version: i32,
}

/// Where a column's next cards start: after this card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardCursor {
    pub position: f64,
    pub id: Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: Stage,
    /// Deals in the column (within the board's filters), and their expected revenue summed
    /// per currency.
    pub count: i64,
    pub revenue: CurrencySums,
    pub cards: Vec<Card>,
    pub next: Option<CardCursor>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub pipelines: Vec<(Uuid, Named)>,
    pub pipeline_id: Uuid,
    pub columns: Vec<Column>,
    pub rights: CrmRights,
}

/// More cards of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnPage {
    pub cards: Vec<Card>,
    pub next: Option<CardCursor>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: Uuid,
    pub title: String,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub customer: Option<ContactRef>,
    pub contact: Option<ContactRef>,
    pub salesperson: Option<UserRef>,
    pub expected_revenue: Option<Money>,
    pub probability: Option<i16>,
    pub expected_closing: Option<NaiveDate>,
    pub priority: i16,
    pub tags: Vec<String>,
    pub source: String,
    pub description: String,
    pub status: OpportunityStatus,
    pub lost_reason: Option<Named>,
    pub lost_note: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Opportunity {
    /// The deal's fields as its form shows them.
    pub fn input(&self) -> OpportunityInput {
        OpportunityInput {
            title: self.title.clone(),
            expected_revenue: self
                .expected_revenue
                .map(|r| r.amount.to_string())
                .unwrap_or_default(),
            probability: self.probability.map(|p| p.to_string()).unwrap_or_default(),
            expected_closing: self
                .expected_closing
                .map(|d| d.to_string())
                .unwrap_or_default(),
            priority: self.priority.to_string(),
            tags: self.tags.join(", "),
            source: self.source.clone(),
            description: self.description.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostReason {
    pub id: Uuid,
    pub named: Named,
    pub active: bool,
}

/// The opportunity page: the deal, its pipeline's stages, the lost reasons to choose from,
/// and the tasks created from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpportunityPage {
    pub opportunity: Opportunity,
    pub stages: Vec<Stage>,
    pub lost_reasons: Vec<LostReason>,
    pub tasks: Vec<TaskLine>,
    pub rights: CrmRights,
}

/// Who a deal is with and who sells it, as its form sends them: customer and contact person
/// picked by id or typed by their exact name, and the salesperson; a blank field is none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealLinks {
    #[serde(default, deserialize_with = "blank_as_none")]
    pub customer_id: Option<Uuid>,
    #[serde(default)]
    pub customer: String,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub contact: String,
    #[serde(default, deserialize_with = "blank_as_none")]
    pub salesperson: Option<Uuid>,
}

/// A deal on the calendar by expected closing date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingDeal {
    pub id: Uuid,
    pub title: String,
    pub expected_closing: NaiveDate,
    pub expected_revenue: Option<Money>,
    pub status: OpportunityStatus,
}

/// What the CRM settings page edits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmSettings {
    pub pipelines: Vec<Pipeline>,
    pub lost_reasons: Vec<LostReason>,
    pub activity_types: Vec<ActivityType>,
    pub close_tasks_when_deal_closes: bool,
    /// Whether the reader may change them (managers and admins).
    pub may_configure: bool,
    /// The version of all CRM settings; a change states the one it was made on.
    pub version: i32,
}
