//! `bench-pivot`: a pivot of generated tasks (two row levels, two column levels, two
//! measures) through the real router against its one GROUPING SETS statement run alone.

use crate::setup::{
    alternate, print_comparisons, run_statements, successful, BenchDatabase, Session,
};
use app::registry::list_schema;
use app::views::filter::Context;
use app::views::pivot::{layout_of, query};
use app::views::ViewState;
use serde_json::json;
use std::time::Instant;

const LAYOUT: &str =
    "pr=status&pr=assignee&pc=due_date:month&pc=priority&pm=planned_hours&pm=hours_spent";

pub async fn bench(tasks: usize, repetitions: usize) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    let started = Instant::now();
    generate_tasks(&database, tasks).await?;
    println!(
        "data: {tasks} tasks, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let session = database.serve_signed_in().await?;
    let result = measure(&session, &database, repetitions).await?;
    print_comparisons(&[result]);
    database.remove().await;
    Ok(())
}

/// Tasks over the demo projects and users, every state and priority, due over two years,
/// with planned and booked hours.
async fn generate_tasks(database: &BenchDatabase, tasks: usize) -> Result<(), String> {
    sqlx::query(
        "INSERT INTO tasks (id, project_id, title, assignee_id, status, priority, due_date,
                            planned_hours, hours_spent)
         SELECT gen_random_uuid(), p.ids[1 + g % cardinality(p.ids)], 'Generated ' || g,
                u.ids[1 + g % cardinality(u.ids)],
                (ARRAY['pending', 'in_progress', 'paused', 'pending_review', 'completed',
                       'deferred'])[1 + g % 6],
                (ARRAY['low', 'normal', 'high'])[1 + g % 3],
                DATE '2025-01-01' + (g % 730)::int, (g % 40) / 2.0, (g % 50) / 2.0
         FROM generate_series(1, $1) g,
              (SELECT array_agg(id) AS ids FROM projects) p,
              (SELECT array_agg(id) AS ids FROM users) u",
    )
    .bind(i64::try_from(tasks).map_err(|e| e.to_string())?)
    .execute(&database.pool)
    .await
    .map_err(|e| e.to_string())?;
    sqlx::query("ANALYZE tasks")
        .execute(&database.pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

async fn measure(
    session: &Session,
    database: &BenchDatabase,
    repetitions: usize,
) -> Result<crate::setup::Comparison, String> {
    let label = "pivot_tasks_2x2_levels_2_measures";
    let schema = list_schema("tasks").ok_or("no tasks list")?;
    let query = format!("p=all&{LAYOUT}");
    let state = ViewState::from_query(&query);
    let context = Context {
        me: session.user.id,
        today: app::state::today(),
        sees_all: true,
    };
    let (sql, _) =
        query::pivot(schema, &state, context, &layout_of(&query)).map_err(|e| e.to_string())?;
    let body = json!({ "list": "tasks", "query": query });
    let call = || async {
        let response = successful(session.api("views/pivot").json(&body), label).await?;
        response.bytes().await.map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    };
    let statements = [sql];
    let bare = || run_statements(&database.pool, &statements);
    alternate(label, call, bare, repetitions).await
}
