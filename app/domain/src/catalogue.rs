//! The product catalogue's rules: taxes with a rate, product kinds, task templates, and the
//! configurator (option groups whose options add price and task templates), checked the
//! same way in the browser and on the server.

use crate::money::Currency;
use crate::quote::Tax;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    pub id: Uuid,
    pub name: String,
    pub rate: Decimal,
    pub included: bool,
    pub country: Option<String>,
    pub active: bool,
    pub version: i32,
}

impl TaxRate {
    pub fn tax(&self) -> Tax {
        Tax {
            rate: self.rate,
            included: self.included,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    #[default]
    Service,
    Goods,
}

impl ProductKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Service => "service",
            ProductKind::Goods => "goods",
        }
    }

    pub fn parse(text: &str) -> Option<ProductKind> {
        match text {
            "service" => Some(ProductKind::Service),
            "goods" => Some(ProductKind::Goods),
            _ => None,
        }
    }
}

/// A task a sold service or a chosen option becomes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTemplate {
    pub title: String,
    /// As typed ("", "4", "2,5").
    pub planned_hours: String,
    pub description: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductOption {
    /// `None` for an option added in the editor and not saved yet.
    pub id: Option<Uuid>,
    pub name: String,
    /// As typed in the editor; as stored when read.
    pub price: String,
    pub templates: Vec<TaskTemplate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionGroup {
    pub id: Option<Uuid>,
    pub name: String,
    pub multiple: bool,
    pub required: bool,
    pub options: Vec<ProductOption>,
}

/// A product as the editor reads and saves it, with its templates and configurator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: Option<Uuid>,
    pub name: String,
    pub reference: String,
    pub kind: ProductKind,
    pub unit: String,
    pub price: String,
    pub currency: String,
    pub tax_id: Option<Uuid>,
    pub description: String,
    pub configurable: bool,
    pub active: bool,
    pub templates: Vec<TaskTemplate>,
    pub groups: Vec<OptionGroup>,
    pub version: i32,
}

/// A product as the quote form offers it: what a line needs, and the configurator's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub id: Uuid,
    pub name: String,
    pub reference: String,
    pub kind: ProductKind,
    pub unit: String,
    pub price: Decimal,
    /// The currency of the price and of the options' prices.
    pub currency: Currency,
    pub tax_id: Option<Uuid>,
    pub description: String,
    pub configurable: bool,
    pub groups: Vec<ChoiceGroup>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceGroup {
    pub name: String,
    pub multiple: bool,
    pub required: bool,
    pub options: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: Uuid,
    pub name: String,
    pub price: Decimal,
}

/// What the quote form loads once: the taxes and the active catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub taxes: Vec<TaxRate>,
    pub products: Vec<CatalogueItem>,
}

impl Catalogue {
    pub fn tax(&self, id: Uuid) -> Option<Tax> {
        self.taxes.iter().find(|t| t.id == id).map(TaxRate::tax)
    }

    pub fn product(&self, id: Uuid) -> Option<&CatalogueItem> {
        self.products.iter().find(|p| p.id == id)
    }
}

/// Why a configuration is refused: a required group left empty, two options in a
/// single-choice group, or an option that is not the product's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ConfigurationError {
    #[error("a required choice is missing")]
    Missing,
    #[error("only one option may be chosen")]
    TooMany,
    #[error("unknown option")]
    Unknown,
}

impl CatalogueItem {
    /// Checks chosen options against the groups; returns them in group and option order.
    pub fn configure(&self, chosen: &[Uuid]) -> Result<Vec<&Choice>, ConfigurationError> {
        let known = self
            .groups
            .iter()
            .flat_map(|g| g.options.iter())
            .filter(|o| chosen.contains(&o.id))
            .count();
        if known != chosen.len() {
            return Err(ConfigurationError::Unknown);
        }
        let mut picked = Vec::new();
        for group in &self.groups {
            let in_group: Vec<&Choice> = group
                .options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .collect();
            if group.required && in_group.is_empty() {
                return Err(ConfigurationError::Missing);
            }
            if !group.multiple && in_group.len() > 1 {
                return Err(ConfigurationError::TooMany);
            }
            picked.extend(in_group);
        }
        Ok(picked)
    }

    /// The line a configuration makes: unit price with the options, and the description
    /// naming the product and each chosen option under its group.
    pub fn configured_line(
        &self,
        chosen: &[Uuid],
    ) -> Result<(Decimal, String), ConfigurationError> {
        let picked = self.configure(chosen)?;
        let prices: Vec<Decimal> = picked.iter().map(|c| c.price).collect();
        let mut description = self.name.clone();
        for group in &self.groups {
            let names: Vec<&str> = group
                .options
                .iter()
                .filter(|o| chosen.contains(&o.id))
                .map(|o| o.name.as_str())
                .collect();
            if !names.is_empty() {
                description.push_str(&format!("\n{}: {}", group.name, names.join(", ")));
            }
        }
        Ok((
            crate::quote::configured_price(self.price, &prices),
            description,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bathroom() -> CatalogueItem {
        let choice = |n: u128, name: &str, price: i64| Choice {
            id: Uuid::from_u128(n),
            name: name.into(),
            price: Decimal::new(price, 0),
        };
        CatalogueItem {
            id: Uuid::from_u128(100),
            name: "Bathroom renovation".into(),
            reference: "BATH".into(),
            kind: ProductKind::Service,
            unit: "job".into(),
            price: Decimal::new(6000, 0),
            currency: Currency::EUR,
            tax_id: None,
            description: String::new(),
            configurable: true,
            groups: vec![
                ChoiceGroup {
                    name: "Size".into(),
                    multiple: false,
                    required: true,
                    options: vec![
                        choice(1, "S", 0),
                        choice(2, "M", 1500),
                        choice(3, "L", 3000),
                    ],
                },
                ChoiceGroup {
                    name: "Extras".into(),
                    multiple: true,
                    required: false,
                    options: vec![
                        choice(4, "Underfloor heating", 1200),
                        choice(5, "Tiling", 900),
                    ],
                },
            ],
        }
    }

    #[test]
    fn a_configuration_prices_and_describes_its_options() {
        let product = bathroom();
        let chosen = [Uuid::from_u128(5), Uuid::from_u128(2), Uuid::from_u128(4)];
        let (price, description) = product.configured_line(&chosen).unwrap();
        assert_eq!(price, Decimal::new(9600, 0));
        assert_eq!(
            description,
            "Bathroom renovation\nSize: M\nExtras: Underfloor heating, Tiling"
        );
    }

    #[test]
    fn bad_configurations_are_refused() {
        let product = bathroom();
        assert_eq!(
            product.configure(&[Uuid::from_u128(4)]),
            Err(ConfigurationError::Missing)
        );
        assert_eq!(
            product.configure(&[Uuid::from_u128(1), Uuid::from_u128(2)]),
            Err(ConfigurationError::TooMany)
        );
        assert_eq!(
            product.configure(&[Uuid::from_u128(1), Uuid::from_u128(99)]),
            Err(ConfigurationError::Unknown)
        );
    }
}
