//! Invoices and credit notes: their numbers, states and the actions each state allows; what
//! is still open, overdue or creditable; payments as typed; what a task, a down payment or a
//! 0 % line amounts to. Line arithmetic is the quote's (`quote::totals`): an invoice is priced
//! exactly as the quote it comes from.

use crate::quote::{parse_number, round_cents, split_amount};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum InvoiceError {
    #[error("this is not possible in the invoice's current state")]
    NotAllowed,
    #[error("payment terms are a number of days from 0 to 365")]
    InvalidTerms,
    #[error("an amount is required")]
    AmountRequired,
    #[error("the amount must be more than zero")]
    AmountNotPositive,
    #[error("the payment is more than what is open")]
    Overpayment,
    #[error("a payment cannot be dated in the future")]
    PaymentInFuture,
    #[error("not a valid date")]
    DateInvalid,
    #[error("the credit note is more than what is left to credit")]
    CreditTooLarge,
    #[error("there is nothing to credit")]
    NothingToCredit,
    #[error("the task has no quoted amount and the project no hourly rate")]
    NoHourlyRate,
    #[error("there is nothing to invoice")]
    NothingToInvoice,
    #[error("some tasks are already invoiced")]
    AlreadyInvoiced(Vec<Uuid>),
    #[error("the percentage must be more than 0 and at most 100")]
    PercentOutOfRange,
    #[error("the down payment is more than what is left of the order")]
    DownPaymentTooLarge,
    #[error("the down payments are more than what the final invoice bills")]
    DeductionsTooLarge,
    #[error("not a number")]
    Malformed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Invoice,
    CreditNote,
}

impl InvoiceKind {
    pub const ALL: [InvoiceKind; 2] = [InvoiceKind::Invoice, InvoiceKind::CreditNote];

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "invoice",
            InvoiceKind::CreditNote => "credit_note",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceKind> {
        InvoiceKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Each kind is numbered in its own series, as accountants expect.
    pub fn series(self) -> &'static str {
        match self {
            InvoiceKind::Invoice => "INV",
            InvoiceKind::CreditNote => "CN",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceState {
    Draft,
    Issued,
    Paid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceAction {
    /// Gives the draft its number; from then on it is a legal document and never changes.
    Issue,
    Delete,
    Edit,
    RegisterPayment,
    /// Drafts a credit note against it.
    Credit,
    Send,
}

impl InvoiceAction {
    pub const ALL: [InvoiceAction; 6] = [
        InvoiceAction::Issue,
        InvoiceAction::Delete,
        InvoiceAction::Edit,
        InvoiceAction::RegisterPayment,
        InvoiceAction::Credit,
        InvoiceAction::Send,
    ];
}

impl InvoiceState {
    pub const ALL: [InvoiceState; 3] = [
        InvoiceState::Draft,
        InvoiceState::Issued,
        InvoiceState::Paid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceState::Draft => "draft",
            InvoiceState::Issued => "issued",
            InvoiceState::Paid => "paid",
        }
    }

    pub fn parse(text: &str) -> Option<InvoiceState> {
        InvoiceState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether `action` is allowed in this state. Only a draft may change or disappear: an
    /// issued number must stay in the books, and a mistake is corrected by a credit note. A
    /// credit note is itself never credited nor paid by the customer (the money flows the
    /// other way), so those two actions are for invoices only.
    pub fn allows(self, kind: InvoiceKind, action: InvoiceAction) -> bool {
        use InvoiceAction::*;
        use InvoiceState::*;
        let by_state = match self {
            Draft => matches!(action, Edit | Delete | Issue),
            Issued => matches!(action, RegisterPayment | Credit | Send),
            Paid => matches!(action, Credit | Send),
        };
        let by_kind = kind == InvoiceKind::Invoice || !matches!(action, RegisterPayment | Credit);
        by_state && by_kind
    }

    pub fn check(self, kind: InvoiceKind, action: InvoiceAction) -> Result<(), InvoiceError> {
        if self.allows(kind, action) {
            Ok(())
        } else {
            Err(InvoiceError::NotAllowed)
        }
    }

    /// The state after payments (or credit notes) changed what is open. A draft is not yet
    /// owed, so nothing paid moves it.
    pub fn after_payments(self, open: Decimal) -> InvoiceState {
        match self {
            InvoiceState::Draft => InvoiceState::Draft,
            _ if open > Decimal::ZERO => InvoiceState::Issued,
            _ => InvoiceState::Paid,
        }
    }
}

/// "INV-2026-0001" / "CN-2026-0001": four digits at least, more when the year's sequence
/// grows past 9999 (never cut, so numbers stay unique).
pub fn invoice_number(kind: InvoiceKind, year: i32, sequence: i64) -> String {
    format!("{}-{year}-{sequence:04}", kind.series())
}

/// Payment terms in days after the invoice date: 0 (due at once) to 365.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u16")]
pub struct PaymentTerms(u16);

impl PaymentTerms {
    pub const DEFAULT: PaymentTerms = PaymentTerms(30);
    const MAX_DAYS: i64 = 365;

    pub fn new(days: i64) -> Result<PaymentTerms, InvoiceError> {
        if (0..=Self::MAX_DAYS).contains(&days) {
            u16::try_from(days)
                .map(PaymentTerms)
                .map_err(|_| InvoiceError::InvalidTerms)
        } else {
            Err(InvoiceError::InvalidTerms)
        }
    }

    pub fn days(self) -> u16 {
        self.0
    }

    pub fn due_date(self, invoice_date: NaiveDate) -> NaiveDate {
        // Only the last representable days overflow; those stay at the end of the calendar.
        invoice_date
            .checked_add_days(Days::new(u64::from(self.0)))
            .unwrap_or(NaiveDate::MAX)
    }
}

impl Default for PaymentTerms {
    fn default() -> Self {
        PaymentTerms::DEFAULT
    }
}

impl TryFrom<i64> for PaymentTerms {
    type Error = InvoiceError;

    fn try_from(days: i64) -> Result<Self, Self::Error> {
        PaymentTerms::new(days)
    }
}

impl From<PaymentTerms> for u16 {
    fn from(terms: PaymentTerms) -> u16 {
        terms.0
    }
}

/// What is still owed: total − paid − credited. Exact, so negative on an overpayment: the
/// caller shows it (as money to give back), nothing here hides it.
pub fn open_balance(total: Decimal, paid: Decimal, credited: Decimal) -> Decimal {
    total - paid - credited
}

/// Overdue by the user's own day (`clock.today()`): an issued invoice, something still open,
/// and today past the due date. On the due day itself the invoice is not late yet. A credit
/// note is never overdue: it lowers what the customer owes.
pub fn is_overdue(
    kind: InvoiceKind,
    state: InvoiceState,
    due: NaiveDate,
    open: Decimal,
    today: NaiveDate,
) -> bool {
    kind == InvoiceKind::Invoice
        && state == InvoiceState::Issued
        && open > Decimal::ZERO
        && today > due
}

/// What may still be credited of an invoice: its total less the credit notes issued or drafted
/// against it (drafts count, so two drafts cannot together credit more than the invoice).
/// Never below zero.
pub fn credit_limit(invoice_total: Decimal, already_credited: Decimal) -> Decimal {
    (invoice_total - already_credited).max(Decimal::ZERO)
}

/// A credit note of `amount` (its total) against an invoice with `limit` left to credit.
pub fn check_credit(amount: Decimal, limit: Decimal) -> Result<(), InvoiceError> {
    if amount <= Decimal::ZERO {
        Err(InvoiceError::NothingToCredit)
    } else if amount > limit {
        Err(InvoiceError::CreditTooLarge)
    } else {
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    #[default]
    BankTransfer,
    Card,
    Cash,
    DirectDebit,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Card,
        PaymentMethod::Cash,
        PaymentMethod::DirectDebit,
        PaymentMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Cash => "cash",
            PaymentMethod::DirectDebit => "direct_debit",
            PaymentMethod::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// A payment as typed in the form, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentDraft {
    pub date: NaiveDate,
    /// In cents, more than zero and at most what was open.
    pub amount: Decimal,
    pub method: PaymentMethod,
}

impl PaymentDraft {
    /// The date (day first or ISO, as `day::parse_day` reads it; in the supported range, at
    /// most a day after the user's today: a day of slack because the bank's day may already be
    /// tomorrow for the user) and the amount ("1.250,50" as people type it, rounded to the
    /// cent, refused above what is open so that an overpayment is never recorded by mistake).
    /// The first refused value comes back with its field, `date` or `amount`.
    pub fn parse(
        date: &str,
        amount: &str,
        method: PaymentMethod,
        open: Decimal,
        today: NaiveDate,
    ) -> Result<PaymentDraft, (InvoiceError, &'static str)> {
        let date = crate::day::parse_day(date).ok_or((InvoiceError::DateInvalid, "date"))?;
        let latest = today.checked_add_days(Days::new(1)).unwrap_or(today);
        if date > latest {
            return Err((InvoiceError::PaymentInFuture, "date"));
        }
        let amount = parse_number(amount)
            .map_err(|_| (InvoiceError::Malformed, "amount"))?
            .ok_or((InvoiceError::AmountRequired, "amount"))?;
        let amount = round_cents(amount);
        if amount <= Decimal::ZERO {
            return Err((InvoiceError::AmountNotPositive, "amount"));
        }
        if amount > open {
            return Err((InvoiceError::Overpayment, "amount"));
        }
        Ok(PaymentDraft {
            date,
            amount,
            method,
        })
    }
}

/// A task as it is invoiced: its quoted amount when it has one, else its billable hours at
/// the project's hourly rate, rounded to the cent. A negative quoted share (the rounding
/// remainder `quote::split_amount` may leave on the last task) is invoiced as it is, so that
/// the shares still add up to the quote.
pub fn task_amount(
    quoted: Option<Decimal>,
    hours: Decimal,
    hourly_rate: Option<Decimal>,
) -> Result<Decimal, InvoiceError> {
    let amount = match (quoted, hourly_rate) {
        (Some(quoted), _) => round_cents(quoted),
        (None, Some(rate)) => round_cents(hours * rate),
        (None, None) => return Err(InvoiceError::NoHourlyRate),
    };
    if amount.is_zero() {
        Err(InvoiceError::NothingToInvoice)
    } else {
        Ok(amount)
    }
}

/// One task's account: what was quoted for it and what is invoiced (its invoice lines less
/// what was credited of them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLedger {
    pub quoted: Option<Decimal>,
    pub invoiced: Decimal,
}

impl TaskLedger {
    /// What is left to invoice of the quote; `None` for a task without a quote (invoiced by
    /// the hour, there is no amount to run out of).
    pub fn remaining(&self) -> Option<Decimal> {
        self.quoted.map(|quoted| quoted - self.invoiced)
    }

    /// A quoted task once its quote is reached; a task invoiced by the hour once anything
    /// of it is invoiced.
    pub fn fully_invoiced(&self) -> bool {
        match self.remaining() {
            Some(remaining) => remaining <= Decimal::ZERO,
            None => !self.invoiced.is_zero(),
        }
    }
}

/// The tasks of a project already on an invoice, so that none is invoiced twice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InvoicedTasks(BTreeSet<Uuid>);

impl InvoicedTasks {
    pub fn new(ids: impl IntoIterator<Item = Uuid>) -> Self {
        InvoicedTasks(ids.into_iter().collect())
    }

    /// Marks `tasks` as invoiced, all or none. Refused with every offending id (once each, in
    /// the order given) when some are already invoiced or listed twice.
    pub fn claim(&mut self, tasks: &[Uuid]) -> Result<(), InvoiceError> {
        if tasks.is_empty() {
            return Err(InvoiceError::NothingToInvoice);
        }
        let mut seen = BTreeSet::new();
        let mut offending: Vec<Uuid> = Vec::new();
        for id in tasks {
            let twice = !seen.insert(*id);
            if (twice || self.0.contains(id)) && !offending.contains(id) {
                offending.push(*id);
            }
        }
        if !offending.is_empty() {
            return Err(InvoiceError::AlreadyInvoiced(offending));
        }
        self.0.extend(seen);
        Ok(())
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.0.contains(&id)
    }
}

/// A down payment on a sales order: a percentage of its total or a fixed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DownPayment {
    Percent(Decimal),
    Amount(Decimal),
}

/// The down payment to invoice on an order of `order_total` (without tax) on which
/// `already` was invoiced as down payments, rounded to the cent. Either way it may not exceed
/// what is left of the order: down payments together never pass its total.
pub fn down_payment_amount(
    order_total: Decimal,
    already: Decimal,
    down: DownPayment,
) -> Result<Decimal, InvoiceError> {
    let amount = match down {
        DownPayment::Percent(percent) => {
            if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                return Err(InvoiceError::PercentOutOfRange);
            }
            round_cents(order_total * percent / Decimal::ONE_HUNDRED)
        }
        DownPayment::Amount(amount) => {
            let amount = round_cents(amount);
            if amount <= Decimal::ZERO {
                return Err(InvoiceError::AmountNotPositive);
            }
            amount
        }
    };
    if amount <= Decimal::ZERO {
        return Err(InvoiceError::NothingToInvoice);
    }
    if amount > order_total - already {
        return Err(InvoiceError::DownPaymentTooLarge);
    }
    Ok(amount)
}

/// The down payment split over the order's taxes, so that each part is taxed at its own
/// rate: `bases` are the order's amounts without tax per tax, `already` what earlier down
/// payments took. The parts follow the bases in proportion and add up to the down payment
/// exactly; a tax whose part rounds to nothing is left out.
pub fn down_payment_shares<K: Clone>(
    bases: &[(K, Decimal)],
    already: Decimal,
    down: DownPayment,
) -> Result<Vec<(K, Decimal)>, InvoiceError> {
    let weights: Vec<Decimal> = bases.iter().map(|(_, base)| *base).collect();
    let amount = down_payment_amount(weights.iter().sum(), already, down)?;
    Ok(bases
        .iter()
        .zip(split_amount(amount, &weights))
        .filter(|(_, part)| !part.is_zero())
        .map(|((key, _), part)| (key.clone(), part))
        .collect())
}

/// What the final invoice of an order deducts per tax: the down payments invoiced on it,
/// less what earlier invoices deducted already. Keys are the taxes; amounts are without tax.
pub fn final_deductions<K: Ord + Clone>(
    down_payments: &[(K, Decimal)],
    deducted: &[(K, Decimal)],
) -> Vec<(K, Decimal)> {
    let mut open: std::collections::BTreeMap<K, Decimal> = std::collections::BTreeMap::new();
    for (key, amount) in down_payments {
        *open.entry(key.clone()).or_default() += *amount;
    }
    for (key, amount) in deducted {
        *open.entry(key.clone()).or_default() -= *amount;
    }
    open.into_iter()
        .filter(|(_, amount)| *amount > Decimal::ZERO)
        .collect()
}

/// A final invoice may not bill less than it deducts: the customer would be owed money, which
/// is what a credit note of the down payment is for.
pub fn check_deductions(billed: Decimal, deductions: Decimal) -> Result<(), InvoiceError> {
    if deductions > billed {
        Err(InvoiceError::DeductionsTooLarge)
    } else {
        Ok(())
    }
}

/// Why a line carries 0 % tax; the law asks for the reason to be printed on the invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZeroRateReason {
    /// The buyer, a business in another EU country, accounts for the VAT.
    ReverseCharge,
    /// The buyer is outside the EU.
    Export,
    /// Domestic (or to a consumer abroad in the EU) at 0 %.
    Exempt,
}

impl ZeroRateReason {
    pub const ALL: [ZeroRateReason; 3] = [
        ZeroRateReason::ReverseCharge,
        ZeroRateReason::Export,
        ZeroRateReason::Exempt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ZeroRateReason::ReverseCharge => "reverse_charge",
            ZeroRateReason::Export => "export",
            ZeroRateReason::Exempt => "exempt",
        }
    }

    pub fn parse(text: &str) -> Option<ZeroRateReason> {
        ZeroRateReason::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// The 27 member states of the European Union, as ISO 3166-1 codes (Greece is "GR" here,
/// though its VAT numbers start with "EL").
pub const EU_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// A country as stored or typed: upper-cased, with the VAT prefix "EL" read as Greece.
fn country_code(text: &str) -> String {
    let code = text.trim().to_ascii_uppercase();
    if code == "EL" {
        "GR".to_string()
    } else {
        code
    }
}

fn in_eu(code: &str) -> bool {
    EU_MEMBERS.contains(&code)
}

/// Why a 0 % line is at 0 %. A buyer without a country (or the seller's own) is domestic.
pub fn zero_rate_reason(
    seller_country: &str,
    buyer_country: Option<&str>,
    buyer_has_vat: bool,
) -> ZeroRateReason {
    let seller = country_code(seller_country);
    let buyer = match buyer_country.map(country_code) {
        Some(buyer) if !buyer.is_empty() && buyer != seller => buyer,
        _ => return ZeroRateReason::Exempt,
    };
    if !in_eu(&buyer) {
        ZeroRateReason::Export
    } else if in_eu(&seller) && buyer_has_vat {
        ZeroRateReason::ReverseCharge
    } else {
        ZeroRateReason::Exempt
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::{split_amount, totals, PricedLine, Tax};
    use proptest::prelude::*;
    use InvoiceAction::*;
    use InvoiceKind::*;
    use InvoiceState::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Every allowed (kind, state, action), written out once more, independently of `allows`.
    const ALLOWED: &[(InvoiceKind, InvoiceState, InvoiceAction)] = &[
        (Invoice, Draft, Edit),
        (Invoice, Draft, Delete),
        (Invoice, Draft, Issue),
        (Invoice, Issued, RegisterPayment),
        (Invoice, Issued, Credit),
        (Invoice, Issued, Send),
        (Invoice, Paid, Credit),
        (Invoice, Paid, Send),
        (CreditNote, Draft, Edit),
        (CreditNote, Draft, Delete),
        (CreditNote, Draft, Issue),
        (CreditNote, Issued, Send),
        (CreditNote, Paid, Send),
    ];

    #[test]
    fn every_action_in_every_state_is_allowed_or_refused_as_listed() {
        for kind in InvoiceKind::ALL {
            for state in InvoiceState::ALL {
                for action in InvoiceAction::ALL {
                    let expected = ALLOWED.contains(&(kind, state, action));
                    assert_eq!(
                        state.allows(kind, action),
                        expected,
                        "{kind:?} {state:?} {action:?}"
                    );
                    let check = state.check(kind, action);
                    if expected {
                        assert_eq!(check, Ok(()));
                    } else {
                        assert_eq!(check, Err(InvoiceError::NotAllowed));
                    }
                }
            }
        }
    }

    #[test]
    fn payments_move_an_issued_invoice_to_paid_and_back() {
        assert_eq!(Issued.after_payments(d("0.01")), Issued);
        assert_eq!(Issued.after_payments(Decimal::ZERO), Paid);
        assert_eq!(Issued.after_payments(d("-5")), Paid);
        // A payment deleted reopens the invoice.
        assert_eq!(Paid.after_payments(d("10")), Issued);
        assert_eq!(Draft.after_payments(Decimal::ZERO), Draft);
        assert_eq!(Draft.after_payments(d("10")), Draft);
    }

    #[test]
    fn names_survive_storage() {
        for kind in InvoiceKind::ALL {
            assert_eq!(InvoiceKind::parse(kind.as_str()), Some(kind));
        }
        for state in InvoiceState::ALL {
            assert_eq!(InvoiceState::parse(state.as_str()), Some(state));
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Some(method));
            let json = serde_json::to_string(&method).unwrap();
            assert_eq!(json, format!("\"{}\"", method.as_str()));
        }
        for reason in ZeroRateReason::ALL {
            assert_eq!(ZeroRateReason::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(
            serde_json::to_string(&CreditNote).unwrap(),
            "\"credit_note\""
        );
        assert_eq!(InvoiceState::parse("cancelled"), None);
        assert_eq!(PaymentMethod::default(), PaymentMethod::BankTransfer);
        let error = InvoiceError::AlreadyInvoiced(vec![Uuid::from_u128(7)]);
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(serde_json::from_str::<InvoiceError>(&json).unwrap(), error);
    }

    #[test]
    fn numbers_have_a_series_a_year_and_four_digits_at_least() {
        assert_eq!(invoice_number(Invoice, 2026, 1), "INV-2026-0001");
        assert_eq!(invoice_number(CreditNote, 2026, 12), "CN-2026-0012");
        assert_eq!(invoice_number(Invoice, 2026, 9999), "INV-2026-9999");
        assert_eq!(invoice_number(Invoice, 2026, 10000), "INV-2026-10000");
    }

    #[test]
    fn terms_give_the_due_date() {
        assert_eq!(PaymentTerms::DEFAULT.days(), 30);
        assert_eq!(PaymentTerms::default(), PaymentTerms::DEFAULT);
        assert_eq!(
            PaymentTerms::DEFAULT.due_date(day("2026-01-31")),
            day("2026-03-02")
        );
        let now = PaymentTerms::new(0).unwrap();
        assert_eq!(now.due_date(day("2026-05-04")), day("2026-05-04"));
        assert_eq!(PaymentTerms::new(365).unwrap().days(), 365);
        for bad in [-1, 366, i64::MAX, i64::MIN] {
            assert_eq!(PaymentTerms::new(bad), Err(InvoiceError::InvalidTerms));
        }
        assert_eq!(
            PaymentTerms::new(365).unwrap().due_date(NaiveDate::MAX),
            NaiveDate::MAX
        );
        // Stored terms are checked again when read back.
        assert_eq!(
            serde_json::from_str::<PaymentTerms>("14").unwrap().days(),
            14
        );
        assert!(serde_json::from_str::<PaymentTerms>("400").is_err());
        assert_eq!(serde_json::to_string(&PaymentTerms::DEFAULT).unwrap(), "30");
    }

    #[test]
    fn overdue_is_by_the_users_day() {
        let due = day("2026-03-10");
        let open = d("100");
        assert!(is_overdue(
            InvoiceKind::Invoice,
            Issued,
            due,
            open,
            day("2026-03-11")
        ));
        assert!(!is_overdue(InvoiceKind::Invoice, Issued, due, open, due));
        assert!(!is_overdue(
            InvoiceKind::Invoice,
            Issued,
            due,
            open,
            day("2026-03-09")
        ));
        assert!(!is_overdue(
            InvoiceKind::Invoice,
            Paid,
            due,
            Decimal::ZERO,
            day("2026-04-01")
        ));
        assert!(!is_overdue(
            InvoiceKind::Invoice,
            Issued,
            due,
            Decimal::ZERO,
            day("2026-04-01")
        ));
        assert!(!is_overdue(
            InvoiceKind::Invoice,
            Issued,
            due,
            d("-3"),
            day("2026-04-01")
        ));
        assert!(!is_overdue(
            InvoiceKind::Invoice,
            Draft,
            due,
            open,
            day("2026-04-01")
        ));
        assert!(!is_overdue(
            InvoiceKind::CreditNote,
            Issued,
            due,
            open,
            day("2026-03-11")
        ));
    }

    #[test]
    fn the_open_balance_is_exact() {
        assert_eq!(open_balance(d("121"), d("21"), d("0")), d("100"));
        assert_eq!(open_balance(d("121"), d("100"), d("21")), d("0"));
        assert_eq!(open_balance(d("121"), d("130"), d("0")), d("-9"));
    }

    #[test]
    fn a_credit_note_stays_within_what_is_left() {
        assert_eq!(credit_limit(d("121"), d("21")), d("100"));
        assert_eq!(credit_limit(d("121"), d("150")), Decimal::ZERO);
        assert_eq!(check_credit(d("100"), d("100")), Ok(()));
        assert_eq!(
            check_credit(d("100.01"), d("100")),
            Err(InvoiceError::CreditTooLarge)
        );
        assert_eq!(
            check_credit(Decimal::ZERO, d("100")),
            Err(InvoiceError::NothingToCredit)
        );
        assert_eq!(
            check_credit(d("-1"), d("100")),
            Err(InvoiceError::NothingToCredit)
        );
    }

    #[test]
    fn payments_are_read_as_typed() {
        let today = day("2026-03-10");
        let open = d("2000");
        let parse = |date: &str, amount: &str| {
            PaymentDraft::parse(date, amount, PaymentMethod::Card, open, today)
        };
        assert_eq!(
            parse("2026-03-10", "1.250,50"),
            Ok(PaymentDraft {
                date: today,
                amount: d("1250.50"),
                method: PaymentMethod::Card,
            })
        );
        // A day ahead is the bank's day in another time zone; two days is a mistake.
        assert!(parse("2026-03-11", "10").is_ok());
        assert_eq!(
            parse("2026-03-12", "10"),
            Err((InvoiceError::PaymentInFuture, "date"))
        );
        assert_eq!(
            parse("2026-02-30", "10"),
            Err((InvoiceError::DateInvalid, "date"))
        );
        assert_eq!(parse("", "10"), Err((InvoiceError::DateInvalid, "date")));
        assert_eq!(
            parse("1899-12-31", "10"),
            Err((InvoiceError::DateInvalid, "date"))
        );
        assert_eq!(
            parse("2026-03-10", "2000,01"),
            Err((InvoiceError::Overpayment, "amount"))
        );
        assert!(parse("2026-03-10", "2000").is_ok());
        assert_eq!(
            parse("2026-03-10", " "),
            Err((InvoiceError::AmountRequired, "amount"))
        );
        assert_eq!(
            parse("2026-03-10", "0"),
            Err((InvoiceError::AmountNotPositive, "amount"))
        );
        assert_eq!(
            parse("2026-03-10", "0,001"),
            Err((InvoiceError::AmountNotPositive, "amount"))
        );
        assert_eq!(
            parse("2026-03-10", "-5"),
            Err((InvoiceError::AmountNotPositive, "amount"))
        );
        assert_eq!(
            parse("2026-03-10", "ten"),
            Err((InvoiceError::Malformed, "amount"))
        );
        // Nothing open: any payment is an overpayment.
        assert_eq!(
            PaymentDraft::parse("2026-03-10", "1", PaymentMethod::Cash, d("0"), today),
            Err((InvoiceError::Overpayment, "amount"))
        );
    }

    #[test]
    fn a_task_is_invoiced_at_its_quote_or_by_the_hour() {
        assert_eq!(
            task_amount(Some(d("500")), d("3"), Some(d("80"))),
            Ok(d("500"))
        );
        assert_eq!(task_amount(None, d("2.5"), Some(d("85"))), Ok(d("212.50")));
        assert_eq!(
            task_amount(None, d("0.333"), Some(d("100"))),
            Ok(d("33.30"))
        );
        assert_eq!(
            task_amount(None, d("2"), None),
            Err(InvoiceError::NoHourlyRate)
        );
        assert_eq!(
            task_amount(None, Decimal::ZERO, Some(d("85"))),
            Err(InvoiceError::NothingToInvoice)
        );
        assert_eq!(
            task_amount(Some(Decimal::ZERO), d("4"), Some(d("85"))),
            Err(InvoiceError::NothingToInvoice)
        );
        // Seven shares of 0.05 round to 0.01 each; the last carries the difference.
        let shares = split_amount(d("0.05"), &[Decimal::ONE; 7]);
        assert_eq!(shares[6], d("-0.01"));
        assert_eq!(
            task_amount(Some(shares[6]), Decimal::ZERO, None),
            Ok(d("-0.01"))
        );
    }

    #[test]
    fn a_ledger_knows_what_remains() {
        let half = TaskLedger {
            quoted: Some(d("1000")),
            invoiced: d("400"),
        };
        assert_eq!(half.remaining(), Some(d("600")));
        assert!(!half.fully_invoiced());
        let done = TaskLedger {
            quoted: Some(d("1000")),
            invoiced: d("1000"),
        };
        assert!(done.fully_invoiced());
        let hourly = TaskLedger {
            quoted: None,
            invoiced: Decimal::ZERO,
        };
        assert_eq!(hourly.remaining(), None);
        assert!(!hourly.fully_invoiced());
        assert!(TaskLedger {
            quoted: None,
            invoiced: d("170")
        }
        .fully_invoiced());
    }

    #[test]
    fn a_task_is_claimed_once() {
        let [a, b, c] = [1, 2, 3].map(Uuid::from_u128);
        let mut tasks = InvoicedTasks::new([a]);
        assert_eq!(tasks.claim(&[]), Err(InvoiceError::NothingToInvoice));
        assert_eq!(
            tasks.claim(&[b, a, c, c, b]),
            Err(InvoiceError::AlreadyInvoiced(vec![a, c, b]))
        );
        assert!(!tasks.contains(b));
        assert_eq!(tasks.claim(&[b, c]), Ok(()));
        assert!(tasks.contains(b) && tasks.contains(c));
    }

    #[test]
    fn down_payment_shares_follow_the_taxes() {
        let bases = [("21", d("1000")), ("9", d("500")), ("0", d("0"))];
        let shares = down_payment_shares(&bases, Decimal::ZERO, DownPayment::Percent(d("30")));
        assert_eq!(shares, Ok(vec![("21", d("300")), ("9", d("150"))]));
        let shares =
            down_payment_shares(&bases[..2], Decimal::ZERO, DownPayment::Amount(d("100"))).unwrap();
        assert_eq!(shares, vec![("21", d("66.67")), ("9", d("33.33"))]);
        assert_eq!(
            down_payment_shares(&bases, d("1400"), DownPayment::Amount(d("100.01"))),
            Err(InvoiceError::DownPaymentTooLarge)
        );
    }

    #[test]
    fn the_final_invoice_deducts_what_is_left_of_the_down_payments() {
        let down = [("21", d("300")), ("9", d("150")), ("21", d("100"))];
        let deducted = [("21", d("400"))];
        assert_eq!(
            final_deductions(&down, &[]),
            vec![("21", d("400")), ("9", d("150"))]
        );
        assert_eq!(final_deductions(&down, &deducted), vec![("9", d("150"))]);
        assert_eq!(check_deductions(d("150"), d("150")), Ok(()));
        assert_eq!(
            check_deductions(d("149.99"), d("150")),
            Err(InvoiceError::DeductionsTooLarge)
        );
    }

    #[test]
    fn down_payments() {
        let total = d("1000");
        assert_eq!(
            down_payment_amount(total, Decimal::ZERO, DownPayment::Percent(d("30"))),
            Ok(d("300"))
        );
        assert_eq!(
            down_payment_amount(d("999.99"), Decimal::ZERO, DownPayment::Percent(d("33.3"))),
            Ok(d("333.00"))
        );
        assert_eq!(
            down_payment_amount(total, d("300"), DownPayment::Amount(d("700"))),
            Ok(d("700"))
        );
        assert_eq!(
            down_payment_amount(total, d("300"), DownPayment::Amount(d("700.01"))),
            Err(InvoiceError::DownPaymentTooLarge)
        );
        assert_eq!(
            down_payment_amount(total, d("800"), DownPayment::Percent(d("30"))),
            Err(InvoiceError::DownPaymentTooLarge)
        );
        for bad in ["0", "-10", "100.01"] {
            assert_eq!(
                down_payment_amount(total, Decimal::ZERO, DownPayment::Percent(d(bad))),
                Err(InvoiceError::PercentOutOfRange),
                "{bad}"
            );
        }
        assert_eq!(
            down_payment_amount(total, Decimal::ZERO, DownPayment::Percent(d("100"))),
            Ok(total)
        );
        assert_eq!(
            down_payment_amount(total, Decimal::ZERO, DownPayment::Amount(Decimal::ZERO)),
            Err(InvoiceError::AmountNotPositive)
        );
        assert_eq!(
            down_payment_amount(d("0.01"), Decimal::ZERO, DownPayment::Percent(d("10"))),
            Err(InvoiceError::NothingToInvoice)
        );
    }

    #[test]
    fn zero_rate_reasons() {
        use ZeroRateReason::*;
        assert_eq!(zero_rate_reason("NL", Some("BE"), true), ReverseCharge);
        assert_eq!(zero_rate_reason("NL", Some("BE"), false), Exempt);
        assert_eq!(zero_rate_reason("NL", Some("US"), true), Export);
        assert_eq!(zero_rate_reason("NL", Some("US"), false), Export);
        assert_eq!(zero_rate_reason("NL", Some("NL"), true), Exempt);
        assert_eq!(zero_rate_reason("NL", None, true), Exempt);
        assert_eq!(zero_rate_reason("NL", Some(" "), true), Exempt);
        assert_eq!(zero_rate_reason("nl", Some("el"), true), ReverseCharge);
        assert_eq!(zero_rate_reason("NL", Some("GB"), true), Export);
        // A seller outside the EU has no reverse charge to apply.
        assert_eq!(zero_rate_reason("CH", Some("DE"), true), Exempt);
    }

    #[test]
    fn the_member_list_is_well_formed() {
        assert!(EU_MEMBERS.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
        for code in EU_MEMBERS {
            assert!(crate::country::CountryCode::parse(code).is_ok(), "{code}");
        }
        assert!(!EU_MEMBERS.contains(&"GB") && !EU_MEMBERS.contains(&"EL"));
    }

    fn tax() -> impl Strategy<Value = Tax> {
        prop::sample::select(vec![
            ("0", false),
            ("6", false),
            ("9", false),
            ("21", false),
            ("21", true),
        ])
        .prop_map(|(rate, included)| Tax {
            rate: d(rate),
            included,
        })
    }

    fn line() -> impl Strategy<Value = PricedLine> {
        let quantity = (0u32..=3).prop_flat_map(|scale| {
            (0..1000 * 10i64.pow(scale)).prop_map(move |m| Decimal::new(m, scale))
        });
        (quantity, 0i64..=10_000_000, 0i64..=10_000, tax()).prop_map(
            |(quantity, cents, discount, tax)| PricedLine {
                quantity,
                unit_price: Decimal::new(cents, 2),
                discount: Decimal::new(discount, 2),
                tax: Some(tax),
            },
        )
    }

    proptest! {
        #[test]
        fn an_invoice_total_is_the_sum_of_its_rounded_lines_per_rate(
            lines in prop::collection::vec(line(), 0..30)
        ) {
            let totals = totals(&lines);
            prop_assert_eq!(totals.untaxed + totals.tax, totals.total);
            prop_assert_eq!(totals.untaxed, totals.taxes.iter().map(|t| t.base).sum::<Decimal>());
            for tax_line in &totals.taxes {
                prop_assert_eq!(tax_line.amount, round_cents(tax_line.amount));
                let subtotals: Decimal = lines
                    .iter()
                    .filter(|l| l.tax == Some(tax_line.tax))
                    .map(PricedLine::subtotal)
                    .sum();
                if tax_line.tax.included {
                    prop_assert_eq!(tax_line.base + tax_line.amount, subtotals);
                } else {
                    prop_assert_eq!(tax_line.base, subtotals);
                }
            }
        }

        #[test]
        fn credit_notes_never_exceed_what_they_credit(
            total in 0i64..100_000_000,
            attempts in prop::collection::vec(-10_000i64..50_000_000, 0..20),
        ) {
            let total = Decimal::new(total, 2);
            let mut credited = Decimal::ZERO;
            for attempt in attempts {
                let amount = Decimal::new(attempt, 2);
                let limit = credit_limit(total, credited);
                prop_assert!(limit >= Decimal::ZERO);
                if check_credit(amount, limit).is_ok() {
                    credited += amount;
                }
                prop_assert!(credited <= total);
            }
        }

        #[test]
        fn no_task_is_invoiced_twice(
            claims in prop::collection::vec(prop::collection::vec(0u128..6, 0..4), 0..20)
        ) {
            let mut tasks = InvoicedTasks::default();
            let mut claimed: Vec<Uuid> = Vec::new();
            for claim in claims {
                let ids: Vec<Uuid> = claim.into_iter().map(Uuid::from_u128).collect();
                let before = tasks.clone();
                match tasks.claim(&ids) {
                    Ok(()) => {
                        claimed.extend(&ids);
                        let unique: BTreeSet<Uuid> = claimed.iter().copied().collect();
                        prop_assert_eq!(unique.len(), claimed.len());
                        prop_assert!(ids.iter().all(|id| tasks.contains(*id)));
                    }
                    Err(error) => {
                        prop_assert_eq!(&tasks, &before);
                        if let InvoiceError::AlreadyInvoiced(offending) = error {
                            prop_assert!(!offending.is_empty());
                            for id in &offending {
                                let listed = ids.iter().filter(|i| *i == id).count();
                                prop_assert!(before.contains(*id) || listed > 1);
                            }
                        } else {
                            prop_assert!(ids.is_empty());
                        }
                    }
                }
            }
        }

        #[test]
        fn partial_then_final_invoicing_adds_up_to_the_quote(
            cents in 0i64..100_000_000,
            tasks in prop::collection::vec((1i64..2_000, any::<bool>()), 1..12),
        ) {
            let quote = Decimal::new(cents, 2);
            let weights: Vec<Decimal> = tasks.iter().map(|(w, _)| Decimal::new(*w, 1)).collect();
            let shares = split_amount(quote, &weights);
            let ids: Vec<Uuid> = (0..tasks.len() as u128).map(Uuid::from_u128).collect();
            let mut ledgers: Vec<TaskLedger> = shares
                .iter()
                .map(|share| TaskLedger { quoted: Some(*share), invoiced: Decimal::ZERO })
                .collect();
            let mut claimed = InvoicedTasks::default();
            let mut invoice = |first: bool, ledgers: &mut Vec<TaskLedger>| {
                let mut on_invoice = Vec::new();
                let mut sum = Decimal::ZERO;
                for (index, (_, partial)) in tasks.iter().enumerate() {
                    if *partial != first {
                        continue;
                    }
                    // A zero share has nothing to invoice and stays off the invoice.
                    if let Ok(amount) = task_amount(ledgers[index].quoted, Decimal::ZERO, None) {
                        on_invoice.push(ids[index]);
                        ledgers[index].invoiced += amount;
                        sum += amount;
                    }
                }
                if !on_invoice.is_empty() {
                    claimed.claim(&on_invoice).map(|()| sum)
                } else {
                    Ok(sum)
                }
            };
            let partial = invoice(true, &mut ledgers);
            let last = invoice(false, &mut ledgers);
            prop_assert!(partial.is_ok() && last.is_ok());
            prop_assert_eq!(partial.unwrap_or_default() + last.unwrap_or_default(), quote);
            for ledger in &ledgers {
                prop_assert_eq!(ledger.remaining(), Some(Decimal::ZERO));
                prop_assert!(ledger.fully_invoiced());
            }
        }
    }
}
