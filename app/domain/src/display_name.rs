//! A person's name as shown across Atrium.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
}

impl DisplayName {
    pub const MAX_CHARS: usize = 120;

    /// Trims; refuses an empty name and one over 120 characters.
    pub fn parse(text: &str) -> Result<DisplayName, DisplayNameError> {
        let name = text.trim();
        if name.is_empty() {
            Err(DisplayNameError::Empty)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(DisplayNameError::TooLong)
        } else {
            Ok(DisplayName(name.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::{DisplayName, DisplayNameError};

    #[test]
    fn trims_and_bounds_names() {
        assert_eq!(
            DisplayName::parse("  Lucía García ").unwrap().as_str(),
            "Lucía García"
        );
        assert_eq!(DisplayName::parse(" \t"), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"é".repeat(121)),
            Err(DisplayNameError::TooLong)
        );
        assert!(DisplayName::parse(&"é".repeat(120)).is_ok());
    }
}
