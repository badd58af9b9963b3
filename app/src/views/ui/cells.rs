//! How a cell and a group key read, per field kind and language.

use crate::i18n::{td_string, Locale};
use crate::locale::{format_date_short, format_decimal, format_sums, from_locale};
use crate::views::schema::{FieldDef, FieldKind};
use crate::views::{Cell, Total};
use leptos::prelude::*;

pub fn field_label(locale: Locale, field: &FieldDef) -> String {
    (field.label)(locale).to_string()
}

/// A cell as text (also what exports write, untranslated dates aside).
pub fn cell_text(locale: Locale, field: &FieldDef, cell: &Cell) -> String {
    let language = from_locale(locale);
    match (cell, field.kind) {
        (Cell::Empty, _) => String::new(),
        (Cell::Text(value), _) | (Cell::Link { text: value, .. }, _) => {
            field.value_label(locale, value)
        }
        (Cell::Money(money), _) => money.format(language),
        (Cell::Number(value), FieldKind::Money) => format_decimal(language, *value, 2),
        (Cell::Number(value), _) => format_decimal(language, *value, value.scale().min(4)),
        (Cell::Date(date), _) => format_date_short(language, *date),
        (Cell::Bool(value), _) => crate::views::schema::yes_no(locale, *value),
        (Cell::Tags(tags), _) => tags.join(", "),
    }
}

/// A group's total of a summed field: money per currency ("€1,200.00 · $300.00"), numbers as
/// one figure.
pub fn total_text(language: crate::domain::Language, total: &Total) -> String {
    match total {
        Total::Plain(sum) => format_decimal(language, *sum, 2),
        Total::PerCurrency(sums) => format_sums(language, sums),
    }
}

/// A group's heading: its value as people read it, or "None".
pub fn group_label(locale: Locale, field: &FieldDef, key: Option<&str>) -> String {
    match key {
        None | Some("") => td_string!(locale, views.group_empty).to_string(),
        Some(value) => field.value_label(locale, value),
    }
}

#[component]
pub fn CellView(field: &'static FieldDef, cell: Cell) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    match cell {
        Cell::Tags(tags) => view! {
            <span class="tags">
                {tags.into_iter().map(|tag| view! { <span class="tag">{tag}</span> }).collect_view()}
            </span>
        }
        .into_any(),
        Cell::Link { text, href } => view! {
            <a href=href>{move || field.value_label(i18n.get_locale(), &text)}</a>
        }
        .into_any(),
        cell => {
            let numeric = matches!(field.kind, FieldKind::Number | FieldKind::Money);
            view! {
                <span class:numeric=numeric>{move || cell_text(i18n.get_locale(), field, &cell)}</span>
            }
            .into_any()
        }
    }
}
