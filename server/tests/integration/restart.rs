//! The server binary survives `kill -9`: the next start over the same data directory finds
//! its PostgreSQL (still running, or gone with a stale pid file) and keeps all data.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data_dir: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("ATRIUM_DATA_DIR", data_dir)
        .env("ATRIUM_BIND", format!("127.0.0.1:{port}"))
        .env("LEPTOS_HASH_FILES", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server starts")
}

async fn wait_ready(child: &mut Child, port: u16) {
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited during start-up"
        );
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port}/ready")).await {
            if response.status() == 200 {
                return;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "not ready in time"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn signal(pid: u32, signal: libc::c_int) {
    // SAFETY: signalling processes this test started.
    unsafe {
        libc::kill(pid as libc::pid_t, signal);
    }
}

fn postmaster_pid(data_dir: &Path) -> Option<u32> {
    std::fs::read_to_string(data_dir.join("pg/postmaster.pid"))
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

async fn signed_in_email(port: u16, session_cookie: &str) -> Option<String> {
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/auth/current_user"))
        .header("Cookie", session_cookie)
        .send()
        .await
        .ok()?;
    let body: serde_json::Value = response.json().await.ok()?;
    body.get("email")
        .and_then(|e| e.as_str())
        .map(str::to_string)
}

#[tokio::test]
async fn a_killed_server_restarts_over_the_same_data() {
    let data_dir = std::env::temp_dir().join(format!("atrium-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data_dir);
    let port = free_port();

    let mut server = start(&data_dir, port);
    wait_ready(&mut server, port).await;
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/auth/sign_in"))
        .form(&[
            ("email", "demo@atrium.example"),
            ("password", "atrium-demo"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    let session = cookie.split(';').next().unwrap().to_string();

    // 1. kill -9 the server; its PostgreSQL keeps running.
    signal(server.id(), libc::SIGKILL);
    server.wait().unwrap();
    let orphan = postmaster_pid(&data_dir).expect("PostgreSQL still running");
    let mut server = start(&data_dir, port);
    wait_ready(&mut server, port).await;
    assert_eq!(
        signed_in_email(port, &session).await.as_deref(),
        Some("demo@atrium.example")
    );
    assert_ne!(
        postmaster_pid(&data_dir),
        Some(orphan),
        "the orphan was replaced"
    );

    // 2. kill -9 the server and its PostgreSQL; the pid file stays behind, naming a live
    //    process that is not PostgreSQL (pid reuse).
    let postmaster = postmaster_pid(&data_dir).unwrap();
    signal(server.id(), libc::SIGKILL);
    server.wait().unwrap();
    signal(postmaster, libc::SIGKILL);
    let started = Instant::now();
    while Path::new(&format!("/proc/{postmaster}")).exists()
        && started.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid_file = data_dir.join("pg/postmaster.pid");
    let stale = std::fs::read_to_string(&pid_file).expect("a stale pid file");
    let rest: Vec<&str> = stale.lines().skip(1).collect();
    std::fs::write(
        &pid_file,
        format!("{}\n{}\n", std::process::id(), rest.join("\n")),
    )
    .unwrap();
    let mut server = start(&data_dir, port);
    wait_ready(&mut server, port).await;
    assert_eq!(
        signed_in_email(port, &session).await.as_deref(),
        Some("demo@atrium.example")
    );

    // 3. A clean stop (Ctrl-C) stops PostgreSQL too.
    signal(server.id(), libc::SIGINT);
    let status = server.wait().unwrap();
    assert!(status.success(), "clean exit: {status}");
    assert!(!pid_file.exists(), "PostgreSQL stopped with the server");
    let _ = std::fs::remove_dir_all(&data_dir);
}
