//! The CRM settings in Postgres: pipelines and their stages, lost reasons, activity types
//! and whether closing a deal finishes its tasks. Every change states the settings version
//! it was made on (`claim_settings_version`), so two admins never overwrite each other.

use super::db::{closes_tasks, lost_reasons, pipelines};
use super::CrmSettings;
use crate::error::{AppError, FieldProblem};
use sqlx::PgConnection;
use uuid::Uuid;

/// Everything the settings page shows, with the version a change must state.
pub async fn load(conn: &mut PgConnection) -> Result<CrmSettings, AppError> {
    Ok(CrmSettings {
        pipelines: pipelines(conn).await?,
        lost_reasons: lost_reasons(conn).await?,
        activity_types: crate::activities::db::types(conn).await?,
        close_tasks_when_deal_closes: closes_tasks(conn).await?,
        may_configure: false,
        version: sqlx::query_scalar!("SELECT crm_settings_version FROM company_settings")
            .fetch_one(conn)
            .await?,
    })
}

/// Takes the next settings version for a change made on `version`, in the change's
/// transaction; `Conflict` when someone changed the settings since.
pub async fn claim_settings_version(conn: &mut PgConnection, version: i32) -> Result<(), AppError> {
    let claimed = sqlx::query!(
        "UPDATE company_settings SET crm_settings_version = crm_settings_version + 1
         WHERE crm_settings_version = $1",
        version
    )
    .execute(conn)
    .await?
    .rows_affected();
    AppError::one_row_or_conflict(claimed)
}

pub async fn set_closes_tasks(conn: &mut PgConnection, on: bool) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE company_settings SET close_tasks_when_deal_closes = $1",
        on
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A configured row's name: required, at most 100 characters.
pub fn parse_name(text: &str) -> Result<String, AppError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", FieldProblem::NameRequired));
    }
    if name.chars().count() > 100 {
        return Err(AppError::invalid("name", FieldProblem::TextTooLong));
    }
    Ok(name.to_string())
}

/// Adds a pipeline with a first stage and a won stage; returns it.
pub async fn add_pipeline(conn: &mut PgConnection, name: &str) -> Result<Uuid, AppError> {
    let name = parse_name(name)?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO pipelines (id, name, position)
         VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM pipelines))",
        id,
        name
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO pipeline_stages (id, pipeline_id, key, position, is_won)
         VALUES ($1, $3, 'new', 0, false), ($2, $3, 'won', 1, true)",
        Uuid::now_v7(),
        Uuid::now_v7(),
        id
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn rename_pipeline(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
) -> Result<(), AppError> {
    let name = parse_name(name)?;
    let done = sqlx::query!("UPDATE pipelines SET name = $2 WHERE id = $1", id, name)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Adds a stage at the end of a pipeline (before its won stage).
pub async fn add_stage(
    conn: &mut PgConnection,
    pipeline: Uuid,
    name: &str,
) -> Result<Uuid, AppError> {
    let name = parse_name(name)?;
    let id = Uuid::now_v7();
    // Make room before the won stage, which stays last.
    sqlx::query!(
        "UPDATE pipeline_stages SET position = position + 1 WHERE pipeline_id = $1 AND is_won",
        pipeline
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO pipeline_stages (id, pipeline_id, name, position)
         SELECT $1, $2, $3, coalesce(max(position) FILTER (WHERE NOT is_won), -1) + 1
         FROM pipeline_stages WHERE pipeline_id = $2",
        id,
        pipeline,
        name
    )
    .execute(conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(ref d) if d.is_foreign_key_violation() => AppError::NotFound,
        e => e.into(),
    })?;
    Ok(id)
}

/// Renames, folds or unfolds, and marks a stage as the won stage (the pipeline's former won
/// stage stops being one).
pub async fn save_stage(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
    folded: bool,
    is_won: bool,
) -> Result<(), AppError> {
    let name = parse_name(name)?;
    let pipeline = sqlx::query_scalar!(
        "SELECT pipeline_id FROM pipeline_stages WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if is_won {
        sqlx::query!(
            "UPDATE pipeline_stages SET is_won = false WHERE pipeline_id = $1 AND id <> $2",
            pipeline,
            id
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!(
        "UPDATE pipeline_stages SET name = $2, folded = $3, is_won = $4 WHERE id = $1",
        id,
        name,
        folded,
        is_won
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Swaps a stage with its neighbour to the left (`earlier`) or right.
pub async fn move_stage(conn: &mut PgConnection, id: Uuid, earlier: bool) -> Result<(), AppError> {
    let stage = sqlx::query!(
        "SELECT pipeline_id, position FROM pipeline_stages WHERE id = $1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    // Positions are made dense first, so that a swap always moves by one.
    sqlx::query!(
        "UPDATE pipeline_stages s SET position = n.rank
         FROM (SELECT id, (row_number() OVER (ORDER BY position, id) - 1)::int AS rank
               FROM pipeline_stages WHERE pipeline_id = $1) n
         WHERE s.id = n.id",
        stage.pipeline_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "WITH me AS (SELECT position FROM pipeline_stages WHERE id = $1),
              other AS (SELECT s.id, s.position FROM pipeline_stages s, me
                        WHERE s.pipeline_id = $2
                          AND s.position = me.position + CASE WHEN $3 THEN -1 ELSE 1 END)
         UPDATE pipeline_stages s SET position = CASE WHEN s.id = $1 THEN (SELECT position FROM other)
                                                      ELSE (SELECT position FROM me) END
         WHERE s.id IN ($1, (SELECT id FROM other))",
        id,
        stage.pipeline_id,
        earlier
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds a lost reason (`id` None) or renames and (de)activates one.
pub async fn save_lost_reason(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    name: &str,
    active: bool,
) -> Result<(), AppError> {
    let name = parse_name(name)?;
    match id {
        None => {
            sqlx::query!(
                "INSERT INTO lost_reasons (id, name, position, active)
                 VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM lost_reasons), $3)",
                Uuid::now_v7(),
                name,
                active
            )
            .execute(conn)
            .await?;
        }
        Some(id) => {
            let done = sqlx::query!(
                "UPDATE lost_reasons SET name = $2, active = $3 WHERE id = $1",
                id,
                name,
                active
            )
            .execute(conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound);
            }
        }
    }
    Ok(())
}

/// Adds an activity type (`id` None) or changes one: name, icon, default delay, active.
pub async fn save_activity_type(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    name: &str,
    icon: &str,
    delay_days: i32,
    active: bool,
) -> Result<(), AppError> {
    let name = parse_name(name)?;
    if !crate::activities::ICONS.contains(&icon) {
        return Err(AppError::invalid("icon", FieldProblem::ActivityTypeUnknown));
    }
    if !(0..=3650).contains(&delay_days) {
        return Err(AppError::invalid(
            "delay_days",
            FieldProblem::AmountTooLarge,
        ));
    }
    match id {
        None => {
            sqlx::query!(
                "INSERT INTO activity_types (id, name, icon, delay_days, position, active)
                 VALUES ($1, $2, $3, $4,
                         (SELECT coalesce(max(position), 0) + 1 FROM activity_types), $5)",
                Uuid::now_v7(),
                name,
                icon,
                delay_days,
                active
            )
            .execute(conn)
            .await?;
        }
        Some(id) => {
            let done = sqlx::query!(
                "UPDATE activity_types SET name = $2, icon = $3, delay_days = $4, active = $5
                 WHERE id = $1",
                id,
                name,
                icon,
                delay_days,
                active
            )
            .execute(conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(AppError::NotFound);
            }
        }
    }
    Ok(())
}
