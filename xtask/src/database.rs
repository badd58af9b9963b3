//! A throw-away migrated database that query macros are checked against: `sqlx prepare`
//! describes the queries with it, and the test build compiles against it so that `.sqlx/` is
//! checked by the very compilation the tests need, not by a second one.

use crate::shell;
use embedded_pg::{Cluster, Options};
use std::path::{Path, PathBuf};

/// A migrated PostgreSQL that lives as long as this value.
pub struct SchemaDatabase {
    cluster: Option<Cluster>,
    dir: PathBuf,
    pub url: String,
}

impl SchemaDatabase {
    pub fn start() -> Result<SchemaDatabase, String> {
        let dir = std::env::temp_dir().join(format!("atrium-xtask-pg-{}", std::process::id()));
        let cluster = Cluster::start(&Options {
            data_dir: dir.clone(),
            ephemeral: true,
        })
        .map_err(|e| e.to_string())?;
        let url = cluster.url("postgres");
        let database = SchemaDatabase {
            cluster: Some(cluster),
            dir,
            url,
        };
        database.migrate()?;
        Ok(database)
    }
}

impl SchemaDatabase {
    /// Applies every migration in name order with PostgreSQL's own `psql`, each in one
    /// transaction, stopping at the first error: what the server's migrator does at start,
    /// without its bookkeeping table, which no query reads.
    fn migrate(&self) -> Result<(), String> {
        let psql = embedded_pg::find_bin_dir()
            .map_err(|e| e.to_string())?
            .join("psql");
        let dir = crate::root().join("migrations");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
            .collect();
        files.sort();
        for file in files {
            shell::run(
                shell::command(&psql.to_string_lossy())
                    .args(["--quiet", "--no-psqlrc", "--single-transaction"])
                    .args(["--set", "ON_ERROR_STOP=1", "--dbname"])
                    .arg(&self.url)
                    .arg("--file")
                    .arg(&file)
                    .stdout(std::process::Stdio::null()),
            )?;
        }
        Ok(())
    }
}

impl Drop for SchemaDatabase {
    fn drop(&mut self) {
        drop(self.cluster.take());
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Refreshes `.sqlx/` from the migrations and the queries.
pub fn prepare() -> Result<(), String> {
    crate::setup::sqlx_cli()?;
    let database = SchemaDatabase::start()?;
    shell::run(
        shell::cargo()
            .args(["sqlx", "prepare", "--workspace"])
            .env("DATABASE_URL", &database.url)
            .env("SQLX_OFFLINE", "false"),
    )
}

/// Query descriptions that a build wrote into `written` and `.sqlx/` lacks or holds
/// otherwise: a query changed, or a migration changed what a query returns.
pub fn stale_queries(written: &Path, committed: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(written)
        .map_err(|e| format!("cannot read {}: {e}", written.display()))?;
    let mut stale = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let fresh = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
        if std::fs::read(committed.join(&name)).ok().as_deref() != Some(fresh.as_slice()) {
            stale.push(name);
        }
    }
    stale.sort();
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::stale_queries;

    #[test]
    fn names_new_and_changed_descriptions_only() {
        let root = std::env::temp_dir().join(format!("atrium-xtask-stale-{}", std::process::id()));
        let (written, committed) = (root.join("written"), root.join("committed"));
        std::fs::create_dir_all(&written).unwrap();
        std::fs::create_dir_all(&committed).unwrap();
        for (dir, name, text) in [
            (&written, "query-same.json", "{}"),
            (&committed, "query-same.json", "{}"),
            (&written, "query-changed.json", "{\"nullable\":[true]}"),
            (&committed, "query-changed.json", "{\"nullable\":[false]}"),
            (&written, "query-new.json", "{}"),
            (&committed, "query-old.json", "{}"),
        ] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let stale = stale_queries(&written, &committed).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(stale, ["query-changed.json", "query-new.json"]);
    }
}
