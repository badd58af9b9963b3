//! The statements of a list request, assembled from a schema and a view: one page of rows
//! (keyset, never OFFSET), a capped count, the groups of one level, and the export. Each is a
//! single statement whatever the number of rows, so a request costs a constant number of them.

use super::filter::{push_where, Bind, Context, Sql};
use super::schema::{FieldDef, FieldKind, ListSchema};
use super::state::ViewState;
use super::{Cursor, COUNT_CAP};
use crate::domain::FilterError;

/// The columns a view shows: its own, else the user's remembered ones, else the defaults.
/// Unknown names are refused; the empty choice falls back to the defaults.
pub fn visible_columns(
    schema: &ListSchema,
    state: &ViewState,
    remembered: Option<&[String]>,
) -> Result<Vec<&'static FieldDef>, FilterError> {
    let chosen: Vec<String> = match (&state.columns, remembered) {
        (Some(columns), _) if !columns.is_empty() => columns.clone(),
        (_, Some(columns)) if !columns.is_empty() => columns.to_vec(),
        _ => schema
            .default_columns
            .iter()
            .map(|c| c.to_string())
            .collect(),
    };
    let mut fields = Vec::new();
    for key in chosen {
        let field = schema
            .field(&key)
            .ok_or_else(|| FilterError::UnknownField(key.clone()))?;
        if !fields.iter().any(|f: &&FieldDef| f.key == field.key) {
            fields.push(field);
        }
    }
    Ok(fields)
}

/// The sort field and direction of a view (the schema's default when it names none).
pub fn sort_of(
    schema: &ListSchema,
    state: &ViewState,
) -> Result<(&'static FieldDef, bool), FilterError> {
    let (key, descending) = match &state.sort {
        Some(sort) => (sort.field.as_str(), sort.descending),
        None => schema.default_order(),
    };
    let field = schema
        .field(key)
        .filter(|f| f.sort.is_some())
        .ok_or_else(|| FilterError::NotSortable(key.to_string()))?;
    Ok((field, descending))
}

/// The group fields of a view, checked.
pub fn group_fields(
    schema: &ListSchema,
    state: &ViewState,
) -> Result<Vec<&'static FieldDef>, FilterError> {
    state
        .group_by
        .iter()
        .map(|key| {
            schema
                .field(key)
                .filter(|f| f.group_sql.is_some())
                .ok_or_else(|| FilterError::NotGroupable(key.clone()))
        })
        .collect()
}

/// Appends `AND group = value` for each level of an opened group.
fn push_group_path(
    schema: &ListSchema,
    state: &ViewState,
    path: &[Option<String>],
    sql: &mut Sql,
) -> Result<(), FilterError> {
    let groups = group_fields(schema, state)?;
    if path.len() > groups.len() {
        return Err(FilterError::TooMany);
    }
    for (field, key) in groups.iter().zip(path) {
        let expr = field.group_sql.unwrap_or("NULL");
        sql.push(&format!(" AND ({expr}) IS NOT DISTINCT FROM "))
            .bind(Bind::OptText(key.clone()));
    }
    Ok(())
}

/// One page of rows: `id`, the sort key as text (for the next cursor), then the columns.
/// Asks for one row more than `limit` to know whether another page exists.
pub fn page(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    columns: &[&FieldDef],
    path: &[Option<String>],
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Sql, FilterError> {
    let (sort_field, descending) = sort_of(schema, state)?;
    let Some(sort) = sort_field.sort else {
        return Err(FilterError::NotSortable(sort_field.key.to_string()));
    };
    let mut sql = Sql::default();
    sql.push(&format!("SELECT t.id, ({})::text", sort.sql));
    push_columns(schema, columns, &mut sql);
    sql.push(" FROM ").push(schema.from_sql);
    push_where(schema, state, context, &mut sql)?;
    push_group_path(schema, state, path, &mut sql)?;
    let (cmp, dir) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    if let Some(cursor) = after {
        if cursor.key.chars().count() > 400 {
            return Err(FilterError::BadValue("cursor".into()));
        }
        sql.push(&format!(" AND ({}, t.id) {cmp} (CAST(", sort.sql))
            .bind(Bind::Text(cursor.key.clone()))
            .push(&format!(" AS {}), ", sort.cast))
            .bind(Bind::Uuid(cursor.id))
            .push(")");
    }
    sql.push(&format!(" ORDER BY {} {dir}, t.id {dir} LIMIT ", sort.sql))
        .bind(Bind::Int(limit + 1));
    Ok(sql)
}

/// How many rows the view holds, counting at most `COUNT_CAP + 1` unless `exact`.
pub fn count(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    path: &[Option<String>],
    exact: bool,
) -> Result<Sql, FilterError> {
    let mut sql = Sql::default();
    sql.push("SELECT count(*) FROM (SELECT 1 FROM ")
        .push(schema.from_sql);
    push_where(schema, state, context, &mut sql)?;
    push_group_path(schema, state, path, &mut sql)?;
    if !exact {
        sql.push(" LIMIT ").bind(Bind::Int(COUNT_CAP + 1));
    }
    sql.push(") AS counted");
    Ok(sql)
}

/// The groups at the level below `path`: key (text, NULL for "none"), count, the currencies
/// present (ascending), then each summed field of the schema in schema order: money of a list
/// with currencies as one sum per currency (in the same order), anything else as one sum.
pub fn groups(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    path: &[Option<String>],
    limit: i64,
) -> Result<Sql, FilterError> {
    let fields = group_fields(schema, state)?;
    let Some(field) = fields.get(path.len()) else {
        return Err(FilterError::TooMany);
    };
    let expr = field.group_sql.unwrap_or("NULL");
    let currency = schema.currency_sql.unwrap_or("NULL");
    let summed: Vec<&FieldDef> = summed_fields(schema).collect();
    // Inner: per group and currency; outer: per group, money kept per currency as arrays
    // ordered by currency, plain numbers added up.
    let mut sql = Sql::default();
    sql.push("SELECT g, sum(n)::bigint, array_agg(c ORDER BY c)");
    for (i, field) in summed.iter().enumerate() {
        match schema.currency_of(field) {
            Some(_) => sql.push(&format!(", array_agg(s{i} ORDER BY c)")),
            None => sql.push(&format!(", sum(s{i})")),
        };
    }
    sql.push(&format!(
        " FROM (SELECT ({expr})::text AS g, ({currency})::text AS c, count(*) AS n"
    ));
    for (i, field) in summed.iter().enumerate() {
        sql.push(&format!(", sum({}) AS s{i}", field.filter_sql));
    }
    sql.push(" FROM ").push(schema.from_sql);
    push_where(schema, state, context, &mut sql)?;
    push_group_path(schema, state, path, &mut sql)?;
    sql.push(" GROUP BY 1, 2) AS per_currency GROUP BY 1 ORDER BY 1 NULLS LAST LIMIT ")
        .bind(Bind::Int(limit));
    Ok(sql)
}

/// Appends the expressions of `columns` to a SELECT list: each field's value, then its link
/// for a field that has one, and, after a money field of a list with currencies, the row's
/// currency. `db::cells` reads them back.
fn push_columns(schema: &ListSchema, columns: &[&FieldDef], sql: &mut Sql) {
    for column in columns {
        sql.push(", ").push(column.select_sql);
        if let Some(link) = column.link_sql {
            sql.push(", ").push(link);
        }
        if let Some(currency) = schema.currency_of(column) {
            sql.push(", ").push(currency);
        }
    }
}

pub fn summed_fields(schema: &ListSchema) -> impl Iterator<Item = &'static FieldDef> {
    schema
        .fields
        .iter()
        .filter(|f| f.summed && matches!(f.kind, FieldKind::Number | FieldKind::Money))
}

/// Every row of the view in its order, for export: the columns only.
pub fn export(
    schema: &ListSchema,
    state: &ViewState,
    context: Context,
    columns: &[&FieldDef],
) -> Result<Sql, FilterError> {
    let (sort_field, descending) = sort_of(schema, state)?;
    let Some(sort) = sort_field.sort else {
        return Err(FilterError::NotSortable(sort_field.key.to_string()));
    };
    let mut sql = Sql::default();
    sql.push("SELECT t.id");
    push_columns(schema, columns, &mut sql);
    sql.push(" FROM ").push(schema.from_sql);
    push_where(schema, state, context, &mut sql)?;
    let dir = if descending { "DESC" } else { "ASC" };
    sql.push(&format!(" ORDER BY {} {dir}, t.id {dir}", sort.sql));
    Ok(sql)
}
