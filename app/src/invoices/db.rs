//! Invoices in the database: drafts from a project's tasks, the invoice page, editing and
//! deleting a draft, credit notes, payments, and what a project shows of its invoicing.
//! Issuing (number, reference, PDF) is `issue.rs`; completing and unlocking a project is
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
use crate::domain::project_access::Denied;
use crate::domain::quote::{totals, PricedLine, Tax};
use crate::domain::{Currency, Money, ProjectOp, ProjectState};
use crate::error::{AppError, FieldProblem};
use crate::shared::db::{stored_currency, stored_money};
use crate::shared::{RecordKind, UserRef};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The most tasks one partial invoice takes.
pub const MAX_TASKS: usize = 1000;

pub fn may_invoice(user: &CurrentUser) -> bool {
    role_allows(user.role, CompanyOp::Invoice)
}

fn state_of(text: &str) -> Result<InvoiceState, AppError> {
    InvoiceState::parse(text).ok_or(AppError::Internal)
}

fn kind_of(text: &str) -> Result<InvoiceKind, AppError> {
    InvoiceKind::parse(text).ok_or(AppError::Internal)
}

/// What a line bills: work (a task, hours), a down payment on the sales order, or the
/// final invoice's deduction of the down payments invoiced before (the one negative line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRole {
    Work,
    DownPayment,
    Deduction,
}

impl LineRole {
    pub fn as_str(self) -> &'static str {
        match self {
            LineRole::Work => "work",
            LineRole::DownPayment => "down_payment",
            LineRole::Deduction => "deduction",
        }
    }
}

/// A line about to be written.
pub struct NewLine {
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub tax: Option<(Uuid, Tax)>,
    pub task: Option<Uuid>,
    /// The order's line it bills, for a line of the order that made no task.
    pub quote_line: Option<Uuid>,
    pub role: LineRole,
}

impl NewLine {
    pub fn priced(&self) -> PricedLine {
        PricedLine {
            quantity: self.quantity,
            unit_price: self.unit_price,
            discount: self.discount,
            tax: self.tax.map(|(_, t)| t),
        }
    }
}

/// The project as invoicing reads it, under a row lock: a second invoicing of the same
/// project waits for the first to commit.
pub struct BilledProject {
    pub id: Uuid,
    pub number: String,
    pub customer: Option<Uuid>,
    pub currency: Currency,
    pub hourly_rate: Option<Decimal>,
    pub quote: Option<Uuid>,
    pub state: ProjectState,
    pub locked: bool,
}

pub async fn lock_project(conn: &mut PgConnection, id: Uuid) -> Result<BilledProject, AppError> {
    let row = sqlx::query!(
        "SELECT id, number, customer_id, currency, hourly_rate, quote_id, state, locked
         FROM projects WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(BilledProject {
        id: row.id,
        number: row.number,
        customer: row.customer_id,
        currency: stored_currency(&row.currency)?,
        hourly_rate: row.hourly_rate,
        quote: row.quote_id,
        state: ProjectState::parse(&row.state).ok_or(AppError::Internal)?,
        locked: row.locked,
    })
}

/// The lines that bill `tasks` of `project`: each task's quoted amount with the tax of the
/// quote line it came from (or, for a task added from the catalogue, the tax it kept), or its
/// billable hours at the project's rate with the company's
/// default tax. Refuses a task of another project, one already on an invoice (naming it),
/// and one with nothing to invoice.
pub async fn task_lines(
    conn: &mut PgConnection,
    project: &BilledProject,
    tasks: &[Uuid],
) -> Result<Vec<NewLine>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.id, t.title, t.quoted_amount, t.project_id,
                  coalesce(ql.tax_id, t.quoted_tax_id) AS "tax_id?",
                  coalesce(ql.tax_rate, t.quoted_tax_rate) AS "tax_rate?",
                  (SELECT coalesce(sum(e.hours), 0) FROM time_entries e
                   WHERE e.task_id = t.id AND e.billable) AS "billable!",
                  (SELECT l.invoice_id FROM invoice_lines l WHERE l.task_id = t.id) AS "on_invoice?"
           FROM tasks t
           LEFT JOIN quote_lines ql ON ql.id = t.quote_line_id
           WHERE t.id = ANY($1)
           ORDER BY t.position, t.id
           FOR UPDATE OF t"#,
        tasks
    )
    .fetch_all(&mut *conn)
    .await?;
    if rows.len() != tasks.len() || rows.iter().any(|r| r.project_id != Some(project.id)) {
        return Err(AppError::NotFound);
    }
    if rows.iter().any(|r| r.on_invoice.is_some()) {
        return Err(AppError::invalid(
            "tasks",
            FieldProblem::TaskAlreadyInvoiced,
        ));
    }
    let default_tax = default_tax(conn).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        let amount = invoice::task_amount(row.quoted_amount, row.billable, project.hourly_rate)
            .map_err(|e| AppError::invalid("tasks", e.into()))?;
        // A task's quoted amount is its share of the line without tax (confirming takes an
        // included tax out), so the line's rate is added to it.
        let quoted_tax = match (row.tax_id, row.tax_rate) {
            (Some(id), Some(rate)) => Some((
                id,
                Tax {
                    rate,
                    included: false,
                },
            )),
            _ => None,
        };
        let hourly = row.quoted_amount.is_none();
        let (quantity, unit_price, unit) = match (hourly, project.hourly_rate) {
            (true, Some(rate)) => (row.billable, rate, "h".to_string()),
            _ => (Decimal::ONE, amount, String::new()),
        };
        lines.push(NewLine {
            description: row.title,
            quantity,
            unit,
            unit_price,
            discount: Decimal::ZERO,
            tax: if row.quoted_amount.is_some() {
                quoted_tax
            } else {
                default_tax
            },
            task: Some(row.id),
            quote_line: None,
            role: LineRole::Work,
        });
    }
    Ok(lines)
}

pub async fn default_tax(conn: &mut PgConnection) -> Result<Option<(Uuid, Tax)>, AppError> {
    let row = sqlx::query!(
        r#"SELECT t.id AS "id?", t.rate AS "rate?", t.included AS "included?"
           FROM company_settings s LEFT JOIN taxes t ON t.id = s.default_tax_id"#
    )
    .fetch_one(conn)
    .await?;
    Ok(match (row.id, row.rate) {
        (Some(id), Some(rate)) => Some((
            id,
            Tax {
                rate,
                included: row.included.unwrap_or(false),
            },
        )),
        _ => None,
    })
}

/// The customer's payment terms, or the company's.
async fn terms_of(conn: &mut PgConnection, customer: Uuid) -> Result<PaymentTerms, AppError> {
    let days = sqlx::query_scalar!(
        r#"SELECT coalesce(c.payment_terms_days, s.payment_terms_days) AS "days!"
           FROM contacts c, company_settings s WHERE c.id = $1"#,
        customer
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    PaymentTerms::new(i64::from(days)).map_err(|_| AppError::Internal)
}

/// The person an invoice of the project goes to: its billing contact, when it has one.
async fn billing_contact(conn: &mut PgConnection, project: Uuid) -> Result<Option<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT contact_id FROM project_contacts WHERE project_id = $1 AND role = 'billing'
         ORDER BY contact_id LIMIT 1",
        project
    )
    .fetch_optional(conn)
    .await?)
}

/// Writes a draft invoice of `project` with `lines` and logs it on both timelines.
pub async fn insert_draft(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: &BilledProject,
    origin: &str,
    lines: &[NewLine],
) -> Result<Uuid, AppError> {
    let customer = project
        .customer
        .ok_or_else(|| AppError::invalid("customer", FieldProblem::CustomerRequired))?;
    let terms = terms_of(conn, customer).await?;
    let today = user.today();
    let contact = billing_contact(conn, project.id).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO invoices (id, customer_id, contact_id, project_id, quote_id, origin,
                               invoice_date, payment_terms_days, due_date, currency, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        id,
        customer,
        contact,
        project.id,
        project.quote,
        origin,
        today,
        i32::from(terms.days()),
        terms.due_date(today),
        project.currency.code(),
        user.id
    )
    .execute(&mut *conn)
    .await?;
    write_lines(conn, id, lines).await?;
    let event = TimelineEvent::InvoiceCreated {
        invoice_id: id,
        label: String::new(),
    };
    log(conn, RecordKind::Project, project.id, Some(user.id), &event).await?;
    log(conn, RecordKind::Invoice, id, Some(user.id), &event).await?;
    Ok(id)
}

/// Appends `lines` after the invoice's last line, in one statement, and stores its totals.
/// A task or an order's line already on an invoice meets its unique index: of two people
/// invoicing it at once, the second gets the conflict.
pub async fn write_lines(
    conn: &mut PgConnection,
    id: Uuid,
    lines: &[NewLine],
) -> Result<(), AppError> {
    let start = sqlx::query_scalar!(
        r#"SELECT coalesce(max(position), 0) AS "last!" FROM invoice_lines WHERE invoice_id = $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = lines.iter().map(|_| Uuid::now_v7()).collect();
    let descriptions: Vec<String> = lines.iter().map(|l| l.description.clone()).collect();
    let quantities: Vec<Decimal> = lines.iter().map(|l| l.quantity).collect();
    let units: Vec<String> = lines.iter().map(|l| l.unit.clone()).collect();
    let prices: Vec<Decimal> = lines.iter().map(|l| l.unit_price).collect();
    let discounts: Vec<Decimal> = lines.iter().map(|l| l.discount).collect();
    let tax_ids: Vec<Option<Uuid>> = lines.iter().map(|l| l.tax.map(|(id, _)| id)).collect();
    let rates: Vec<Option<Decimal>> = lines.iter().map(|l| l.tax.map(|(_, t)| t.rate)).collect();
    let included: Vec<bool> = lines
        .iter()
        .map(|l| l.tax.is_some_and(|(_, t)| t.included))
        .collect();
    let subtotals: Vec<Decimal> = lines.iter().map(|l| l.priced().subtotal()).collect();
    let tasks: Vec<Option<Uuid>> = lines.iter().map(|l| l.task).collect();
    let roles: Vec<String> = lines.iter().map(|l| l.role.as_str().to_string()).collect();
    let sold: Vec<Option<Uuid>> = lines.iter().map(|l| l.quote_line).collect();
    let written = sqlx::query!(
        "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit,
                                    unit_price, discount, tax_id, tax_rate, tax_included,
                                    subtotal, task_id, kind, quote_line_id)
         SELECT l.id, $1, $2 + l.n::integer, l.description, l.quantity, l.unit, l.unit_price,
                l.discount, l.tax_id, l.tax_rate, l.tax_included, l.subtotal, l.task_id, l.kind,
                l.quote_line_id
         FROM unnest($3::uuid[], $4::text[], $5::numeric[], $6::text[], $7::numeric[],
                     $8::numeric[], $9::uuid[], $10::numeric[], $11::boolean[], $12::numeric[],
                     $13::uuid[], $14::text[], $15::uuid[])
              WITH ORDINALITY AS l(id, description, quantity, unit, unit_price, discount, tax_id,
                                   tax_rate, tax_included, subtotal, task_id, kind,
                                   quote_line_id, n)",
        id,
        start,
        &ids,
        &descriptions,
        &quantities,
        &units,
        &prices,
        &discounts,
        &tax_ids as &[Option<Uuid>],
        &rates as &[Option<Decimal>],
        &included,
        &subtotals,
        &tasks as &[Option<Uuid>],
        &roles,
        &sold as &[Option<Uuid>]
    )
    .execute(&mut *conn)
    .await;
    match written {
        Err(sqlx::Error::Database(e))
            if matches!(
                e.constraint(),
                Some("invoice_lines_task_once_idx" | "invoice_lines_quote_line_once_idx")
            ) =>
        {
            return Err(AppError::invalid(
                "tasks",
                FieldProblem::TaskAlreadyInvoiced,
            ));
        }
        other => {
            other?;
        }
    }
    store_totals(conn, id).await
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

/// A draft invoice of the ticked `tasks` of `project` ("Partial invoice").
pub async fn invoice_tasks(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
    tasks: &[Uuid],
) -> Result<Uuid, AppError> {
    if tasks.is_empty() {
        return Err(AppError::invalid("tasks", FieldProblem::TasksRequired));
    }
    if tasks.len() > MAX_TASKS {
        return Err(AppError::TooLarge);
    }
    crate::projects::db::require(conn, user, project, ProjectOp::View).await?;
    let billed = lock_project(conn, project).await?;
    refuse_when_locked(&billed)?;
    let mut unique = tasks.to_vec();
    unique.sort();
    unique.dedup();
    let lines = task_lines(conn, &billed, &unique).await?;
    insert_draft(conn, user, &billed, "partial", &lines).await
}

/// Invoicing, like any change, waits until a locked project is unlocked.
pub fn refuse_when_locked(project: &BilledProject) -> Result<(), AppError> {
    if project.locked {
        return Err(Denied::Locked.into());
    }
    if project.state == ProjectState::Closed {
        return Err(Denied::Closed.into());
    }
    Ok(())
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
    let money = |amount: Decimal| Money::new(amount, currency);
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
        quoted: t.quoted_amount.map(money),
        invoiced: money(t.invoiced.unwrap_or_default()),
        invoice: t.invoice_id.map(|id| Linked {
            id,
            label: t.invoice_number,
        }),
        amount: invoice::task_amount(t.quoted_amount, t.billable, head.hourly_rate)
            .ok()
            .map(money),
    })
    .collect();
    let history = history(conn, user, project).await?;
    Ok(ProjectBilling {
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
