//! The database: the embedded cluster or the configured server, migrated at start.

use crate::config::Config;
use embedded_pg::{Cluster, Options};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};
use std::str::FromStr;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

const DATABASE: &str = "atrium";

/// A connection idle for longer is checked before it is handed out again.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// The pool's settings, the same for the server and its benchmarks. A connection in use is
/// handed on without a round trip to check it; one that sat idle (where a restarted
/// database or a dropped network shows) is pinged first, and replaced when it fails.
pub fn pool_options(connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > IDLE_CHECK {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("embedded PostgreSQL: {0}")]
    Embedded(#[from] embedded_pg::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(sqlx::Error),
    #[error("a database migration failed, nothing was started: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Other(String),
}

/// A connected, migrated database; owns the embedded cluster if there is one.
pub struct Database {
    pub pool: PgPool,
    cluster: Option<Cluster>,
}

impl Database {
    pub async fn open(config: &Config) -> Result<Database, StartError> {
        let (options, cluster) = match &config.database_url {
            Some(url) => (
                PgConnectOptions::from_str(url).map_err(StartError::Connect)?,
                None,
            ),
            None => {
                let data_dir = config.data_dir.clone();
                let cluster = tokio::task::spawn_blocking(move || {
                    Cluster::start(&Options {
                        data_dir,
                        ephemeral: false,
                    })
                })
                .await
                .map_err(|e| StartError::Other(e.to_string()))??;
                let options = PgConnectOptions::from_str(&cluster.url(DATABASE))
                    .map_err(StartError::Connect)?;
                create_database_if_missing(&cluster).await?;
                (options, Some(cluster))
            }
        };
        // No statement of a request runs away: a client that leaves does not leave a
        // backend busy behind it.
        let options = options.options([(
            "statement_timeout",
            format!("{}s", config.statement_timeout),
        )]);
        let pool = pool_options(config.db_connections)
            .connect_with(options)
            .await
            .map_err(StartError::Connect)?;
        MIGRATOR.run(&pool).await?;
        Ok(Database { pool, cluster })
    }

    /// Closes the pool, then stops the embedded cluster (fast shutdown).
    pub async fn close(mut self) {
        self.pool.close().await;
        if let Some(mut cluster) = self.cluster.take() {
            let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
        }
    }
}

async fn create_database_if_missing(cluster: &Cluster) -> Result<(), StartError> {
    let mut conn = PgConnectOptions::from_str(&cluster.url("postgres"))
        .map_err(StartError::Connect)?
        .connect()
        .await
        .map_err(StartError::Connect)?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(DATABASE)
        .fetch_optional(&mut conn)
        .await
        .map_err(StartError::Connect)?;
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE {DATABASE}"))
            .execute(&mut conn)
            .await
            .map_err(StartError::Connect)?;
    }
    Ok(())
}

/// True when the database answers and every known migration is applied.
pub async fn is_ready(pool: &PgPool) -> bool {
    let applied: Result<i64, _> =
        sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await;
    matches!(applied, Ok(n) if n as usize >= MIGRATOR.iter().count())
}
