//! Invoicing a sales order (seed 000): down payments, a percentage or an amount of the
//! order without tax, split over its taxes; and the final invoice, which bills every task of
//! the project not yet invoiced and deducts the down payments invoiced before. Completing a
//! project with "invoice what remains" makes this same final invoice.

use super::document::language_of;
use super::draft::{
    insert_draft, lock_project, refuse_when_locked, task_lines, BilledProject, LineRole, NewLine,
};
use super::OrderSummary;
use crate::auth::CurrentUser;
use crate::domain::invoice::{self, DownPayment};
use crate::domain::quote::{round_cents, totals, PricedLine, Tax};
use crate::domain::{Currency, Language, Money, ProjectOp};
use crate::error::{AppError, FieldProblem};
use crate::i18n::td_string;
use crate::locale::to_locale;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// A tax as an order's lines carry it: which one, at what rate (none for untaxed lines).
type TaxKey = (Option<Uuid>, Option<Decimal>);

fn tax_of(key: TaxKey) -> Option<(Uuid, Tax)> {
    match key {
        (Some(id), Some(rate)) => Some((
            id,
            Tax {
                rate,
                included: false,
            },
        )),
        _ => None,
    }
}

/// The sales order a project was confirmed from.
struct Order {
    id: Uuid,
    number: String,
}

async fn order_of(conn: &mut PgConnection, project: &BilledProject) -> Result<Order, AppError> {
    sales_order(conn, project.quote).await
}

async fn sales_order(conn: &mut PgConnection, quote: Option<Uuid>) -> Result<Order, AppError> {
    let id = quote.ok_or_else(|| AppError::invalid("order", FieldProblem::NoSalesOrder))?;
    let row = sqlx::query!("SELECT number, state FROM quotes WHERE id = $1", id)
        .fetch_optional(&mut *conn)
        .await?
        .filter(|row| row.state == "sale")
        .ok_or_else(|| AppError::invalid("order", FieldProblem::NoSalesOrder))?;
    Ok(Order {
        id,
        number: row.number,
    })
}

/// The order's amount without tax per tax: an included tax is taken out of its lines' sum,
/// as the quote's totals do.
async fn order_bases(
    conn: &mut PgConnection,
    order: Uuid,
) -> Result<Vec<(TaxKey, Decimal)>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT tax_id, tax_rate, tax_included, sum(subtotal) AS "sum!"
           FROM quote_lines
           WHERE quote_id = $1 AND kind = 'item'
           GROUP BY tax_id, tax_rate, tax_included
           ORDER BY tax_rate DESC NULLS LAST, tax_id"#,
        order
    )
    .fetch_all(conn)
    .await?;
    let mut bases: Vec<(TaxKey, Decimal)> = Vec::new();
    for row in rows {
        let base = match row.tax_rate {
            Some(rate) if row.tax_included => {
                round_cents(row.sum / (Decimal::ONE + rate / Decimal::ONE_HUNDRED))
            }
            _ => row.sum,
        };
        let key = (row.tax_id, row.tax_rate);
        match bases.iter_mut().find(|(k, _)| *k == key) {
            Some((_, sum)) => *sum += base,
            None => bases.push((key, base)),
        }
    }
    Ok(bases)
}

/// The down payments and deductions on the order's invoices, per tax, without tax:
/// `reserved` counts drafts too (a second down payment may not pass the order while the
/// first is being prepared), `deductible` only what was issued, and `deducted` what final
/// invoices (drafts included) already took off. Issued credit notes give back what they
/// credit.
struct OrderLedger {
    reserved: Vec<(TaxKey, Decimal)>,
    deductible: Vec<(TaxKey, Decimal)>,
    deducted: Vec<(TaxKey, Decimal)>,
}

async fn order_ledger(conn: &mut PgConnection, order: Uuid) -> Result<OrderLedger, AppError> {
    let rows = sqlx::query!(
        r#"SELECT l.kind, l.tax_id, l.tax_rate, i.kind AS invoice_kind,
                  i.state = 'draft' AS "draft!", sum(l.subtotal) AS "sum!"
           FROM invoice_lines l
           JOIN invoices i ON i.id = l.invoice_id
           WHERE i.quote_id = $1 AND l.kind IN ('down_payment', 'deduction')
           GROUP BY l.kind, l.tax_id, l.tax_rate, i.kind, i.state = 'draft'"#,
        order
    )
    .fetch_all(conn)
    .await?;
    let mut ledger = OrderLedger {
        reserved: Vec::new(),
        deductible: Vec::new(),
        deducted: Vec::new(),
    };
    for row in rows {
        let key = (row.tax_id, row.tax_rate);
        let credit = row.invoice_kind == "credit_note";
        if credit && row.draft {
            continue;
        }
        let signed = if credit { -row.sum } else { row.sum };
        match row.kind.as_str() {
            "down_payment" => {
                ledger.reserved.push((key, signed));
                if !row.draft {
                    ledger.deductible.push((key, signed));
                }
            }
            // Deduction lines are negative: what they took off is their opposite.
            _ => ledger.deducted.push((key, -signed)),
        }
    }
    Ok(ledger)
}

fn sum(amounts: &[(TaxKey, Decimal)]) -> Decimal {
    amounts.iter().map(|(_, amount)| *amount).sum()
}

/// What the project's Invoices tab shows of its order: the order without tax, the down
/// payments invoiced (issued or not), and what the final invoice will deduct.
pub async fn summary(
    conn: &mut PgConnection,
    quote: Option<Uuid>,
    currency: Currency,
) -> Result<Option<OrderSummary>, AppError> {
    let Ok(order) = sales_order(conn, quote).await else {
        return Ok(None);
    };
    let bases = order_bases(conn, order.id).await?;
    let ledger = order_ledger(conn, order.id).await?;
    let open = invoice::final_deductions(&ledger.deductible, &ledger.deducted);
    let money = |amount| Money::new(amount, currency);
    Ok(Some(OrderSummary {
        quote: order.id,
        number: order.number,
        untaxed: money(sum(&bases)),
        down_payments: money(sum(&ledger.reserved)),
        to_deduct: money(sum(&open)),
    }))
}

/// A draft invoice of a down payment on the project's sales order: one line per tax of the
/// order, described in the customer's language.
pub async fn down_payment(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
    down: DownPayment,
) -> Result<Uuid, AppError> {
    crate::projects::db::require(conn, user, project, ProjectOp::View).await?;
    let billed = lock_project(conn, project).await?;
    refuse_when_locked(&billed)?;
    let order = order_of(conn, &billed).await?;
    let bases = order_bases(conn, order.id).await?;
    let ledger = order_ledger(conn, order.id).await?;
    let shares = invoice::down_payment_shares(&bases, sum(&ledger.reserved), down)
        .map_err(|e| AppError::invalid("amount", e.into()))?;
    let locale = to_locale(customer_language(conn, &billed, user).await?);
    let label = match down {
        DownPayment::Percent(percent) => td_string!(
            locale,
            invoices.down_payment_percent_line,
            percent = percent.normalize().to_string(),
            order = order.number.as_str()
        )
        .to_string(),
        DownPayment::Amount(_) => td_string!(
            locale,
            invoices.down_payment_line,
            order = order.number.as_str()
        )
        .to_string(),
    };
    let lines: Vec<NewLine> = shares
        .into_iter()
        .map(|(key, amount)| NewLine {
            description: label.clone(),
            quantity: Decimal::ONE,
            unit: String::new(),
            unit_price: amount,
            discount: Decimal::ZERO,
            tax: tax_of(key),
            task: None,
            quote_line: None,
            role: LineRole::DownPayment,
        })
        .collect();
    insert_draft(conn, user, &billed, "down_payment", lines).await
}

/// The order's lines that made no task (goods, free lines) and are on no invoice yet,
/// billed as they were sold.
async fn unbilled_order_lines(
    conn: &mut PgConnection,
    order: Uuid,
) -> Result<Vec<NewLine>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT ql.id, coalesce(nullif(btrim(ql.description), ''), p.name, '-') AS "description!",
                  ql.quantity AS "quantity!", ql.unit, ql.unit_price AS "unit_price!", ql.discount,
                  ql.tax_id, ql.tax_rate, ql.tax_included
           FROM quote_lines ql
           LEFT JOIN products p ON p.id = ql.product_id
           WHERE ql.quote_id = $1 AND ql.kind = 'item'
             AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.quote_line_id = ql.id)
             AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.quote_line_id = ql.id)
           ORDER BY ql.position"#,
        order
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| NewLine {
            description: row.description,
            quantity: row.quantity,
            unit: row.unit,
            unit_price: row.unit_price,
            discount: row.discount,
            tax: row.tax_id.zip(row.tax_rate).map(|(id, rate)| {
                (
                    id,
                    Tax {
                        rate,
                        included: row.tax_included,
                    },
                )
            }),
            task: None,
            quote_line: Some(row.id),
            role: LineRole::Work,
        })
        .collect())
}

/// The lines of the final invoice: every task not yet invoiced that has something to
/// invoice and, when the project has a sales order, the order's lines that made no task,
/// then the deduction of its down payments per tax. Refused when nothing remains, or when
/// the deductions pass what it bills.
pub async fn final_lines(
    conn: &mut PgConnection,
    user: &CurrentUser,
    billed: &BilledProject,
) -> Result<Vec<NewLine>, AppError> {
    let open = sqlx::query!(
        r#"SELECT t.id, t.quoted_amount,
                  (SELECT coalesce(sum(e.hours), 0) FROM time_entries e
                   WHERE e.task_id = t.id AND e.billable) AS "billable!"
           FROM tasks t
           WHERE t.project_id = $1
             AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.task_id = t.id)
           ORDER BY t.position, t.id"#,
        billed.id
    )
    .fetch_all(&mut *conn)
    .await?;
    let rest: Vec<Uuid> = open
        .into_iter()
        .filter(|t| invoice::task_amount(t.quoted_amount, t.billable, billed.hourly_rate).is_ok())
        .map(|t| t.id)
        .collect();
    let mut lines = if rest.is_empty() {
        Vec::new()
    } else {
        task_lines(conn, billed, &rest).await?
    };
    if let Ok(order) = order_of(conn, billed).await {
        lines.extend(unbilled_order_lines(conn, order.id).await?);
        let ledger = order_ledger(conn, order.id).await?;
        let deductions = invoice::final_deductions(&ledger.deductible, &ledger.deducted);
        let priced: Vec<PricedLine> = lines.iter().map(NewLine::priced).collect();
        invoice::check_deductions(totals(&priced).untaxed, sum(&deductions))
            .map_err(|e| AppError::invalid("tasks", e.into()))?;
        let locale = to_locale(customer_language(conn, billed, user).await?);
        let label = td_string!(
            locale,
            invoices.deduction_line,
            order = order.number.as_str()
        )
        .to_string();
        lines.extend(deductions.into_iter().map(|(key, amount)| NewLine {
            description: label.clone(),
            quantity: Decimal::ONE,
            unit: String::new(),
            unit_price: -amount,
            discount: Decimal::ZERO,
            tax: tax_of(key),
            task: None,
            quote_line: None,
            role: LineRole::Deduction,
        }));
    }
    if lines.is_empty() {
        return Err(AppError::invalid("tasks", FieldProblem::NothingToInvoice));
    }
    Ok(lines)
}

/// A draft final invoice of the project, without completing it.
pub async fn final_invoice(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
) -> Result<Uuid, AppError> {
    crate::projects::db::require(conn, user, project, ProjectOp::View).await?;
    let billed = lock_project(conn, project).await?;
    refuse_when_locked(&billed)?;
    let lines = final_lines(conn, user, &billed).await?;
    insert_draft(conn, user, &billed, "final", lines).await
}

async fn customer_language(
    conn: &mut PgConnection,
    billed: &BilledProject,
    user: &CurrentUser,
) -> Result<Language, AppError> {
    match billed.customer {
        Some(customer) => language_of(conn, customer, user.language).await,
        None => Ok(user.language),
    }
}
