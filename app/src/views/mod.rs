//! The generic list view every list of Atrium uses: schema (what a list offers), state (what a
//! user chose, held in the URL), the one filter builder, the statements, and the component.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
pub mod filter;
pub mod pivot;
pub mod query;
pub mod schema;
pub mod state;
pub mod ui;

pub use crate::domain::FilterError;
pub use schema::{FieldDef, FieldKind, ListSchema};
pub use state::{Filter, Sort, ViewState};

use crate::domain::{CurrencySums, Money};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Counts are exact up to this many rows; beyond, "10,000+" until the user asks.
pub const COUNT_CAP: i64 = 10_000;
pub const PAGE_SIZE: i64 = 50;
/// Groups shown per level; more would not be read.
pub const GROUP_LIMIT: i64 = 200;

/// Where the next page starts: the last row's sort key (as text) and id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: String,
    pub id: Uuid,
}

/// One cell of a list row, typed by its field's kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Text(String),
    Number(Decimal),
    /// An amount and its currency code.
    Money(Money),
    Date(NaiveDate),
    Bool(bool),
    Tags(Vec<String>),
    /// A record's label and the path of its page (a field with `link_sql`).
    Link {
        text: String,
        href: String,
    },
}

impl Cell {
    /// The cell without its link, where it sits inside a link already (a row's title).
    pub fn unlinked(self) -> Cell {
        match self {
            Cell::Link { text, .. } => Cell::Text(text),
            other => other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListRow {
    pub id: Uuid,
    pub cells: Vec<Cell>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Count {
    Exact(i64),
    /// More than `COUNT_CAP`; the exact number is counted on request.
    AtLeast(i64),
}

/// One answer of a list: rows (with their count) or, while groups are folded, the groups of
/// the next level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    /// The view that was applied: the requested one, or the user's default view when the
    /// request named none.
    pub query: String,
    /// The groups below the requested path, when the view groups deeper than that path.
    pub groups: Option<Vec<Group>>,
    /// Field keys of `cells`, in order.
    pub columns: Vec<String>,
    pub rows: Vec<ListRow>,
    pub next: Option<Cursor>,
    /// Counted with the first page only; later pages leave it out.
    pub count: Option<Count>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The group's value as text; `None` for rows without one.
    pub key: Option<String>,
    pub count: i64,
    /// (field key, total) for each summed field of the list.
    pub sums: Vec<(String, Total)>,
}

/// A summed field's total over a group: one figure, or for money in a list whose rows differ
/// in currency, one amount per currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Total {
    Plain(Decimal),
    PerCurrency(CurrencySums),
}

/// A saved view ("favorite").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: Uuid,
    pub name: String,
    pub query: String,
    pub shared: bool,
    /// Whether the signed-in user owns it (and may delete it).
    pub mine: bool,
}

/// What the signed-in user keeps for one list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub columns: Option<Vec<String>>,
    pub default_view: Option<Uuid>,
    pub saved: Vec<SavedView>,
}
