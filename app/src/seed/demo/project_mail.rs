//! The demo company's project e-mails: an appointment confirmation to the execution contact
//! of the running office renovation, so that the Outbox and the project's timeline show one.
//! It is marked delivered and carries no invitation file: the demo sends nothing to its
//! made-up addresses, and it loads before any file store is at hand.

use crate::activities::TimelineEvent;
use crate::domain::email::MailDraft;
use crate::domain::project_mail::{Appointment, AppointmentInput, MailKind};
use crate::error::AppError;
use crate::projects::mail::{compose, db, MailRequest};
use chrono::{Duration, NaiveDate};
use sqlx::PgConnection;

const PROJECT: &str = "Renovatie kantoorpand Keizersgracht";
const SENDER: &str = "anna@atrium.example";

pub async fn load(conn: &mut PgConnection, today: NaiveDate) -> Result<(), AppError> {
    let project = sqlx::query_scalar!(
        "SELECT id FROM projects WHERE title = $1 AND state <> 'closed' AND NOT locked
         ORDER BY number LIMIT 1",
        PROJECT
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(project) = project else {
        // Gone from this demo database, or closed: there is no visit to confirm.
        return Ok(());
    };
    let anna = super::sales::user(conn, SENDER).await?;
    let request = MailRequest {
        project,
        kind: MailKind::Appointment,
        contact: None,
        appointment: AppointmentInput {
            date: (today + Duration::days(3)).to_string(),
            start: "10:00".to_string(),
            end: "11:30".to_string(),
            address: String::new(),
        },
    };
    let prepared = compose::prepare(conn, &anna, &request).await?;
    let Some(recipient) = prepared
        .recipients
        .iter()
        .find(|r| Some(r.contact.id) == prepared.contact)
    else {
        return Ok(());
    };
    let mail = MailDraft::parse(&recipient.email, &prepared.subject, &prepared.body)?;
    let appointment = Appointment::parse(&AppointmentInput {
        address: prepared.address.clone(),
        ..request.appointment.clone()
    })
    .map_err(|(error, field)| {
        tracing::error!(%error, field, "the demo appointment does not parse");
        AppError::Internal
    })?;
    let (starts, _) = db::in_users_zone(conn, anna.id, &appointment).await?;
    let event = TimelineEvent::AppointmentSent {
        to: mail.to.as_str().to_string(),
        subject: mail.subject.clone(),
        starts,
    };
    let message = db::send(conn, &anna, project, &mail, None, &event).await?;
    sqlx::query!(
        "UPDATE outbox_messages SET status = 'sent', sent_at = now(), attempts = 1 WHERE id = $1",
        message
    )
    .execute(conn)
    .await?;
    Ok(())
}
