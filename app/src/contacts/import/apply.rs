//! Planning and applying an import. The same plan serves the dry run and the import, so what
//! the user checked is what happens; matching existing contacts takes two statements for the
//! whole file, not one per row.

use super::csv_file::{row_input, CsvTable};
use super::{ImportDone, ImportPlan, PlannedAction, PlannedRow, RejectReason};
use crate::contacts::db::insert;
use crate::domain::{ContactDraft, ContactKind};
use crate::error::{AppError, FieldProblem};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Rows shown in a preview besides the rejected ones.
const PREVIEW_ROWS: usize = 100;

/// A row that will be written.
struct Accepted {
    draft: ContactDraft,
    company: Option<Uuid>,
    update: Option<Uuid>,
}

struct Plan {
    summary: ImportPlan,
    accepted: Vec<Accepted>,
}

/// The lines of the file that were rejected, with their reasons, for the error report.
pub fn rejected(plan: &ImportPlan) -> impl Iterator<Item = &PlannedRow> {
    plan.rows
        .iter()
        .filter(|r| matches!(r.action, PlannedAction::Reject(_)))
}

async fn plan(
    conn: &mut PgConnection,
    table: &CsvTable,
    kind: ContactKind,
    mapping: &[String],
) -> Result<Plan, AppError> {
    if !mapping.iter().any(|m| m == "name") {
        return Err(AppError::invalid(
            "mapping",
            FieldProblem::ImportNoNameColumn,
        ));
    }
    // Parse every row first; collect what must be looked up.
    let mut parsed = Vec::with_capacity(table.rows.len());
    let mut company_names: Vec<String> = Vec::new();
    for row in &table.rows {
        let (input, company) = row_input(row, mapping);
        let draft = ContactDraft::parse(&input);
        if kind == ContactKind::Person && !company.is_empty() {
            company_names.push(company.clone());
        }
        parsed.push((input.name, draft, company));
    }
    let emails: Vec<String> = parsed
        .iter()
        .filter_map(|(_, d, _)| d.as_ref().ok())
        .flat_map(|d| d.emails.iter().map(|e| e.as_str().to_string()))
        .collect();
    let vats: Vec<String> = parsed
        .iter()
        .filter_map(|(_, d, _)| d.as_ref().ok())
        .filter_map(|d| d.vat.as_ref().map(|v| v.as_str().to_string()))
        .collect();
    let existing = sqlx::query!(
        "SELECT id, name, emails, vat FROM contacts
         WHERE kind = $1 AND (emails && $2 OR vat = ANY($3))",
        kind.as_str(),
        &emails,
        &vats
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_email: HashMap<String, Vec<(Uuid, String)>> = HashMap::new();
    let mut by_vat: HashMap<String, Vec<(Uuid, String)>> = HashMap::new();
    for row in existing {
        for email in row.emails {
            by_email
                .entry(email)
                .or_default()
                .push((row.id, row.name.clone()));
        }
        if let Some(vat) = row.vat {
            by_vat
                .entry(vat)
                .or_default()
                .push((row.id, row.name.clone()));
        }
    }
    let companies = sqlx::query!(
        r#"SELECT f.input AS "input!", c.id FROM unnest($1::text[]) AS f(input)
           JOIN contacts c ON c.kind = 'company' AND NOT c.archived
                          AND c.sort_name = atrium_fold(f.input)"#,
        &company_names
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut company_ids: HashMap<String, Vec<Uuid>> = HashMap::new();
    for c in companies {
        company_ids.entry(c.input).or_default().push(c.id);
    }

    let mut summary = ImportPlan::default();
    let mut accepted = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, (name, draft, company)) in parsed.into_iter().enumerate() {
        let line = index + 2;
        let outcome = match draft {
            Err((error, field)) => Err(RejectReason::field(field, FieldProblem::from(error))),
            Ok(draft) => decide(
                &draft,
                &company,
                kind,
                line,
                &by_email,
                &by_vat,
                &company_ids,
                &mut seen,
            )
            .map(|(company, update)| (draft, company, update)),
        };
        let action = match outcome {
            Err(reason) => {
                summary.rejected += 1;
                PlannedAction::Reject(reason)
            }
            Ok((draft, company, update)) => {
                let action = match &update {
                    Some((id, name)) => {
                        summary.updated += 1;
                        PlannedAction::Update {
                            id: *id,
                            name: name.clone(),
                        }
                    }
                    None => {
                        summary.created += 1;
                        PlannedAction::Create
                    }
                };
                accepted.push(Accepted {
                    draft,
                    company,
                    update: update.map(|(id, _)| id),
                });
                action
            }
        };
        let shown = summary.rows.len() < PREVIEW_ROWS || matches!(action, PlannedAction::Reject(_));
        if shown {
            summary.rows.push(PlannedRow { line, name, action });
        }
    }
    Ok(Plan { summary, accepted })
}

/// The company a row links to, and the existing contact it updates (id and name).
type RowLinks = (Option<Uuid>, Option<(Uuid, String)>);

/// The company (people only) and the existing contact a valid row updates, or why it is
/// rejected.
#[allow(clippy::too_many_arguments)] // the lookups built once per file
fn decide(
    draft: &ContactDraft,
    company: &str,
    kind: ContactKind,
    line: usize,
    by_email: &HashMap<String, Vec<(Uuid, String)>>,
    by_vat: &HashMap<String, Vec<(Uuid, String)>>,
    company_ids: &HashMap<String, Vec<Uuid>>,
    seen: &mut HashMap<String, usize>,
) -> Result<RowLinks, RejectReason> {
    let company_id = if kind == ContactKind::Person && !company.is_empty() {
        match company_ids.get(company).map(Vec::as_slice) {
            Some([id]) => Some(*id),
            Some(_) => {
                return Err(RejectReason::field(
                    "company",
                    FieldProblem::CompanyAmbiguous,
                ))
            }
            None => return Err(RejectReason::field("company", FieldProblem::CompanyUnknown)),
        }
    } else {
        None
    };
    let keys: Vec<String> = draft
        .emails
        .iter()
        .map(|e| format!("email:{}", e.as_str()))
        .chain(draft.vat.iter().map(|v| format!("vat:{}", v.as_str())))
        .collect();
    if let Some(first) = keys.iter().find_map(|k| seen.get(k)) {
        return Err(RejectReason::DuplicateInFile { line: *first });
    }
    for key in keys {
        seen.insert(key, line);
    }
    let mut matches: Vec<(Uuid, String)> = draft
        .emails
        .iter()
        .filter_map(|e| by_email.get(e.as_str()))
        .chain(draft.vat.iter().filter_map(|v| by_vat.get(v.as_str())))
        .flatten()
        .cloned()
        .collect();
    matches.sort();
    matches.dedup();
    match matches.len() {
        0 => Ok((company_id, None)),
        1 => Ok((company_id, matches.pop())),
        _ => Err(RejectReason::AmbiguousMatch),
    }
}

/// The dry run: what importing would do.
pub async fn preview(
    conn: &mut PgConnection,
    table: &CsvTable,
    kind: ContactKind,
    mapping: &[String],
) -> Result<ImportPlan, AppError> {
    Ok(plan(conn, table, kind, mapping).await?.summary)
}

/// Imports every row, in the caller's transaction; refuses (changing nothing) if any row is
/// rejected. Updates fill what the file has: lists are united, other fields replaced when
/// the file has a value.
pub async fn import(
    conn: &mut PgConnection,
    table: &CsvTable,
    kind: ContactKind,
    mapping: &[String],
    owner: Uuid,
) -> Result<ImportDone, AppError> {
    let plan = plan(conn, table, kind, mapping).await?;
    if plan.summary.rejected > 0 {
        return Err(AppError::invalid("file", FieldProblem::ImportRejected));
    }
    for row in &plan.accepted {
        let d = &row.draft;
        match row.update {
            None => {
                insert(conn, kind, d, row.company, Some(owner)).await?;
            }
            Some(id) => {
                let columns = crate::contacts::db::DraftColumns::of(d);
                sqlx::query!(
                    "UPDATE contacts SET
                        name = $2,
                        emails = ARRAY(SELECT DISTINCT unnest(emails || $3::text[])),
                        phones = ARRAY(SELECT DISTINCT unnest(phones || $4::text[])),
                        tags = ARRAY(SELECT DISTINCT unnest(tags || $5::text[])),
                        company_id = coalesce($6, company_id),
                        job_title = coalesce(nullif($7, ''), job_title),
                        street = coalesce(nullif($8, ''), street),
                        postcode = coalesce(nullif($9, ''), postcode),
                        city = coalesce(nullif($10, ''), city),
                        country = coalesce($11, country),
                        vat = coalesce($12, vat),
                        website = coalesce(nullif($13, ''), website),
                        notes = CASE WHEN $14 = '' THEN notes WHEN notes = '' THEN $14
                                     ELSE notes || E'\n\n' || $14 END,
                        version = version + 1, updated_at = now()
                     WHERE id = $1",
                    id,
                    d.name,
                    &columns.emails,
                    &columns.phones,
                    &d.tags,
                    row.company,
                    d.job_title,
                    d.street,
                    d.postcode,
                    d.city,
                    columns.country,
                    columns.vat,
                    d.website,
                    d.notes
                )
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(ImportDone {
        created: plan.summary.created,
        updated: plan.summary.updated,
    })
}
