//! The error report of an import check: the rejected rows of the file, each with its line and
//! the reason, as a CSV file to correct and upload again.
//!
//! `GET /export/import-errors/{id}.csv?kind=…&map=…` (the mapping as comma-separated fields).

use super::api::stored_table;
use super::apply::{preview, rejected};
use super::{reject_text, PlannedAction};
use crate::auth::session::Authenticated;
use crate::domain::policy::CompanyOp;
use crate::domain::spreadsheet::neutralise_formula;
use crate::domain::ContactKind;
use crate::error::AppError;
use crate::i18n::td_string;
use crate::locale::to_locale;
use crate::shared::http::FileResponse;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use uuid::Uuid;

#[derive(serde::Deserialize)]
pub struct ReportQuery {
    kind: String,
    map: String,
}

pub async fn error_report(
    State(state): State<AppState>,
    Extension(Authenticated(user)): Extension<Authenticated>,
    Path(file): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let Some(user) = user else {
        return AppError::Unauthorized.into_response();
    };
    if !crate::domain::policy::role_allows(user.role, CompanyOp::ContactsEdit) {
        return AppError::Forbidden.into_response();
    }
    let Some(id) = file
        .strip_suffix(".csv")
        .and_then(|id| Uuid::parse_str(id).ok())
    else {
        return AppError::NotFound.into_response();
    };
    let Some(kind) = ContactKind::parse(&query.kind) else {
        return AppError::NotFound.into_response();
    };
    let mapping: Vec<String> = query.map.split(',').map(str::to_string).collect();
    let result = async {
        let mut conn = state.pool.acquire().await?;
        let table = stored_table(&mut conn, id, user.id).await?;
        let plan = preview(&mut conn, &table, kind, &mapping).await?;
        Ok::<_, AppError>((table, plan))
    }
    .await;
    let (table, plan) = match result {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let locale = to_locale(user.language);
    let plan = plan.translated(locale);
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header = vec![
        td_string!(locale, contacts.import_row).to_string(),
        td_string!(locale, contacts.import_reason).to_string(),
    ];
    header.extend(table.headers.iter().cloned());
    let mut rows = vec![header];
    for row in rejected(&plan) {
        if let PlannedAction::Reject(reason) = &row.action {
            let mut record = vec![row.line.to_string(), reject_text(locale, reason)];
            record.extend(table.rows.get(row.line - 2).cloned().unwrap_or_default());
            rows.push(record);
        }
    }
    for record in rows {
        let cells = record
            .iter()
            .map(|cell| neutralise_formula(cell).into_owned());
        if writer.write_record(cells).is_err() {
            return AppError::Internal.into_response();
        }
    }
    let Ok(bytes) = writer.into_inner() else {
        return AppError::Internal.into_response();
    };
    FileResponse::attachment("import-errors.csv", "text/csv; charset=utf-8", bytes).into_response()
}
