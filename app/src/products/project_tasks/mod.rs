//! Tasks added to a project that already exists, from the catalogue or the configurator, as
//! confirming a quote line would have made them: one task per template of the product and of
//! its chosen options, the line's amount without tax split over them by planned hours, and
//! the product's tax kept on each task so that invoicing bills it at the right rate.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use crate::domain::catalogue::{CatalogueItem, TaxRate};
use crate::domain::quote::{parse_number, round_cents, split_amount, PricedLine, Tax};
use crate::domain::Currency;
use crate::error::{AppError, FieldProblem};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most lines one request adds (the dialog sends one).
pub const MAX_LINES: usize = 20;
/// The most tasks one request creates, over all its lines and their templates.
pub const MAX_TASKS: usize = 100;
/// The most configurator options one line may name.
pub const MAX_OPTIONS: usize = 50;
/// The largest quantity of a line.
const MAX_QUANTITY: i64 = 100_000;
/// The largest amount of a line, as a quote line's.
const MAX_AMOUNT: i64 = 999_999_999;
/// The longest number as typed ("1 250 000,00 €" and then some).
const NUMBER_MAX: usize = 32;

/// One product added to a project, as the dialog sends it: the numbers as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueLine {
    pub product_id: Uuid,
    /// The configurator's choices, for a configurable product.
    #[serde(default)]
    pub options: Vec<Uuid>,
    pub quantity: String,
    /// Prefilled from the catalogue (with the chosen options' prices); the user may change it.
    pub unit_price: String,
    /// A percentage; blank is none.
    #[serde(default)]
    pub discount: String,
}

impl CatalogueLine {
    /// The line's numbers checked, the first refused one with its field: a quantity above
    /// zero and at most 100,000, a unit price from zero, a discount from 0 to 100 %, and an
    /// amount a quote line could hold. The browser totals the line with it; the server
    /// checks again.
    pub fn priced(&self, tax: Option<Tax>) -> Result<PricedLine, (FieldProblem, &'static str)> {
        let quantity =
            number(&self.quantity, "quantity")?.ok_or((FieldProblem::ValueRequired, "quantity"))?;
        if quantity < Decimal::ZERO {
            return Err((FieldProblem::QuantityNegative, "quantity"));
        }
        if quantity.is_zero() {
            return Err((FieldProblem::AmountNotPositive, "quantity"));
        }
        if quantity > Decimal::new(MAX_QUANTITY, 0) {
            return Err((FieldProblem::AmountTooLarge, "quantity"));
        }
        let unit_price = number(&self.unit_price, "unit_price")?
            .ok_or((FieldProblem::ValueRequired, "unit_price"))?;
        let discount = number(&self.discount, "discount")?.unwrap_or(Decimal::ZERO);
        let line = PricedLine::new(quantity, unit_price, discount, tax)
            .map_err(|(error, field)| (FieldProblem::from(error), field))?;
        if line.subtotal() > Decimal::new(MAX_AMOUNT, 0) {
            return Err((FieldProblem::AmountTooLarge, "quantity"));
        }
        Ok(line)
    }
}

fn number(
    text: &str,
    field: &'static str,
) -> Result<Option<Decimal>, (FieldProblem, &'static str)> {
    if text.len() > NUMBER_MAX {
        return Err((FieldProblem::AmountMalformed, field));
    }
    parse_number(text).map_err(|error| (FieldProblem::from(error), field))
}

/// Refuses, before any query, what the dialog never sends: no line, too many lines, more
/// options than a product has, numbers that make no line. Fields are `lines.<index>.<field>`.
pub fn check_request(lines: &[CatalogueLine]) -> Result<(), AppError> {
    if lines.is_empty() {
        return Err(AppError::invalid("lines", FieldProblem::ValueRequired));
    }
    if lines.len() > MAX_LINES {
        return Err(AppError::invalid("lines", FieldProblem::TooManyValues));
    }
    for (i, line) in lines.iter().enumerate() {
        if line.options.len() > MAX_OPTIONS {
            return Err(AppError::invalid(
                &format!("lines.{i}.options"),
                FieldProblem::TooManyValues,
            ));
        }
        line.priced(None).map_err(|(problem, field)| {
            AppError::invalid(&format!("lines.{i}.{field}"), problem)
        })?;
    }
    Ok(())
}

/// A line's amount without tax: an included tax is taken out of it, as confirming a quote
/// does; an added tax is not in it. This is the amount the line's tasks share.
pub fn untaxed(line: &PricedLine) -> Decimal {
    let subtotal = line.subtotal();
    match line.tax {
        Some(tax) if tax.included => {
            round_cents(subtotal / (Decimal::ONE + tax.rate / Decimal::ONE_HUNDRED))
        }
        _ => subtotal,
    }
}

/// The tax a product's line carries: the product's own, if the company still has it.
pub fn tax_of<'a>(taxes: &'a [TaxRate], product: &CatalogueItem) -> Option<&'a TaxRate> {
    let id = product.tax_id?;
    taxes.iter().find(|t| t.id == id)
}

/// A task template as adding reads it: the product it belongs to (directly, or through one
/// of its options), read in the order tasks are made: a product's own templates first, then
/// those of its options in group and option order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub product: Uuid,
    /// The option whose choice makes this task; `None` for the product's own templates.
    pub option: Option<Uuid>,
    pub title: String,
    pub planned_hours: Option<Decimal>,
    pub description: String,
}

/// A task a line becomes, before it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedTask {
    pub title: String,
    pub description: String,
    pub planned_hours: Option<Decimal>,
    /// Its share of the line's amount without tax.
    pub amount: Decimal,
}

/// The tasks a line of `product` configured with `chosen` becomes, in order: one per
/// template of the product, then one per template of each chosen option, sharing `amount`
/// by planned hours (evenly without hours), the cents that rounding leaves on the last one.
/// A product without any template (goods, say) becomes one task named after it, so that
/// what was added can still be invoiced; its description names the chosen options.
pub fn plan_tasks(
    product: &CatalogueItem,
    chosen: &[Uuid],
    templates: &[TemplateRow],
    amount: Decimal,
) -> Vec<PlannedTask> {
    let made: Vec<&TemplateRow> = templates
        .iter()
        .filter(|t| t.product == product.id && t.option.is_none_or(|o| chosen.contains(&o)))
        .collect();
    if made.is_empty() {
        let configured = product
            .configured_line(chosen)
            .map(|(_, text)| text)
            .unwrap_or_default();
        let description = match configured.split_once('\n') {
            Some((_, choices)) => choices.to_string(),
            None => product.description.clone(),
        };
        return vec![PlannedTask {
            title: product.name.clone(),
            description,
            planned_hours: None,
            amount,
        }];
    }
    let weights: Vec<Decimal> = made
        .iter()
        .map(|t| t.planned_hours.unwrap_or_default())
        .collect();
    made.into_iter()
        .zip(split_amount(amount, &weights))
        .map(|(template, share)| PlannedTask {
            title: template.title.clone(),
            description: template.description.clone(),
            planned_hours: template.planned_hours,
            amount: share,
        })
        .collect()
}

/// What the "Add from catalogue" dialog offers on one project: the active products priced in
/// the project's currency, with their configurators, the company's taxes and the templates
/// each product and option becomes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectCatalogue {
    pub currency: Currency,
    pub taxes: Vec<TaxRate>,
    pub products: Vec<CatalogueItem>,
    pub templates: Vec<TemplateRow>,
}

impl ProjectCatalogue {
    pub fn product(&self, id: Uuid) -> Option<&CatalogueItem> {
        self.products.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Choice, ChoiceGroup, ProductKind};

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn line(quantity: &str, price: &str, discount: &str) -> CatalogueLine {
        CatalogueLine {
            product_id: Uuid::from_u128(1),
            options: Vec::new(),
            quantity: quantity.into(),
            unit_price: price.into(),
            discount: discount.into(),
        }
    }

    fn bathroom() -> CatalogueItem {
        CatalogueItem {
            id: Uuid::from_u128(1),
            name: "Bathroom renovation".into(),
            reference: "BATH".into(),
            kind: ProductKind::Service,
            unit: "job".into(),
            price: d("6000"),
            currency: Currency::EUR,
            tax_id: None,
            description: "Turnkey".into(),
            configurable: true,
            groups: vec![ChoiceGroup {
                name: "Extras".into(),
                multiple: true,
                required: false,
                options: vec![Choice {
                    id: Uuid::from_u128(10),
                    name: "Tiling".into(),
                    price: d("900"),
                }],
            }],
        }
    }

    fn template(option: Option<u128>, title: &str, hours: Option<&str>) -> TemplateRow {
        TemplateRow {
            product: Uuid::from_u128(1),
            option: option.map(Uuid::from_u128),
            title: title.into(),
            planned_hours: hours.map(d),
            description: String::new(),
        }
    }

    #[test]
    fn bad_numbers_name_their_field() {
        let refused = |l: CatalogueLine| l.priced(None).unwrap_err();
        assert_eq!(
            refused(line("0", "10", "")),
            (FieldProblem::AmountNotPositive, "quantity")
        );
        assert_eq!(
            refused(line("-1", "10", "")),
            (FieldProblem::QuantityNegative, "quantity")
        );
        assert_eq!(
            refused(line("100001", "10", "")),
            (FieldProblem::AmountTooLarge, "quantity")
        );
        assert_eq!(
            refused(line("", "10", "")),
            (FieldProblem::ValueRequired, "quantity")
        );
        assert_eq!(
            refused(line("1", "-10", "")),
            (FieldProblem::PriceNegative, "unit_price")
        );
        assert_eq!(
            refused(line("1", "10", "101")),
            (FieldProblem::DiscountOutOfRange, "discount")
        );
        assert_eq!(
            refused(line("1", &"9".repeat(40), "")),
            (FieldProblem::AmountMalformed, "unit_price")
        );
        assert_eq!(
            refused(line("100000", "999999", "")),
            (FieldProblem::AmountTooLarge, "quantity")
        );
        let fine = line("2", "1.250,00", "10").priced(None).unwrap();
        assert_eq!(fine.subtotal(), d("2250.00"));
    }

    #[test]
    fn requests_are_bounded_before_any_query() {
        assert_eq!(check_request(&[]).unwrap_err().field(), Some("lines"));
        let many = vec![line("1", "1", ""); MAX_LINES + 1];
        assert_eq!(check_request(&many).unwrap_err().field(), Some("lines"));
        let bad = [line("1", "1", ""), line("0", "1", "")];
        assert_eq!(
            check_request(&bad).unwrap_err().field(),
            Some("lines.1.quantity")
        );
        assert!(check_request(&[line("3", "95", "")]).is_ok());
    }

    #[test]
    fn an_included_tax_is_taken_out_and_an_added_one_is_not_in() {
        let included = Tax {
            rate: d("21"),
            included: true,
        };
        let added = Tax {
            rate: d("21"),
            included: false,
        };
        let with = |tax| line("1", "121", "").priced(Some(tax)).unwrap();
        assert_eq!(untaxed(&with(included)), d("100.00"));
        assert_eq!(untaxed(&with(added)), d("121"));
    }

    #[test]
    fn a_line_becomes_its_templates_sharing_the_amount_by_hours() {
        let templates = [
            template(None, "Survey", Some("4")),
            template(None, "Demolition", Some("12")),
            template(Some(10), "Tiling", Some("4")),
            template(Some(11), "Someone else's option", Some("8")),
        ];
        let plain = plan_tasks(&bathroom(), &[], &templates, d("1000"));
        let titles: Vec<&str> = plain.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Survey", "Demolition"]);
        assert_eq!(plain[0].amount, d("250.00"));
        assert_eq!(plain[1].amount, d("750.00"));
        let tiled = plan_tasks(&bathroom(), &[Uuid::from_u128(10)], &templates, d("100"));
        assert_eq!(tiled.len(), 3);
        assert_eq!(tiled[2].title, "Tiling");
        assert_eq!(
            tiled.iter().map(|t| t.amount).sum::<Decimal>(),
            d("100"),
            "the shares add up to the line"
        );
    }

    #[test]
    fn a_product_without_templates_becomes_one_task_named_after_it() {
        let tasks = plan_tasks(&bathroom(), &[Uuid::from_u128(10)], &[], d("6900"));
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].title, "Bathroom renovation");
        assert_eq!(tasks[0].description, "Extras: Tiling");
        assert_eq!(tasks[0].amount, d("6900"));
        let plain = plan_tasks(&bathroom(), &[], &[], d("6000"));
        assert_eq!(plain[0].description, "Turnkey");
    }
}
