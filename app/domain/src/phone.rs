//! Phone numbers, normalised to international form (+31 20 123 4567 → "+31201234567") when
//! the country is known, so that the same number typed two ways is one number.

use super::country::CountryCode;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("empty")]
    Empty,
    #[error("contains characters that are not part of a phone number")]
    InvalidCharacters,
    #[error("too short or too long")]
    WrongLength,
}

/// Country calling code and whether national numbers start with a trunk "0" that is dropped
/// internationally (Italy keeps its 0; Spain and Luxembourg have none).
fn dialing(country: CountryCode) -> Option<(&'static str, bool)> {
    Some(match country.as_str() {
        "NL" => ("31", true),
        "BE" => ("32", true),
        "FR" => ("33", true),
        "ES" => ("34", false),
        "IT" => ("39", false),
        "DE" => ("49", true),
        "GB" => ("44", true),
        "LU" => ("352", false),
        "AT" => ("43", true),
        "CH" => ("41", true),
        "PT" => ("351", false),
        "IE" => ("353", true),
        "DK" => ("45", false),
        "SE" => ("46", true),
        "PL" => ("48", false),
        _ => return None,
    })
}

impl Phone {
    /// Accepts spaces, dots, dashes, slashes and parentheses as separators, "+" or "00" for
    /// international numbers, and national numbers of `country` when it is known. E.164
    /// allows at most 15 digits; fewer than 6 is no phone number.
    pub fn parse(text: &str, country: Option<CountryCode>) -> Result<Phone, PhoneError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = String::new();
        for (i, c) in text.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => digits.push('+'),
                ' ' | '.' | '-' | '/' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(PhoneError::InvalidCharacters),
            }
        }
        let international = if let Some(rest) = digits.strip_prefix('+') {
            Some(rest.to_string())
        } else if let Some(rest) = digits.strip_prefix("00") {
            Some(rest.to_string())
        } else {
            country.and_then(dialing).map(|(code, trunk)| {
                let national = if trunk {
                    digits.strip_prefix('0').unwrap_or(&digits)
                } else {
                    &digits
                };
                format!("{code}{national}")
            })
        };
        let (normalised, count) = match international {
            Some(number) => (format!("+{number}"), number.len()),
            None => (digits.clone(), digits.len()),
        };
        if !(6..=15).contains(&count) || normalised.ends_with('+') {
            return Err(PhoneError::WrongLength);
        }
        Ok(Phone(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn country(code: &str) -> Option<CountryCode> {
        CountryCode::parse(code).ok()
    }

    #[test]
    fn one_number_typed_many_ways_is_one_number() {
        let expected = "+31201234567";
        for typed in ["+31 20 123 4567", "0031-20-1234567", "(020) 123 45 67"] {
            assert_eq!(
                Phone::parse(typed, country("NL")).unwrap().as_str(),
                expected,
                "{typed}"
            );
        }
    }

    #[test]
    fn trunk_prefixes_follow_the_country() {
        assert_eq!(
            Phone::parse("06 12345678", country("NL")).unwrap().as_str(),
            "+31612345678"
        );
        assert_eq!(
            Phone::parse("02 1234 5678", country("IT"))
                .unwrap()
                .as_str(),
            "+390212345678"
        );
        assert_eq!(
            Phone::parse("612 345 678", country("ES")).unwrap().as_str(),
            "+34612345678"
        );
        assert_eq!(
            Phone::parse("01 23 45 67 89", country("FR"))
                .unwrap()
                .as_str(),
            "+33123456789"
        );
        // Unknown country: kept as typed, digits only.
        assert_eq!(
            Phone::parse("0123 456 789", None).unwrap().as_str(),
            "0123456789"
        );
    }

    #[test]
    fn refuses_what_is_no_phone_number() {
        assert_eq!(Phone::parse("  ", None), Err(PhoneError::Empty));
        assert_eq!(
            Phone::parse("call me", None),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(
            Phone::parse("12+34", None),
            Err(PhoneError::InvalidCharacters)
        );
        assert_eq!(Phone::parse("+31", None), Err(PhoneError::WrongLength));
        assert_eq!(
            Phone::parse("+1234567890123456", None),
            Err(PhoneError::WrongLength)
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(text in "[0-9 +().\\-/a-z]{0,24}") {
            let nl = country("NL");
            if let Ok(phone) = Phone::parse(&text, nl) {
                prop_assert_eq!(Phone::parse(phone.as_str(), nl), Ok(phone.clone()));
            }
        }
    }
}
