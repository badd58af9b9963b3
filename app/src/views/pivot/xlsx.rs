//! A pivot as a spreadsheet, as the page shows it: the column groups, then a row of measures,
//! each row's group indented by its level, totals in bold, amounts as numbers in their
//! currency's format. `GET /export/{list}.xlsx?show=pivot&…`, the list export's door.

use super::text::PivotText;
use super::{db, is_money, layout_of, PivotAnswer, MAX_QUERY_LEN};
use crate::auth::CurrentUser;
use crate::domain::pivot::{Axis, Measure, PivotGrid, PivotLayout};
use crate::domain::FilterError;
use crate::error::AppError;
use crate::locale::to_locale;
use crate::shared::http::FileResponse;
use crate::state::AppState;
use crate::views::export::money_format;
use crate::views::filter::Context;
use crate::views::schema::ListSchema;
use crate::views::ViewState;
use axum::response::{IntoResponse, Response};
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The columns a sheet holds.
const SHEET_COLUMNS: usize = 16_384;

pub async fn download(
    state: &AppState,
    user: &CurrentUser,
    schema: &'static ListSchema,
    query: &str,
) -> Response {
    match workbook_of(state, user, schema, query).await {
        Ok(bytes) => FileResponse::attachment(&format!("{}-pivot.xlsx", schema.key), XLSX, bytes)
            .into_response(),
        Err(error) => error.into_response(),
    }
}

async fn workbook_of(
    state: &AppState,
    user: &CurrentUser,
    schema: &'static ListSchema,
    query: &str,
) -> Result<Vec<u8>, AppError> {
    if query.len() > MAX_QUERY_LEN {
        return Err(FilterError::TooMany.into());
    }
    let _slot = state.exports.try_start(user.id)?;
    let view = ViewState::from_query(query);
    let layout = layout_of(query);
    let answer = {
        let mut conn = state.pool.acquire().await?;
        db::cells(&mut conn, schema, &view, Context::of(user), &layout).await?
    };
    let locale = to_locale(user.language);
    tokio::task::spawn_blocking(move || write(locale, schema, &layout, &answer))
        .await
        .map_err(|error| {
            tracing::error!(%error, "writing a pivot");
            AppError::Internal
        })?
}

fn write(
    locale: crate::i18n::Locale,
    schema: &'static ListSchema,
    layout: &PivotLayout,
    answer: &PivotAnswer,
) -> Result<Vec<u8>, AppError> {
    let grid = PivotGrid::build(layout, |key| is_money(schema, key), &answer.cells, None);
    if grid.value_column_count() >= SHEET_COLUMNS {
        return Err(FilterError::TooMany.into());
    }
    let text = PivotText::new(locale, schema, &grid, answer);
    sheet(&grid, &text, layout.percentage.is_some()).map_err(|error| {
        tracing::error!(%error, "writing a pivot");
        AppError::Internal
    })
}

fn sheet(grid: &PivotGrid, text: &PivotText, percentage: bool) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = Format::new().set_bold();
    let count = Format::new().set_num_format("#,##0");
    let number = Format::new().set_num_format("#,##0.00");
    let share = Format::new().set_num_format("0.0%");
    let slots = grid.slots().to_vec();
    let width = slots.len() as u16;
    let column_count = grid.header_count(Axis::Columns);
    for (i, header) in grid.headers(Axis::Columns, 0..column_count).enumerate() {
        let first = 1 + i as u16 * width;
        let name = text.header(Axis::Columns, &header);
        if width > 1 {
            sheet.merge_range(0, first, 0, first + width - 1, &name, &bold)?;
        } else {
            sheet.write_string_with_format(0, first, &name, &bold)?;
        }
        for (at, slot) in slots.iter().enumerate() {
            sheet.write_string_with_format(1, first + at as u16, text.slot(slot), &bold)?;
        }
    }
    let money: Vec<Option<Format>> = slots
        .iter()
        .map(|slot| {
            slot.currency
                .filter(|_| slot.money)
                .map(|c| money_format(c.code()))
        })
        .collect();
    for row in 0..grid.header_count(Axis::Rows) {
        let Some(header) = grid.header(Axis::Rows, row) else {
            continue;
        };
        let line = 2 + row as u32;
        let indent = u8::try_from(header.depth.saturating_sub(1)).unwrap_or(u8::MAX);
        let mut label = Format::new().set_indent(indent);
        if header.total {
            label = label.set_bold();
        }
        sheet.write_string_with_format(line, 0, text.header(Axis::Rows, &header), &label)?;
        for column in 0..grid.value_column_count() {
            let (Some(value), Some(at)) = (
                grid.value(row, column),
                grid.value_column(column).map(|c| c.slot),
            ) else {
                continue;
            };
            let cell = 1 + column as u16;
            let shown = if percentage { value.share } else { value.value };
            let Some(figure) = shown.and_then(|figure| figure.to_f64()) else {
                continue;
            };
            let format = if percentage {
                &share
            } else if let Some(format) = &money[at] {
                format
            } else if grid.measures()[slots[at].measure] == Measure::Count {
                &count
            } else {
                &number
            };
            sheet.write_number_with_format(line, cell, figure, format)?;
        }
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_freeze_panes(2, 1)?;
    workbook.save_to_buffer()
}
