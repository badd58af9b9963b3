//! New passwords: long enough to resist guessing, short enough to hash quickly.

use std::fmt;

/// A password that meets the policy. Deliberately not `Serialize` and not `Debug`-printed.
pub struct Password(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
}

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 200;

    pub fn parse(text: &str) -> Result<Password, PasswordError> {
        let chars = text.chars().count();
        if chars < Self::MIN_CHARS {
            Err(PasswordError::TooShort)
        } else if chars > Self::MAX_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(Password(text.to_string()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::{Password, PasswordError};

    #[test]
    fn enforces_length_in_characters_not_bytes() {
        assert_eq!(
            Password::parse("short").err(),
            Some(PasswordError::TooShort)
        );
        assert!(Password::parse("ééééééééééé").is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(201)).err(),
            Some(PasswordError::TooLong)
        );
    }

    #[test]
    fn never_prints_itself() {
        let password = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
