//! The standard texts of the project e-mails in each language, and the few words they
//! need besides: the list of next tasks, and the title a calendar shows.

use super::MailKind;
use crate::Language;

pub(super) fn standard_text(kind: MailKind, language: Language) -> (&'static str, &'static str) {
    match (kind, language) {
        (MailKind::Appointment, Language::En) => (
            "Appointment confirmation: {project}",
            "Dear {contact},\n\n\
             We are pleased to confirm our appointment for the project {project} ({project_number}):\n\n\
             Date: {date}\n\
             Time: {time} – {end_time}\n\
             Address: {address}\n\n\
             You will find the invitation for your calendar attached. Should this moment not suit \
             you after all, please let us know.\n\n\
             Kind regards,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Appointment, Language::Nl) => (
            "Afspraakbevestiging: {project}",
            "Beste {contact},\n\n\
             Hierbij bevestigen wij onze afspraak voor het project {project} ({project_number}):\n\n\
             Datum: {date}\n\
             Tijd: {time} – {end_time}\n\
             Adres: {address}\n\n\
             De uitnodiging voor uw agenda vindt u in de bijlage. Komt dit moment u toch niet \
             goed uit, laat het ons dan weten.\n\n\
             Met vriendelijke groet,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Appointment, Language::Fr) => (
            "Confirmation de rendez-vous : {project}",
            "Bonjour {contact},\n\n\
             Nous avons le plaisir de vous confirmer notre rendez-vous pour le projet {project} \
             ({project_number}) :\n\n\
             Date : {date}\n\
             Heure : {time} – {end_time}\n\
             Adresse : {address}\n\n\
             Vous trouverez l'invitation pour votre agenda en pièce jointe. Si ce moment ne vous \
             convient finalement pas, merci de nous le faire savoir.\n\n\
             Cordialement,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Appointment, Language::Es) => (
            "Confirmación de cita: {project}",
            "Estimado/a {contact}:\n\n\
             Le confirmamos nuestra cita para el proyecto {project} ({project_number}):\n\n\
             Fecha: {date}\n\
             Hora: {time} – {end_time}\n\
             Dirección: {address}\n\n\
             Adjuntamos la invitación para su calendario. Si finalmente este momento no le \
             conviene, le rogamos que nos lo comunique.\n\n\
             Atentamente,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Appointment, Language::It) => (
            "Conferma appuntamento: {project}",
            "Gentile {contact},\n\n\
             con la presente confermiamo il nostro appuntamento per il progetto {project} \
             ({project_number}):\n\n\
             Data: {date}\n\
             Ora: {time} – {end_time}\n\
             Indirizzo: {address}\n\n\
             In allegato trova l'invito per il suo calendario. Se questo momento non dovesse \
             andarle bene, la preghiamo di comunicarcelo.\n\n\
             Cordiali saluti,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Status, Language::En) => (
            "Progress update: {project}",
            "Dear {contact},\n\n\
             Here is an update on the progress of the project {project} ({project_number}) for \
             {customer}.\n\n\
             Status: {state}\n\
             Tasks completed: {tasks_done} of {tasks_total}\n\n\
             Next planned tasks:\n\
             {next_tasks}\n\n\
             Do not hesitate to contact us if you have any questions.\n\n\
             Kind regards,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Status, Language::Nl) => (
            "Voortgang project {project}",
            "Beste {contact},\n\n\
             Hierbij een update over de voortgang van het project {project} ({project_number}) \
             voor {customer}.\n\n\
             Status: {state}\n\
             Taken afgerond: {tasks_done} van {tasks_total}\n\n\
             Volgende geplande taken:\n\
             {next_tasks}\n\n\
             Heeft u vragen, neem dan gerust contact met ons op.\n\n\
             Met vriendelijke groet,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Status, Language::Fr) => (
            "Avancement du projet {project}",
            "Bonjour {contact},\n\n\
             Voici un point sur l'avancement du projet {project} ({project_number}) pour \
             {customer}.\n\n\
             Statut : {state}\n\
             Tâches terminées : {tasks_done} sur {tasks_total}\n\n\
             Prochaines tâches prévues :\n\
             {next_tasks}\n\n\
             N'hésitez pas à nous contacter pour toute question.\n\n\
             Cordialement,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Status, Language::Es) => (
            "Estado del proyecto {project}",
            "Estimado/a {contact}:\n\n\
             Le informamos sobre el avance del proyecto {project} ({project_number}) para \
             {customer}.\n\n\
             Estado: {state}\n\
             Tareas completadas: {tasks_done} de {tasks_total}\n\n\
             Próximas tareas previstas:\n\
             {next_tasks}\n\n\
             No dude en ponerse en contacto con nosotros si tiene alguna pregunta.\n\n\
             Atentamente,\n\
             {sender}\n\
             {company}",
        ),
        (MailKind::Status, Language::It) => (
            "Avanzamento del progetto {project}",
            "Gentile {contact},\n\n\
             le inviamo un aggiornamento sull'avanzamento del progetto {project} \
             ({project_number}) per {customer}.\n\n\
             Stato: {state}\n\
             Attività completate: {tasks_done} su {tasks_total}\n\n\
             Prossime attività previste:\n\
             {next_tasks}\n\n\
             Per qualsiasi domanda non esiti a contattarci.\n\n\
             Cordiali saluti,\n\
             {sender}\n\
             {company}",
        ),
    }
}

/// How many of the next open tasks a status update lists.
pub const NEXT_TASKS: usize = 5;

/// The next tasks as a status update lists them, one per line: the title and, when it has
/// one, its day (already written the recipient's way).
pub fn next_tasks_text(tasks: &[(String, Option<String>)], language: Language) -> String {
    if tasks.is_empty() {
        return match language {
            Language::En => "(none planned)",
            Language::Nl => "(geen gepland)",
            Language::Fr => "(aucune prévue)",
            Language::Es => "(ninguna prevista)",
            Language::It => "(nessuna prevista)",
        }
        .to_string();
    }
    tasks
        .iter()
        .take(NEXT_TASKS)
        .map(|(title, day)| match day {
            Some(day) => format!("- {title} ({day})"),
            None => format!("- {title}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The word a calendar shows before the project's title.
pub fn appointment_title(language: Language) -> &'static str {
    match language {
        Language::En => "Appointment",
        Language::Nl => "Afspraak",
        Language::Fr => "Rendez-vous",
        Language::Es => "Cita",
        Language::It => "Appuntamento",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_tasks_are_listed_or_said_to_be_none() {
        let tasks = vec![
            (
                "Tegelwerk".to_string(),
                Some("18 december 2026".to_string()),
            ),
            ("Opleveren".to_string(), None),
        ];
        assert_eq!(
            next_tasks_text(&tasks, Language::Nl),
            "- Tegelwerk (18 december 2026)\n- Opleveren"
        );
        assert_eq!(next_tasks_text(&[], Language::Fr), "(aucune prévue)");
        let many: Vec<_> = (0..9).map(|n| (format!("T{n}"), None)).collect();
        assert_eq!(
            next_tasks_text(&many, Language::En).lines().count(),
            NEXT_TASKS
        );
    }
}
