//! E-mail addresses: a value of this type has been checked and normalised.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("malformed")]
    Malformed,
}

/// The longest address mail servers accept (RFC 5321), in bytes.
pub const MAX_LENGTH: usize = 254;

impl Email {
    /// Trims, lower-cases the domain, and checks the shape `local@domain.tld`. Deliberately
    /// not RFC 5322 in full: what people type into a CRM, and what mail servers accept.
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        if text.len() > MAX_LENGTH {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = text.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A message people write to a customer (a quote sent by e-mail): checked address, a
/// subject of one line, a bounded body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailDraft {
    pub to: Email,
    pub subject: String,
    pub body: String,
}

/// Why a message cannot be sent, by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    #[error("recipient: {0}")]
    To(EmailError),
    #[error("the subject is empty")]
    SubjectRequired,
    #[error("the subject is too long")]
    SubjectTooLong,
    #[error("the message is too long")]
    BodyTooLong,
}

impl MailDraft {
    pub const MAX_SUBJECT_CHARS: usize = 300;
    pub const MAX_BODY_CHARS: usize = 20_000;

    pub fn parse(to: &str, subject: &str, body: &str) -> Result<MailDraft, MailError> {
        let to = Email::parse(to).map_err(MailError::To)?;
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(MailError::SubjectRequired);
        }
        if subject.chars().count() > Self::MAX_SUBJECT_CHARS {
            return Err(MailError::SubjectTooLong);
        }
        if body.chars().count() > Self::MAX_BODY_CHARS {
            return Err(MailError::BodyTooLong);
        }
        Ok(MailDraft {
            to,
            subject: subject.to_string(),
            body: body.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Email, EmailError, MailDraft, MailError};
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises_ordinary_addresses() {
        let email = Email::parse("  Anna.de-Vries@Bouwbedrijf.NL ").unwrap();
        assert_eq!(email.as_str(), "Anna.de-Vries@bouwbedrijf.nl");
        assert!(Email::parse("lucía@correo.es").is_ok());
    }

    #[test]
    fn rejects_what_no_mail_server_takes() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        for bad in [
            "anna",
            "anna@",
            "@x.nl",
            "anna@x",
            "an..na@x.nl",
            "anna@-x.nl",
            "a b@x.nl",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        let long = format!("{}@x.nl", "a".repeat(260));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(text in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&text) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }
    }

    #[test]
    fn a_mail_draft_names_the_field_it_refuses() {
        let ok = MailDraft::parse(" ann@example.com ", "  Quote Q-1 ", "Hello").unwrap();
        assert_eq!(ok.subject, "Quote Q-1");
        assert_eq!(
            MailDraft::parse("ann", "Quote", ""),
            Err(MailError::To(EmailError::Malformed))
        );
        assert_eq!(
            MailDraft::parse("a@b.nl", " ", ""),
            Err(MailError::SubjectRequired)
        );
        let long = "x".repeat(MailDraft::MAX_SUBJECT_CHARS + 1);
        assert_eq!(
            MailDraft::parse("a@b.nl", &long, ""),
            Err(MailError::SubjectTooLong)
        );
        let body = "é".repeat(MailDraft::MAX_BODY_CHARS + 1);
        assert_eq!(
            MailDraft::parse("a@b.nl", "Quote", &body),
            Err(MailError::BodyTooLong)
        );
    }
}
