//! Confirming a quote into a sales order, in the caller's transaction: the project with its
//! tasks, the links both ways, the deal won. A second confirmation finds the sales order the
//! first one made and changes nothing.

use super::db::{lock, may_edit};
use crate::activities::{db::log, TimelineEvent};
use crate::auth::CurrentUser;
use crate::domain::opportunity::{OpportunityAction, OpportunityStatus};
use crate::domain::quote::split_amount;
use crate::domain::quote_state::{self, QuoteAction, QuoteState};
use crate::domain::ProjectDraft;
use crate::error::AppError;
use crate::shared::RecordKind;
use chrono::Datelike;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// What confirming did: the project, and whether this call made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmed {
    pub project: Uuid,
    pub created: bool,
}

/// Confirms the quote into a sales order: creates the project (customer, title, budget =
/// untaxed total, manager = salesperson) with one task per template of each sold service and
/// chosen option, in line order, links quote and project both ways and wins the deal.
/// A quote already confirmed answers with its project, so a repeated call changes nothing.
pub async fn confirm(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<Confirmed, AppError> {
    may_edit(user)?;
    let locked = lock(conn, id, None).await?;
    if locked.state == QuoteState::Sale {
        let project = sqlx::query_scalar!("SELECT project_id FROM quotes WHERE id = $1", id)
            .fetch_one(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(Confirmed {
            project,
            created: false,
        });
    }
    let today = user.today();
    let expired = quote_state::is_expired(locked.state, locked.valid_until, today);
    quote_state::apply(
        locked.state,
        QuoteAction::Confirm,
        expired,
        locked.has_lines,
    )
    .map_err(|e| AppError::invalid("state", e.into()))?;
    let quote = sqlx::query!(
        "SELECT number, title, customer_id, salesperson_id, opportunity_id, untaxed, currency
         FROM quotes WHERE id = $1",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let draft = ProjectDraft {
        title: quote.title.clone(),
        description: String::new(),
        start_date: Some(today),
        end_date: None,
        tender_end_date: None,
        budget: Some(quote.untaxed),
        hourly_rate: None,
    };
    let project = crate::projects::db::insert(
        conn,
        &draft,
        quote.customer_id,
        quote.salesperson_id,
        user.id,
        today.year(),
    )
    .await?;
    sqlx::query!(
        "UPDATE projects SET quote_id = $2, currency = $3 WHERE id = $1",
        project.id,
        id,
        quote.currency
    )
    .execute(&mut *conn)
    .await?;
    create_tasks(conn, id, project.id, user.id).await?;
    sqlx::query!(
        "UPDATE quotes SET state = 'sale', project_id = $2, confirmed_at = now(), confirmed_by = $3,
                version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        project.id,
        user.id
    )
    .execute(&mut *conn)
    .await?;
    let event = TimelineEvent::QuoteConfirmed {
        project_id: project.id,
        project_number: project.number.clone(),
    };
    log(conn, RecordKind::Quote, id, Some(user.id), &event).await?;
    if let Some(deal) = quote.opportunity_id {
        win_deal(conn, deal, user.id).await?;
        log(conn, RecordKind::Opportunity, deal, Some(user.id), &event).await?;
    }
    Ok(Confirmed {
        project: project.id,
        created: true,
    })
}

/// The deal of a confirmed quote is won (a lost one is reopened first).
async fn win_deal(conn: &mut PgConnection, deal: Uuid, by: Uuid) -> Result<(), AppError> {
    let row = sqlx::query!(
        "SELECT status, version FROM opportunities WHERE id = $1",
        deal
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(()) };
    let mut version = row.version;
    match OpportunityStatus::parse(&row.status) {
        Some(OpportunityStatus::Won) | None => return Ok(()),
        Some(OpportunityStatus::Lost) => {
            crate::crm::db::act(conn, deal, version, OpportunityAction::Reopen, None, "", by)
                .await?;
            version += 1;
        }
        Some(OpportunityStatus::Open) => {}
    }
    crate::crm::db::act(
        conn,
        deal,
        version,
        OpportunityAction::MarkWon,
        None,
        "",
        by,
    )
    .await
}

/// One task per template, in line order: each sold product's own templates, then those of
/// its chosen options (in group and option order). A line's untaxed amount is split over its
/// tasks by planned hours.
async fn create_tasks(
    conn: &mut PgConnection,
    quote: Uuid,
    project: Uuid,
    by: Uuid,
) -> Result<(), AppError> {
    let rows = sqlx::query!(
        r#"SELECT l.id AS line_id, l.position AS line_position, l.subtotal AS "subtotal!",
                  l.tax_rate, l.tax_included,
                  t.title AS "title!", t.planned_hours, t.description AS "description!"
           FROM quote_lines l
           CROSS JOIN LATERAL (
               SELECT tt.title, tt.planned_hours, tt.description,
                      0 AS source, 0 AS group_position, 0 AS option_position, tt.position
               FROM task_templates tt WHERE tt.product_id = l.product_id
               UNION ALL
               SELECT tt.title, tt.planned_hours, tt.description,
                      1, g.position, o.position, tt.position
               FROM product_options o
               JOIN product_option_groups g ON g.id = o.group_id
               JOIN task_templates tt ON tt.option_id = o.id
               WHERE o.id = ANY(l.options)
           ) t
           WHERE l.quote_id = $1 AND l.kind = 'item' AND l.product_id IS NOT NULL
           ORDER BY l.position, l.id, t.source, t.group_position, t.option_position, t.position"#,
        quote
    )
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    // Amounts per line, split by hours.
    let mut amounts: Vec<Decimal> = Vec::with_capacity(rows.len());
    let mut start = 0;
    while start < rows.len() {
        let line = rows[start].line_id;
        let end = rows[start..]
            .iter()
            .position(|r| r.line_id != line)
            .map_or(rows.len(), |n| start + n);
        let first = &rows[start];
        let untaxed = match first.tax_rate {
            Some(rate) if first.tax_included => crate::domain::quote::round_cents(
                first.subtotal / (Decimal::ONE + rate / Decimal::ONE_HUNDRED),
            ),
            _ => first.subtotal,
        };
        let weights: Vec<Decimal> = rows[start..end]
            .iter()
            .map(|r| r.planned_hours.unwrap_or_default())
            .collect();
        amounts.extend(split_amount(untaxed, &weights));
        start = end;
    }
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    let lines: Vec<Uuid> = rows.iter().map(|r| r.line_id).collect();
    let titles: Vec<String> = rows.iter().map(|r| r.title.clone()).collect();
    let hours: Vec<Option<Decimal>> = rows.iter().map(|r| r.planned_hours).collect();
    let descriptions: Vec<String> = rows.iter().map(|r| r.description.clone()).collect();
    sqlx::query!(
        "INSERT INTO tasks (id, project_id, title, description, creator_id, planned_hours,
                            quote_line_id, quoted_amount, position)
         SELECT t.id, $1, t.title, t.description, $2, t.hours, t.line, t.amount, t.n * 1024
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::numeric[], $7::text[], $8::numeric[])
              WITH ORDINALITY AS t(id, line, title, hours, description, amount, n)",
        project,
        by,
        &ids,
        &lines,
        &titles,
        &hours as &[Option<Decimal>],
        &descriptions,
        &amounts
    )
    .execute(conn)
    .await?;
    Ok(())
}
