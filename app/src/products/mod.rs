//! The product catalogue: services and goods with a unit price and a tax, task templates that
//! a sold service becomes in its project, and the configurator (option groups whose options
//! add price and task templates). Taxes are records with a rate and "included or not".

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod project_tasks;
pub mod ui;

pub use crate::domain::catalogue::*;
use crate::domain::Money;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A row of the catalogue page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: Uuid,
    pub name: String,
    pub reference: String,
    pub kind: ProductKind,
    pub unit: String,
    pub price: Money,
    pub tax: Option<String>,
    pub configurable: bool,
    pub active: bool,
    pub templates: i64,
}

/// The catalogue page: products, taxes, and whether this user may change them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub products: Vec<ProductRow>,
    pub taxes: Vec<TaxRate>,
    pub may_edit: bool,
}
