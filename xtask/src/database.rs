//! A throw-away migrated database for `sqlx prepare`, which needs a live schema to describe
//! the queries against.

use crate::shell;
use embedded_pg::{Cluster, Options};

/// Refreshes `.sqlx/`, or with `check` fails when it is out of date.
pub fn prepare(check: bool) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("atrium-xtask-pg-{}", std::process::id()));
    let cluster = Cluster::start(&Options {
        data_dir: dir.clone(),
        ephemeral: true,
    })
    .map_err(|e| e.to_string())?;
    let url = cluster.url("postgres");
    let result = shell::run(
        shell::command("sqlx")
            .args(["migrate", "run", "--source", "migrations", "--database-url"])
            .arg(&url),
    )
    .and_then(|()| {
        let mut command = shell::cargo();
        command.args(["sqlx", "prepare", "--workspace"]);
        if check {
            command.arg("--check");
        }
        command
            .env("DATABASE_URL", &url)
            .env("SQLX_OFFLINE", "false");
        shell::run(&mut command).map_err(|e| {
            if check {
                format!("{e}\n.sqlx/ is out of date: run `cargo xtask sqlx-prepare` and commit it")
            } else {
                e
            }
        })
    });
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    result
}
