//! `seed`: generated companies, people, projects and tasks added to the app's own database
//! (the embedded one in the data directory, or `DATABASE_URL`), after the demo company. The
//! same seed gives the same rows.

use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

/// How many rows of each kind `seed` adds.
pub struct Sizes {
    pub companies: usize,
    pub people: usize,
    pub projects: usize,
    pub tasks: usize,
}

pub async fn fill(
    sizes: Sizes,
    seed: u64,
    database_url: Option<String>,
    data_dir: PathBuf,
) -> Result<(), String> {
    let mut args = vec![
        "server".to_string(),
        "--data-dir".into(),
        data_dir.display().to_string(),
    ];
    if let Some(url) = database_url {
        args.extend(["--database-url".to_string(), url]);
    }
    let config = server::config::Config::try_parse_from(args).map_err(|e| e.to_string())?;
    let database = server::database::Database::open(&config)
        .await
        .map_err(|e| e.to_string())?;
    app::seed::demo::load_if_empty(&database.pool)
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut conn = database.pool.acquire().await.map_err(|e| e.to_string())?;
    app::seed::generate::contacts::generate(&mut conn, sizes.companies, sizes.people, seed)
        .await
        .map_err(|e| e.to_string())?;
    if sizes.projects > 0 {
        app::seed::generate::projects::generate(&mut conn, sizes.projects, sizes.tasks, 0, seed)
            .await
            .map_err(|e| e.to_string())?;
    }
    drop(conn);
    println!(
        "added {} companies, {} people, {} projects and {} tasks (seed {seed}) in {:.1} s",
        sizes.companies,
        sizes.people,
        sizes.projects,
        sizes.tasks,
        started.elapsed().as_secs_f64()
    );
    database.close().await;
    Ok(())
}
