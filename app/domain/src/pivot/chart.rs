//! The graph of a pivot: its first row level as the groups along the axis, its first column
//! level (or the total) as the series, one measure as the value (a money measure gives one
//! series per currency, never added together). Many groups fold into "Other" after the
//! largest; a line may add up as it goes. The page draws it; this is what it draws.

use super::grid::PivotGrid;
use super::layout::Axis;
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Groups drawn before the rest are folded into "Other", unless the user shows all.
pub const TOP_GROUPS: usize = 12;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChartKind {
    #[default]
    Bar,
    Line,
    Pie,
}

impl ChartKind {
    pub const ALL: [ChartKind; 3] = [ChartKind::Bar, ChartKind::Line, ChartKind::Pie];

    pub fn as_str(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Line => "line",
            ChartKind::Pie => "pie",
        }
    }

    pub fn parse(text: &str) -> Option<ChartKind> {
        ChartKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// How the graph is drawn, in the URL beside the pivot's layout: `gt` (bar, line, pie),
/// `gs=1` (bars stacked), `gc=1` (a line adds up), `ga=1` (every group, nothing folded).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChartOptions {
    pub kind: ChartKind,
    pub stacked: bool,
    pub cumulative: bool,
    pub all_groups: bool,
}

impl ChartOptions {
    /// Reads its keys; the others are the list's and the pivot's.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ChartOptions {
        let mut options = ChartOptions::default();
        for (key, value) in pairs {
            match key {
                "gt" => options.kind = ChartKind::parse(value).unwrap_or_default(),
                "gs" => options.stacked = value == "1",
                "gc" => options.cumulative = value == "1",
                "ga" => options.all_groups = value == "1",
                _ => {}
            }
        }
        options
    }

    /// Its URL pairs; none for the defaults.
    pub fn to_pairs(self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = Vec::new();
        if self.kind != ChartKind::Bar {
            pairs.push(("gt", self.kind.as_str()));
        }
        for (key, on) in [
            ("gs", self.stacked),
            ("gc", self.cumulative),
            ("ga", self.all_groups),
        ] {
            if on {
                pairs.push((key, "1"));
            }
        }
        pairs
    }
}

/// One place along the axis (a bar group, a point, a slice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartGroup {
    /// The shown row of the grid it is, for its label and its drill-down; `None` for "Other".
    pub row: Option<usize>,
    /// How many groups "Other" holds.
    pub folded: usize,
}

/// One series: a shown column of the grid (or the total) in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartSeries {
    /// The shown column of the grid, for its label.
    pub column: usize,
    /// The figure column of the grid, for its drill-down.
    pub value_column: usize,
    pub currency: Option<Currency>,
    /// One figure per group; `None` where no record falls.
    pub values: Vec<Option<Decimal>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    pub groups: Vec<ChartGroup>,
    pub series: Vec<ChartSeries>,
    /// Groups left out by folding.
    pub folded: usize,
}

impl Chart {
    /// The chart of `measure` (an index into the grid's measures) from a grid whose groups
    /// are all closed: its first-level rows are the groups, its first-level columns the
    /// series (the total column when it has no column levels).
    pub fn of(grid: &PivotGrid, measure: usize, options: ChartOptions) -> Chart {
        let rows: Vec<usize> = level_one(grid, Axis::Rows);
        let columns: Vec<usize> = level_one(grid, Axis::Columns);
        let width = grid.slots().len();
        let mut series = Vec::new();
        for &column in &columns {
            for (slot_index, slot) in grid.slots().iter().enumerate() {
                if slot.measure != measure {
                    continue;
                }
                let value_column = column * width + slot_index;
                series.push(ChartSeries {
                    column,
                    value_column,
                    currency: slot.currency,
                    values: rows
                        .iter()
                        .map(|&row| grid.value(row, value_column).and_then(|v| v.value))
                        .collect(),
                });
            }
        }
        let mut chart = Chart {
            groups: rows
                .iter()
                .map(|&row| ChartGroup {
                    row: Some(row),
                    folded: 0,
                })
                .collect(),
            series,
            folded: 0,
        };
        if !options.all_groups {
            chart.fold(TOP_GROUPS);
        }
        if options.cumulative && options.kind == ChartKind::Line {
            chart.accumulate();
        }
        chart
    }

    /// Keeps the `top` groups of largest size (over every series) in their order and adds
    /// the rest up as one "Other" group at the end.
    fn fold(&mut self, top: usize) {
        if self.groups.len() <= top || top == 0 {
            return;
        }
        let size = |group: usize| -> Decimal {
            self.series
                .iter()
                .filter_map(|s| s.values[group])
                .map(|v| v.abs())
                .sum()
        };
        let mut by_size: Vec<usize> = (0..self.groups.len()).collect();
        by_size.sort_by(|&a, &b| size(b).cmp(&size(a)).then(a.cmp(&b)));
        let mut kept = by_size[..top - 1].to_vec();
        kept.sort_unstable();
        let folded = self.groups.len() - kept.len();
        for series in &mut self.series {
            let other = (0..series.values.len())
                .filter(|group| !kept.contains(group))
                .filter_map(|group| series.values[group])
                .reduce(|a, b| a + b);
            let mut values: Vec<Option<Decimal>> = kept.iter().map(|&g| series.values[g]).collect();
            values.push(other);
            series.values = values;
        }
        let mut groups: Vec<ChartGroup> = kept.iter().map(|&g| self.groups[g].clone()).collect();
        groups.push(ChartGroup { row: None, folded });
        self.groups = groups;
        self.folded = folded;
    }

    /// Each figure becomes the sum of its series up to it.
    fn accumulate(&mut self) {
        for series in &mut self.series {
            let mut running = Decimal::ZERO;
            for value in &mut series.values {
                running += value.unwrap_or_default();
                *value = Some(running);
            }
        }
    }

    /// The range the value axis must show: from zero (or below, for negative figures) to
    /// the largest figure, or to the largest stack when bars are stacked.
    pub fn extent(&self, stacked: bool) -> (Decimal, Decimal) {
        let mut low = Decimal::ZERO;
        let mut high = Decimal::ZERO;
        for group in 0..self.groups.len() {
            let figures = self.series.iter().filter_map(|s| s.values[group]);
            if stacked {
                let (up, down) = figures.fold((Decimal::ZERO, Decimal::ZERO), |(u, d), v| {
                    if v >= Decimal::ZERO {
                        (u + v, d)
                    } else {
                        (u, d + v)
                    }
                });
                high = high.max(up);
                low = low.min(down);
            } else {
                for v in figures {
                    high = high.max(v);
                    low = low.min(v);
                }
            }
        }
        (low, high)
    }
}

/// The shown headers of the first level of an axis; the total when the axis has no levels.
fn level_one(grid: &PivotGrid, axis: Axis) -> Vec<usize> {
    let count = grid.header_count(axis);
    let firsts: Vec<usize> = (0..count)
        .filter(|&i| grid.header(axis, i).is_some_and(|h| h.depth == 1))
        .collect();
    if firsts.is_empty() {
        (0..count)
            .filter(|&i| grid.header(axis, i).is_some_and(|h| h.total))
            .collect()
    } else {
        firsts
    }
}

/// Round steps for a value axis from `low` to `high`: 1, 2 or 5 times a power of ten, about
/// `ticks` of them, covering the range.
pub fn axis_steps(low: Decimal, high: Decimal, ticks: u32) -> Vec<Decimal> {
    let span = high - low;
    if span <= Decimal::ZERO || ticks == 0 {
        return vec![Decimal::ZERO];
    }
    let rough = span / Decimal::from(ticks);
    let mut power = Decimal::ONE;
    while power * Decimal::TEN <= rough {
        power *= Decimal::TEN;
    }
    while power > rough && power > Decimal::new(1, 6) {
        power /= Decimal::TEN;
    }
    let step = [Decimal::ONE, Decimal::TWO, Decimal::from(5), Decimal::TEN]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(power * Decimal::TEN);
    let first = (low / step).floor() * step;
    let mut steps = Vec::new();
    let mut at = first;
    while at < high + step && steps.len() < 50 {
        steps.push(at);
        at += step;
    }
    steps
}
