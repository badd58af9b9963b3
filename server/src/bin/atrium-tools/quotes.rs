//! `bench-quotes`: confirming a quote (sales order, project, one task per template) through the
//! real router against the same rows written in plain SQL. Each round confirms a fresh quote
//! of catalogue services, configured bathrooms, goods and free lines.

use crate::setup::{alternate, print_comparisons, successful, BenchDatabase};
use app::auth::CurrentUser;
use sqlx::PgPool;
use std::sync::Mutex;
use std::time::Instant;
use uuid::Uuid;

pub async fn bench(lines: usize, repetitions: usize) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    let session = database.serve_signed_in().await?;
    let pool = &database.pool;
    let me = session.user.id;
    let started = Instant::now();
    // Warm-up and timed rounds each confirm a fresh quote, on both sides.
    let rounds = repetitions + 5;
    let server_quotes = quotes_to_confirm(pool, &session.user, rounds, lines).await?;
    let bare_quotes = quotes_to_confirm(pool, &session.user, rounds, lines).await?;
    let tasks_per_quote: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM quote_lines l
         JOIN task_templates t ON t.product_id = l.product_id
            OR t.option_id = ANY(l.options)
         WHERE l.quote_id = $1",
    )
    .bind(server_quotes[0])
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "data: {} quotes of {lines} lines ({tasks_per_quote} tasks each), generated in {:.1} s",
        rounds * 2,
        started.elapsed().as_secs_f64()
    );
    let server_queue = Mutex::new(server_quotes);
    let bare_queue = Mutex::new(bare_quotes);
    let next = |queue: &Mutex<Vec<Uuid>>| -> Result<Uuid, String> {
        queue
            .lock()
            .map_err(|e| e.to_string())?
            .pop()
            .ok_or_else(|| "out of quotes".to_string())
    };
    let comparison = alternate(
        &format!("quote_confirm_{lines}_lines"),
        || async {
            let id = next(&server_queue)?;
            successful(
                session
                    .api("quotes/confirm")
                    .form(&[("id", id.to_string())]),
                "quotes/confirm",
            )
            .await?;
            Ok::<(), String>(())
        },
        || async { bare_confirm(pool, next(&bare_queue)?, me).await },
        repetitions,
    )
    .await?;
    print_comparisons(&[comparison]);
    database.remove().await;
    Ok(())
}

/// Quotes of `lines` lines each, ready to confirm: catalogue services (with their task
/// templates), configured bathrooms, goods and free lines in a fixed rotation.
async fn quotes_to_confirm(
    pool: &PgPool,
    user: &CurrentUser,
    count: usize,
    lines: usize,
) -> Result<Vec<Uuid>, String> {
    use app::domain::quote::{LineInput, LineKind};
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let catalogue = app::products::db::catalogue(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let customer: Uuid = sqlx::query_scalar("SELECT id FROM contacts ORDER BY name LIMIT 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    let line = |n: usize| -> LineInput {
        let product = &catalogue[n % catalogue.len()];
        let options: Vec<Uuid> = product
            .groups
            .iter()
            .filter_map(|g| g.options.get(n % g.options.len().max(1)).map(|o| o.id))
            .collect();
        let (price, description) = product
            .configured_line(&options)
            .unwrap_or((product.price, product.name.clone()));
        LineInput {
            kind: LineKind::Item,
            product_id: Some(product.id),
            description,
            quantity: format!("{}", 1 + n % 3),
            unit: product.unit.clone(),
            unit_price: price.to_string(),
            discount: if n.is_multiple_of(4) {
                "5".into()
            } else {
                String::new()
            },
            tax_id: product.tax_id,
            options,
        }
    };
    let mut ids = Vec::with_capacity(count);
    for _ in 0..count {
        let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
        let id = app::quotes::db::create(
            &mut tx,
            user,
            None,
            &app::quotes::CustomerChoice::Existing { id: customer },
        )
        .await
        .map_err(|e| e.to_string())?;
        let quote = app::quotes::db::get(&mut tx, id, user)
            .await
            .map_err(|e| e.to_string())?;
        let form = app::quotes::QuoteSave {
            id,
            version: quote.version,
            title: format!("Bench quote {}", quote.number),
            customer_id: Some(customer),
            contact_id: None,
            salesperson_id: Some(user.id),
            quote_date: quote.quote_date.to_string(),
            valid_until: quote.valid_until.map(|d| d.to_string()).unwrap_or_default(),
            currency: "EUR".into(),
            notes: String::new(),
            lines: (0..lines).map(line).collect(),
        };
        app::quotes::db::save(&mut tx, user, &form)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        ids.push(id);
    }
    Ok(ids)
}

/// Confirming in plain SQL: the same rows the server writes (sales order, project with its
/// admin, one task per template in line order), without the rules, the timeline, the
/// amount split or the deal.
async fn bare_confirm(pool: &PgPool, quote: Uuid, me: Uuid) -> Result<(), String> {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let (title, customer, untaxed): (String, Option<Uuid>, sqlx::types::Decimal) =
        sqlx::query_as(
            "SELECT title, customer_id, untaxed FROM quotes WHERE id = $1 AND state = 'draft' FOR UPDATE",
        )
        .bind(quote)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let sequence: i32 = sqlx::query_scalar(
        "INSERT INTO number_counters (series, year, last) VALUES ('P', 2026, 1)
         ON CONFLICT (series, year) DO UPDATE SET last = number_counters.last + 1 RETURNING last",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    let project = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO projects (id, number, title, customer_id, manager_id, budget, created_by, quote_id)
         VALUES ($1, 'B-' || $2, $3, $4, $5, $6, $5, $7)",
    )
    .bind(project)
    .bind(sequence)
    .bind(&title)
    .bind(customer)
    .bind(me)
    .bind(untaxed)
    .bind(quote)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO project_members (project_id, user_id, permission) VALUES ($1, $2, 'admin')",
    )
    .bind(project)
    .bind(me)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO tasks (id, project_id, title, description, creator_id, planned_hours,
                            quote_line_id, position)
         SELECT gen_random_uuid(), $1, t.title, t.description, $2, t.planned_hours, l.id,
                1024 * row_number() OVER (ORDER BY l.position, t.source, t.g, t.o, t.position)
         FROM quote_lines l
         CROSS JOIN LATERAL (
             SELECT tt.title, tt.description, tt.planned_hours, 0 AS source, 0 AS g, 0 AS o, tt.position
             FROM task_templates tt WHERE tt.product_id = l.product_id
             UNION ALL
             SELECT tt.title, tt.description, tt.planned_hours, 1, g.position, o.position, tt.position
             FROM product_options o JOIN product_option_groups g ON g.id = o.group_id
             JOIN task_templates tt ON tt.option_id = o.id
             WHERE o.id = ANY(l.options)
         ) t
         WHERE l.quote_id = $3 AND l.kind = 'item'",
    )
    .bind(project)
    .bind(me)
    .bind(quote)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "UPDATE quotes SET state = 'sale', project_id = $2, confirmed_at = now(), version = version + 1
         WHERE id = $1",
    )
    .bind(quote)
    .bind(project)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}
