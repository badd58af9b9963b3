//! `bench-invoices`: a partial invoice of a project's ticked tasks, and a project's invoicing
//! (task ledger and invoice history) with many invoices, through the real router against the
//! same rows written or read in plain SQL.

use crate::setup::{alternate, print_comparisons, successful, BenchDatabase};
use sqlx::PgPool;
use std::sync::Mutex;
use std::time::Instant;
use uuid::Uuid;

pub async fn bench(tasks: usize, invoices: usize, repetitions: usize) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    let session = database.serve_signed_in().await?;
    let pool = &database.pool;
    let me = session.user.id;
    let started = Instant::now();
    let customer: Uuid = sqlx::query_scalar("SELECT id FROM contacts ORDER BY name LIMIT 1")
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    // Warm-up and timed rounds each invoice a fresh project, on both sides.
    let rounds = repetitions + 5;
    let mut fresh = Vec::with_capacity(rounds * 2);
    for n in 0..rounds * 2 {
        fresh.push(project_with_tasks(pool, me, customer, &format!("B-{n}"), tasks).await?);
    }
    let (server_projects, bare_projects) = {
        let second = fresh.split_off(rounds);
        (Mutex::new(fresh), Mutex::new(second))
    };
    let history = project_with_invoices(&database, &session.user, customer, invoices).await?;
    println!(
        "data: {} projects of {tasks} quoted tasks and one with {invoices} invoices, made in {:.1} s",
        rounds * 2,
        started.elapsed().as_secs_f64()
    );
    let next = |queue: &Mutex<Vec<(Uuid, Vec<Uuid>)>>| {
        queue
            .lock()
            .map_err(|e| e.to_string())?
            .pop()
            .ok_or_else(|| "out of projects".to_string())
    };

    let partial = alternate(
        &format!("partial_invoice_{tasks}_tasks"),
        || async {
            let (project, tasks) = next(&server_projects)?;
            let body = serde_json::json!({ "project": project, "tasks": tasks });
            successful(
                session.api("invoices/invoice_tasks").json(&body),
                "invoices/invoice_tasks",
            )
            .await?
            .bytes()
            .await
            .map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        },
        || async {
            let (project, tasks) = next(&bare_projects)?;
            bare_partial_invoice(pool, project, customer, me, &tasks).await
        },
        repetitions,
    )
    .await?;
    let billing = alternate(
        &format!("project_invoicing_{invoices}_invoices"),
        || {
            session.call(
                "invoices/of_project",
                vec![("project", history.to_string())],
            )
        },
        || async {
            let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
            let billing = app::invoices::db::billing(&mut conn, &session.user, history)
                .await
                .map_err(|e| e.to_string())?;
            if billing.history.len() != invoices {
                return Err("the project lost invoices".to_string());
            }
            Ok(())
        },
        repetitions,
    )
    .await?;
    print_comparisons(&[partial, billing]);
    database.remove().await;
    Ok(())
}

/// A project of `customer` with `tasks` tasks, each quoted at 100 plus its index; the bench
/// user administers it. Returns the project and its tasks in order.
async fn project_with_tasks(
    pool: &PgPool,
    me: Uuid,
    customer: Uuid,
    number: &str,
    tasks: usize,
) -> Result<(Uuid, Vec<Uuid>), String> {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let project = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO projects (id, number, title, customer_id, manager_id, state, created_by)
         VALUES ($1, $2, 'Bench invoicing ' || $2, $3, $4, 'in_progress', $4)",
    )
    .bind(project)
    .bind(number)
    .bind(customer)
    .bind(me)
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
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO tasks (id, project_id, title, creator_id, position, quoted_amount)
         SELECT gen_random_uuid(), $1, 'Task ' || n, $2, n, 100 + n
         FROM generate_series(1, $3) AS n
         RETURNING id",
    )
    .bind(project)
    .bind(me)
    .bind(tasks as i32)
    .fetch_all(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok((project, ids))
}

/// A project with `invoices` partial invoices of two tasks each, made by the server's own
/// code; the first half is marked issued, numbered as issued invoices are.
async fn project_with_invoices(
    database: &BenchDatabase,
    user: &app::auth::CurrentUser,
    customer: Uuid,
    invoices: usize,
) -> Result<Uuid, String> {
    let pool = &database.pool;
    let (project, tasks) =
        project_with_tasks(pool, user.id, customer, "B-HISTORY", invoices * 2).await?;
    for pair in tasks.chunks(2) {
        let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
        app::invoices::draft::invoice_tasks(&mut tx, user, project, pair)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    sqlx::query(
        "UPDATE invoices SET state = 'issued', number = 'B-INV-' || lpad(r.n::text, 4, '0'),
                issued_at = now()
         FROM (SELECT id, row_number() OVER (ORDER BY created_at) AS n FROM invoices
               WHERE project_id = $1 ORDER BY created_at LIMIT $2) r
         WHERE invoices.id = r.id",
    )
    .bind(project)
    .bind((invoices / 2) as i64)
    .execute(pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok(project)
}

/// The rows a partial invoice writes, in plain SQL: the project and its tasks locked, the
/// draft, one line per task at its quoted amount, the totals, and the two timeline entries;
/// without the rules, the ledger checks or the payment terms of the customer.
async fn bare_partial_invoice(
    pool: &PgPool,
    project: Uuid,
    customer: Uuid,
    me: Uuid,
    tasks: &[Uuid],
) -> Result<(), String> {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let invoice = Uuid::now_v7();
    sqlx::query("SELECT id FROM projects WHERE id = $1 FOR UPDATE")
        .bind(project)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO invoices (id, customer_id, project_id, origin, invoice_date,
                               payment_terms_days, due_date, currency, created_by)
         VALUES ($1, $2, $3, 'partial', current_date, 30, current_date + 30, 'EUR', $4)",
    )
    .bind(invoice)
    .bind(customer)
    .bind(project)
    .bind(me)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_price,
                                    subtotal, task_id)
         SELECT gen_random_uuid(), $1, row_number() OVER (ORDER BY t.position), t.title, 1,
                t.quoted_amount, t.quoted_amount, t.id
         FROM (SELECT * FROM tasks WHERE id = ANY($2) FOR UPDATE) t",
    )
    .bind(invoice)
    .bind(tasks)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "UPDATE invoices SET untaxed = s.sum, total = s.sum
         FROM (SELECT sum(subtotal) AS sum FROM invoice_lines WHERE invoice_id = $1) s
         WHERE id = $1",
    )
    .bind(invoice)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO timeline_entries (id, record_kind, record_id, kind, user_id, payload)
         VALUES (gen_random_uuid(), 'project', $1, 'invoice_created', $3, '{}'),
                (gen_random_uuid(), 'invoice', $2, 'invoice_created', $3, '{}')",
    )
    .bind(project)
    .bind(invoice)
    .bind(me)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}
