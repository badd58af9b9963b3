//! Contacts in Postgres: read, write with optimistic locking, bulk changes, duplicates, merge.

use super::{
    BulkReport, Contact, ContactRef, Duplicate, DuplicateReason, PersonLine, Refusal, UserRef,
};
use crate::domain::{ContactDraft, ContactKind};
use crate::error::{AppError, FieldProblem};
use sqlx::PgConnection;
use uuid::Uuid;

fn kind_of(text: &str) -> Result<ContactKind, AppError> {
    ContactKind::parse(text).ok_or_else(|| {
        tracing::error!(kind = text, "unknown contact kind in the database");
        AppError::Internal
    })
}

pub async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Contact, AppError> {
    let row = sqlx::query!(
        r#"SELECT t.id, t.kind, t.name, t.company_id, co.name AS "company_name?", t.job_title,
                  t.emails, t.phones, t.street, t.postcode, t.city, t.country, t.vat, t.website,
                  t.tags, t.notes, t.owner_id, o.display_name AS "owner_name?", t.archived,
                  t.version
           FROM contacts t
           LEFT JOIN contacts co ON co.id = t.company_id
           LEFT JOIN users o ON o.id = t.owner_id
           WHERE t.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Contact {
        id: row.id,
        kind: kind_of(&row.kind)?,
        name: row.name,
        company: row
            .company_id
            .zip(row.company_name)
            .map(|(id, name)| ContactRef { id, name }),
        job_title: row.job_title,
        emails: row.emails,
        phones: row.phones,
        street: row.street,
        postcode: row.postcode,
        city: row.city,
        country: row.country,
        vat: row.vat,
        website: row.website,
        tags: row.tags,
        notes: row.notes,
        owner: row
            .owner_id
            .zip(row.owner_name)
            .map(|(id, name)| UserRef { id, name }),
        archived: row.archived,
        version: row.version,
    })
}

pub async fn people_of(
    conn: &mut PgConnection,
    company: Uuid,
) -> Result<Vec<PersonLine>, AppError> {
    Ok(sqlx::query!(
        "SELECT id, name, job_title, emails[1] AS email, phones[1] AS phone, archived
         FROM contacts WHERE company_id = $1 ORDER BY archived, sort_name, id LIMIT 500",
        company
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| PersonLine {
        id: r.id,
        name: r.name,
        job_title: r.job_title,
        email: r.email,
        phone: r.phone,
        archived: r.archived,
    })
    .collect())
}

/// The company a form names: by id, or by its exact name (accents and case aside).
pub async fn resolve_company(
    conn: &mut PgConnection,
    text: &str,
) -> Result<Option<Uuid>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let unknown = || AppError::invalid("company", FieldProblem::CompanyUnknown);
    if let Ok(id) = Uuid::parse_str(text) {
        let found = sqlx::query_scalar!(
            "SELECT id FROM contacts WHERE id = $1 AND kind = 'company'",
            id
        )
        .fetch_optional(conn)
        .await?;
        return found.map(Some).ok_or_else(unknown);
    }
    let ids = sqlx::query_scalar!(
        "SELECT id FROM contacts
         WHERE kind = 'company' AND sort_name = atrium_fold($1) AND NOT archived LIMIT 2",
        text
    )
    .fetch_all(conn)
    .await?;
    match ids.as_slice() {
        [id] => Ok(Some(*id)),
        [] => Err(unknown()),
        _ => Err(AppError::invalid("company", FieldProblem::CompanyAmbiguous)),
    }
}

pub async fn resolve_owner(
    conn: &mut PgConnection,
    id: Option<Uuid>,
) -> Result<Option<Uuid>, AppError> {
    let Some(id) = id else { return Ok(None) };
    let unknown = || AppError::invalid("owner", FieldProblem::OwnerUnknown);
    sqlx::query_scalar!("SELECT id FROM users WHERE id = $1 AND active", id)
        .fetch_optional(conn)
        .await?
        .map(Some)
        .ok_or_else(unknown)
}

/// A draft's parsed values in the form their columns store them.
pub struct DraftColumns {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub country: Option<String>,
    pub vat: Option<String>,
}

impl DraftColumns {
    pub fn of(draft: &ContactDraft) -> DraftColumns {
        DraftColumns {
            emails: draft
                .emails
                .iter()
                .map(|e| e.as_str().to_string())
                .collect(),
            phones: draft
                .phones
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            country: draft.country.map(|c| c.as_str().to_string()),
            vat: draft.vat.as_ref().map(|v| v.as_str().to_string()),
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    kind: ContactKind,
    draft: &ContactDraft,
    company: Option<Uuid>,
    owner: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let columns = DraftColumns::of(draft);
    sqlx::query!(
        "INSERT INTO contacts (id, kind, name, company_id, job_title, emails, phones, street,
                               postcode, city, country, vat, website, tags, notes, owner_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        id,
        kind.as_str(),
        draft.name,
        company.filter(|_| kind == ContactKind::Person),
        draft.job_title,
        &columns.emails,
        &columns.phones,
        draft.street,
        draft.postcode,
        draft.city,
        columns.country,
        columns.vat,
        draft.website,
        &draft.tags,
        draft.notes,
        owner
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Saves a contact if it is still at `version`; `Conflict` when someone saved in between.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    draft: &ContactDraft,
    company: Option<Uuid>,
    owner: Option<Uuid>,
) -> Result<(), AppError> {
    let columns = DraftColumns::of(draft);
    let updated = sqlx::query!(
        "UPDATE contacts SET name = $3,
                company_id = CASE WHEN kind = 'person' THEN $4::uuid END,
                job_title = $5, emails = $6, phones = $7, street = $8, postcode = $9, city = $10,
                country = $11, vat = $12, website = $13, tags = $14, notes = $15, owner_id = $16,
                version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2",
        id,
        version,
        draft.name,
        company.filter(|c| *c != id),
        draft.job_title,
        &columns.emails,
        &columns.phones,
        draft.street,
        draft.postcode,
        draft.city,
        columns.country,
        columns.vat,
        draft.website,
        &draft.tags,
        draft.notes,
        owner
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    let exists = sqlx::query_scalar!("SELECT 1 FROM contacts WHERE id = $1", id)
        .fetch_optional(conn)
        .await?;
    Err(if exists.is_some() {
        AppError::Conflict
    } else {
        AppError::NotFound
    })
}

pub async fn set_archived(
    conn: &mut PgConnection,
    ids: &[Uuid],
    archived: bool,
) -> Result<usize, AppError> {
    let done = sqlx::query!(
        "UPDATE contacts SET archived = $2, version = version + 1, updated_at = now()
         WHERE id = ANY($1) AND archived <> $2",
        ids,
        archived
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() as usize)
}

pub async fn add_tag(conn: &mut PgConnection, ids: &[Uuid], tag: &str) -> Result<usize, AppError> {
    let done = sqlx::query!(
        "UPDATE contacts SET tags = array_append(tags, $2), version = version + 1,
                updated_at = now()
         WHERE id = ANY($1) AND NOT ($2 = ANY(tags))",
        ids,
        tag
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() as usize)
}

pub async fn assign_owner(
    conn: &mut PgConnection,
    ids: &[Uuid],
    owner: Option<Uuid>,
) -> Result<usize, AppError> {
    let done = sqlx::query!(
        "UPDATE contacts SET owner_id = $2, version = version + 1, updated_at = now()
         WHERE id = ANY($1) AND owner_id IS DISTINCT FROM $2",
        ids,
        owner
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() as usize)
}

/// Deletes the contacts nothing refers to; the others are reported with what refers to them.
/// Later features add their references (opportunities, quotes, projects) here.
pub async fn delete(conn: &mut PgConnection, ids: &[Uuid]) -> Result<BulkReport, AppError> {
    let refused = sqlx::query!(
        r#"SELECT t.name,
                  (SELECT count(*) FROM contacts p WHERE p.company_id = t.id) AS "people!",
                  (SELECT count(DISTINCT pr.id) FROM projects pr
                   WHERE pr.customer_id = t.id
                      OR pr.id IN (SELECT project_id FROM project_contacts WHERE contact_id = t.id))
                    AS "projects!",
                  (SELECT count(*) FROM opportunities o
                   WHERE o.customer_id = t.id OR o.contact_id = t.id) AS "opportunities!",
                  (SELECT count(*) FROM quotes q
                   WHERE q.customer_id = t.id OR q.contact_id = t.id) AS "quotes!"
           FROM contacts t WHERE t.id = ANY($1)
           ORDER BY t.name"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter(|r| r.people > 0 || r.projects > 0 || r.opportunities > 0 || r.quotes > 0)
    .map(|r| Refusal {
        name: r.name,
        people: r.people,
        projects: r.projects,
        opportunities: r.opportunities,
        quotes: r.quotes,
    })
    .collect();
    let deleted = sqlx::query!(
        "DELETE FROM contacts t WHERE t.id = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM contacts p WHERE p.company_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM projects pr WHERE pr.customer_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM project_contacts pc WHERE pc.contact_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM opportunities o
                         WHERE o.customer_id = t.id OR o.contact_id = t.id)
         AND NOT EXISTS (SELECT 1 FROM quotes q WHERE q.customer_id = t.id OR q.contact_id = t.id)",
        ids
    )
    .execute(&mut *conn)
    .await?;
    // Activities and timeline entries of deleted contacts go with them.
    sqlx::query!(
        "DELETE FROM activities a WHERE a.record_kind = 'contact' AND a.record_id = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = a.record_id)",
        ids
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM timeline_entries e WHERE e.record_kind = 'contact' AND e.record_id = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = e.record_id)",
        ids
    )
    .execute(conn)
    .await?;
    Ok(BulkReport {
        changed: deleted.rows_affected() as usize,
        refused,
    })
}

/// Contacts that look like the one being entered: same e-mail, same VAT number, or a very
/// similar name (trigram similarity) of the same kind.
pub async fn duplicates(
    conn: &mut PgConnection,
    kind: ContactKind,
    name: &str,
    emails: &[String],
    vat: Option<&str>,
    except: Option<Uuid>,
) -> Result<Vec<Duplicate>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id, name, kind, city,
                  CASE WHEN emails && $3 THEN 'email'
                       WHEN vat = $4 THEN 'vat'
                       ELSE 'name' END AS "reason!"
           FROM contacts
           WHERE id IS DISTINCT FROM $5
             AND (emails && $3
                  OR vat = $4
                  OR (kind = $1 AND length($2) > 2 AND sort_name % atrium_fold($2)
                      AND similarity(sort_name, atrium_fold($2)) > 0.6))
           ORDER BY emails && $3 DESC, vat = $4 DESC NULLS LAST,
                    similarity(sort_name, atrium_fold($2)) DESC
           LIMIT 5"#,
        kind.as_str(),
        name.trim(),
        emails,
        vat,
        except
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Duplicate {
                id: r.id,
                name: r.name,
                kind: kind_of(&r.kind)?,
                city: r.city,
                reason: match r.reason.as_str() {
                    "email" => DuplicateReason::Email,
                    "vat" => DuplicateReason::Vat,
                    _ => DuplicateReason::Name,
                },
            })
        })
        .collect()
}

/// Merges `other` into `keep`: every link to `other` moves to `keep`, lists are united, empty
/// fields of `keep` take `other`'s values, notes are joined; then `other` is deleted. Runs in
/// the caller's transaction; both rows are locked first so concurrent edits wait.
pub async fn merge(conn: &mut PgConnection, keep: Uuid, other: Uuid) -> Result<(), AppError> {
    if keep == other {
        return Err(AppError::invalid("other", FieldProblem::MergeSameRecord));
    }
    let kinds = sqlx::query!(
        "SELECT id, kind FROM contacts WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &[keep, other][..]
    )
    .fetch_all(&mut *conn)
    .await?;
    if kinds.len() != 2 {
        return Err(AppError::NotFound);
    }
    if kinds[0].kind != kinds[1].kind {
        return Err(AppError::invalid(
            "other",
            FieldProblem::MergeDifferentKinds,
        ));
    }
    // Links first: people of a merged company now work for the kept one.
    sqlx::query!(
        "UPDATE contacts SET company_id = $1, version = version + 1, updated_at = now()
         WHERE company_id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    // Projects of the merged contact are the kept one's now, as customer and by role.
    sqlx::query!(
        "UPDATE projects SET customer_id = $1, version = version + 1, updated_at = now()
         WHERE customer_id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO project_contacts (project_id, contact_id, role)
         SELECT project_id, $1, role FROM project_contacts WHERE contact_id = $2
         ON CONFLICT DO NOTHING",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM project_contacts WHERE contact_id = $1", other)
        .execute(&mut *conn)
        .await?;
    // Deals, activities and the timeline of the merged contact are the kept one's now.
    sqlx::query!(
        "UPDATE opportunities SET
            customer_id = CASE WHEN customer_id = $2 THEN $1 ELSE customer_id END,
            contact_id = CASE WHEN contact_id = $2 THEN $1 ELSE contact_id END,
            version = version + 1, updated_at = now()
         WHERE customer_id = $2 OR contact_id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE quotes SET
            customer_id = CASE WHEN customer_id = $2 THEN $1 ELSE customer_id END,
            contact_id = CASE WHEN contact_id = $2 THEN $1 ELSE contact_id END,
            version = version + 1, updated_at = now()
         WHERE customer_id = $2 OR contact_id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE activities SET record_id = $1 WHERE record_kind = 'contact' AND record_id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE timeline_entries SET record_id = $1
         WHERE record_kind = 'contact' AND record_id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE contacts k SET
            emails = ARRAY(SELECT DISTINCT unnest(k.emails || o.emails)),
            phones = ARRAY(SELECT DISTINCT unnest(k.phones || o.phones)),
            tags = ARRAY(SELECT DISTINCT unnest(k.tags || o.tags)),
            company_id = coalesce(k.company_id, o.company_id),
            job_title = CASE WHEN k.job_title = '' THEN o.job_title ELSE k.job_title END,
            street = CASE WHEN k.street = '' THEN o.street ELSE k.street END,
            postcode = CASE WHEN k.postcode = '' THEN o.postcode ELSE k.postcode END,
            city = CASE WHEN k.city = '' THEN o.city ELSE k.city END,
            country = coalesce(k.country, o.country),
            vat = coalesce(k.vat, o.vat),
            website = CASE WHEN k.website = '' THEN o.website ELSE k.website END,
            notes = CASE WHEN o.notes = '' THEN k.notes
                         WHEN k.notes = '' THEN o.notes
                         ELSE k.notes || E'\n\n' || o.notes END,
            owner_id = coalesce(k.owner_id, o.owner_id),
            archived = k.archived AND o.archived,
            version = k.version + 1,
            updated_at = now()
         FROM contacts o
         WHERE k.id = $1 AND o.id = $2",
        keep,
        other
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM contacts WHERE id = $1", other)
        .execute(conn)
        .await?;
    Ok(())
}

/// Live contacts (only companies with `companies_only`) whose name contains `query`,
/// accents and case aside, those starting with it first; at most 20.
pub async fn search(
    conn: &mut PgConnection,
    query: &str,
    companies_only: bool,
) -> Result<Vec<ContactRef>, AppError> {
    let query: String = query.trim().chars().take(100).collect();
    Ok(sqlx::query!(
        "SELECT id, name FROM contacts
         WHERE NOT archived AND (kind = 'company' OR NOT $2)
           AND sort_name LIKE '%' || atrium_fold($1) || '%'
         ORDER BY sort_name LIKE atrium_fold($1) || '%' DESC, sort_name, id LIMIT 20",
        crate::views::filter::escape_like(&query),
        companies_only
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| ContactRef {
        id: r.id,
        name: r.name,
    })
    .collect())
}
