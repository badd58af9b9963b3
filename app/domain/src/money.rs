//! Amounts in several currencies kept apart: a sum is one amount per currency, never a
//! figure that adds euros to dollars.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Sums per currency code, ordered by code. A currency leaves when its sum returns to zero
/// through `subtract`, so a column emptied by moves reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencySums(Vec<(String, Decimal)>);

impl CurrencySums {
    pub fn add(&mut self, currency: &str, amount: Decimal) {
        match self
            .0
            .binary_search_by(|(code, _)| code.as_str().cmp(currency))
        {
            Ok(at) => self.0[at].1 += amount,
            Err(at) => self.0.insert(at, (currency.to_string(), amount)),
        }
    }

    pub fn subtract(&mut self, currency: &str, amount: Decimal) {
        self.add(currency, -amount);
        self.0
            .retain(|(code, sum)| code != currency || !sum.is_zero());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.0.iter().map(|(code, sum)| (code.as_str(), *sum))
    }

    /// The sum in `currency`, zero when there is none.
    pub fn get(&self, currency: &str) -> Decimal {
        self.iter()
            .find(|(code, _)| *code == currency)
            .map_or(Decimal::ZERO, |(_, sum)| sum)
    }
}

impl<S: AsRef<str>> FromIterator<(S, Decimal)> for CurrencySums {
    fn from_iter<I: IntoIterator<Item = (S, Decimal)>>(items: I) -> Self {
        let mut sums = Self::default();
        for (currency, amount) in items {
            sums.add(currency.as_ref(), amount);
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
    fn currencies_are_summed_apart_and_listed_by_code() {
        let sums: CurrencySums = [("USD", d(1000)), ("EUR", d(250)), ("EUR", d(750))]
            .into_iter()
            .collect();
        assert_eq!(
            sums.iter().collect::<Vec<_>>(),
            vec![("EUR", d(1000)), ("USD", d(1000))]
        );
        assert_eq!(sums.get("GBP"), Decimal::ZERO);
    }

    #[test]
    fn a_currency_whose_sum_returns_to_zero_leaves() {
        let mut sums = CurrencySums::default();
        sums.add("EUR", d(500));
        sums.add("USD", d(100));
        sums.subtract("USD", d(100));
        assert_eq!(sums.iter().collect::<Vec<_>>(), vec![("EUR", d(500))]);
        sums.subtract("EUR", d(500));
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
            let sums: CurrencySums = items.iter().map(|(c, a)| (CODES[*c], d(*a))).collect();
            for (index, code) in CODES.iter().enumerate() {
                let expected: Decimal = items.iter().filter(|(c, _)| *c == index).map(|(_, a)| d(*a)).sum();
                prop_assert_eq!(sums.get(code), expected);
            }
            let codes: Vec<&str> = sums.iter().map(|(code, _)| code).collect();
            let mut sorted = codes.clone();
            sorted.sort_unstable();
            prop_assert_eq!(codes, sorted);
        }
    }
}
