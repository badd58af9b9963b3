//! Reading and saving the catalogue. A product is saved whole (row, task templates, option
//! groups and options) in the caller's transaction; option ids survive a save, because quote
//! lines name the options they were configured with.

use super::{
    CatalogueItem, Choice, ChoiceGroup, OptionGroup, Product, ProductKind, ProductOption,
    TaskTemplate, TaxRate,
};
use crate::domain::project::{parse_text, parse_title};
use crate::domain::quote::parse_number;
use crate::error::{AppError, FieldProblem, OnConstraint};
use crate::shared::db::{stored_currency, stored_money};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

pub async fn taxes(conn: &mut PgConnection) -> Result<Vec<TaxRate>, AppError> {
    Ok(sqlx::query_as!(
        TaxRate,
        "SELECT id, name, rate, included, country, active, version FROM taxes ORDER BY position, name"
    )
    .fetch_all(conn)
    .await?)
}

/// Active products with their configurator choices, for the quote form.
pub async fn catalogue(conn: &mut PgConnection) -> Result<Vec<CatalogueItem>, AppError> {
    let rows = sqlx::query!(
        "SELECT id, name, reference, kind, unit, price, currency, tax_id, description, configurable
         FROM products WHERE active ORDER BY name, id"
    )
    .fetch_all(&mut *conn)
    .await?;
    let choices = sqlx::query!(
        r#"SELECT g.product_id, g.id AS group_id, g.name AS group_name, g.multiple, g.required,
                  o.id AS "option_id?", o.name AS "option_name?", o.price AS "price?"
           FROM product_option_groups g
           JOIN products p ON p.id = g.product_id AND p.active AND p.configurable
           LEFT JOIN product_options o ON o.group_id = g.id
           ORDER BY g.product_id, g.position, g.id, o.position, o.id"#
    )
    .fetch_all(conn)
    .await?;
    let mut groups: HashMap<Uuid, Vec<(Uuid, ChoiceGroup)>> = HashMap::new();
    for row in choices {
        let list = groups.entry(row.product_id).or_default();
        if list.last().map(|(id, _)| *id) != Some(row.group_id) {
            list.push((
                row.group_id,
                ChoiceGroup {
                    name: row.group_name,
                    multiple: row.multiple,
                    required: row.required,
                    options: Vec::new(),
                },
            ));
        }
        if let (Some(id), Some(name), Some(price)) = (row.option_id, row.option_name, row.price) {
            if let Some((_, group)) = list.last_mut() {
                group.options.push(Choice { id, name, price });
            }
        }
    }
    rows.into_iter()
        .map(|r| {
            Ok(CatalogueItem {
                groups: groups
                    .remove(&r.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, g)| g)
                    .collect(),
                id: r.id,
                name: r.name,
                reference: r.reference,
                kind: ProductKind::parse(&r.kind).unwrap_or_default(),
                unit: r.unit,
                price: r.price,
                currency: stored_currency(&r.currency)?,
                tax_id: r.tax_id,
                description: r.description,
                configurable: r.configurable,
            })
        })
        .collect()
}

/// One row of the catalogue page.
pub async fn all(conn: &mut PgConnection) -> Result<Vec<super::ProductRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT p.id, p.name, p.reference, p.kind, p.unit, p.price, p.currency, p.configurable,
                  p.active, t.name AS "tax?",
                  (SELECT count(*) FROM task_templates tt WHERE tt.product_id = p.id) AS "templates!"
           FROM products p LEFT JOIN taxes t ON t.id = p.tax_id
           ORDER BY p.active DESC, p.name, p.id"#
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(super::ProductRow {
                id: r.id,
                name: r.name,
                reference: r.reference,
                kind: ProductKind::parse(&r.kind).unwrap_or_default(),
                unit: r.unit,
                price: stored_money(r.price, &r.currency)?,
                tax: r.tax,
                configurable: r.configurable,
                active: r.active,
                templates: r.templates,
            })
        })
        .collect()
}

pub async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Product, AppError> {
    let row = sqlx::query!(
        "SELECT id, name, reference, kind, unit, price, currency, tax_id, description,
                configurable, active, version
         FROM products WHERE id = $1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let templates = sqlx::query!(
        "SELECT product_id, option_id, title, planned_hours, description FROM task_templates
         WHERE product_id = $1
            OR option_id IN (SELECT o.id FROM product_options o
                             JOIN product_option_groups g ON g.id = o.group_id
                             WHERE g.product_id = $1)
         ORDER BY position, id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let template = |t: &_| -> TaskTemplate {
        let (title, hours, description): &(String, Option<Decimal>, String) = t;
        TaskTemplate {
            title: title.clone(),
            planned_hours: hours.map(|h| h.normalize().to_string()).unwrap_or_default(),
            description: description.clone(),
        }
    };
    let mut by_option: HashMap<Uuid, Vec<TaskTemplate>> = HashMap::new();
    let mut own = Vec::new();
    for t in templates {
        let tuple = (t.title, t.planned_hours, t.description);
        match t.option_id {
            Some(option) => by_option.entry(option).or_default().push(template(&tuple)),
            None => own.push(template(&tuple)),
        }
    }
    let options = sqlx::query!(
        r#"SELECT g.id AS group_id, g.name AS group_name, g.multiple, g.required,
                  o.id AS "option_id?", o.name AS "option_name?", o.price AS "price?"
           FROM product_option_groups g LEFT JOIN product_options o ON o.group_id = g.id
           WHERE g.product_id = $1
           ORDER BY g.position, g.id, o.position, o.id"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut groups: Vec<OptionGroup> = Vec::new();
    for row in options {
        if groups.last().and_then(|g| g.id) != Some(row.group_id) {
            groups.push(OptionGroup {
                id: Some(row.group_id),
                name: row.group_name,
                multiple: row.multiple,
                required: row.required,
                options: Vec::new(),
            });
        }
        if let (Some(option), Some(name), Some(price)) = (row.option_id, row.option_name, row.price)
        {
            if let Some(group) = groups.last_mut() {
                group.options.push(ProductOption {
                    id: Some(option),
                    name,
                    price: price.to_string(),
                    templates: by_option.remove(&option).unwrap_or_default(),
                });
            }
        }
    }
    Ok(Product {
        id: Some(row.id),
        name: row.name,
        reference: row.reference,
        kind: ProductKind::parse(&row.kind).unwrap_or_default(),
        unit: row.unit,
        price: row.price.to_string(),
        currency: row.currency,
        tax_id: row.tax_id,
        description: row.description,
        configurable: row.configurable,
        active: row.active,
        templates: own,
        groups,
        version: row.version,
    })
}

fn amount(text: &str, field: &str) -> Result<Decimal, AppError> {
    match parse_number(text) {
        Ok(Some(value)) if value < Decimal::ZERO => {
            Err(AppError::invalid(field, FieldProblem::AmountNegative))
        }
        Ok(Some(value)) => Ok(crate::domain::quote::round_cents(value)),
        Ok(None) => Ok(Decimal::ZERO),
        Err(crate::domain::quote::QuoteError::TooLarge) => {
            Err(AppError::invalid(field, FieldProblem::AmountTooLarge))
        }
        Err(_) => Err(AppError::invalid(field, FieldProblem::AmountMalformed)),
    }
}

/// A template's fields checked; `field` prefixes the field names of errors.
fn parse_template(
    t: &TaskTemplate,
    field: &str,
) -> Result<(String, Option<Decimal>, String), AppError> {
    let title = parse_title(&t.title)
        .map_err(|e| AppError::invalid(&format!("{field}.title"), e.into()))?;
    let hours_field = format!("{field}.planned_hours");
    let hours = match parse_number(&t.planned_hours) {
        Ok(None) => None,
        Ok(Some(hours)) if hours < Decimal::ZERO => {
            return Err(AppError::invalid(
                &hours_field,
                FieldProblem::HoursNotPositive,
            ))
        }
        Ok(Some(hours)) if hours > Decimal::new(99_999, 0) => {
            return Err(AppError::invalid(
                &hours_field,
                FieldProblem::AmountTooLarge,
            ))
        }
        Ok(Some(hours)) => Some(hours.round_dp(2)),
        Err(_) => {
            return Err(AppError::invalid(
                &hours_field,
                FieldProblem::AmountMalformed,
            ))
        }
    };
    let description = parse_text(&t.description, 5000)
        .map_err(|e| AppError::invalid(&format!("{field}.description"), e.into()))?;
    Ok((title, hours, description))
}

async fn insert_templates(
    conn: &mut PgConnection,
    product: Option<Uuid>,
    option: Option<Uuid>,
    templates: &[TaskTemplate],
    field: &str,
) -> Result<(), AppError> {
    for (position, template) in templates.iter().enumerate() {
        let (title, hours, description) = parse_template(template, &format!("{field}.{position}"))?;
        sqlx::query!(
            "INSERT INTO task_templates (id, product_id, option_id, title, planned_hours,
                                         description, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            Uuid::now_v7(),
            product,
            option,
            title,
            hours,
            description,
            position as i32
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Saves a product whole; a new one when `product.id` is `None`. Returns its id.
pub async fn save(conn: &mut PgConnection, product: &Product) -> Result<Uuid, AppError> {
    let name = parse_title(&product.name).map_err(|e| AppError::invalid("name", e.into()))?;
    let reference = product.reference.trim();
    if reference.chars().count() > 64 {
        return Err(AppError::invalid("reference", FieldProblem::TextTooLong));
    }
    let unit = product.unit.trim();
    if unit.chars().count() > 20 {
        return Err(AppError::invalid("unit", FieldProblem::TextTooLong));
    }
    let price = amount(&product.price, "price")?;
    let description = parse_text(&product.description, 5000)
        .map_err(|e| AppError::invalid("description", e.into()))?;
    let currency = match product.currency.trim() {
        "" => "EUR".to_string(),
        code if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
            code.to_ascii_uppercase()
        }
        _ => return Err(AppError::invalid("currency", FieldProblem::CurrencyUnknown)),
    };
    if let Some(tax) = product.tax_id {
        require_tax(conn, tax, "tax").await?;
    }
    let id = match product.id {
        None => {
            let id = Uuid::now_v7();
            sqlx::query!(
                "INSERT INTO products (id, name, reference, kind, unit, price, currency, tax_id,
                                       description, configurable, active)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                id,
                name,
                reference,
                product.kind.as_str(),
                unit,
                price,
                currency,
                product.tax_id,
                description,
                product.configurable,
                product.active
            )
            .execute(&mut *conn)
            .await
            .on_constraint("products_reference_idx", || {
                AppError::invalid("reference", FieldProblem::ReferenceTaken)
            })?;
            id
        }
        Some(id) => {
            let updated = sqlx::query!(
                "UPDATE products SET name = $3, reference = $4, kind = $5, unit = $6, price = $7,
                        currency = $8, tax_id = $9, description = $10, configurable = $11,
                        active = $12, version = version + 1, updated_at = now()
                 WHERE id = $1 AND version = $2",
                id,
                product.version,
                name,
                reference,
                product.kind.as_str(),
                unit,
                price,
                currency,
                product.tax_id,
                description,
                product.configurable,
                product.active
            )
            .execute(&mut *conn)
            .await
            .on_constraint("products_reference_idx", || {
                AppError::invalid("reference", FieldProblem::ReferenceTaken)
            })?;
            if updated.rows_affected() == 0 {
                let exists = sqlx::query_scalar!("SELECT 1 FROM products WHERE id = $1", id)
                    .fetch_optional(&mut *conn)
                    .await?;
                return Err(if exists.is_some() {
                    AppError::Conflict
                } else {
                    AppError::NotFound
                });
            }
            id
        }
    };
    save_structure(conn, id, product).await?;
    Ok(id)
}

/// Templates, groups and options: templates are rewritten, groups and options kept by id.
async fn save_structure(
    conn: &mut PgConnection,
    id: Uuid,
    product: &Product,
) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM task_templates WHERE product_id = $1", id)
        .execute(&mut *conn)
        .await?;
    insert_templates(conn, Some(id), None, &product.templates, "templates").await?;
    let groups = if product.configurable {
        product.groups.as_slice()
    } else {
        &[]
    };
    let mut kept_groups = Vec::new();
    let mut kept_options = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let field = format!("groups.{g}");
        let group_name = parse_title(&group.name)
            .map_err(|e| AppError::invalid(&format!("{field}.name"), e.into()))?;
        let group_id = group.id.unwrap_or_else(Uuid::now_v7);
        sqlx::query!(
            "INSERT INTO product_option_groups (id, product_id, name, multiple, required, position)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE SET name = $3, multiple = $4, required = $5, position = $6
             WHERE product_option_groups.product_id = $2",
            group_id,
            id,
            group_name,
            group.multiple,
            group.required,
            g as i32
        )
        .execute(&mut *conn)
        .await?;
        kept_groups.push(group_id);
        for (o, option) in group.options.iter().enumerate() {
            let field = format!("{field}.options.{o}");
            let option_name = parse_title(&option.name)
                .map_err(|e| AppError::invalid(&format!("{field}.name"), e.into()))?;
            let price = amount(&option.price, &format!("{field}.price"))?;
            let option_id = option.id.unwrap_or_else(Uuid::now_v7);
            sqlx::query!(
                "INSERT INTO product_options (id, group_id, name, price, position)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET group_id = $2, name = $3, price = $4, position = $5",
                option_id,
                group_id,
                option_name,
                price,
                o as i32
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!("DELETE FROM task_templates WHERE option_id = $1", option_id)
                .execute(&mut *conn)
                .await?;
            insert_templates(
                conn,
                None,
                Some(option_id),
                &option.templates,
                &format!("{field}.templates"),
            )
            .await?;
            kept_options.push(option_id);
        }
    }
    sqlx::query!(
        "DELETE FROM product_options o USING product_option_groups g
         WHERE g.id = o.group_id AND g.product_id = $1 AND o.id <> ALL($2)",
        id,
        &kept_options
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM product_option_groups WHERE product_id = $1 AND id <> ALL($2)",
        id,
        &kept_groups
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The tax, if it is one of the company's active taxes; else 422 on `field`.
pub async fn require_tax(
    conn: &mut PgConnection,
    id: Uuid,
    field: &str,
) -> Result<TaxRate, AppError> {
    sqlx::query_as!(
        TaxRate,
        "SELECT id, name, rate, included, country, active, version FROM taxes WHERE id = $1 AND active",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::invalid(field, FieldProblem::TaxUnknown))
}

/// Adds or changes a tax (managers and admins).
pub async fn save_tax(
    conn: &mut PgConnection,
    id: Option<(Uuid, i32)>,
    name: &str,
    rate: &str,
    included: bool,
    country: &str,
    active: bool,
) -> Result<Uuid, AppError> {
    let name = parse_title(name).map_err(|e| AppError::invalid("name", e.into()))?;
    let rate = match parse_number(rate) {
        Ok(Some(rate)) if rate >= Decimal::ZERO && rate <= Decimal::ONE_HUNDRED => rate,
        _ => return Err(AppError::invalid("rate", FieldProblem::RateOutOfRange)),
    };
    let country = match country.trim() {
        "" => None,
        code => Some(
            crate::domain::CountryCode::parse(code)
                .map_err(|_| AppError::invalid("country", FieldProblem::CountryUnknown))?
                .as_str()
                .to_string(),
        ),
    };
    let id = match id {
        // Saved as read at `version`: a newer version means someone else saved first.
        Some((id, version)) => {
            let current =
                sqlx::query_scalar!("SELECT version FROM taxes WHERE id = $1 FOR UPDATE", id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or(AppError::NotFound)?;
            if current != version {
                return Err(AppError::Conflict);
            }
            sqlx::query!(
                "UPDATE taxes SET name = $2, rate = $3, included = $4, country = $5, active = $6,
                                  version = version + 1
                 WHERE id = $1",
                id,
                name,
                rate,
                included,
                country,
                active
            )
            .execute(&mut *conn)
            .await?;
            id
        }
        None => {
            let id = Uuid::now_v7();
            sqlx::query!(
                "INSERT INTO taxes (id, name, rate, included, country, active, position)
                 VALUES ($1, $2, $3, $4, $5, $6,
                         coalesce((SELECT max(position) FROM taxes), 0) + 1)",
                id,
                name,
                rate,
                included,
                country,
                active
            )
            .execute(&mut *conn)
            .await?;
            id
        }
    };
    Ok(id)
}
