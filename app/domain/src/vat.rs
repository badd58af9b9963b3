//! VAT / company registration numbers, normalised ("nl 8188.26.452 b01" → "NL818826452B01")
//! and checked against the country's format, and its check digits where they are public and
//! unambiguous (Belgium, Italy).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VatNumber(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    #[error("empty")]
    Empty,
    #[error("does not start with a country prefix")]
    NoCountryPrefix,
    #[error("does not match the country's format")]
    WrongFormat,
    #[error("check digits do not match")]
    WrongCheckDigits,
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

impl VatNumber {
    pub fn parse(text: &str) -> Result<VatNumber, VatError> {
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '/' | '\u{a0}'))
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Err(VatError::Empty);
        }
        if !compact.is_ascii() || compact.len() < 4 {
            return Err(VatError::WrongFormat);
        }
        let (prefix, number) = compact.split_at(2);
        if !prefix.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(VatError::NoCountryPrefix);
        }
        let format_ok = match prefix {
            "NL" => {
                number.len() == 12
                    && all_digits(&number[..9], 9)
                    && &number[9..10] == "B"
                    && all_digits(&number[10..], 2)
            }
            "BE" => all_digits(number, 10) && matches!(&number[..1], "0" | "1"),
            "FR" => {
                number.len() == 11
                    && number[..2]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() && b != b'O' && b != b'I')
                    && all_digits(&number[2..], 9)
            }
            "ES" => {
                number.len() == 9
                    && number.bytes().all(|b| b.is_ascii_alphanumeric())
                    && all_digits(&number[1..8], 7)
            }
            "IT" | "LV" => all_digits(number, 11),
            "DE" | "EE" | "EL" | "PT" => all_digits(number, 9),
            "LU" | "DK" | "FI" | "HU" | "MT" | "SI" => all_digits(number, 8),
            "AT" => number.len() == 9 && number.starts_with('U') && all_digits(&number[1..], 8),
            "SE" => all_digits(number, 12),
            "PL" | "SK" => all_digits(number, 10),
            "GB" => all_digits(number, 9) || all_digits(number, 12),
            _ => {
                (2..=13).contains(&number.len())
                    && number.bytes().all(|b| b.is_ascii_alphanumeric())
            }
        };
        if !format_ok {
            return Err(VatError::WrongFormat);
        }
        let check_ok = match prefix {
            "BE" => belgian_check(number),
            "IT" => italian_check(number),
            _ => true,
        };
        if !check_ok {
            return Err(VatError::WrongCheckDigits);
        }
        Ok(VatNumber(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter prefix ("EL" for Greece, as the EU writes it).
    pub fn prefix(&self) -> &str {
        &self.0[..2]
    }
}

/// Belgium: the last two digits are 97 minus the first eight modulo 97.
fn belgian_check(number: &str) -> bool {
    let (Ok(base), Ok(check)) = (number[..8].parse::<u64>(), number[8..].parse::<u64>()) else {
        return false;
    };
    97 - base % 97 == check
}

/// Italy (partita IVA): a Luhn check over the eleven digits.
fn italian_check(number: &str) -> bool {
    let sum: u32 = number
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl fmt::Display for VatNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_the_ways_people_write_it() {
        assert_eq!(
            VatNumber::parse("nl 8188.26.452 b01").unwrap().as_str(),
            "NL818826452B01"
        );
        assert_eq!(
            VatNumber::parse("BE 0403.170.701").unwrap().as_str(),
            "BE0403170701"
        );
        assert_eq!(VatNumber::parse("FR40 303265045").unwrap().prefix(), "FR");
        assert!(VatNumber::parse("ESB12345678").is_ok());
        assert!(VatNumber::parse("ATU12345678").is_ok());
    }

    #[test]
    fn check_digits_catch_typos() {
        assert!(VatNumber::parse("IT00743110157").is_ok());
        assert_eq!(
            VatNumber::parse("IT00743110158"),
            Err(VatError::WrongCheckDigits)
        );
        assert_eq!(
            VatNumber::parse("BE0403170702"),
            Err(VatError::WrongCheckDigits)
        );
    }

    #[test]
    fn refuses_malformed_numbers() {
        assert_eq!(VatNumber::parse(" "), Err(VatError::Empty));
        assert_eq!(
            VatNumber::parse("123456789"),
            Err(VatError::NoCountryPrefix)
        );
        assert_eq!(VatNumber::parse("NL818826452"), Err(VatError::WrongFormat));
        assert_eq!(VatNumber::parse("DE12345678"), Err(VatError::WrongFormat));
        assert_eq!(
            VatNumber::parse("NLé18826452B01"),
            Err(VatError::WrongFormat)
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(text in "\\PC{0,20}") {
            if let Ok(vat) = VatNumber::parse(&text) {
                prop_assert_eq!(VatNumber::parse(vat.as_str()), Ok(vat.clone()));
            }
        }
    }
}
