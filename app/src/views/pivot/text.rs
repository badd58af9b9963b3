//! How a pivot reads, the same on the page and in its spreadsheet: levels and measures by
//! their labels, group keys as people read them (a month by its name, a user by name),
//! figures in the user's language.

use super::{keyed_by_id, PivotAnswer};
use crate::domain::pivot::{Axis, DateBucket, Header, Measure, PivotGrid, PivotValue, ValueSlot};
use crate::domain::Money;
use crate::i18n::{td_string, Locale};
use crate::locale::{format_date_short, format_decimal, format_month_year, from_locale};
use crate::views::schema::{FieldDef, FieldKind, ListSchema};
use crate::views::ui::{field_label, group_label};
use std::collections::HashMap;

pub fn bucket_label(locale: Locale, bucket: DateBucket) -> &'static str {
    match bucket {
        DateBucket::Day => td_string!(locale, views.bucket_day),
        DateBucket::Week => td_string!(locale, views.bucket_week),
        DateBucket::Month => td_string!(locale, views.bucket_month),
        DateBucket::Quarter => td_string!(locale, views.bucket_quarter),
        DateBucket::Year => td_string!(locale, views.bucket_year),
    }
}

/// "Quote date · month", "Salesperson".
pub fn level_label(locale: Locale, field: &FieldDef, bucket: Option<DateBucket>) -> String {
    match bucket {
        Some(bucket) => format!(
            "{} · {}",
            field_label(locale, field),
            bucket_label(locale, bucket)
        ),
        None => field_label(locale, field),
    }
}

/// "Count", or the summed field's label.
pub fn measure_label(locale: Locale, schema: &ListSchema, measure: &Measure) -> String {
    match measure {
        Measure::Count => td_string!(locale, views.pivot_count).to_string(),
        Measure::Sum(key) => schema
            .field(key)
            .map_or_else(|| key.clone(), |field| field_label(locale, field)),
    }
}

/// One grid as it reads in one language.
pub struct PivotText<'a> {
    pub locale: Locale,
    schema: &'static ListSchema,
    grid: &'a PivotGrid,
    /// Per field, the label of each id.
    labels: HashMap<&'a str, HashMap<&'a str, &'a str>>,
}

impl<'a> PivotText<'a> {
    pub fn new(
        locale: Locale,
        schema: &'static ListSchema,
        grid: &'a PivotGrid,
        answer: &'a PivotAnswer,
    ) -> PivotText<'a> {
        let mut labels: HashMap<&str, HashMap<&str, &str>> = HashMap::new();
        for (field, key, label) in &answer.labels {
            labels
                .entry(field.as_str())
                .or_default()
                .insert(key.as_str(), label.as_str());
        }
        PivotText {
            locale,
            schema,
            grid,
            labels,
        }
    }

    /// A header's text: "Total", the group's name, or "None" for the group without one.
    pub fn header(&self, axis: Axis, header: &Header) -> String {
        if header.total {
            return td_string!(self.locale, views.pivot_total).to_string();
        }
        let level = header
            .depth
            .checked_sub(1)
            .and_then(|at| self.grid.levels(axis).get(at));
        let Some((level, field)) =
            level.and_then(|level| Some((level, self.schema.field(&level.field)?)))
        else {
            return header.key.clone().unwrap_or_default();
        };
        let key = header.key.as_deref();
        if let (Some(key), true) = (key, keyed_by_id(field)) {
            let label = self.labels.get(field.key).and_then(|ids| ids.get(key));
            return label.copied().unwrap_or(key).to_string();
        }
        let language = from_locale(self.locale);
        let bucket = level.bucket.unwrap_or(DateBucket::Day);
        let day = key.and_then(|key| bucket.parse_key(key));
        match (field.kind, bucket, day) {
            (FieldKind::Date, DateBucket::Day, Some(day)) => format_date_short(language, day),
            (FieldKind::Date, DateBucket::Month, Some(day)) => format_month_year(language, day),
            _ => group_label(self.locale, field, key),
        }
    }

    /// A figure column's measure, with its currency where amounts differ in currency.
    pub fn slot(&self, slot: &ValueSlot) -> String {
        let measure = &self.grid.measures()[slot.measure];
        let label = measure_label(self.locale, self.schema, measure);
        match (slot.money, slot.currency) {
            (true, Some(currency)) if self.grid.has_currencies() => {
                format!("{label} ({})", currency.code())
            }
            _ => label,
        }
    }

    /// A figure as shown: an amount with its currency, a count, a number, or its share.
    pub fn figure(&self, slot: &ValueSlot, value: &PivotValue, percentage: bool) -> String {
        let language = from_locale(self.locale);
        if percentage {
            return value.share.map_or_else(String::new, |share| {
                let percent = share * rust_decimal::Decimal::ONE_HUNDRED;
                format!("{} %", format_decimal(language, percent, 1))
            });
        }
        let Some(figure) = value.value else {
            return String::new();
        };
        match (
            slot.money,
            slot.currency,
            &self.grid.measures()[slot.measure],
        ) {
            (true, Some(currency), _) => Money::new(figure, currency).format(language),
            (_, _, Measure::Count) => format_decimal(language, figure, 0),
            _ => format_decimal(language, figure, 2),
        }
    }
}
