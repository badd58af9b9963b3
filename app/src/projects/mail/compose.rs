//! What a project e-mail says and how it leaves: the values of its placeholders from the
//! project, the recipient and the appointment, in the recipient's language; and sending, which
//! stores an appointment's calendar invitation for the outbox and writes the message in the
//! same transaction as its timeline entry.

use super::db::{self, MailFacts};
use super::{default_recipient, MailForm, MailRecipient, MailRequest, PreparedMail};
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::domain::email::MailDraft;
use crate::domain::project_mail::{
    appointment_title, next_tasks_text, Appointment, AppointmentError, Invitation, MailKind,
    Placeholder, TemplateError, Values,
};
use crate::domain::{Language, ProjectOp, ProjectState};
use crate::error::{AppError, FieldProblem};
use crate::i18n::{td_string, Locale};
use crate::locale::{format_date_long, to_locale};
use crate::state::AppState;
use sqlx::PgConnection;
use uuid::Uuid;

/// A template the rules refuse, as the settings form shows it.
pub fn template_refused(error: TemplateError) -> AppError {
    let problem = match &error {
        TemplateError::SubjectRequired | TemplateError::BodyRequired => FieldProblem::TextRequired,
        TemplateError::SubjectTooLong | TemplateError::BodyTooLong => FieldProblem::TextTooLong,
        TemplateError::UnknownPlaceholder { .. } => FieldProblem::PlaceholderUnknown,
    };
    AppError::invalid(error.field(), problem)
}

/// An appointment the rules refuse, on the field it names.
fn appointment_refused((error, field): (AppointmentError, &'static str)) -> AppError {
    let problem = match error {
        AppointmentError::DateRequired | AppointmentError::TimeRequired => {
            FieldProblem::ValueRequired
        }
        AppointmentError::DateMalformed | AppointmentError::TimeMalformed => {
            FieldProblem::DateMalformed
        }
        AppointmentError::EndBeforeStart => FieldProblem::EndBeforeStart,
        AppointmentError::AddressTooLong => FieldProblem::TextTooLong,
    };
    AppError::invalid(field, problem)
}

/// The recipient `asked` for, which must be a client contact of the project with an address.
fn asked_for(recipients: &[MailRecipient], asked: Uuid) -> Result<&MailRecipient, AppError> {
    recipients
        .iter()
        .find(|r| r.contact.id == asked)
        .ok_or_else(|| AppError::invalid("contact", FieldProblem::ContactUnknown))
}

fn state_label(locale: Locale, state: ProjectState) -> &'static str {
    match state {
        ProjectState::Planned => td_string!(locale, projects.state_planned),
        ProjectState::InProgress => td_string!(locale, projects.state_in_progress),
        ProjectState::OnHold => td_string!(locale, projects.state_on_hold),
        ProjectState::Completed => td_string!(locale, projects.state_completed),
        ProjectState::Closed => td_string!(locale, projects.state_closed),
    }
}

/// The placeholders' values for a message in `language`.
fn values(
    language: Language,
    facts: &MailFacts,
    recipient: Option<&MailRecipient>,
    appointment: Option<&Appointment>,
    sender: &str,
) -> Values {
    let contact = recipient
        .map(|r| r.contact.name.clone())
        .unwrap_or_default();
    let customer = if facts.customer.is_empty() {
        contact.clone()
    } else {
        facts.customer.clone()
    };
    let next: Vec<(String, Option<String>)> = facts
        .next_tasks
        .iter()
        .map(|(title, day)| (title.clone(), day.map(|d| format_date_long(language, d))))
        .collect();
    let values = Values::default()
        .with(Placeholder::Contact, contact)
        .with(Placeholder::Customer, customer)
        .with(Placeholder::Project, facts.title.clone())
        .with(Placeholder::ProjectNumber, facts.number.clone())
        .with(
            Placeholder::State,
            state_label(to_locale(language), facts.state),
        )
        .with(Placeholder::TasksDone, facts.tasks_done.to_string())
        .with(Placeholder::TasksTotal, facts.tasks_total.to_string())
        .with(Placeholder::NextTasks, next_tasks_text(&next, language))
        .with(Placeholder::Sender, sender)
        .with(Placeholder::Company, facts.company.clone());
    match appointment {
        Some(appointment) => values
            .with(
                Placeholder::Date,
                format_date_long(language, appointment.date),
            )
            .with(
                Placeholder::Time,
                appointment.start.format("%H:%M").to_string(),
            )
            .with(
                Placeholder::EndTime,
                appointment.end.format("%H:%M").to_string(),
            )
            .with(Placeholder::Address, appointment.address.clone()),
        None => values,
    }
}

/// The message of `request` for its recipient (or the default one of its kind) in the
/// recipient's language, with an appointment's address filled in from the recipient or the
/// customer when the user gave none.
pub async fn prepare(
    conn: &mut PgConnection,
    user: &CurrentUser,
    request: &MailRequest,
) -> Result<PreparedMail, AppError> {
    let recipients = db::recipients(conn, request.project, user.language).await?;
    let recipient = match request.contact {
        Some(asked) => Some(asked_for(&recipients, asked)?),
        None => default_recipient(request.kind, &recipients),
    };
    let contact = recipient.map(|r| r.contact.id);
    let language = recipient.map_or(user.language, |r| r.language);
    let facts = db::facts(conn, request.project, contact).await?;
    let mut asked = request.appointment.clone();
    if asked.address.trim().is_empty() {
        asked.address = facts.address.clone();
    }
    let appointment = match request.kind {
        MailKind::Appointment => Some(Appointment::parse(&asked).map_err(appointment_refused)?),
        MailKind::Status => None,
    };
    let template = db::template(conn, request.kind, language).await?;
    let values = values(
        language,
        &facts,
        recipient,
        appointment.as_ref(),
        &user.display_name,
    );
    let (subject, body) = template.render(&values);
    Ok(PreparedMail {
        contact,
        language,
        subject,
        body,
        address: appointment.map(|a| a.address).unwrap_or_default(),
        recipients,
    })
}

/// Sends the message as edited: checked, to a client contact of the project with an address,
/// refused like any change when the project is closed or locked. An appointment confirmation
/// carries its calendar invitation, stored before the transaction commits and removed again
/// when it does not.
pub async fn send(state: &AppState, user: &CurrentUser, form: &MailForm) -> Result<(), AppError> {
    let request = &form.request;
    let mut tx = crate::state::begin(&state.pool).await?;
    crate::projects::db::require(&mut tx, user, request.project, ProjectOp::ManageContacts).await?;
    let recipients = db::recipients(&mut tx, request.project, user.language).await?;
    let asked = request
        .contact
        .ok_or_else(|| AppError::invalid("contact", FieldProblem::ContactUnknown))?;
    let recipient = asked_for(&recipients, asked)?;
    let mail = MailDraft::parse(&recipient.email, &form.subject, &form.body)?;
    let to = mail.to.as_str().to_string();
    let (invitation, event) = match request.kind {
        MailKind::Status => (
            None,
            TimelineEvent::StatusSent {
                to,
                subject: mail.subject.clone(),
            },
        ),
        MailKind::Appointment => {
            let appointment =
                Appointment::parse(&request.appointment).map_err(appointment_refused)?;
            let (starts, ends) = db::in_users_zone(&mut tx, user.id, &appointment).await?;
            let facts = db::facts(&mut tx, request.project, Some(asked)).await?;
            let id = Uuid::now_v7();
            let ics = Invitation {
                uid: format!("{id}@atrium"),
                stamp: chrono::Utc::now(),
                starts,
                ends,
                summary: format!("{}: {}", appointment_title(recipient.language), facts.title),
                location: appointment.address.clone(),
                description: mail.body.clone(),
                organizer: (user.display_name.clone(), user.email.clone()),
                attendee: (recipient.contact.name.clone(), to.clone()),
            }
            .to_ics();
            let key = format!("project-mail/{id}.ics");
            let path = object_store::path::Path::from(key.as_str());
            state
                .files
                .put(&path, ics.into_bytes().into())
                .await
                .map_err(|error| {
                    tracing::error!(%error, "calendar invitation not stored");
                    AppError::Internal
                })?;
            let name = format!("{}.ics", facts.number);
            let event = TimelineEvent::AppointmentSent {
                to,
                subject: mail.subject.clone(),
                starts,
            };
            (Some((key, name, path)), event)
        }
    };
    let attachment = invitation
        .as_ref()
        .map(|(key, name, _)| (key.as_str(), name.as_str()));
    let sent = async {
        db::send(&mut tx, user, request.project, &mail, attachment, &event).await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    if let (Err(_), Some((_, _, path))) = (&sent, &invitation) {
        let _ = state.files.delete(path).await;
    }
    sent
}
