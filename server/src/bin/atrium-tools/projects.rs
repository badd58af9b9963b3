//! `bench-projects`: the page of a project with thousands of tasks, and my tasks, through the
//! real router against the same `db` functions called straight on a connection (no HTTP,
//! session or JSON), over generated projects and tasks.

use crate::setup::{alternate, print_comparisons, BenchDatabase};
use std::time::Instant;

pub async fn bench(
    projects: usize,
    tasks: usize,
    big_project_tasks: usize,
    repetitions: usize,
) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    let started = Instant::now();
    database.generate_contacts(5_000, 5_000).await?;
    let big = {
        let mut conn = database.pool.acquire().await.map_err(|e| e.to_string())?;
        app::seed::generate::projects::generate(&mut conn, projects, tasks, big_project_tasks, 1)
            .await
            .map_err(|e| e.to_string())?
    };
    println!(
        "data: {projects} projects, {tasks} tasks plus one project of {big_project_tasks} tasks, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let session = database.serve_signed_in().await?;
    let pool = &database.pool;
    let today = app::state::today();

    let project_page = || session.call("projects/get", vec![("id", big.to_string())]);
    let project_bare = || async {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        let (_, permission) =
            app::projects::db::require(&mut conn, &session.user, big, app::domain::ProjectOp::View)
                .await
                .map_err(|e| e.to_string())?;
        let page = app::projects::db::page(&mut conn, big, permission, today)
            .await
            .map_err(|e| e.to_string())?;
        if page.tasks.len() != big_project_tasks {
            return Err("the big project lost tasks".to_string());
        }
        Ok(())
    };
    let mine = || session.call("tasks/mine", Vec::new());
    let mine_bare = || async {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        app::tasks::db::mine(&mut conn, session.user.id, today)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    };

    let results = vec![
        alternate(
            "project_page_2000_tasks",
            project_page,
            project_bare,
            repetitions,
        )
        .await?,
        alternate("my_tasks", mine, mine_bare, repetitions).await?,
    ];
    print_comparisons(&results);
    database.remove().await;
    Ok(())
}
