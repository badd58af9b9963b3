//! The standard e-mails a project page sends its client: an appointment confirmation, which
//! carries a calendar invitation, and a status update. Each has a standard text per language;
//! admins may replace it by their own, which may use only the placeholders of its kind.
//! Rendering fills the placeholders; the invitation is an iCalendar file (RFC 5545).

mod appointment;
mod invitation;
mod standard;

pub use appointment::{Appointment, AppointmentError, AppointmentInput};
pub use invitation::{Invitation, INVITATION_TYPE};
pub use standard::{appointment_title, next_tasks_text, NEXT_TASKS};

use crate::Language;
use serde::{Deserialize, Serialize};
use standard::standard_text;

/// The two standard e-mails of a project page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// The day, time and address of a visit, with an invitation for the recipient's calendar.
    Appointment,
    /// Where the project stands: its state, the tasks done, what comes next.
    Status,
}

impl MailKind {
    pub const ALL: [MailKind; 2] = [MailKind::Appointment, MailKind::Status];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Appointment => "appointment",
            MailKind::Status => "status",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The placeholders a text of this kind may use, in the order the settings page lists them.
    pub fn placeholders(self) -> &'static [Placeholder] {
        use Placeholder::*;
        match self {
            MailKind::Appointment => &[
                Contact,
                Customer,
                Project,
                ProjectNumber,
                Date,
                Time,
                EndTime,
                Address,
                Sender,
                Company,
            ],
            MailKind::Status => &[
                Contact,
                Customer,
                Project,
                ProjectNumber,
                State,
                TasksDone,
                TasksTotal,
                NextTasks,
                Sender,
                Company,
            ],
        }
    }
}

/// What a text may ask to be filled in, written `{name}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placeholder {
    /// The recipient's name.
    Contact,
    /// The project's customer.
    Customer,
    /// The project's title.
    Project,
    ProjectNumber,
    /// The appointment's day, as the recipient's language writes it.
    Date,
    /// The appointment's start and end time (`09:30`).
    Time,
    EndTime,
    /// Where the appointment is.
    Address,
    /// The project's state, in the recipient's language.
    State,
    TasksDone,
    TasksTotal,
    /// The next open tasks, one per line.
    NextTasks,
    /// The user who sends the e-mail.
    Sender,
    /// The company's name.
    Company,
}

impl Placeholder {
    pub const ALL: [Placeholder; 14] = [
        Placeholder::Contact,
        Placeholder::Customer,
        Placeholder::Project,
        Placeholder::ProjectNumber,
        Placeholder::Date,
        Placeholder::Time,
        Placeholder::EndTime,
        Placeholder::Address,
        Placeholder::State,
        Placeholder::TasksDone,
        Placeholder::TasksTotal,
        Placeholder::NextTasks,
        Placeholder::Sender,
        Placeholder::Company,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Contact => "contact",
            Placeholder::Customer => "customer",
            Placeholder::Project => "project",
            Placeholder::ProjectNumber => "project_number",
            Placeholder::Date => "date",
            Placeholder::Time => "time",
            Placeholder::EndTime => "end_time",
            Placeholder::Address => "address",
            Placeholder::State => "state",
            Placeholder::TasksDone => "tasks_done",
            Placeholder::TasksTotal => "tasks_total",
            Placeholder::NextTasks => "next_tasks",
            Placeholder::Sender => "sender",
            Placeholder::Company => "company",
        }
    }

    pub fn parse(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }

    /// How a text writes it: `{customer}`.
    pub fn token(self) -> String {
        format!("{{{}}}", self.name())
    }
}

/// Every `{name}` written in `text` (a name of ASCII letters, digits and `_`), with its byte
/// span. Other braces are plain text.
fn tokens(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find('{') {
        let start = from + offset;
        let rest = &text[start + 1..];
        let length = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if length > 0 && rest.as_bytes().get(length) == Some(&b'}') {
            let end = start + length + 2;
            found.push((start..end, &rest[..length]));
            from = end;
        } else {
            from = start + 1;
        }
    }
    found
}

/// The values placeholders are filled with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values(Vec<(Placeholder, String)>);

impl Values {
    pub fn with(mut self, placeholder: Placeholder, value: impl Into<String>) -> Values {
        let value = value.into();
        match self.0.iter_mut().find(|(p, _)| *p == placeholder) {
            Some(entry) => entry.1 = value,
            None => self.0.push((placeholder, value)),
        }
        self
    }

    pub fn get(&self, placeholder: Placeholder) -> Option<&str> {
        self.0
            .iter()
            .find(|(p, _)| *p == placeholder)
            .map(|(_, value)| value.as_str())
    }
}

/// `text` with each placeholder that has a value replaced by it; anything else stays as written.
pub fn fill(text: &str, values: &Values) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut copied = 0;
    for (span, name) in tokens(text) {
        if let Some(value) = Placeholder::parse(name).and_then(|p| values.get(p)) {
            filled.push_str(&text[copied..span.start]);
            filled.push_str(value);
            copied = span.end;
        }
    }
    filled.push_str(&text[copied..]);
    filled
}

/// Why a text cannot be a template.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the subject is empty")]
    SubjectRequired,
    #[error("the subject is too long")]
    SubjectTooLong,
    #[error("the text is empty")]
    BodyRequired,
    #[error("the text is too long")]
    BodyTooLong,
    /// `{name}` is no placeholder of this kind of e-mail.
    #[error("unknown placeholder {{{name}}} in the {field}")]
    UnknownPlaceholder { field: &'static str, name: String },
}

impl TemplateError {
    /// The form field it refuses: `subject` or `body`.
    pub fn field(&self) -> &'static str {
        match self {
            TemplateError::SubjectRequired | TemplateError::SubjectTooLong => "subject",
            TemplateError::BodyRequired | TemplateError::BodyTooLong => "body",
            TemplateError::UnknownPlaceholder { field, .. } => field,
        }
    }
}

/// A subject and a text that use only the placeholders of their kind, within the limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    subject: String,
    body: String,
}

impl Template {
    pub const MAX_SUBJECT_CHARS: usize = 200;
    pub const MAX_BODY_CHARS: usize = 5000;

    /// Checks an edited template of `kind`. The subject is one line (line breaks become
    /// spaces) and trimmed; the text keeps its lines, with `\n` line ends.
    pub fn parse(kind: MailKind, subject: &str, body: &str) -> Result<Template, TemplateError> {
        let subject = subject.replace(['\r', '\n', '\t'], " ").trim().to_string();
        if subject.is_empty() {
            return Err(TemplateError::SubjectRequired);
        }
        if subject.chars().count() > Self::MAX_SUBJECT_CHARS {
            return Err(TemplateError::SubjectTooLong);
        }
        let body = body.replace("\r\n", "\n").replace('\r', "\n");
        let body = body.trim_end().to_string();
        if body.trim().is_empty() {
            return Err(TemplateError::BodyRequired);
        }
        if body.chars().count() > Self::MAX_BODY_CHARS {
            return Err(TemplateError::BodyTooLong);
        }
        for (field, text) in [("subject", subject.as_str()), ("body", body.as_str())] {
            for (_, name) in tokens(text) {
                let known = Placeholder::parse(name).filter(|p| kind.placeholders().contains(p));
                if known.is_none() {
                    return Err(TemplateError::UnknownPlaceholder {
                        field,
                        name: name.chars().take(40).collect(),
                    });
                }
            }
        }
        Ok(Template { subject, body })
    }

    /// The standard text of `kind` in `language`.
    pub fn standard(kind: MailKind, language: Language) -> Template {
        let (subject, body) = standard_text(kind, language);
        Template {
            subject: subject.to_string(),
            body: body.to_string(),
        }
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    /// The subject and the text with the placeholders filled; the subject stays one line
    /// whatever its values hold.
    pub fn render(&self, values: &Values) -> (String, String) {
        let subject = fill(&self.subject, values)
            .replace(['\r', '\n'], " ")
            .trim()
            .to_string();
        (subject, fill(&self.body, values))
    }
}

/// The language to write to a contact in: its own setting, else the language of the first of
/// `countries` (the contact's, the customer's, the company's) that speaks one of ours, else
/// `fallback`.
pub fn recipient_language(
    own: Option<&str>,
    countries: &[Option<&str>],
    fallback: Language,
) -> Language {
    own.and_then(Language::parse)
        .or_else(|| {
            countries
                .iter()
                .flatten()
                .find_map(|country| Language::of_country(country))
        })
        .unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values::default()
            .with(Placeholder::Contact, "Sanne Bakker")
            .with(Placeholder::Customer, "Bouwbedrijf De Vries BV")
            .with(Placeholder::Project, "Renovatie kantoorpand")
            .with(Placeholder::ProjectNumber, "P-2026-0001")
            .with(Placeholder::Date, "15 december 2026")
            .with(Placeholder::Time, "09:30")
            .with(Placeholder::EndTime, "11:00")
            .with(Placeholder::Address, "Keizersgracht 112, 1015 CW Amsterdam")
            .with(Placeholder::State, "In uitvoering")
            .with(Placeholder::TasksDone, "2")
            .with(Placeholder::TasksTotal, "7")
            .with(Placeholder::NextTasks, "- Tegelwerk (18 december 2026)")
            .with(Placeholder::Sender, "Anna de Vries")
            .with(Placeholder::Company, "Atrium Demo BV")
    }

    #[test]
    fn every_standard_text_is_a_valid_template_and_fills_completely() {
        for kind in MailKind::ALL {
            for language in Language::ALL {
                let standard = Template::standard(kind, language);
                let parsed = Template::parse(kind, standard.subject(), standard.body());
                assert_eq!(parsed.as_ref(), Ok(&standard), "{kind:?} {language:?}");
                let (subject, body) = standard.render(&values());
                assert!(!subject.contains('{') && !body.contains('{'), "{body}");
                assert!(body.contains("Sanne Bakker"), "{kind:?} {language:?}");
                assert!(subject.contains("Renovatie kantoorpand"), "{subject}");
            }
        }
    }

    #[test]
    fn a_dutch_appointment_reads_as_written() {
        let (subject, body) =
            Template::standard(MailKind::Appointment, Language::Nl).render(&values());
        assert_eq!(subject, "Afspraakbevestiging: Renovatie kantoorpand");
        assert!(body.starts_with("Beste Sanne Bakker,\n\n"));
        assert!(body.contains("Datum: 15 december 2026\nTijd: 09:30 – 11:00\n"));
        assert!(body.contains("Adres: Keizersgracht 112, 1015 CW Amsterdam"));
        assert!(body.ends_with("Anna de Vries\nAtrium Demo BV"));
    }

    #[test]
    fn filling_leaves_unknown_and_unfilled_braces_as_written() {
        let values = Values::default().with(Placeholder::Project, "Dak");
        assert_eq!(
            fill("{project} {date} {x-y} {} {", &values),
            "Dak {date} {x-y} {} {"
        );
        assert_eq!(fill("{{project}}", &values), "{Dak}");
        assert_eq!(fill("é{project}é", &values), "éDaké");
        let twice = values.with(Placeholder::Project, "Gevel");
        assert_eq!(fill("{project}", &twice), "Gevel");
    }

    #[test]
    fn a_subject_stays_one_line_whatever_its_values() {
        let template = Template::parse(MailKind::Status, "Update {next_tasks}", "Hi").unwrap();
        let values = Values::default().with(Placeholder::NextTasks, "- A\n- B");
        assert_eq!(template.render(&values).0, "Update - A - B");
    }

    #[test]
    fn templates_refuse_unknown_placeholders_and_bad_lengths() {
        let unknown = Template::parse(MailKind::Appointment, "Afspraak {project}", "Beste {klant}");
        assert_eq!(
            unknown,
            Err(TemplateError::UnknownPlaceholder {
                field: "body",
                name: "klant".into()
            })
        );
        assert_eq!(unknown.unwrap_err().field(), "body");
        // A placeholder of the other kind is unknown here too.
        let other = Template::parse(MailKind::Appointment, "Stand: {state}", "Tekst");
        assert_eq!(other.unwrap_err().field(), "subject");
        assert!(Template::parse(MailKind::Status, "Stand: {state}", "{next_tasks}").is_ok());
        assert_eq!(
            Template::parse(MailKind::Status, " \n ", "Tekst"),
            Err(TemplateError::SubjectRequired)
        );
        assert_eq!(
            Template::parse(MailKind::Status, "Stand", " \r\n "),
            Err(TemplateError::BodyRequired)
        );
        let long = "é".repeat(Template::MAX_SUBJECT_CHARS + 1);
        assert_eq!(
            Template::parse(MailKind::Status, &long, "Tekst"),
            Err(TemplateError::SubjectTooLong)
        );
        let at_limit = "é".repeat(Template::MAX_SUBJECT_CHARS);
        assert!(Template::parse(MailKind::Status, &at_limit, "Tekst").is_ok());
        let body = "x".repeat(Template::MAX_BODY_CHARS + 1);
        assert_eq!(
            Template::parse(MailKind::Status, "Stand", &body),
            Err(TemplateError::BodyTooLong)
        );
        let normalised =
            Template::parse(MailKind::Status, "A\r\nB", "Regel 1\r\nRegel 2\n\n").unwrap();
        assert_eq!(
            (normalised.subject(), normalised.body()),
            ("A  B", "Regel 1\nRegel 2")
        );
    }

    #[test]
    fn a_contact_is_written_to_in_its_own_then_its_countrys_language() {
        let fallback = Language::En;
        assert_eq!(
            recipient_language(Some("it"), &[Some("NL")], fallback),
            Language::It
        );
        assert_eq!(
            recipient_language(None, &[None, Some("BE"), Some("FR")], fallback),
            Language::Nl
        );
        assert_eq!(
            recipient_language(None, &[Some("DE"), None, Some("ES")], fallback),
            Language::Es
        );
        assert_eq!(
            recipient_language(Some("de"), &[Some("DE")], fallback),
            fallback
        );
    }
}
