//! The demo company's invoices: the seller's bank details, and for the demo projects with
//! work to bill, invoices in every state (draft, issued, partly paid, overdue, paid, and a
//! credit note) to customers in five countries, and a down payment on a sales order. A
//! completed project is invoiced to the end and locked. PDFs are rendered on demand for these;
//! real issuing stores them.

use crate::domain::invoice::PaymentMethod;
use crate::error::AppError;
use crate::invoices::db::{hold, register_payment};
use crate::invoices::draft::invoice_tasks;
use crate::invoices::issue::number_and_mark;
use crate::invoices::PaymentForm;
use chrono::{Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn load(conn: &mut PgConnection, today: NaiveDate) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE company_settings SET
            company_name = CASE WHEN company_name = '' THEN 'Atrium Demo BV' ELSE company_name END,
            company_address = CASE WHEN company_address = ''
                THEN E'Keizersgracht 100\\n1015 AA Amsterdam\\nNederland' ELSE company_address END,
            company_vat = CASE WHEN company_vat = '' THEN 'NL123456789B01' ELSE company_vat END,
            iban = CASE WHEN iban = '' THEN 'NL91 ABNA 0417 1643 00' ELSE iban END,
            bic = CASE WHEN bic = '' THEN 'ABNANL2A' ELSE bic END"
    )
    .execute(&mut *conn)
    .await?;
    let sam = super::sales::user(conn, super::DEMO_EMAIL).await?;
    let projects = sqlx::query!(
        "SELECT id, state FROM projects
         WHERE state <> 'closed' AND NOT locked AND customer_id IS NOT NULL
         ORDER BY number"
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut kind = 0usize;
    for project in projects {
        let open = billable_tasks(conn, project.id).await?;
        if open.is_empty() {
            continue;
        }
        if project.state == "completed" {
            // Invoiced to the end and paid, then locked as completing does.
            let invoice = invoice_tasks(conn, &sam, project.id, &open).await?;
            issue_dated(conn, &sam, invoice, today - Duration::days(20)).await?;
            pay(conn, &sam, invoice, today - Duration::days(5), None).await?;
            sqlx::query!(
                "UPDATE projects SET locked = true WHERE id = $1",
                project.id
            )
            .execute(&mut *conn)
            .await?;
            continue;
        }
        let first: Vec<Uuid> = open.iter().copied().take(2).collect();
        let invoice = invoice_tasks(conn, &sam, project.id, &first).await?;
        match kind % 5 {
            // Left as a draft, ready to be issued.
            0 => {}
            // Issued last week and partly paid.
            1 => {
                issue_dated(conn, &sam, invoice, today - Duration::days(7)).await?;
                pay(conn, &sam, invoice, today - Duration::days(1), Some(2)).await?;
            }
            // Issued two months ago and not paid: overdue.
            2 => issue_dated(conn, &sam, invoice, today - Duration::days(60)).await?,
            // Issued and paid.
            4 => {
                issue_dated(conn, &sam, invoice, today - Duration::days(40)).await?;
                pay(conn, &sam, invoice, today - Duration::days(12), None).await?;
            }
            // Issued, then one line credited.
            _ => {
                issue_dated(conn, &sam, invoice, today - Duration::days(30)).await?;
                let version = version_of(conn, invoice).await?;
                let note = crate::invoices::db::credit(conn, &sam, invoice, version).await?;
                let lines = sqlx::query_scalar!(
                    "SELECT id FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
                    note
                )
                .fetch_all(&mut *conn)
                .await?;
                for line in lines.iter().skip(1) {
                    let version = version_of(conn, note).await?;
                    crate::invoices::db::remove_line(conn, note, version, *line).await?;
                }
                issue_dated(conn, &sam, note, today - Duration::days(10)).await?;
            }
        }
        kind += 1;
    }
    Ok(())
}

/// A 30 % down payment on the first open sales order, issued a fortnight ago and paid: its
/// project's Invoices tab shows what the final invoice will deduct.
pub async fn down_payment(conn: &mut PgConnection, today: NaiveDate) -> Result<(), AppError> {
    let user = &super::sales::user(conn, super::DEMO_EMAIL).await?;
    let project = sqlx::query_scalar!(
        "SELECT p.id FROM projects p JOIN quotes q ON q.id = p.quote_id
         WHERE q.state = 'sale' AND NOT p.locked AND p.state NOT IN ('completed', 'closed')
         ORDER BY p.number LIMIT 1"
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(project) = project else {
        return Ok(());
    };
    let percent = crate::domain::invoice::DownPayment::Percent(rust_decimal::Decimal::from(30));
    let invoice = crate::invoices::order::down_payment(conn, user, project, percent).await?;
    issue_dated(conn, user, invoice, today - Duration::days(14)).await?;
    pay(conn, user, invoice, today - Duration::days(8), None).await
}

/// The project's tasks with something to invoice, not yet on an invoice.
async fn billable_tasks(conn: &mut PgConnection, project: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT t.id FROM tasks t JOIN projects p ON p.id = t.project_id
         WHERE t.project_id = $1
           AND NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.task_id = t.id)
           AND (t.quoted_amount > 0
                OR (p.hourly_rate > 0 AND EXISTS (SELECT 1 FROM time_entries e
                                                  WHERE e.task_id = t.id AND e.billable)))
         ORDER BY t.position, t.id",
        project
    )
    .fetch_all(conn)
    .await?)
}

async fn version_of(conn: &mut PgConnection, id: Uuid) -> Result<i32, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT version FROM invoices WHERE id = $1", id)
            .fetch_one(conn)
            .await?,
    )
}

/// Issues the draft as if on `date`.
async fn issue_dated(
    conn: &mut PgConnection,
    user: &crate::auth::CurrentUser,
    id: Uuid,
    date: NaiveDate,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE invoices SET invoice_date = $2::date, due_date = $2::date + payment_terms_days
         WHERE id = $1",
        id,
        date
    )
    .execute(&mut *conn)
    .await?;
    let held = hold(conn, id, None).await?;
    number_and_mark(conn, user, id, &held).await?;
    Ok(())
}

/// Pays what is open, or a `part` of it (a half, a third…).
async fn pay(
    conn: &mut PgConnection,
    user: &crate::auth::CurrentUser,
    id: Uuid,
    on: NaiveDate,
    part: Option<u32>,
) -> Result<(), AppError> {
    let held = hold(conn, id, None).await?;
    let open = crate::domain::invoice::open_balance(held.total, held.paid, held.credited);
    let amount = match part {
        Some(part) => crate::domain::quote::round_cents(open / rust_decimal::Decimal::from(part)),
        None => open,
    };
    let form = PaymentForm {
        invoice: id,
        version: version_of(conn, id).await?,
        date: on.to_string(),
        amount: amount.to_string(),
        method: PaymentMethod::BankTransfer,
    };
    register_payment(conn, user, &form).await
}
