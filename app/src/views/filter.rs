//! The one filter builder every list uses. It turns a `ViewState` into a SQL condition whose
//! every column comes from the list's schema and whose every value is a bound parameter;
//! anything a schema does not offer is refused with a `FilterError`.
//!
//! Filters on the same field are alternatives (OR); filters on different fields all apply
//! (AND), as list views in the seeds behave.

use super::schema::{FieldDef, FieldKind, ListSchema};
use super::state::{ViewState, MAX_FILTERS, MAX_GROUP_LEVELS, MAX_VALUE_LEN};
use crate::domain::FilterError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

/// A value bound to a `$n` placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Bind {
    Text(String),
    OptText(Option<String>),
    Number(Decimal),
    Date(NaiveDate),
    Bool(bool),
    Uuid(Uuid),
    Int(i64),
}

/// SQL text with `$1…$n` placeholders and the values they stand for, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sql {
    pub text: String,
    pub binds: Vec<Bind>,
}

impl Sql {
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends the placeholder of a new bound value.
    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        let n = self.binds.len();
        self.text.push_str(&format!("${n}"));
        self
    }
}

/// Who is asking: predefined filters such as "My contacts" need it, and lists with a
/// visibility rule show others only what they may see.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    pub me: Uuid,
    /// The user's day, for conditions such as "overdue".
    pub today: NaiveDate,
    /// Sees every row of lists with a visibility rule (company admins and managers).
    pub sees_all: bool,
}

impl Context {
    #[cfg(feature = "ssr")]
    pub fn of(user: &crate::auth::CurrentUser) -> Context {
        Context {
            me: user.id,
            today: user.today(),
            sees_all: matches!(
                user.role,
                crate::domain::Role::Admin | crate::domain::Role::Manager
            ),
        }
    }
}

/// Appends `condition`, binding the signed-in user's id wherever it says `$me` and the
/// user's day wherever it says `$today`.
fn push_scope(sql: &mut Sql, condition: &str, context: Context) {
    sql.push("(");
    let mut rest = condition;
    loop {
        let me = rest
            .find("$me")
            .map(|at| (at, "$me", Bind::Uuid(context.me)));
        let today = rest
            .find("$today")
            .map(|at| (at, "$today", Bind::Date(context.today)));
        let next = match (me, today) {
            (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        let Some((at, name, value)) = next else { break };
        sql.push(&rest[..at]).bind(value);
        rest = &rest[at + name.len()..];
    }
    sql.push(rest).push(")");
}

/// Search words: at most this many, each at most `MAX_VALUE_LEN` characters.
const MAX_SEARCH_WORDS: usize = 8;

/// Appends ` WHERE …` for the view's scope, search, predefined and field filters; always a
/// WHERE clause (`WHERE TRUE` at least), so callers may append `AND …`.
pub fn push_where(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    sql: &mut Sql,
) -> Result<(), FilterError> {
    let conditions = conditions(schema, state, context, sql.binds.len())?;
    if conditions.text.is_empty() {
        sql.push(" WHERE TRUE");
    } else {
        sql.push(" WHERE ").push(&conditions.text);
        sql.binds.extend(conditions.binds);
    }
    Ok(())
}

/// The conditions alone, joined by AND; placeholders are numbered after `already_bound`.
fn conditions(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    already_bound: usize,
) -> Result<Sql, FilterError> {
    if state.filters.len() > MAX_FILTERS
        || state.predefined.len() > MAX_FILTERS
        || state.group_by.len() > MAX_GROUP_LEVELS
    {
        return Err(FilterError::TooMany);
    }
    // Placeholders continue the numbering of the statement this is appended to.
    let mut sql = Sql {
        text: String::new(),
        binds: vec![Bind::Bool(true); already_bound],
    };
    let mut parts = 0;
    let mut and = |sql: &mut Sql| {
        if parts > 0 {
            sql.push(" AND ");
        }
        parts += 1;
    };

    let mut lifted = false;
    for key in &state.predefined {
        let predefined = schema
            .predefined_filter(key)
            .ok_or_else(|| FilterError::UnknownPredefined(key.clone()))?;
        lifted |= predefined.lifts_scope;
        and(&mut sql);
        push_scope(&mut sql, predefined.sql, context);
    }
    if let (Some(visibility), false) = (schema.visibility, context.sees_all) {
        and(&mut sql);
        push_scope(&mut sql, visibility, context);
    }
    if let (Some(scope), false) = (schema.default_scope, lifted) {
        and(&mut sql);
        sql.push("(").push(scope).push(")");
    }

    let words: Vec<&str> = state.search.split_whitespace().collect();
    if words.len() > MAX_SEARCH_WORDS {
        return Err(FilterError::TooMany);
    }
    for word in words {
        if word.chars().count() > MAX_VALUE_LEN {
            return Err(FilterError::BadValue("q".into()));
        }
        and(&mut sql);
        sql.push(schema.search_sql)
            .push(" LIKE '%' || atrium_fold(")
            .bind(Bind::Text(escape_like(word)))
            .push(") || '%'");
    }

    // Same field: OR; different fields: AND. Fields keep the order of their first filter.
    let mut fields: Vec<&str> = Vec::new();
    for filter in &state.filters {
        if !fields.contains(&filter.field.as_str()) {
            fields.push(&filter.field);
        }
    }
    for field_key in fields {
        let field = schema
            .field(field_key)
            .ok_or_else(|| FilterError::UnknownField(field_key.to_string()))?;
        and(&mut sql);
        sql.push("(");
        for (i, filter) in state
            .filters
            .iter()
            .filter(|f| f.field == field_key)
            .enumerate()
        {
            if i > 0 {
                sql.push(" OR ");
            }
            push_condition(field, &filter.op, &filter.value, context, &mut sql)?;
        }
        sql.push(")");
    }
    sql.binds.drain(..already_bound);
    Ok(sql)
}

/// The operators a field kind offers, in the order a filter menu lists them.
pub fn operators(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Text => &["contains", "not_contains", "is", "set", "unset"],
        FieldKind::Number | FieldKind::Money | FieldKind::Date => {
            &["eq", "gte", "lte", "set", "unset"]
        }
        FieldKind::Enum(_) => &["is", "not"],
        FieldKind::User => &["is", "me", "unset"],
        FieldKind::Record => &["is", "set", "unset"],
        FieldKind::Tags => &["has", "unset"],
        FieldKind::Boolean => &["is"],
    }
}

/// A date range, `from..to` with both days included: what a pivot's figure opens as a list.
/// The filter menu does not offer it; links and saved views carry it.
pub const BETWEEN: &str = crate::domain::pivot::BETWEEN;

/// Whether the filter builder takes `op` on a field of `kind`: the menu's operators, and a
/// date range on dates.
pub fn accepts(kind: FieldKind, op: &str) -> bool {
    operators(kind).contains(&op) || (kind == FieldKind::Date && op == BETWEEN)
}

/// Whether an operator takes a value (`set`, `unset` and `me` do not).
pub fn takes_value(op: &str) -> bool {
    !matches!(op, "set" | "unset" | "me")
}

fn push_condition(
    field: &FieldDef,
    op: &str,
    value: &str,
    context: Context,
    sql: &mut Sql,
) -> Result<(), FilterError> {
    if !accepts(field.kind, op) {
        return Err(FilterError::UnknownOperator {
            field: field.key.to_string(),
            op: op.to_string(),
        });
    }
    let bad = || FilterError::BadValue(field.key.to_string());
    let value = value.trim();
    if value.chars().count() > MAX_VALUE_LEN || (takes_value(op) && value.is_empty()) {
        return Err(bad());
    }
    let expr = field.filter_sql;
    match (field.kind, op) {
        (FieldKind::Text, "contains" | "not_contains") => {
            let not = if op == "not_contains" { "NOT " } else { "" };
            sql.push(&format!(
                "{not}atrium_fold(coalesce({expr}, '')) LIKE '%' || atrium_fold("
            ))
            .bind(Bind::Text(escape_like(value)))
            .push(") || '%'");
        }
        (FieldKind::Text, "is") => {
            sql.push(&format!("atrium_fold({expr}) = atrium_fold("))
                .bind(Bind::Text(value.to_string()))
                .push(")");
        }
        (FieldKind::Text, "set") => {
            sql.push(&format!("coalesce({expr}, '') <> ''"));
        }
        (FieldKind::Text, "unset") => {
            sql.push(&format!("coalesce({expr}, '') = ''"));
        }
        (FieldKind::Number | FieldKind::Money | FieldKind::Date, "set" | "unset") => {
            let not = if op == "set" { "NOT " } else { "" };
            sql.push(&format!("{expr} IS {not}NULL"));
        }
        (FieldKind::Number | FieldKind::Money, _) => {
            let number = Decimal::from_str(&value.replace(',', ".")).map_err(|_| bad())?;
            sql.push(&format!("{expr} {} ", comparison(op)))
                .bind(Bind::Number(number));
        }
        (FieldKind::Date, BETWEEN) => {
            let (from, to) = date_range(value).ok_or_else(bad)?;
            sql.push(&format!("({expr})::date BETWEEN "))
                .bind(Bind::Date(from))
                .push(" AND ")
                .bind(Bind::Date(to));
        }
        (FieldKind::Date, _) => {
            let date = crate::domain::day::parse_day(value).ok_or_else(bad)?;
            sql.push(&format!("{expr} {} ", comparison(op)))
                .bind(Bind::Date(date));
        }
        (FieldKind::Enum(options), _) => {
            if !options.iter().any(|o| o.value == value) {
                return Err(bad());
            }
            let cmp = if op == "not" { "<>" } else { "=" };
            sql.push(&format!("{expr} {cmp} "))
                .bind(Bind::Text(value.to_string()));
        }
        (FieldKind::User, "is") => {
            let id = Uuid::parse_str(value).map_err(|_| bad())?;
            sql.push(&format!("{expr} = ")).bind(Bind::Uuid(id));
        }
        (FieldKind::User, "me") => {
            sql.push(&format!("{expr} = ")).bind(Bind::Uuid(context.me));
        }
        (FieldKind::User, _) => {
            sql.push(&format!("{expr} IS NULL"));
        }
        (FieldKind::Record, "is") => {
            let id = Uuid::parse_str(value).map_err(|_| bad())?;
            sql.push(&format!("{expr} = ")).bind(Bind::Uuid(id));
        }
        (FieldKind::Record, _) => {
            let not = if op == "set" { "NOT " } else { "" };
            sql.push(&format!("{expr} IS {not}NULL"));
        }
        (FieldKind::Tags, "has") => {
            sql.bind(Bind::Text(value.to_string()))
                .push(&format!(" = ANY({expr})"));
        }
        (FieldKind::Tags, _) => {
            sql.push(&format!("cardinality({expr}) = 0"));
        }
        (FieldKind::Boolean, _) => {
            let flag = match value {
                "true" => true,
                "false" => false,
                _ => return Err(bad()),
            };
            sql.push(&format!("{expr} = ")).bind(Bind::Bool(flag));
        }
        _ => {
            return Err(FilterError::UnknownOperator {
                field: field.key.to_string(),
                op: op.to_string(),
            })
        }
    }
    Ok(())
}

/// Reads `from..to`, both days in range and `from` not after `to`.
pub fn date_range(value: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = value.split_once("..")?;
    let from = crate::domain::day::parse_day(from.trim())?;
    let to = crate::domain::day::parse_day(to.trim())?;
    (from <= to).then_some((from, to))
}

fn comparison(op: &str) -> &'static str {
    match op {
        "gte" => ">=",
        "lte" => "<=",
        _ => "=",
    }
}

/// Makes `%`, `_` and `\` match themselves in a LIKE pattern.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::schema::{EnumOption, PredefinedFilter};
    use crate::views::state::Filter;
    use proptest::prelude::*;

    fn label(_: crate::i18n::Locale) -> &'static str {
        "label"
    }

    const KINDS: &[EnumOption] = &[
        EnumOption {
            value: "company",
            label,
        },
        EnumOption {
            value: "person",
            label,
        },
    ];

    const fn field(key: &'static str, kind: FieldKind, sql: &'static str) -> FieldDef {
        FieldDef {
            key,
            kind,
            label,
            select_sql: sql,
            filter_sql: sql,
            sort: None,
            group_sql: None,
            summed: false,
            link_sql: None,
        }
    }

    static SCHEMA: ListSchema = ListSchema {
        key: "test",
        from_sql: "things t",
        default_scope: Some("NOT t.archived"),
        visibility: None,
        search_sql: "t.search",
        search_hint: |_| "",
        fields: &[
            field("name", FieldKind::Text, "t.name"),
            field("kind", FieldKind::Enum(KINDS), "t.kind"),
            field("amount", FieldKind::Money, "t.amount"),
            field("due", FieldKind::Date, "t.due"),
            field("owner", FieldKind::User, "t.owner_id"),
            field("tags", FieldKind::Tags, "t.tags"),
            field("done", FieldKind::Boolean, "t.done"),
        ],
        predefined: &[
            PredefinedFilter {
                key: "mine",
                label,
                sql: "t.owner_id = $me",
                lifts_scope: false,
            },
            PredefinedFilter {
                key: "archived",
                label,
                sql: "t.archived",
                lifts_scope: true,
            },
            PredefinedFilter {
                key: "late",
                label,
                sql: "t.due < $today AND t.owner_id = $me AND t.due > $today - 30",
                lifts_scope: false,
            },
        ],
        default_columns: &["name"],
        default_sort: "name",
        default_view: None,
        currency_sql: None,
    };

    const ME: Context = Context {
        me: Uuid::nil(),
        today: NaiveDate::MIN,
        sees_all: true,
    };

    fn where_of(state: &ViewState) -> Result<Sql, FilterError> {
        let mut sql = Sql::default();
        push_where(&SCHEMA, state, ME, &mut sql)?;
        Ok(sql)
    }

    fn filters(filters: &[(&str, &str, &str)]) -> ViewState {
        ViewState {
            filters: filters
                .iter()
                .map(|(field, op, value)| Filter {
                    field: field.to_string(),
                    op: op.to_string(),
                    value: value.to_string(),
                })
                .collect(),
            ..ViewState::default()
        }
    }

    #[test]
    fn the_default_view_only_applies_the_scope() {
        let sql = where_of(&ViewState::default()).unwrap();
        assert_eq!(sql.text, " WHERE (NOT t.archived)");
        assert!(sql.binds.is_empty());
    }

    #[test]
    fn same_field_or_different_fields_and() {
        let sql = where_of(&filters(&[
            ("name", "contains", "a"),
            ("kind", "is", "person"),
            ("name", "contains", "b"),
        ]))
        .unwrap();
        assert_eq!(
            sql.text,
            " WHERE (NOT t.archived) AND (atrium_fold(coalesce(t.name, '')) LIKE '%' || \
             atrium_fold($1) || '%' OR atrium_fold(coalesce(t.name, '')) LIKE '%' || \
             atrium_fold($2) || '%') AND (t.kind = $3)"
        );
        assert_eq!(
            sql.binds,
            vec![
                Bind::Text("a".into()),
                Bind::Text("b".into()),
                Bind::Text("person".into())
            ]
        );
    }

    #[test]
    fn predefined_filters_bind_the_user_and_may_lift_the_scope() {
        let state = ViewState {
            predefined: vec!["mine".into(), "archived".into()],
            ..ViewState::default()
        };
        let sql = where_of(&state).unwrap();
        assert_eq!(sql.text, " WHERE (t.owner_id = $1) AND (t.archived)");
        assert_eq!(sql.binds, vec![Bind::Uuid(Uuid::nil())]);
    }

    #[test]
    fn predefined_filters_bind_the_users_day() {
        let state = ViewState {
            predefined: vec!["late".into()],
            ..ViewState::default()
        };
        let sql = where_of(&state).unwrap();
        assert_eq!(
            sql.text,
            " WHERE (t.due < $1 AND t.owner_id = $2 AND t.due > $3 - 30) AND (NOT t.archived)"
        );
        assert_eq!(
            sql.binds,
            vec![
                Bind::Date(NaiveDate::MIN),
                Bind::Uuid(Uuid::nil()),
                Bind::Date(NaiveDate::MIN)
            ]
        );
    }

    #[test]
    fn search_words_are_bound_and_like_escaped() {
        let state = ViewState {
            search: "Mül 50%_off".into(),
            ..ViewState::default()
        };
        let sql = where_of(&state).unwrap();
        assert_eq!(
            sql.binds,
            vec![Bind::Text("Mül".into()), Bind::Text("50\\%\\_off".into())]
        );
        assert!(sql
            .text
            .contains("t.search LIKE '%' || atrium_fold($2) || '%'"));
    }

    #[test]
    fn placeholders_continue_an_existing_statement() {
        let mut sql = Sql::default();
        sql.push("SELECT ").bind(Bind::Int(1));
        push_where(&SCHEMA, &filters(&[("done", "is", "true")]), ME, &mut sql).unwrap();
        assert_eq!(
            sql.text,
            "SELECT $1 WHERE (NOT t.archived) AND (t.done = $2)"
        );
        assert_eq!(sql.binds, vec![Bind::Int(1), Bind::Bool(true)]);
    }

    #[test]
    fn typed_values_are_parsed() {
        let sql = where_of(&filters(&[
            ("amount", "gte", "1250,50"),
            ("due", "lte", "2026-12-31"),
            ("tags", "has", "vip"),
        ]))
        .unwrap();
        assert_eq!(sql.binds[0], Bind::Number(Decimal::new(125050, 2)));
        assert_eq!(
            sql.binds[1],
            Bind::Date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())
        );
        assert!(sql.text.contains("$3 = ANY(t.tags)"));
    }

    #[test]
    fn a_date_range_binds_both_days() {
        let sql = where_of(&filters(&[("due", "between", "2026-03-01..2026-03-31")])).unwrap();
        assert!(sql.text.ends_with("((t.due)::date BETWEEN $1 AND $2)"));
        assert_eq!(
            sql.binds,
            vec![
                Bind::Date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
                Bind::Date(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap())
            ]
        );
        for value in [
            "2026-03-31..2026-03-01",
            "2026-03-01",
            "2026-03-01..",
            "a..b",
        ] {
            assert_eq!(
                where_of(&filters(&[("due", "between", value)])),
                Err(FilterError::BadValue("due".into()))
            );
        }
        assert!(matches!(
            where_of(&filters(&[("amount", "between", "1..2")])),
            Err(FilterError::UnknownOperator { .. })
        ));
    }

    #[test]
    fn the_drill_down_operators_are_the_builders() {
        assert_eq!(BETWEEN, "between");
        assert!(accepts(FieldKind::Date, BETWEEN));
        for (kind, op) in [
            (FieldKind::Text, "is"),
            (FieldKind::Text, "unset"),
            (FieldKind::Number, "eq"),
            (FieldKind::Date, "eq"),
            (FieldKind::User, "is"),
            (FieldKind::Record, "is"),
            (FieldKind::Tags, "has"),
            (FieldKind::Boolean, "is"),
        ] {
            assert!(accepts(kind, op), "{kind:?} {op}");
        }
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let cases = [
            (
                ("nope", "is", "x"),
                FilterError::UnknownField("nope".into()),
            ),
            (
                ("name", "gte", "x"),
                FilterError::UnknownOperator {
                    field: "name".into(),
                    op: "gte".into(),
                },
            ),
            (
                ("amount", "eq", "ten"),
                FilterError::BadValue("amount".into()),
            ),
            (
                ("due", "eq", "31/02/2026"),
                FilterError::BadValue("due".into()),
            ),
            (
                ("kind", "is", "robot"),
                FilterError::BadValue("kind".into()),
            ),
            (
                ("owner", "is", "1 OR 1=1"),
                FilterError::BadValue("owner".into()),
            ),
            (("done", "is", "yes"), FilterError::BadValue("done".into())),
            (
                ("name", "contains", ""),
                FilterError::BadValue("name".into()),
            ),
        ];
        for ((field, op, value), expected) in cases {
            assert_eq!(where_of(&filters(&[(field, op, value)])), Err(expected));
        }
        let unknown = ViewState {
            predefined: vec!["everything".into()],
            ..ViewState::default()
        };
        assert_eq!(
            where_of(&unknown),
            Err(FilterError::UnknownPredefined("everything".into()))
        );
    }

    #[test]
    fn huge_values_and_too_many_filters_are_refused() {
        let huge = "x".repeat(MAX_VALUE_LEN + 1);
        assert_eq!(
            where_of(&filters(&[("name", "contains", &huge)])),
            Err(FilterError::BadValue("name".into()))
        );
        let many: Vec<(&str, &str, &str)> = (0..=MAX_FILTERS)
            .map(|_| ("name", "contains", "a"))
            .collect();
        assert_eq!(where_of(&filters(&many)), Err(FilterError::TooMany));
    }

    fn any_filter() -> impl Strategy<Value = Filter> {
        let fields = prop_oneof![
            Just("name".to_string()),
            Just("kind".to_string()),
            Just("amount".to_string()),
            Just("due".to_string()),
            Just("owner".to_string()),
            Just("tags".to_string()),
            Just("done".to_string()),
            "\\PC{0,12}",
        ];
        let ops = prop_oneof![
            Just("contains".to_string()),
            Just("is".to_string()),
            Just("eq".to_string()),
            Just("gte".to_string()),
            Just("has".to_string()),
            Just("me".to_string()),
            Just("unset".to_string()),
            Just("between".to_string()),
            "\\PC{0,8}",
        ];
        let values = prop_oneof![
            Just("'; DROP TABLE contacts; --".to_string()),
            Just("1 OR 1=1".to_string()),
            Just("$1".to_string()),
            Just("person".to_string()),
            Just("2026-01-01".to_string()),
            Just("2026-01-01..2026-02-01".to_string()),
            Just("12.5".to_string()),
            Just("true".to_string()),
            "\\PC{0,300}",
        ];
        (fields, ops, values).prop_map(|(field, op, value)| Filter { field, op, value })
    }

    proptest! {
        /// Whatever a request holds, the SQL is made of schema text and placeholders only,
        /// and every placeholder has exactly one value.
        #[test]
        fn values_never_reach_the_sql_text(
            search in "\\PC{0,60}",
            filters in proptest::collection::vec(any_filter(), 0..6),
            predefined in proptest::collection::vec(
                prop_oneof![Just("mine".to_string()), Just("archived".to_string()), "\\PC{0,8}"], 0..3),
        ) {
            let state = ViewState { search, filters, predefined, ..ViewState::default() };
            if let Ok(sql) = where_of(&state) {
                let mut rest = sql.text.clone();
                for n in (1..=sql.binds.len()).rev() {
                    let placeholder = format!("${n}");
                    prop_assert!(rest.contains(&placeholder));
                    rest = rest.replace(&placeholder, "");
                }
                prop_assert!(!rest.contains('$'));
                let allowed: &[&str] = &[
                    "t.name", "t.kind", "t.amount", "t.due", "t.owner_id", "t.tags", "t.done",
                    "t.archived", "t.search", "atrium_fold", "coalesce", "LIKE", "NOT", "AND",
                    "OR", "IS", "NULL", "ANY", "cardinality", "WHERE", "TRUE", "BETWEEN", "::date",
                ];
                let mut stripped = rest;
                for word in allowed {
                    stripped = stripped.replace(word, "");
                }
                prop_assert!(
                    stripped.chars().all(|c| " ()'%|=<>,0".contains(c)),
                    "unexpected SQL text: {}", stripped
                );
            }
        }
    }
}
