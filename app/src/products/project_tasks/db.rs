//! Adding catalogue tasks in the caller's transaction: the project's permission and standing
//! (locked or closed refuses), the products checked as the quote form checks them, then one
//! statement for the tasks, one for their history and an entry per task on the project's
//! timeline.

use super::{
    check_request, plan_tasks, untaxed, CatalogueLine, PlannedTask, ProjectCatalogue, TemplateRow,
    MAX_TASKS,
};
use crate::activities::{db::log, TimelineEvent};
use crate::auth::CurrentUser;
use crate::domain::project_access;
use crate::domain::{Currency, ProjectOp};
use crate::error::{AppError, FieldProblem};
use crate::products::db::{catalogue, taxes};
use crate::shared::db::stored_currency;
use crate::shared::RecordKind;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

async fn project_currency(conn: &mut PgConnection, project: Uuid) -> Result<Currency, AppError> {
    let code = sqlx::query_scalar!("SELECT currency FROM projects WHERE id = $1", project)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    stored_currency(&code)
}

/// The task templates of `products` and of their options, in the order tasks are made: each
/// product's own first, then its options' by group, option and template position.
pub async fn templates(
    conn: &mut PgConnection,
    products: &[Uuid],
) -> Result<Vec<TemplateRow>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT coalesce(tt.product_id, g.product_id) AS "product!", tt.option_id AS "option?",
                  tt.title AS "title!", tt.planned_hours AS "planned_hours?",
                  tt.description AS "description!"
           FROM task_templates tt
           LEFT JOIN product_options o ON o.id = tt.option_id
           LEFT JOIN product_option_groups g ON g.id = o.group_id
           WHERE tt.product_id = ANY($1) OR g.product_id = ANY($1)
           ORDER BY tt.option_id IS NOT NULL, g.position, g.id, o.position, o.id,
                    tt.position, tt.id"#,
        products
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TemplateRow {
            product: r.product,
            option: r.option,
            title: r.title,
            planned_hours: r.planned_hours,
            description: r.description,
        })
        .collect())
}

/// What the dialog offers on `project`, for a user who may add tasks to it now.
pub async fn project_catalogue(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
) -> Result<ProjectCatalogue, AppError> {
    let (standing, permission) = crate::projects::db::access(conn, user, project).await?;
    project_access::check(permission, standing, ProjectOp::WorkOnTasks)?;
    let currency = project_currency(conn, project).await?;
    let products: Vec<_> = catalogue(conn)
        .await?
        .into_iter()
        .filter(|p| p.currency == currency)
        .collect();
    let ids: Vec<Uuid> = products.iter().map(|p| p.id).collect();
    Ok(ProjectCatalogue {
        currency,
        taxes: taxes(conn).await?,
        templates: templates(conn, &ids).await?,
        products,
    })
}

/// A task about to be written, with the tax its amount is billed at.
struct NewTask {
    planned: PlannedTask,
    tax: Option<(Uuid, Decimal)>,
}

/// Adds the lines' products to the project as tasks, last in its order, each with its share
/// of the line's amount without tax and the product's tax (id and rate as they are now).
/// Refused as task creation is: without the permission to work on the project's tasks, or
/// when the project is locked or closed. Returns the new tasks in order.
pub async fn add(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
    lines: &[CatalogueLine],
) -> Result<Vec<Uuid>, AppError> {
    check_request(lines)?;
    crate::projects::db::require(conn, user, project, ProjectOp::WorkOnTasks).await?;
    let currency = project_currency(conn, project).await?;
    let offered = catalogue(conn).await?;
    let taxes = taxes(conn).await?;
    let wanted: Vec<Uuid> = lines.iter().map(|l| l.product_id).collect();
    let templates = templates(conn, &wanted).await?;
    let mut tasks: Vec<NewTask> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let field = |name: &str| format!("lines.{i}.{name}");
        // Only active products are offered; a retired one is no longer sold.
        let product = offered
            .iter()
            .find(|p| p.id == line.product_id)
            .ok_or_else(|| AppError::invalid(&field("product"), FieldProblem::ProductUnknown))?;
        if product.currency != currency {
            return Err(AppError::invalid(
                &field("product"),
                FieldProblem::CurrencyMismatch,
            ));
        }
        if product.configurable {
            product
                .configure(&line.options)
                .map_err(|e| AppError::invalid(&field("options"), e.into()))?;
        } else if !line.options.is_empty() {
            return Err(AppError::invalid(
                &field("options"),
                FieldProblem::OptionUnknown,
            ));
        }
        let tax = match product.tax_id {
            None => None,
            Some(id) => Some(
                taxes
                    .iter()
                    .find(|t| t.id == id)
                    .ok_or_else(|| AppError::invalid(&field("tax"), FieldProblem::TaxUnknown))?,
            ),
        };
        let priced = line
            .priced(tax.map(|t| t.tax()))
            .map_err(|(problem, name)| AppError::invalid(&field(name), problem))?;
        let kept = tax.map(|t| (t.id, t.rate));
        for planned in plan_tasks(product, &line.options, &templates, untaxed(&priced)) {
            tasks.push(NewTask { planned, tax: kept });
        }
        if tasks.len() > MAX_TASKS {
            return Err(AppError::invalid("lines", FieldProblem::TooManyValues));
        }
    }
    let ids: Vec<Uuid> = tasks.iter().map(|_| Uuid::now_v7()).collect();
    let titles: Vec<String> = tasks.iter().map(|t| t.planned.title.clone()).collect();
    let descriptions: Vec<String> = tasks
        .iter()
        .map(|t| t.planned.description.clone())
        .collect();
    let hours: Vec<Option<Decimal>> = tasks.iter().map(|t| t.planned.planned_hours).collect();
    let amounts: Vec<Decimal> = tasks.iter().map(|t| t.planned.amount).collect();
    let tax_ids: Vec<Option<Uuid>> = tasks.iter().map(|t| t.tax.map(|(id, _)| id)).collect();
    let rates: Vec<Option<Decimal>> = tasks.iter().map(|t| t.tax.map(|(_, r)| r)).collect();
    sqlx::query!(
        "INSERT INTO tasks (id, project_id, title, description, creator_id, planned_hours,
                            quoted_amount, quoted_tax_id, quoted_tax_rate, position)
         SELECT t.id, $1, t.title, t.description, $2, t.hours, t.amount, t.tax_id, t.tax_rate,
                (SELECT coalesce(max(position), 0) FROM tasks WHERE project_id = $1) + t.n * 1024
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::numeric[], $7::numeric[],
                     $8::uuid[], $9::numeric[])
              WITH ORDINALITY AS t(id, title, description, hours, amount, tax_id, tax_rate, n)",
        project,
        user.id,
        &ids,
        &titles,
        &descriptions,
        &hours as &[Option<Decimal>],
        &amounts,
        &tax_ids as &[Option<Uuid>],
        &rates as &[Option<Decimal>]
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO task_history (task_id, user_id, kind)
         SELECT t.id, $2, 'created' FROM unnest($1::uuid[]) AS t(id)",
        &ids,
        user.id
    )
    .execute(&mut *conn)
    .await?;
    for (task_id, title) in ids.iter().zip(titles) {
        let event = TimelineEvent::TaskCreated {
            task_id: *task_id,
            title,
        };
        log(conn, RecordKind::Project, project, Some(user.id), &event).await?;
    }
    Ok(ids)
}
