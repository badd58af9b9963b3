//! The pivot view of a list: which grouping fields make its rows and columns, which figures
//! it sums, which groups are open, and the grid built from the aggregated cells that one
//! GROUPING SETS statement returns. The statement and the page come from elsewhere; this is
//! the part both sides agree on, so the browser and the server build the same grid.

mod chart;
mod drill;
mod grid;
mod layout;
mod path;
mod period;
mod tree;

#[cfg(test)]
mod tests;

pub use chart::{axis_steps, Chart, ChartGroup, ChartKind, ChartOptions, ChartSeries, TOP_GROUPS};
pub use drill::{DrillError, DrillFilter, FilterKind, BETWEEN, CURRENCY_FIELD};
pub use grid::{
    Header, NodeId, PivotCell, PivotGrid, PivotValue, PreviousCells, ValueColumn, ValueSlot,
};
pub use layout::{Axis, Expansion, Level, Measure, MeasureSort, Percentage, PivotLayout};
pub use path::{decode_path, encode_path, GroupPath};
pub use period::{DateBucket, Period, PeriodShift};

/// Levels per axis: a fourth would not be read.
pub const MAX_LEVELS: usize = 3;
/// Measures shown at once.
pub const MAX_MEASURES: usize = 4;
/// Groups an axis lists as open (or, under "expand all", as closed).
pub const MAX_LISTED_PATHS: usize = 100;
/// The longest group key a path or a drill-down filter carries, in characters: the list's
/// own bound on a filter value (`views::state::MAX_VALUE_LEN`).
pub const MAX_KEY_CHARS: usize = 200;
pub const MAX_FIELD_KEY_LEN: usize = 64;
/// The longest query value read at all, in bytes: room for a path of `MAX_LEVELS` keys of
/// `MAX_KEY_CHARS` characters. Longer values are dropped unread.
pub const MAX_PAIR_LEN: usize = 2_500;
