//! Money: an amount in one currency, and sums kept apart per currency. Nothing here adds
//! euros to dollars, and nothing goes through floating point: amounts are `Decimal` from the
//! database to the formatted text.

use crate::language::Language;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not a currency code")]
    Currency,
    #[error("amounts in different currencies")]
    CurrencyMismatch,
}

/// An ISO 4217 currency code: three letters, kept in capitals ("EUR").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const EUR: Currency = Currency(*b"EUR");

    pub fn parse(text: &str) -> Result<Currency, MoneyError> {
        let bytes: [u8; 3] = text
            .trim()
            .as_bytes()
            .try_into()
            .map_err(|_| MoneyError::Currency)?;
        if bytes.iter().all(u8::is_ascii_alphabetic) {
            Ok(Currency(bytes.map(|b| b.to_ascii_uppercase())))
        } else {
            Err(MoneyError::Currency)
        }
    }

    pub fn code(&self) -> &str {
        // Built only from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// How the amount is marked in text: a sign for the common ones, else the code.
    pub fn symbol(&self) -> &str {
        match &self.0 {
            b"EUR" => "€",
            b"GBP" => "£",
            b"USD" => "$",
            _ => self.code(),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Currency::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An amount in one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// The sum, refused when the currencies differ.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch);
        }
        Ok(Money::new(self.amount + other.amount, self.currency))
    }

    /// The amount as the language writes it, to the cent: €1,250.00 (en), € 1.250,00 (nl),
    /// 1 250,00 € (fr, es, it).
    pub fn format(&self, language: Language) -> String {
        let number = format_decimal(language, self.amount, 2);
        let symbol = self.currency.symbol();
        match language {
            Language::En => format!("{symbol}{number}"),
            Language::Nl => format!("{symbol}\u{a0}{number}"),
            Language::Fr | Language::Es | Language::It => format!("{number}\u{a0}{symbol}"),
        }
    }
}

/// A number with `decimals` places (half away from zero) and the language's separators:
/// 1,234,567.89 (en), 1.234.567,89 (nl, es, it), 1 234 567,89 (fr, narrow spaces).
pub fn format_decimal(language: Language, value: Decimal, decimals: u32) -> String {
    let (group, point) = match language {
        Language::En => (",", "."),
        Language::Fr => ("\u{202f}", ","),
        Language::Nl | Language::Es | Language::It => (".", ","),
    };
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push_str(group);
        }
        grouped.push(digit);
    }
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// Sums per currency, ordered by code. A currency leaves when its sum returns to zero
/// through `subtract`, so a column emptied by moves reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencySums(Vec<Money>);

impl CurrencySums {
    pub fn add(&mut self, money: Money) {
        match self
            .0
            .binary_search_by(|sum| sum.currency.cmp(&money.currency))
        {
            Ok(at) => self.0[at].amount += money.amount,
            Err(at) => self.0.insert(at, money),
        }
    }

    pub fn subtract(&mut self, money: Money) {
        self.add(Money::new(-money.amount, money.currency));
        self.0
            .retain(|sum| sum.currency != money.currency || !sum.amount.is_zero());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Money> + '_ {
        self.0.iter().copied()
    }

    /// The sum in `currency`, zero when there is none.
    pub fn get(&self, currency: Currency) -> Decimal {
        self.iter()
            .find(|sum| sum.currency == currency)
            .map_or(Decimal::ZERO, |sum| sum.amount)
    }
}

impl FromIterator<Money> for CurrencySums {
    fn from_iter<I: IntoIterator<Item = Money>>(items: I) -> Self {
        let mut sums = Self::default();
        for money in items {
            sums.add(money);
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(cents: i64) -> Decimal {
        Decimal::new(cents, 2)
    }

    #[test]
    fn a_currency_is_three_letters_kept_in_capitals() {
        assert_eq!(Currency::parse(" eur ").unwrap(), Currency::EUR);
        assert_eq!(Currency::parse("CHF").unwrap().symbol(), "CHF");
        for bad in ["", "EU", "EURO", "E1R", "€€€"] {
            assert_eq!(Currency::parse(bad), Err(MoneyError::Currency), "{bad}");
        }
        let json = serde_json::to_string(&Currency::EUR).unwrap();
        assert_eq!(json, "\"EUR\"");
        assert!(serde_json::from_str::<Currency>("\"12\"").is_err());
    }

    #[test]
    fn money_never_mixes_currencies() {
        let euros = Money::new(d(1000), Currency::EUR);
        let pounds = Money::new(d(500), Currency::parse("GBP").unwrap());
        assert_eq!(euros.checked_add(euros).unwrap().amount, d(2000));
        assert_eq!(euros.checked_add(pounds), Err(MoneyError::CurrencyMismatch));
    }

    #[test]
    fn amounts_are_written_as_each_language_writes_them() {
        let amount = Money::new(Decimal::new(123456789, 2), Currency::EUR);
        assert_eq!(amount.format(Language::En), "€1,234,567.89");
        assert_eq!(amount.format(Language::Nl), "€\u{a0}1.234.567,89");
        assert_eq!(
            amount.format(Language::Fr),
            "1\u{202f}234\u{202f}567,89\u{a0}€"
        );
        assert_eq!(
            format_decimal(Language::En, Decimal::new(-5, 3), 2),
            "-0.01"
        );
        assert_eq!(format_decimal(Language::En, Decimal::new(-4, 3), 2), "0.00");
        assert_eq!(format_decimal(Language::It, Decimal::new(25, 1), 0), "3");
    }

    proptest! {
        #[test]
        fn formatting_keeps_every_digit_of_a_cent_amount(cents in -10_000_000_000i64..10_000_000_000) {
            let text = format_decimal(Language::En, d(cents), 2);
            let back: Decimal = text.replace(',', "").parse().unwrap();
            prop_assert_eq!(back, d(cents));
        }
    }

    fn m(code: &str, cents: i64) -> Money {
        Money::new(d(cents), Currency::parse(code).unwrap())
    }

    #[test]
    fn currencies_are_summed_apart_and_listed_by_code() {
        let sums: CurrencySums = [m("USD", 1000), m("EUR", 250), m("EUR", 750)]
            .into_iter()
            .collect();
        assert_eq!(
            sums.iter().collect::<Vec<_>>(),
            vec![m("EUR", 1000), m("USD", 1000)]
        );
        assert_eq!(sums.get(Currency::parse("GBP").unwrap()), Decimal::ZERO);
    }

    #[test]
    fn a_currency_whose_sum_returns_to_zero_leaves() {
        let mut sums = CurrencySums::default();
        sums.add(m("EUR", 500));
        sums.add(m("USD", 100));
        sums.subtract(m("USD", 100));
        assert_eq!(sums.iter().collect::<Vec<_>>(), vec![m("EUR", 500)]);
        sums.subtract(m("EUR", 500));
        assert!(sums.is_empty());
    }

    proptest! {
        /// Whatever the order of additions, each currency holds exactly the sum of its own
        /// amounts.
        #[test]
        fn each_currency_holds_its_own_amounts(
            items in proptest::collection::vec((0usize..3, -1_000_000i64..1_000_000), 0..40)
        ) {
            const CODES: [&str; 3] = ["EUR", "GBP", "USD"];
            let sums: CurrencySums = items.iter().map(|(c, a)| m(CODES[*c], *a)).collect();
            for (index, code) in CODES.iter().enumerate() {
                let expected: Decimal = items.iter().filter(|(c, _)| *c == index).map(|(_, a)| d(*a)).sum();
                prop_assert_eq!(sums.get(Currency::parse(code).unwrap()), expected);
            }
            let codes: Vec<Currency> = sums.iter().map(|sum| sum.currency).collect();
            let mut sorted = codes.clone();
            sorted.sort_unstable();
            prop_assert_eq!(codes, sorted);
        }
    }
}
