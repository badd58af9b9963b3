//! The attacks of `bench-abuse` and the client that sends them: huge uploads, a burst of wrong
//! passwords, exports nobody reads, and searches for enormous names.

use super::Target;
use crate::setup::signed_in_client;
use std::time::{Duration, Instant};

/// The attacking client stands for a machine elsewhere. On this bench's one machine it runs
/// on a thread of its own (with its own runtime and sessions) at the lowest CPU priority,
/// so that what is measured is the server's slow-down under the abuse, not the cores being
/// shared with the attacker's own work of producing it.
pub(super) struct Attacker {
    jobs: tokio::sync::mpsc::UnboundedSender<(Abuse, tokio::sync::oneshot::Sender<()>)>,
}

impl Attacker {
    pub(super) async fn start(target: Target) -> Result<Attacker, String> {
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
                    let admin =
                        signed_in_client(&target.address, app::seed::demo::DEMO_EMAIL).await?;
                    let mut readers = Vec::new();
                    for email in [
                        app::seed::demo::DEMO_EMAIL,
                        "marc@atrium.example",
                        "lucia@atrium.example",
                        "giulia@atrium.example",
                        "tom@atrium.example",
                    ] {
                        readers.push(signed_in_client(&target.address, email).await?);
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
    pub(super) async fn run(&self, abuse: Abuse) {
        let (done, over) = tokio::sync::oneshot::channel();
        if self.jobs.send((abuse, done)).is_ok() {
            let _ = over.await;
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Abuse {
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
