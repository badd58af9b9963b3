//! What every bench stands on: a throw-away PostgreSQL cluster with a migrated database, the
//! real router served over it with the demo admin signed in, the alternating timing of a
//! request against its bare SQL, the `RATIO` lines, and a process's memory from `/proc`.

use app::auth::CurrentUser;
use app::domain::{Language, Role};
use app::seed::demo::{DEMO_EMAIL, DEMO_PASSWORD};
use embedded_pg::{Cluster, Options};
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where a served router finds the built site: `target/site` under the working directory (the
/// workspace root when run through xtask).
pub const LEPTOS_ENV: [(&str, &str); 3] = [
    ("LEPTOS_HASH_FILES", "false"),
    ("LEPTOS_OUTPUT_NAME", "atrium"),
    ("LEPTOS_SITE_ROOT", "target/site"),
];

/// Warm-up rounds before the timed repetitions of a measurement.
const WARM_UP: usize = 5;

/// A throw-away cluster with a migrated `bench` database holding the demo company; `remove`
/// stops it and deletes its directory.
pub struct BenchDatabase {
    cluster: Cluster,
    dir: PathBuf,
    pub pool: PgPool,
}

impl BenchDatabase {
    pub async fn create() -> Result<BenchDatabase, String> {
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
        let pool = server::database::pool_options(10)
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
        Ok(BenchDatabase { cluster, dir, pool })
    }

    /// The connection URL of the `bench` database.
    pub fn url(&self) -> String {
        self.cluster.url("bench")
    }

    /// The directory the cluster lives in, removed with it.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Adds generated companies and people (always from seed 1, so every run sees the same).
    pub async fn generate_contacts(&self, companies: usize, people: usize) -> Result<(), String> {
        let mut conn = self.pool.acquire().await.map_err(|e| e.to_string())?;
        app::seed::generate::contacts::generate(&mut conn, companies, people, 1)
            .await
            .map_err(|e| e.to_string())
    }

    /// Serves the real router over this database and signs the demo admin in on it.
    pub async fn serve_signed_in(&self) -> Result<Session, String> {
        let address = serve(self.pool.clone()).await?;
        let client = signed_in_client(&address, DEMO_EMAIL).await?;
        let id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(DEMO_EMAIL)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        let user = CurrentUser {
            id,
            email: DEMO_EMAIL.to_string(),
            display_name: String::new(),
            role: Role::Admin,
            language: Language::En,
            utc_offset: 0,
        };
        Ok(Session {
            client,
            address,
            user,
        })
    }

    pub async fn remove(self) {
        self.pool.close().await;
        drop(self.cluster);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The real router on 127.0.0.1:0 over `pool`; returns its address.
async fn serve(pool: PgPool) -> Result<String, String> {
    for (name, value) in LEPTOS_ENV {
        std::env::set_var(name, value);
    }
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
        sessions: app::auth::session_cache::SessionCache::default(),
    };
    // As in production: sessions are answered from memory once the cache hears Postgres.
    state.sessions.spawn_listener(state.pool.clone());
    for _ in 0..100 {
        if state.sessions.is_listening() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let service =
        server::http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(server::http::without_delay(listener), service).await });
    Ok(address)
}

/// A client signed in as `email` (with the demo password) on the server at `address`. It
/// keeps its session cookie and does not follow redirects.
pub async fn signed_in_client(address: &str, email: &str) -> Result<reqwest::Client, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .post(format!("{address}/api/auth/sign_in"))
        .header("Accept", "application/json")
        .form(&[("email", email), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("sign-in of {email} failed: {}", response.status()));
    }
    Ok(client)
}

/// The demo admin's session on the served router.
pub struct Session {
    client: reqwest::Client,
    address: String,
    /// The demo admin as server functions see them, for calling `db` functions directly.
    pub user: CurrentUser,
}

impl Session {
    /// A call of the server function at `/api/{endpoint}`, asking for a JSON answer.
    pub fn api(&self, endpoint: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}/api/{endpoint}", self.address))
            .header("Accept", "application/json")
    }

    /// A plain GET of `path` (which starts with `/`).
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(format!("{}{path}", self.address))
    }

    /// Calls the server function at `/api/{endpoint}` with `form` and reads its whole answer.
    pub async fn call(&self, endpoint: &str, form: Vec<(&str, String)>) -> Result<(), String> {
        let response = successful(self.api(endpoint).form(&form), endpoint).await?;
        response.bytes().await.map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Sends `request`; an answer whose status is not a success is an error naming `what`.
pub async fn successful(
    request: reqwest::RequestBuilder,
    what: &str,
) -> Result<reqwest::Response, String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("{what}: {}", response.status()));
    }
    Ok(response)
}

/// One measurement: the median of the request through the server and of its SQL run alone,
/// in milliseconds.
pub struct Comparison {
    pub label: String,
    pub server_ms: f64,
    pub bare_ms: f64,
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

/// Medians of `server` and `bare`, measured alternately after a warm-up.
pub async fn alternate<S, SF, B, BF>(
    label: &str,
    server: S,
    bare: B,
    repetitions: usize,
) -> Result<Comparison, String>
where
    S: Fn() -> SF,
    SF: Future<Output = Result<(), String>>,
    B: Fn() -> BF,
    BF: Future<Output = Result<(), String>>,
{
    for _ in 0..WARM_UP {
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
    Ok(Comparison {
        label: label.to_string(),
        server_ms: median(server_times),
        bare_ms: median(bare_times),
    })
}

/// A `RATIO <label> <value>` line, the form xtask and the README read.
/// Runs statements of the list engine on one connection, as a request would, reading every
/// row: the bare side of a comparison.
pub async fn run_statements(
    pool: &PgPool,
    statements: &[app::views::filter::Sql],
) -> Result<(), String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    for sql in statements {
        let args = app::views::db::arguments(&sql.binds).map_err(|e| e.to_string())?;
        sqlx::query_with(&sql.text, args)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

pub fn print_ratio(label: &str, value: f64, decimals: usize) {
    println!("RATIO {label} {value:.decimals$}");
}

/// The ratio of each comparison (server over bare SQL), then their medians.
pub fn print_comparisons(results: &[Comparison]) {
    for result in results {
        print_ratio(&result.label, result.server_ms / result.bare_ms, 2);
    }
    for result in results {
        println!(
            "MEDIAN {} server {:.2} ms, bare SQL {:.2} ms",
            result.label, result.server_ms, result.bare_ms
        );
    }
}

/// A process's memory as Linux reports it in `/proc/<pid>/status` (0 where it cannot be read).
pub struct ProcessMemory {
    proc_dir: String,
}

impl ProcessMemory {
    /// This process.
    pub fn this() -> ProcessMemory {
        ProcessMemory {
            proc_dir: "/proc/self".to_string(),
        }
    }

    /// The process `pid` (a child of this one).
    pub fn of(pid: u32) -> ProcessMemory {
        ProcessMemory {
            proc_dir: format!("/proc/{pid}"),
        }
    }

    fn status_kb(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("{}/status", self.proc_dir))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
            .unwrap_or(0.0)
    }

    /// Resident memory now, in MB.
    pub fn resident_mb(&self) -> f64 {
        self.status_kb("VmRSS:") / 1024.0
    }

    /// Peak resident memory since the last reset, in MB.
    pub fn peak_mb(&self) -> f64 {
        self.status_kb("VmHWM:") / 1024.0
    }

    pub fn reset_peak(&self) {
        // Writing 5 resets the peak (VmHWM) to the current resident size.
        let _ = std::fs::write(format!("{}/clear_refs", self.proc_dir), "5");
    }
}
