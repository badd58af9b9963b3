//! Server functions of the import: upload a file, check it against a mapping, import it.

use super::{ImportDone, ImportPlan, UploadedFile};
use crate::codec::JsonAnswer;
use crate::domain::ContactKind;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{apply, csv_file, MAX_BYTES},
    crate::domain::policy::CompanyOp,
    crate::error::FieldProblem,
    crate::state::app_state,
    crate::upload,
};

/// The stored file of an upload, read again; only its uploader may use it.
#[cfg(feature = "ssr")]
pub async fn stored_table(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    user: Uuid,
) -> Result<csv_file::CsvTable, AppError> {
    let content = super::store::content(conn, id, user).await?;
    csv_file::read(content.as_bytes()).map_err(|p| AppError::invalid("file", p))
}

/// Receives a CSV file (multipart field `file`), refuses what is not a readable table, and
/// keeps it for the check and the import.
#[server(endpoint = "contacts/import/upload", input = MultipartFormData, output = JsonAnswer)]
pub async fn upload_import(data: MultipartData) -> Result<UploadedFile, AppError> {
    crate::api::signed_in_as(CompanyOp::ContactsEdit, async |user| {
        let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
        let mut file_name = String::from("import.csv");
        let mut file = None;
        while let Some(mut field) = upload::next_field(&mut multipart).await? {
            if field.name() != Some("file") {
                continue;
            }
            if let Some(name) = field.file_name() {
                file_name = name.chars().take(200).collect();
            }
            file = Some(
                upload::read_capped(&mut field, MAX_BYTES)
                    .await?
                    .ok_or(AppError::invalid("file", FieldProblem::ImportTooLarge))?,
            );
            break;
        }
        let bytes = file.ok_or(AppError::invalid("file", FieldProblem::ImportEmpty))?;
        let table = csv_file::read(&bytes).map_err(|p| AppError::invalid("file", p))?;
        // `read` accepted it, so it is UTF-8.
        let content = String::from_utf8_lossy(&bytes).into_owned();
        let id = Uuid::now_v7();
        let mut conn = app_state()?.pool.acquire().await?;
        super::store::keep(&mut conn, id, user.id, &file_name, &content).await?;
        Ok(UploadedFile {
            id,
            file_name,
            mapping: table
                .headers
                .iter()
                .map(|h| csv_file::suggest(h).to_string())
                .collect(),
            sample: table.rows.iter().take(3).cloned().collect(),
            rows: table.rows.len(),
            headers: table.headers,
        })
    })
    .await
}

/// The dry run: what importing the file with this mapping would do, row by row.
#[server(endpoint = "contacts/import/preview", input = Json, output = JsonAnswer)]
pub async fn preview_import(
    id: Uuid,
    kind: ContactKind,
    mapping: Vec<String>,
) -> Result<ImportPlan, AppError> {
    crate::api::read_as(CompanyOp::ContactsEdit, async |user, conn| {
        let table = stored_table(conn, id, user.id).await?;
        let plan = apply::preview(conn, &table, kind, &mapping).await?;
        Ok(plan.translated(crate::error::caller_locale()))
    })
    .await
}

/// Imports the whole file in one transaction, or nothing when any row is rejected.
#[server(endpoint = "contacts/import/run", input = Json, output = JsonAnswer)]
pub async fn run_import(
    id: Uuid,
    kind: ContactKind,
    mapping: Vec<String>,
) -> Result<ImportDone, AppError> {
    crate::api::write_as(CompanyOp::ContactsEdit, async |user, tx| {
        // The claim locks the upload: a second import of it waits here, then finds it
        // taken.
        let content = super::store::claim(tx, id, user.id).await?;
        let table = csv_file::read(content.as_bytes()).map_err(|p| AppError::invalid("file", p))?;
        apply::import(tx, &table, kind, &mapping, user.id).await
    })
    .await
}
