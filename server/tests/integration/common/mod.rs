//! Test harness: one throw-away PostgreSQL cluster per test binary, one fresh database per
//! test (copied from a migrated template), and the real router on 127.0.0.1:0. People use it
//! through a `Session` each, which calls server functions with the app's own request types.

pub mod session;
mod story;

pub use session::{Reply, Session};

use app::state::AppState;
use app::users::account::api::{SignIn, SignedInUser};
use embedded_pg::{Cluster, Options};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};
use std::str::FromStr;
use std::sync::OnceLock;

pub const PASSWORD: &str = "atrium-demo";

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        remove_clusters_of_ended_runs();
        let dir = std::env::temp_dir().join(format!("atrium-test-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Cluster::start(&Options {
            data_dir: dir,
            ephemeral: true,
        })
        .expect("a PostgreSQL cluster for the tests")
    })
}

/// A test cluster dies with its process but its directory stays; earlier runs' directories
/// (their process gone) are removed so that test runs do not fill the disk.
fn remove_clusters_of_ended_runs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name.strip_prefix("atrium-test-pg-") else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

static TEMPLATE_READY: tokio::sync::Mutex<bool> = tokio::sync::Mutex::const_new(false);

/// A new database with every migration applied, for one test.
pub async fn fresh_database() -> PgPool {
    let cluster = cluster();
    let mut admin = PgConnectOptions::from_str(&cluster.url("postgres"))
        .unwrap()
        .connect()
        .await
        .expect("connect to the test cluster");
    {
        let mut ready = TEMPLATE_READY.lock().await;
        if !*ready {
            sqlx::query("DROP DATABASE IF EXISTS atrium_template")
                .execute(&mut admin)
                .await
                .unwrap();
            sqlx::query("CREATE DATABASE atrium_template")
                .execute(&mut admin)
                .await
                .unwrap();
            let mut template = PgConnectOptions::from_str(&cluster.url("atrium_template"))
                .unwrap()
                .connect()
                .await
                .unwrap();
            server::database::MIGRATOR
                .run(&mut template)
                .await
                .expect("migrations apply to an empty database");
            template.close().await.unwrap();
            *ready = true;
        }
        let name = format!("test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE atrium_template"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        PgPoolOptions::new()
            .max_connections(5)
            .connect(&cluster.url(&name))
            .await
            .unwrap()
    }
}

fn leptos_options() -> leptos::config::LeptosOptions {
    static OPTIONS: OnceLock<leptos::config::LeptosOptions> = OnceLock::new();
    OPTIONS
        .get_or_init(|| {
            // Pages render without the browser bundle here; hashed names need its hash file.
            std::env::set_var("LEPTOS_HASH_FILES", "false");
            std::env::set_var("LEPTOS_OUTPUT_NAME", "atrium");
            std::env::set_var("LEPTOS_SITE_ROOT", "target/site");
            leptos::config::get_configuration(None)
                .expect("leptos options")
                .leptos_options
        })
        .clone()
}

pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    pub client: reqwest::Client,
    /// The app's file store (in memory).
    pub files: std::sync::Arc<dyn object_store::ObjectStore>,
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    /// The real router over a fresh database holding the demo company.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// The same, with the shared state adjusted first (tighter limits, say).
    pub async fn spawn_with(configure: impl FnOnce(&mut AppState)) -> TestApp {
        let pool = fresh_database().await;
        app::seed::demo::load_if_empty(&pool)
            .await
            .expect("demo data");
        let files: std::sync::Arc<dyn object_store::ObjectStore> =
            std::sync::Arc::new(object_store::memory::InMemory::new());
        let mut state = AppState {
            pool: pool.clone(),
            leptos_options: leptos_options(),
            secure_cookies: false,
            trust_forwarded_for: false,
            files: files.clone(),
            mail_delivery: false,
            exports: app::state::export_limits::ExportLimits::for_pool(5),
            // Tests walk endpoints faster than any person; pacing has a test of its own.
            pace: app::auth::pace::RequestPace::off(),
            // Off (every request asks the database) unless a test starts its listener.
            sessions: app::auth::session_cache::SessionCache::default(),
        };
        configure(&mut state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let service = server::http::router(state)
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await });
        TestApp {
            address,
            pool,
            client: new_client(),
            files,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A new browser, not signed in.
    pub fn visitor(&self) -> Session {
        Session::new(&self.address, new_client())
    }

    /// A new browser signed in as `email` (a demo user: they share one password).
    pub async fn sign_in(&self, email: &str) -> Session {
        let session = self.visitor();
        let response = self.sign_in_as(&session, email).await;
        assert!(response.status().is_success(), "sign in as {email}");
        session
    }

    /// Signs `client` in as `email`, and the answer as it came (its cookie, its status).
    pub async fn sign_in_as(&self, client: &reqwest::Client, email: &str) -> reqwest::Response {
        let sign_in = SignIn {
            email: email.to_string(),
            password: PASSWORD.to_string(),
            next: None,
        };
        Session::new(&self.address, client.clone())
            .call_raw(sign_in)
            .await
    }

    /// Uploads a CSV file for a contact import, as the import page does.
    pub async fn upload_import(
        &self,
        client: &reqwest::Client,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("contacts.csv")
            .mime_str("text/csv")
            .unwrap();
        client
            .post(self.url("/api/contacts/import/upload"))
            .header("Accept", "application/json")
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    pub async fn user_id(&self, email: &str) -> uuid::Uuid {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn contact_id(&self, name: &str) -> uuid::Uuid {
        sqlx::query_scalar("SELECT id FROM contacts WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }

    pub async fn current_email(&self, client: &reqwest::Client) -> Option<String> {
        let reply = Session::new(&self.address, client.clone())
            .call(SignedInUser {})
            .await;
        reply
            .body
            .get("email")
            .and_then(|e| e.as_str())
            .map(str::to_string)
    }

    /// Starts counting statements (`statements`), with the pg_stat_statements extension.
    pub async fn track_statements(&self) {
        sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .execute(&self.pool)
            .await
            .unwrap();
    }

    /// Statements the database ran so far (all connections of this test's database), with
    /// the pg_stat_statements extension created.
    pub async fn statements(&self) -> i64 {
        sqlx::query_scalar(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_one(&self.pool)
        .await
        .unwrap()
    }
}
