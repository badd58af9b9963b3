//! Project e-mails through the real router: an appointment confirmation written for the
//! execution contact in her own language with every placeholder filled, edited, and sent
//! through the outbox with its calendar invitation onto the project's timeline; nothing sent
//! from a locked or closed project or by a Limited member; the texts made their own by admins
//! only, and a text with a placeholder its e-mail does not know refused.

use super::common;

use app::domain::project_mail::{AppointmentInput, MailKind};
use app::domain::{Language, Permission};
use app::projects::api::{AddMember, AddProjectContact};
use app::projects::mail::api::{
    LoadMailTemplates, PrepareProjectMail, ResetMailTemplate, SaveMailTemplate, SendProjectMail,
};
use app::projects::mail::{MailForm, MailRequest, PreparedMail, TemplateLine};
use app::projects::{ContactPick, ContactRole};
use app::shared::RecordKind;
use common::session::Session;
use common::TestApp;
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin, reads English
const ANNA: &str = "anna@atrium.example"; // manager
const TOM: &str = "tom@atrium.example"; // employee

const TITLE: &str = "Nieuwe gevel Keizersgracht";
const SANNE: &str = "sanne@devries-bouw.nl";

/// A project of the Dutch builder, with its director as billing contact and its project
/// manager as execution contact.
async fn project_with_contacts(app: &TestApp, admin: &Session) -> Uuid {
    let project = admin.create_project(TITLE).await.id;
    let customer = app.contact_id("Bouwbedrijf De Vries BV").await;
    sqlx::query("UPDATE projects SET customer_id = $2 WHERE id = $1")
        .bind(project)
        .bind(customer)
        .execute(&app.pool)
        .await
        .unwrap();
    for (role, name) in [
        (ContactRole::Billing, "Pieter de Vries"),
        (ContactRole::Execution, "Sanne Bakker"),
    ] {
        let pick = ContactPick {
            contact_id: Some(app.contact_id(name).await),
            ..Default::default()
        };
        let added = admin
            .call(AddProjectContact {
                id: project,
                role,
                pick,
            })
            .await;
        assert_eq!(added.status, 200, "{}", added.body);
    }
    project
}

/// A visit on 15 December 2026 from 09:30 to 11:00, at the address the server proposes.
fn appointment(project: Uuid, contact: Option<Uuid>) -> MailRequest {
    MailRequest {
        project,
        kind: MailKind::Appointment,
        contact,
        appointment: AppointmentInput {
            date: "2026-12-15".to_string(),
            start: "09:30".to_string(),
            end: "11:00".to_string(),
            address: String::new(),
        },
    }
}

async fn prepare(session: &Session, request: MailRequest) -> PreparedMail {
    session.call(PrepareProjectMail { request }).await.ok()
}

#[tokio::test]
async fn an_appointment_confirmation_reaches_the_execution_contact_in_dutch_with_an_invitation() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = project_with_contacts(&app, &sam).await;
    let sanne = app.contact_id("Sanne Bakker").await;
    let pieter = app.contact_id("Pieter de Vries").await;

    // Written for the execution contact in Dutch (her country's language), though the
    // sender reads English; every placeholder filled.
    let prepared = prepare(&sam, appointment(project, None)).await;
    assert_eq!(prepared.contact, Some(sanne));
    assert_eq!(prepared.language, Language::Nl);
    let mut names: Vec<&str> = prepared
        .recipients
        .iter()
        .map(|r| r.contact.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Pieter de Vries", "Sanne Bakker"]);
    assert_eq!(prepared.subject, format!("Afspraakbevestiging: {TITLE}"));
    for filled in [
        "Beste Sanne Bakker,",
        "Datum: 15 december 2026",
        "Tijd: 09:30 – 11:00",
        "Adres: Keizersgracht 112, 1015 CW Amsterdam",
        "Sam Jansen",
    ] {
        assert!(
            prepared.body.contains(filled),
            "{filled} in {}",
            prepared.body
        );
    }
    assert!(!prepared.body.contains('{'), "{}", prepared.body);
    assert_eq!(prepared.address, "Keizersgracht 112, 1015 CW Amsterdam");

    // A status update goes to the billing contact.
    let status = prepare(
        &sam,
        MailRequest {
            kind: MailKind::Status,
            ..appointment(project, None)
        },
    )
    .await;
    assert_eq!(status.contact, Some(pieter));
    assert!(
        status.body.contains("Taken afgerond: 0 van 0"),
        "{}",
        status.body
    );

    // Edited, then sent.
    let subject = format!("{} (bevestigd)", prepared.subject);
    let body = prepared.body.replace("Beste Sanne Bakker", "Hallo Sanne");
    let mut request = appointment(project, Some(sanne));
    request.appointment.address = prepared.address.clone();
    let sent = sam
        .call(SendProjectMail {
            mail: MailForm {
                request,
                subject: subject.clone(),
                body: body.clone(),
            },
        })
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);

    // One message in the outbox, to her, as edited, with the invitation attached.
    let (message, to, stored_subject, stored_body, name, kind): (
        Uuid,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT id, to_address, subject, body, attachment_name, attachment_type
         FROM outbox_messages WHERE project_id = $1",
    )
    .bind(project)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(to, SANNE);
    assert_eq!(stored_subject, subject);
    assert_eq!(stored_body, body);
    assert!(name.unwrap_or_default().ends_with(".ics"));
    assert!(kind.unwrap_or_default().starts_with("text/calendar"));

    // The invitation: an event at 09:30 Amsterdam time (UTC+1 in December), folded lines.
    let file = sam
        .get(app.url(&format!("/files/outbox/{message}")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    let ics = file.text().await.unwrap();
    assert!(ics.split("\r\n").all(|line| line.len() <= 75), "{ics}");
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    let summary = format!("SUMMARY:Afspraak: {TITLE}");
    for expected in [
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "DTSTART:20261215T083000Z",
        "DTEND:20261215T100000Z",
        summary.as_str(),
        "LOCATION:Keizersgracht 112\\, 1015 CW Amsterdam",
        "ORGANIZER;CN=\"Sam Jansen\":mailto:demo@atrium.example",
        "END:VCALENDAR",
    ] {
        assert!(lines.contains(&expected), "{expected} in\n{ics}");
    }
    assert!(lines
        .iter()
        .any(|l| l.starts_with("ATTENDEE;CN=\"Sanne Bakker\"") && l.ends_with(SANNE)));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("DESCRIPTION:Hallo Sanne\\,\\n")));

    // On the project's timeline.
    let timeline = sam.timeline(RecordKind::Project, project).await;
    let newest = &timeline["entries"][0]["event"];
    assert_eq!(newest["kind"], "appointment_sent", "{timeline}");
    assert_eq!(newest["to"], SANNE);
    assert_eq!(newest["subject"], subject.as_str());

    // Only the project's client contacts can be written to.
    let stranger = app.contact_id("Jürgen Müller").await;
    let refused = sam
        .call(SendProjectMail {
            mail: MailForm {
                request: appointment(project, Some(stranger)),
                subject: "Afspraak".to_string(),
                body: "Tot dan.".to_string(),
            },
        })
        .await;
    assert_eq!((refused.status, refused.field()), (422, "contact"));

    // A contact's own language comes before its country's.
    sqlx::query("UPDATE contacts SET language = 'fr' WHERE id = $1")
        .bind(sanne)
        .execute(&app.pool)
        .await
        .unwrap();
    let french = prepare(&sam, appointment(project, None)).await;
    assert_eq!(french.language, Language::Fr);
    assert!(french.subject.starts_with("Confirmation de rendez-vous"));
    assert!(french.body.contains("15 décembre 2026"), "{}", french.body);
}

#[tokio::test]
async fn nothing_is_sent_from_a_locked_or_closed_project_nor_by_a_limited_member() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = project_with_contacts(&app, &sam).await;
    let sanne = app.contact_id("Sanne Bakker").await;
    let mail = || SendProjectMail {
        mail: MailForm {
            request: appointment(project, Some(sanne)),
            subject: "Afspraak".to_string(),
            body: "Tot dan.".to_string(),
        },
    };

    // A Limited member sees the project but does not write to its client.
    let added = sam
        .call(AddMember {
            id: project,
            user_id: app.user_id(TOM).await,
            permission: Permission::Limited,
            version: None,
        })
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    let tom = app.sign_in(TOM).await;
    let limited = tom
        .call(PrepareProjectMail {
            request: appointment(project, None),
        })
        .await;
    assert_eq!(
        (limited.status, limited.body["Project"].as_str()),
        (403, Some("needs_admin"))
    );
    assert_eq!(tom.call(mail()).await.status, 403);

    // Completed and locked: refused with the lock's own message.
    sqlx::query("UPDATE projects SET state = 'completed', locked = true WHERE id = $1")
        .bind(project)
        .execute(&app.pool)
        .await
        .unwrap();
    let locked = sam.call(mail()).await;
    assert_eq!(
        (locked.status, locked.body["Project"].as_str()),
        (409, Some("locked"))
    );
    let prepared = sam
        .call(PrepareProjectMail {
            request: appointment(project, None),
        })
        .await;
    assert_eq!(prepared.status, 409);

    // Closed: refused too.
    sqlx::query("UPDATE projects SET state = 'closed', locked = false WHERE id = $1")
        .bind(project)
        .execute(&app.pool)
        .await
        .unwrap();
    let closed = sam.call(mail()).await;
    assert_eq!(
        (closed.status, closed.body["Project"].as_str()),
        (409, Some("closed"))
    );

    let written: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE project_id = $1")
            .bind(project)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(written, 0);
}

#[tokio::test]
async fn admins_make_a_text_their_own_and_unknown_placeholders_are_refused() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let anna = app.sign_in(ANNA).await;
    let tom = app.sign_in(TOM).await;
    let save = |version: i32, subject: &str, body: &str| SaveMailTemplate {
        kind: MailKind::Appointment,
        language: Language::Nl,
        version,
        subject: subject.to_string(),
        body: body.to_string(),
    };

    // Admins only: not even a manager edits the texts.
    assert_eq!(tom.call(LoadMailTemplates {}).await.status, 403);
    assert_eq!(anna.call(save(0, "Afspraak", "Tot dan.")).await.status, 403);

    let lines: Vec<TemplateLine> = sam.call(LoadMailTemplates {}).await.ok();
    assert_eq!(lines.len(), 10, "both e-mails in five languages");
    assert!(lines.iter().all(|l| !l.custom && l.version == 0));

    // A placeholder the e-mail does not know is refused, on the field that uses it.
    let unknown = sam
        .call(save(0, "Afspraak {project}", "Beste {klant}, tot {date}."))
        .await;
    assert_eq!(
        (unknown.status, unknown.field(), unknown.problem()),
        (422, "body", "placeholder_unknown")
    );
    let other_kind = sam.call(save(0, "Stand: {state}", "Tot dan.")).await;
    assert_eq!(
        (other_kind.field(), other_kind.problem()),
        ("subject", "placeholder_unknown")
    );
    let long = sam
        .call(save(0, "x".repeat(201).as_str(), "Tot dan."))
        .await;
    assert_eq!((long.field(), long.problem()), ("subject", "text_too_long"));

    let own = sam
        .call(save(
            0,
            "Afspraak {project} op {date}",
            "Beste {contact},\n\ntot {date} om {time}.\n\n{company}",
        ))
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
    // Saved on the standard text it read: a second save from that read is stale.
    assert_eq!(sam.call(save(0, "Afspraak", "Tot dan.")).await.status, 409);

    // The next confirmation in Dutch is written with it.
    let project = project_with_contacts(&app, &sam).await;
    let prepared = prepare(&sam, appointment(project, None)).await;
    assert_eq!(
        prepared.subject,
        format!("Afspraak {TITLE} op 15 december 2026")
    );
    assert!(
        prepared
            .body
            .starts_with("Beste Sanne Bakker,\n\ntot 15 december 2026 om 09:30."),
        "{}",
        prepared.body
    );

    // Back to the standard text.
    let lines: Vec<TemplateLine> = sam.call(LoadMailTemplates {}).await.ok();
    let line = lines
        .iter()
        .find(|l| l.kind == MailKind::Appointment && l.language == Language::Nl)
        .unwrap();
    assert!(line.custom);
    assert_eq!(line.updated_by.as_deref(), Some("Sam Jansen"));
    let reset = sam
        .call(ResetMailTemplate {
            kind: MailKind::Appointment,
            language: Language::Nl,
            version: line.version,
        })
        .await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    let standard = prepare(&sam, appointment(project, None)).await;
    assert_eq!(standard.subject, format!("Afspraakbevestiging: {TITLE}"));
}
