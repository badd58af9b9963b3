//! Server functions of activities and timelines. Each checks the caller's access to the
//! record first; "today" is the caller's own day.

use super::{
    Activity, ActivityCounts, ActivityType, MyActivities, RecordKind, TimelineCursor, TimelinePage,
};
use crate::domain::activity::ActivityInput;
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::session,
    crate::domain::activity::ActivityDraft,
    crate::error::{respond, FieldProblem},
    crate::state::app_state,
    sqlx::PgConnection,
};

#[cfg(feature = "ssr")]
fn parse_draft(input: &ActivityInput) -> Result<ActivityDraft, AppError> {
    ActivityDraft::parse(input).map_err(|(error, field)| AppError::invalid(field, error.into()))
}

/// The person an activity is assigned to: the one picked, or the caller.
#[cfg(feature = "ssr")]
async fn assignee(conn: &mut PgConnection, text: &str, me: Uuid) -> Result<Uuid, AppError> {
    match text.trim() {
        "" => Ok(me),
        text => {
            let id = Uuid::parse_str(text)
                .map_err(|_| AppError::invalid("assigned_to", FieldProblem::UserUnknown))?;
            crate::projects::db::resolve_user(conn, Some(id), "assigned_to")
                .await
                .map(|id| id.unwrap_or(me))
        }
    }
}

#[server(endpoint = "activities/types")]
pub async fn activity_types() -> Result<Vec<ActivityType>, AppError> {
    respond(
        async {
            session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::types(&mut conn).await
        }
        .await,
    )
}

#[server(endpoint = "activities/of_record")]
pub async fn record_activities(kind: RecordKind, id: Uuid) -> Result<Vec<Activity>, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::require_record(&mut conn, &user, kind, id, false).await?;
            db::of_record(&mut conn, kind, id, user.today()).await
        }
        .await,
    )
}

/// The feedback of a done activity, bounded like any note.
#[cfg(feature = "ssr")]
fn parse_feedback(text: &str) -> Result<String, AppError> {
    crate::domain::project::parse_text(text, crate::domain::activity::FEEDBACK_MAX)
        .map_err(|e| AppError::invalid("feedback", e.into()))
}

/// Plans an activity on a record. `done` marks it done at once (with `feedback`), as the
/// dialog's "Mark as done" does for an activity that has just happened.
#[server(endpoint = "activities/schedule")]
pub async fn schedule_activity(
    kind: RecordKind,
    id: Uuid,
    activity: ActivityInput,
    #[server(default)] assigned_to: String,
    #[server(default)] done: bool,
    #[server(default)] feedback: String,
) -> Result<Uuid, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let draft = parse_draft(&activity)?;
            let feedback = parse_feedback(&feedback)?;
            let mut tx = app_state()?.pool.begin().await?;
            db::require_record(&mut tx, &user, kind, id, true).await?;
            let assigned = assignee(&mut tx, &assigned_to, user.id).await?;
            let created = db::schedule(&mut tx, kind, id, &draft, Some(assigned), user.id).await?;
            if done {
                db::mark_done(&mut tx, created, &feedback, user.id).await?;
            }
            tx.commit().await?;
            Ok(created)
        }
        .await,
    )
}

#[server(endpoint = "activities/update")]
pub async fn update_activity(
    id: Uuid,
    version: i32,
    activity: ActivityInput,
    #[server(default)] assigned_to: String,
) -> Result<(), AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let draft = parse_draft(&activity)?;
            let mut tx = app_state()?.pool.begin().await?;
            let (kind, record) = db::record_of(&mut tx, id).await?;
            db::require_record(&mut tx, &user, kind, record, true).await?;
            let assigned = assignee(&mut tx, &assigned_to, user.id).await?;
            db::update(&mut tx, id, version, &draft, Some(assigned)).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Marks an activity done, with an optional feedback note, logged on its record's timeline.
#[server(endpoint = "activities/done")]
pub async fn mark_activity_done(
    id: Uuid,
    #[server(default)] feedback: String,
) -> Result<(), AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let feedback = parse_feedback(&feedback)?;
            let mut tx = app_state()?.pool.begin().await?;
            let (kind, record) = db::record_of(&mut tx, id).await?;
            db::require_record(&mut tx, &user, kind, record, true).await?;
            db::mark_done(&mut tx, id, &feedback, user.id).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activities/cancel")]
pub async fn cancel_activity(id: Uuid) -> Result<(), AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut tx = app_state()?.pool.begin().await?;
            let (kind, record) = db::record_of(&mut tx, id).await?;
            db::require_record(&mut tx, &user, kind, record, true).await?;
            db::cancel(&mut tx, id).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activities/mine")]
pub async fn load_my_activities() -> Result<MyActivities, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::mine(&mut conn, user.id, user.today()).await
        }
        .await,
    )
}

/// The caller's open activities due from `from` to `to` (a calendar's month or week).
#[server(endpoint = "activities/between")]
pub async fn activities_between(from: NaiveDate, to: NaiveDate) -> Result<Vec<Activity>, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            if to < from || (to - from).num_days() > 62 {
                return Err(AppError::invalid("to", FieldProblem::EndBeforeStart));
            }
            let mut conn = app_state()?.pool.acquire().await?;
            db::assigned_between(&mut conn, user.id, Some(from), to, user.today()).await
        }
        .await,
    )
}

#[server(endpoint = "activities/counts")]
pub async fn load_activity_counts() -> Result<ActivityCounts, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::counts(&mut conn, user.id, user.today()).await
        }
        .await,
    )
}

#[server(endpoint = "timeline/page")]
pub async fn load_timeline(
    kind: RecordKind,
    id: Uuid,
    #[server(default)] after: Option<TimelineCursor>,
) -> Result<TimelinePage, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::require_record(&mut conn, &user, kind, id, false).await?;
            db::timeline(&mut conn, kind, id, after).await
        }
        .await,
    )
}

/// Logs a note on a record's timeline.
#[server(endpoint = "timeline/note")]
pub async fn log_note(kind: RecordKind, id: Uuid, text: String) -> Result<(), AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let text = text.trim();
            if text.is_empty() {
                return Err(AppError::invalid("text", FieldProblem::TextRequired));
            }
            if text.chars().count() > 10_000 {
                return Err(AppError::invalid("text", FieldProblem::TextTooLong));
            }
            let mut tx = app_state()?.pool.begin().await?;
            db::require_record(&mut tx, &user, kind, id, true).await?;
            let event = super::TimelineEvent::Note {
                text: text.to_string(),
            };
            db::log(&mut tx, kind, id, Some(user.id), &event).await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}
