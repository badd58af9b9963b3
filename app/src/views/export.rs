//! Export of a whole view (every row, not only the loaded page) as CSV or XLSX, streamed: rows
//! are read from a database cursor and written out as they come, so memory stays flat
//! whatever the number of rows.
//!
//! `GET /export/{list}.{csv|xlsx}?{view query}`, for the signed-in user; a query that shows
//! the list as a pivot (`show=pivot`) downloads that pivot (`pivot::xlsx`).

use super::db::{arguments, cells};
use super::filter::Context;
use super::schema::{FieldDef, ListSchema};
use super::{query, Cell, ViewState};
use crate::auth::session::Authenticated;
use crate::domain::spreadsheet::neutralise_formula;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::locale::to_locale;
use crate::registry::list_schema;
use crate::shared::http::FileResponse;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::TryStreamExt;
use std::io::{Read, Seek, SeekFrom};
use tokio::sync::mpsc;

/// Rows are sent to the client in chunks of about this many bytes.
const CHUNK: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

/// A cell as export text: ISO dates, plain decimals, labels in the user's language.
pub fn export_text(locale: Locale, field: &FieldDef, value: &Cell) -> String {
    match (value, field.kind) {
        (Cell::Empty, _) => String::new(),
        (Cell::Text(text), _) | (Cell::Link { text, .. }, _) => field.value_label(locale, text),
        (Cell::Number(n), _) => n.to_string(),
        (Cell::Money(money), _) => money.amount.to_string(),
        (Cell::Date(d), _) => d.format("%Y-%m-%d").to_string(),
        (Cell::Bool(value), _) => crate::views::schema::yes_no(locale, *value),
        (Cell::Tags(tags), _) => tags.join(", "),
    }
}

/// A cell as CSV text: text a user typed can never be read as a spreadsheet formula;
/// numbers and dates are written by us and stay as they are (a negative amount is a number).
fn csv_text(locale: Locale, field: &FieldDef, value: &Cell) -> String {
    let text = export_text(locale, field, value);
    match value {
        Cell::Text(_) | Cell::Link { .. } | Cell::Tags(_) => neutralise_formula(&text).into_owned(),
        _ => text,
    }
}

pub async fn export(
    State(state): State<AppState>,
    Extension(Authenticated(user)): Extension<Authenticated>,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(user) = user else {
        return AppError::Unauthorized.into_response();
    };
    let (list, format) = match file.rsplit_once('.') {
        Some((list, "csv")) => (list, Format::Csv),
        Some((list, "xlsx")) => (list, Format::Xlsx),
        _ => return AppError::NotFound.into_response(),
    };
    let Some(schema) = list_schema(list) else {
        return AppError::NotFound.into_response();
    };
    let query = raw.as_deref().unwrap_or("");
    if format == Format::Xlsx && super::pivot::Analysis::of(query).is_some() {
        return super::pivot::xlsx::download(&state, &user, schema, query).await;
    }
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
        Err(error) => return AppError::from(error).into_response(),
    };
    let slot = match state.exports.try_start(user.id) {
        Ok(slot) => slot,
        Err(error) => return error.into_response(),
    };
    let locale = to_locale(user.language);
    let headers: Vec<String> = columns
        .iter()
        .map(|f| (f.label)(locale).to_string())
        .collect();
    let (sender, receiver) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let pool = state.pool.clone();
    let limits = state.exports.clone();
    tokio::spawn(async move {
        let _slot = slot;
        let out = Output {
            sender,
            write_timeout: limits.write_timeout,
        };
        let written = async {
            let mut tx = pool.begin().await?;
            // Longer than an ordinary request may run, but never without end.
            let timeout = format!("{}ms", limits.statement_timeout.as_millis());
            sqlx::query("SELECT set_config('statement_timeout', $1, true)")
                .bind(timeout)
                .execute(&mut *tx)
                .await?;
            match format {
                Format::Csv => {
                    write_csv(&mut tx, &sql, schema, &columns, &headers, locale, &out).await
                }
                Format::Xlsx => {
                    write_xlsx(&mut tx, &sql, schema, &columns, &headers, locale, &out).await
                }
            }
        };
        let result = written.await;
        if let Err(error) = result {
            if error.is::<ClientGone>() {
                tracing::info!("export ended: the client stopped reading");
                return;
            }
            tracing::error!(%error, "export failed");
            let _ = out
                .sender
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
    let name = format!(
        "{}-{}.{extension}",
        schema.key,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    FileResponse::attachment(&name, content_type, Body::from_stream(body)).into_response()
}

type Sender = mpsc::Sender<Result<Vec<u8>, std::io::Error>>;
type ExportError = Box<dyn std::error::Error + Send + Sync>;

/// The export's way out to the client.
struct Output {
    sender: Sender,
    write_timeout: std::time::Duration,
}

/// The client went away, or took nothing for longer than the write timeout.
#[derive(Debug, thiserror::Error)]
#[error("the client stopped reading")]
struct ClientGone;

impl Output {
    /// Hands a chunk to the response body; a client that takes nothing for the write
    /// timeout ends the export, so its database connection is not held by a stalled reader.
    async fn send(&self, chunk: std::io::Result<Vec<u8>>) -> Result<(), ExportError> {
        match tokio::time::timeout(self.write_timeout, self.sender.send(chunk)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(Box::new(ClientGone)),
        }
    }
}

async fn write_csv(
    conn: &mut sqlx::PgConnection,
    sql: &super::filter::Sql,
    schema: &ListSchema,
    columns: &[&'static FieldDef],
    headers: &[String],
    locale: Locale,
    out: &Output,
) -> Result<(), ExportError> {
    // A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    let mut buffer: Vec<u8> = b"\xEF\xBB\xBF".to_vec();
    csv_record(&mut buffer, headers)?;
    let mut rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?).fetch(conn);
    while let Some(row) = rows.try_next().await? {
        let record: Vec<String> = columns
            .iter()
            .zip(cells(&row, 1, schema, columns)?)
            .map(|(field, value)| csv_text(locale, field, &value))
            .collect();
        csv_record(&mut buffer, &record)?;
        if buffer.len() >= CHUNK {
            out.send(Ok(std::mem::take(&mut buffer))).await?;
        }
    }
    if !buffer.is_empty() {
        out.send(Ok(buffer)).await?;
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
pub fn money_format(currency: &str) -> rust_xlsxwriter::Format {
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
    conn: &mut sqlx::PgConnection,
    sql: &super::filter::Sql,
    schema: &ListSchema,
    columns: &[&'static FieldDef],
    headers: &[String],
    locale: Locale,
    out: &Output,
) -> Result<(), ExportError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let date_format = CellFormat::new().set_num_format("yyyy-mm-dd");
    // Amounts stay numbers; their currency is part of the cell's number format.
    let mut money_formats: std::collections::HashMap<crate::domain::Currency, CellFormat> =
        Default::default();
    let sheet = workbook.add_worksheet_with_constant_memory();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    let mut rows = sqlx::query_with(&sql.text, arguments(&sql.binds)?).fetch(conn);
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
                Cell::Money(money) => {
                    let format = money_formats
                        .entry(money.currency)
                        .or_insert_with_key(|currency| money_format(currency.code()));
                    sheet.write_number_with_format(
                        row_number,
                        col,
                        money.amount.to_string().parse::<f64>().unwrap_or(0.0),
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
    // Every row is read: the database connection is not needed any more.
    drop(rows);
    let file = tokio::task::spawn_blocking(move || -> Result<std::fs::File, ExportError> {
        let mut file = tempfile::tempfile()?;
        workbook.save_to_writer(&mut file)?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    })
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
        out.send(chunk).await?;
    }
    Ok(())
}
