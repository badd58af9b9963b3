//! Writing a draft invoice of a project: the project under its row lock, the lines that bill
//! its tasks (quoted amounts, or billable hours at the project's rate), and the draft with
//! its lines and totals, written once. Partial invoices, down payments, the final invoice
//! and completing a project all write their drafts here.

use crate::activities::db::log;
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::domain::invoice::{self, PaymentTerms};
use crate::domain::project_access::Denied;
use crate::domain::quote::{totals, PricedLine, Tax};
use crate::domain::{Currency, ProjectOp, ProjectState};
use crate::error::{AppError, FieldProblem};
use crate::shared::db::stored_currency;
use crate::shared::RecordKind;
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::PgConnection;
use uuid::Uuid;

/// The most tasks one partial invoice takes.
pub const MAX_TASKS: usize = 1000;

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
    /// The line as its columns keep it: PostgreSQL rounds half away from zero, and the
    /// totals are computed from exactly what is stored.
    fn stored(mut self) -> NewLine {
        let round = |value: Decimal, places| {
            value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        };
        self.quantity = round(self.quantity, 3);
        self.unit_price = round(self.unit_price, 2);
        self.discount = round(self.discount, 2);
        if let Some((_, tax)) = &mut self.tax {
            tax.rate = round(tax.rate, 3);
        }
        self
    }

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
/// billable hours at the project's rate with the company's default tax. Refuses a task of
/// another project, one already on an invoice, and one with nothing to invoice.
pub async fn task_lines(
    conn: &mut PgConnection,
    project: &BilledProject,
    tasks: &[Uuid],
) -> Result<Vec<NewLine>, AppError> {
    // Read through the project's own tasks: the cost follows the project, not the table.
    let rows = sqlx::query!(
        r#"SELECT t.id, t.title, t.quoted_amount,
                  coalesce(ql.tax_id, t.quoted_tax_id) AS "tax_id?",
                  coalesce(ql.tax_rate, t.quoted_tax_rate) AS "tax_rate?",
                  (SELECT coalesce(sum(e.hours), 0) FROM time_entries e
                   WHERE e.task_id = t.id AND e.billable) AS "billable!",
                  EXISTS (SELECT 1 FROM invoice_lines l WHERE l.task_id = t.id) AS "on_invoice!"
           FROM tasks t
           LEFT JOIN quote_lines ql ON ql.id = t.quote_line_id
           WHERE t.project_id = $2 AND t.id = ANY($1)
           ORDER BY t.position, t.id
           FOR UPDATE OF t"#,
        tasks,
        project.id
    )
    .fetch_all(&mut *conn)
    .await?;
    if rows.len() != tasks.len() {
        return Err(AppError::NotFound);
    }
    if rows.iter().any(|r| r.on_invoice) {
        return Err(AppError::invalid(
            "tasks",
            FieldProblem::TaskAlreadyInvoiced,
        ));
    }
    let default_tax = if rows.iter().any(|r| r.quoted_amount.is_none()) {
        default_tax(conn).await?
    } else {
        None
    };
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        let amount = invoice::task_amount(row.quoted_amount, row.billable, project.hourly_rate)
            .map_err(|e| AppError::invalid("tasks", e.into()))?;
        // A task's quoted amount is its share of the line without tax (confirming takes an
        // included tax out), so the line's rate is added to it.
        let tax = match (row.quoted_amount, row.tax_id, row.tax_rate) {
            (None, _, _) => default_tax,
            (Some(_), Some(id), Some(rate)) => Some((
                id,
                Tax {
                    rate,
                    included: false,
                },
            )),
            (Some(_), _, _) => None,
        };
        let (quantity, unit_price, unit) = match (row.quoted_amount, project.hourly_rate) {
            (None, Some(rate)) => (row.billable, rate, "h".to_string()),
            _ => (Decimal::ONE, amount, String::new()),
        };
        lines.push(NewLine {
            description: row.title,
            quantity,
            unit,
            unit_price,
            discount: Decimal::ZERO,
            tax,
            task: Some(row.id),
            quote_line: None,
            role: LineRole::Work,
        });
    }
    Ok(lines)
}

async fn default_tax(conn: &mut PgConnection) -> Result<Option<(Uuid, Tax)>, AppError> {
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

/// The customer's payment terms (or the company's), and the person an invoice of the
/// project goes to: its billing contact, when it has one.
async fn addressee(
    conn: &mut PgConnection,
    customer: Uuid,
    project: Uuid,
) -> Result<(PaymentTerms, Option<Uuid>), AppError> {
    let row = sqlx::query!(
        r#"SELECT coalesce(c.payment_terms_days, s.payment_terms_days) AS "days!",
                  (SELECT pc.contact_id FROM project_contacts pc
                   WHERE pc.project_id = $2 AND pc.role = 'billing'
                   ORDER BY pc.contact_id LIMIT 1) AS "contact?"
           FROM contacts c, company_settings s WHERE c.id = $1"#,
        customer,
        project
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let terms = PaymentTerms::new(i64::from(row.days)).map_err(|_| AppError::Internal)?;
    Ok((terms, row.contact))
}

/// Writes a draft invoice of `project` with `lines` and its totals, and logs it on both
/// timelines. A task or an order's line already on an invoice meets its unique index: of two
/// people invoicing it at once, the second gets the conflict.
pub async fn insert_draft(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: &BilledProject,
    origin: &str,
    lines: Vec<NewLine>,
) -> Result<Uuid, AppError> {
    let customer = project
        .customer
        .ok_or_else(|| AppError::invalid("customer", FieldProblem::CustomerRequired))?;
    let (terms, contact) = addressee(conn, customer, project.id).await?;
    let lines: Vec<NewLine> = lines.into_iter().map(NewLine::stored).collect();
    let priced: Vec<PricedLine> = lines.iter().map(NewLine::priced).collect();
    let sums = totals(&priced);
    let today = user.today();
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO invoices (id, customer_id, contact_id, project_id, quote_id, origin,
                               invoice_date, payment_terms_days, due_date, currency, created_by,
                               untaxed, tax, total)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
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
        user.id,
        sums.untaxed,
        sums.tax,
        sums.total
    )
    .execute(&mut *conn)
    .await?;
    write_lines(conn, id, &lines, &priced).await?;
    let event = TimelineEvent::InvoiceCreated {
        invoice_id: id,
        label: String::new(),
    };
    log(conn, RecordKind::Project, project.id, Some(user.id), &event).await?;
    log(conn, RecordKind::Invoice, id, Some(user.id), &event).await?;
    Ok(id)
}

/// The lines of a new invoice, in one statement.
async fn write_lines(
    conn: &mut PgConnection,
    id: Uuid,
    lines: &[NewLine],
    priced: &[PricedLine],
) -> Result<(), AppError> {
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
    let subtotals: Vec<Decimal> = priced.iter().map(PricedLine::subtotal).collect();
    let tasks: Vec<Option<Uuid>> = lines.iter().map(|l| l.task).collect();
    let roles: Vec<String> = lines.iter().map(|l| l.role.as_str().to_string()).collect();
    let sold: Vec<Option<Uuid>> = lines.iter().map(|l| l.quote_line).collect();
    let written = sqlx::query!(
        "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit,
                                    unit_price, discount, tax_id, tax_rate, tax_included,
                                    subtotal, task_id, kind, quote_line_id)
         SELECT l.id, $1, l.n::integer, l.description, l.quantity, l.unit, l.unit_price,
                l.discount, l.tax_id, l.tax_rate, l.tax_included, l.subtotal, l.task_id, l.kind,
                l.quote_line_id
         FROM unnest($2::uuid[], $3::text[], $4::numeric[], $5::text[], $6::numeric[],
                     $7::numeric[], $8::uuid[], $9::numeric[], $10::boolean[], $11::numeric[],
                     $12::uuid[], $13::text[], $14::uuid[])
              WITH ORDINALITY AS l(id, description, quantity, unit, unit_price, discount, tax_id,
                                   tax_rate, tax_included, subtotal, task_id, kind,
                                   quote_line_id, n)",
        id,
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
            Err(AppError::invalid(
                "tasks",
                FieldProblem::TaskAlreadyInvoiced,
            ))
        }
        other => other.map(drop).map_err(AppError::from),
    }
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
    insert_draft(conn, user, &billed, "partial", lines).await
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
