//! Issuing: in one transaction the invoice takes the next number of its series and year
//! (gapless: a rollback gives it back), its structured payment reference and its PDF, which
//! is stored and never rendered again. A credit note is checked against what its invoice may
//! still have credited, and lowers that invoice's open balance.

use super::db::{hold, Held};
use super::{document, Invoice};
use crate::activities::db::log;
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::domain::invoice::{self, invoice_number, InvoiceAction, InvoiceKind};
use crate::domain::payment_reference;
use crate::error::{AppError, FieldProblem};
use crate::shared::RecordKind;
use crate::state::AppState;
use chrono::Datelike;
use sqlx::PgConnection;
use uuid::Uuid;

/// Issues the draft `id` read at `version`; returns the issued invoice.
pub async fn issue(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    version: i32,
) -> Result<Invoice, AppError> {
    let mut tx = crate::state::begin(&state.pool).await?;
    let held = hold(&mut tx, id, Some(version)).await?;
    held.state
        .check(held.kind, InvoiceAction::Issue)
        .map_err(|_| AppError::invalid("state", FieldProblem::ActionNotAllowed))?;
    number_and_mark(&mut tx, user, id, &held).await?;
    let stored = store_document(state, &mut tx, user, id).await?;
    let committed = async {
        let issued = super::db::get(&mut tx, user, id).await?;
        tx.commit().await?;
        Ok::<_, AppError>(issued)
    }
    .await;
    if committed.is_err() {
        if let Some(path) = stored {
            let _ = state.files.delete(&path).await;
        }
    }
    committed
}

/// Makes sure the issued invoice's PDF is in the file store (invoices issued by the demo
/// data are rendered the first time they are needed), and returns the path it just stored,
/// if any, so that a failed transaction can remove it again.
pub async fn store_document(
    state: &AppState,
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Option<object_store::path::Path>, AppError> {
    let key = sqlx::query_scalar!("SELECT document_key FROM invoices WHERE id = $1", id)
        .fetch_one(&mut *conn)
        .await?;
    if key.is_some() {
        return Ok(None);
    }
    let invoice = super::db::get(conn, user, id).await?;
    let language = document::customer_language(conn, &invoice, user.language).await?;
    let pdf = document::pdf(conn, &invoice, language).await?;
    let key = format!("invoices/{id}.pdf");
    let path = object_store::path::Path::from(key.as_str());
    state.files.put(&path, pdf.into()).await.map_err(|error| {
        tracing::error!(%error, "invoice PDF not stored");
        AppError::Internal
    })?;
    sqlx::query!(
        "UPDATE invoices SET document_key = $2 WHERE id = $1",
        id,
        key
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(path))
}

/// Everything issuing writes except the PDF: number, reference, state, the credit against
/// the credited invoice, the invoiced flag of the tasks, and the timelines.
pub async fn number_and_mark(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    held: &Held,
) -> Result<String, AppError> {
    let head = sqlx::query!(
        r#"SELECT invoice_date, (SELECT count(*) FROM invoice_lines WHERE invoice_id = $1) AS "lines!"
           FROM invoices WHERE id = $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    if head.lines == 0 {
        return Err(AppError::invalid("lines", FieldProblem::InvoiceEmpty));
    }
    if let Some(credited) = held.credits {
        let original = hold(conn, credited, None).await?;
        let limit = invoice::credit_limit(original.total, original.credited);
        invoice::check_credit(held.total, limit)
            .map_err(|e| AppError::invalid("lines", e.into()))?;
        let now_credited = original.credited + held.total;
        let state = original.state.after_payments(invoice::open_balance(
            original.total,
            original.paid,
            now_credited,
        ));
        sqlx::query!(
            "UPDATE invoices SET credited = $2, state = $3, version = version + 1, updated_at = now()
             WHERE id = $1",
            credited,
            now_credited,
            state.as_str()
        )
        .execute(&mut *conn)
        .await?;
    }
    let year = head.invoice_date.year();
    let sequence = sqlx::query_scalar!(
        "INSERT INTO number_counters (series, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (series, year) DO UPDATE SET last = number_counters.last + 1
         RETURNING last",
        held.kind.series(),
        year
    )
    .fetch_one(&mut *conn)
    .await?;
    let number = invoice_number(held.kind, year, i64::from(sequence));
    let reference = match held.kind {
        InvoiceKind::Invoice => {
            let country = sqlx::query_scalar!("SELECT company_country FROM company_settings")
                .fetch_one(&mut *conn)
                .await?;
            Some(payment_reference::for_invoice(&country, &number))
        }
        InvoiceKind::CreditNote => None,
    };
    sqlx::query!(
        "UPDATE invoices SET number = $2, state = 'issued', payment_reference = $3,
                issued_at = now(), issued_by = $4, version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        number,
        reference,
        user.id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE tasks SET invoiced = true
         WHERE id IN (SELECT task_id FROM invoice_lines WHERE invoice_id = $1)",
        id
    )
    .execute(&mut *conn)
    .await?;
    let event = TimelineEvent::InvoiceIssued {
        invoice_id: id,
        number: number.clone(),
    };
    log(conn, RecordKind::Invoice, id, Some(user.id), &event).await?;
    if let Some(project) = held.project {
        log(conn, RecordKind::Project, project, Some(user.id), &event).await?;
    }
    if let Some(credited) = held.credits {
        log(conn, RecordKind::Invoice, credited, Some(user.id), &event).await?;
    }
    Ok(number)
}
