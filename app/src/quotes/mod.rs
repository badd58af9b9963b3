//! Quotes and sales orders: the quote form (catalogue and configured lines, sections, notes,
//! totals per tax rate), "My quotes" as list, kanban and calendar, sending by e-mail with the
//! PDF through the outbox, and confirmation into a sales order that creates the project and
//! its tasks and wins the deal, all in one transaction.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cards;
#[cfg(feature = "ssr")]
pub mod confirm;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod document;
pub mod list;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod ui;

use crate::contacts::ContactRef;
use crate::domain::quote::{LineInput, LineKind, Tax};
use crate::domain::quote_state::{QuoteAction, QuoteState, QuoteStatus};
use crate::domain::{Currency, CurrencySums, Money};
use crate::i18n::{td_string, Locale};
use crate::shared::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn quote_href(id: Uuid) -> String {
    crate::shared::RecordKind::Quote.href(id)
}

pub fn status_label(locale: Locale, status: QuoteStatus) -> &'static str {
    match status {
        QuoteStatus::Draft => td_string!(locale, quotes.status_draft),
        QuoteStatus::Sent => td_string!(locale, quotes.status_sent),
        QuoteStatus::Expired => td_string!(locale, quotes.status_expired),
        QuoteStatus::Sale => td_string!(locale, quotes.status_sale),
        QuoteStatus::Cancelled => td_string!(locale, quotes.status_cancelled),
    }
}

/// A stored line with its computed subtotal and the tax as it was when the line was saved
/// (a later change of the tax's rate does not change a quote already written).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub input: LineInput,
    pub tax: Option<Tax>,
    pub subtotal: Option<Decimal>,
}

impl Quote {
    /// The taxes of the stored lines, by id, as they were saved.
    pub fn stored_taxes(&self) -> std::collections::HashMap<Uuid, Tax> {
        self.lines
            .iter()
            .filter_map(|l| l.input.tax_id.zip(l.tax))
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedRecord {
    pub id: Uuid,
    pub label: String,
}

/// The quote page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub customer: Option<ContactRef>,
    pub contact: Option<ContactRef>,
    pub salesperson: Option<UserRef>,
    pub opportunity: Option<LinkedRecord>,
    pub project: Option<LinkedRecord>,
    pub quote_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub currency: Currency,
    pub notes: String,
    pub state: QuoteState,
    pub status: QuoteStatus,
    pub untaxed: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    pub lines: Vec<QuoteLine>,
    pub sent_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The latest e-mail of this quote that the outbox gave up on, with its error.
    pub send_failure: Option<String>,
    /// The customer's (or contact's) e-mail address, proposed when sending.
    pub recipient: String,
    pub version: i32,
    /// The user may edit and act on quotes (sales, managers, admins).
    pub may_edit: bool,
    pub actions: Vec<QuoteAction>,
}

/// What the quote form saves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteSave {
    pub id: Uuid,
    pub version: i32,
    pub title: String,
    pub customer_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub salesperson_id: Option<Uuid>,
    pub quote_date: String,
    pub valid_until: String,
    pub currency: String,
    pub notes: String,
    pub lines: Vec<LineInput>,
}

/// The customer of a new quote, as the "New quote" dialog asks (seed 001).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "choice", rename_all = "snake_case")]
pub enum CustomerChoice {
    /// Create a new customer (a company) with this name and e-mail address.
    Create { name: String, email: String },
    /// Link to an existing contact.
    Existing { id: Uuid },
    /// No customer (yet).
    None,
}

/// A quote as kanban cards, calendars and contact pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteCard {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub customer: Option<String>,
    pub salesperson: Option<UserRef>,
    pub quote_date: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub total: Money,
    pub status: QuoteStatus,
}

/// The kanban: quotes by status, each column capped, with its count and totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteColumn {
    pub status: QuoteStatus,
    pub count: i64,
    /// The column's sum per currency: amounts in different currencies are not added.
    pub totals: CurrencySums,
    pub cards: Vec<QuoteCard>,
}

/// A line as the form edits it, with a stable key for the list.
pub fn new_line(kind: LineKind) -> LineInput {
    LineInput {
        kind,
        quantity: if kind == LineKind::Item {
            "1".into()
        } else {
            String::new()
        },
        ..LineInput::default()
    }
}
