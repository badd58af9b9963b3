//! The Atrium server: configuration, database start-up, HTTP, background housekeeping.
//! `main.rs` only parses the configuration and calls [`run`].

#![recursion_limit = "512"]

pub mod config;
pub mod database;
pub mod http;
pub mod mail;
mod pages;
pub mod pwa;

use anyhow::Context;
use app::state::AppState;
use config::Config;
use database::Database;
use leptos::config::LeptosOptions;
use std::time::Duration;

/// The Leptos settings cargo-leptos passes in the environment, with the defaults of this
/// workspace when the binary runs on its own.
pub fn leptos_options(config: &Config) -> anyhow::Result<LeptosOptions> {
    let defaults = [
        ("LEPTOS_OUTPUT_NAME", "atrium"),
        ("LEPTOS_SITE_ROOT", "target/site"),
        ("LEPTOS_SITE_PKG_DIR", "pkg"),
        ("LEPTOS_HASH_FILES", "true"),
    ];
    for (name, value) in defaults {
        if std::env::var_os(name).is_none() {
            // Set before any other thread reads the environment (see main).
            std::env::set_var(name, value);
        }
    }
    let mut options = leptos::config::get_configuration(None)
        .context("invalid LEPTOS_* settings")?
        .leptos_options;
    options.site_addr = config.bind;
    Ok(options)
}

/// Starts everything and serves until Ctrl-C or SIGTERM; then stops in order: HTTP, the
/// database pool, the embedded PostgreSQL.
pub async fn run(config: Config, leptos_options: LeptosOptions) -> anyhow::Result<()> {
    let database = Database::open(&config).await?;
    if config.demo_data {
        let loaded = app::seed::demo::load_if_empty(&database.pool)
            .await
            .context("loading the demo data failed")?;
        if loaded {
            tracing::info!("demo data loaded");
        }
    }
    let state = AppState {
        pool: database.pool.clone(),
        leptos_options,
        secure_cookies: config.secure_cookies(),
        trust_forwarded_for: config.trust_proxy,
        files: files(&config)?,
        mail_delivery: config.smtp_url.is_some(),
        exports: config.export_limits(),
        pace: app::auth::pace::RequestPace::new(config.request_rate),
        sessions: app::auth::session_cache::SessionCache::default(),
    };
    state.sessions.spawn_listener(state.pool.clone());
    spawn_housekeeping(state.pool.clone());
    spawn_reminders(state.pool.clone());
    if let Some(url) = &config.smtp_url {
        let mailer = mail::SmtpMailer::new(url, &config.smtp_from)?;
        spawn_outbox(state.pool.clone(), state.files.clone(), mailer);
    }
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    println!("Atrium is running at {}", config.public_url());
    if config.demo_data {
        println!(
            "Demo sign-in: {} / {}",
            app::seed::demo::DEMO_EMAIL,
            app::seed::demo::DEMO_PASSWORD
        );
    }
    let service = http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(http::without_delay(listener), service)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    database.close().await;
    tracing::info!("stopped");
    served.context("serving HTTP failed")
}

/// The object store for uploaded files: a directory (created if missing).
fn files(config: &Config) -> anyhow::Result<std::sync::Arc<dyn object_store::ObjectStore>> {
    let directory = config
        .files_dir
        .clone()
        .unwrap_or_else(|| config.data_dir.join("files"));
    std::fs::create_dir_all(&directory)
        .with_context(|| format!("cannot create {}", directory.display()))?;
    let store = object_store::local::LocalFileSystem::new_with_prefix(&directory)
        .with_context(|| format!("cannot use {} for files", directory.display()))?;
    Ok(std::sync::Arc::new(store))
}

/// Sends due document reminders every minute. Safe with several server processes: each
/// reminder is claimed with `FOR UPDATE SKIP LOCKED` and sent once.
fn spawn_reminders(pool: sqlx::PgPool) {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let today = chrono::Utc::now().date_naive();
            if let Err(error) = app::projects::documents::send_due_reminders(&pool, today).await {
                tracing::warn!(%error, "document reminders failed");
            }
        }
    });
}

/// Delivers the e-mail outbox every few seconds. Several server processes may run it: each
/// message is claimed with `FOR UPDATE SKIP LOCKED`.
fn spawn_outbox(
    pool: sqlx::PgPool,
    files: std::sync::Arc<dyn object_store::ObjectStore>,
    mailer: mail::SmtpMailer,
) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            match app::outbox::db::deliver_due(&pool, files.as_ref(), &mailer, 20).await {
                Ok(delivery) if delivery.sent + delivery.retrying + delivery.failed > 0 => {
                    tracing::info!(?delivery, "outbox delivered");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "outbox delivery failed"),
            }
        }
    });
}

fn spawn_housekeeping(pool: sqlx::PgPool) {
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Ok(mut conn) = pool.acquire().await {
                if let Err(error) = app::auth::db::purge_expired(&mut conn).await {
                    tracing::warn!(%error, "housekeeping failed");
                }
            }
        }
    });
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
