//! The pivot view of a list: which of the list's fields can group its axes and which it can
//! sum, the one GROUPING SETS statement that aggregates the view, and the answer the page
//! builds its grid from (`domain::pivot` holds the layout and the grid themselves).

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod query;
pub mod text;
#[cfg(feature = "ssr")]
pub mod xlsx;

use super::schema::{FieldDef, FieldKind, ListSchema};
use crate::domain::pivot::{
    ChartOptions, FilterKind, Level, Measure, Period, PivotCell, PivotLayout, PreviousCells,
};
use crate::domain::FilterError;
use crate::views::state::ViewState;
use serde::{Deserialize, Serialize};

/// Cells one answer holds at the most: a 100,000-cell pivot fits twice over; beyond, the
/// view asks for narrower filters instead of sending a page no browser could hold.
pub const MAX_CELLS: usize = 250_000;

/// The longest view query a pivot reads: the list's filters and the layout, with room.
pub const MAX_QUERY_LEN: usize = 8_000;

/// What the statement returned: the cells, and the names of the groups whose keys are ids;
/// with "compare", the same statement over the period before the view's date range.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PivotAnswer {
    pub cells: Vec<PivotCell>,
    pub previous: Option<PreviousCells>,
    /// `(field key, group key, label)` for each user and record group.
    pub labels: Vec<(String, String, String)>,
}

/// Whether a field can group an axis: dates (by a calendar bucket), users and records (by
/// id, so that a figure opens as a list), and the fields a list groups by. Not tags: a
/// record with two tags would count twice.
pub fn groups_axis(field: &FieldDef) -> bool {
    match field.kind {
        FieldKind::Date | FieldKind::User | FieldKind::Record => true,
        FieldKind::Tags => false,
        _ => field.group_sql.is_some(),
    }
}

/// Whether a field can be summed: the figures a list sums in its group headers (amounts,
/// hours, budgets), not every number (a probability or a priority adds up to nothing).
pub fn sums(field: &FieldDef) -> bool {
    field.summed && matches!(field.kind, FieldKind::Number | FieldKind::Money)
}

/// Whether a group key of this field is an id, shown by a label the answer carries.
pub fn keyed_by_id(field: &FieldDef) -> bool {
    matches!(field.kind, FieldKind::User | FieldKind::Record)
}

/// How the list filters the field, for a drill-down.
pub fn filter_kind(field: &FieldDef) -> FilterKind {
    match field.kind {
        FieldKind::Text => FilterKind::Text,
        FieldKind::Number | FieldKind::Money => FilterKind::Number,
        FieldKind::Date => FilterKind::Date,
        FieldKind::Enum(_) => FilterKind::Enum,
        FieldKind::User => FilterKind::User,
        FieldKind::Record => FilterKind::Record,
        FieldKind::Tags => FilterKind::Tags,
        FieldKind::Boolean => FilterKind::Boolean,
    }
}

/// The fields a pivot of this list can group by, in schema order.
pub fn axis_fields(schema: &ListSchema) -> impl Iterator<Item = &'static FieldDef> {
    schema.fields.iter().filter(|f| groups_axis(f))
}

/// The fields a pivot of this list can sum, in schema order.
pub fn measure_fields(schema: &ListSchema) -> impl Iterator<Item = &'static FieldDef> {
    schema.fields.iter().filter(|f| sums(f))
}

/// A level checked against the list: its field, and a bucket only on a date.
pub fn level_field(schema: &ListSchema, level: &Level) -> Result<&'static FieldDef, FilterError> {
    let field = schema
        .field(&level.field)
        .filter(|f| groups_axis(f))
        .filter(|f| level.bucket.is_none() || f.kind == FieldKind::Date)
        .ok_or_else(|| FilterError::NotGroupable(level.field.clone()))?;
    Ok(field)
}

/// A measure checked against the list: `None` for the count, else the summed field.
pub fn measure_field(
    schema: &ListSchema,
    measure: &Measure,
) -> Result<Option<&'static FieldDef>, FilterError> {
    match measure {
        Measure::Count => Ok(None),
        Measure::Sum(key) => schema
            .field(key)
            .filter(|f| sums(f))
            .map(Some)
            .ok_or_else(|| FilterError::UnknownField(key.clone())),
    }
}

/// Whether a measure sums money, for the grid's per-currency columns.
pub fn is_money(schema: &ListSchema, key: &str) -> bool {
    schema
        .field(key)
        .is_some_and(|f| f.kind == FieldKind::Money)
}

/// How a list is analysed instead of listed: as a pivot, or as a graph of the same layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analysis {
    Pivot,
    Graph(ChartOptions),
}

impl Analysis {
    /// What a URL query shows (`show=pivot`, or `show=graph` with the graph's options);
    /// `None` for the list and the other ways of showing it.
    pub fn of(query: &str) -> Option<Analysis> {
        let pairs = super::state::decode_query(query);
        let shown = pairs.iter().find(|(key, _)| key == "show")?;
        match shown.1.as_str() {
            "pivot" => Some(Analysis::Pivot),
            "graph" => Some(Analysis::Graph(ChartOptions::from_pairs(
                pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            ))),
            _ => None,
        }
    }

    /// `show=…`, the layout and the graph's options: what a page, a favorite or a link
    /// keeps beside the view to show it this way.
    pub fn query(self, layout: &PivotLayout) -> String {
        let show = match self {
            Analysis::Pivot => "pivot",
            Analysis::Graph(_) => "graph",
        };
        let options = match self {
            Analysis::Graph(options) => options.to_pairs(),
            Analysis::Pivot => Vec::new(),
        };
        std::iter::once(("show", show.to_string()))
            .chain(layout.to_pairs())
            .chain(options.into_iter().map(|(k, v)| (k, v.to_string())))
            .map(|(key, value)| format!("{key}={}", super::state::encode(&value)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The date range of a view that a pivot can compare with the period before it: its first
/// `between` filter on a date field, by its place among the view's filters.
pub fn compared_period(schema: &ListSchema, state: &ViewState) -> Option<(usize, Period)> {
    state.filters.iter().enumerate().find_map(|(at, filter)| {
        let field = schema.field(&filter.field)?;
        if field.kind != FieldKind::Date || filter.op != super::filter::BETWEEN {
            return None;
        }
        let (from, to) = super::filter::date_range(&filter.value)?;
        Some((at, Period::new(from, to)?))
    })
}

/// The same view over the period before its date range, and how far back that lies.
pub fn previous_view(
    schema: &ListSchema,
    state: &ViewState,
) -> Option<(ViewState, crate::domain::pivot::PeriodShift)> {
    let (at, period) = compared_period(schema, state)?;
    let (previous, shift) = period.previous()?;
    let mut view = state.clone();
    view.filters[at].value = format!("{}..{}", previous.first(), previous.last());
    Some((view, shift))
}

/// The layout of a URL query: the pivot's own keys, beside the list's.
pub fn layout_of(query: &str) -> PivotLayout {
    let pairs = super::state::decode_query(query);
    PivotLayout::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// What a favorite keeps of a URL query: the view in its canonical form, then the pivot's or
/// the graph's layout when the query shows one.
pub fn favorite_query(raw: &str) -> String {
    let view = ViewState::from_query(raw).to_query();
    match Analysis::of(raw) {
        Some(analysis) => {
            let shown = analysis.query(&layout_of(raw));
            if view.is_empty() {
                shown
            } else {
                format!("{view}&{shown}")
            }
        }
        None => view,
    }
}
