//! What a pivot shows (its groupings, figures, open groups and options) and its URL form.
//! Its query keys are `p` and one more letter (`pr`, `pc`, `pm`, …), so they sit in one URL
//! beside the list's own keys (`q`, `f`, `p`, `g`, `s`, `c`, `d`, `show`) and each reader
//! ignores the other's.

use super::path::{decode_path, encode_path, GroupPath};
use super::period::DateBucket;
use super::{MAX_FIELD_KEY_LEN, MAX_LEVELS, MAX_LISTED_PATHS, MAX_MEASURES, MAX_PAIR_LEN};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One grouping of an axis: a field of the list and, for a date field, its calendar bucket.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Level {
    pub field: String,
    pub bucket: Option<DateBucket>,
}

impl Level {
    /// Reads `field` or `field:bucket` (`quote_date:month`).
    pub fn parse(text: &str) -> Option<Level> {
        let (field, bucket) = match text.split_once(':') {
            Some((field, bucket)) => (field, Some(DateBucket::parse(bucket)?)),
            None => (text, None),
        };
        is_field_key(field).then(|| Level {
            field: field.to_string(),
            bucket,
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bucket {
            Some(bucket) => write!(f, "{}:{}", self.field, bucket.as_str()),
            None => f.write_str(&self.field),
        }
    }
}

/// A field key as schemas write them: letters, digits and `_`, bounded.
fn is_field_key(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_FIELD_KEY_LEN
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A figure the pivot shows per cell.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// How many records; its URL word is `count`, so no field of that name can be summed.
    Count,
    /// The sum of a number or money field, named by its key.
    Sum(String),
}

impl Measure {
    pub fn parse(text: &str) -> Option<Measure> {
        match text {
            "count" => Some(Measure::Count),
            field if is_field_key(field) => Some(Measure::Sum(field.to_string())),
            _ => None,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Measure::Count => "count",
            Measure::Sum(field) => field,
        }
    }
}

/// Rows ordered by their total of one measure (`ps=-total`: the largest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureSort {
    pub measure: Measure,
    pub descending: bool,
}

impl MeasureSort {
    fn parse(text: &str) -> Option<MeasureSort> {
        let (measure, descending) = match text.strip_prefix('-') {
            Some(measure) => (measure, true),
            None => (text, false),
        };
        Some(MeasureSort {
            measure: Measure::parse(measure)?,
            descending,
        })
    }

    fn to_text(&self) -> String {
        let sign = if self.descending { "-" } else { "" };
        format!("{sign}{}", self.measure.key())
    }
}

/// What each figure is shown as a share of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Percentage {
    OfRow,
    OfColumn,
    OfTotal,
}

impl Percentage {
    /// Reads `row`, `col` or `total`.
    pub fn parse(text: &str) -> Option<Percentage> {
        [Percentage::OfRow, Percentage::OfColumn, Percentage::OfTotal]
            .into_iter()
            .find(|mode| mode.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Percentage::OfRow => "row",
            Percentage::OfColumn => "col",
            Percentage::OfTotal => "total",
        }
    }
}

/// An axis as shown: after a flip, the rows show what the layout keeps as columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axis {
    Rows,
    Columns,
}

/// Which groups of an axis are open. The total is always open.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expansion {
    /// Every group is open except those listed; otherwise only those listed are. So "expand
    /// all" and then closing one group stays one short list.
    pub all: bool,
    pub paths: Vec<GroupPath>,
}

impl Expansion {
    pub fn is_expanded(&self, path: &[Option<String>]) -> bool {
        path.is_empty() || self.all != self.paths.iter().any(|p| p.as_slice() == path)
    }

    /// Opens a closed group and closes an open one. Past `MAX_LISTED_PATHS` exceptions the
    /// click is ignored rather than the URL made unbounded.
    pub fn toggled(&self, path: &[Option<String>]) -> Expansion {
        let mut next = self.clone();
        if let Some(at) = next.paths.iter().position(|p| p.as_slice() == path) {
            next.paths.remove(at);
        } else if !path.is_empty() && next.paths.len() < MAX_LISTED_PATHS {
            next.paths.push(path.to_vec());
        }
        next
    }

    pub fn everything() -> Expansion {
        Expansion {
            all: true,
            paths: Vec::new(),
        }
    }
}

/// The pivot a user chose for a list. Axes and open groups are kept as the user built them;
/// a flip only changes which is shown as rows (see [`PivotLayout::levels`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PivotLayout {
    pub rows: Vec<Level>,
    pub columns: Vec<Level>,
    /// Empty: the records are counted.
    pub measures: Vec<Measure>,
    pub expanded_rows: Expansion,
    pub expanded_columns: Expansion,
    pub flipped: bool,
    /// Orders the shown rows' groups among their siblings; without it they follow their keys.
    pub sort: Option<MeasureSort>,
    /// Like the sort, it follows what is shown: after a flip, "of the row" is of what was a
    /// column.
    pub percentage: Option<Percentage>,
    /// Shows each figure beside the previous period's.
    pub compare: bool,
}

impl PivotLayout {
    /// The measures shown: those chosen, or the count when none is.
    pub fn shown_measures(&self) -> Vec<Measure> {
        if self.measures.is_empty() {
            vec![Measure::Count]
        } else {
            self.measures.clone()
        }
    }

    /// The levels of an axis as shown.
    pub fn levels(&self, axis: Axis) -> &[Level] {
        match (axis, self.flipped) {
            (Axis::Rows, false) | (Axis::Columns, true) => &self.rows,
            (Axis::Columns, false) | (Axis::Rows, true) => &self.columns,
        }
    }

    /// The open groups of an axis as shown.
    pub fn expansion(&self, axis: Axis) -> &Expansion {
        match (axis, self.flipped) {
            (Axis::Rows, false) | (Axis::Columns, true) => &self.expanded_rows,
            (Axis::Columns, false) | (Axis::Rows, true) => &self.expanded_columns,
        }
    }

    fn expansion_mut(&mut self, axis: Axis) -> &mut Expansion {
        match (axis, self.flipped) {
            (Axis::Rows, false) | (Axis::Columns, true) => &mut self.expanded_rows,
            (Axis::Columns, false) | (Axis::Rows, true) => &mut self.expanded_columns,
        }
    }

    /// The same layout with one group of a shown axis opened or closed: what a click on its
    /// header does.
    pub fn toggled(&self, axis: Axis, path: &[Option<String>]) -> PivotLayout {
        let mut next = self.clone();
        let expansion = next.expansion_mut(axis);
        *expansion = expansion.toggled(path);
        next
    }

    /// The same layout with every group of a shown axis open (`all`) or closed.
    pub fn with_all(&self, axis: Axis, all: bool) -> PivotLayout {
        let mut next = self.clone();
        *next.expansion_mut(axis) = Expansion {
            all,
            paths: Vec::new(),
        };
        next
    }

    /// Reads `pr` and `pc` (repeated `field` or `field:bucket`), `pm` (repeated measure),
    /// `px` and `py` (repeated path of an open row or column group, or `*` for all), `pf=1`
    /// (flipped), `ps` (`measure` or `-measure`), `pp` (`row`, `col` or `total`) and `pv=1`
    /// (compare). Other keys are the list's and are ignored. Whatever the input, the layout
    /// stays bounded: values longer than `MAX_PAIR_LEN`, malformed values, levels past
    /// `MAX_LEVELS`, measures past `MAX_MEASURES` and paths past `MAX_LISTED_PATHS` are
    /// dropped, as are repeats, paths no level can open and a sort by a measure not shown.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> PivotLayout {
        let mut layout = PivotLayout::default();
        for (key, value) in pairs {
            if value.len() > MAX_PAIR_LEN {
                continue;
            }
            match key {
                "pr" => push_level(&mut layout.rows, value),
                "pc" => push_level(&mut layout.columns, value),
                "pm" => {
                    if let Some(measure) = Measure::parse(value) {
                        push_bounded(&mut layout.measures, measure, MAX_MEASURES);
                    }
                }
                "px" => push_path(&mut layout.expanded_rows, value),
                "py" => push_path(&mut layout.expanded_columns, value),
                "pf" => layout.flipped = value == "1",
                "ps" => layout.sort = MeasureSort::parse(value),
                "pp" => layout.percentage = Percentage::parse(value),
                "pv" => layout.compare = value == "1",
                _ => {}
            }
        }
        let (row_levels, column_levels) = (layout.rows.len(), layout.columns.len());
        // A group of the last level has nothing to open.
        layout
            .expanded_rows
            .paths
            .retain(|path| path.len() < row_levels);
        layout
            .expanded_columns
            .paths
            .retain(|path| path.len() < column_levels);
        let shown = layout.shown_measures();
        if layout
            .sort
            .as_ref()
            .is_some_and(|sort| !shown.contains(&sort.measure))
        {
            layout.sort = None;
        }
        layout
    }

    /// The layout as (key, value) pairs of a URL query, in a stable order; none for the
    /// default layout. The list's query encoder writes them beside its own.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        pairs.extend(self.rows.iter().map(|level| ("pr", level.to_string())));
        pairs.extend(self.columns.iter().map(|level| ("pc", level.to_string())));
        pairs.extend(self.measures.iter().map(|m| ("pm", m.key().to_string())));
        for (key, expansion) in [("px", &self.expanded_rows), ("py", &self.expanded_columns)] {
            if expansion.all {
                pairs.push((key, "*".to_string()));
            }
            pairs.extend(expansion.paths.iter().map(|path| (key, encode_path(path))));
        }
        if self.flipped {
            pairs.push(("pf", "1".to_string()));
        }
        if let Some(sort) = &self.sort {
            pairs.push(("ps", sort.to_text()));
        }
        if let Some(percentage) = self.percentage {
            pairs.push(("pp", percentage.as_str().to_string()));
        }
        if self.compare {
            pairs.push(("pv", "1".to_string()));
        }
        pairs
    }

    pub fn is_default(&self) -> bool {
        self == &PivotLayout::default()
    }
}

fn push_bounded<T: PartialEq>(items: &mut Vec<T>, item: T, bound: usize) {
    if items.len() < bound && !items.contains(&item) {
        items.push(item);
    }
}

fn push_level(levels: &mut Vec<Level>, text: &str) {
    if let Some(level) = Level::parse(text) {
        push_bounded(levels, level, MAX_LEVELS);
    }
}

fn push_path(expansion: &mut Expansion, text: &str) {
    if text == "*" {
        expansion.all = true;
    } else if let Some(path) = decode_path(text) {
        push_bounded(&mut expansion.paths, path, MAX_LISTED_PATHS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pivot::MAX_KEY_CHARS;
    use proptest::prelude::*;

    use crate::pivot::tests::layout;

    fn path(keys: &[Option<&str>]) -> GroupPath {
        keys.iter().map(|key| key.map(str::to_string)).collect()
    }

    #[test]
    fn reads_every_part_of_a_query() {
        let read = layout(
            "q=acme&pr=customer&pr=quote_date:month&pc=status&pm=count&pm=total\
             &px==Acme&px==Acme/~&py=*&pf=1&ps=-total&pp=col&pv=1&p=mine&g=status",
        );
        assert_eq!(
            read.rows,
            vec![
                Level {
                    field: "customer".into(),
                    bucket: None
                },
                Level {
                    field: "quote_date".into(),
                    bucket: Some(DateBucket::Month)
                },
            ]
        );
        assert_eq!(read.columns.len(), 1);
        assert_eq!(
            read.measures,
            vec![Measure::Count, Measure::Sum("total".into())]
        );
        // `=Acme/~` names a group of the last row level: nothing to open.
        assert_eq!(read.expanded_rows.paths, vec![path(&[Some("Acme")])]);
        assert!(!read.expanded_rows.all);
        assert_eq!(read.expanded_columns, Expansion::everything());
        assert!(read.flipped && read.compare);
        assert_eq!(
            read.sort,
            Some(MeasureSort {
                measure: Measure::Sum("total".into()),
                descending: true
            })
        );
        assert_eq!(read.percentage, Some(Percentage::OfColumn));
    }

    #[test]
    fn the_default_layout_has_no_pairs() {
        assert!(PivotLayout::default().to_pairs().is_empty());
        assert!(layout("q=x&f=city:is:Gent&p=mine&g=city&s=-name&c=name&d=0&show=1").is_default());
    }

    #[test]
    fn out_of_bounds_input_is_dropped() {
        let many_levels = layout("pr=a&pr=b&pr=c&pr=d&pr=e&pr=a");
        assert_eq!(many_levels.rows.len(), MAX_LEVELS);
        let many_measures = layout("pm=a&pm=b&pm=a&pm=c&pm=d&pm=e&pm=f");
        assert_eq!(
            many_measures
                .measures
                .iter()
                .map(Measure::key)
                .collect::<Vec<_>>(),
            vec!["a", "b", "c", "d"]
        );
        for bad in [
            "pr=",
            "pr=a b",
            "pr=a:hour",
            "pr=a:month:x",
            "pm=",
            "pm=-total",
            "ps=nothing",
            "pp=half",
        ] {
            assert!(layout(bad).is_default(), "{bad}");
        }
        let long_field = format!("pr={}", "a".repeat(MAX_FIELD_KEY_LEN + 1));
        assert!(layout(&long_field).rows.is_empty());
        let long_key = format!("pr=a&pr=b&px=={}", "k".repeat(MAX_KEY_CHARS + 1));
        assert!(layout(&long_key).expanded_rows.paths.is_empty());
        let huge = format!("pr=a&pr=b&px=={}", "\\/".repeat(MAX_PAIR_LEN));
        assert!(layout(&huge).expanded_rows.paths.is_empty());
        let many_paths: String = (0..MAX_LISTED_PATHS + 20)
            .map(|i| format!("&px==k{i}"))
            .collect();
        let bounded = layout(&format!("pr=a&pr=b{many_paths}"));
        assert_eq!(bounded.expanded_rows.paths.len(), MAX_LISTED_PATHS);
    }

    #[test]
    fn a_sort_by_a_measure_not_shown_is_dropped() {
        assert_eq!(layout("pm=total&ps=count").sort, None);
        assert!(layout("ps=-count").sort.is_some());
        assert!(layout("pm=total&ps=total").sort.is_some());
    }

    #[test]
    fn toggling_opens_and_closes_a_shown_group() {
        let start = layout("pr=customer&pr=salesperson&pc=status&pc=quarter");
        let acme = path(&[Some("Acme")]);
        let opened = start.toggled(Axis::Rows, &acme);
        assert!(opened.expanded_rows.is_expanded(&acme));
        assert_eq!(opened.toggled(Axis::Rows, &acme), start);
        // Flipped, the shown rows are the layout's columns.
        let flipped = PivotLayout {
            flipped: true,
            ..start.clone()
        };
        let draft = path(&[Some("draft")]);
        assert!(flipped
            .toggled(Axis::Rows, &draft)
            .expanded_columns
            .is_expanded(&draft));
        let all = start.with_all(Axis::Rows, true);
        assert!(all.expanded_rows.is_expanded(&acme));
        assert!(!all
            .toggled(Axis::Rows, &acme)
            .expanded_rows
            .is_expanded(&acme));
        assert!(Expansion::default().is_expanded(&[]));
    }

    fn key() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            "[a-zA-Z ]{0,6}",
            "[/\\\\~=*]{1,4}",
            "\\PC{0,12}",
        ])
    }

    fn level() -> impl Strategy<Value = Level> {
        (
            "[a-z_]{1,10}",
            proptest::option::of(proptest::sample::select(DateBucket::ALL.to_vec())),
        )
            .prop_map(|(field, bucket)| Level { field, bucket })
    }

    fn expansion() -> impl Strategy<Value = Expansion> {
        (
            any::<bool>(),
            proptest::collection::vec(proptest::collection::vec(key(), 1..3), 0..4),
        )
            .prop_map(|(all, paths)| Expansion { all, paths })
    }

    fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
        let mut kept = Vec::new();
        for item in items {
            if !kept.contains(&item) {
                kept.push(item);
            }
        }
        kept
    }

    proptest! {
        /// A layout as the parser leaves it survives its query.
        #[test]
        fn a_layout_survives_its_pairs(
            rows in proptest::collection::vec(level(), 0..=MAX_LEVELS),
            columns in proptest::collection::vec(level(), 0..=MAX_LEVELS),
            measures in proptest::collection::vec(
                prop_oneof![Just(Measure::Count), "[a-z_]{1,8}".prop_map(Measure::Sum)],
                0..=MAX_MEASURES),
            expanded_rows in expansion(),
            expanded_columns in expansion(),
            flipped in any::<bool>(),
            sort in proptest::option::of((0..MAX_MEASURES, any::<bool>())),
            percentage in proptest::option::of(proptest::sample::select(
                vec![Percentage::OfRow, Percentage::OfColumn, Percentage::OfTotal])),
            compare in any::<bool>(),
        ) {
            let rows = dedup(rows);
            let columns = dedup(columns);
            let measures: Vec<Measure> = dedup(measures)
                .into_iter()
                .filter(|m| Measure::parse(m.key()).as_ref() == Some(m))
                .collect();
            let keep_openable = |expansion: Expansion, levels: usize| Expansion {
                all: expansion.all,
                paths: dedup(expansion.paths).into_iter().filter(|p| p.len() < levels).collect(),
            };
            let mut layout = PivotLayout {
                expanded_rows: keep_openable(expanded_rows, rows.len()),
                expanded_columns: keep_openable(expanded_columns, columns.len()),
                rows,
                columns,
                measures,
                flipped,
                sort: None,
                percentage,
                compare,
            };
            let shown = layout.shown_measures();
            layout.sort = sort.map(|(at, descending)| MeasureSort {
                measure: shown[at % shown.len()].clone(),
                descending,
            });
            let pairs = layout.to_pairs();
            let read = PivotLayout::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(read, layout);
        }

        /// Whatever the pairs, reading them never panics and stays within the bounds.
        #[test]
        fn any_pairs_give_a_bounded_layout(
            pairs in proptest::collection::vec(
                (prop_oneof![Just("pr"), Just("pc"), Just("pm"), Just("px"), Just("py"),
                             Just("ps"), Just("pp"), Just("pf"), Just("pv"), Just("q")],
                 prop_oneof!["\\PC{0,40}", "(=[a~/\\\\]{0,3}/?){0,5}", "[a-z]{1,4}(:[a-z]{3,7})?"]),
                0..300),
        ) {
            let read = PivotLayout::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert!(read.rows.len() <= MAX_LEVELS && read.columns.len() <= MAX_LEVELS);
            prop_assert!(read.measures.len() <= MAX_MEASURES);
            for expansion in [&read.expanded_rows, &read.expanded_columns] {
                prop_assert!(expansion.paths.len() <= MAX_LISTED_PATHS);
                prop_assert!(expansion.paths.iter().all(|p| !p.is_empty() && p.len() < MAX_LEVELS));
            }
        }
    }
}
