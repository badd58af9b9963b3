//! Developer tools on a real database (built with `--features tools`, run through xtask):
//!
//! - `seed`: fill a database with generated companies and people (deterministic; `seed.rs`);
//! - `bench-lists`, `bench-projects`, `bench-crm`, `bench-quotes`, `bench-invoices`,
//!   `bench-pivot`: each on its own throw-away database, time requests through the real
//!   router against the same SQL run alone, and print the ratios (one module each, on the
//!   setup in `setup.rs`);
//! - `bench-abuse`: the release server binary under bounded abuse (see `abuse.rs`).

mod abuse;
mod crm;
mod invoices;
mod lists;
mod pivot;
mod projects;
mod quotes;
mod seed;
mod setup;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Time a partial invoice and a project's invoicing against their SQL and print `RATIO`
    /// lines.
    BenchInvoices {
        /// Tasks ticked for each partial invoice.
        #[arg(long, default_value_t = 200)]
        tasks: usize,
        /// Invoices of the project whose invoicing is read.
        #[arg(long, default_value_t = 50)]
        invoices: usize,
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
    /// Time a pivot of generated tasks against its one statement and print a `RATIO` line.
    BenchPivot {
        #[arg(long, default_value_t = 1_000_000)]
        tasks: usize,
        #[arg(long, default_value_t = 11)]
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
                let sizes = seed::Sizes {
                    companies,
                    people,
                    projects,
                    tasks,
                };
                seed::fill(sizes, seed, database_url, data_dir).await
            }
            Task::BenchLists {
                companies,
                people,
                repetitions,
            } => lists::bench(companies, people, repetitions.max(30)).await,
            Task::BenchProjects {
                projects,
                tasks,
                big_project_tasks,
                repetitions,
            } => projects::bench(projects, tasks, big_project_tasks, repetitions.max(30)).await,
            Task::BenchPivot { tasks, repetitions } => {
                pivot::bench(tasks, repetitions.max(5)).await
            }
            Task::BenchCrm {
                opportunities,
                repetitions,
            } => crm::bench(opportunities, repetitions.max(30)).await,
            Task::BenchQuotes { lines, repetitions } => {
                quotes::bench(lines, repetitions.max(30)).await
            }
            Task::BenchInvoices {
                tasks,
                invoices,
                repetitions,
            } => invoices::bench(tasks, invoices, repetitions.max(30)).await,
            Task::BenchAbuse { server } => abuse::bench(server).await,
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
