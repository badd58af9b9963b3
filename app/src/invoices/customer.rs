//! The customer's money (seed 003), per currency and per project, in two statements.

use super::{CustomerMoney, MoneyTotals, ProjectMoney};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::shared::db::stored_money;
use sqlx::PgConnection;
use uuid::Uuid;

/// The most projects a contact's page lists with their figures.
const PROJECTS_SHOWN: i64 = 200;

pub async fn of_customer(
    conn: &mut PgConnection,
    user: &CurrentUser,
    customer: Uuid,
) -> Result<CustomerMoney, AppError> {
    let totals = sqlx::query!(
        r#"WITH q AS (
               SELECT currency,
                      coalesce(sum(total) FILTER (WHERE state IN ('draft', 'sent')), 0) AS quoted,
                      coalesce(sum(total) FILTER (WHERE state = 'sale'), 0) AS ordered
               FROM quotes WHERE customer_id = $1 GROUP BY currency),
           i AS (
               SELECT currency,
                      coalesce(sum(CASE WHEN kind = 'invoice' THEN total ELSE -total END)
                               FILTER (WHERE state <> 'draft'), 0) AS invoiced,
                      coalesce(sum(paid) FILTER (WHERE kind = 'invoice'), 0) AS paid,
                      coalesce(sum(total - paid - credited)
                               FILTER (WHERE kind = 'invoice' AND state = 'issued'), 0) AS open,
                      coalesce(sum(total - paid - credited)
                               FILTER (WHERE kind = 'invoice' AND state = 'issued'
                                       AND due_date < $2), 0) AS overdue
               FROM invoices WHERE customer_id = $1 GROUP BY currency)
           SELECT coalesce(q.currency, i.currency) AS "currency!",
                  coalesce(q.quoted, 0) AS "quoted!", coalesce(q.ordered, 0) AS "ordered!",
                  coalesce(i.invoiced, 0) AS "invoiced!", coalesce(i.paid, 0) AS "paid!",
                  coalesce(i.open, 0) AS "open!", coalesce(i.overdue, 0) AS "overdue!"
           FROM q FULL JOIN i ON i.currency = q.currency
           ORDER BY 1"#,
        customer,
        user.today()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        let money = |amount| stored_money(amount, &r.currency);
        Ok(MoneyTotals {
            quoted: money(r.quoted)?,
            ordered: money(r.ordered)?,
            invoiced: money(r.invoiced)?,
            paid: money(r.paid)?,
            open: money(r.open)?,
            overdue: money(r.overdue)?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let projects = sqlx::query!(
        r#"SELECT p.id, p.number, p.title, p.currency,
                  coalesce((SELECT q.total FROM quotes q WHERE q.id = p.quote_id), 0) AS "ordered!",
                  coalesce(sum(CASE WHEN i.kind = 'invoice' THEN i.total ELSE -i.total END)
                           FILTER (WHERE i.state <> 'draft'), 0) AS "invoiced!",
                  coalesce(sum(i.paid) FILTER (WHERE i.kind = 'invoice'), 0) AS "paid!",
                  coalesce(sum(i.total - i.paid - i.credited)
                           FILTER (WHERE i.kind = 'invoice' AND i.state = 'issued'), 0) AS "open!"
           FROM projects p LEFT JOIN invoices i ON i.project_id = p.id
           WHERE p.customer_id = $1
           GROUP BY p.id
           ORDER BY p.number
           LIMIT $2"#,
        customer,
        PROJECTS_SHOWN
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        let money = |amount| stored_money(amount, &r.currency);
        Ok(ProjectMoney {
            id: r.id,
            label: format!("{} {}", r.number, r.title),
            ordered: money(r.ordered)?,
            invoiced: money(r.invoiced)?,
            paid: money(r.paid)?,
            open: money(r.open)?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    Ok(CustomerMoney { totals, projects })
}

pub async fn billing(
    conn: &mut PgConnection,
    contact: Uuid,
) -> Result<super::ContactBilling, AppError> {
    let r = sqlx::query!(
        "SELECT language, payment_terms_days, version FROM contacts WHERE id = $1",
        contact
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(super::ContactBilling {
        contact,
        language: r
            .language
            .as_deref()
            .and_then(crate::domain::Language::parse),
        payment_terms_days: r
            .payment_terms_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        version: r.version,
    })
}

/// Saves a customer's language and payment terms on the version the form read.
pub async fn save_billing(
    conn: &mut PgConnection,
    form: &super::ContactBilling,
) -> Result<(), AppError> {
    use crate::domain::invoice::PaymentTerms;
    use crate::error::FieldProblem;
    let days = match form.payment_terms_days.trim() {
        "" => None,
        text => {
            let days: i64 = text.parse().map_err(|_| {
                AppError::invalid("payment_terms_days", FieldProblem::TermsOutOfRange)
            })?;
            let terms = PaymentTerms::new(days).map_err(|_| {
                AppError::invalid("payment_terms_days", FieldProblem::TermsOutOfRange)
            })?;
            Some(i32::from(terms.days()))
        }
    };
    let saved = sqlx::query!(
        "UPDATE contacts SET language = $3, payment_terms_days = $4, version = version + 1,
                updated_at = now()
         WHERE id = $1 AND version = $2",
        form.contact,
        form.version,
        form.language.map(|l| l.code()),
        days
    )
    .execute(conn)
    .await?;
    AppError::one_row_or_conflict(saved.rows_affected())
}
