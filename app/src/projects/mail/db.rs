//! Project e-mails in Postgres: the client contacts a message can go to, what the texts say of
//! the project, the company's own texts, an appointment's times in the user's time zone, and
//! the message written into the outbox with its entry on the project's timeline.

use super::{MailRecipient, TemplateLine};
use crate::activities::db::log;
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::contacts::ContactRef;
use crate::domain::email::MailDraft;
use crate::domain::project_mail::{
    recipient_language, Appointment, MailKind, Template, INVITATION_TYPE, NEXT_TASKS,
};
use crate::domain::{Language, ProjectState};
use crate::error::AppError;
use crate::outbox::db::{enqueue, NewMessage};
use crate::projects::ContactRole;
use crate::shared::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The project's client contacts with an e-mail address, each once with its roles, and the
/// language each is written to in: its own, else its country's, the customer's or the
/// company's, else `fallback`.
pub async fn recipients(
    conn: &mut PgConnection,
    project: Uuid,
    fallback: Language,
) -> Result<Vec<MailRecipient>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT pc.role, c.id, c.name, c.emails[1] AS "email!", c.language, c.country,
                  cu.country AS "customer_country?",
                  (SELECT company_country FROM company_settings) AS "company_country!"
           FROM project_contacts pc
           JOIN contacts c ON c.id = pc.contact_id
           JOIN projects p ON p.id = pc.project_id
           LEFT JOIN contacts cu ON cu.id = p.customer_id
           WHERE pc.project_id = $1 AND cardinality(c.emails) > 0
           ORDER BY c.sort_name, c.id,
                    array_position(ARRAY['tender', 'billing', 'execution'], pc.role)
           LIMIT 100"#,
        project
    )
    .fetch_all(conn)
    .await?;
    let mut recipients: Vec<MailRecipient> = Vec::new();
    for row in rows {
        let role = ContactRole::parse(&row.role).ok_or(AppError::Internal)?;
        if let Some(known) = recipients.last_mut().filter(|r| r.contact.id == row.id) {
            known.roles.push(role);
            continue;
        }
        let countries = [
            row.country.as_deref(),
            row.customer_country.as_deref(),
            Some(row.company_country.as_str()),
        ];
        let language = recipient_language(row.language.as_deref(), &countries, fallback);
        recipients.push(MailRecipient {
            contact: ContactRef {
                id: row.id,
                name: row.name,
            },
            email: row.email,
            roles: vec![role],
            language,
        });
    }
    Ok(recipients)
}

/// What the texts say of a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailFacts {
    pub number: String,
    pub title: String,
    /// The customer's name; empty for a project without one.
    pub customer: String,
    pub state: ProjectState,
    pub tasks_done: i64,
    pub tasks_total: i64,
    /// The next open tasks, earliest first: the title and the start (else due) day.
    pub next_tasks: Vec<(String, Option<NaiveDate>)>,
    pub company: String,
    /// Where an appointment is unless the user says otherwise: the recipient's address, else
    /// the customer's; empty when neither has a street.
    pub address: String,
}

/// The facts of `project` for a message to `recipient`: two statements, whatever the number
/// of tasks.
pub async fn facts(
    conn: &mut PgConnection,
    project: Uuid,
    recipient: Option<Uuid>,
) -> Result<MailFacts, AppError> {
    let row = sqlx::query!(
        r#"SELECT p.number, p.title, p.state, cu.name AS "customer?",
                  cu.street AS "customer_street?", cu.postcode AS "customer_postcode?",
                  cu.city AS "customer_city?",
                  co.street AS "contact_street?", co.postcode AS "contact_postcode?",
                  co.city AS "contact_city?",
                  (SELECT company_name FROM company_settings) AS "company!",
                  (SELECT count(*) FROM tasks t
                   WHERE t.project_id = p.id AND t.status = 'completed') AS "done!",
                  (SELECT count(*) FROM tasks t WHERE t.project_id = p.id) AS "total!"
           FROM projects p
           LEFT JOIN contacts cu ON cu.id = p.customer_id
           LEFT JOIN contacts co ON co.id = $2
           WHERE p.id = $1"#,
        project,
        recipient
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let next_tasks = sqlx::query!(
        r#"SELECT title, coalesce(start_date, due_date) AS "day?"
           FROM tasks
           WHERE project_id = $1 AND status NOT IN ('completed', 'deferred')
           ORDER BY coalesce(start_date, due_date) NULLS LAST, position, id
           LIMIT $2"#,
        project,
        NEXT_TASKS as i64
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|task| (task.title, task.day))
    .collect();
    let address = address_of(row.contact_street, row.contact_postcode, row.contact_city)
        .or_else(|| {
            address_of(
                row.customer_street,
                row.customer_postcode,
                row.customer_city,
            )
        })
        .unwrap_or_default();
    Ok(MailFacts {
        number: row.number,
        title: row.title,
        customer: row.customer.unwrap_or_default(),
        state: ProjectState::parse(&row.state).ok_or_else(|| {
            tracing::error!(
                state = row.state.as_str(),
                "unknown project state in the database"
            );
            AppError::Internal
        })?,
        tasks_done: row.done,
        tasks_total: row.total,
        next_tasks,
        company: if row.company.trim().is_empty() {
            "Atrium".to_string()
        } else {
            row.company
        },
        address,
    })
}

/// "Keizersgracht 112, 1015 CW Amsterdam", when there is a street.
fn address_of(
    street: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
) -> Option<String> {
    let street = street.unwrap_or_default().trim().to_string();
    if street.is_empty() {
        return None;
    }
    let place = format!(
        "{} {}",
        postcode.unwrap_or_default().trim(),
        city.unwrap_or_default().trim()
    )
    .trim()
    .to_string();
    Some(if place.is_empty() {
        street
    } else {
        format!("{street}, {place}")
    })
}

/// The text of `kind` in `language`: the company's own, else the standard one.
pub async fn template(
    conn: &mut PgConnection,
    kind: MailKind,
    language: Language,
) -> Result<Template, AppError> {
    let own = sqlx::query!(
        "SELECT subject, body FROM mail_templates WHERE kind = $1 AND language = $2",
        kind.as_str(),
        language.code()
    )
    .fetch_optional(conn)
    .await?;
    Ok(match own {
        Some(own) => Template::parse(kind, &own.subject, &own.body).unwrap_or_else(|error| {
            // It passed when it was saved; should the rules have changed since, the
            // standard text still gets the e-mail out.
            tracing::warn!(%error, kind = kind.as_str(), language = language.code(),
                "a saved mail template no longer passes its checks");
            Template::standard(kind, language)
        }),
        None => Template::standard(kind, language),
    })
}

/// Every kind in every language, the company's own text where it has one: ten rows at most.
pub async fn templates(conn: &mut PgConnection) -> Result<Vec<TemplateLine>, AppError> {
    let own = sqlx::query!(
        r#"SELECT t.kind, t.language, t.subject, t.body, t.version, t.updated_at,
                  u.display_name AS "updated_by?"
           FROM mail_templates t LEFT JOIN users u ON u.id = t.updated_by"#
    )
    .fetch_all(conn)
    .await?;
    let mut lines = Vec::new();
    for kind in MailKind::ALL {
        for language in Language::ALL {
            let saved = own
                .iter()
                .find(|t| t.kind == kind.as_str() && t.language == language.code());
            lines.push(match saved {
                Some(saved) => TemplateLine {
                    kind,
                    language,
                    subject: saved.subject.clone(),
                    body: saved.body.clone(),
                    custom: true,
                    version: saved.version,
                    updated_by: saved.updated_by.clone(),
                    updated_at: Some(saved.updated_at),
                },
                None => {
                    let standard = Template::standard(kind, language);
                    TemplateLine {
                        kind,
                        language,
                        subject: standard.subject().to_string(),
                        body: standard.body().to_string(),
                        custom: false,
                        version: 0,
                        updated_by: None,
                        updated_at: None,
                    }
                }
            });
        }
    }
    Ok(lines)
}

/// Saves the company's own text as edited on `version` (0: on the standard text).
pub async fn save_template(
    conn: &mut PgConnection,
    kind: MailKind,
    language: Language,
    version: i32,
    template: &Template,
    by: Uuid,
) -> Result<(), AppError> {
    let saved = if version == 0 {
        sqlx::query!(
            "INSERT INTO mail_templates (kind, language, subject, body, updated_by)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (kind, language) DO NOTHING",
            kind.as_str(),
            language.code(),
            template.subject(),
            template.body(),
            by
        )
        .execute(conn)
        .await?
    } else {
        sqlx::query!(
            "UPDATE mail_templates SET subject = $3, body = $4, updated_by = $5,
                    updated_at = now(), version = version + 1
             WHERE kind = $1 AND language = $2 AND version = $6",
            kind.as_str(),
            language.code(),
            template.subject(),
            template.body(),
            by,
            version
        )
        .execute(conn)
        .await?
    };
    AppError::one_row_or_conflict(saved.rows_affected())
}

/// Goes back to the standard text, from the company's own text as read at `version`.
pub async fn reset_template(
    conn: &mut PgConnection,
    kind: MailKind,
    language: Language,
    version: i32,
) -> Result<(), AppError> {
    let removed = sqlx::query!(
        "DELETE FROM mail_templates WHERE kind = $1 AND language = $2 AND version = $3",
        kind.as_str(),
        language.code(),
        version
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if removed == 1 {
        return Ok(());
    }
    // Nothing removed: right when the standard text was shown and still applies; otherwise
    // someone saved or reset the text since it was read.
    let own = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM mail_templates WHERE kind = $1 AND language = $2"#,
        kind.as_str(),
        language.code()
    )
    .fetch_one(conn)
    .await?;
    if version == 0 && own == 0 {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// The appointment's start and end as instants: its wall-clock times read in the user's own
/// time zone, with that zone's daylight saving time on that day.
pub async fn in_users_zone(
    conn: &mut PgConnection,
    user: Uuid,
    appointment: &Appointment,
) -> Result<(DateTime<Utc>, DateTime<Utc>), AppError> {
    let row = sqlx::query!(
        r#"SELECT ($2::date + $3::time) AT TIME ZONE time_zone AS "starts!",
                  ($2::date + $4::time) AT TIME ZONE time_zone AS "ends!"
           FROM users WHERE id = $1"#,
        user,
        appointment.date,
        appointment.start,
        appointment.end
    )
    .fetch_one(conn)
    .await?;
    Ok((row.starts, row.ends))
}

/// Writes the message into the outbox, with the invitation stored under `invitation` (its
/// store key and file name) attached; links the message to the project and logs `event` on
/// the project's timeline. Returns the message.
pub async fn send(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
    mail: &MailDraft,
    invitation: Option<(&str, &str)>,
    event: &TimelineEvent,
) -> Result<Uuid, AppError> {
    let message = enqueue(
        &mut *conn,
        &NewMessage {
            to: mail.to.as_str(),
            subject: &mail.subject,
            body: &mail.body,
            reply_to: Some(&user.email),
            attachment: invitation.map(|(key, name)| (key, name, INVITATION_TYPE)),
            quote: None,
            invoice: None,
            by: user.id,
        },
    )
    .await?;
    sqlx::query!(
        "UPDATE outbox_messages SET project_id = $2 WHERE id = $1",
        message,
        project
    )
    .execute(&mut *conn)
    .await?;
    log(conn, RecordKind::Project, project, Some(user.id), event).await?;
    Ok(message)
}
