//! End-to-end: the built server on a fresh data directory, Playwright in Debian's Chromium.
//! The browser bench of the bundle starts its server the same way.

use crate::shell;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

pub fn run() -> Result<(), String> {
    let root = crate::root();
    with_server(
        &root.join("target/debug/server"),
        "e2e",
        |address, data_dir| {
            shell::run(
                shell::command("npx")
                    .args(["playwright", "test"])
                    .current_dir(root.join("end2end"))
                    .env("BASE_URL", format!("http://{address}"))
                    .env("ATRIUM_DATA_DIR", data_dir),
            )
        },
    )
}

/// Starts `server` on a fresh data directory and a free port, waits until it is ready, runs
/// `body` with its address and data directory, then stops it. `name` names the data
/// directory and the server's log (`target/<name>-server.log`); on a failure both are kept
/// for a look.
pub fn with_server(
    server: &Path,
    name: &str,
    body: impl FnOnce(&str, &Path) -> Result<(), String>,
) -> Result<(), String> {
    with_prepared_server(server, name, |_| Ok(()), body)
}

/// As `with_server`, with `prepare` run on the fresh data directory before the server starts
/// on it (to seed its database, say).
pub fn with_prepared_server(
    server: &Path,
    name: &str,
    prepare: impl FnOnce(&Path) -> Result<(), String>,
    body: impl FnOnce(&str, &Path) -> Result<(), String>,
) -> Result<(), String> {
    let root = crate::root();
    let data_dir = std::env::temp_dir().join(format!("atrium-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    prepare(&data_dir)?;
    let address = format!("127.0.0.1:{}", free_port()?);
    let log_path = root.join("target").join(format!("{name}-server.log"));
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;

    let mut child = shell::command(&server.to_string_lossy())
        .env("ATRIUM_DATA_DIR", &data_dir)
        .env("ATRIUM_BIND", &address)
        .env("ATRIUM_PUBLIC_URL", format!("http://{address}"))
        .env("LEPTOS_SITE_ROOT", root.join("target/site"))
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_OUTPUT_NAME", "atrium")
        .env("LEPTOS_HASH_FILES", "true")
        // With every response's status and time, so that a failed test can be traced.
        .env("RUST_LOG", "info,tower_http::trace::on_response=debug")
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;

    let result = wait_ready(&mut child, &address).and_then(|()| body(&address, &data_dir));
    stop(&mut child);
    if result.is_err() {
        eprintln!("server log: {}", log_path.display());
    } else {
        let _ = std::fs::remove_dir_all(&data_dir);
    }
    result
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Polls `GET /ready` until the server answers 200 (database up, migrations and demo data in).
fn wait_ready(server: &mut Child, address: &str) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(status)) = server.try_wait() {
            return Err(format!("the server exited during start-up ({status})"));
        }
        if let Ok(mut stream) = TcpStream::connect(address) {
            use std::io::Write;
            let request =
                format!("GET /ready HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
            let mut response = String::new();
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut response).is_ok()
                && response.starts_with("HTTP/1.1 200")
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err("the server did not become ready within 120 s".into())
}

/// SIGINT, as Ctrl-C would: the server stops its PostgreSQL before it exits.
fn stop(server: &mut Child) {
    // SAFETY: signalling the child we spawned.
    unsafe {
        libc::kill(server.id() as libc::pid_t, libc::SIGINT);
    }
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
}
