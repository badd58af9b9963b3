//! The grid a pivot shows, built once from the aggregated cells: a tree of groups per axis,
//! an index from (row group, column group) to figures, and the headers the layout opens.
//! Listing the open headers costs as much as there are of them and a figure is one hash
//! lookup, so a page can draw only the part of a 100,000-cell grid that is on screen.

use super::layout::{Axis, Level, Measure, Percentage, PivotLayout};
use super::path::GroupPath;
use super::period::PeriodShift;
use super::tree::{Rank, TotalAt, Tree, TOTAL};
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// A cell's keys on one axis, moved to the current period or as they came.
type KeysOf<'a> = Cow<'a, [Option<String>]>;

/// One aggregated cell, as one row of the GROUPING SETS statement: the keys it is grouped
/// on and its figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PivotCell {
    /// One key per row level the cell is grouped on: fewer keys than levels is a subtotal,
    /// none is the total of its column. A path longer than the levels is ignored.
    pub rows: GroupPath,
    pub columns: GroupPath,
    /// The currency of the records summed, for lists whose records differ in currency. Money
    /// measures keep one figure per currency; counts and numbers add the currencies up.
    pub currency: Option<Currency>,
    /// One figure per shown measure, in the layout's order (a count too). A missing figure
    /// stays empty; extra ones are ignored.
    pub values: Vec<Decimal>,
}

/// The same statement over the previous period, and how far back that period lies. Its
/// date-bucket keys are moved forward by as much, so that February's figures sit beside
/// March's; levels without a bucket keep their keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousCells {
    pub cells: Vec<PivotCell>,
    pub shift: PeriodShift,
}

/// A group of one axis of one grid. It stays the same while groups open and close, so a page
/// can key its rows on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(super) u32);

/// A shown row or column header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub node: NodeId,
    /// 0 for the total, 1 for a group of the first level, and so on.
    pub depth: usize,
    /// The group's key: `None` for the group without a value and for the total, which
    /// `total` tells apart.
    pub key: Option<String>,
    pub path: GroupPath,
    /// Whether it has groups below it.
    pub expandable: bool,
    /// Whether they are shown; its own figures are then their subtotal.
    pub expanded: bool,
    /// The total of the whole axis.
    pub total: bool,
}

/// What one figure of a cell is: a measure and, for money, one currency. Each shown column
/// has one figure per slot, in slot order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueSlot {
    /// Index into [`PivotGrid::measures`].
    pub measure: usize,
    /// A money measure has one slot per currency, never added together.
    pub money: bool,
    /// The currency of a money slot; `None` for other measures, and for money of records
    /// without a currency.
    pub currency: Option<Currency>,
}

/// A figure column: a shown column header and a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueColumn {
    /// Index among the shown column headers.
    pub column: usize,
    /// Index into [`PivotGrid::slots`].
    pub slot: usize,
}

/// One figure with what the layout shows beside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PivotValue {
    /// `None` where no record falls.
    pub value: Option<Decimal>,
    /// The figure as a share of its row's, its column's or the grand total, as the layout
    /// asks: a fraction, 0.25 for 25 %. `None` without a percentage mode, and when the total
    /// is zero or missing.
    pub share: Option<Decimal>,
    /// The previous period's figure, when the layout compares.
    pub previous: Option<Decimal>,
    /// The figure less the previous one, a missing one counting as zero.
    pub change: Option<Decimal>,
    /// The change as a fraction of the previous figure's size (0.5: half as much again);
    /// `None` when the previous figure is zero or missing.
    pub relative_change: Option<Decimal>,
}

/// A pivot ready to show: built once per answer of the statement, then asked for what is on
/// screen.
#[derive(Debug)]
pub struct PivotGrid {
    rows: Tree,
    columns: Tree,
    measures: Vec<Measure>,
    slots: Vec<ValueSlot>,
    has_currencies: bool,
    current: Figures,
    previous: Option<Figures>,
    percentage: Option<Percentage>,
}

impl PivotGrid {
    /// Indexes the cells once: O(cells) hash work and a sort of each group's children. The
    /// cells' figures follow `layout.shown_measures()`; `is_money` tells which field measures
    /// are money, from the list's schema. `previous` counts only when the layout compares.
    pub fn build(
        layout: &PivotLayout,
        is_money: impl Fn(&str) -> bool,
        cells: &[PivotCell],
        previous: Option<&PreviousCells>,
    ) -> PivotGrid {
        let previous = previous.filter(|_| layout.compare);
        let measures = layout.shown_measures();
        let previous_cells = previous.map_or(&[][..], |previous| previous.cells.as_slice());
        let mut currencies: Vec<Option<Currency>> = cells
            .iter()
            .chain(previous_cells)
            .map(|cell| cell.currency)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if currencies.is_empty() {
            currencies.push(None);
        }

        let mut slots = Vec::new();
        let mut first_slots = Vec::with_capacity(measures.len());
        for (measure, shown) in measures.iter().enumerate() {
            first_slots.push(slots.len());
            let money = matches!(shown, Measure::Sum(field) if is_money(field.as_str()));
            if money {
                slots.extend(currencies.iter().map(|&currency| ValueSlot {
                    measure,
                    money,
                    currency,
                }));
            } else {
                slots.push(ValueSlot {
                    measure,
                    money,
                    currency: None,
                });
            }
        }
        let slot_of = |measure: usize, currency: Option<Currency>| -> usize {
            let first = first_slots[measure];
            if slots[first].money {
                first + currencies.binary_search(&currency).unwrap_or(0)
            } else {
                first
            }
        };

        let mut rows = Tree::new(layout.levels(Axis::Rows), TotalAt::First);
        let mut columns = Tree::new(layout.levels(Axis::Columns), TotalAt::Last);
        let flipped = layout.flipped;
        let mut fill = |figures: &mut Figures, cell: &PivotCell, shift: Option<PeriodShift>| {
            let (row_path, column_path) = if flipped {
                (&cell.columns, &cell.rows)
            } else {
                (&cell.rows, &cell.columns)
            };
            if row_path.len() > rows.levels.len() || column_path.len() > columns.levels.len() {
                return;
            }
            let (row_path, column_path): (KeysOf<'_>, KeysOf<'_>) = match shift {
                Some(shift) => (
                    Cow::Owned(moved_forward(&rows.levels, row_path, shift)),
                    Cow::Owned(moved_forward(&columns.levels, column_path, shift)),
                ),
                None => (
                    Cow::Borrowed(row_path.as_slice()),
                    Cow::Borrowed(column_path.as_slice()),
                ),
            };
            let (Some(row), Some(column)) =
                (rows.node_for(&row_path), columns.node_for(&column_path))
            else {
                return;
            };
            for (measure, value) in cell.values.iter().take(measures.len()).enumerate() {
                figures.add(row, column, slot_of(measure, cell.currency), *value);
            }
        };
        let mut current = Figures::new(slots.len());
        for cell in cells {
            fill(&mut current, cell, None);
        }
        let before = previous.map(|previous| {
            let mut figures = Figures::new(slots.len());
            for cell in &previous.cells {
                fill(&mut figures, cell, Some(previous.shift));
            }
            figures
        });

        let sorted_by = layout.sort.as_ref().and_then(|sort| {
            let measure = measures.iter().position(|shown| *shown == sort.measure)?;
            let end = first_slots.get(measure + 1).copied().unwrap_or(slots.len());
            Some((first_slots[measure]..end, sort.descending))
        });
        match sorted_by {
            Some((measure_slots, descending)) => {
                let rank: &dyn Fn(u32) -> Rank = &|node: u32| Rank {
                    figures: measure_slots
                        .clone()
                        .map(|slot| current.get(node, TOTAL, slot))
                        .collect(),
                    descending,
                };
                rows.sort(Some(rank));
            }
            None => rows.sort(None),
        }
        columns.sort(None);
        rows.open(layout.expansion(Axis::Rows));
        columns.open(layout.expansion(Axis::Columns));

        PivotGrid {
            rows,
            columns,
            measures,
            has_currencies: currencies.iter().any(Option::is_some),
            slots,
            current,
            previous: before,
            percentage: layout.percentage,
        }
    }

    /// Opens and closes groups as `layout` says, without reading the cells again: what a
    /// click on a header costs. The layout must be the one built with but for its open groups.
    pub fn apply_expansion(&mut self, layout: &PivotLayout) {
        self.rows.open(layout.expansion(Axis::Rows));
        self.columns.open(layout.expansion(Axis::Columns));
    }

    /// The measures shown, in order.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// The figures of each shown column, in order.
    pub fn slots(&self) -> &[ValueSlot] {
        &self.slots
    }

    /// The levels of an axis as shown.
    pub fn levels(&self, axis: Axis) -> &[Level] {
        &self.tree(axis).levels
    }

    /// Whether any cell named a currency: money is then split and filtered by it.
    pub fn has_currencies(&self) -> bool {
        self.has_currencies
    }

    /// How many headers an axis shows, the total included.
    pub fn header_count(&self, axis: Axis) -> usize {
        self.tree(axis).visible.len()
    }

    /// The shown header at `index`. Rows list each open group's header above its groups,
    /// the total first; columns list it after them, the total last.
    pub fn header(&self, axis: Axis, index: usize) -> Option<Header> {
        let tree = self.tree(axis);
        Some(tree.header(tree.node_at(index)?))
    }

    /// The shown headers in `range` (clamped), for the part of the grid on screen.
    pub fn headers(&self, axis: Axis, range: Range<usize>) -> impl Iterator<Item = Header> + '_ {
        let tree = self.tree(axis);
        let end = range.end.min(tree.visible.len());
        let start = range.start.min(end);
        tree.visible[start..end]
            .iter()
            .map(move |&node| tree.header(node))
    }

    /// How many figure columns there are: a slot per shown column.
    pub fn value_column_count(&self) -> usize {
        self.columns.visible.len() * self.slots.len()
    }

    pub fn value_column(&self, index: usize) -> Option<ValueColumn> {
        let width = self.slots.len();
        let column = index.checked_div(width)?;
        if column < self.columns.visible.len() {
            Some(ValueColumn {
                column,
                slot: index % width,
            })
        } else {
            None
        }
    }

    /// The figure of a shown row and figure column: one lookup per figure asked.
    pub fn value(&self, row: usize, value_column: usize) -> Option<PivotValue> {
        let row = self.rows.node_at(row)?;
        let ValueColumn { column, slot } = self.value_column(value_column)?;
        let column = self.columns.node_at(column)?;
        Some(self.value_at(row, column, slot))
    }

    /// A shown row's total of one slot, over all columns.
    pub fn row_total(&self, row: usize, slot: usize) -> Option<Decimal> {
        self.current.get(self.rows.node_at(row)?, TOTAL, slot)
    }

    /// A figure column's total, over all rows.
    pub fn column_total(&self, value_column: usize) -> Option<Decimal> {
        let ValueColumn { column, slot } = self.value_column(value_column)?;
        self.current.get(TOTAL, self.columns.node_at(column)?, slot)
    }

    pub fn grand_total(&self, slot: usize) -> Option<Decimal> {
        self.current.get(TOTAL, TOTAL, slot)
    }

    fn tree(&self, axis: Axis) -> &Tree {
        match axis {
            Axis::Rows => &self.rows,
            Axis::Columns => &self.columns,
        }
    }

    fn value_at(&self, row: u32, column: u32, slot: usize) -> PivotValue {
        let value = self.current.get(row, column, slot);
        let share = self.percentage.and_then(|percentage| {
            let (of_row, of_column) = match percentage {
                Percentage::OfRow => (row, TOTAL),
                Percentage::OfColumn => (TOTAL, column),
                Percentage::OfTotal => (TOTAL, TOTAL),
            };
            ratio(value?, self.current.get(of_row, of_column, slot)?)
        });
        let mut figure = PivotValue {
            value,
            share,
            ..PivotValue::default()
        };
        if let Some(before) = &self.previous {
            let previous = before.get(row, column, slot);
            figure.previous = previous;
            figure.change = match (value, previous) {
                (None, None) => None,
                (now, then) => now
                    .unwrap_or_default()
                    .checked_sub(then.unwrap_or_default()),
            };
            figure.relative_change = previous
                .zip(figure.change)
                .and_then(|(then, change)| ratio(change, then.abs()));
        }
        figure
    }
}

/// `part / whole`, or `None` when the whole is zero.
fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        None
    } else {
        part.checked_div(whole)
    }
}

/// A previous period's path with its date-bucket keys moved onto the period compared.
fn moved_forward(levels: &[Level], path: &[Option<String>], shift: PeriodShift) -> GroupPath {
    path.iter()
        .zip(levels)
        .map(|(key, level)| match (key, level.bucket) {
            (Some(key), Some(bucket)) => Some(
                shift
                    .forward_key(bucket, key)
                    .unwrap_or_else(|| key.clone()),
            ),
            _ => key.clone(),
        })
        .collect()
}

/// Figures per (row group, column group): `width` slots each, in one flat vector.
#[derive(Debug)]
struct Figures {
    width: usize,
    index: HashMap<(u32, u32), usize>,
    flat: Vec<Option<Decimal>>,
}

impl Figures {
    fn new(width: usize) -> Figures {
        Figures {
            width,
            index: HashMap::new(),
            flat: Vec::new(),
        }
    }

    fn get(&self, row: u32, column: u32, slot: usize) -> Option<Decimal> {
        if slot >= self.width {
            return None;
        }
        let block = *self.index.get(&(row, column))?;
        self.flat.get(block * self.width + slot).copied().flatten()
    }

    /// Adds to a figure: the statement's one row per currency adds up in the slots that are
    /// not split by currency. Sums saturate rather than overflow.
    fn add(&mut self, row: u32, column: u32, slot: usize, value: Decimal) {
        let width = self.width;
        if slot >= width {
            return;
        }
        let (index, flat) = (&mut self.index, &mut self.flat);
        let block = *index.entry((row, column)).or_insert_with(|| {
            let block = flat.len() / width;
            flat.resize(flat.len() + width, None);
            block
        });
        if let Some(figure) = flat.get_mut(block * width + slot) {
            *figure = Some(figure.map_or(value, |sum| sum.saturating_add(value)));
        }
    }
}
