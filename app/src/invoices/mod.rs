//! Invoices and credit notes, the money end of the commercial thread: partial invoices from a
//! project's ticked tasks, the final invoice when a project is completed (which locks it) and
//! unlocking it again, issuing with a gapless number and a stored PDF, sending through the
//! outbox, payments and the open balance, and the Invoices list.

pub mod api;
#[cfg(feature = "ssr")]
pub mod customer;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod document;
#[cfg(feature = "ssr")]
pub mod draft;
#[cfg(feature = "ssr")]
pub mod issue;
#[cfg(feature = "ssr")]
pub mod lifecycle;
pub mod list;
#[cfg(feature = "ssr")]
pub mod merge;
#[cfg(feature = "ssr")]
pub mod order;
#[cfg(feature = "ssr")]
pub mod settings;
pub mod ui;

pub use ui::MergePreview;

use crate::contacts::ContactRef;
use crate::domain::invoice::{InvoiceAction, InvoiceKind, InvoiceState, PaymentMethod};
use crate::domain::quote::Tax;
use crate::domain::{Currency, Money};
use crate::i18n::{td_string, Locale};
use crate::shared::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub fn invoice_href(id: Uuid) -> String {
    crate::shared::RecordKind::Invoice.href(id)
}

/// What a list, a badge or the history shows: paid and overdue come from the balance and
/// the user's day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Issued,
    PartlyPaid,
    Overdue,
    Paid,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartlyPaid => "partly_paid",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::Paid => "paid",
        }
    }

    pub fn of(
        state: InvoiceState,
        total: Decimal,
        paid: Decimal,
        open: Decimal,
        overdue: bool,
    ) -> InvoiceStatus {
        match state {
            InvoiceState::Draft => InvoiceStatus::Draft,
            InvoiceState::Paid => InvoiceStatus::Paid,
            InvoiceState::Issued if overdue => InvoiceStatus::Overdue,
            InvoiceState::Issued if paid > Decimal::ZERO && open < total => {
                InvoiceStatus::PartlyPaid
            }
            InvoiceState::Issued => InvoiceStatus::Issued,
        }
    }
}

pub fn status_label(locale: Locale, status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Draft => td_string!(locale, invoices.status_draft),
        InvoiceStatus::Issued => td_string!(locale, invoices.status_issued),
        InvoiceStatus::PartlyPaid => td_string!(locale, invoices.status_partly_paid),
        InvoiceStatus::Overdue => td_string!(locale, invoices.status_overdue),
        InvoiceStatus::Paid => td_string!(locale, invoices.status_paid),
    }
}

pub fn kind_label(locale: Locale, kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => td_string!(locale, invoices.invoice),
        InvoiceKind::CreditNote => td_string!(locale, invoices.credit_note),
    }
}

pub fn method_label(locale: Locale, method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::BankTransfer => td_string!(locale, invoices.method_bank_transfer),
        PaymentMethod::Card => td_string!(locale, invoices.method_card),
        PaymentMethod::Cash => td_string!(locale, invoices.method_cash),
        PaymentMethod::DirectDebit => td_string!(locale, invoices.method_direct_debit),
        PaymentMethod::Other => td_string!(locale, invoices.method_other),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub id: Uuid,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub tax: Option<Tax>,
    pub subtotal: Decimal,
    /// The task the line bills.
    pub task: Option<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: Uuid,
    pub paid_on: NaiveDate,
    pub amount: Money,
    pub method: PaymentMethod,
    pub by: Option<UserRef>,
}

/// A record an invoice links to, with its human number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Linked {
    pub id: Uuid,
    pub label: String,
}

/// The invoice page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: Uuid,
    pub kind: InvoiceKind,
    /// None while a draft.
    pub number: Option<String>,
    pub state: InvoiceState,
    pub status: InvoiceStatus,
    pub customer: ContactRef,
    pub contact: Option<ContactRef>,
    /// Where it would be sent: the contact's (or the customer's) first e-mail address.
    pub email: Option<String>,
    pub project: Option<Linked>,
    pub order: Option<Linked>,
    /// For a credit note: the invoice it corrects. For an invoice: its credit notes.
    pub credits: Option<Linked>,
    pub credit_notes: Vec<Linked>,
    pub invoice_date: NaiveDate,
    pub payment_terms_days: i32,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub lines: Vec<InvoiceLine>,
    pub untaxed: Money,
    pub tax: Money,
    pub total: Money,
    /// Tax per rate: (rate, included, base, amount).
    pub taxes: Vec<(Tax, Decimal, Decimal)>,
    pub paid: Money,
    pub credited: Money,
    pub open: Money,
    pub payments: Vec<Payment>,
    pub notes: String,
    pub payment_reference: Option<String>,
    pub issued_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub sent_to: Option<String>,
    pub version: i32,
    /// What the signed-in user may do now (the server checks again).
    pub may_invoice: bool,
}

impl Invoice {
    pub fn allows(&self, action: InvoiceAction) -> bool {
        self.may_invoice && self.state.allows(self.kind, action)
    }

    /// The name of the stored PDF: "INV-2026-0001.pdf".
    pub fn file_name(&self) -> String {
        format!("{}.pdf", self.number.as_deref().unwrap_or("draft"))
    }
}

/// One row of a project's invoice history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub id: Uuid,
    pub kind: InvoiceKind,
    pub number: Option<String>,
    pub status: InvoiceStatus,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total: Money,
    pub open: Money,
    pub sent_at: Option<DateTime<Utc>>,
    pub sent_to: Option<String>,
}

/// What the project page shows of invoicing: per task what was quoted and invoiced (and on
/// which invoice), and every invoice and credit note of the project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectBilling {
    /// The project's currency, which every task's amounts are in; None for a user who may not
    /// see invoicing.
    pub currency: Option<Currency>,
    pub tasks: Vec<TaskBilling>,
    pub history: Vec<HistoryRow>,
    /// The sales order the project was confirmed from, for down payments and the final
    /// invoice.
    pub order: Option<OrderSummary>,
    /// Whether the signed-in user may invoice (the server checks again).
    pub may_invoice: bool,
}

/// A project's sales order as invoicing sees it (amounts without tax).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub quote: Uuid,
    pub number: String,
    pub untaxed: Money,
    /// Invoiced as down payments, drafts included, less what credit notes gave back.
    pub down_payments: Money,
    /// What the final invoice will deduct: issued down payments not yet deducted.
    pub to_deduct: Money,
}

/// One task's ledger as it travels: plain amounts in the project's currency, which
/// [`ProjectBilling`] names once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskBilling {
    pub task: Uuid,
    pub quoted: Option<Decimal>,
    /// Invoiced so far (issued or draft).
    pub invoiced: Decimal,
    /// The invoice it is on, when it is on one: it cannot be ticked again.
    pub invoice: Option<Linked>,
    /// What ticking it would invoice: its quoted amount, or billable hours × the project's
    /// rate; None when there is nothing to invoice.
    pub amount: Option<Decimal>,
}

/// One task's ledger with its amounts as money, for the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskLedger {
    pub quoted: Option<Money>,
    pub invoiced: Money,
    pub invoice: Option<Linked>,
    pub amount: Option<Money>,
}

impl ProjectBilling {
    /// Each task's ledger, by task.
    pub fn ledgers(&self) -> HashMap<Uuid, TaskLedger> {
        let Some(currency) = self.currency else {
            return HashMap::new();
        };
        let money = |amount: Decimal| Money::new(amount, currency);
        self.tasks
            .iter()
            .map(|t| {
                let ledger = TaskLedger {
                    quoted: t.quoted.map(money),
                    invoiced: money(t.invoiced),
                    invoice: t.invoice.clone(),
                    amount: t.amount.map(money),
                };
                (t.task, ledger)
            })
            .collect()
    }
}

/// The draft's header, as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSave {
    pub id: Uuid,
    pub version: i32,
    pub invoice_date: String,
    pub payment_terms_days: String,
    pub notes: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub invoice: Uuid,
    pub version: i32,
    pub date: String,
    pub amount: String,
    pub method: PaymentMethod,
}

/// The e-mail of an issued invoice, as edited before sending.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A customer's money in one currency (seed 003): quoted (open quotes), ordered (sales
/// orders), invoiced (issued invoices less credit notes), paid, open and overdue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTotals {
    pub quoted: Money,
    pub ordered: Money,
    pub invoiced: Money,
    pub paid: Money,
    pub open: Money,
    pub overdue: Money,
}

/// One of the customer's projects with its own figures, in its currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectMoney {
    pub id: Uuid,
    pub label: String,
    pub ordered: Money,
    pub invoiced: Money,
    pub paid: Money,
    pub open: Money,
}

/// What a contact's page shows of the customer's money: totals per currency, then projects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerMoney {
    pub totals: Vec<MoneyTotals>,
    pub projects: Vec<ProjectMoney>,
}

/// The seller as invoices print it, and the invoicing defaults, as the settings form sends
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompanySettings {
    pub name: String,
    pub address: String,
    pub country: String,
    pub vat: String,
    pub email: String,
    pub iban: String,
    pub bic: String,
    pub payment_terms_days: String,
    pub invoice_terms: String,
    pub version: i32,
}

/// How a customer is invoiced: the language of its documents and e-mails (none: from its
/// country) and its own payment terms (none: the company's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactBilling {
    pub contact: Uuid,
    pub language: Option<crate::domain::Language>,
    /// Days, as typed; empty for the company's terms.
    pub payment_terms_days: String,
    pub version: i32,
}

/// The longest value typed for a down payment.
pub const DOWN_PAYMENT_TEXT_MAX: usize = 30;

/// A down payment as typed: a percentage or an amount, in the user's notation.
pub fn parse_down_payment(
    by_percent: bool,
    text: &str,
) -> Result<crate::domain::invoice::DownPayment, crate::error::AppError> {
    use crate::domain::invoice::DownPayment;
    use crate::error::{AppError, FieldProblem};
    if text.chars().count() > DOWN_PAYMENT_TEXT_MAX {
        return Err(AppError::invalid("amount", FieldProblem::TextTooLong));
    }
    let value = crate::domain::quote::parse_number(text)
        .map_err(|e| AppError::invalid("amount", e.into()))?
        .ok_or_else(|| AppError::invalid("amount", FieldProblem::ValueRequired))?;
    Ok(if by_percent {
        DownPayment::Percent(value)
    } else {
        DownPayment::Amount(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_task_ledger_takes_the_project_currency() {
        let eur = Currency::parse("EUR").unwrap();
        let (quoted, hourly) = (Uuid::now_v7(), Uuid::now_v7());
        let invoice = Linked {
            id: Uuid::now_v7(),
            label: "INV-2026-0007".into(),
        };
        let billing = ProjectBilling {
            currency: Some(eur),
            tasks: vec![
                TaskBilling {
                    task: quoted,
                    quoted: Some(Decimal::new(12000, 2)),
                    invoiced: Decimal::new(12000, 2),
                    invoice: Some(invoice.clone()),
                    amount: Some(Decimal::new(12000, 2)),
                },
                TaskBilling {
                    task: hourly,
                    quoted: None,
                    invoiced: Decimal::ZERO,
                    invoice: None,
                    amount: None,
                },
            ],
            ..ProjectBilling::default()
        };
        let ledgers = billing.ledgers();
        let money = |cents| Money::new(Decimal::new(cents, 2), eur);
        assert_eq!(
            ledgers[&quoted],
            TaskLedger {
                quoted: Some(money(12000)),
                invoiced: money(12000),
                invoice: Some(invoice),
                amount: Some(money(12000)),
            }
        );
        assert_eq!(ledgers[&hourly].invoiced, money(0));
        assert_eq!(ledgers[&hourly].amount, None);
        assert!(ProjectBilling::default().ledgers().is_empty());
    }
}
