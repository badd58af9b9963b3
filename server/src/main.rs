//! `atrium` server binary; see `--help`.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = server::config::Config::parse();
    init_logging(&config);
    // Read the Leptos settings before the runtime starts any thread.
    let leptos_options = match server::leptos_options(&config) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("atrium: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("atrium: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::run(config, leptos_options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("atrium: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &server::config::Config) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&config.log));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}
