//! `bench-abuse`: the release server binary, on loopback over a throw-away database, under
//! bounded versions of what a security review did to it: huge upload fields, a burst of
//! wrong passwords, slow readers of exports, and searches for enormous names. Per case it
//! prints the server's peak memory growth and the p99 of an ordinary signed-in request
//! during the abuse against before it.

use embedded_pg::Cluster;
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
    fn status_kb(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
            .unwrap_or(0.0)
    }

    fn resident_mb(&self) -> f64 {
        self.status_kb("VmRSS:") / 1024.0
    }

    fn peak_mb(&self) -> f64 {
        self.status_kb("VmHWM:") / 1024.0
    }

    fn reset_peak(&self) {
        let _ = std::fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5");
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

async fn start(binary: &Path, cluster: &Cluster, dir: &Path) -> Result<Server, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let child = Command::new(binary)
        .env("DATABASE_URL", cluster.url("bench"))
        .env("ATRIUM_BIND", format!("127.0.0.1:{port}"))
        .env("ATRIUM_DATA_DIR", dir.join("server"))
        .env("ATRIUM_DEMO_DATA", "false")
        .env("ATRIUM_LOG", "warn")
        .env("LEPTOS_HASH_FILES", "false")
        .env("LEPTOS_OUTPUT_NAME", "atrium")
        .env("LEPTOS_SITE_ROOT", "target/site")
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

async fn client_for(server: &Target, email: &str) -> Result<reqwest::Client, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .post(server.url("/api/auth/sign_in"))
        .header("Accept", "application/json")
        .form(&[
            ("email", email),
            ("password", app::seed::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("sign-in of {email} failed: {}", response.status()));
    }
    Ok(client)
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
            sessions.push(client_for(server, "anna@atrium.example").await?);
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

pub async fn bench_abuse(binary: PathBuf) -> Result<(), String> {
    let (cluster, dir, pool) = super::bench_database().await?;
    // Enough contacts that an export outlasts every socket buffer between the two ends.
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    app::seed::generate::contacts::generate(&mut conn, 2_000, 100_000, 1)
        .await
        .map_err(|e| e.to_string())?;
    drop(conn);
    pool.close().await;
    let server = start(&binary, &cluster, &dir).await?;
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
    for (label, abuse) in cases {
        let resident = server.resident_mb();
        server.reset_peak();
        let run = attacker.run(abuse);
        let during = ordinary_during(&target, &people, Duration::from_secs(3), run).await;
        let growth = (server.peak_mb() - resident).max(0.0);
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
        println!(
            "RATIO abuse_{label}_memory_growth_of_budget {:.3}",
            growth / MEMORY_BUDGET_MB
        );
        println!("RATIO abuse_{label}_ordinary_p99_vs_before {ratio:.3}");
    }
    drop(server);
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The attacking client stands for a machine elsewhere. On this bench's one machine it runs
/// on a thread of its own (with its own runtime and sessions) at the lowest CPU priority,
/// so that what is measured is the server's slow-down under the abuse, not the cores being
/// shared with the attacker's own work of producing it.
struct Attacker {
    jobs: tokio::sync::mpsc::UnboundedSender<(Abuse, tokio::sync::oneshot::Sender<()>)>,
}

impl Attacker {
    async fn start(target: Target) -> Result<Attacker, String> {
        let (jobs, mut queue) =
            tokio::sync::mpsc::unbounded_channel::<(Abuse, tokio::sync::oneshot::Sender<()>)>();
        let (ready, signed_in) = tokio::sync::oneshot::channel::<Result<(), String>>();
        std::thread::spawn(move || {
            // On Linux the nice value is the calling thread's (and its children's).
            // SAFETY: setpriority only reads its arguments.
            unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) };
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = ready.send(Err(error.to_string()));
                    return;
                }
            };
            runtime.block_on(async move {
                let sessions = async {
                    let admin = client_for(&target, app::seed::demo::DEMO_EMAIL).await?;
                    let mut readers = Vec::new();
                    for email in [
                        app::seed::demo::DEMO_EMAIL,
                        "marc@atrium.example",
                        "lucia@atrium.example",
                        "giulia@atrium.example",
                        "tom@atrium.example",
                    ] {
                        readers.push(client_for(&target, email).await?);
                    }
                    Ok::<_, String>((admin, readers))
                }
                .await;
                let (admin, readers) = match sessions {
                    Ok(sessions) => {
                        let _ = ready.send(Ok(()));
                        sessions
                    }
                    Err(error) => {
                        let _ = ready.send(Err(error));
                        return;
                    }
                };
                while let Some((abuse, done)) = queue.recv().await {
                    abuse.run(&target, &admin, &readers).await;
                    let _ = done.send(());
                }
            });
        });
        signed_in
            .await
            .map_err(|_| "the attacker stopped".to_string())??;
        Ok(Attacker { jobs })
    }

    /// Runs one abuse; resolves when it is over.
    async fn run(&self, abuse: Abuse) {
        let (done, over) = tokio::sync::oneshot::channel();
        if self.jobs.send((abuse, done)).is_ok() {
            let _ = over.await;
        }
    }
}

#[derive(Clone, Copy)]
enum Abuse {
    /// 8 uploads, each a 300 MiB text field, and 8 that are not multipart at all.
    Uploads,
    /// 40 parallel wrong passwords for one account and 40 for others, from one address.
    SignInBurst,
    /// 25 exports whose readers stop reading, held for 10 s.
    SlowExports,
    /// For three seconds, one attacker searching duplicates of 10 KB names back to back, and
    /// one sending 3 MB names.
    HugeSearch,
}

impl Abuse {
    async fn run(self, server: &Target, admin: &reqwest::Client, readers: &[reqwest::Client]) {
        match self {
            Abuse::Uploads => uploads(server, admin).await,
            Abuse::SignInBurst => sign_in_burst(server).await,
            Abuse::SlowExports => slow_exports(server, readers).await,
            Abuse::HugeSearch => huge_search(server, admin).await,
        }
    }
}

async fn uploads(server: &Target, admin: &reqwest::Client) {
    let url = server.url("/api/projects/documents/upload");
    let huge = (0..8).map(|_| {
        // 300 MiB produced as it is sent: the client holds one chunk at a time.
        let chunks = futures_util::stream::iter(
            (0..300).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 1024 * 1024])),
        );
        let head = futures_util::stream::iter([Ok::<_, std::io::Error>(
            b"--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n".to_vec(),
        )]);
        let body = reqwest::Body::wrap_stream(futures_util::StreamExt::chain(head, chunks));
        admin
            .post(&url)
            .header("Content-Type", "multipart/form-data; boundary=b")
            .body(body)
            .send()
    });
    let plain = (0..8).map(|_| {
        admin
            .post(&url)
            .header("Content-Type", "text/plain")
            .body(vec![b'x'; 1024 * 1024])
            .send()
    });
    let _ = futures_util::future::join(
        futures_util::future::join_all(huge),
        futures_util::future::join_all(plain),
    )
    .await;
}

async fn sign_in_burst(server: &Target) {
    let url = server.url("/api/auth/sign_in");
    let attempts = (0..80).map(|n| {
        let url = url.clone();
        async move {
            let email = if n % 2 == 0 {
                "tom@atrium.example".to_string()
            } else {
                format!("nobody-{n}@atrium.example")
            };
            let _ = reqwest::Client::new()
                .post(url)
                .header("Accept", "application/json")
                .form(&[("email", email.as_str()), ("password", "wrong-password")])
                .send()
                .await;
        }
    });
    futures_util::future::join_all(attempts).await;
}

async fn slow_exports(server: &Target, clients: &[reqwest::Client]) {
    let url = server.url("/export/contacts.csv?d=0");
    let downloads = (0..25).map(|n| {
        let client = clients[n % clients.len()].clone();
        let url = url.clone();
        async move {
            // Started, then not read for ten seconds.
            let response = client.get(url).send().await;
            tokio::time::sleep(Duration::from_secs(10)).await;
            drop(response);
        }
    });
    futures_util::future::join_all(downloads).await;
}

async fn huge_search(server: &Target, admin: &reqwest::Client) {
    let url = server.url("/api/contacts/duplicates");
    // Bodies made once: the attacker's own work should not be what is measured.
    let long = format!("kind=company&name={}", "Bakkerij+".repeat(1_200));
    let huge = format!("kind=company&name={}", "x".repeat(3 * 1024 * 1024));
    let until = Instant::now() + Duration::from_secs(3);
    let attacker = |body: String| {
        let (admin, url) = (admin.clone(), url.clone());
        async move {
            // Back to back for three seconds: what once held a backend for 24 s a request.
            while Instant::now() < until {
                let _ = admin
                    .post(&url)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await;
            }
        }
    };
    futures_util::future::join(attacker(long), attacker(huge)).await;
}
