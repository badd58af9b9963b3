//! Configuration from command-line flags and environment variables (`--help` lists them).

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Parser)]
#[command(
    name = "atrium",
    version,
    about = "Atrium: CRM and project management server"
)]
pub struct Config {
    /// PostgreSQL to use. Without it Atrium runs its own cluster in the data directory.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Where the embedded PostgreSQL cluster and other local data live.
    #[arg(long, env = "ATRIUM_DATA_DIR", default_value = "./.data")]
    pub data_dir: PathBuf,

    /// Where uploaded files are kept. Defaults to `<data dir>/files`.
    #[arg(long, env = "ATRIUM_FILES_DIR")]
    pub files_dir: Option<PathBuf>,

    /// Address and port to listen on.
    #[arg(long, env = "ATRIUM_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// The URL people use to reach Atrium (for links in e-mails, and https cookies).
    /// Defaults to http://<bind>.
    #[arg(long, env = "ATRIUM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Log filter, e.g. `info` or `server=debug,sqlx=warn`.
    #[arg(long, env = "ATRIUM_LOG", default_value = "info,sqlx=warn")]
    pub log: String,

    /// Log as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "ATRIUM_LOG_JSON", default_value_t = false)]
    pub log_json: bool,

    /// Take client addresses from X-Forwarded-For; only behind a proxy you trust.
    #[arg(long, env = "ATRIUM_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Load the demo company into an empty database on first start.
    #[arg(long, env = "ATRIUM_DEMO_DATA", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_data: bool,

    /// Maximum database connections of this server process.
    #[arg(long, env = "ATRIUM_DB_CONNECTIONS", default_value_t = 20)]
    pub db_connections: u32,

    /// The longest a database statement of a request may run, in seconds (exports: ten
    /// times as long).
    #[arg(long, env = "ATRIUM_STATEMENT_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub statement_timeout: u64,

    /// Exports (CSV/XLSX downloads) running at once in this process; by default a quarter
    /// of the connections, so that the rest stay for ordinary requests.
    #[arg(long, env = "ATRIUM_EXPORTS")]
    pub exports: Option<usize>,

    /// Requests per second one session keeps up (after a burst of two seconds' worth);
    /// faster requests wait their turn, up to 2 s, and are refused beyond. 0: no limit.
    #[arg(long, env = "ATRIUM_REQUEST_RATE", default_value_t = 20)]
    pub request_rate: u32,

    /// SMTP server for outgoing e-mail, e.g. smtps://user:pass@mail.example.com:465.
    #[arg(long, env = "ATRIUM_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender address of outgoing e-mail.
    #[arg(
        long,
        env = "ATRIUM_SMTP_FROM",
        default_value = "Atrium <atrium@localhost>"
    )]
    pub smtp_from: String,
}

impl Config {
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_string()
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    pub fn export_limits(&self) -> app::state::export_limits::ExportLimits {
        let mut limits = app::state::export_limits::ExportLimits::for_pool(self.db_connections);
        if let Some(total) = self.exports {
            limits = app::state::export_limits::ExportLimits::new(total, 2);
        }
        limits.statement_timeout = std::time::Duration::from_secs(self.statement_timeout * 10);
        limits
    }
}
