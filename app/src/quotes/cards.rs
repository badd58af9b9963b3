//! Quotes as cards: the kanban by status (capped per column, with totals per currency), the
//! calendar by date, and the quotes of a contact or a deal.

use super::{QuoteCard, QuoteColumn};
use crate::auth::CurrentUser;
use crate::domain::quote_state::{self, QuoteState, QuoteStatus};
use crate::domain::CurrencySums;
use crate::error::AppError;
use crate::shared::db::stored_money;
use crate::shared::UserRef;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// A quote as cards and lists read it.
struct CardRow {
    id: Uuid,
    number: String,
    title: String,
    customer: Option<String>,
    salesperson_id: Option<Uuid>,
    salesperson: Option<String>,
    quote_date: NaiveDate,
    valid_until: Option<NaiveDate>,
    total: Decimal,
    currency: String,
    state: String,
}

impl CardRow {
    fn card(self, today: NaiveDate) -> Result<QuoteCard, AppError> {
        let state = QuoteState::parse(&self.state).unwrap_or(QuoteState::Draft);
        Ok(QuoteCard {
            id: self.id,
            number: self.number,
            title: self.title,
            customer: self.customer,
            salesperson: self
                .salesperson_id
                .zip(self.salesperson)
                .map(|(id, name)| UserRef { id, name }),
            quote_date: self.quote_date,
            valid_until: self.valid_until,
            total: stored_money(self.total, &self.currency)?,
            status: quote_state::status(state, self.valid_until, today),
        })
    }
}

/// The quotes and sales orders of a contact (as customer or contact person), newest first.
pub async fn of_contact(
    conn: &mut PgConnection,
    contact: Uuid,
    today: NaiveDate,
) -> Result<Vec<QuoteCard>, AppError> {
    let rows = sqlx::query_as!(
        CardRow,
        r#"SELECT q.id, q.number, q.title, cu.name AS "customer?", q.salesperson_id,
                  sp.display_name AS "salesperson?", q.quote_date, q.valid_until, q.total,
                  q.currency, q.state
           FROM quotes q
           LEFT JOIN contacts cu ON cu.id = q.customer_id
           LEFT JOIN users sp ON sp.id = q.salesperson_id
           WHERE q.customer_id = $1 OR q.contact_id = $1
           ORDER BY q.quote_date DESC, q.id DESC LIMIT 200"#,
        contact
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|r| r.card(today)).collect()
}

/// The quotes of a deal, newest first.
pub async fn of_opportunity(
    conn: &mut PgConnection,
    deal: Uuid,
    today: NaiveDate,
) -> Result<Vec<QuoteCard>, AppError> {
    let rows = sqlx::query_as!(
        CardRow,
        r#"SELECT q.id, q.number, q.title, cu.name AS "customer?", q.salesperson_id,
                  sp.display_name AS "salesperson?", q.quote_date, q.valid_until, q.total,
                  q.currency, q.state
           FROM quotes q
           LEFT JOIN contacts cu ON cu.id = q.customer_id
           LEFT JOIN users sp ON sp.id = q.salesperson_id
           WHERE q.opportunity_id = $1
           ORDER BY q.quote_date DESC, q.id DESC"#,
        deal
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|r| r.card(today)).collect()
}

/// Cards shown per kanban column.
pub const KANBAN_COLUMN: i64 = 50;

/// The kanban: one column per status (expired apart from draft and sent), newest first;
/// `mine` keeps the user's own quotes, `search` matches number and title.
pub async fn kanban(
    conn: &mut PgConnection,
    user: &CurrentUser,
    mine: bool,
    search: &str,
) -> Result<Vec<QuoteColumn>, AppError> {
    let today = user.today();
    let search = search.trim();
    let rows = sqlx::query!(
        r#"WITH filtered AS (
               SELECT q.*, CASE WHEN q.state IN ('draft', 'sent') AND q.valid_until < $3
                                THEN 'expired' ELSE q.state END AS status
               FROM quotes q
               WHERE (NOT $1 OR q.salesperson_id = $2)
                 AND ($4 = '' OR q.search LIKE '%' || atrium_fold($4) || '%')
           ),
           ranked AS (
               SELECT f.*, row_number() OVER (PARTITION BY f.status ORDER BY f.quote_date DESC, f.id DESC) AS n
               FROM filtered f
           )
           SELECT r.id, r.number, r.title, cu.name AS "customer?", r.salesperson_id,
                  sp.display_name AS "salesperson?", r.quote_date, r.valid_until, r.total,
                  r.currency, r.state, r.status AS "status!"
           FROM ranked r
           LEFT JOIN contacts cu ON cu.id = r.customer_id
           LEFT JOIN users sp ON sp.id = r.salesperson_id
           WHERE r.n <= $5
           ORDER BY r.quote_date DESC, r.id DESC"#,
        mine,
        user.id,
        today,
        search,
        KANBAN_COLUMN
    )
    .fetch_all(&mut *conn)
    .await?;
    let sums = sqlx::query!(
        r#"SELECT CASE WHEN q.state IN ('draft', 'sent') AND q.valid_until < $3
                       THEN 'expired' ELSE q.state END AS "status!",
                  q.currency, count(*) AS "count!", sum(q.total) AS "total!"
           FROM quotes q
           WHERE (NOT $1 OR q.salesperson_id = $2)
             AND ($4 = '' OR q.search LIKE '%' || atrium_fold($4) || '%')
           GROUP BY 1, 2 ORDER BY 1, 2"#,
        mine,
        user.id,
        today,
        search
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut columns: Vec<QuoteColumn> = [
        QuoteStatus::Draft,
        QuoteStatus::Sent,
        QuoteStatus::Expired,
        QuoteStatus::Sale,
        QuoteStatus::Cancelled,
    ]
    .into_iter()
    .map(|status| QuoteColumn {
        status,
        count: 0,
        totals: CurrencySums::default(),
        cards: Vec::new(),
    })
    .collect();
    for sum in sums {
        if let Some(column) = columns.iter_mut().find(|c| c.status.as_str() == sum.status) {
            column.count += sum.count;
            column.totals.add(stored_money(sum.total, &sum.currency)?);
        }
    }
    for r in rows {
        let Some(column) = columns.iter_mut().find(|c| c.status.as_str() == r.status) else {
            continue;
        };
        column.cards.push(
            CardRow {
                id: r.id,
                number: r.number,
                title: r.title,
                customer: r.customer,
                salesperson_id: r.salesperson_id,
                salesperson: r.salesperson,
                quote_date: r.quote_date,
                valid_until: r.valid_until,
                total: r.total,
                currency: r.currency,
                state: r.state,
            }
            .card(today)?,
        );
    }
    Ok(columns)
}

/// Quotes dated in `[from, to)` for the calendar.
pub async fn between(
    conn: &mut PgConnection,
    user: &CurrentUser,
    from: NaiveDate,
    to: NaiveDate,
    mine: bool,
) -> Result<Vec<QuoteCard>, AppError> {
    let today = user.today();
    let rows = sqlx::query_as!(
        CardRow,
        r#"SELECT q.id, q.number, q.title, cu.name AS "customer?", q.salesperson_id,
                  sp.display_name AS "salesperson?", q.quote_date, q.valid_until, q.total,
                  q.currency, q.state
           FROM quotes q
           LEFT JOIN contacts cu ON cu.id = q.customer_id
           LEFT JOIN users sp ON sp.id = q.salesperson_id
           WHERE q.quote_date >= $1 AND q.quote_date < $2 AND (NOT $3 OR q.salesperson_id = $4)
           ORDER BY q.quote_date, q.number LIMIT 1000"#,
        from,
        to,
        mine,
        user.id
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|r| r.card(today)).collect()
}
