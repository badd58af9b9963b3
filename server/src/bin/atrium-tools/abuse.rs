//! `bench-abuse`: the release server binary, on loopback over a throw-away database, under
//! bounded versions of what a security review did to it: huge upload fields, a burst of
//! wrong passwords, slow readers of exports, and searches for enormous names. Per case it
//! prints the server's peak memory growth and the p99 of an ordinary signed-in request
//! during the abuse against before it.

mod attacker;

use crate::setup::{print_ratio, signed_in_client, BenchDatabase, ProcessMemory, LEPTOS_ENV};
use attacker::{Abuse, Attacker};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The budgets the review set: memory growth per case, and the slow-down of an ordinary
/// request while the abuse runs.
const MEMORY_BUDGET_MB: f64 = 64.0;

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn memory(&self) -> ProcessMemory {
        ProcessMemory::of(self.child.id())
    }

    fn target(&self) -> Target {
        Target {
            address: self.address.clone(),
        }
    }
}

/// Where requests go.
#[derive(Clone)]
struct Target {
    address: String,
}

impl Target {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

async fn start(binary: &Path, database: &BenchDatabase) -> Result<Server, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let child = Command::new(binary)
        .env("DATABASE_URL", database.url())
        .env("ATRIUM_BIND", format!("127.0.0.1:{port}"))
        .env("ATRIUM_DATA_DIR", database.dir().join("server"))
        .env("ATRIUM_DEMO_DATA", "false")
        .env("ATRIUM_LOG", "warn")
        .envs(LEPTOS_ENV)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let server = Server {
        child,
        address: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    let probe = reqwest::Client::new();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(response) = probe.get(server.target().url("/ready")).send().await {
            if response.status().is_success() {
                return Ok(server);
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err("the server did not become ready within a minute".into())
}

/// Ordinary traffic: requests one after another, each from the next of many people in a
/// session of their own, so that no session comes near its pace (20 a second) however fast
/// the server answers.
const PEOPLE: usize = 128;

struct People {
    sessions: Vec<reqwest::Client>,
    next: std::cell::Cell<usize>,
}

impl People {
    async fn sign_in(server: &Target) -> Result<People, String> {
        let mut sessions = Vec::new();
        for _ in 0..PEOPLE {
            sessions.push(signed_in_client(&server.address, "anna@atrium.example").await?);
        }
        Ok(People {
            sessions,
            next: std::cell::Cell::new(0),
        })
    }

    /// The next person's ordinary request.
    async fn request(&self, server: &Target) -> Duration {
        let n = self.next.get();
        self.next.set(n + 1);
        ordinary(server, &self.sessions[n % self.sessions.len()]).await
    }
}

/// The ordinary request: my task counters, as every page's navigation asks for them.
async fn ordinary(server: &Target, client: &reqwest::Client) -> Duration {
    let started = Instant::now();
    let response = client
        .post(server.url("/api/tasks/counts"))
        .header("Accept", "application/json")
        .send()
        .await;
    let elapsed = started.elapsed();
    match response {
        Ok(r) if r.status().is_success() => {
            let _ = r.bytes().await;
            elapsed
        }
        // A refused ordinary request counts as the slowest possible answer.
        _ => Duration::from_secs(60),
    }
}

fn p99(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64) * 0.99).ceil() as usize;
    samples[index.saturating_sub(1).min(samples.len() - 1)].as_secs_f64() * 1000.0
}

/// Ordinary requests one after another until `done` resolves (and for at least `at_least`).
async fn ordinary_during<F: std::future::Future<Output = ()>>(
    server: &Target,
    people: &People,
    at_least: Duration,
    done: F,
) -> Vec<Duration> {
    let started = Instant::now();
    let mut samples = Vec::new();
    tokio::pin!(done);
    let mut finished = false;
    loop {
        if finished && started.elapsed() >= at_least {
            break;
        }
        tokio::select! {
            () = &mut done, if !finished => finished = true,
            sample = people.request(server) => samples.push(sample),
        }
    }
    samples
}

pub async fn bench(binary: PathBuf) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    // Enough contacts that an export outlasts every socket buffer between the two ends.
    database.generate_contacts(2_000, 100_000).await?;
    // The server binary opens its own connections.
    database.pool.close().await;
    let server = start(&binary, &database).await?;
    let target = server.target();
    let people = People::sign_in(&target).await?;
    // Signed in before the burst of wrong passwords locks this address out for a while.
    let attacker = Attacker::start(target.clone()).await?;
    for _ in 0..50 {
        people.request(&target).await;
    }
    // As long as each case's window, so that both p99s come from as many samples.
    let quiet = async { tokio::time::sleep(Duration::from_secs(3)).await };
    let before = p99(ordinary_during(&target, &people, Duration::from_secs(3), quiet).await);
    println!("ordinary request p99 before any abuse: {before:.2} ms");

    let cases: [(&str, Abuse); 4] = [
        ("uploads", Abuse::Uploads),
        ("sign_in_burst", Abuse::SignInBurst),
        ("slow_exports", Abuse::SlowExports),
        ("huge_search", Abuse::HugeSearch),
    ];
    let memory = server.memory();
    for (label, abuse) in cases {
        let resident = memory.resident_mb();
        memory.reset_peak();
        let run = attacker.run(abuse);
        let during = ordinary_during(&target, &people, Duration::from_secs(3), run).await;
        let growth = (memory.peak_mb() - resident).max(0.0);
        let ratio = p99(during.clone()) / before.max(0.001);
        println!(
            "{label}: {} ordinary requests during the abuse, p99 {:.2} ms; peak memory +{growth:.1} MB",
            during.len(),
            p99(during)
        );
        println!(
            "SIZE abuse_{label}_memory_growth {}",
            (growth * 1_048_576.0) as u64
        );
        print_ratio(
            &format!("abuse_{label}_memory_growth_of_budget"),
            growth / MEMORY_BUDGET_MB,
            3,
        );
        print_ratio(&format!("abuse_{label}_ordinary_p99_vs_before"), ratio, 3);
    }
    drop(server);
    database.remove().await;
    Ok(())
}
