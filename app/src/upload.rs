//! Multipart uploads within limits. The HTTP layer refuses a body that is not multipart, or
//! whose declared size is over its endpoint's limit, before any handler runs, and cuts off
//! a body that grows past it; these readers cap each field, so no upload is ever held in
//! memory beyond what its endpoint keeps.

use crate::error::{AppError, FieldProblem};

/// A text field of an upload form (an id, a kind, a date) is never longer than this.
const TEXT_FIELD_BYTES: usize = 4 * 1024;
/// Room for the text fields and the multipart framing around the file.
const ENVELOPE_BYTES: usize = 64 * 1024;

/// The upload endpoints and the largest body each accepts: a file somewhat over its limit is
/// still read (and dropped), so the form can say "too large" in place; beyond twice the
/// limit the request is refused whole with 413.
pub fn body_limit(path: &str) -> Option<usize> {
    let file = match path {
        "/api/projects/documents/upload" => crate::domain::document::MAX_DOCUMENT_BYTES,
        "/api/contacts/import/upload" => crate::domain::spreadsheet::MAX_IMPORT_BYTES,
        _ => return None,
    };
    Some(2 * file + ENVELOPE_BYTES)
}

/// Whether a request declares a multipart body with a boundary, which the multipart decoder
/// needs (without one it would fail before the handler could answer).
pub fn is_multipart(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
                && multer::parse_boundary(v).is_ok()
        })
}

/// A read that failed because the body went past its limit becomes `TooLarge`; any other
/// failure means the body is not a well-formed upload.
fn read_error(error: multer::Error) -> AppError {
    // The limit's own error travels inside the decoder's, as its source.
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    if text.contains("length limit") || text.contains("size limit") {
        AppError::TooLarge
    } else {
        tracing::info!(error = %text, "malformed upload");
        AppError::invalid("file", FieldProblem::ImportMalformed)
    }
}

pub async fn next_field(
    multipart: &mut multer::Multipart<'static>,
) -> Result<Option<multer::Field<'static>>, AppError> {
    multipart.next_field().await.map_err(read_error)
}

/// A text field, refused with `TooLarge` past a few kilobytes.
pub async fn read_text(field: &mut multer::Field<'static>) -> Result<String, AppError> {
    let bytes = read_capped(field, TEXT_FIELD_BYTES)
        .await?
        .ok_or(AppError::TooLarge)?;
    String::from_utf8(bytes).map_err(|_| AppError::invalid("file", FieldProblem::ImportNotUtf8))
}

/// The bytes of a field up to `max`; past it, the rest is read and dropped (the HTTP layer
/// bounds how much) and the answer is `None`, so the form can report the size in place.
pub async fn read_capped(
    field: &mut multer::Field<'static>,
    max: usize,
) -> Result<Option<Vec<u8>>, AppError> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await.map_err(read_error)? {
        over |= bytes.len() + chunk.len() > max;
        if over {
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((!over).then_some(bytes))
}
