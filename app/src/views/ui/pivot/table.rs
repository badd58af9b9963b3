//! The pivot's table: column headers in two rows (groups, then measures), and only the
//! rows near the screen, so that a grid of 100,000 figures draws as fast as a small one.

use super::{drill_href, layout_href};
use crate::domain::pivot::{
    Axis, Header, Measure, MeasureSort, PivotGrid, PivotLayout, PivotValue,
};
use crate::i18n::{td_string, Locale};
use crate::views::pivot::text::PivotText;
use crate::views::pivot::{is_money, PivotAnswer};
use crate::views::ui::ListContext;
use leptos::prelude::*;

/// The height of a row of figures, in pixels (the style sheet gives rows this height).
pub(super) const ROW_PX: f64 = 36.0;
/// Rows by which the drawn window moves; it draws three steps, about three screens.
pub(super) const WINDOW_STEP: usize = 40;

pub(super) fn grid_view(
    locale: Locale,
    list: ListContext,
    layout: &PivotLayout,
    answer: PivotAnswer,
    first: RwSignal<usize>,
) -> AnyView {
    let schema = list.schema;
    let previous = answer.previous.as_ref();
    let grid = PivotGrid::build(layout, |key| is_money(schema, key), &answer.cells, previous);
    let reader = PivotText::new(locale, schema, &grid, &answer);
    // Compared with the period before: each figure has its change beside it.
    let compared = layout.compare && previous.is_some();
    let per_figure = if compared { 2 } else { 1 };
    let slots = grid.slots().to_vec();
    let width = slots.len().max(1) * per_figure;
    let columns: Vec<Header> = grid
        .headers(Axis::Columns, 0..grid.header_count(Axis::Columns))
        .collect();
    let column_headers = columns
        .iter()
        .map(|header| {
            let name = reader.header(Axis::Columns, header);
            view! {
                <th colspan=width scope="colgroup" class:pivot-total=header.total data-depth=header.depth>
                    {toggle(locale, &list, layout, Axis::Columns, header, &name)}<span>{name}</span>
                </th>
            }
        })
        .collect_view();
    let slot_headers = columns
        .iter()
        .flat_map(|_| slots.iter())
        .map(|slot| {
            let measure = grid.measures()[slot.measure].clone();
            let (sorted, href) = sort_link(&list, layout, measure);
            let change = compared.then(|| view! {
                <th scope="col" class="pivot-measure pivot-change">{td_string!(locale, views.pivot_change)}</th>
            });
            view! {
                <th scope="col" class="pivot-measure" aria-sort=sorted>
                    <a href=href data-sort=slot.measure>{reader.slot(slot)}</a>
                </th>
                {change}
            }
        })
        .collect_view();
    let span = 1 + grid.value_column_count() * per_figure;
    let count = grid.header_count(Axis::Rows);
    let layout = layout.clone();
    let shown = std::sync::Arc::new((grid, answer));
    // Only the rows near the screen are drawn, each once: moving the window adds the rows
    // that come into it and removes those that leave. Spacers keep the table's height.
    let window = Memo::new(move |_| {
        let start = first.get().min(count);
        (start, (start + 3 * WINDOW_STEP).min(count))
    });
    let spacer = move |rows: usize| {
        (rows > 0).then(|| view! {
            <tr class="pivot-spacer" aria-hidden="true" style:height=format!("{}px", rows as f64 * ROW_PX)>
                <td colspan=span></td>
            </tr>
        })
    };
    let row = move |row: usize| {
        let (grid, answer) = &*shown;
        let reader = PivotText::new(locale, schema, grid, answer);
        row_view(locale, &list, &layout, grid, &reader, row, compared)
    };
    let body = view! {
        {move || spacer(window.get().0)}
        <For each=move || { let (start, end) = window.get(); start..end } key=|row| *row children=row/>
        {move || spacer(count - window.get().1)}
    };
    view! {
        <table class="pivot-table" data-testid="pivot-table">
            <caption class="visually-hidden">{td_string!(locale, views.pivot_caption)}</caption>
            <thead>
                <tr><td class="pivot-corner" rowspan="2"></td>{column_headers}</tr>
                <tr>{slot_headers}</tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

/// A header's button that opens or closes its group, for groups that have groups below.
fn toggle(
    locale: Locale,
    list: &ListContext,
    layout: &PivotLayout,
    axis: Axis,
    header: &Header,
    name: &str,
) -> AnyView {
    if !header.expandable || header.total {
        return ().into_any();
    }
    let href = layout_href(list, &layout.toggled(axis, &header.path));
    let label = if header.expanded {
        td_string!(locale, views.pivot_collapse, name = name.to_string()).to_string()
    } else {
        td_string!(locale, views.pivot_expand, name = name.to_string()).to_string()
    };
    let sign = if header.expanded { "−" } else { "+" };
    view! { <a class="pivot-toggle" href=href aria-label=label aria-expanded=header.expanded.to_string()>{sign}</a> }.into_any()
}

/// One shown row: its header, then each figure as a link to the list of its records.
fn row_view(
    locale: Locale,
    list: &ListContext,
    layout: &PivotLayout,
    grid: &PivotGrid,
    reader: &PivotText,
    row: usize,
    compared: bool,
) -> Option<AnyView> {
    let header = grid.header(Axis::Rows, row)?;
    let name = reader.header(Axis::Rows, &header);
    let percentage = layout.percentage.is_some();
    let figures =
        (0..grid.value_column_count())
            .map(|column| {
                let value = grid.value(row, column).unwrap_or_default();
                let slot = grid
                    .value_column(column)
                    .and_then(|c| grid.slots().get(c.slot).copied());
                let text = slot
                    .map(|slot| reader.figure(&slot, &value, percentage))
                    .unwrap_or_default();
                let change = compared.then(|| {
                    let text = change_text(locale, &value);
                    let falling = value
                        .change
                        .is_some_and(|c| c.is_sign_negative() && !c.is_zero());
                    view! { <td class="pivot-change" class:pivot-change--down=falling>{text}</td> }
                });
                let figure = match value.value.and_then(|_| drill_href(list, grid, row, column)) {
                Some(href) => view! {
                    <td><a href=href title=td_string!(locale, views.pivot_open_cell)>{text}</a></td>
                }
                .into_any(),
                None => view! { <td>{text}</td> }.into_any(),
            };
                view! { {figure}{change} }
            })
            .collect_view();
    Some(
        view! {
            <tr class:pivot-total=header.total data-depth=header.depth>
                <th scope="row">
                    {toggle(locale, list, layout, Axis::Rows, &header, &name)}<span>{name}</span>
                </th>
                {figures}
            </tr>
        }
        .into_any(),
    )
}

/// A measure's header as a link that sorts the rows by it: largest first, then smallest
/// first, then as they were; and the header's `aria-sort`.
fn sort_link(
    list: &ListContext,
    layout: &PivotLayout,
    measure: Measure,
) -> (Option<&'static str>, String) {
    let current = layout.sort.as_ref().filter(|sort| sort.measure == measure);
    let (sorted, next) = match current {
        Some(sort) if sort.descending => (
            Some("descending"),
            Some(MeasureSort {
                measure,
                descending: false,
            }),
        ),
        Some(_) => (Some("ascending"), None),
        None => (
            None,
            Some(MeasureSort {
                measure,
                descending: true,
            }),
        ),
    };
    let href = layout_href(
        list,
        &PivotLayout {
            sort: next,
            ..layout.clone()
        },
    );
    (sorted, href)
}

/// The change from the period before: "+12.5 %", or the difference where the period before
/// had nothing.
fn change_text(locale: Locale, value: &PivotValue) -> String {
    let language = crate::locale::from_locale(locale);
    let signed = |number: rust_decimal::Decimal, decimals: u32| {
        let sign = if number.is_sign_positive() && !number.is_zero() {
            "+"
        } else {
            ""
        };
        format!(
            "{sign}{}",
            crate::locale::format_decimal(language, number, decimals)
        )
    };
    match (value.relative_change, value.change) {
        (Some(relative), _) => format!(
            "{} %",
            signed(relative * rust_decimal::Decimal::ONE_HUNDRED, 1)
        ),
        (None, Some(change)) if !change.is_zero() => signed(change, 2),
        _ => String::new(),
    }
}
