//! A deterministic generator of projects and their tasks, for benchmarks and manual testing
//! at scale: customers are drawn from the directory, people from the users, and the same seed
//! gives the same rows. One extra project gets `big_project_tasks` tasks, the size the
//! benchmark opens.

use super::Rng;
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

const WORKS: &[&str] = &[
    "Renovation",
    "Heat pump",
    "Solar panels",
    "Rewiring",
    "Office fit-out",
    "Roof repair",
    "Bathroom",
    "Ventilation",
    "Extension",
    "Facade",
    "Charging points",
    "Lighting plan",
];
const PLACES: &[&str] = &[
    "Amsterdam",
    "Utrecht",
    "Antwerpen",
    "Gent",
    "Lyon",
    "Lille",
    "Madrid",
    "Valencia",
    "Milano",
    "Verona",
    "Rotterdam",
    "Bruxelles",
];
const TASKS: &[&str] = &[
    "Site survey",
    "Measurements",
    "Order materials",
    "Demolition",
    "Electrical work",
    "Plumbing",
    "Install units",
    "Commissioning",
    "Inspection",
    "Handover",
    "Plan the crew",
    "Permit request",
];
const STATES: &[&str] = &[
    "planned",
    "in_progress",
    "in_progress",
    "on_hold",
    "completed",
    "closed",
];
const STATUSES: &[&str] = &[
    "completed",
    "completed",
    "completed",
    "pending",
    "in_progress",
    "paused",
    "pending_review",
    "deferred",
];

/// Rows are written in batches of this many, one statement each.
const BATCH: usize = 5_000;

#[derive(Default)]
struct Tasks {
    ids: Vec<Uuid>,
    projects: Vec<Uuid>,
    titles: Vec<String>,
    assignees: Vec<Uuid>,
    creators: Vec<Uuid>,
    statuses: Vec<String>,
    starts: Vec<i32>,
    lengths: Vec<i32>,
    positions: Vec<f64>,
}

impl Tasks {
    async fn write(&mut self, conn: &mut PgConnection) -> Result<(), AppError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO tasks (id, project_id, title, assignee_id, creator_id, status, start_date,
                                due_date, planned_hours, position, assignee_seen_at)
             SELECT id, project, title, assignee, creator, status, current_date + start,
                    current_date + start + length, length * 4, position, now()
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                         $7::int[], $8::int[], $9::float8[])
                  AS r(id, project, title, assignee, creator, status, start, length, position)",
        )
        .bind(&self.ids)
        .bind(&self.projects)
        .bind(&self.titles)
        .bind(&self.assignees)
        .bind(&self.creators)
        .bind(&self.statuses)
        .bind(&self.starts)
        .bind(&self.lengths)
        .bind(&self.positions)
        .execute(&mut *conn)
        .await?;
        *self = Tasks::default();
        Ok(())
    }
}

/// Adds `projects` projects with `tasks` tasks spread over them, and one more project with
/// `big_project_tasks` tasks; returns that project's id.
pub async fn generate(
    conn: &mut PgConnection,
    projects: usize,
    tasks: usize,
    big_project_tasks: usize,
    seed: u64,
) -> Result<Uuid, AppError> {
    let users: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users ORDER BY email")
        .fetch_all(&mut *conn)
        .await?;
    let customers: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE NOT archived ORDER BY id LIMIT 50000")
            .fetch_all(&mut *conn)
            .await?;
    if users.is_empty() || customers.is_empty() {
        return Err(AppError::Internal);
    }
    let mut rng = Rng::new(seed);
    let year = 2025;
    let total = projects as i32 + 1;
    // Numbers come from the year's counter, reserved as one block.
    let last: i32 = sqlx::query_scalar(
        "INSERT INTO number_counters (series, year, last) VALUES ('P', $1, $2)
         ON CONFLICT (series, year) DO UPDATE SET last = number_counters.last + $2
         RETURNING last",
    )
    .bind(year)
    .bind(total)
    .fetch_one(&mut *conn)
    .await?;
    let first = last - total + 1;
    let mut ids = Vec::with_capacity(total as usize);
    for chunk_start in (0..total).step_by(BATCH) {
        let chunk_end = (chunk_start + BATCH as i32).min(total);
        let (mut pid, mut number, mut title, mut customer, mut manager, mut state) = (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        let (mut start, mut budget) = (Vec::new(), Vec::new());
        for n in chunk_start..chunk_end {
            let id = rng.uuid();
            ids.push(id);
            pid.push(id);
            number.push(crate::domain::project::project_number(year, first + n));
            title.push(format!("{} {}", rng.pick(WORKS), rng.pick(PLACES)));
            customer.push(customers[rng.below(customers.len() as u64) as usize]);
            manager.push(users[rng.below(users.len() as u64) as usize]);
            state.push(
                if n == total - 1 {
                    "in_progress"
                } else {
                    rng.pick(STATES)
                }
                .to_string(),
            );
            start.push(rng.below(400) as i32 - 300);
            budget.push((5_000 + rng.below(300_000)) as i64);
        }
        sqlx::query(
            "INSERT INTO projects (id, number, title, customer_id, manager_id, state, start_date,
                                   end_date, budget)
             SELECT id, number, title, customer, manager, state, current_date + start,
                    current_date + start + 90, budget
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::text[],
                         $7::int[], $8::int8[])
                  AS r(id, number, title, customer, manager, state, start, budget)",
        )
        .bind(&pid)
        .bind(&number)
        .bind(&title)
        .bind(&customer)
        .bind(&manager)
        .bind(&state)
        .bind(&start)
        .bind(&budget)
        .execute(&mut *conn)
        .await?;
        // Managers administer their projects.
        sqlx::query(
            "INSERT INTO project_members (project_id, user_id, permission)
             SELECT id, manager, 'admin' FROM unnest($1::uuid[], $2::uuid[]) AS r(id, manager)",
        )
        .bind(&pid)
        .bind(&manager)
        .execute(&mut *conn)
        .await?;
    }
    let big = *ids.last().ok_or(AppError::Internal)?;
    let mut batch = Tasks::default();
    let add = |batch: &mut Tasks, rng: &mut Rng, project: Uuid, position: usize| {
        batch.ids.push(rng.uuid());
        batch.projects.push(project);
        batch
            .titles
            .push(format!("{} {}", rng.pick(TASKS), position + 1));
        batch
            .assignees
            .push(users[rng.below(users.len() as u64) as usize]);
        batch
            .creators
            .push(users[rng.below(users.len() as u64) as usize]);
        batch.statuses.push(rng.pick(STATUSES).to_string());
        batch.starts.push(rng.below(120) as i32 - 60);
        batch.lengths.push(rng.below(20) as i32);
        batch.positions.push(position as f64 * 1024.0);
    };
    for n in 0..tasks {
        let project = ids[rng.below(projects.max(1) as u64) as usize];
        add(&mut batch, &mut rng, project, n);
        if batch.ids.len() == BATCH {
            batch.write(conn).await?;
        }
    }
    for n in 0..big_project_tasks {
        add(&mut batch, &mut rng, big, n);
        if batch.ids.len() == BATCH {
            batch.write(conn).await?;
        }
    }
    batch.write(conn).await?;
    sqlx::query("ANALYZE projects, tasks, project_members")
        .execute(&mut *conn)
        .await?;
    Ok(big)
}
