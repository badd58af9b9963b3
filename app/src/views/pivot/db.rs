//! Runs the pivot's statement and reads its rows back as cells.

use super::query::{pivot, Shape};
use super::{previous_view, PivotAnswer, MAX_CELLS};
use crate::domain::pivot::{PivotCell, PivotLayout, PreviousCells};
use crate::domain::{Currency, FilterError};
use crate::error::AppError;
use crate::views::db::arguments;
use crate::views::filter::Context;
use crate::views::schema::ListSchema;
use crate::views::state::ViewState;
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use std::collections::BTreeSet;

/// The view's cells, aggregated by one statement.
pub async fn cells(
    conn: &mut PgConnection,
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    layout: &PivotLayout,
) -> Result<PivotAnswer, AppError> {
    let mut labels = BTreeSet::new();
    let cells = run(conn, schema, state, context, layout, &mut labels).await?;
    // "Compare": one statement more, over the period before the view's date range.
    let previous = match previous_view(schema, state).filter(|_| layout.compare) {
        Some((view, shift)) => Some(PreviousCells {
            cells: run(conn, schema, &view, context, layout, &mut labels).await?,
            shift,
        }),
        None => None,
    };
    Ok(PivotAnswer {
        cells,
        previous,
        labels: labels.into_iter().collect(),
    })
}

async fn run(
    conn: &mut PgConnection,
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    layout: &PivotLayout,
    labels: &mut BTreeSet<(String, String, String)>,
) -> Result<Vec<PivotCell>, AppError> {
    let (sql, shape) = pivot(schema, state, context, layout)?;
    let rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?)
        .fetch_all(conn)
        .await?;
    if rows.len() > MAX_CELLS {
        return Err(FilterError::TooMany.into());
    }
    let cells = rows
        .iter()
        .map(|row| cell(row, &shape, labels))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(cells)
}

fn cell(
    row: &PgRow,
    shape: &Shape,
    labels: &mut BTreeSet<(String, String, String)>,
) -> Result<PivotCell, sqlx::Error> {
    let levels = shape.levels.len();
    let grouping: i32 = row.try_get(0)?;
    let mut rows = Vec::new();
    let mut columns = Vec::new();
    for i in 0..levels {
        let grouped = grouping & (1 << (levels - 1 - i)) == 0;
        if !grouped {
            continue;
        }
        let key: Option<String> = row.try_get(1 + i)?;
        if i < shape.row_levels {
            rows.push(key);
        } else {
            columns.push(key);
        }
    }
    let currency: Option<String> = row.try_get(1 + levels)?;
    let mut index = 2 + levels;
    for (i, field) in shape.levels.iter().enumerate() {
        if !shape.labelled[i] {
            continue;
        }
        let label: Option<String> = row.try_get(index)?;
        index += 1;
        let key: Option<String> = row.try_get(1 + i)?;
        if let (Some(key), Some(label)) = (key, label) {
            labels.insert((field.key.to_string(), key, label));
        }
    }
    let values = (0..shape.measures)
        .map(|j| row.try_get::<Decimal, _>(index + j))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PivotCell {
        rows,
        columns,
        currency: currency.and_then(|code| Currency::parse(&code).ok()),
        values,
    })
}
