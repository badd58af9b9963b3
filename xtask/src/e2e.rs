//! End-to-end: the built server on a fresh data directory, Playwright in Debian's Chromium.

use crate::shell;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

pub fn run() -> Result<(), String> {
    let root = crate::root();
    let data_dir = std::env::temp_dir().join(format!("atrium-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let port = free_port()?;
    let address = format!("127.0.0.1:{port}");
    let log_path = root.join("target").join("e2e-server.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;

    let mut server = shell::command(&root.join("target/debug/server").to_string_lossy())
        .env("ATRIUM_DATA_DIR", &data_dir)
        .env("ATRIUM_BIND", &address)
        .env("ATRIUM_PUBLIC_URL", format!("http://{address}"))
        .env("LEPTOS_SITE_ROOT", root.join("target/site"))
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_OUTPUT_NAME", "atrium")
        .env("LEPTOS_HASH_FILES", "true")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;

    let result = wait_ready(&mut server, &address).and_then(|()| {
        shell::run(
            shell::command("npx")
                .args(["playwright", "test"])
                .current_dir(root.join("end2end"))
                .env("BASE_URL", format!("http://{address}"))
                .env("ATRIUM_DATA_DIR", &data_dir),
        )
    });
    stop(&mut server);
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
