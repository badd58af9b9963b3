//! CSV import of companies and people: upload, map columns to fields, check (a dry run that
//! says per row what would happen), then import everything in one transaction or nothing.

pub mod api;
#[cfg(feature = "ssr")]
pub mod apply;
#[cfg(feature = "ssr")]
pub mod csv_file;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use crate::error::FieldProblem;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The fields a column can fill, in the order the mapping menu offers them.
pub const FIELDS: &[&str] = &[
    "name",
    "company",
    "job_title",
    "emails",
    "phones",
    "street",
    "postcode",
    "city",
    "country",
    "vat",
    "website",
    "tags",
    "notes",
];

/// At most this many bytes and rows per file.
pub const MAX_BYTES: usize = crate::domain::spreadsheet::MAX_IMPORT_BYTES;
pub const MAX_ROWS: usize = 50_000;

/// An uploaded file: its columns, a few rows to recognise them, and a suggested mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    pub id: Uuid,
    pub file_name: String,
    pub headers: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rows: usize,
    /// Per column, the field it fills ("" to ignore it).
    pub mapping: Vec<String>,
}

/// What the import would do, row by row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPlan {
    pub created: usize,
    pub updated: usize,
    pub rejected: usize,
    /// Every rejected row, and the first rows to be created or updated.
    pub rows: Vec<PlannedRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRow {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub name: String,
    pub action: PlannedAction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlannedAction {
    Create,
    /// Matched by e-mail address or VAT number.
    Update {
        id: Uuid,
        name: String,
    },
    Reject(RejectReason),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectReason {
    /// A field did not parse (or, for `company`, names no company). `message` is the
    /// problem in the caller's language, written by the server (`ImportPlan::translated`).
    Field {
        field: String,
        problem: FieldProblem,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// Same e-mail address or VAT number as an earlier row of the file.
    DuplicateInFile { line: usize },
    /// The e-mail address or VAT number belongs to several existing contacts.
    AmbiguousMatch,
}

impl RejectReason {
    pub fn field(field: &str, problem: FieldProblem) -> RejectReason {
        RejectReason::Field {
            field: field.to_string(),
            problem,
            message: String::new(),
        }
    }
}

impl ImportPlan {
    /// The plan with each refused field's message written in `locale`.
    #[cfg(feature = "ssr")]
    pub fn translated(mut self, locale: crate::i18n::Locale) -> ImportPlan {
        for row in &mut self.rows {
            if let PlannedAction::Reject(RejectReason::Field {
                problem, message, ..
            }) = &mut row.action
            {
                *message = crate::error::field_problem_text(locale, *problem);
            }
        }
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDone {
    pub created: usize,
    pub updated: usize,
}

/// Why a row was rejected, as the preview and the error report say it.
pub fn reject_text(locale: crate::i18n::Locale, reason: &RejectReason) -> String {
    use crate::i18n::td_string;
    match reason {
        RejectReason::Field { field, message, .. } => format!(
            "{}: {}",
            crate::contacts::field_label(locale, field),
            if message.is_empty() {
                td_string!(locale, errors.invalid)
            } else {
                message.as_str()
            }
        ),
        RejectReason::DuplicateInFile { line } => {
            td_string!(locale, contacts.import_duplicate_in_file, line = *line).to_string()
        }
        RejectReason::AmbiguousMatch => td_string!(locale, contacts.import_ambiguous).to_string(),
    }
}
