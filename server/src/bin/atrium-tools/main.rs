//! Developer tools on a real database (built with `--features tools`, run through xtask):
//!
//! - `seed`: fill a database with generated companies and people (deterministic);
//! - `bench-lists`: on its own throw-away database, time list requests through the real
//!   router against the same SQL run alone, and print the ratios;
//! - `bench-projects`: the same for the project page (a project with 2,000 tasks) and my
//!   tasks, over 20,000 generated projects and 500,000 tasks;
//! - `bench-abuse`: the release server binary under bounded abuse (see `abuse.rs`).

mod abuse;

use app::registry::list_schema;
use app::views::filter::Context;
use app::views::{query, ViewState};
use clap::{Parser, Subcommand};
use embedded_pg::{Cluster, Options};
use serde_json::{json, Value};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "Atrium developer tools")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Add generated companies and people to the app's database (the embedded one in
    /// --data-dir, or DATABASE_URL).
    Seed {
        #[arg(long, default_value_t = 1_000)]
        companies: usize,
        #[arg(long, default_value_t = 3_000)]
        people: usize,
        #[arg(long, default_value_t = 0)]
        projects: usize,
        /// Tasks spread over the generated projects.
        #[arg(long, default_value_t = 0)]
        tasks: usize,
        /// The same seed gives the same rows.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
        database_url: Option<String>,
        #[arg(long, env = "ATRIUM_DATA_DIR", default_value = "./.data")]
        data_dir: std::path::PathBuf,
    },
    /// Time list requests against their bare SQL and print `RATIO <label> <value>` lines.
    BenchLists {
        #[arg(long, default_value_t = 100_000)]
        companies: usize,
        #[arg(long, default_value_t = 300_000)]
        people: usize,
        /// Timed repetitions of each measurement (after a warm-up).
        #[arg(long, default_value_t = 31)]
        repetitions: usize,
    },
    /// Time the pipeline board against its SQL and print `RATIO` lines.
    BenchCrm {
        /// Open opportunities (a tenth as many won and lost come on top).
        #[arg(long, default_value_t = 5_000)]
        opportunities: usize,
        #[arg(long, default_value_t = 31)]
        repetitions: usize,
    },
    /// Time confirming a quote (sales order, project, tasks) against its SQL and print
    /// `RATIO` lines.
    BenchQuotes {
        /// Lines of each confirmed quote.
        #[arg(long, default_value_t = 50)]
        lines: usize,
        #[arg(long, default_value_t = 31)]
        repetitions: usize,
    },
    /// Time the project page and my tasks against their SQL and print `RATIO` lines.
    BenchProjects {
        #[arg(long, default_value_t = 20_000)]
        projects: usize,
        #[arg(long, default_value_t = 500_000)]
        tasks: usize,
        /// Tasks of the one project whose page is opened.
        #[arg(long, default_value_t = 2_000)]
        big_project_tasks: usize,
        #[arg(long, default_value_t = 31)]
        repetitions: usize,
    },
    /// Run the server binary under bounded abuse and print its memory growth and the
    /// slow-down of ordinary requests as `SIZE` and `RATIO` lines.
    BenchAbuse {
        /// The release-built server binary.
        #[arg(long)]
        server: std::path::PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async {
        match cli.task {
            Task::Seed {
                companies,
                people,
                projects,
                tasks,
                seed,
                database_url,
                data_dir,
            } => {
                let sizes = Sizes {
                    companies,
                    people,
                    projects,
                    tasks,
                };
                seed_database(sizes, seed, database_url, data_dir).await
            }
            Task::BenchLists {
                companies,
                people,
                repetitions,
            } => bench_lists(companies, people, repetitions.max(30)).await,
            Task::BenchProjects {
                projects,
                tasks,
                big_project_tasks,
                repetitions,
            } => bench_projects(projects, tasks, big_project_tasks, repetitions.max(30)).await,
            Task::BenchCrm {
                opportunities,
                repetitions,
            } => bench_crm(opportunities, repetitions.max(30)).await,
            Task::BenchQuotes { lines, repetitions } => {
                bench_quotes(lines, repetitions.max(30)).await
            }
            Task::BenchAbuse { server } => abuse::bench_abuse(server).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("atrium-tools: {message}");
            ExitCode::FAILURE
        }
    }
}

/// How many rows of each kind `seed` adds.
struct Sizes {
    companies: usize,
    people: usize,
    projects: usize,
    tasks: usize,
}

async fn seed_database(
    sizes: Sizes,
    seed: u64,
    database_url: Option<String>,
    data_dir: std::path::PathBuf,
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

/// One list request: a view of the contacts list, optionally resuming after the first page.
struct Case {
    label: &'static str,
    query: &'static str,
    second_page: bool,
}

const CASES: &[Case] = &[
    Case {
        label: "contacts_search_filter_sort",
        query: "q=bakker&f=country:is:NL&s=city",
        second_page: false,
    },
    // "Load more" names the first page's columns, as the list view does.
    Case {
        label: "contacts_filter_sort_next_page",
        query: "f=tags:has:VIP&s=-created&c=name,company,emails,phones,city,owner",
        second_page: true,
    },
    Case {
        label: "contacts_predefined_sort",
        query: "p=people&s=name",
        second_page: false,
    },
    Case {
        label: "contacts_group_by_two_levels",
        query: "p=companies&g=country&g=owner",
        second_page: false,
    },
];

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

/// Peak resident memory of this process in MB, since the last reset.
fn peak_memory_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn reset_peak_memory() {
    // Writing 5 resets the peak (VmHWM) to the current resident size.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A throw-away cluster with a migrated `bench` database holding the demo company.
async fn bench_database() -> Result<(Cluster, std::path::PathBuf, PgPool), String> {
    let dir = std::env::temp_dir().join(format!("atrium-bench-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cluster = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || {
            Cluster::start(&Options {
                data_dir: dir,
                ephemeral: true,
            })
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?
    };
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&cluster.url("postgres"))
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query("CREATE DATABASE bench")
        .execute(&admin)
        .await
        .map_err(|e| e.to_string())?;
    admin.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .connect(&cluster.url("bench"))
        .await
        .map_err(|e| e.to_string())?;
    server::database::MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| e.to_string())?;
    app::seed::demo::load_if_empty(&pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok((cluster, dir, pool))
}

/// Signs the demo admin in on `address`; answers the client and the admin's id.
async fn sign_in(address: &str, pool: &PgPool) -> Result<(reqwest::Client, uuid::Uuid), String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let signed_in = client
        .post(format!("{address}/api/auth/sign_in"))
        .header("Accept", "application/json")
        .form(&[
            ("email", app::seed::demo::DEMO_EMAIL),
            ("password", app::seed::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !signed_in.status().is_success() {
        return Err(format!("sign-in failed: {}", signed_in.status()));
    }
    let me: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(app::seed::demo::DEMO_EMAIL)
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok((client, me))
}

async fn bench_lists(companies: usize, people: usize, repetitions: usize) -> Result<(), String> {
    let (cluster, dir, pool) = bench_database().await?;
    let started = Instant::now();
    {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        app::seed::generate::contacts::generate(&mut conn, companies, people, 1)
            .await
            .map_err(|e| e.to_string())?;
    }
    println!(
        "data: {companies} companies, {people} people, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let address = serve(pool.clone()).await?;
    let (client, me) = sign_in(&address, &pool).await?;

    let mut results = Vec::new();
    for case in CASES {
        let (server_ms, bare_ms) = measure(&client, &address, &pool, me, case, repetitions).await?;
        results.push((case.label, server_ms, bare_ms));
    }
    for (label, server_ms, bare_ms) in &results {
        println!("RATIO {label} {:.2}", server_ms / bare_ms);
    }
    for (label, server_ms, bare_ms) in &results {
        println!("MEDIAN {label} server {server_ms:.2} ms, bare SQL {bare_ms:.2} ms");
    }

    // Export of every person: memory must stay flat while the rows stream out.
    for format in ["csv", "xlsx"] {
        reset_peak_memory();
        let before = peak_memory_mb();
        let started = Instant::now();
        let mut response = client
            .get(format!("{address}/export/contacts.{format}?p=people"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let mut bytes = 0usize;
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            bytes += chunk.len();
        }
        println!(
            "EXPORT people.{format}: {:.1} MB in {:.1} s, peak memory growth {:.1} MB (resident peak {:.1} MB)",
            bytes as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            peak_memory_mb() - before,
            peak_memory_mb()
        );
    }
    pool.close().await;
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Times the project page of a project with `big_project_tasks` tasks, and my tasks, each
/// against the same statements run straight on a connection (no HTTP, session or JSON).
async fn bench_projects(
    projects: usize,
    tasks: usize,
    big_project_tasks: usize,
    repetitions: usize,
) -> Result<(), String> {
    let (cluster, dir, pool) = bench_database().await?;
    let started = Instant::now();
    let big = {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        app::seed::generate::contacts::generate(&mut conn, 5_000, 5_000, 1)
            .await
            .map_err(|e| e.to_string())?;
        app::seed::generate::projects::generate(&mut conn, projects, tasks, big_project_tasks, 1)
            .await
            .map_err(|e| e.to_string())?
    };
    println!(
        "data: {projects} projects, {tasks} tasks plus one project of {big_project_tasks} tasks, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let address = serve(pool.clone()).await?;
    let (client, me) = sign_in(&address, &pool).await?;
    let user = app::auth::CurrentUser {
        id: me,
        email: app::seed::demo::DEMO_EMAIL.to_string(),
        display_name: String::new(),
        role: app::domain::Role::Admin,
        language: app::domain::Language::En,
        utc_offset: 0,
    };
    let today = app::state::today();

    let call = |endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = format!("{address}/api/{endpoint}");
        async move {
            let response = client
                .post(url)
                .header("Accept", "application/json")
                .form(&form)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(format!("{endpoint}: {}", response.status()));
            }
            response.bytes().await.map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        }
    };
    let project_page = || call("projects/get", vec![("id", big.to_string())]);
    let project_bare = || async {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        let (_, permission) =
            app::projects::db::require(&mut conn, &user, big, app::domain::ProjectOp::View)
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
    let mine = || call("tasks/mine", Vec::new());
    let mine_bare = || async {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        app::tasks::db::mine(&mut conn, me, today)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<(), String>(())
    };

    let mut results = Vec::new();
    for _ in 0..5 {
        project_page().await?;
        project_bare().await?;
    }
    let (mut server_times, mut bare_times) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        let started = Instant::now();
        project_page().await?;
        server_times.push(started.elapsed());
        let started = Instant::now();
        project_bare().await?;
        bare_times.push(started.elapsed());
    }
    results.push((
        "project_page_2000_tasks",
        median(server_times),
        median(bare_times),
    ));
    for _ in 0..5 {
        mine().await?;
        mine_bare().await?;
    }
    let (mut server_times, mut bare_times) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        let started = Instant::now();
        mine().await?;
        server_times.push(started.elapsed());
        let started = Instant::now();
        mine_bare().await?;
        bare_times.push(started.elapsed());
    }
    results.push(("my_tasks", median(server_times), median(bare_times)));
    for (label, server_ms, bare_ms) in &results {
        println!("RATIO {label} {:.2}", server_ms / bare_ms);
    }
    for (label, server_ms, bare_ms) in &results {
        println!("MEDIAN {label} server {server_ms:.2} ms, bare SQL {bare_ms:.2} ms");
    }
    pool.close().await;
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Medians of `server` and `bare`, measured alternately after a warm-up.
async fn alternate<S, SF, B, BF>(
    server: S,
    bare: B,
    repetitions: usize,
) -> Result<(f64, f64), String>
where
    S: Fn() -> SF,
    SF: std::future::Future<Output = Result<(), String>>,
    B: Fn() -> BF,
    BF: std::future::Future<Output = Result<(), String>>,
{
    for _ in 0..5 {
        server().await?;
        bare().await?;
    }
    let (mut server_times, mut bare_times) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        let started = Instant::now();
        server().await?;
        server_times.push(started.elapsed());
        let started = Instant::now();
        bare().await?;
        bare_times.push(started.elapsed());
    }
    Ok((median(server_times), median(bare_times)))
}

async fn bench_crm(opportunities: usize, repetitions: usize) -> Result<(), String> {
    let (cluster, dir, pool) = bench_database().await?;
    let started = Instant::now();
    {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        app::seed::generate::contacts::generate(&mut conn, 5_000, 5_000, 1)
            .await
            .map_err(|e| e.to_string())?;
        app::seed::generate::crm::generate(&mut conn, opportunities, 1)
            .await
            .map_err(|e| e.to_string())?;
    }
    println!(
        "data: {opportunities} open opportunities (and a tenth as many won and lost), generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let address = serve(pool.clone()).await?;
    let (client, me) = sign_in(&address, &pool).await?;
    let user = app::auth::CurrentUser {
        id: me,
        email: app::seed::demo::DEMO_EMAIL.to_string(),
        display_name: String::new(),
        role: app::domain::Role::Admin,
        language: app::domain::Language::En,
        utc_offset: 0,
    };
    let call = |endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = format!("{address}/api/{endpoint}");
        async move {
            let response = client
                .post(url)
                .header("Accept", "application/json")
                .form(&form)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(format!("{endpoint}: {}", response.status()));
            }
            response.bytes().await.map_err(|e| e.to_string())
        }
    };
    let bare_board = |query: &'static str| {
        let pool = pool.clone();
        let user = user.clone();
        async move {
            let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
            let view = ViewState::from_query(query);
            let board = app::crm::db::board(&mut conn, &user, None, &view)
                .await
                .map_err(|e| e.to_string())?;
            if board.columns.is_empty() {
                return Err("no columns".to_string());
            }
            Ok(board)
        }
    };
    // A column's second page starts after its fiftieth card.
    let board = bare_board("").await?;
    let column = board
        .columns
        .iter()
        .find(|c| c.next.is_some())
        .ok_or("no column with a second page")?;
    let (stage, cursor) = (column.stage.id, column.next.clone().ok_or("no cursor")?);

    let mut results = Vec::new();
    for (label, query) in [("crm_board", ""), ("crm_board_my_pipeline", "p=mine")] {
        let (server_ms, bare_ms) = alternate(
            || async {
                call("crm/board", vec![("query", query.to_string())])
                    .await
                    .map(|_| ())
            },
            || async { bare_board(query).await.map(|_| ()) },
            repetitions,
        )
        .await?;
        results.push((label, server_ms, bare_ms));
    }
    let (server_ms, bare_ms) = alternate(
        || {
            let response = call(
                "crm/column",
                vec![
                    ("stage", stage.to_string()),
                    ("after[position]", cursor.position.to_string()),
                    ("after[id]", cursor.id.to_string()),
                ],
            );
            async move { response.await.map(|_| ()) }
        },
        || {
            let pool = pool.clone();
            let user = user.clone();
            let cursor = cursor.clone();
            async move {
                let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
                app::crm::db::column(&mut conn, &user, stage, &ViewState::default(), cursor)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        },
        repetitions,
    )
    .await?;
    results.push(("crm_column_more", server_ms, bare_ms));
    for (label, server_ms, bare_ms) in &results {
        println!("RATIO {label} {:.2}", server_ms / bare_ms);
    }
    for (label, server_ms, bare_ms) in &results {
        println!("MEDIAN {label} server {server_ms:.2} ms, bare SQL {bare_ms:.2} ms");
    }
    pool.close().await;
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The real router on 127.0.0.1:0 over `pool`; returns its address.
async fn serve(pool: PgPool) -> Result<String, String> {
    std::env::set_var("LEPTOS_HASH_FILES", "false");
    std::env::set_var("LEPTOS_OUTPUT_NAME", "atrium");
    std::env::set_var("LEPTOS_SITE_ROOT", "target/site");
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| e.to_string())?
        .leptos_options;
    let state = app::state::AppState {
        pool,
        leptos_options,
        secure_cookies: false,
        trust_forwarded_for: false,
        files: std::sync::Arc::new(object_store::memory::InMemory::new()),
        mail_delivery: false,
        exports: app::state::export_limits::ExportLimits::for_pool(20),
        pace: app::auth::pace::RequestPace::off(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let service =
        server::http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
    Ok(address)
}

/// Medians of the server call and of its statements run alone, measured alternately.
async fn measure(
    client: &reqwest::Client,
    address: &str,
    pool: &PgPool,
    me: uuid::Uuid,
    case: &Case,
    repetitions: usize,
) -> Result<(f64, f64), String> {
    let schema = list_schema("contacts").ok_or("no contacts list")?;
    let state = ViewState::from_query(case.query);
    let context = Context {
        me,
        today: app::state::today(),
        sees_all: true,
    };
    let call = |after: Value| {
        let body = json!({ "list": "contacts", "query": case.query, "path": [], "after": after });
        async move {
            let response = client
                .post(format!("{address}/api/views/page"))
                .header("Accept", "application/json")
                .json(&body)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(format!("{}: {}", case.label, response.status()));
            }
            response.json::<Value>().await.map_err(|e| e.to_string())
        }
    };
    // The cursor of the second page, when the case resumes there.
    let after = if case.second_page {
        call(Value::Null).await?["next"].clone()
    } else {
        Value::Null
    };
    let cursor: Option<app::views::Cursor> =
        serde_json::from_value(after.clone()).map_err(|e| e.to_string())?;
    let columns = query::visible_columns(schema, &state, None).map_err(|e| e.to_string())?;
    let statements = if state.group_by.is_empty() {
        let mut statements = vec![query::page(
            schema,
            &state,
            context,
            &columns,
            &[],
            cursor.as_ref(),
            app::views::PAGE_SIZE,
        )
        .map_err(|e| e.to_string())?];
        if cursor.is_none() {
            statements.push(
                query::count(schema, &state, context, &[], false).map_err(|e| e.to_string())?,
            );
        }
        statements
    } else {
        vec![
            query::groups(schema, &state, context, &[], app::views::GROUP_LIMIT)
                .map_err(|e| e.to_string())?,
        ]
    };
    let bare = || async {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        for sql in &statements {
            let args = app::views::db::arguments(&sql.binds).map_err(|e| e.to_string())?;
            sqlx::query_with(&sql.text, args)
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    };
    for _ in 0..5 {
        call(after.clone()).await?;
        bare().await?;
    }
    let (mut server_times, mut bare_times) = (Vec::new(), Vec::new());
    for _ in 0..repetitions {
        let started = Instant::now();
        call(after.clone()).await?;
        server_times.push(started.elapsed());
        let started = Instant::now();
        bare().await?;
        bare_times.push(started.elapsed());
    }
    Ok((median(server_times), median(bare_times)))
}

/// Quotes of `lines` lines each, ready to confirm: catalogue services (with their task
/// templates), configured bathrooms, goods and free lines in a fixed rotation.
async fn quotes_to_confirm(
    pool: &PgPool,
    user: &app::auth::CurrentUser,
    count: usize,
    lines: usize,
) -> Result<Vec<uuid::Uuid>, String> {
    use app::domain::quote::{LineInput, LineKind};
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    let catalogue = app::products::db::catalogue(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let customer: uuid::Uuid = sqlx::query_scalar("SELECT id FROM contacts ORDER BY name LIMIT 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| e.to_string())?;
    let line = |n: usize| -> LineInput {
        let product = &catalogue[n % catalogue.len()];
        let options: Vec<uuid::Uuid> = product
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
async fn bare_confirm(pool: &PgPool, quote: uuid::Uuid, me: uuid::Uuid) -> Result<(), String> {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    let (title, customer, untaxed): (String, Option<uuid::Uuid>, sqlx::types::Decimal) =
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
    let project = uuid::Uuid::now_v7();
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

async fn bench_quotes(lines: usize, repetitions: usize) -> Result<(), String> {
    let (cluster, dir, pool) = bench_database().await?;
    let address = serve(pool.clone()).await?;
    let (client, me) = sign_in(&address, &pool).await?;
    let user = app::auth::CurrentUser {
        id: me,
        email: app::seed::demo::DEMO_EMAIL.to_string(),
        display_name: String::new(),
        role: app::domain::Role::Admin,
        language: app::domain::Language::En,
        utc_offset: 0,
    };
    let started = Instant::now();
    // Warm-up and timed rounds each confirm a fresh quote, on both sides.
    let rounds = repetitions + 5;
    let server_quotes = quotes_to_confirm(&pool, &user, rounds, lines).await?;
    let bare_quotes = quotes_to_confirm(&pool, &user, rounds, lines).await?;
    let tasks_per_quote: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM quote_lines l
         JOIN task_templates t ON t.product_id = l.product_id
            OR t.option_id = ANY(l.options)
         WHERE l.quote_id = $1",
    )
    .bind(server_quotes[0])
    .fetch_one(&pool)
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "data: {} quotes of {lines} lines ({tasks_per_quote} tasks each), generated in {:.1} s",
        rounds * 2,
        started.elapsed().as_secs_f64()
    );
    let server_queue = std::sync::Mutex::new(server_quotes);
    let bare_queue = std::sync::Mutex::new(bare_quotes);
    let (server_ms, bare_ms) = alternate(
        || {
            let next = server_queue.lock().unwrap().pop();
            let client = client.clone();
            let url = format!("{address}/api/quotes/confirm");
            async move {
                let id = next.ok_or("out of quotes")?;
                let response = client
                    .post(url)
                    .header("Accept", "application/json")
                    .form(&[("id", id.to_string())])
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("quotes/confirm: {}", response.status()));
                }
                Ok(())
            }
        },
        || {
            let next = bare_queue.lock().unwrap().pop();
            let pool = pool.clone();
            async move { bare_confirm(&pool, next.ok_or("out of quotes")?, me).await }
        },
        repetitions,
    )
    .await?;
    let label = format!("quote_confirm_{lines}_lines");
    println!("RATIO {label} {:.2}", server_ms / bare_ms);
    println!("MEDIAN {label} server {server_ms:.2} ms, bare SQL {bare_ms:.2} ms");
    pool.close().await;
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
