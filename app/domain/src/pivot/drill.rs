//! Drill-down: the list filters that select exactly the records one figure of a pivot sums,
//! so that a click on it opens them in the list. The operator words are the list's filter
//! builder's (`views::filter::accepts` in the app); the domain cannot import them, so they
//! are repeated here and a test on the app side holds the two together.

use super::grid::PivotGrid;
use super::layout::{Axis, Level};
use super::period::{DateBucket, Period};
use super::MAX_KEY_CHARS;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const IS: &str = "is";
const EQ: &str = "eq";
const HAS: &str = "has";
const UNSET: &str = "unset";

/// A date range, `2026-03-01..2026-03-31` with both days included: an operator of its own,
/// because filters on one field are alternatives (OR), so `gte` and `lte` together would
/// select every date. The list's filter builder takes it on date fields.
pub const BETWEEN: &str = "between";

/// The field of a list whose records differ in currency (`views::schema::currency_field`).
pub const CURRENCY_FIELD: &str = "currency";

/// How the list filters a grouping field: its kind in the list's schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterKind {
    /// Compared with `is` (case and accents folded) and `unset` (no text, or empty text).
    Text,
    Number,
    Date,
    /// No `unset`: its group without a value cannot be selected.
    Enum,
    /// Filtered by id: a pivot grouping such a field must group it by id for a drill-down
    /// to select it; a group keyed by a name is refused.
    User,
    /// Filtered by id, like `User`.
    Record,
    /// No `unset`: its group without a value cannot be selected.
    Boolean,
    Tags,
}

/// One filter in the list's form, `field op value`, as `views::state::Filter` holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillFilter {
    pub field: String,
    pub op: String,
    pub value: String,
}

/// Why a figure cannot be opened as a list.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DrillError {
    #[error("no such figure")]
    NoSuchCell,
    #[error("unknown field {0}")]
    UnknownField(String),
    #[error("the list cannot select the group {key:?} of {field}")]
    NotSelectable { field: String, key: Option<String> },
    #[error("the groups of {0} exclude each other")]
    ExclusiveGroups(String),
}

impl PivotGrid {
    /// The filters that select the records of one figure: one per grouping field of its row
    /// and its column (none for a total), and for money split by currency, the currency.
    /// A field grouped twice (by year in the rows, by month in the columns) gets one filter,
    /// the days both buckets hold. `kind_of` gives each field's kind from the list's schema.
    ///
    /// The list ORs filters on one field, so a caller adding these to a view must first drop
    /// the view's own filters on the same fields; the cell's records pass those already,
    /// except where a view's date bound cuts a bucket.
    pub fn drill_down(
        &self,
        row: usize,
        value_column: usize,
        kind_of: impl Fn(&str) -> Option<FilterKind>,
    ) -> Result<Vec<DrillFilter>, DrillError> {
        let column = self
            .value_column(value_column)
            .ok_or(DrillError::NoSuchCell)?;
        let slot = *self
            .slots()
            .get(column.slot)
            .ok_or(DrillError::NoSuchCell)?;
        let row_header = self.header(Axis::Rows, row).ok_or(DrillError::NoSuchCell)?;
        let column_header = self
            .header(Axis::Columns, column.column)
            .ok_or(DrillError::NoSuchCell)?;
        let mut selection = Selection::default();
        for (axis, path) in [
            (Axis::Rows, &row_header.path),
            (Axis::Columns, &column_header.path),
        ] {
            for (level, key) in self.levels(axis).iter().zip(path) {
                let kind = kind_of(level.field.as_str())
                    .ok_or_else(|| DrillError::UnknownField(level.field.clone()))?;
                selection.narrow(&level.field, condition(level, kind, key.as_deref())?)?;
            }
        }
        if slot.money && self.has_currencies() {
            let currency = match slot.currency {
                Some(currency) => Condition::Word {
                    op: IS,
                    value: currency.code().to_string(),
                },
                None => Condition::Word {
                    op: UNSET,
                    value: String::new(),
                },
            };
            selection.narrow(CURRENCY_FIELD, currency)?;
        }
        Ok(selection.into_filters())
    }
}

/// What one field must be for the records of a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Condition {
    /// Days, from the keys of date buckets.
    Range(Period),
    Word {
        op: &'static str,
        value: String,
    },
}

/// The condition of one group key, checked as the list's filter builder will check it.
fn condition(level: &Level, kind: FilterKind, key: Option<&str>) -> Result<Condition, DrillError> {
    let refused = || DrillError::NotSelectable {
        field: level.field.clone(),
        key: key.map(str::to_string),
    };
    let word = |op: &'static str, value: &str| Condition::Word {
        op,
        value: value.to_string(),
    };
    let Some(key) = key else {
        return match kind {
            FilterKind::Enum | FilterKind::Boolean => Err(refused()),
            _ => Ok(word(UNSET, "")),
        };
    };
    // The builder trims values and refuses empty and overlong ones.
    if key.chars().count() > MAX_KEY_CHARS || key.trim() != key {
        return Err(refused());
    }
    if key.is_empty() {
        return match kind {
            FilterKind::Text => Ok(word(UNSET, "")),
            _ => Err(refused()),
        };
    }
    match kind {
        FilterKind::Date => {
            let bucket = level.bucket.unwrap_or(DateBucket::Day);
            let days = bucket.period_of_key(key).ok_or_else(refused)?;
            Ok(Condition::Range(days))
        }
        FilterKind::Number => {
            let number_like = key.replace(',', ".").parse::<Decimal>().is_ok();
            number_like.then(|| word(EQ, key)).ok_or_else(refused)
        }
        FilterKind::User | FilterKind::Record => {
            let id_like = Uuid::parse_str(key).is_ok();
            id_like.then(|| word(IS, key)).ok_or_else(refused)
        }
        FilterKind::Boolean => {
            let flag_like = matches!(key, "true" | "false");
            flag_like.then(|| word(IS, key)).ok_or_else(refused)
        }
        FilterKind::Tags => Ok(word(HAS, key)),
        FilterKind::Text | FilterKind::Enum => Ok(word(IS, key)),
    }
}

/// The conditions of a figure, one per field in the order first met.
#[derive(Debug, Default)]
struct Selection(Vec<(String, Condition)>);

impl Selection {
    /// Adds a condition; a field met again keeps what both allow.
    fn narrow(&mut self, field: &str, condition: Condition) -> Result<(), DrillError> {
        let held_at = self
            .0
            .iter()
            .position(|(held_field, _)| held_field == field);
        let Some(at) = held_at else {
            self.0.push((field.to_string(), condition));
            return Ok(());
        };
        let entry = &mut self.0[at];
        let narrowed = match (&entry.1, condition) {
            (Condition::Range(held), Condition::Range(new)) => {
                held.intersection(new).map(Condition::Range)
            }
            (held, new) if *held == new => Some(new),
            _ => None,
        };
        entry.1 = narrowed.ok_or_else(|| DrillError::ExclusiveGroups(field.to_string()))?;
        Ok(())
    }

    fn into_filters(self) -> Vec<DrillFilter> {
        self.0
            .into_iter()
            .map(|(field, condition)| {
                let (op, value) = match condition {
                    Condition::Range(days) if days.first() == days.last() => {
                        (EQ, days.first().to_string())
                    }
                    Condition::Range(days) => {
                        (BETWEEN, format!("{}..{}", days.first(), days.last()))
                    }
                    Condition::Word { op, value } => (op, value),
                };
                DrillFilter {
                    field,
                    op: op.to_string(),
                    value,
                }
            })
            .collect()
    }
}
