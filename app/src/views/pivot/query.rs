//! The one statement of a pivot: the view's rows, filtered by the one filter builder, keyed
//! by each level in a subquery and aggregated by GROUPING SETS into every subtotal the grid
//! can show: each prefix of the row levels with each prefix of the column levels, and with
//! the currency where rows differ in it. One statement, whatever the rows and cells.

use super::{keyed_by_id, level_field, measure_field, MAX_CELLS};
use crate::domain::pivot::{DateBucket, PivotLayout};
use crate::domain::FilterError;
use crate::views::filter::{push_where, Bind, Context, Sql};
use crate::views::schema::{FieldDef, FieldKind, ListSchema};
use crate::views::state::ViewState;

/// What the statement's columns are, in order, for reading its rows back.
#[derive(Debug, PartialEq)]
pub struct Shape {
    /// The fields of the row levels, then of the column levels.
    pub levels: Vec<&'static FieldDef>,
    pub row_levels: usize,
    /// For each level, whether a label column follows the currency (ids only).
    pub labelled: Vec<bool>,
    pub measures: usize,
}

/// `SELECT grouping, k0…kn, currency, labels…, measures… FROM (…) GROUP BY GROUPING SETS`.
/// Row `grouping` is PostgreSQL's bit mask: bit `n - 1 - i` set when level `i` is not
/// grouped on. At most `MAX_CELLS + 1` rows.
pub fn pivot(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    layout: &PivotLayout,
) -> Result<(Sql, Shape), FilterError> {
    let levels = layout
        .rows
        .iter()
        .chain(&layout.columns)
        .map(|level| Ok((level_field(schema, level)?, level.bucket)))
        .collect::<Result<Vec<_>, FilterError>>()?;
    let measures = layout
        .shown_measures()
        .iter()
        .map(|measure| measure_field(schema, measure))
        .collect::<Result<Vec<_>, FilterError>>()?;
    let keys: Vec<String> = (0..levels.len()).map(|i| format!("k{i}")).collect();
    let labelled: Vec<bool> = levels.iter().map(|(f, _)| keyed_by_id(f)).collect();

    let mut sql = Sql::default();
    sql.push("SELECT ");
    if keys.is_empty() {
        sql.push("0");
    } else {
        sql.push(&format!("GROUPING({})", keys.join(", ")));
    }
    for key in &keys {
        sql.push(&format!(", {key}"));
    }
    sql.push(match schema.currency_sql {
        Some(_) => ", c",
        None => ", NULL::text",
    });
    for (i, _) in labelled.iter().enumerate().filter(|(_, l)| **l) {
        sql.push(&format!(", min(l{i})"));
    }
    for (j, measure) in measures.iter().enumerate() {
        match measure {
            None => sql.push(", count(*)::numeric"),
            Some(_) => sql.push(&format!(", coalesce(sum(m{j}), 0)::numeric")),
        };
    }

    sql.push(" FROM (SELECT ");
    for (i, (field, bucket)) in levels.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        push_key(field, *bucket, &mut sql);
        sql.push(&format!(" AS k{i}"));
    }
    // At least one column, so that the subquery's list is never empty.
    sql.push(if levels.is_empty() { "1 AS one" } else { "" });
    if let Some(currency) = schema.currency_sql {
        sql.push(&format!(", ({currency})::text AS c"));
    }
    for (i, (field, _)) in levels.iter().enumerate() {
        if labelled[i] {
            sql.push(&format!(", ({})::text AS l{i}", field.select_sql));
        }
    }
    for (j, measure) in measures.iter().enumerate() {
        if let Some(field) = measure {
            sql.push(&format!(", ({}) AS m{j}", field.filter_sql));
        }
    }
    sql.push(" FROM ").push(schema.from_sql);
    push_where(schema, state, context, &mut sql)?;
    sql.push(") AS keyed GROUP BY GROUPING SETS (");
    let row_levels = layout.rows.len();
    let currency = schema.currency_sql.map(|_| "c");
    let mut sets = Vec::new();
    for rows in 0..=row_levels {
        for columns in 0..=layout.columns.len() {
            let set: Vec<&str> = keys[..rows]
                .iter()
                .chain(&keys[row_levels..row_levels + columns])
                .map(String::as_str)
                .chain(currency)
                .collect();
            sets.push(format!("({})", set.join(", ")));
        }
    }
    sql.push(&sets.join(", ")).push(") LIMIT ");
    sql.bind(Bind::Int(MAX_CELLS as i64 + 1));
    let shape = Shape {
        levels: levels.iter().map(|(f, _)| *f).collect(),
        row_levels,
        labelled,
        measures: measures.len(),
    };
    Ok((sql, shape))
}

/// A level's key as text: a date's bucket (`2026-03`, written as `DateBucket::key` writes
/// it), the id of a user or record, or the value the list groups by.
fn push_key(field: &FieldDef, bucket: Option<DateBucket>, sql: &mut Sql) {
    match field.kind {
        FieldKind::Date => {
            let bucket = bucket.unwrap_or(DateBucket::Day);
            sql.push(&format!("to_char(({})::date, ", field.filter_sql))
                .bind(Bind::Text(bucket.sql_pattern().to_string()))
                .push(")");
        }
        FieldKind::User | FieldKind::Record => {
            sql.push(&format!("({})::text", field.filter_sql));
        }
        _ => {
            let expr = field.group_sql.unwrap_or(field.filter_sql);
            sql.push(&format!("({expr})::text"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pivot::{Level, Measure};
    use crate::views::schema::{text_field, EnumOption, PredefinedFilter};
    use uuid::Uuid;

    const ME: Context = Context {
        me: Uuid::nil(),
        today: chrono::NaiveDate::MIN,
        sees_all: true,
    };

    fn label(_: crate::i18n::Locale) -> &'static str {
        "label"
    }

    const STATUSES: &[EnumOption] = &[EnumOption {
        value: "sent",
        label,
    }];

    const FIELDS: &[FieldDef] = &[
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.salesperson_id",
            group_sql: Some("sp.display_name"),
            ..text_field("salesperson", label, "sp.display_name")
        },
        FieldDef {
            kind: FieldKind::Enum(STATUSES),
            group_sql: Some("t.state"),
            ..text_field("status", label, "t.state")
        },
        FieldDef {
            kind: FieldKind::Date,
            ..text_field("quote_date", label, "t.quote_date")
        },
        text_field("title", label, "t.title"),
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            ..text_field("total", label, "t.total")
        },
    ];

    const MINE: &[PredefinedFilter] = &[PredefinedFilter {
        key: "mine",
        label,
        sql: "t.salesperson_id = $me",
        lifts_scope: false,
    }];

    const QUOTES: ListSchema = ListSchema {
        key: "quotes",
        from_sql: "quotes t LEFT JOIN users sp ON sp.id = t.salesperson_id",
        default_scope: None,
        visibility: None,
        search_sql: "t.search",
        search_hint: label,
        fields: FIELDS,
        predefined: MINE,
        default_columns: &["title"],
        default_sort: "title",
        default_view: None,
        currency_sql: Some("t.currency"),
    };

    const TASKS: ListSchema = ListSchema {
        key: "tasks",
        from_sql: "tasks t",
        currency_sql: None,
        ..QUOTES
    };

    fn layout(query: &str) -> PivotLayout {
        super::super::layout_of(query)
    }

    #[test]
    fn every_prefix_of_rows_meets_every_prefix_of_columns() {
        let schema = &QUOTES;
        let (sql, shape) = pivot(
            schema,
            &ViewState::default(),
            ME,
            &layout("pr=salesperson&pr=status&pc=quote_date:month&pm=count&pm=total"),
        )
        .unwrap();
        assert!(sql.text.starts_with(
            "SELECT GROUPING(k0, k1, k2), k0, k1, k2, c, min(l0), count(*)::numeric, \
             coalesce(sum(m1), 0)::numeric FROM (SELECT (t.salesperson_id)::text AS k0, "
        ));
        assert!(sql.text.contains("to_char((t.quote_date)::date, $1) AS k2"));
        assert!(sql.text.ends_with(
            "GROUP BY GROUPING SETS ((c), (k2, c), (k0, c), (k0, k2, c), (k0, k1, c), \
             (k0, k1, k2, c)) LIMIT $2"
        ));
        assert_eq!(sql.binds[0], Bind::Text("YYYY-MM".into()));
        assert_eq!(shape.row_levels, 2);
        assert_eq!(shape.labelled, vec![true, false, false]);
        assert_eq!(shape.measures, 2);
    }

    #[test]
    fn a_date_range_compares_with_the_period_before() {
        let march = ViewState::from_query("q=a&f=quote_date:between:2026-03-01..2026-03-31");
        let (previous, shift) = super::super::previous_view(&QUOTES, &march).unwrap();
        assert_eq!(previous.filters[0].value, "2026-02-01..2026-02-28");
        assert_eq!(shift, crate::domain::pivot::PeriodShift::Months(1));
        assert_eq!(previous.search, "a");
        let plain = ViewState::from_query("f=quote_date:gte:2026-03-01");
        assert!(super::super::previous_view(&QUOTES, &plain).is_none());
    }

    #[test]
    fn without_levels_it_is_the_grand_total() {
        let schema = &TASKS;
        let (sql, shape) = pivot(schema, &ViewState::default(), ME, &layout("")).unwrap();
        assert!(sql
            .text
            .starts_with("SELECT 0, NULL::text, count(*)::numeric FROM (SELECT 1 AS one FROM "));
        assert!(sql.text.contains("GROUP BY GROUPING SETS (())"));
        assert!(shape.levels.is_empty());
    }

    #[test]
    fn what_the_list_does_not_offer_is_refused() {
        let schema = &QUOTES;
        let state = ViewState::default();
        let refused = |query: &str| pivot(schema, &state, ME, &layout(query)).err();
        assert_eq!(
            refused("pr=nope"),
            Some(FilterError::NotGroupable("nope".into()))
        );
        // A bucket only on a date; no grouping by free text the list does not group by.
        assert_eq!(
            refused("pr=status:month"),
            Some(FilterError::NotGroupable("status".into()))
        );
        assert_eq!(
            refused("pr=title"),
            Some(FilterError::NotGroupable("title".into()))
        );
        assert_eq!(
            refused("pm=status"),
            Some(FilterError::UnknownField("status".into()))
        );
        let level = Level {
            field: "quote_date".into(),
            bucket: Some(DateBucket::Week),
        };
        assert!(level_field(schema, &level).is_ok());
        assert_eq!(measure_field(schema, &Measure::Count), Ok(None));
    }

    #[test]
    fn the_views_filters_apply_with_their_values_bound() {
        let schema = &QUOTES;
        let state = ViewState::from_query("q=Gent&f=status:is:sent&p=mine");
        let (sql, _) = pivot(schema, &state, ME, &layout("pr=status")).unwrap();
        assert!(sql.text.contains(" WHERE (t.salesperson_id = $1)"));
        assert!(!sql.text.contains("Gent") && !sql.text.contains("'sent'"));
        assert_eq!(sql.binds.last(), Some(&Bind::Int(MAX_CELLS as i64 + 1)));
    }
}
