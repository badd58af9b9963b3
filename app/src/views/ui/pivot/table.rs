//! The pivot's table: column headers in two rows (groups, then measures), and only the
//! rows (and, when it is wide, the columns) near the screen, so that a grid of 100,000 figures
//! draws as fast as a small one.

use super::{drill_href, layout_href};
use crate::domain::pivot::{
    Axis, Header, Measure, MeasureSort, PivotGrid, PivotLayout, PivotValue,
};
use crate::i18n::{td_string, Locale};
use crate::views::pivot::text::PivotText;
use crate::views::pivot::{is_money, PivotAnswer};
use crate::views::ui::ListContext;
use leptos::prelude::*;
use std::ops::Range;

/// The height of a row of figures, in pixels (the style sheet gives rows this height).
const ROW_PX: f64 = 36.0;
/// The width of a figure's cell in a wide pivot, in pixels (`.pivot-table--wide` in the
/// style sheet gives them this width).
const FIGURE_PX: f64 = 132.0;
/// Rows and figure cells by which the drawn windows move.
const ROW_STEP: usize = 10;
const CELL_STEP: usize = 5;
/// A pivot wider than this many figure cells draws only the columns near the screen.
const WIDE_CELLS: usize = 60;

/// What the table draws of a frame it has not measured yet: more than most screens show.
const FIRST_ROWS: (usize, usize) = (0, 60);
const FIRST_CELLS: (usize, usize) = (0, 30);

/// The rows and figure cells the table draws: those in the pivot's frame and a step more on
/// each side. The table follows the frame as it scrolls and redraws only when a window moves.
#[derive(Clone, Copy)]
pub(super) struct Scrolled {
    rows: RwSignal<(usize, usize)>,
    cells: RwSignal<(usize, usize)>,
}

impl Scrolled {
    pub fn new() -> Self {
        Self {
            rows: RwSignal::new(FIRST_ROWS),
            cells: RwSignal::new(FIRST_CELLS),
        }
    }

    pub fn follow(&self, frame: &web_sys::Element) {
        let rows = window(frame.scroll_top(), frame.client_height(), ROW_PX, ROW_STEP);
        let cells = window(
            frame.scroll_left(),
            frame.client_width(),
            FIGURE_PX,
            CELL_STEP,
        );
        if self.rows.get_untracked() != rows {
            self.rows.set(rows);
        }
        if self.cells.get_untracked() != cells {
            self.cells.set(cells);
        }
    }
}

/// The items `px` pixels long to draw in a frame of `size` pixels scrolled to `offset`: those
/// in view and a step more on each side, the ends on steps, so that scrolling within a step
/// draws nothing new.
fn window(offset: i32, size: i32, px: f64, step: usize) -> (usize, usize) {
    let (offset, size) = (f64::from(offset.max(0)), f64::from(size.max(0)));
    let first = (offset / px) as usize;
    let last = ((offset + size) / px).ceil() as usize;
    (
        (first / step).saturating_sub(1) * step,
        (last.div_ceil(step) + 1) * step,
    )
}

/// A gap standing in for `cells` figure cells that are not drawn.
fn gap(cells: usize, head: bool) -> Option<AnyView> {
    (cells > 0).then(|| {
        let px = format!("{}px", cells as f64 * FIGURE_PX);
        if head {
            view! { <th class="pivot-gap" rowspan="2" aria-hidden="true" style:width=px.clone() style:min-width=px></th> }.into_any()
        } else {
            view! { <td class="pivot-gap" aria-hidden="true" style:width=px.clone() style:min-width=px></td> }.into_any()
        }
    })
}

pub(super) fn grid_view(
    locale: Locale,
    list: ListContext,
    layout: &PivotLayout,
    answer: PivotAnswer,
    scrolled: Scrolled,
) -> AnyView {
    let schema = list.schema;
    let previous = answer.previous.as_ref();
    let grid = PivotGrid::build(layout, |key| is_money(schema, key), &answer.cells, previous);
    // Compared with the period before: each figure has its change beside it.
    let compared = layout.compare && previous.is_some();
    let per_figure = if compared { 2 } else { 1 };
    let slots = grid.slots().to_vec();
    // The cells under one column header: a figure per slot, each with its change.
    let width = slots.len().max(1) * per_figure;
    let columns: Vec<Header> = grid
        .headers(Axis::Columns, 0..grid.header_count(Axis::Columns))
        .collect();
    let column_count = columns.len();
    // Only a wide pivot draws just the columns near the screen; the others draw them all at
    // their own widths.
    let wide = column_count * width > WIDE_CELLS;
    let shown_columns = Memo::new(move |_| {
        if !wide {
            return (0, column_count);
        }
        let (first, last) = scrolled.cells.get();
        let end = last.div_ceil(width).clamp(1, column_count);
        ((first / width).min(end - 1), end)
    });
    // The cells a row spans as drawn: its header, the figures and the gaps beside them.
    let span = move || {
        let (start, end) = shown_columns.get();
        1 + (end - start) * width + usize::from(start > 0) + usize::from(end < column_count)
    };
    let name_px = wide.then(|| format!("{}px", width as f64 * FIGURE_PX - 48.0));
    let count = grid.header_count(Axis::Rows);
    let layout = layout.clone();
    let shown = std::sync::Arc::new((grid, answer, columns, slots));
    let head = {
        let (list, layout, shown) = (list, layout.clone(), shown.clone());
        move || {
            let (start, end) = shown_columns.get();
            let (grid, answer, columns, slots) = &*shown;
            let reader = PivotText::new(locale, schema, grid, answer);
            let column_headers = columns[start..end]
                .iter()
                .map(|header| {
                    let name = reader.header(Axis::Columns, header);
                    view! {
                        <th colspan=width scope="colgroup" class:pivot-total=header.total data-depth=header.depth>
                            {toggle(locale, &list, &layout, Axis::Columns, header, &name)}
                            <span style:max-width=name_px.clone()>{name}</span>
                        </th>
                    }
                })
                .collect_view();
            let slot_headers = columns[start..end]
                .iter()
                .flat_map(|_| slots.iter())
                .map(|slot| {
                    let measure = grid.measures()[slot.measure].clone();
                    let (sorted, href) = sort_link(&list, &layout, measure);
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
            view! {
                <tr>
                    <td class="pivot-corner" rowspan="2"></td>
                    {gap(start * width, true)}
                    {column_headers}
                    {gap((column_count - end) * width, true)}
                </tr>
                <tr>{slot_headers}</tr>
            }
        }
    };
    // Only the rows near the screen are drawn, each once: moving the window adds the rows
    // that come into it and removes those that leave. Spacers keep the table's height.
    let window = Memo::new(move |_| {
        let (start, end) = scrolled.rows.get();
        (start.min(count), end.min(count))
    });
    let spacer = move |rows: usize| {
        (rows > 0).then(|| view! {
            <tr class="pivot-spacer" aria-hidden="true" style:height=format!("{}px", rows as f64 * ROW_PX)>
                <td colspan=span()></td>
            </tr>
        })
    };
    let row = move |(row, (start, end)): (usize, (usize, usize))| {
        let (grid, answer, ..) = &*shown;
        let rows = Rows {
            locale,
            list: &list,
            layout: &layout,
            grid,
            reader: PivotText::new(locale, schema, grid, answer),
            compared,
        };
        let slots = grid.slots().len();
        let gaps = (start * width, (column_count - end) * width);
        rows.row(row, start * slots..end * slots, gaps)
    };
    // A row is keyed by the columns it draws too: moving sideways redraws the rows.
    let body = view! {
        {move || spacer(window.get().0)}
        <For
            each=move || {
                let ((start, end), columns) = (window.get(), shown_columns.get());
                (start..end).map(move |row| (row, columns))
            }
            key=|row| *row
            children=row
        />
        {move || spacer(count - window.get().1)}
    };
    view! {
        <table class="pivot-table" class:pivot-table--wide=wide data-testid="pivot-table">
            <caption class="visually-hidden">{td_string!(locale, views.pivot_caption)}</caption>
            <thead>{head}</thead>
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

/// What drawing a row needs of the grid as shown.
struct Rows<'a> {
    locale: Locale,
    list: &'a ListContext,
    layout: &'a PivotLayout,
    grid: &'a PivotGrid,
    reader: PivotText<'a>,
    compared: bool,
}

impl Rows<'_> {
    /// One shown row: its header, then the figures in `figures` (figure columns), each as a
    /// link to the list of its records, with gaps of `gaps` cells before and after them.
    fn row(&self, row: usize, figures: Range<usize>, gaps: (usize, usize)) -> Option<AnyView> {
        let Self {
            locale,
            list,
            layout,
            grid,
            compared,
            ..
        } = *self;
        let reader = &self.reader;
        let header = grid.header(Axis::Rows, row)?;
        let name = reader.header(Axis::Rows, &header);
        let percentage = layout.percentage.is_some();
        let figures = figures
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
                    {gap(gaps.0, false)}
                    {figures}
                    {gap(gaps.1, false)}
                </tr>
            }
            .into_any(),
        )
    }
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

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn a_window_holds_what_is_in_view_and_a_step_on_each_side() {
        // 20 rows of 36 px in view from row 100 on: rows 90 to 130.
        assert_eq!(window(3600, 720, 36.0, 10), (90, 130));
        // A little further, both ends stay within their steps: the same window.
        assert_eq!(window(3610, 720, 36.0, 10), (90, 140));
        assert_eq!(window(3700, 720, 36.0, 10), (90, 140));
        // At the top nothing is drawn before the first row.
        assert_eq!(window(0, 720, 36.0, 10), (0, 30));
        // Negative offsets (an overscrolling phone) count as the top.
        assert_eq!(window(-40, 720, 36.0, 10), (0, 30));
    }
}
