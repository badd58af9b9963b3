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

#[cfg(test)]
mod tests {
    use super::{Email, EmailError};
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
}
