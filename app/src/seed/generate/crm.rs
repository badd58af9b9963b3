//! A deterministic generator of opportunities for benchmarks and manual testing at scale:
//! open deals spread over the default pipeline's stages (and some won and lost), customers
//! from the directory, salespeople from the users, a planned activity on most deals and a
//! task on some. The same seed gives the same rows.

use super::Rng;
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

const WORKS: &[&str] = &[
    "Heat pump",
    "Solar panels",
    "Rewiring",
    "Office fit-out",
    "Roof repair",
    "Bathroom",
    "Ventilation",
    "Charging points",
    "Lighting plan",
    "Maintenance contract",
];

/// Rows are written in batches of this many, one statement each.
const BATCH: usize = 5_000;

#[derive(Default)]
struct Deals {
    ids: Vec<Uuid>,
    titles: Vec<String>,
    pipelines: Vec<Uuid>,
    stages: Vec<Uuid>,
    customers: Vec<Uuid>,
    salespeople: Vec<Uuid>,
}

#[derive(Default)]
struct Activities {
    ids: Vec<Uuid>,
    deals: Vec<Uuid>,
    types: Vec<Uuid>,
    dues: Vec<i32>,
    assigned: Vec<Uuid>,
}

#[derive(Default)]
struct DealTasks {
    ids: Vec<Uuid>,
    deals: Vec<Uuid>,
    titles: Vec<String>,
    assignees: Vec<Uuid>,
}

/// Adds `open` open deals (and a tenth as many won and lost) with their activities and
/// some tasks.
pub async fn generate(conn: &mut PgConnection, open: usize, seed: u64) -> Result<(), AppError> {
    let users: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users ORDER BY email")
        .fetch_all(&mut *conn)
        .await?;
    let customers: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE NOT archived ORDER BY id LIMIT 50000")
            .fetch_all(&mut *conn)
            .await?;
    let stages: Vec<(Uuid, Uuid, bool)> = sqlx::query_as(
        "SELECT s.id, s.pipeline_id, s.is_won FROM pipeline_stages s
         JOIN pipelines p ON p.id = s.pipeline_id WHERE p.key = 'sales' ORDER BY s.position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let types: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM activity_types ORDER BY position")
        .fetch_all(&mut *conn)
        .await?;
    let reason: Uuid = sqlx::query_scalar("SELECT id FROM lost_reasons ORDER BY position LIMIT 1")
        .fetch_one(&mut *conn)
        .await?;
    let open_stages: Vec<&(Uuid, Uuid, bool)> = stages.iter().filter(|s| !s.2).collect();
    let won_stage = stages.iter().find(|s| s.2);
    if users.is_empty() || customers.is_empty() || open_stages.is_empty() || types.is_empty() {
        return Err(AppError::Internal);
    }
    let mut rng = Rng::new(seed);
    let total = open + open / 10 * 2;
    let mut done = 0;
    while done < total {
        let end = (done + BATCH).min(total);
        let mut rows = Deals::default();
        let (mut revenue, mut status, mut position, mut closing) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut activities = Activities::default();
        let mut tasks = DealTasks::default();
        for n in done..end {
            let id = rng.uuid();
            let kind = if n < open {
                "open"
            } else if n % 2 == 0 {
                "won"
            } else {
                "lost"
            };
            let stage = match (kind, won_stage) {
                ("won", Some(won)) => won,
                _ => open_stages[rng.below(open_stages.len() as u64) as usize],
            };
            let salesperson = users[rng.below(users.len() as u64) as usize];
            rows.ids.push(id);
            rows.titles.push(format!("{} {}", rng.pick(WORKS), n + 1));
            rows.pipelines.push(stage.1);
            rows.stages.push(stage.0);
            rows.customers
                .push(customers[rng.below(customers.len() as u64) as usize]);
            rows.salespeople.push(salesperson);
            revenue.push((1_000 + rng.below(150_000)) as i64);
            status.push(kind.to_string());
            position.push(n as f64 * 1024.0);
            closing.push(rng.below(120) as i32 - 30);
            if kind == "open" && rng.below(4) != 0 {
                activities.ids.push(rng.uuid());
                activities.deals.push(id);
                activities
                    .types
                    .push(types[rng.below(types.len() as u64) as usize]);
                activities.dues.push(rng.below(40) as i32 - 10);
                activities.assigned.push(salesperson);
            }
            if rng.below(10) == 0 {
                tasks.ids.push(rng.uuid());
                tasks.deals.push(id);
                tasks.titles.push(format!("Follow up {}", n + 1));
                tasks.assignees.push(salesperson);
            }
        }
        sqlx::query(
            "INSERT INTO opportunities (id, title, pipeline_id, stage_id, customer_id,
                                        salesperson_id, expected_revenue, status, lost_reason_id,
                                        closed_at, position, expected_closing)
             SELECT id, title, pipeline, stage, customer, salesperson, revenue, status,
                    CASE WHEN status = 'lost' THEN $11::uuid END,
                    CASE WHEN status <> 'open' THEN now() END, position, current_date + closing
             FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[],
                         $7::int8[], $8::text[], $9::float8[], $10::int[])
                  AS r(id, title, pipeline, stage, customer, salesperson, revenue, status,
                       position, closing)",
        )
        .bind(&rows.ids)
        .bind(&rows.titles)
        .bind(&rows.pipelines)
        .bind(&rows.stages)
        .bind(&rows.customers)
        .bind(&rows.salespeople)
        .bind(&revenue)
        .bind(&status)
        .bind(&position)
        .bind(&closing)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO activities (id, record_kind, record_id, opportunity_id, type_id,
                                     due_date, assigned_to)
             SELECT id, 'opportunity', deal, deal, kind, current_date + due, assigned
             FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::uuid[])
                  AS r(id, deal, kind, due, assigned)",
        )
        .bind(&activities.ids)
        .bind(&activities.deals)
        .bind(&activities.types)
        .bind(&activities.dues)
        .bind(&activities.assigned)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO tasks (id, opportunity_id, title, assignee_id, creator_id, tags)
             SELECT id, deal, title, assignee, assignee, '{CRM}'
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[])
                  AS r(id, deal, title, assignee)",
        )
        .bind(&tasks.ids)
        .bind(&tasks.deals)
        .bind(&tasks.titles)
        .bind(&tasks.assignees)
        .execute(&mut *conn)
        .await?;
        done = end;
    }
    sqlx::query("ANALYZE opportunities, activities, tasks")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
