//! Server functions of activities and timelines. Each checks the caller's access to the
//! record first; "today" is the caller's own day.

use super::{
    Activity, ActivityCounts, ActivityType, MyActivities, RecordKind, TimelineCursor, TimelinePage,
};
use crate::codec::JsonAnswer;
use crate::domain::activity::ActivityInput;
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::db, crate::domain::activity::ActivityDraft, crate::error::FieldProblem,
    sqlx::PgConnection,
};

#[cfg(feature = "ssr")]
fn parse_draft(input: &ActivityInput) -> Result<ActivityDraft, AppError> {
    ActivityDraft::parse(input).map_err(|(error, field)| AppError::invalid(field, error.into()))
}

/// The person an activity is assigned to: the one picked, or the caller.
#[cfg(feature = "ssr")]
async fn assignee(
    conn: &mut PgConnection,
    picked: Option<Uuid>,
    me: Uuid,
) -> Result<Uuid, AppError> {
    crate::shared::db::resolve_user(conn, picked, "assigned_to")
        .await
        .map(|id| id.unwrap_or(me))
}

#[server(endpoint = "activities/types", output = JsonAnswer)]
pub async fn activity_types() -> Result<Vec<ActivityType>, AppError> {
    crate::api::read(async |_user, conn| db::types(conn).await).await
}

#[server(endpoint = "activities/of_record", output = JsonAnswer)]
pub async fn record_activities(kind: RecordKind, id: Uuid) -> Result<Vec<Activity>, AppError> {
    crate::api::read(async |user, conn| {
        crate::registry::access::require_record(conn, &user, kind, id, false).await?;
        db::of_record(conn, kind, id, user.today()).await
    })
    .await
}

/// The feedback of a done activity, bounded like any note.
#[cfg(feature = "ssr")]
fn parse_feedback(text: &str) -> Result<String, AppError> {
    crate::domain::project::parse_text(text, crate::domain::activity::FEEDBACK_MAX)
        .map_err(|e| AppError::invalid("feedback", e.into()))
}

/// Plans an activity on a record. `done` marks it done at once (with `feedback`), as the
/// dialog's "Mark as done" does for an activity that has just happened.
#[server(endpoint = "activities/schedule", output = JsonAnswer)]
pub async fn schedule_activity(
    kind: RecordKind,
    id: Uuid,
    activity: ActivityInput,
    #[server(default)] assigned_to: Option<Uuid>,
    #[server(default)] done: bool,
    #[server(default)] feedback: String,
) -> Result<Uuid, AppError> {
    crate::api::write(async |user, tx| {
        let draft = parse_draft(&activity)?;
        let feedback = parse_feedback(&feedback)?;
        crate::registry::access::require_record(tx, &user, kind, id, true).await?;
        let assigned = assignee(tx, assigned_to, user.id).await?;
        let created = db::schedule(tx, kind, id, &draft, Some(assigned), user.id).await?;
        if done {
            db::mark_done(tx, created, &feedback, user.id).await?;
        }
        Ok(created)
    })
    .await
}

#[server(endpoint = "activities/update", output = JsonAnswer)]
pub async fn update_activity(
    id: Uuid,
    version: i32,
    activity: ActivityInput,
    #[server(default)] assigned_to: Option<Uuid>,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let draft = parse_draft(&activity)?;
        let (kind, record) = db::record_of(tx, id).await?;
        crate::registry::access::require_record(tx, &user, kind, record, true).await?;
        let assigned = assignee(tx, assigned_to, user.id).await?;
        db::update(tx, id, version, &draft, Some(assigned)).await
    })
    .await
}

/// Marks an activity done, with an optional feedback note, logged on its record's timeline.
#[server(endpoint = "activities/done", output = JsonAnswer)]
pub async fn mark_activity_done(
    id: Uuid,
    #[server(default)] feedback: String,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let feedback = parse_feedback(&feedback)?;
        let (kind, record) = db::record_of(tx, id).await?;
        crate::registry::access::require_record(tx, &user, kind, record, true).await?;
        db::mark_done(tx, id, &feedback, user.id).await
    })
    .await
}

#[server(endpoint = "activities/cancel", output = JsonAnswer)]
pub async fn cancel_activity(id: Uuid) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let (kind, record) = db::record_of(tx, id).await?;
        crate::registry::access::require_record(tx, &user, kind, record, true).await?;
        db::cancel(tx, id).await
    })
    .await
}

#[server(endpoint = "activities/mine", output = JsonAnswer)]
pub async fn load_my_activities() -> Result<MyActivities, AppError> {
    crate::api::read(async |user, conn| db::mine(conn, user.id, user.today()).await).await
}

/// The caller's open activities due from `from` to `to` (a calendar's month or week).
#[server(endpoint = "activities/between", output = JsonAnswer)]
pub async fn activities_between(from: NaiveDate, to: NaiveDate) -> Result<Vec<Activity>, AppError> {
    crate::api::read(async |user, conn| {
        if to < from || (to - from).num_days() > 62 {
            return Err(AppError::invalid("to", FieldProblem::EndBeforeStart));
        }
        db::assigned_between(conn, user.id, Some(from), to, user.today()).await
    })
    .await
}

#[server(endpoint = "activities/counts", output = JsonAnswer)]
pub async fn load_activity_counts() -> Result<ActivityCounts, AppError> {
    crate::api::read(async |user, conn| db::counts(conn, user.id, user.today()).await).await
}

#[server(endpoint = "timeline/page", output = JsonAnswer)]
pub async fn load_timeline(
    kind: RecordKind,
    id: Uuid,
    #[server(default)] after: Option<TimelineCursor>,
) -> Result<TimelinePage, AppError> {
    crate::api::read(async |user, conn| {
        crate::registry::access::require_record(conn, &user, kind, id, false).await?;
        db::timeline(conn, kind, id, after).await
    })
    .await
}

/// Logs a note on a record's timeline.
#[server(endpoint = "timeline/note", output = JsonAnswer)]
pub async fn log_note(kind: RecordKind, id: Uuid, text: String) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::invalid("text", FieldProblem::TextRequired));
        }
        if text.chars().count() > 10_000 {
            return Err(AppError::invalid("text", FieldProblem::TextTooLong));
        }
        crate::registry::access::require_record(tx, &user, kind, id, true).await?;
        let event = super::TimelineEvent::Note {
            text: text.to_string(),
        };
        db::log(tx, kind, id, Some(user.id), &event).await
    })
    .await
}
