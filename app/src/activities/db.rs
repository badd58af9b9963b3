//! Activities and timeline entries in Postgres, with the access rule of the record they
//! attach to.

use super::{
    Activity, ActivityCounts, ActivityType, MyActivities, Named, RecordKind, TimelineCursor,
    TimelineEntry, TimelineEvent, TimelinePage,
};
use crate::domain::activity::{state, ActivityDraft};
use crate::error::{AppError, FieldProblem};
use crate::shared::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub async fn types(conn: &mut PgConnection) -> Result<Vec<ActivityType>, AppError> {
    Ok(sqlx::query!(
        "SELECT id, key, name, icon, delay_days, active FROM activity_types ORDER BY position, id"
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| ActivityType {
        id: r.id,
        named: Named {
            key: r.key,
            name: r.name,
        },
        icon: r.icon,
        delay_days: r.delay_days,
        active: r.active,
    })
    .collect())
}

/// The type the dialog chose: an active one.
async fn type_id(conn: &mut PgConnection, draft: &ActivityDraft) -> Result<Uuid, AppError> {
    let unknown = || AppError::invalid("kind", FieldProblem::ActivityTypeUnknown);
    let id = Uuid::parse_str(&draft.kind).map_err(|_| unknown())?;
    sqlx::query_scalar!("SELECT id FROM activity_types WHERE id = $1 AND active", id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(unknown)
}

/// Plans an activity on a record; returns its id.
pub async fn schedule(
    conn: &mut PgConnection,
    kind: RecordKind,
    record: Uuid,
    draft: &ActivityDraft,
    assigned_to: Option<Uuid>,
    by: Uuid,
) -> Result<Uuid, AppError> {
    let type_id = type_id(conn, draft).await?;
    let id = Uuid::now_v7();
    let opportunity = (kind == RecordKind::Opportunity).then_some(record);
    sqlx::query!(
        "INSERT INTO activities (id, record_kind, record_id, opportunity_id, type_id, due_date,
                                 summary, note, assigned_to, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id,
        kind.as_str(),
        record,
        opportunity,
        type_id,
        draft.due,
        draft.summary,
        draft.note,
        assigned_to,
        by
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// The activity's record, for the access check; `None` when it does not exist.
pub async fn record_of(conn: &mut PgConnection, id: Uuid) -> Result<(RecordKind, Uuid), AppError> {
    let row = sqlx::query!(
        "SELECT record_kind, record_id FROM activities WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((
        RecordKind::parse(&row.record_kind).ok_or(AppError::Internal)?,
        row.record_id,
    ))
}

/// Saves an edit of an open activity made on `version`.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    draft: &ActivityDraft,
    assigned_to: Option<Uuid>,
) -> Result<(), AppError> {
    let type_id = type_id(conn, draft).await?;
    let row = sqlx::query!(
        "SELECT version, done_at FROM activities WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.done_at.is_some() {
        return Err(AppError::invalid("kind", FieldProblem::AlreadyDone));
    }
    if row.version != version {
        return Err(AppError::Conflict);
    }
    sqlx::query!(
        "UPDATE activities SET type_id = $2, due_date = $3, summary = $4, note = $5,
                assigned_to = $6, version = version + 1
         WHERE id = $1",
        id,
        type_id,
        draft.due,
        draft.summary,
        draft.note,
        assigned_to
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an open activity done with an optional feedback note, and logs it on its record's
/// timeline.
pub async fn mark_done(
    conn: &mut PgConnection,
    id: Uuid,
    feedback: &str,
    by: Uuid,
) -> Result<(), AppError> {
    let row = sqlx::query!(
        "UPDATE activities a SET done_at = now(), done_by = $2, feedback = $3,
                version = version + 1
         FROM activity_types ty
         WHERE a.id = $1 AND a.done_at IS NULL AND ty.id = a.type_id
         RETURNING a.record_kind, a.record_id, a.summary, a.note, ty.key, ty.name, ty.icon",
        id,
        by,
        feedback.trim()
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return match record_of(conn, id).await {
            Ok(_) => Err(AppError::invalid("feedback", FieldProblem::AlreadyDone)),
            Err(error) => Err(error),
        };
    };
    let kind = RecordKind::parse(&row.record_kind).ok_or(AppError::Internal)?;
    let event = TimelineEvent::ActivityDone {
        type_named: Named {
            key: row.key,
            name: row.name,
        },
        icon: row.icon,
        summary: row.summary,
        note: row.note,
        feedback: feedback.trim().to_string(),
    };
    log(conn, kind, row.record_id, Some(by), &event).await
}

/// Removes a planned activity (cancelled, not done).
pub async fn cancel(conn: &mut PgConnection, id: Uuid) -> Result<(), AppError> {
    let done = sqlx::query!(
        "DELETE FROM activities WHERE id = $1 AND done_at IS NULL",
        id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid("kind", FieldProblem::AlreadyDone));
    }
    Ok(())
}

struct ActivityRow {
    id: Uuid,
    record_kind: String,
    record_id: Uuid,
    record_label: Option<String>,
    type_id: Uuid,
    type_key: Option<String>,
    type_name: String,
    icon: String,
    due_date: NaiveDate,
    summary: String,
    note: String,
    assigned_id: Option<Uuid>,
    assigned_name: Option<String>,
    done_at: Option<DateTime<Utc>>,
    feedback: String,
    version: i32,
}

impl ActivityRow {
    fn activity(self, today: NaiveDate) -> Result<Activity, AppError> {
        Ok(Activity {
            id: self.id,
            record_kind: RecordKind::parse(&self.record_kind).ok_or(AppError::Internal)?,
            record_id: self.record_id,
            record_label: self.record_label.unwrap_or_default(),
            type_id: self.type_id,
            type_named: Named {
                key: self.type_key,
                name: self.type_name,
            },
            icon: self.icon,
            due_date: self.due_date,
            summary: self.summary,
            note: self.note,
            assigned_to: self
                .assigned_id
                .zip(self.assigned_name)
                .map(|(id, name)| UserRef { id, name }),
            state: self.done_at.is_none().then(|| state(self.due_date, today)),
            done_at: self.done_at,
            feedback: self.feedback,
            version: self.version,
        })
    }
}

/// The open activities of a record, earliest first.
pub async fn of_record(
    conn: &mut PgConnection,
    kind: RecordKind,
    id: Uuid,
    today: NaiveDate,
) -> Result<Vec<Activity>, AppError> {
    sqlx::query_as!(
        ActivityRow,
        r#"SELECT a.id, a.record_kind, a.record_id, NULL::text AS record_label, a.type_id,
                  ty.key AS type_key, ty.name AS type_name, ty.icon, a.due_date, a.summary, a.note,
                  a.assigned_to AS assigned_id, u.display_name AS "assigned_name?", a.done_at,
                  a.feedback, a.version
           FROM activities a
           JOIN activity_types ty ON ty.id = a.type_id
           LEFT JOIN users u ON u.id = a.assigned_to
           WHERE a.record_kind = $1 AND a.record_id = $2 AND a.done_at IS NULL
           ORDER BY a.due_date, a.id"#,
        kind.as_str(),
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| r.activity(today))
    .collect()
}

/// The user's open activities due between `from` and `to` (inclusive; `from` None: any
/// earlier date), with the label of their record, earliest first. At most 500.
pub async fn assigned_between(
    conn: &mut PgConnection,
    me: Uuid,
    from: Option<NaiveDate>,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Activity>, AppError> {
    sqlx::query_as!(
        ActivityRow,
        r#"SELECT a.id, a.record_kind, a.record_id,
                  CASE a.record_kind
                      WHEN 'opportunity' THEN (SELECT o.title FROM opportunities o WHERE o.id = a.record_id)
                      WHEN 'contact' THEN (SELECT c.name FROM contacts c WHERE c.id = a.record_id)
                      WHEN 'project' THEN (SELECT p.number || ' ' || p.title FROM projects p WHERE p.id = a.record_id)
                      WHEN 'task' THEN (SELECT t.title FROM tasks t WHERE t.id = a.record_id)
                      WHEN 'quote' THEN (SELECT q.number || ' ' || q.title FROM quotes q WHERE q.id = a.record_id)
                  END AS record_label,
                  a.type_id, ty.key AS type_key, ty.name AS type_name, ty.icon, a.due_date,
                  a.summary, a.note, a.assigned_to AS assigned_id,
                  u.display_name AS "assigned_name?", a.done_at, a.feedback, a.version
           FROM activities a
           JOIN activity_types ty ON ty.id = a.type_id
           LEFT JOIN users u ON u.id = a.assigned_to
           WHERE a.assigned_to = $1 AND a.done_at IS NULL
             AND ($2::date IS NULL OR a.due_date >= $2) AND a.due_date <= $3
           ORDER BY a.due_date, a.id
           LIMIT 500"#,
        me,
        from,
        to
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| r.activity(today))
    .collect()
}

/// My activities: overdue, due today and the coming four weeks.
pub async fn mine(
    conn: &mut PgConnection,
    me: Uuid,
    today: NaiveDate,
) -> Result<MyActivities, AppError> {
    let until = today + chrono::Duration::days(28);
    let all = assigned_between(conn, me, None, until, today).await?;
    let mut mine = MyActivities {
        today,
        ..MyActivities::default()
    };
    for activity in all {
        match activity.state {
            Some(crate::domain::activity::ActivityState::Overdue) => mine.overdue.push(activity),
            Some(crate::domain::activity::ActivityState::Today) => mine.due_today.push(activity),
            _ => mine.upcoming.push(activity),
        }
    }
    Ok(mine)
}

pub async fn counts(
    conn: &mut PgConnection,
    me: Uuid,
    today: NaiveDate,
) -> Result<ActivityCounts, AppError> {
    let row = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE due_date < $2) AS "overdue!",
                  count(*) FILTER (WHERE due_date = $2) AS "today!"
           FROM activities WHERE assigned_to = $1 AND done_at IS NULL AND due_date <= $2"#,
        me,
        today
    )
    .fetch_one(conn)
    .await?;
    Ok(ActivityCounts {
        overdue: row.overdue,
        today: row.today,
    })
}

/// Appends an entry to a record's timeline.
pub async fn log(
    conn: &mut PgConnection,
    kind: RecordKind,
    record: Uuid,
    by: Option<Uuid>,
    event: &TimelineEvent,
) -> Result<(), AppError> {
    let payload = serde_json::to_value(event).map_err(|error| {
        tracing::error!(%error, "timeline event not serialisable");
        AppError::Internal
    })?;
    sqlx::query!(
        "INSERT INTO timeline_entries (id, record_kind, record_id, user_id, kind, payload)
         VALUES ($1, $2, $3, $4, $5, $6)",
        Uuid::now_v7(),
        kind.as_str(),
        record,
        by,
        event.kind(),
        payload
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Entries in a page of a timeline.
pub const TIMELINE_PAGE: i64 = 30;

/// A record's timeline, newest first, after `after`.
pub async fn timeline(
    conn: &mut PgConnection,
    kind: RecordKind,
    record: Uuid,
    after: Option<TimelineCursor>,
) -> Result<TimelinePage, AppError> {
    let (at, id) = after.map_or((None, None), |c| (Some(c.at), Some(c.id)));
    let rows = sqlx::query!(
        r#"SELECT e.id, e.at, u.display_name AS "user?", e.payload
           FROM timeline_entries e LEFT JOIN users u ON u.id = e.user_id
           WHERE e.record_kind = $1 AND e.record_id = $2
             AND ($3::timestamptz IS NULL OR (e.at, e.id) < ($3, $4::uuid))
           ORDER BY e.at DESC, e.id DESC
           LIMIT $5"#,
        kind.as_str(),
        record,
        at,
        id,
        TIMELINE_PAGE + 1
    )
    .fetch_all(conn)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let event = serde_json::from_value(row.payload).map_err(|error| {
            tracing::error!(%error, "unreadable timeline entry");
            AppError::Internal
        })?;
        entries.push(TimelineEntry {
            id: row.id,
            at: row.at,
            user: row.user,
            event,
        });
    }
    let next = if entries.len() as i64 > TIMELINE_PAGE {
        entries.truncate(TIMELINE_PAGE as usize);
        entries
            .last()
            .map(|e| TimelineCursor { at: e.at, id: e.id })
    } else {
        None
    };
    Ok(TimelinePage { entries, next })
}
