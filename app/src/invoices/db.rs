//! Invoices in the database: the invoice page, editing and deleting a draft, credit notes,
//! payments, and what a project shows of its invoicing. Writing a new draft is `draft.rs`;
//! issuing (number, reference, PDF) is `issue.rs`; completing and unlocking a project is
//! `lifecycle.rs`.

use super::{
    HistoryRow, Invoice, InvoiceLine, InvoiceStatus, Linked, Payment, PaymentForm, ProjectBilling,
    TaskBilling,
};
use crate::activities::db::log;
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::contacts::ContactRef;
use crate::domain::invoice::{
    self, InvoiceAction, InvoiceKind, InvoiceState, PaymentDraft, PaymentMethod, PaymentTerms,
};
use crate::domain::policy::{role_allows, CompanyOp};
use crate::domain::quote::{totals, PricedLine, Tax};
use crate::domain::{Currency, Money, ProjectOp};
use crate::error::{AppError, FieldProblem};
use crate::shared::db::{stored_currency, stored_money};
use crate::shared::{RecordKind, UserRef};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub fn may_invoice(user: &CurrentUser) -> bool {
    role_allows(user.role, CompanyOp::Invoice)
}

fn state_of(text: &str) -> Result<InvoiceState, AppError> {
    InvoiceState::parse(text).ok_or(AppError::Internal)
}

fn kind_of(text: &str) -> Result<InvoiceKind, AppError> {
    InvoiceKind::parse(text).ok_or(AppError::Internal)
}

/// Recomputes the invoice's totals from its stored lines with the quote's arithmetic.
pub async fn store_totals(conn: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    let lines = stored_lines(conn, id).await?;
    let priced: Vec<PricedLine> = lines.iter().map(priced).collect();
    let sums = totals(&priced);
    sqlx::query!(
        "UPDATE invoices SET untaxed = $2, tax = $3, total = $4, updated_at = now() WHERE id = $1",
        id,
        sums.untaxed,
        sums.tax,
        sums.total
    )
    .execute(conn)
    .await?;
    Ok(())
}

fn priced(line: &InvoiceLine) -> PricedLine {
    PricedLine {
        quantity: line.quantity,
        unit_price: line.unit_price,
        discount: line.discount,
        tax: line.tax,
    }
}

async fn stored_lines(conn: &mut PgConnection, id: Uuid) -> Result<Vec<InvoiceLine>, AppError> {
    let rows = sqlx::query!(
        "SELECT id, description, quantity, unit, unit_price, discount, tax_rate, tax_included,
                subtotal, task_id
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
        id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvoiceLine {
            id: r.id,
            description: r.description,
            quantity: r.quantity,
            unit: r.unit,
            unit_price: r.unit_price,
            discount: r.discount,
            tax: r.tax_rate.map(|rate| Tax {
                rate,
                included: r.tax_included,
            }),
            subtotal: r.subtotal,
            task: r.task_id,
        })
        .collect())
}

/// The invoice under a row lock, checked against the version the caller read.
pub struct Held {
    pub kind: InvoiceKind,
    pub state: InvoiceState,
    pub project: Option<Uuid>,
    pub credits: Option<Uuid>,
    pub total: Decimal,
    pub paid: Decimal,
    pub credited: Decimal,
    pub currency: Currency,
}

pub async fn hold(
    conn: &mut PgConnection,
    id: Uuid,
    version: Option<i32>,
) -> Result<Held, AppError> {
    let row = sqlx::query!(
        "SELECT kind, state, project_id, credits_id, total, paid, credited, currency, version
         FROM invoices WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if version.is_some_and(|v| v != row.version) {
        return Err(AppError::Conflict);
    }
    Ok(Held {
        kind: kind_of(&row.kind)?,
        state: state_of(&row.state)?,
        project: row.project_id,
        credits: row.credits_id,
        total: row.total,
        paid: row.paid,
        credited: row.credited,
        currency: stored_currency(&row.currency)?,
    })
}

fn allow(held: &Held, action: InvoiceAction) -> Result<(), AppError> {
    held.state
        .check(held.kind, action)
        .map_err(|_| AppError::invalid("state", FieldProblem::ActionNotAllowed))
}

async fn bump(conn: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE invoices SET version = version + 1, updated_at = now() WHERE id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves a draft's date, payment terms and notes; the due date follows the terms.
pub async fn save_draft(conn: &mut PgConnection, form: &super::DraftSave) -> Result<(), AppError> {
    let held = hold(conn, form.id, Some(form.version)).await?;
    allow(&held, InvoiceAction::Edit)?;
    let date = crate::domain::day::parse_day(&form.invoice_date)
        .filter(|d| crate::domain::day::in_range(*d))
        .ok_or_else(|| AppError::invalid("invoice_date", FieldProblem::DateMalformed))?;
    let days: i64 = form
        .payment_terms_days
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("payment_terms_days", FieldProblem::TermsOutOfRange))?;
    let terms = PaymentTerms::new(days)
        .map_err(|_| AppError::invalid("payment_terms_days", FieldProblem::TermsOutOfRange))?;
    if form.notes.chars().count() > 5000 {
        return Err(AppError::invalid("notes", FieldProblem::TextTooLong));
    }
    sqlx::query!(
        "UPDATE invoices SET invoice_date = $2, payment_terms_days = $3, due_date = $4,
                notes = $5, version = version + 1, updated_at = now()
         WHERE id = $1",
        form.id,
        date,
        i32::from(terms.days()),
        terms.due_date(date),
        form.notes.trim()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a line off a draft (a task on it is free to invoice again); a draft credit note
/// loses the lines it does not credit.
pub async fn remove_line(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    line: Uuid,
) -> Result<(), AppError> {
    let held = hold(conn, id, Some(version)).await?;
    allow(&held, InvoiceAction::Edit)?;
    let removed = sqlx::query!(
        "DELETE FROM invoice_lines WHERE id = $1 AND invoice_id = $2",
        line,
        id
    )
    .execute(&mut *conn)
    .await?;
    if removed.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    store_totals(conn, id).await?;
    bump(conn, id).await
}

/// Deletes a draft with its lines: its tasks may be invoiced again.
pub async fn delete_draft(conn: &mut PgConnection, id: Uuid, version: i32) -> Result<(), AppError> {
    let held = hold(conn, id, Some(version)).await?;
    allow(&held, InvoiceAction::Delete)?;
    sqlx::query!("DELETE FROM invoices WHERE id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A draft credit note of the issued invoice `id`, with a copy of its lines (the user takes
/// off what is not credited, for a partial credit). Issuing checks it against what may still
/// be credited.
pub async fn credit(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    version: i32,
) -> Result<Uuid, AppError> {
    let held = hold(conn, id, Some(version)).await?;
    allow(&held, InvoiceAction::Credit)?;
    if invoice::credit_limit(held.total, held.credited) <= Decimal::ZERO {
        return Err(AppError::invalid("state", FieldProblem::NothingToCredit));
    }
    let note = Uuid::now_v7();
    let today = user.today();
    sqlx::query!(
        "INSERT INTO invoices (id, kind, customer_id, contact_id, project_id, quote_id,
                               credits_id, origin, invoice_date, payment_terms_days, due_date,
                               currency, created_by)
         SELECT $2, 'credit_note', customer_id, contact_id, project_id, quote_id, id, 'credit',
                $3, 0, $3, currency, $4
         FROM invoices WHERE id = $1",
        id,
        note,
        today,
        user.id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit,
                                    unit_price, discount, tax_id, tax_rate, tax_included, subtotal,
                                    kind)
         SELECT gen_random_uuid(), $2, position, description, quantity, unit, unit_price,
                discount, tax_id, tax_rate, tax_included, subtotal, kind
         FROM invoice_lines WHERE invoice_id = $1",
        id,
        note
    )
    .execute(&mut *conn)
    .await?;
    store_totals(conn, note).await?;
    let event = TimelineEvent::InvoiceCreated {
        invoice_id: note,
        label: String::new(),
    };
    log(conn, RecordKind::Invoice, id, Some(user.id), &event).await?;
    log(conn, RecordKind::Invoice, note, Some(user.id), &event).await?;
    Ok(note)
}

/// Registers a payment; the invoice is paid when nothing is open any more.
pub async fn register_payment(
    conn: &mut PgConnection,
    user: &CurrentUser,
    form: &PaymentForm,
) -> Result<(), AppError> {
    let held = hold(conn, form.invoice, Some(form.version)).await?;
    allow(&held, InvoiceAction::RegisterPayment)?;
    let open = invoice::open_balance(held.total, held.paid, held.credited);
    let payment = PaymentDraft::parse(&form.date, &form.amount, form.method, open, user.today())
        .map_err(|(error, field)| AppError::invalid(field, error.into()))?;
    sqlx::query!(
        "INSERT INTO invoice_payments (id, invoice_id, paid_on, amount, method, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
        Uuid::now_v7(),
        form.invoice,
        payment.date,
        payment.amount,
        payment.method.as_str(),
        user.id
    )
    .execute(&mut *conn)
    .await?;
    let paid = held.paid + payment.amount;
    let state = held
        .state
        .after_payments(invoice::open_balance(held.total, paid, held.credited));
    sqlx::query!(
        "UPDATE invoices SET paid = $2, state = $3, version = version + 1, updated_at = now()
         WHERE id = $1",
        form.invoice,
        paid,
        state.as_str()
    )
    .execute(&mut *conn)
    .await?;
    let event = TimelineEvent::Payment {
        amount: Money::new(payment.amount, held.currency),
    };
    log(
        conn,
        RecordKind::Invoice,
        form.invoice,
        Some(user.id),
        &event,
    )
    .await
}

/// The invoice page.
pub async fn get(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Invoice, AppError> {
    let r = sqlx::query!(
        r#"SELECT i.id, i.kind, i.number, i.state, i.customer_id, cu.name AS customer_name,
                  i.contact_id, co.name AS "contact_name?",
                  coalesce(co.emails[1], cu.emails[1]) AS "email?",
                  i.project_id, p.number AS "project_number?", p.title AS "project_title?",
                  i.quote_id, q.number AS "quote_number?",
                  i.credits_id, cr.number AS "credits_number?",
                  i.invoice_date, i.payment_terms_days, i.due_date, i.currency,
                  i.untaxed, i.tax, i.total, i.paid, i.credited, i.notes, i.payment_reference,
                  i.issued_at, i.sent_at, i.sent_to, i.version
           FROM invoices i
           JOIN contacts cu ON cu.id = i.customer_id
           LEFT JOIN contacts co ON co.id = i.contact_id
           LEFT JOIN projects p ON p.id = i.project_id
           LEFT JOIN quotes q ON q.id = i.quote_id
           LEFT JOIN invoices cr ON cr.id = i.credits_id
           WHERE i.id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let currency = stored_currency(&r.currency)?;
    let money = |amount: Decimal| Money::new(amount, currency);
    let lines = stored_lines(conn, id).await?;
    let priced: Vec<PricedLine> = lines.iter().map(priced).collect();
    let sums = totals(&priced);
    let payments = sqlx::query!(
        r#"SELECT p.id, p.paid_on, p.amount, p.method, p.created_by, u.display_name AS "by_name?"
           FROM invoice_payments p LEFT JOIN users u ON u.id = p.created_by
           WHERE p.invoice_id = $1 ORDER BY p.paid_on, p.created_at"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| {
        Ok(Payment {
            id: p.id,
            paid_on: p.paid_on,
            amount: money(p.amount),
            method: PaymentMethod::parse(&p.method).ok_or(AppError::Internal)?,
            by: p
                .created_by
                .zip(p.by_name)
                .map(|(id, name)| UserRef { id, name }),
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let credit_notes = sqlx::query!(
        r#"SELECT id, number FROM invoices WHERE credits_id = $1 ORDER BY created_at"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|c| Linked {
        id: c.id,
        label: c.number.unwrap_or_default(),
    })
    .collect();
    let state = state_of(&r.state)?;
    let open = invoice::open_balance(r.total, r.paid, r.credited);
    let kind = kind_of(&r.kind)?;
    let overdue = invoice::is_overdue(kind, state, r.due_date, open, user.today());
    Ok(Invoice {
        id: r.id,
        kind,
        number: r.number,
        state,
        status: InvoiceStatus::of(state, r.total, r.paid, open, overdue),
        customer: ContactRef {
            id: r.customer_id,
            name: r.customer_name,
        },
        contact: r
            .contact_id
            .zip(r.contact_name)
            .map(|(id, name)| ContactRef { id, name }),
        email: r.email,
        project: r
            .project_id
            .zip(r.project_number)
            .map(|(id, number)| Linked {
                id,
                label: format!("{number} {}", r.project_title.unwrap_or_default()),
            }),
        order: r
            .quote_id
            .zip(r.quote_number)
            .map(|(id, label)| Linked { id, label }),
        credits: r.credits_id.map(|id| Linked {
            id,
            label: r.credits_number.unwrap_or_default(),
        }),
        credit_notes,
        invoice_date: r.invoice_date,
        payment_terms_days: r.payment_terms_days,
        due_date: r.due_date,
        currency,
        lines,
        untaxed: money(r.untaxed),
        tax: money(r.tax),
        total: money(r.total),
        taxes: sums
            .taxes
            .iter()
            .map(|t| (t.tax, t.base, t.amount))
            .collect(),
        paid: money(r.paid),
        credited: money(r.credited),
        open: money(open),
        payments,
        notes: r.notes,
        payment_reference: r.payment_reference.map(|reference| {
            if reference.starts_with("RF") {
                crate::domain::payment_reference::format_rf(&reference)
            } else {
                reference
            }
        }),
        issued_at: r.issued_at,
        sent_at: r.sent_at,
        sent_to: r.sent_to,
        version: r.version,
        may_invoice: may_invoice(user),
    })
}

/// What the project page shows of invoicing: the ledger of every task and the history.
pub async fn billing(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
) -> Result<ProjectBilling, AppError> {
    crate::projects::db::require(conn, user, project, ProjectOp::View).await?;
    if !role_allows(user.role, CompanyOp::InvoicesView) {
        return Ok(ProjectBilling::default());
    }
    let head = sqlx::query!(
        "SELECT currency, hourly_rate, quote_id FROM projects WHERE id = $1",
        project
    )
    .fetch_one(&mut *conn)
    .await?;
    let currency = stored_currency(&head.currency)?;
    let order = super::order::summary(conn, head.quote_id, currency).await?;
    let tasks = sqlx::query!(
        r#"SELECT t.id, t.quoted_amount,
                  (SELECT coalesce(sum(e.hours), 0) FROM time_entries e
                   WHERE e.task_id = t.id AND e.billable) AS "billable!",
                  l.subtotal AS "invoiced?", i.id AS "invoice_id?",
                  coalesce(i.number, '') AS "invoice_number!"
           FROM tasks t
           LEFT JOIN invoice_lines l ON l.task_id = t.id
           LEFT JOIN invoices i ON i.id = l.invoice_id
           WHERE t.project_id = $1
           ORDER BY t.position, t.id"#,
        project
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|t| TaskBilling {
        task: t.id,
        quoted: t.quoted_amount,
        invoiced: t.invoiced.unwrap_or_default(),
        invoice: t.invoice_id.map(|id| Linked {
            id,
            label: t.invoice_number,
        }),
        amount: invoice::task_amount(t.quoted_amount, t.billable, head.hourly_rate).ok(),
    })
    .collect();
    let history = history(conn, user, project).await?;
    Ok(ProjectBilling {
        currency: Some(currency),
        tasks,
        history,
        order,
        may_invoice: may_invoice(user),
    })
}

async fn history(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
) -> Result<Vec<HistoryRow>, AppError> {
    let today = user.today();
    sqlx::query!(
        "SELECT id, kind, number, state, invoice_date, due_date, currency, total, paid, credited,
                sent_at, sent_to
         FROM invoices WHERE project_id = $1 ORDER BY created_at LIMIT 500",
        project
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        let state = state_of(&r.state)?;
        let open = invoice::open_balance(r.total, r.paid, r.credited);
        let kind = kind_of(&r.kind)?;
        let overdue = invoice::is_overdue(kind, state, r.due_date, open, today);
        Ok(HistoryRow {
            id: r.id,
            kind,
            number: r.number,
            status: InvoiceStatus::of(state, r.total, r.paid, open, overdue),
            invoice_date: r.invoice_date,
            due_date: r.due_date,
            total: stored_money(r.total, &r.currency)?,
            open: stored_money(open, &r.currency)?,
            sent_at: r.sent_at,
            sent_to: r.sent_to,
        })
    })
    .collect()
}

/// Queues the issued invoice's e-mail with its stored PDF and records where it went.
pub async fn send(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    version: i32,
    mail: &crate::domain::email::MailDraft,
) -> Result<(), AppError> {
    let held = hold(conn, id, Some(version)).await?;
    allow(&held, InvoiceAction::Send)?;
    let row = sqlx::query!(
        r#"SELECT number AS "number!", document_key AS "key!" FROM invoices WHERE id = $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let to = mail.to.as_str();
    crate::outbox::db::enqueue(
        conn,
        &crate::outbox::db::NewMessage {
            to,
            subject: &mail.subject,
            body: &mail.body,
            reply_to: Some(&user.email),
            attachment: Some((&row.key, &format!("{}.pdf", row.number), "application/pdf")),
            quote: None,
            invoice: Some(id),
            by: user.id,
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE invoices SET sent_at = now(), sent_to = $2, version = version + 1,
                updated_at = now()
         WHERE id = $1",
        id,
        to
    )
    .execute(&mut *conn)
    .await?;
    let event = TimelineEvent::InvoiceSent {
        invoice_id: id,
        number: row.number,
        to: to.to_string(),
    };
    log(conn, RecordKind::Invoice, id, Some(user.id), &event).await?;
    if let Some(project) = held.project {
        log(conn, RecordKind::Project, project, Some(user.id), &event).await?;
    }
    Ok(())
}
