//! Runs the statements of `query` and reads their rows by field kind; stores saved views and
//! list preferences.

use super::filter::{Bind, Context, Sql};
use super::query;
use super::schema::{FieldDef, FieldKind, ListSchema};
use super::{
    Cell, Count, Cursor, Group, ListPage, ListRow, Preferences, SavedView, Total, ViewState,
};
use super::{COUNT_CAP, GROUP_LIMIT};
use crate::domain::{Currency, Money};
use crate::error::{AppError, OnConstraint};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Arguments, PgConnection, Row};
use uuid::Uuid;

pub fn arguments(binds: &[Bind]) -> Result<PgArguments, AppError> {
    let mut args = PgArguments::default();
    for bind in binds {
        let added = match bind {
            Bind::Text(v) => args.add(v),
            Bind::OptText(v) => args.add(v),
            Bind::Number(v) => args.add(v),
            Bind::Date(v) => args.add(v),
            Bind::Bool(v) => args.add(v),
            Bind::Uuid(v) => args.add(v),
            Bind::Int(v) => args.add(v),
        };
        added.map_err(|error| {
            tracing::error!(%error, "binding a list parameter");
            AppError::Internal
        })?;
    }
    Ok(args)
}

/// Reads the cells of `columns` from `row`, starting at `index`, as `query` selected them: a
/// field with a link is followed by the link, a money field of a list with currencies by the
/// row's currency.
pub fn cells(
    row: &PgRow,
    mut index: usize,
    schema: &ListSchema,
    columns: &[&FieldDef],
) -> Result<Vec<Cell>, sqlx::Error> {
    let mut cells = Vec::with_capacity(columns.len());
    for field in columns {
        let mut value = cell(row, index, field)?;
        index += 1;
        if field.link_sql.is_some() {
            let href: Option<String> = row.try_get(index)?;
            index += 1;
            value = match (value, href) {
                (Cell::Text(text), Some(href)) => Cell::Link { text, href },
                (value, _) => value,
            };
        }
        if schema.currency_of(field).is_some() {
            let currency: Option<&str> = row.try_get(index)?;
            index += 1;
            if let (Cell::Number(amount), Some(Ok(currency))) =
                (&value, currency.map(Currency::parse))
            {
                value = Cell::Money(Money::new(*amount, currency));
            }
        }
        cells.push(value);
    }
    Ok(cells)
}

/// Reads cell `index` of `row` as the field's kind says.
fn cell(row: &PgRow, index: usize, field: &FieldDef) -> Result<Cell, sqlx::Error> {
    Ok(match field.kind {
        FieldKind::Text | FieldKind::Enum(_) | FieldKind::User | FieldKind::Record => row
            .try_get::<Option<String>, _>(index)?
            .map_or(Cell::Empty, Cell::Text),
        FieldKind::Number | FieldKind::Money => row
            .try_get::<Option<Decimal>, _>(index)?
            .map_or(Cell::Empty, Cell::Number),
        FieldKind::Date => row
            .try_get::<Option<NaiveDate>, _>(index)?
            .map_or(Cell::Empty, Cell::Date),
        FieldKind::Boolean => row
            .try_get::<Option<bool>, _>(index)?
            .map_or(Cell::Empty, Cell::Bool),
        FieldKind::Tags => Cell::Tags(
            row.try_get::<Option<Vec<String>>, _>(index)?
                .unwrap_or_default(),
        ),
    })
}

async fn count_rows(conn: &mut PgConnection, sql: &Sql) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar_with::<_, i64, _>(&sql.text, arguments(&sql.binds)?)
            .fetch_one(conn)
            .await?,
    )
}

/// One page of a view (or of one opened group) and its capped count: two statements.
#[allow(clippy::too_many_arguments)] // each argument is one part of the request
pub async fn page(
    conn: &mut PgConnection,
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    columns: &[&FieldDef],
    path: &[Option<String>],
    after: Option<&Cursor>,
    limit: i64,
) -> Result<ListPage, AppError> {
    let sql = query::page(schema, state, context, columns, path, after, limit)?;
    // The cursor comes back from the client as text and is cast to the sort's type in SQL:
    // a value that does not cast is a bad request, not a server error.
    let rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_all(&mut *conn)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(db)
                if after.is_some() && db.code().is_some_and(|c| c.starts_with("22")) =>
            {
                AppError::InvalidView(crate::domain::FilterError::BadValue("cursor".into()))
            }
            _ => AppError::from(error),
        })?;
    let more = rows.len() as i64 > limit;
    let mut list_rows = Vec::with_capacity(rows.len());
    let mut next = None;
    for row in rows.iter().take(limit as usize) {
        let id: Uuid = row.try_get(0)?;
        let key: String = row.try_get(1)?;
        let cells = cells(row, 2, schema, columns)?;
        next = Some(Cursor { key, id });
        list_rows.push(ListRow { id, cells });
    }
    let count = match after {
        Some(_) => None,
        None => {
            let counted =
                count_rows(conn, &query::count(schema, state, context, path, false)?).await?;
            Some(if counted > COUNT_CAP {
                Count::AtLeast(COUNT_CAP)
            } else {
                Count::Exact(counted)
            })
        }
    };
    Ok(ListPage {
        query: state.to_query(),
        groups: None,
        columns: columns.iter().map(|f| f.key.to_string()).collect(),
        rows: list_rows,
        next: if more { next } else { None },
        count,
    })
}

pub async fn exact_count(
    conn: &mut PgConnection,
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    path: &[Option<String>],
) -> Result<i64, AppError> {
    count_rows(conn, &query::count(schema, state, context, path, true)?).await
}

pub async fn groups(
    conn: &mut PgConnection,
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    path: &[Option<String>],
) -> Result<Vec<Group>, AppError> {
    let sql = query::groups(schema, state, context, path, GROUP_LIMIT)?;
    let summed: Vec<&FieldDef> = query::summed_fields(schema).collect();
    let rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let currencies: Vec<Option<String>> = row.try_get(2)?;
            let sums = summed
                .iter()
                .enumerate()
                .map(|(i, field)| {
                    let total = if schema.currency_of(field).is_some() {
                        let amounts: Vec<Option<Decimal>> = row.try_get(i + 3)?;
                        Total::PerCurrency(
                            currencies
                                .iter()
                                .zip(amounts)
                                .filter_map(|(currency, amount)| {
                                    let currency = Currency::parse(currency.as_deref()?).ok()?;
                                    Some(Money::new(amount?, currency))
                                })
                                .collect(),
                        )
                    } else {
                        let sum: Option<Decimal> = row.try_get(i + 3)?;
                        Total::Plain(sum.unwrap_or_default())
                    };
                    Ok((field.key.to_string(), total))
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(Group {
                key: row.try_get(0)?,
                count: row.try_get(1)?,
                sums,
            })
        })
        .collect()
}

pub async fn preferences(
    conn: &mut PgConnection,
    user: Uuid,
    list_key: &str,
) -> Result<Preferences, AppError> {
    let stored = sqlx::query!(
        "SELECT columns, default_view_id FROM list_preferences
         WHERE user_id = $1 AND list_key = $2",
        user,
        list_key
    )
    .fetch_optional(&mut *conn)
    .await?;
    let saved = sqlx::query!(
        "SELECT id, name, query, shared, owner_id = $1 AS \"mine!\" FROM saved_views
         WHERE list_key = $2 AND (owner_id = $1 OR shared)
         ORDER BY owner_id = $1 DESC, lower(name), id",
        user,
        list_key
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| SavedView {
        id: r.id,
        name: r.name,
        query: r.query,
        shared: r.shared,
        mine: r.mine,
    })
    .collect::<Vec<_>>();
    let (columns, default_view) = stored.map_or((None, None), |s| (s.columns, s.default_view_id));
    // A default view that is no longer visible (unshared by its owner) is no default.
    let default_view = default_view.filter(|id| saved.iter().any(|v| v.id == *id));
    Ok(Preferences {
        columns,
        default_view,
        saved,
    })
}

pub async fn save_view(
    conn: &mut PgConnection,
    user: Uuid,
    list_key: &str,
    name: &str,
    query: &str,
    shared: bool,
) -> Result<SavedView, AppError> {
    // Saving under an existing name of one's own replaces that view.
    let row = sqlx::query!(
        "INSERT INTO saved_views (id, list_key, owner_id, name, shared, query)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ON CONSTRAINT saved_views_name_key
         DO UPDATE SET query = EXCLUDED.query, shared = EXCLUDED.shared
         RETURNING id",
        Uuid::now_v7(),
        list_key,
        user,
        name,
        shared,
        query
    )
    .fetch_one(conn)
    .await
    .on_constraint("saved_views_name_check", || {
        AppError::invalid("name", crate::error::FieldProblem::NameEmpty)
    })?;
    Ok(SavedView {
        id: row.id,
        name: name.to_string(),
        query: query.to_string(),
        shared,
        mine: true,
    })
}

pub async fn delete_view(conn: &mut PgConnection, user: Uuid, id: Uuid) -> Result<(), AppError> {
    let deleted = sqlx::query!(
        "DELETE FROM saved_views WHERE id = $1 AND owner_id = $2",
        id,
        user
    )
    .execute(conn)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Makes `view` (one the user can see) the list's default for this user, or clears it.
pub async fn set_default_view(
    conn: &mut PgConnection,
    user: Uuid,
    list_key: &str,
    view: Option<Uuid>,
) -> Result<(), AppError> {
    if let Some(id) = view {
        let visible = sqlx::query_scalar!(
            "SELECT 1 FROM saved_views WHERE id = $1 AND list_key = $2
             AND (owner_id = $3 OR shared)",
            id,
            list_key,
            user
        )
        .fetch_optional(&mut *conn)
        .await?;
        if visible.is_none() {
            return Err(AppError::NotFound);
        }
    }
    sqlx::query!(
        "INSERT INTO list_preferences (user_id, list_key, default_view_id) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, list_key) DO UPDATE SET default_view_id = EXCLUDED.default_view_id",
        user,
        list_key,
        view
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_columns(
    conn: &mut PgConnection,
    user: Uuid,
    list_key: &str,
    columns: &[String],
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO list_preferences (user_id, list_key, columns) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, list_key) DO UPDATE SET columns = EXCLUDED.columns",
        user,
        list_key,
        columns
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The query of the user's default view of this list, if there is one they can see.
pub async fn default_view_query(
    conn: &mut PgConnection,
    user: Uuid,
    list_key: &str,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT v.query FROM list_preferences p
         JOIN saved_views v ON v.id = p.default_view_id
         WHERE p.user_id = $1 AND p.list_key = $2 AND (v.owner_id = $1 OR v.shared)",
        user,
        list_key
    )
    .fetch_optional(conn)
    .await?)
}

/// The columns this user chose for the list, if any.
pub async fn preferences_columns(
    conn: &mut PgConnection,
    user: Uuid,
    list_key: &str,
) -> Result<Option<Vec<String>>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT columns FROM list_preferences WHERE user_id = $1 AND list_key = $2",
        user,
        list_key
    )
    .fetch_optional(conn)
    .await?
    .flatten())
}
