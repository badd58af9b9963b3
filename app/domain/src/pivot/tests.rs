//! The grid and its drill-down as a page meets them, built from what the GROUPING SETS
//! statement would return for a handful of records.

use super::*;
use crate::money::Currency;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A record of a list: its key on each row and column level, its currency and its figures,
/// one per measure.
#[derive(Debug)]
struct Record {
    rows: Vec<Option<&'static str>>,
    columns: Vec<Option<&'static str>>,
    currency: Option<Currency>,
    values: Vec<i64>,
}

fn record(
    rows: &[Option<&'static str>],
    columns: &[Option<&'static str>],
    values: &[i64],
) -> Record {
    Record {
        rows: rows.to_vec(),
        columns: columns.to_vec(),
        currency: Some(Currency::EUR),
        values: values.to_vec(),
    }
}

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn owned(keys: &[Option<&str>]) -> GroupPath {
    keys.iter().map(|key| key.map(str::to_string)).collect()
}

/// What the statement returns for these records: a cell per prefix of the row keys and
/// prefix of the column keys, per currency.
fn rollup(records: &[Record]) -> Vec<PivotCell> {
    let mut sums: BTreeMap<(GroupPath, GroupPath, Option<Currency>), Vec<Decimal>> =
        BTreeMap::new();
    for record in records {
        let (rows, columns) = (owned(&record.rows), owned(&record.columns));
        for r in 0..=rows.len() {
            for c in 0..=columns.len() {
                let key = (rows[..r].to_vec(), columns[..c].to_vec(), record.currency);
                let figures = sums
                    .entry(key)
                    .or_insert_with(|| vec![Decimal::ZERO; record.values.len()]);
                for (sum, value) in figures.iter_mut().zip(&record.values) {
                    *sum += Decimal::from(*value);
                }
            }
        }
    }
    sums.into_iter()
        .map(|((rows, columns, currency), values)| PivotCell {
            rows,
            columns,
            currency,
            values,
        })
        .collect()
}

/// A layout from a query written plainly (`pr=customer&pm=total`), for tests here and in
/// the pivot's modules.
pub(super) fn layout(query: &str) -> PivotLayout {
    PivotLayout::from_pairs(
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, ""))),
    )
}

fn money(field: &str) -> bool {
    field == "total"
}

fn pivot(query: &str, records: &[Record]) -> PivotGrid {
    PivotGrid::build(&layout(query), money, &rollup(records), None)
}

/// The shown headers of an axis as text: `Total`, `Acme`, `Acme/Alice`; `∅` is no value.
fn labels(grid: &PivotGrid, axis: Axis) -> Vec<String> {
    grid.headers(axis, 0..usize::MAX)
        .map(|header| {
            if header.total {
                "Total".to_string()
            } else {
                let keys: Vec<&str> = header
                    .path
                    .iter()
                    .map(|key| key.as_deref().unwrap_or("∅"))
                    .collect();
                keys.join("/")
            }
        })
        .collect()
}

fn position(grid: &PivotGrid, axis: Axis, label: &str) -> usize {
    labels(grid, axis)
        .iter()
        .position(|shown| shown == label)
        .unwrap_or_else(|| panic!("{label} is not shown"))
}

/// The figure in `slot` of the shown row and column with these labels.
fn at(grid: &PivotGrid, row: &str, column: &str, slot: usize) -> PivotValue {
    let row = position(grid, Axis::Rows, row);
    let column = position(grid, Axis::Columns, column);
    grid.value(row, column * grid.slots().len() + slot).unwrap()
}

fn d(number: i64) -> Decimal {
    Decimal::from(number)
}

/// Quotes by customer and salesperson (rows) and status (columns), counted and totalled.
const QUOTES: &str = "pr=customer&pr=salesperson&pc=status&pm=count&pm=total";

fn quotes() -> Vec<Record> {
    vec![
        record(&[Some("Acme"), Some("Alice")], &[Some("draft")], &[1, 100]),
        record(&[Some("Acme"), Some("Alice")], &[Some("sent")], &[1, 50]),
        record(&[Some("Acme"), Some("Bob")], &[Some("draft")], &[1, 200]),
        record(&[Some("Bolt"), Some("Alice")], &[Some("sent")], &[1, 30]),
        record(&[None, Some("Bob")], &[Some("draft")], &[1, 20]),
    ]
}

#[test]
fn only_the_first_level_shows_until_a_group_opens() {
    let grid = pivot(QUOTES, &quotes());
    assert_eq!(labels(&grid, Axis::Rows), ["Total", "Acme", "Bolt", "∅"]);
    assert_eq!(labels(&grid, Axis::Columns), ["draft", "sent", "Total"]);
    let total = grid.header(Axis::Rows, 0).unwrap();
    assert!(total.total && total.expanded && total.path.is_empty());
    let acme = grid.header(Axis::Rows, 1).unwrap();
    assert!(acme.expandable && !acme.expanded && !acme.total);
    assert_eq!((acme.depth, acme.key.as_deref()), (1, Some("Acme")));
    // A closed group shows its subtotal.
    assert_eq!(at(&grid, "Acme", "draft", 0).value, Some(d(2)));
    assert_eq!(at(&grid, "Acme", "draft", 1).value, Some(d(300)));
    assert_eq!(at(&grid, "Bolt", "draft", 0).value, None);
}

#[test]
fn opening_a_group_shows_its_groups_below_it_and_closing_hides_them() {
    let closed = layout(QUOTES);
    let acme = owned(&[Some("Acme")]);
    let opened = closed.toggled(Axis::Rows, &acme);
    let mut grid = PivotGrid::build(&opened, money, &rollup(&quotes()), None);
    assert_eq!(
        labels(&grid, Axis::Rows),
        ["Total", "Acme", "Acme/Alice", "Acme/Bob", "Bolt", "∅"]
    );
    assert!(grid.header(Axis::Rows, 1).unwrap().expanded);
    assert_eq!(at(&grid, "Acme/Alice", "Total", 1).value, Some(d(150)));
    // The open group's own row keeps its subtotal.
    assert_eq!(at(&grid, "Acme", "Total", 1).value, Some(d(350)));
    grid.apply_expansion(&opened.toggled(Axis::Rows, &acme));
    assert_eq!(labels(&grid, Axis::Rows), ["Total", "Acme", "Bolt", "∅"]);
}

#[test]
fn expand_all_opens_every_level_and_a_click_still_closes_one() {
    let all = layout(&format!("{QUOTES}&px=*"));
    let mut grid = PivotGrid::build(&all, money, &rollup(&quotes()), None);
    assert_eq!(
        labels(&grid, Axis::Rows),
        [
            "Total",
            "Acme",
            "Acme/Alice",
            "Acme/Bob",
            "Bolt",
            "Bolt/Alice",
            "∅",
            "∅/Bob"
        ]
    );
    let leaf = grid.header(Axis::Rows, 2).unwrap();
    assert!(!leaf.expandable && !leaf.expanded);
    let bolt_closed = all.toggled(Axis::Rows, &owned(&[Some("Bolt")]));
    grid.apply_expansion(&bolt_closed);
    assert_eq!(
        labels(&grid, Axis::Rows),
        [
            "Total",
            "Acme",
            "Acme/Alice",
            "Acme/Bob",
            "Bolt",
            "∅",
            "∅/Bob"
        ]
    );
    let listed: Vec<_> = bolt_closed
        .to_pairs()
        .into_iter()
        .filter(|(key, _)| *key == "px")
        .collect();
    assert_eq!(
        listed,
        [("px", "*".to_string()), ("px", "=Bolt".to_string())]
    );
}

#[test]
fn a_flip_shows_the_columns_as_rows() {
    let records = quotes();
    let straight = pivot(&format!("{QUOTES}&px==Acme"), &records);
    let flipped = pivot(&format!("{QUOTES}&px==Acme&pf=1"), &records);
    assert_eq!(labels(&flipped, Axis::Rows), ["Total", "draft", "sent"]);
    // The open customer is now a column group, its subtotal after its own groups.
    assert_eq!(
        labels(&flipped, Axis::Columns),
        ["Acme/Alice", "Acme/Bob", "Acme", "Bolt", "∅", "Total"]
    );
    for row in labels(&straight, Axis::Rows) {
        for column in labels(&straight, Axis::Columns) {
            for slot in 0..2 {
                assert_eq!(
                    at(&straight, &row, &column, slot),
                    at(&flipped, &column, &row, slot),
                    "{row} × {column}"
                );
            }
        }
    }
}

#[test]
fn totals_per_row_per_column_and_overall() {
    let grid = pivot(QUOTES, &quotes());
    let width = grid.slots().len();
    assert_eq!(grid.value_column_count(), 3 * width);
    let acme = position(&grid, Axis::Rows, "Acme");
    assert_eq!(grid.row_total(acme, 0), Some(d(3)));
    assert_eq!(grid.row_total(acme, 1), Some(d(350)));
    let draft = position(&grid, Axis::Columns, "draft");
    assert_eq!(grid.column_total(draft * width), Some(d(3)));
    assert_eq!(grid.column_total(draft * width + 1), Some(d(320)));
    assert_eq!(grid.grand_total(0), Some(d(5)));
    assert_eq!(grid.grand_total(1), Some(d(400)));
    // The same totals are in the grid: its first row and its last column.
    assert_eq!(at(&grid, "Total", "Total", 1).value, Some(d(400)));
    assert_eq!(at(&grid, "Acme", "Total", 1).value, Some(d(350)));
    assert_eq!(at(&grid, "Total", "draft", 1).value, Some(d(320)));
}

#[test]
fn each_percentage_mode_divides_by_its_own_total() {
    let share = |mode: &str| {
        let grid = pivot(&format!("{QUOTES}&pp={mode}"), &quotes());
        at(&grid, "Acme", "draft", 1).share
    };
    assert_eq!(share("row"), Some(d(300) / d(350)));
    assert_eq!(share("col"), Some(Decimal::new(9375, 4)));
    assert_eq!(share("total"), Some(Decimal::new(75, 2)));
    assert_eq!(
        at(&pivot(QUOTES, &quotes()), "Acme", "draft", 1).share,
        None
    );
}

#[test]
fn a_share_of_a_zero_total_is_empty() {
    let records = [
        record(&[Some("Acme")], &[Some("draft")], &[1, 5]),
        record(&[Some("Acme")], &[Some("sent")], &[1, -5]),
    ];
    let grid = pivot("pr=customer&pc=status&pm=count&pm=total&pp=row", &records);
    assert_eq!(at(&grid, "Acme", "draft", 1).share, None);
    assert_eq!(
        at(&grid, "Acme", "draft", 0).share,
        Some(Decimal::new(5, 1))
    );
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn the_previous_period_sits_beside_each_figure() {
    let march = [
        record(&[Some("Acme")], &[Some("2026-03")], &[2, 100]),
        record(&[Some("Bolt")], &[Some("2026-03")], &[1, 40]),
    ];
    let february = [
        record(&[Some("Acme")], &[Some("2026-02")], &[1, 0]),
        record(&[Some("Cobalt")], &[Some("2026-02")], &[3, 90]),
    ];
    let (_, shift) = Period::new(ymd(2026, 3, 1), ymd(2026, 3, 31))
        .unwrap()
        .previous()
        .unwrap();
    let previous = PreviousCells {
        cells: rollup(&february),
        shift,
    };
    let comparing = layout("pr=customer&pc=quote_date:month&pm=count&pm=total&pv=1");
    let grid = PivotGrid::build(&comparing, money, &rollup(&march), Some(&previous));
    assert_eq!(
        labels(&grid, Axis::Rows),
        ["Total", "Acme", "Bolt", "Cobalt"]
    );
    assert_eq!(labels(&grid, Axis::Columns), ["2026-03", "Total"]);

    let acme = at(&grid, "Acme", "2026-03", 0);
    assert_eq!(
        (acme.value, acme.previous, acme.change, acme.relative_change),
        (Some(d(2)), Some(d(1)), Some(d(1)), Some(d(1)))
    );
    // From zero, a change has no relative size.
    let acme_total = at(&grid, "Acme", "2026-03", 1);
    assert_eq!(
        (
            acme_total.previous,
            acme_total.change,
            acme_total.relative_change
        ),
        (Some(d(0)), Some(d(100)), None)
    );
    let bolt = at(&grid, "Bolt", "2026-03", 0);
    assert_eq!(
        (bolt.previous, bolt.change, bolt.relative_change),
        (None, Some(d(1)), None)
    );
    // A group only the previous period has still shows, with what it lost.
    let cobalt = at(&grid, "Cobalt", "Total", 0);
    assert_eq!(
        (cobalt.value, cobalt.change, cobalt.relative_change),
        (None, Some(d(-3)), Some(d(-1)))
    );
    let total = at(&grid, "Total", "Total", 0);
    assert_eq!(
        (total.value, total.previous, total.relative_change),
        (Some(d(3)), Some(d(4)), Some(Decimal::new(-25, 2)))
    );

    // Without `pv=1` the previous cells are not read.
    let plain = layout("pr=customer&pc=quote_date:month&pm=count");
    let grid = PivotGrid::build(&plain, money, &rollup(&march), Some(&previous));
    assert_eq!(labels(&grid, Axis::Rows), ["Total", "Acme", "Bolt"]);
    assert_eq!(at(&grid, "Acme", "2026-03", 0).previous, None);
}

#[test]
fn rows_sort_by_a_measure_with_ties_by_key_and_the_empty_group_last() {
    let records = [
        record(&[Some("Cobalt")], &[], &[1, 350]),
        record(&[Some("Bolt")], &[], &[1, 30]),
        record(&[None], &[], &[1, 400]),
        record(&[Some("Acme")], &[], &[2, 350]),
    ];
    let rows = |sort: &str| {
        let grid = pivot(&format!("pr=customer&pm=count&pm=total{sort}"), &records);
        labels(&grid, Axis::Rows)
    };
    assert_eq!(rows(""), ["Total", "Acme", "Bolt", "Cobalt", "∅"]);
    assert_eq!(rows("&ps=-total"), ["Total", "Acme", "Cobalt", "Bolt", "∅"]);
    assert_eq!(rows("&ps=total"), ["Total", "Bolt", "Acme", "Cobalt", "∅"]);
    assert_eq!(rows("&ps=-count"), ["Total", "Acme", "Bolt", "Cobalt", "∅"]);
}

#[test]
fn number_keys_sort_by_value_before_text() {
    let records = [
        record(&[Some("10")], &[], &[1]),
        record(&[Some("Acme")], &[], &[1]),
        record(&[Some("9")], &[], &[1]),
        record(&[Some("-2.5")], &[], &[1]),
    ];
    let grid = pivot("pr=number", &records);
    assert_eq!(
        labels(&grid, Axis::Rows),
        ["Total", "-2.5", "9", "10", "Acme"]
    );
}

#[test]
fn money_in_several_currencies_gets_a_column_each_and_is_never_added_up() {
    let records = [
        record(&[Some("Acme")], &[], &[1, 100]),
        Record {
            currency: Some(usd()),
            ..record(&[Some("Acme")], &[], &[1, 50])
        },
        Record {
            currency: Some(usd()),
            ..record(&[Some("Bolt")], &[], &[2, 70])
        },
    ];
    let grid = pivot("pr=customer&pm=count&pm=total&pp=total", &records);
    let slots: Vec<(usize, Option<Currency>)> = grid
        .slots()
        .iter()
        .map(|slot| (slot.measure, slot.currency))
        .collect();
    assert_eq!(
        slots,
        [(0, None), (1, Some(Currency::EUR)), (1, Some(usd()))]
    );
    assert_eq!(grid.value_column_count(), 3);
    let acme = position(&grid, Axis::Rows, "Acme");
    let figures: Vec<Option<Decimal>> = (0..3)
        .map(|slot| grid.value(acme, slot).unwrap().value)
        .collect();
    // Counts add the currencies up; amounts never do.
    assert_eq!(figures, [Some(d(2)), Some(d(100)), Some(d(50))]);
    let totals: Vec<Option<Decimal>> = (0..3).map(|slot| grid.grand_total(slot)).collect();
    assert_eq!(totals, [Some(d(4)), Some(d(100)), Some(d(120))]);
    // A share is taken within its currency.
    assert_eq!(grid.value(acme, 2).unwrap().share, Some(d(50) / d(120)));
    let bolt = position(&grid, Axis::Rows, "Bolt");
    assert_eq!(grid.value(bolt, 1).unwrap().value, None);
}

#[test]
fn a_grid_of_a_hundred_thousand_cells_answers_one_screen() {
    let cells: Vec<PivotCell> = (0..50_000)
        .flat_map(|row| {
            ["draft", "sent"].map(|status| PivotCell {
                rows: vec![Some(format!("customer {row:05}"))],
                columns: vec![Some(status.to_string())],
                currency: None,
                values: vec![d(1)],
            })
        })
        .collect();
    let grid = PivotGrid::build(&layout("pr=customer&pc=status"), money, &cells, None);
    assert_eq!(grid.header_count(Axis::Rows), 50_001);
    let screen: Vec<Header> = grid.headers(Axis::Rows, 20_000..20_040).collect();
    assert_eq!(screen.len(), 40);
    assert_eq!(screen[0].key.as_deref(), Some("customer 19999"));
    assert_eq!(grid.value(20_000, 1).unwrap().value, Some(d(1)));
    assert_eq!(grid.headers(Axis::Rows, 50_000..60_000).count(), 1);
}

fn kind_of(field: &str) -> Option<FilterKind> {
    match field {
        "customer" => Some(FilterKind::Text),
        "status" => Some(FilterKind::Enum),
        "quote_date" => Some(FilterKind::Date),
        "salesperson" => Some(FilterKind::User),
        "amount" => Some(FilterKind::Number),
        _ => None,
    }
}

/// Filters as the list's URL writes them: `field:op:value`.
fn written(filters: &[DrillFilter]) -> Vec<String> {
    filters
        .iter()
        .map(|filter| format!("{}:{}:{}", filter.field, filter.op, filter.value))
        .collect()
}

fn drill(
    grid: &PivotGrid,
    row: &str,
    column: &str,
    slot: usize,
) -> Result<Vec<String>, DrillError> {
    let row = position(grid, Axis::Rows, row);
    let column = position(grid, Axis::Columns, column) * grid.slots().len() + slot;
    grid.drill_down(row, column, kind_of)
        .map(|filters| written(&filters))
}

fn refused(field: &str, key: Option<&str>) -> Result<Vec<String>, DrillError> {
    Err(DrillError::NotSelectable {
        field: field.to_string(),
        key: key.map(str::to_string),
    })
}

#[test]
fn a_figure_opens_as_the_list_filters_that_select_it() {
    let records = [
        record(
            &[Some("Acme"), Some("draft")],
            &[Some("2026-03")],
            &[1, 100],
        ),
        record(&[Some("Acme"), None], &[Some("2026-02")], &[1, 10]),
        record(&[None, Some("sent")], &[Some("2026-03")], &[1, 20]),
    ];
    let grid = pivot(
        "pr=customer&pr=status&pc=quote_date:month&pm=count&pm=total&px=*",
        &records,
    );
    assert_eq!(
        drill(&grid, "Acme/draft", "2026-03", 1),
        Ok(vec![
            "customer:is:Acme".to_string(),
            "status:is:draft".to_string(),
            "quote_date:between:2026-03-01..2026-03-31".to_string(),
            "currency:is:EUR".to_string(),
        ])
    );
    // A count is not split by currency, and a total sets no filter on its axis.
    assert_eq!(
        drill(&grid, "Acme", "Total", 0),
        Ok(vec!["customer:is:Acme".to_string()])
    );
    assert_eq!(drill(&grid, "Total", "Total", 0), Ok(vec![]));
    // The group without a customer is the records without one.
    assert_eq!(
        drill(&grid, "∅", "2026-03", 0),
        Ok(vec![
            "customer:unset:".to_string(),
            "quote_date:between:2026-03-01..2026-03-31".to_string(),
        ])
    );
    // The list has no "is empty" filter for a status.
    assert_eq!(drill(&grid, "Acme/∅", "Total", 0), refused("status", None));
    assert_eq!(grid.drill_down(99, 0, kind_of), Err(DrillError::NoSuchCell));
    assert_eq!(grid.drill_down(0, 99, kind_of), Err(DrillError::NoSuchCell));
    assert_eq!(
        grid.drill_down(1, 0, |_| None),
        Err(DrillError::UnknownField("customer".into()))
    );
}

#[test]
fn a_field_grouped_twice_is_filtered_once_by_the_days_both_hold() {
    let records = [
        record(&[Some("2026")], &[Some("2026-03-05")], &[1]),
        record(&[Some("2025")], &[Some("2025-12-31")], &[1]),
    ];
    let grid = pivot("pr=quote_date:year&pc=quote_date:day", &records);
    assert_eq!(
        drill(&grid, "2026", "2026-03-05", 0),
        Ok(vec!["quote_date:eq:2026-03-05".to_string()])
    );
    assert_eq!(
        drill(&grid, "2026", "Total", 0),
        Ok(vec!["quote_date:between:2026-01-01..2026-12-31".to_string()])
    );
    assert_eq!(
        drill(&grid, "2025", "2026-03-05", 0),
        Err(DrillError::ExclusiveGroups("quote_date".into()))
    );
}

#[test]
fn keys_the_list_cannot_filter_on_are_refused() {
    let id = "67e55044-10b1-426f-9247-bb680e5fe0c8";
    let records = [
        record(&[Some(id)], &[Some("12.5")], &[1]),
        record(&[Some("Alice")], &[Some(" 7")], &[1]),
    ];
    let grid = pivot("pr=salesperson&pc=amount", &records);
    assert_eq!(
        drill(&grid, id, "12.5", 0),
        Ok(vec![
            format!("salesperson:is:{id}"),
            "amount:eq:12.5".to_string()
        ])
    );
    // A user grouped by name rather than by id.
    assert_eq!(
        drill(&grid, "Alice", "Total", 0),
        refused("salesperson", Some("Alice"))
    );
    // The list would trim the value and select other records.
    assert_eq!(
        drill(&grid, "Total", " 7", 0),
        refused("amount", Some(" 7"))
    );
}

fn any_record() -> impl Strategy<Value = Record> {
    (
        proptest::option::of(proptest::sample::select(vec!["a", "b", "c"])),
        proptest::option::of(proptest::sample::select(vec!["x", "y"])),
        proptest::option::of(proptest::sample::select(vec!["p", "q", "r"])),
        any::<bool>(),
        -1_000i64..1_000,
    )
        .prop_map(|(first, second, column, in_dollars, amount)| Record {
            rows: vec![first, second],
            columns: vec![column],
            currency: Some(if in_dollars { usd() } else { Currency::EUR }),
            values: vec![1, amount],
        })
}

proptest! {
    /// With every group open, the leaf figures add up to the grand total, each leaf row's to
    /// its row total, and each currency holds its own records' amounts only.
    #[test]
    fn with_everything_open_the_leaves_add_up_to_every_total(
        records in proptest::collection::vec(any_record(), 1..40),
    ) {
        let built = pivot("pr=first&pr=second&pc=column&pm=count&pm=total&px=*&py=*", &records);
        let grid = &built;
        let leaves = |axis: Axis| -> Vec<usize> {
            (0..grid.header_count(axis))
                .filter(|&index| !grid.header(axis, index).unwrap().expandable)
                .collect()
        };
        let (leaf_rows, leaf_columns) = (leaves(Axis::Rows), leaves(Axis::Columns));
        let width = grid.slots().len();
        let total_column = grid.header_count(Axis::Columns) - 1;
        let figure = |row: usize, column: usize, slot: usize| {
            grid.value(row, column * width + slot).unwrap().value.unwrap_or_default()
        };
        for slot in 0..width {
            let leaves_sum: Decimal = leaf_rows
                .iter()
                .flat_map(|&row| leaf_columns.iter().map(move |&column| figure(row, column, slot)))
                .sum();
            prop_assert_eq!(leaves_sum, grid.grand_total(slot).unwrap_or_default());
            for &row in &leaf_rows {
                let across: Decimal = leaf_columns.iter().map(|&column| figure(row, column, slot)).sum();
                prop_assert_eq!(across, figure(row, total_column, slot));
            }
        }
        for (slot, money_slot) in grid.slots().iter().enumerate().filter(|(_, s)| s.money) {
            let own: Decimal = records
                .iter()
                .filter(|record| record.currency == money_slot.currency)
                .map(|record| Decimal::from(record.values[1]))
                .sum();
            prop_assert_eq!(grid.grand_total(slot).unwrap_or_default(), own);
        }
    }
}

/// The first figures of each series of a chart.
fn series_values(chart: &Chart) -> Vec<Vec<Option<Decimal>>> {
    chart.series.iter().map(|s| s.values.clone()).collect()
}

#[test]
fn a_chart_draws_the_first_row_level_against_the_first_column_level() {
    let records = [
        record(&[Some("Acme")], &[Some("draft")], &[1, 100]),
        record(&[Some("Acme")], &[Some("sent")], &[1, 50]),
        record(&[Some("Bolt")], &[Some("sent")], &[1, 30]),
    ];
    let grid = pivot("pr=customer&pc=status&pm=count&pm=total", &records);
    let chart = Chart::of(&grid, 1, ChartOptions::default());
    assert_eq!(chart.groups.len(), 2);
    assert_eq!(
        series_values(&chart),
        vec![vec![Some(d(100)), None], vec![Some(d(50)), Some(d(30))]]
    );
    assert_eq!(chart.extent(false), (d(0), d(100)));
    assert_eq!(chart.extent(true), (d(0), d(150)));
    // Without column levels, one series: the total.
    let total = Chart::of(
        &pivot("pr=customer&pm=count", &records),
        0,
        ChartOptions::default(),
    );
    assert_eq!(series_values(&total), vec![vec![Some(d(2)), Some(d(1))]]);
}

#[test]
fn money_in_two_currencies_is_two_series() {
    let mut dollars = record(&[Some("Bolt")], &[], &[70]);
    dollars.currency = Some(usd());
    let records = [record(&[Some("Acme")], &[], &[100]), dollars];
    let chart = Chart::of(
        &pivot("pr=customer&pm=total", &records),
        0,
        ChartOptions::default(),
    );
    let currencies: Vec<_> = chart.series.iter().map(|s| s.currency).collect();
    assert_eq!(currencies, vec![Some(Currency::EUR), Some(usd())]);
    assert_eq!(
        series_values(&chart),
        vec![vec![Some(d(100)), None], vec![None, Some(d(70))]]
    );
}

#[test]
fn many_groups_fold_into_other_after_the_largest_unless_all_are_asked() {
    const NAMES: [&str; 15] = [
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    ];
    let records: Vec<Record> = NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| record(&[Some(*name)], &[], &[i as i64 + 1]))
        .collect();
    let grid = pivot("pr=customer&pm=count", &records);
    let chart = Chart::of(&grid, 0, ChartOptions::default());
    assert_eq!(chart.groups.len(), TOP_GROUPS);
    assert_eq!(chart.folded, 4);
    let kept: Vec<Option<Decimal>> = (5..=15).map(|n| Some(d(n))).chain([Some(d(10))]).collect();
    assert_eq!(series_values(&chart), vec![kept]);
    assert_eq!(
        chart.groups.last().map(|g| (g.row, g.folded)),
        Some((None, 4))
    );
    let every = ChartOptions {
        all_groups: true,
        ..ChartOptions::default()
    };
    assert_eq!(Chart::of(&grid, 0, every).groups.len(), 15);
}

#[test]
fn a_cumulative_line_adds_up_and_options_survive_their_query() {
    let records = [
        record(&[Some("2026-01")], &[], &[3]),
        record(&[Some("2026-03")], &[], &[2]),
        record(&[Some("2026-02")], &[], &[1]),
    ];
    let options = ChartOptions {
        kind: ChartKind::Line,
        cumulative: true,
        ..ChartOptions::default()
    };
    let chart = Chart::of(&pivot("pr=customer&pm=count", &records), 0, options);
    assert_eq!(
        series_values(&chart),
        vec![vec![Some(d(3)), Some(d(4)), Some(d(6))]]
    );
    let pairs = options.to_pairs();
    assert_eq!(ChartOptions::from_pairs(pairs), options);
    assert_eq!(
        ChartOptions::from_pairs([("gt", "radar")]),
        ChartOptions::default()
    );
}

#[test]
fn axis_steps_are_round_and_cover_the_range() {
    assert_eq!(
        axis_steps(d(0), d(95), 5),
        vec![d(0), d(20), d(40), d(60), d(80), d(100)]
    );
    assert_eq!(
        axis_steps(d(-30), d(40), 4),
        vec![d(-40), d(-20), d(0), d(20), d(40)]
    );
    assert_eq!(axis_steps(d(0), d(0), 5), vec![d(0)]);
    let small = axis_steps(d(0), Decimal::new(7, 1), 5);
    assert_eq!(small.first(), Some(&d(0)));
    assert!(small.last().is_some_and(|last| *last >= Decimal::new(7, 1)));
}
