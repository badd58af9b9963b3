//! Quote arithmetic, shared by the browser (totals while typing) and the server (the amounts
//! it stores): a line's subtotal from quantity, unit price and discount, rounded to the cent;
//! taxes per rate on the sum of the lines at that rate; the quote's untaxed amount, tax and
//! total. Prices are either without tax (the tax is added) or include it (the tax is taken
//! out), as the tax says. Amounts of different currencies never meet: `Money` refuses to add
//! them.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Cents: every stored amount has two decimals, half away from zero (as invoices round).
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum QuoteError {
    #[error("not a number")]
    Malformed,
    #[error("the quantity cannot be negative")]
    NegativeQuantity,
    #[error("the price cannot be negative")]
    NegativePrice,
    #[error("the discount is a percentage from 0 to 100")]
    DiscountOutOfRange,
    #[error("the amount is too large")]
    TooLarge,
    #[error("a value is required")]
    Required,
    #[error("the text is required")]
    TextRequired,
    #[error("the text is too long")]
    TextTooLong,
    #[error("unknown tax")]
    TaxUnknown,
}

/// A tax as a line uses it: its rate in percent (21 for 21 %), and whether prices include it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tax {
    pub rate: Decimal,
    pub included: bool,
}

/// The largest quantity, unit price or line amount a quote accepts.
const LIMIT: i64 = 999_999_999;

/// A number as people type it: "1.5", "1,5", "1 250,00", "€ 12"; empty is `None`.
pub fn parse_number(text: &str) -> Result<Option<Decimal>, QuoteError> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('€')
        .trim_end_matches('€')
        .trim_end_matches('%')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    // The later of '.' and ',' is the decimal mark and the other groups thousands; a lone
    // mark is the decimal mark.
    let normalised = match (cleaned.rfind('.'), cleaned.rfind(',')) {
        (Some(dot), Some(comma)) if comma > dot => cleaned.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => cleaned.replace(',', ""),
        (None, Some(_)) => cleaned.replace(',', "."),
        _ => cleaned,
    };
    let value: Decimal = normalised.parse().map_err(|_| QuoteError::Malformed)?;
    if value.abs() > Decimal::new(LIMIT, 0) {
        return Err(QuoteError::TooLarge);
    }
    Ok(Some(value))
}

/// A priced line: quantity × unit price, less the discount (percent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount: Decimal,
    pub tax: Option<Tax>,
}

impl PricedLine {
    /// Checks the numbers a line is made of; the first refused one comes with its field.
    pub fn new(
        quantity: Decimal,
        unit_price: Decimal,
        discount: Decimal,
        tax: Option<Tax>,
    ) -> Result<PricedLine, (QuoteError, &'static str)> {
        if quantity < Decimal::ZERO {
            return Err((QuoteError::NegativeQuantity, "quantity"));
        }
        if unit_price < Decimal::ZERO {
            return Err((QuoteError::NegativePrice, "unit_price"));
        }
        if discount < Decimal::ZERO || discount > Decimal::ONE_HUNDRED {
            return Err((QuoteError::DiscountOutOfRange, "discount"));
        }
        let limit = Decimal::new(LIMIT, 0);
        if quantity > limit || unit_price > limit {
            return Err((QuoteError::TooLarge, "quantity"));
        }
        Ok(PricedLine {
            quantity,
            unit_price,
            discount,
            tax,
        })
    }

    /// The line's amount as priced (without tax, or including it when the tax is included),
    /// rounded to the cent.
    pub fn subtotal(&self) -> Decimal {
        let gross = self.quantity * self.unit_price;
        let kept = (Decimal::ONE_HUNDRED - self.discount) / Decimal::ONE_HUNDRED;
        round_cents(gross * kept)
    }
}

/// The tax of one rate over the quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxLine {
    pub tax: Tax,
    /// The amount the tax is computed on (without tax).
    pub base: Decimal,
    pub amount: Decimal,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub untaxed: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    /// One line per tax, in the order the taxes first appear.
    pub taxes: Vec<TaxLine>,
}

/// The quote's totals. Lines are added as rounded; each tax is computed once on the sum of
/// its lines (so that a quote of many small lines does not gain or lose cents per line).
/// An included tax is taken out of its lines' sum; a tax that is not included is added.
pub fn totals(lines: &[PricedLine]) -> Totals {
    let mut groups: Vec<(Tax, Decimal)> = Vec::new();
    let mut untaxed_without_tax = Decimal::ZERO;
    for line in lines {
        let subtotal = line.subtotal();
        match line.tax {
            None => untaxed_without_tax += subtotal,
            Some(tax) => match groups.iter_mut().find(|(t, _)| *t == tax) {
                Some((_, sum)) => *sum += subtotal,
                None => groups.push((tax, subtotal)),
            },
        }
    }
    let mut totals = Totals {
        untaxed: untaxed_without_tax,
        ..Totals::default()
    };
    for (tax, sum) in groups {
        let rate = tax.rate / Decimal::ONE_HUNDRED;
        let (base, amount) = if tax.included {
            let base = round_cents(sum / (Decimal::ONE + rate));
            (base, sum - base)
        } else {
            (sum, round_cents(sum * rate))
        };
        totals.untaxed += base;
        totals.tax += amount;
        totals.taxes.push(TaxLine { tax, base, amount });
    }
    totals.total = totals.untaxed + totals.tax;
    totals
}

/// The longest line description (a configured product describes its options there).
pub const DESCRIPTION_MAX: usize = 5000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A priced line: a catalogue product or free text.
    #[default]
    Item,
    Section,
    Note,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Item => "item",
            LineKind::Section => "section",
            LineKind::Note => "note",
        }
    }

    pub fn parse(text: &str) -> Option<LineKind> {
        [LineKind::Item, LineKind::Section, LineKind::Note]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// A line as the quote form holds it: numbers as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub kind: LineKind,
    pub product_id: Option<Uuid>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub tax_id: Option<Uuid>,
    /// Configurator options chosen (their prices are already in `unit_price`).
    pub options: Vec<Uuid>,
}

/// A checked line: sections and notes carry text only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedLine {
    pub kind: LineKind,
    pub product_id: Option<Uuid>,
    pub description: String,
    pub unit: String,
    pub tax_id: Option<Uuid>,
    pub options: Vec<Uuid>,
    pub priced: Option<PricedLine>,
}

/// Checks a line; `tax_of` knows the company's taxes. The first refused value comes back
/// with its field (`quantity`, `unit_price`, `discount`, `tax`, `description`).
pub fn parse_line(
    input: &LineInput,
    tax_of: impl Fn(Uuid) -> Option<Tax>,
) -> Result<ParsedLine, (QuoteError, &'static str)> {
    let description = input.description.trim().to_string();
    if description.chars().count() > DESCRIPTION_MAX {
        return Err((QuoteError::TextTooLong, "description"));
    }
    let unit: String = input.unit.trim().chars().take(20).collect();
    if input.kind != LineKind::Item {
        if description.is_empty() {
            return Err((QuoteError::TextRequired, "description"));
        }
        return Ok(ParsedLine {
            kind: input.kind,
            product_id: None,
            description,
            unit: String::new(),
            tax_id: None,
            options: Vec::new(),
            priced: None,
        });
    }
    if description.is_empty() {
        return Err((QuoteError::TextRequired, "description"));
    }
    let number = |text: &str, field: &'static str| {
        parse_number(text)
            .map_err(|e| (e, field))?
            .ok_or((QuoteError::Required, field))
    };
    let quantity = number(&input.quantity, "quantity")?;
    let unit_price = number(&input.unit_price, "unit_price")?;
    let discount = parse_number(&input.discount)
        .map_err(|e| (e, "discount"))?
        .unwrap_or(Decimal::ZERO);
    let tax = match input.tax_id {
        None => None,
        Some(id) => Some(tax_of(id).ok_or((QuoteError::TaxUnknown, "tax"))?),
    };
    let priced = PricedLine::new(quantity, unit_price, discount, tax)?;
    Ok(ParsedLine {
        kind: LineKind::Item,
        product_id: input.product_id,
        description,
        unit,
        tax_id: input.tax_id,
        options: input.options.clone(),
        priced: Some(priced),
    })
}

/// The totals of checked lines (sections and notes count for nothing).
pub fn lines_totals(lines: &[ParsedLine]) -> Totals {
    let priced: Vec<PricedLine> = lines.iter().filter_map(|l| l.priced.clone()).collect();
    totals(&priced)
}

/// A configured product's unit price: the product's price plus the chosen options' prices.
pub fn configured_price(base: Decimal, option_prices: &[Decimal]) -> Decimal {
    option_prices.iter().fold(base, |sum, price| sum + price)
}

/// Splits an amount over shares in proportion to their weights (planned hours), rounded to
/// the cent, with the rounding difference on the last share so that the parts add up to the
/// amount exactly. Without weights the amount is split evenly.
pub fn split_amount(amount: Decimal, weights: &[Decimal]) -> Vec<Decimal> {
    if weights.is_empty() {
        return Vec::new();
    }
    let total: Decimal = weights.iter().copied().filter(|w| *w > Decimal::ZERO).sum();
    let count = Decimal::from(weights.len() as u64);
    let mut parts: Vec<Decimal> = weights
        .iter()
        .map(|w| {
            if total > Decimal::ZERO {
                round_cents(amount * (*w).max(Decimal::ZERO) / total)
            } else {
                round_cents(amount / count)
            }
        })
        .collect();
    let allotted: Decimal = parts.iter().sum();
    if let Some(last) = parts.last_mut() {
        *last += amount - allotted;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn excluded(rate: &str) -> Option<Tax> {
        Some(Tax {
            rate: d(rate),
            included: false,
        })
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(parse_number("1,5"), Ok(Some(d("1.5"))));
        assert_eq!(parse_number("1.250,75"), Ok(Some(d("1250.75"))));
        assert_eq!(parse_number("1,250.75"), Ok(Some(d("1250.75"))));
        assert_eq!(parse_number("€ 12"), Ok(Some(d("12"))));
        assert_eq!(parse_number("1 250,00"), Ok(Some(d("1250.00"))));
        assert_eq!(parse_number("  "), Ok(None));
        assert_eq!(parse_number("abc"), Err(QuoteError::Malformed));
        assert_eq!(parse_number("1e40"), Err(QuoteError::Malformed));
    }

    #[test]
    fn bad_lines_name_their_field() {
        let tax = excluded("21");
        assert_eq!(
            PricedLine::new(d("-1"), d("10"), d("0"), tax).unwrap_err(),
            (QuoteError::NegativeQuantity, "quantity")
        );
        assert_eq!(
            PricedLine::new(d("1"), d("-10"), d("0"), tax).unwrap_err(),
            (QuoteError::NegativePrice, "unit_price")
        );
        assert_eq!(
            PricedLine::new(d("1"), d("10"), d("100.5"), tax).unwrap_err(),
            (QuoteError::DiscountOutOfRange, "discount")
        );
    }

    #[test]
    fn a_dutch_quote_with_two_rates() {
        let lines = [
            PricedLine::new(d("3"), d("19.99"), d("10"), excluded("21")).unwrap(),
            PricedLine::new(d("2"), d("12.50"), d("0"), excluded("9")).unwrap(),
            PricedLine::new(d("1"), d("0.05"), d("0"), excluded("21")).unwrap(),
        ];
        // 3 × 19.99 = 59.97, less 10 % = 53.973 → 53.97.
        assert_eq!(lines[0].subtotal(), d("53.97"));
        let totals = totals(&lines);
        assert_eq!(totals.untaxed, d("79.02"));
        // 21 % of 54.02 = 11.3442 → 11.34; 9 % of 25.00 = 2.25.
        assert_eq!(totals.taxes[0].amount, d("11.34"));
        assert_eq!(totals.taxes[1].amount, d("2.25"));
        assert_eq!(totals.tax, d("13.59"));
        assert_eq!(totals.total, d("92.61"));
    }

    #[test]
    fn an_included_tax_is_taken_out_of_the_price() {
        let included = Some(Tax {
            rate: d("21"),
            included: true,
        });
        let totals = totals(&[PricedLine::new(d("1"), d("121"), d("0"), included).unwrap()]);
        assert_eq!(
            (totals.untaxed, totals.tax, totals.total),
            (d("100"), d("21"), d("121"))
        );
    }

    fn tax() -> impl Strategy<Value = Option<Tax>> {
        prop_oneof![
            Just(None),
            (
                prop::sample::select(vec!["0", "4", "6", "9", "10", "21", "22"]),
                any::<bool>()
            )
                .prop_map(|(rate, included)| Some(Tax {
                    rate: d(rate),
                    included
                })),
        ]
    }

    fn line() -> impl Strategy<Value = PricedLine> {
        (0i64..100_000, 0i64..10_000_000, 0i64..=100, tax()).prop_map(
            |(quantity, cents, discount, tax)| {
                PricedLine::new(
                    Decimal::new(quantity, 2),
                    Decimal::new(cents, 2),
                    Decimal::new(discount, 0),
                    tax,
                )
                .unwrap()
            },
        )
    }

    proptest! {
        #[test]
        fn totals_add_up(lines in prop::collection::vec(line(), 0..40)) {
            let totals = totals(&lines);
            // Every amount is in cents.
            for amount in [totals.untaxed, totals.tax, totals.total] {
                prop_assert_eq!(amount, round_cents(amount));
            }
            prop_assert_eq!(totals.total, totals.untaxed + totals.tax);
            // Untaxed and tax are the sums of the per-rate lines (and the lines without tax).
            let no_tax: Decimal = lines.iter().filter(|l| l.tax.is_none()).map(PricedLine::subtotal).sum();
            let bases: Decimal = totals.taxes.iter().map(|t| t.base).sum();
            prop_assert_eq!(totals.untaxed, no_tax + bases);
            prop_assert_eq!(totals.tax, totals.taxes.iter().map(|t| t.amount).sum::<Decimal>());
            // The priced lines of each tax are exactly covered: excluded taxes add to the
            // rounded lines, included ones split them.
            for tax_line in &totals.taxes {
                let sum: Decimal = lines.iter().filter(|l| l.tax == Some(tax_line.tax)).map(PricedLine::subtotal).sum();
                if tax_line.tax.included {
                    prop_assert_eq!(tax_line.base + tax_line.amount, sum);
                } else {
                    prop_assert_eq!(tax_line.base, sum);
                    prop_assert_eq!(tax_line.amount, round_cents(sum * tax_line.tax.rate / Decimal::ONE_HUNDRED));
                }
                prop_assert!(tax_line.amount >= Decimal::ZERO);
            }
        }

        #[test]
        fn a_discount_never_raises_a_line(line in line(), more in 0i64..=100) {
            let discounted = PricedLine { discount: Decimal::new(more, 0).max(line.discount), ..line.clone() };
            prop_assert!(discounted.subtotal() <= line.subtotal());
            let free = PricedLine { discount: Decimal::ONE_HUNDRED, ..line.clone() };
            prop_assert_eq!(free.subtotal(), Decimal::ZERO);
        }
    }

    #[test]
    fn lines_are_checked_with_their_field() {
        let rate = Tax {
            rate: d("21"),
            included: false,
        };
        let known = Uuid::from_u128(1);
        let tax_of = |id: Uuid| (id == known).then_some(rate);
        let mut input = LineInput {
            description: "Installation".into(),
            quantity: "2".into(),
            unit_price: "1.250,00".into(),
            discount: "10".into(),
            tax_id: Some(known),
            ..LineInput::default()
        };
        let line = parse_line(&input, tax_of).unwrap();
        assert_eq!(line.priced.as_ref().unwrap().subtotal(), d("2250.00"));
        assert_eq!(lines_totals(&[line]).total, d("2722.50"));

        input.quantity = "-1".into();
        assert_eq!(
            parse_line(&input, tax_of).unwrap_err(),
            (QuoteError::NegativeQuantity, "quantity")
        );
        input.quantity = "1".into();
        input.discount = "120".into();
        assert_eq!(
            parse_line(&input, tax_of).unwrap_err(),
            (QuoteError::DiscountOutOfRange, "discount")
        );
        input.discount = String::new();
        input.tax_id = Some(Uuid::from_u128(2));
        assert_eq!(
            parse_line(&input, tax_of).unwrap_err(),
            (QuoteError::TaxUnknown, "tax")
        );
        input.tax_id = None;
        input.unit_price = String::new();
        assert_eq!(
            parse_line(&input, tax_of).unwrap_err(),
            (QuoteError::Required, "unit_price")
        );

        let section = LineInput {
            kind: LineKind::Section,
            ..LineInput::default()
        };
        assert_eq!(
            parse_line(&section, tax_of).unwrap_err(),
            (QuoteError::TextRequired, "description")
        );
        let note = LineInput {
            kind: LineKind::Note,
            description: "Prices valid for NL".into(),
            quantity: "-5".into(),
            ..LineInput::default()
        };
        let note = parse_line(&note, tax_of).unwrap();
        assert!(note.priced.is_none());
        assert_eq!(lines_totals(&[note]).total, Decimal::ZERO);
    }

    #[test]
    fn a_configured_price_adds_its_options() {
        assert_eq!(
            configured_price(d("8000"), &[d("1500"), d("950.50")]),
            d("10450.50")
        );
        assert_eq!(configured_price(d("8000"), &[]), d("8000"));
    }

    proptest! {
        #[test]
        fn split_parts_add_up_to_the_amount(
            cents in 0i64..100_000_000,
            weights in proptest::collection::vec(0i64..10_000, 1..20),
        ) {
            let amount = Decimal::new(cents, 2);
            let weights: Vec<Decimal> = weights.into_iter().map(|w| Decimal::new(w, 1)).collect();
            let parts = split_amount(amount, &weights);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), amount);
            for part in &parts[..parts.len() - 1] {
                prop_assert_eq!(part.scale() <= 2, true);
            }
        }
    }
}
