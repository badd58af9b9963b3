//! The pipeline board in Postgres: every column's first cards, counts and sums per currency
//! in a constant number of statements however many deals there are, a column's next page by
//! cursor, and one card read again.

use super::db::{pipelines, status_of};
use super::list::OPPORTUNITIES;
use super::{Board, Card, CardCursor, Column, ColumnPage, COLUMN_PAGE};
use crate::auth::CurrentUser;
use crate::domain::activity::state;
use crate::domain::opportunity::crm_rights;
use crate::domain::{CurrencySums, TaskStatus};
use crate::error::AppError;
use crate::shared::db::stored_money;
use crate::shared::UserRef;
use crate::views::db::arguments;
use crate::views::filter::{push_where, Bind, Context, Sql};
use crate::views::ViewState;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

/// The columns of a card query: what a card shows, its next activity and its latest task.
/// `t` is the opportunity; `cu` and `sp` the joins of the list schema.
const CARD_COLUMNS: &str = "t.id, t.title, cu.name AS customer, t.expected_revenue, t.currency, \
     t.salesperson_id, sp.display_name AS salesperson_name, t.priority, t.tags, t.status, \
     t.version, t.position, \
     (SELECT ty.icon || ' ' || a.due_date::text FROM activities a \
        JOIN activity_types ty ON ty.id = a.type_id \
        WHERE a.opportunity_id = t.id AND a.done_at IS NULL \
        ORDER BY a.due_date, a.id LIMIT 1) AS next_activity, \
     (SELECT k.status FROM tasks k WHERE k.opportunity_id = t.id \
        ORDER BY k.updated_at DESC LIMIT 1) AS task_status";

fn card(row: &sqlx::postgres::PgRow, today: NaiveDate) -> Result<(Card, f64), AppError> {
    let next: Option<String> = row.try_get("next_activity")?;
    let next_activity = next.and_then(|text| {
        let (icon, due) = text.split_once(' ')?;
        let due = NaiveDate::parse_from_str(due, "%Y-%m-%d").ok()?;
        Some((icon.to_string(), state(due, today)))
    });
    let task_status: Option<String> = row.try_get("task_status")?;
    let salesperson_id: Option<Uuid> = row.try_get("salesperson_id")?;
    let salesperson_name: Option<String> = row.try_get("salesperson_name")?;
    let priority: i16 = row.try_get("priority")?;
    let status: String = row.try_get("status")?;
    Ok((
        Card {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            customer: row.try_get("customer")?,
            expected_revenue: row
                .try_get::<Option<Decimal>, _>("expected_revenue")?
                .map(|amount| stored_money(amount, row.try_get("currency")?))
                .transpose()?,
            salesperson: salesperson_id
                .zip(salesperson_name)
                .map(|(id, name)| UserRef { id, name }),
            priority: priority.clamp(0, 3) as u8,
            tags: row.try_get("tags")?,
            status: status_of(&status)?,
            next_activity,
            task_status: task_status.as_deref().and_then(TaskStatus::parse),
            version: row.try_get("version")?,
        },
        row.try_get("position")?,
    ))
}

/// The board of a pipeline under the view's filters: three statements (pipelines with
/// stages count as two, columns with their sums one, the first cards of every column one)
/// whatever the number of deals.
pub async fn board(
    conn: &mut PgConnection,
    user: &CurrentUser,
    pipeline: Option<Uuid>,
    view: &ViewState,
) -> Result<Board, AppError> {
    let today = user.today();
    let context = Context::of(user);
    let pipelines = pipelines(conn).await?;
    let current = match pipeline {
        Some(id) => pipelines.iter().find(|p| p.id == id),
        None => pipelines.first(),
    }
    .ok_or(AppError::NotFound)?;

    // Counts and sums per stage and currency.
    let mut sql = Sql::default();
    sql.push(
        "SELECT t.stage_id, t.currency, count(*) AS n, sum(t.expected_revenue) AS revenue FROM ",
    )
    .push(OPPORTUNITIES.from_sql);
    push_where(&OPPORTUNITIES, view, context, &mut sql)?;
    sql.push(" AND t.status <> 'lost' AND t.pipeline_id = ")
        .bind(Bind::Uuid(current.id))
        .push(" GROUP BY t.stage_id, t.currency");
    let sums = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_all(&mut *conn)
        .await?;

    // The first cards of every column, in their order.
    let mut sql = Sql::default();
    sql.push("SELECT c.* FROM pipeline_stages st CROSS JOIN LATERAL (SELECT t.stage_id, ")
        .push(CARD_COLUMNS)
        .push(" FROM ")
        .push(OPPORTUNITIES.from_sql);
    push_where(&OPPORTUNITIES, view, context, &mut sql)?;
    sql.push(" AND t.status <> 'lost' AND t.stage_id = st.id ORDER BY t.position, t.id LIMIT ")
        .bind(Bind::Int(COLUMN_PAGE + 1))
        .push(") c WHERE st.pipeline_id = ")
        .bind(Bind::Uuid(current.id));
    let rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_all(&mut *conn)
        .await?;

    let mut columns = Vec::with_capacity(current.stages.len());
    for stage in &current.stages {
        let mut count = 0;
        let mut revenue = CurrencySums::default();
        for row in sums
            .iter()
            .filter(|r| r.get::<Uuid, _>("stage_id") == stage.id)
        {
            count += row.try_get::<i64, _>("n")?;
            if let Some(sum) = row.try_get::<Option<Decimal>, _>("revenue")? {
                revenue.add(stored_money(sum, row.try_get("currency")?)?);
            }
        }
        let mut cards = Vec::new();
        for row in rows
            .iter()
            .filter(|r| r.get::<Uuid, _>("stage_id") == stage.id)
        {
            cards.push(card(row, today)?);
        }
        let (cards, next) = paged(cards);
        columns.push(Column {
            stage: stage.clone(),
            count,
            revenue,
            cards,
            next,
        });
    }
    Ok(Board {
        pipelines: pipelines.iter().map(|p| (p.id, p.named.clone())).collect(),
        pipeline_id: current.id,
        columns,
        rights: crm_rights(user.role),
    })
}

/// Cards read with one extra: the extra one says another page exists.
fn paged(mut cards: Vec<(Card, f64)>) -> (Vec<Card>, Option<CardCursor>) {
    let next = if cards.len() as i64 > COLUMN_PAGE {
        cards.truncate(COLUMN_PAGE as usize);
        cards.last().map(|(c, position)| CardCursor {
            position: *position,
            id: c.id,
        })
    } else {
        None
    };
    (cards.into_iter().map(|(c, _)| c).collect(), next)
}

/// The next cards of one column, after `after`.
pub async fn column(
    conn: &mut PgConnection,
    user: &CurrentUser,
    stage: Uuid,
    view: &ViewState,
    after: CardCursor,
) -> Result<ColumnPage, AppError> {
    let mut sql = Sql::default();
    sql.push("SELECT ")
        .push(CARD_COLUMNS)
        .push(" FROM ")
        .push(OPPORTUNITIES.from_sql);
    push_where(&OPPORTUNITIES, view, Context::of(user), &mut sql)?;
    sql.push(" AND t.status <> 'lost' AND t.stage_id = ")
        .bind(Bind::Uuid(stage))
        .push(" AND (t.position, t.id) > (CAST(")
        .bind(Bind::Text(after.position.to_string()))
        .push(" AS float8), ")
        .bind(Bind::Uuid(after.id))
        .push(") ORDER BY t.position, t.id LIMIT ")
        .bind(Bind::Int(COLUMN_PAGE + 1));
    let rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_all(&mut *conn)
        .await?;
    let today = user.today();
    let cards = rows
        .iter()
        .map(|r| card(r, today))
        .collect::<Result<Vec<_>, _>>()?;
    let (cards, next) = paged(cards);
    Ok(ColumnPage { cards, next })
}

/// One card as the board shows it (after its activities changed).
pub async fn card_of(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Card, AppError> {
    let mut sql = Sql::default();
    sql.push("SELECT ")
        .push(CARD_COLUMNS)
        .push(" FROM ")
        .push(OPPORTUNITIES.from_sql)
        .push(" WHERE t.id = ")
        .bind(Bind::Uuid(id));
    let row = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(card(&row, user.today())?.0)
}
