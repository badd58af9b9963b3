//! Export of a whole view (every row, not only the loaded page) as CSV or XLSX, streamed: rows
//! are read from a database cursor and written out as they come, so memory stays flat
//! whatever the number of rows.
//!
//! `GET /export/{list}.{csv|xlsx}?{view query}`, for the signed-in user.

use super::db::{arguments, cells};
use super::filter::Context;
use super::schema::{FieldDef, ListSchema};
use super::{query, schema, Cell, ViewState};
use crate::auth::session::Authenticated;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::locale::to_locale;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::TryStreamExt;
use http::{header, HeaderValue, StatusCode};
use std::io::{Read, Seek, SeekFrom};
use tokio::sync::mpsc;

/// Rows are sent to the client in chunks of about this many bytes.
const CHUNK: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, error.to_string()).into_response()
}

/// A cell as export text: ISO dates, plain decimals, labels in the user's language.
pub fn export_text(locale: Locale, field: &FieldDef, value: &Cell) -> String {
    match (value, field.kind) {
        (Cell::Empty, _) => String::new(),
        (Cell::Text(text), _) => field.value_label(locale, text),
        (Cell::Number(n) | Cell::Money(n, _), _) => n.to_string(),
        (Cell::Date(d), _) => d.format("%Y-%m-%d").to_string(),
        (Cell::Bool(value), _) => crate::views::schema::yes_no(locale, *value),
        (Cell::Tags(tags), _) => tags.join(", "),
    }
}

pub async fn export(
    State(state): State<AppState>,
    Extension(Authenticated(user)): Extension<Authenticated>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(user) = user else {
        return error_response(AppError::Unauthorized);
    };
    let (list, format) = match file.rsplit_once('.') {
        Some((list, "csv")) => (list, Format::Csv),
        Some((list, "xlsx")) => (list, Format::Xlsx),
        _ => return error_response(AppError::NotFound),
    };
    let Some(schema) = schema(list) else {
        return error_response(AppError::NotFound);
    };
    let view = ViewState::from_query(raw.as_deref().unwrap_or(""));
    let remembered = if view.columns.is_none() {
        match state.pool.acquire().await {
            Ok(mut conn) => super::db::preferences_columns(&mut conn, user.id, schema.key)
                .await
                .unwrap_or(None),
            Err(_) => None,
        }
    } else {
        None
    };
    let prepared =
        query::visible_columns(schema, &view, remembered.as_deref()).and_then(|columns| {
            let sql = query::export(schema, &view, Context::of(&user), &columns)?;
            Ok((columns, sql))
        });
    let (columns, sql) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return error_response(error.into()),
    };
    let locale = to_locale(user.language);
    let headers: Vec<String> = columns
        .iter()
        .map(|f| (f.label)(locale).to_string())
        .collect();
    let (sender, receiver) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let result = match format {
            Format::Csv => {
                write_csv(&pool, &sql, schema, &columns, &headers, locale, &sender).await
            }
            Format::Xlsx => {
                write_xlsx(&pool, &sql, schema, &columns, &headers, locale, &sender).await
            }
        };
        if let Err(error) = result {
            tracing::error!(%error, "export failed");
            let _ = sender
                .send(Err(std::io::Error::other("export failed")))
                .await;
        }
    });
    // Fused: the body may be polled again after its end (compression does).
    let body = futures_util::StreamExt::fuse(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|chunk| (chunk, receiver)) },
    ));
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = format!(
        "attachment; filename=\"{}-{}.{extension}\"",
        schema.key,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

type Sender = mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

async fn write_csv(
    pool: &sqlx::PgPool,
    sql: &super::filter::Sql,
    schema: &ListSchema,
    columns: &[&'static FieldDef],
    headers: &[String],
    locale: Locale,
    sender: &Sender,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    // A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    let mut buffer: Vec<u8> = b"\xEF\xBB\xBF".to_vec();
    csv_record(&mut buffer, headers)?;
    let mut rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?).fetch(pool);
    while let Some(row) = rows.try_next().await? {
        let record: Vec<String> = columns
            .iter()
            .zip(cells(&row, 1, schema, columns)?)
            .map(|(field, value)| export_text(locale, field, &value))
            .collect();
        csv_record(&mut buffer, &record)?;
        if buffer.len() >= CHUNK {
            let chunk = std::mem::take(&mut buffer);
            if sender.send(Ok(chunk)).await.is_err() {
                return Ok(()); // the client went away
            }
        }
    }
    if !buffer.is_empty() {
        let _ = sender.send(Ok(buffer)).await;
    }
    Ok(())
}

/// Appends one CSV record (quoted where needed) to `buffer`.
fn csv_record(buffer: &mut Vec<u8>, record: &[String]) -> Result<(), csv::Error> {
    let mut writer = csv::WriterBuilder::new().from_writer(buffer);
    writer.write_record(record)?;
    writer.flush()?;
    Ok(())
}

/// A spreadsheet number format showing the currency: the euro, pound and dollar by their
/// sign, other currencies by their code.
fn money_format(currency: &str) -> rust_xlsxwriter::Format {
    let format = match currency {
        "EUR" => "[$€-x-euro2] #,##0.00".to_string(),
        "GBP" => "[$£-809]#,##0.00".to_string(),
        "USD" => "[$$-409]#,##0.00".to_string(),
        code => format!("#,##0.00 \"{code}\""),
    };
    rust_xlsxwriter::Format::new().set_num_format(format)
}

/// XLSX needs a finished zip archive; the workbook keeps rows in temporary files
/// (constant-memory mode) and is written to a temporary file, which is then streamed.
async fn write_xlsx(
    pool: &sqlx::PgPool,
    sql: &super::filter::Sql,
    schema: &ListSchema,
    columns: &[&'static FieldDef],
    headers: &[String],
    locale: Locale,
    sender: &Sender,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let date_format = CellFormat::new().set_num_format("yyyy-mm-dd");
    // Amounts stay numbers; their currency is part of the cell's number format.
    let mut money_formats: std::collections::HashMap<String, CellFormat> = Default::default();
    let sheet = workbook.add_worksheet_with_constant_memory();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    let mut rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?).fetch(pool);
    let mut row_number: u32 = 1;
    while let Some(row) = rows.try_next().await? {
        for (i, (field, value)) in columns
            .iter()
            .zip(cells(&row, 1, schema, columns)?)
            .enumerate()
        {
            let col = i as u16;
            match value {
                Cell::Empty => {}
                Cell::Money(n, currency) => {
                    let format = money_formats
                        .entry(currency)
                        .or_insert_with_key(|code| money_format(code));
                    sheet.write_number_with_format(
                        row_number,
                        col,
                        n.to_string().parse::<f64>().unwrap_or(0.0),
                        format,
                    )?;
                }
                Cell::Number(n) => {
                    sheet.write_number(
                        row_number,
                        col,
                        n.to_string().parse::<f64>().unwrap_or(0.0),
                    )?;
                }
                Cell::Date(d) => {
                    let date = rust_xlsxwriter::ExcelDateTime::parse_from_str(
                        &d.format("%Y-%m-%d").to_string(),
                    )?;
                    sheet.write_datetime_with_format(row_number, col, &date, &date_format)?;
                }
                other => {
                    sheet.write_string(row_number, col, export_text(locale, field, &other))?;
                }
            }
        }
        row_number += 1;
        if row_number > 1_048_575 {
            break; // the sheet is full
        }
    }
    let file = tokio::task::spawn_blocking(
        move || -> Result<std::fs::File, Box<dyn std::error::Error + Send + Sync>> {
            let mut file = tempfile::tempfile()?;
            workbook.save_to_writer(&mut file)?;
            file.seek(SeekFrom::Start(0))?;
            Ok(file)
        },
    )
    .await??;
    let (chunks, mut from_file) = mpsc::channel::<std::io::Result<Vec<u8>>>(2);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        loop {
            let mut buffer = vec![0u8; CHUNK];
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    buffer.truncate(n);
                    if chunks.blocking_send(Ok(buffer)).is_err() {
                        break;
                    }
                }
                Err(error) => {
                    let _ = chunks.blocking_send(Err(error));
                    break;
                }
            }
        }
    });
    while let Some(chunk) = from_file.recv().await {
        if sender.send(chunk).await.is_err() {
            break;
        }
    }
    Ok(())
}
