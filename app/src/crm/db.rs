//! Opportunities in Postgres: moves between and within stages under the row lock with the
//! version read, won / lost / reopen with the deal's tasks, field changes on the timeline.
//! The board is in `board.rs`, the settings in `settings.rs`.

use super::{ClosingDeal, LostReason, Opportunity, OpportunityPage, Pipeline, Stage};
use crate::activities::db::log;
use crate::activities::{Named, TimelineEvent};
use crate::auth::CurrentUser;
use crate::contacts::ContactRef;
use crate::domain::opportunity::{self, crm_rights, OpportunityAction, OpportunityStatus};
use crate::error::{AppError, FieldProblem};
use crate::shared::db::stored_money;
use crate::shared::RecordKind;
use crate::shared::UserRef;
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

pub(super) fn status_of(text: &str) -> Result<OpportunityStatus, AppError> {
    OpportunityStatus::parse(text).ok_or_else(|| {
        tracing::error!(status = text, "unknown opportunity status in the database");
        AppError::Internal
    })
}

fn named(key: Option<String>, name: String) -> Named {
    Named { key, name }
}

pub async fn pipelines(conn: &mut PgConnection) -> Result<Vec<Pipeline>, AppError> {
    let pipelines = sqlx::query!("SELECT id, key, name FROM pipelines ORDER BY position, id")
        .fetch_all(&mut *conn)
        .await?;
    let stages = sqlx::query!(
        "SELECT id, pipeline_id, key, name, folded, is_won FROM pipeline_stages
         ORDER BY position, id"
    )
    .fetch_all(conn)
    .await?;
    Ok(pipelines
        .into_iter()
        .map(|p| Pipeline {
            id: p.id,
            named: named(p.key, p.name),
            stages: stages
                .iter()
                .filter(|s| s.pipeline_id == p.id)
                .map(|s| Stage {
                    id: s.id,
                    named: named(s.key.clone(), s.name.clone()),
                    folded: s.folded,
                    is_won: s.is_won,
                })
                .collect(),
        })
        .collect())
}

pub async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Opportunity, AppError> {
    let r = sqlx::query!(
        r#"SELECT o.id, o.title, o.pipeline_id, o.stage_id, o.customer_id,
                  cu.name AS "customer_name?", o.contact_id, co.name AS "contact_name?",
                  o.salesperson_id, sp.display_name AS "salesperson_name?", o.expected_revenue,
                  o.currency, o.probability, o.expected_closing, o.priority, o.tags, o.source,
                  o.description, o.status, lr.key AS "lost_key?", lr.name AS "lost_name?",
                  o.lost_note, o.closed_at, o.version
           FROM opportunities o
           LEFT JOIN contacts cu ON cu.id = o.customer_id
           LEFT JOIN contacts co ON co.id = o.contact_id
           LEFT JOIN users sp ON sp.id = o.salesperson_id
           LEFT JOIN lost_reasons lr ON lr.id = o.lost_reason_id
           WHERE o.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Opportunity {
        id: r.id,
        title: r.title,
        pipeline_id: r.pipeline_id,
        stage_id: r.stage_id,
        customer: r
            .customer_id
            .zip(r.customer_name)
            .map(|(id, name)| ContactRef { id, name }),
        contact: r
            .contact_id
            .zip(r.contact_name)
            .map(|(id, name)| ContactRef { id, name }),
        salesperson: r
            .salesperson_id
            .zip(r.salesperson_name)
            .map(|(id, name)| UserRef { id, name }),
        expected_revenue: r
            .expected_revenue
            .map(|amount| stored_money(amount, &r.currency))
            .transpose()?,
        probability: r.probability,
        expected_closing: r.expected_closing,
        priority: r.priority,
        tags: r.tags,
        source: r.source,
        description: r.description,
        status: status_of(&r.status)?,
        lost_reason: r.lost_name.map(|name| named(r.lost_key, name)),
        lost_note: r.lost_note,
        closed_at: r.closed_at,
        version: r.version,
    })
}

pub async fn lost_reasons(conn: &mut PgConnection) -> Result<Vec<LostReason>, AppError> {
    Ok(
        sqlx::query!("SELECT id, key, name, active FROM lost_reasons ORDER BY position, id")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| LostReason {
                id: r.id,
                named: named(r.key, r.name),
                active: r.active,
            })
            .collect(),
    )
}

/// The opportunity page: five statements.
pub async fn page(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<OpportunityPage, AppError> {
    let opportunity = get(conn, id).await?;
    let stages = pipelines(conn)
        .await?
        .into_iter()
        .find(|p| p.id == opportunity.pipeline_id)
        .map(|p| p.stages)
        .unwrap_or_default();
    let lost_reasons = lost_reasons(conn).await?;
    let tasks = crate::tasks::db::of_opportunity(conn, id, user.today()).await?;
    Ok(OpportunityPage {
        opportunity,
        stages,
        lost_reasons,
        tasks,
        rights: crm_rights(user.role),
    })
}

/// A stage of `pipeline` (the first one when `stage` is None); refused when unknown.
async fn stage_in(
    conn: &mut PgConnection,
    pipeline: Option<Uuid>,
    stage: Option<Uuid>,
) -> Result<(Uuid, Uuid, bool), AppError> {
    let row = sqlx::query!(
        "SELECT s.id, s.pipeline_id, s.is_won FROM pipeline_stages s
         JOIN pipelines p ON p.id = s.pipeline_id
         WHERE ($1::uuid IS NULL OR s.pipeline_id = $1) AND ($2::uuid IS NULL OR s.id = $2)
         ORDER BY p.position, p.id, s.position, s.id LIMIT 1",
        pipeline,
        stage
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::invalid("stage", FieldProblem::StageUnknown))?;
    Ok((row.id, row.pipeline_id, row.is_won))
}

/// The links of a deal: customer, contact person and salesperson.
#[derive(Clone, Copy, Debug, Default)]
pub struct Links {
    pub customer: Option<Uuid>,
    pub contact: Option<Uuid>,
    pub salesperson: Option<Uuid>,
}

/// Creates a deal first in its stage (the pipeline's first stage unless given); returns it.
pub async fn insert(
    conn: &mut PgConnection,
    draft: &opportunity::OpportunityDraft,
    links: Links,
    pipeline: Option<Uuid>,
    stage: Option<Uuid>,
    by: Uuid,
) -> Result<Uuid, AppError> {
    let (stage, pipeline, is_won) = stage_in(conn, pipeline, stage).await?;
    let status = opportunity::move_to_stage(OpportunityStatus::Open, is_won)
        .map_err(|e| AppError::invalid("stage", e.into()))?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO opportunities (id, title, pipeline_id, stage_id, customer_id, contact_id,
                salesperson_id, expected_revenue, probability, expected_closing, priority, tags,
                source, description, status, closed_at, position, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                 CASE WHEN $15 = 'won' THEN now() END,
                 coalesce((SELECT min(position) FROM opportunities
                           WHERE stage_id = $4 AND status <> 'lost'), 0) - 1024, $16)",
        id,
        draft.title,
        pipeline,
        stage,
        links.customer,
        links.contact,
        links.salesperson,
        draft.expected_revenue,
        draft.probability.map(i16::from),
        draft.expected_closing,
        i16::from(draft.priority),
        &draft.tags,
        draft.source,
        draft.description,
        status.as_str(),
        by
    )
    .execute(&mut *conn)
    .await?;
    log(
        conn,
        RecordKind::Opportunity,
        id,
        Some(by),
        &TimelineEvent::Created,
    )
    .await?;
    Ok(id)
}

/// The deal's row, locked for the rest of the transaction, at the version the caller read.
async fn lock(conn: &mut PgConnection, id: Uuid, version: i32) -> Result<Opportunity, AppError> {
    sqlx::query!("SELECT id FROM opportunities WHERE id = $1 FOR UPDATE", id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = get(conn, id).await?;
    if current.version != version {
        return Err(AppError::Conflict);
    }
    Ok(current)
}

fn text_of<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Saves the form as edited on `version`; each changed field goes on the timeline with its
/// old and new value.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    draft: &opportunity::OpportunityDraft,
    links: Links,
    by: Uuid,
) -> Result<(), AppError> {
    let before = lock(conn, id, version).await?;
    sqlx::query!(
        "UPDATE opportunities SET title = $2, customer_id = $3, contact_id = $4,
                salesperson_id = $5, expected_revenue = $6, probability = $7,
                expected_closing = $8, priority = $9, tags = $10, source = $11,
                description = $12, version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        draft.title,
        links.customer,
        links.contact,
        links.salesperson,
        draft.expected_revenue,
        draft.probability.map(i16::from),
        draft.expected_closing,
        i16::from(draft.priority),
        &draft.tags,
        draft.source,
        draft.description
    )
    .execute(&mut *conn)
    .await?;
    let after = get(conn, id).await?;
    let name = |r: &Option<ContactRef>| r.as_ref().map(|r| r.name.clone()).unwrap_or_default();
    let user = |r: &Option<UserRef>| r.as_ref().map(|r| r.name.clone()).unwrap_or_default();
    let short = |text: &str| text.chars().take(200).collect::<String>();
    let changes = [
        ("title", before.title.clone(), after.title.clone()),
        ("customer", name(&before.customer), name(&after.customer)),
        ("contact", name(&before.contact), name(&after.contact)),
        (
            "salesperson",
            user(&before.salesperson),
            user(&after.salesperson),
        ),
        (
            "expected_revenue",
            text_of(&before.expected_revenue.map(|m| m.amount)),
            text_of(&after.expected_revenue.map(|m| m.amount)),
        ),
        (
            "probability",
            text_of(&before.probability),
            text_of(&after.probability),
        ),
        (
            "expected_closing",
            text_of(&before.expected_closing),
            text_of(&after.expected_closing),
        ),
        (
            "priority",
            before.priority.to_string(),
            after.priority.to_string(),
        ),
        ("tags", before.tags.join(", "), after.tags.join(", ")),
        ("source", before.source.clone(), after.source.clone()),
        (
            "description",
            short(&before.description),
            short(&after.description),
        ),
    ];
    for (field, old, new) in changes {
        if old != new {
            let event = TimelineEvent::Field {
                field: field.to_string(),
                old,
                new,
            };
            log(conn, RecordKind::Opportunity, id, Some(by), &event).await?;
        }
    }
    Ok(())
}

/// Whether closing a deal finishes its tasks (company setting).
pub async fn closes_tasks(conn: &mut PgConnection) -> Result<bool, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT close_tasks_when_deal_closes FROM company_settings")
            .fetch_optional(conn)
            .await?
            .unwrap_or(true),
    )
}

/// The deal closed: its unfinished tasks are finished (seed 004) — completed, or pending
/// review for those with review on completion — unless the setting is off. Each move is in
/// the task's history. Returns how many tasks moved.
pub async fn finish_tasks(conn: &mut PgConnection, id: Uuid, by: Uuid) -> Result<u64, AppError> {
    if !closes_tasks(conn).await? {
        return Ok(0);
    }
    let moved = sqlx::query!(
        "WITH open AS (
             SELECT id, status FROM tasks
             WHERE opportunity_id = $1 AND status IN ('pending', 'in_progress', 'paused')
             FOR UPDATE),
         closed AS (
             UPDATE tasks t SET
                 status = CASE WHEN t.review_on_completion THEN 'pending_review' ELSE 'completed' END,
                 completed_at = CASE WHEN t.review_on_completion THEN t.completed_at ELSE now() END,
                 updated_at = now(), version = t.version + 1,
                 changed_by_other_at = CASE WHEN t.assignee_id IS DISTINCT FROM $2 THEN now()
                                            ELSE t.changed_by_other_at END
             FROM open WHERE t.id = open.id
             RETURNING t.id, open.status AS old, t.status AS new)
         INSERT INTO task_history (task_id, user_id, kind, action, old_value, new_value, comment)
         SELECT id, $2, 'status', 'complete', old, new, '' FROM closed",
        id,
        by
    )
    .execute(conn)
    .await?;
    Ok(moved.rows_affected())
}

/// The stage a reopened deal goes back to when it sat in the won stage: the last stage
/// before it.
async fn stage_before_won(
    conn: &mut PgConnection,
    pipeline: Uuid,
) -> Result<Option<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM pipeline_stages WHERE pipeline_id = $1 AND NOT is_won
         ORDER BY (position < coalesce((SELECT position FROM pipeline_stages
                                        WHERE pipeline_id = $1 AND is_won), 2147483647)) DESC,
                  position DESC, id DESC
         LIMIT 1",
        pipeline
    )
    .fetch_optional(conn)
    .await?)
}

async fn stage_named(conn: &mut PgConnection, id: Uuid) -> Result<(Named, bool, Uuid), AppError> {
    let r = sqlx::query!(
        "SELECT key, name, is_won, pipeline_id FROM pipeline_stages WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::invalid("stage", FieldProblem::StageUnknown))?;
    Ok((named(r.key, r.name), r.is_won, r.pipeline_id))
}

/// Won, lost (with a reason) or reopened, from the deal as read at `version`. Winning moves
/// the deal into the pipeline's won stage; reopening a won deal moves it back to the stage
/// before. Closing finishes the deal's tasks; reopening does not reopen them.
pub async fn act(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    action: OpportunityAction,
    lost_reason: Option<Uuid>,
    lost_note: &str,
    by: Uuid,
) -> Result<(), AppError> {
    let current = lock(conn, id, version).await?;
    let reason = match (action, lost_reason) {
        (OpportunityAction::MarkLost, Some(reason)) => Some(
            sqlx::query!(
                "SELECT id, key, name FROM lost_reasons WHERE id = $1 AND active",
                reason
            )
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| AppError::invalid("lost_reason", FieldProblem::LostReasonRequired))?,
        ),
        _ => None,
    };
    let reason_text = reason.as_ref().map(|r| r.id.to_string());
    let to = opportunity::apply(current.status, action, reason_text.as_deref()).map_err(|e| {
        let field = if e == opportunity::OpportunityError::LostReasonRequired {
            "lost_reason"
        } else {
            "status"
        };
        AppError::invalid(field, e.into())
    })?;
    let (_, in_won_stage, pipeline) = stage_named(conn, current.stage_id).await?;
    let stage = match to {
        OpportunityStatus::Won => sqlx::query_scalar!(
            "SELECT id FROM pipeline_stages WHERE pipeline_id = $1 AND is_won",
            pipeline
        )
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or(current.stage_id),
        OpportunityStatus::Open if in_won_stage => stage_before_won(conn, pipeline)
            .await?
            .unwrap_or(current.stage_id),
        _ => current.stage_id,
    };
    sqlx::query!(
        "UPDATE opportunities SET status = $2, stage_id = $3,
                lost_reason_id = $4, lost_note = $5,
                closed_at = CASE WHEN $2 = 'open' THEN NULL ELSE now() END,
                position = CASE WHEN stage_id = $3 THEN position
                    ELSE coalesce((SELECT min(position) FROM opportunities
                                   WHERE stage_id = $3 AND status <> 'lost'), 0) - 1024 END,
                version = version + 1, updated_at = now()
         WHERE id = $1",
        id,
        to.as_str(),
        stage,
        reason.as_ref().map(|r| r.id),
        lost_note.trim()
    )
    .execute(&mut *conn)
    .await?;
    if stage != current.stage_id {
        let (from, ..) = stage_named(conn, current.stage_id).await?;
        let (to_stage, ..) = stage_named(conn, stage).await?;
        let event = TimelineEvent::Stage { from, to: to_stage };
        log(conn, RecordKind::Opportunity, id, Some(by), &event).await?;
    }
    let event = match to {
        OpportunityStatus::Won => TimelineEvent::Won,
        OpportunityStatus::Lost => TimelineEvent::Lost {
            reason: reason.map(|r| named(r.key, r.name)).unwrap_or_default(),
            note: lost_note.trim().to_string(),
        },
        OpportunityStatus::Open => TimelineEvent::Reopened,
    };
    log(conn, RecordKind::Opportunity, id, Some(by), &event).await?;
    if to != OpportunityStatus::Open {
        finish_tasks(conn, id, by).await?;
    }
    Ok(())
}

/// Moves a card to `stage`, right before the card `before` (or last), as read at `version`.
/// Into the won stage wins the deal (and finishes its tasks); out of it reopens the deal.
/// Returns the deal's new version.
pub async fn move_card(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    stage: Uuid,
    before: Option<Uuid>,
    by: Uuid,
) -> Result<i32, AppError> {
    let current = lock(conn, id, version).await?;
    let (to_stage, is_won, pipeline) = stage_named(conn, stage).await?;
    if pipeline != current.pipeline_id {
        return Err(AppError::invalid("stage", FieldProblem::StageUnknown));
    }
    let to = opportunity::move_to_stage(current.status, is_won)
        .map_err(|e| AppError::invalid("stage", e.into()))?;
    let row = sqlx::query!(
        "WITH anchor AS (
             SELECT position FROM opportunities
             WHERE id = $3 AND stage_id = $2 AND status <> 'lost' AND id <> $1),
         previous AS (
             SELECT max(o.position) AS position FROM opportunities o, anchor
             WHERE o.stage_id = $2 AND o.status <> 'lost' AND o.position < anchor.position
               AND o.id <> $1)
         UPDATE opportunities SET stage_id = $2, status = $4,
             closed_at = CASE WHEN $4 = 'open' THEN NULL
                              WHEN status = $4 THEN closed_at ELSE now() END,
             position = CASE
                 WHEN (SELECT position FROM anchor) IS NULL THEN
                     (SELECT coalesce(max(o.position), 0) + 1024 FROM opportunities o
                      WHERE o.stage_id = $2 AND o.status <> 'lost' AND o.id <> $1)
                 ELSE ((SELECT position FROM anchor)
                       + coalesce((SELECT position FROM previous),
                                  (SELECT position FROM anchor) - 2048)) / 2
             END,
             version = version + 1, updated_at = now()
         WHERE id = $1
         RETURNING version",
        id,
        stage,
        before,
        to.as_str()
    )
    .fetch_one(&mut *conn)
    .await?;
    if stage != current.stage_id {
        let (from, ..) = stage_named(conn, current.stage_id).await?;
        let event = TimelineEvent::Stage { from, to: to_stage };
        log(conn, RecordKind::Opportunity, id, Some(by), &event).await?;
    }
    if to != current.status {
        let event = match to {
            OpportunityStatus::Won => TimelineEvent::Won,
            _ => TimelineEvent::Reopened,
        };
        log(conn, RecordKind::Opportunity, id, Some(by), &event).await?;
        if to == OpportunityStatus::Won {
            finish_tasks(conn, id, by).await?;
        }
    }
    Ok(row.version)
}

/// Links a task created from the deal: the link back, the CRM tag, and the timeline entry.
pub async fn link_task(
    conn: &mut PgConnection,
    id: Uuid,
    task: Uuid,
    by: Uuid,
) -> Result<(), AppError> {
    let title = sqlx::query_scalar!(
        "UPDATE tasks SET opportunity_id = $2,
                tags = CASE WHEN 'CRM' = ANY(tags) THEN tags ELSE array_append(tags, 'CRM') END
         WHERE id = $1
         RETURNING title",
        task,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    let event = TimelineEvent::TaskCreated {
        task_id: task,
        title,
    };
    log(conn, RecordKind::Opportunity, id, Some(by), &event).await
}

/// Deals by expected closing date between `from` and `to` (the calendar), at most 500.
pub async fn closing_between(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ClosingDeal>, AppError> {
    sqlx::query!(
        r#"SELECT id, title, expected_closing AS "expected_closing!", expected_revenue,
                  currency, status
           FROM opportunities
           WHERE expected_closing BETWEEN $1 AND $2 AND status <> 'lost'
           ORDER BY expected_closing, id
           LIMIT 500"#,
        from,
        to
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(ClosingDeal {
            id: r.id,
            title: r.title,
            expected_closing: r.expected_closing,
            expected_revenue: r
                .expected_revenue
                .map(|amount| stored_money(amount, &r.currency))
                .transpose()?,
            status: status_of(&r.status)?,
        })
    })
    .collect()
}

/// Takes a share lock on the deal's row for the transaction; not found when there is none.
pub async fn share_lock_opportunity(conn: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    sqlx::query!("SELECT id FROM opportunities WHERE id = $1 FOR SHARE", id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}
