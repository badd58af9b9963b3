//! A private PostgreSQL cluster run from the machine's installed binaries.
//!
//! The cluster lives in a directory of ours, listens only on a Unix socket (no TCP port to
//! collide with), survives a `kill -9` of its owner, and runs as an unprivileged user when we
//! are root, because PostgreSQL refuses to run as root.

use std::ffi::CString;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The role initdb creates; it owns every database of the cluster.
pub const SUPERUSER: &str = "atrium";
/// The system account PostgreSQL runs as when we are started as root.
const SERVICE_ACCOUNT: &str = "atrium-pg";
const PORT: u16 = 5432;
const READY_TIMEOUT: Duration = Duration::from_secs(90);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "PostgreSQL is not installed: no `initdb` and `postgres` on PATH or under \
         /usr/lib/postgresql/*/bin. Install Debian's `postgresql` package \
         (apt-get install postgresql), or set DATABASE_URL to use an existing server."
    )]
    NotInstalled,
    #[error("could not prepare {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{command} failed: {detail}")]
    Command { command: String, detail: String },
    #[error(
        "the database directory {path} is not reachable by the `{account}` account PostgreSQL \
         runs as (a parent directory is closed to other users); choose another data directory \
         with ATRIUM_DATA_DIR, for example under /var/lib or /tmp"
    )]
    NotReachable { path: PathBuf, account: String },
    #[error("PostgreSQL did not become ready within {seconds} s; its log is {log}")]
    NotReady { seconds: u64, log: PathBuf },
    #[error("PostgreSQL stopped during start-up; the end of its log {log}:\n{tail}")]
    Exited { log: PathBuf, tail: String },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// How the cluster should behave.
#[derive(Clone, Debug)]
pub struct Options {
    /// Directory holding the cluster (`pg/`), its socket (`run/`) and its log.
    pub data_dir: PathBuf,
    /// Trade durability for speed: for throw-away test clusters only.
    pub ephemeral: bool,
}

/// A running cluster; dropping it stops PostgreSQL.
#[derive(Debug)]
pub struct Cluster {
    pgdata: PathBuf,
    socket_dir: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

impl Cluster {
    /// Creates the cluster on first use, clears what a killed predecessor left behind, starts
    /// PostgreSQL and waits until it accepts connections.
    pub fn start(options: &Options) -> Result<Cluster, Error> {
        let bin_dir = find_bin_dir()?;
        fs::create_dir_all(&options.data_dir).map_err(io_error(&options.data_dir))?;
        let data_dir = options
            .data_dir
            .canonicalize()
            .map_err(io_error(&options.data_dir))?;
        let pgdata = data_dir.join("pg");
        let socket_dir = socket_dir_for(&data_dir);
        let log = data_dir.join("postgres.log");

        let account = RunAs::choose(&pgdata)?;
        if let Some(run_as) = &account {
            run_as.check_reachable(&data_dir)?;
        }
        for dir in [&pgdata, &socket_dir] {
            if !dir.exists() {
                fs::create_dir_all(dir).map_err(io_error(dir))?;
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                    .map_err(io_error(dir))?;
            }
            if let Some(run_as) = &account {
                run_as.chown(dir)?;
            }
        }

        if !pgdata.join("PG_VERSION").exists() {
            init_cluster(&bin_dir, &pgdata, &log, account.as_ref())?;
        }
        clear_stale_locks(&pgdata, &socket_dir)?;

        let log_file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(io_error(&log))?;
        let mut command = Command::new(bin_dir.join("postgres"));
        command
            .arg("-D")
            .arg(&pgdata)
            .arg("-k")
            .arg(&socket_dir)
            .args(["-c", "listen_addresses=", "-p", &PORT.to_string()])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(io_error(&log))?)
            .stderr(log_file)
            // Its own process group: Ctrl-C reaches our server, which then stops PostgreSQL
            // after its last query, instead of PostgreSQL dying under it.
            .process_group(0);
        if options.ephemeral {
            command.args(["-c", "fsync=off", "-c", "synchronous_commit=off"]);
            command.args(["-c", "full_page_writes=off", "-c", "max_connections=200"]);
            // Tests count the statements a request costs, where the module is installed.
            if bin_dir.join("../lib/pg_stat_statements.so").exists() {
                command.args(["-c", "shared_preload_libraries=pg_stat_statements"]);
                command.args(["-c", "pg_stat_statements.track=all"]);
                // Each test has its own database, and every database its own entries: below
                // the default 5000 entries, old ones are evicted and a count can go backwards.
                command.args(["-c", "pg_stat_statements.max=100000"]);
            }
        }
        if let Some(run_as) = &account {
            command.uid(run_as.uid).gid(run_as.gid);
        }
        let spawned = if options.ephemeral {
            spawn_tied_to_process(command)
        } else {
            command.spawn()
        };
        let child = spawned.map_err(|e| Error::Command {
            command: "postgres".into(),
            detail: e.to_string(),
        })?;
        let mut cluster = Cluster {
            pgdata,
            socket_dir,
            log,
            child: Some(child),
        };
        cluster.wait_ready()?;
        Ok(cluster)
    }

    /// The directory holding the Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// A connection URL for `database`, understood by sqlx and libpq tools.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost:{PORT}/{database}?host={}",
            self.socket_dir.display()
        )
    }

    fn wait_ready(&mut self) -> Result<(), Error> {
        let started = Instant::now();
        let pid_file = self.pgdata.join("postmaster.pid");
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(_)) = child.try_wait() {
                    self.child = None;
                    return Err(Error::Exited {
                        log: self.log.clone(),
                        tail: log_tail(&self.log),
                    });
                }
            }
            // Line 8 of postmaster.pid is the postmaster's status; "ready" once it accepts
            // connections.
            if let Ok(text) = fs::read_to_string(&pid_file) {
                if text.lines().nth(7).map(str::trim) == Some("ready") {
                    return Ok(());
                }
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(Error::NotReady {
                    seconds: READY_TIMEOUT.as_secs(),
                    log: self.log.clone(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Fast shutdown: running transactions are rolled back, data on disk is consistent.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id() as libc::pid_t;
            signal(pid, libc::SIGINT);
            let started = Instant::now();
            while started.elapsed() < STOP_TIMEOUT {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            signal(pid, libc::SIGQUIT);
            let _ = child.wait();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A throw-away cluster must not outlive the process that owns it, even when that process is
/// a test binary that never runs destructors for its statics. The kernel kills the child when
/// the thread that forked it ends, so fork from a thread that lives as long as the process.
fn spawn_tied_to_process(mut command: Command) -> std::io::Result<Child> {
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("postgres-keeper".into())
        .spawn(move || {
            let _ = sender.send(command.spawn());
            loop {
                std::thread::park();
            }
        })?;
    receiver
        .recv()
        .unwrap_or_else(|_| Err(std::io::Error::other("postgres keeper thread failed")))
}

/// Finds the directory holding `initdb` and `postgres`: PATH first, then Debian's
/// `/usr/lib/postgresql/<version>/bin`, newest version first.
pub fn find_bin_dir() -> Result<PathBuf, Error> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_both(&dir) {
                // /usr/local/bin/initdb may be a link into the real installation, whose
                // `postgres` must come from the same version.
                let real = dir
                    .join("initdb")
                    .canonicalize()
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .filter(|real| has_both(real));
                return Ok(real.unwrap_or(dir));
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_both(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or(Error::NotInstalled)
}

/// The socket lives beside the cluster unless that path is too long for a Unix socket
/// (108 bytes on Linux), in which case it moves to a short, stable directory under /tmp.
fn socket_dir_for(data_dir: &Path) -> PathBuf {
    let beside = data_dir.join("run");
    let longest = beside.join(format!(".s.PGSQL.{PORT}.lock"));
    if longest.as_os_str().len() < 100 {
        return beside;
    }
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    data_dir.hash(&mut hasher);
    std::env::temp_dir().join(format!("atrium-pg-{:016x}", hasher.finish()))
}

fn init_cluster(
    bin_dir: &Path,
    pgdata: &Path,
    log: &Path,
    account: Option<&RunAs>,
) -> Result<(), Error> {
    let mut command = Command::new(bin_dir.join("initdb"));
    command
        .arg("-D")
        .arg(pgdata)
        .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale"])
        .arg("--no-instructions")
        .stdin(Stdio::null());
    if let Some(run_as) = account {
        command.uid(run_as.uid).gid(run_as.gid);
    }
    let output = command.output().map_err(|e| Error::Command {
        command: "initdb".into(),
        detail: e.to_string(),
    })?;
    let _ = fs::write(log, [&output.stdout[..], &output.stderr[..]].concat());
    if !output.status.success() {
        // A half-made cluster would block every later start.
        let _ = fs::remove_dir_all(pgdata);
        return Err(Error::Command {
            command: "initdb".into(),
            detail: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(())
}

/// After a `kill -9` of the server, its PostgreSQL may still run (it is in its own process
/// group), or be gone while its lock files remain with a process id that now belongs to some
/// other process. PostgreSQL handles a dead pid itself but refuses a live one, so: stop an
/// orphaned postmaster of this cluster, and remove lock files naming an unrelated process.
fn clear_stale_locks(pgdata: &Path, socket_dir: &Path) -> Result<(), Error> {
    let pid_file = pgdata.join("postmaster.pid");
    if let Some(pid) = read_pid(&pid_file) {
        if is_postmaster_of(pid, pgdata) {
            signal(pid, libc::SIGINT);
            let started = Instant::now();
            while process_alive(pid) && started.elapsed() < STOP_TIMEOUT {
                std::thread::sleep(Duration::from_millis(50));
            }
            if process_alive(pid) {
                signal(pid, libc::SIGQUIT);
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        if !is_postmaster_of(pid, pgdata) {
            let _ = fs::remove_file(&pid_file);
        }
    }
    let socket_lock = socket_dir.join(format!(".s.PGSQL.{PORT}.lock"));
    if let Some(pid) = read_pid(&socket_lock) {
        if !is_postmaster_of(pid, pgdata) {
            let _ = fs::remove_file(&socket_lock);
            let _ = fs::remove_file(socket_dir.join(format!(".s.PGSQL.{PORT}")));
        }
    }
    Ok(())
}

fn read_pid(path: &Path) -> Option<libc::pid_t> {
    fs::read_to_string(path)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

fn process_alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 only checks that the process exists.
    pid > 0 && unsafe { libc::kill(pid, 0) } == 0
}

/// True when `pid` is a live PostgreSQL postmaster working in `pgdata` (the postmaster's
/// working directory is its data directory).
fn is_postmaster_of(pid: libc::pid_t, pgdata: &Path) -> bool {
    if !process_alive(pid) {
        return false;
    }
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let is_postgres = fs::read(proc.join("cmdline"))
        .map(|cmd| String::from_utf8_lossy(&cmd).contains("postgres"))
        .unwrap_or(false);
    let in_cluster = match fs::read_link(proc.join("cwd")) {
        Ok(cwd) => pgdata.canonicalize().map(|p| p == cwd).unwrap_or(false),
        // Not allowed to look: trust the command line.
        Err(_) => true,
    };
    is_postgres && in_cluster
}

fn signal(pid: libc::pid_t, sig: libc::c_int) {
    if pid > 0 {
        // SAFETY: sending a signal to a process id we read or spawned; no memory involved.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

fn log_tail(log: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = fs::File::open(log) {
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(len.saturating_sub(2000)));
        let _ = file.read_to_string(&mut text);
    }
    text
}

/// The unprivileged account PostgreSQL runs as when we are root.
#[derive(Debug)]
struct RunAs {
    name: String,
    uid: u32,
    gid: u32,
}

impl RunAs {
    /// `None` when we are not root. Otherwise the owner of an existing cluster, or the
    /// `atrium-pg` system account (created on first use).
    fn choose(pgdata: &Path) -> Result<Option<RunAs>, Error> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Ok(None);
        }
        if let Ok(meta) = fs::metadata(pgdata) {
            if meta.uid() != 0 {
                return Ok(Some(RunAs {
                    name: format!("uid {}", meta.uid()),
                    uid: meta.uid(),
                    gid: meta.gid(),
                }));
            }
        }
        if let Some(account) = RunAs::lookup(SERVICE_ACCOUNT) {
            return Ok(Some(account));
        }
        let output = Command::new("useradd")
            .args(["--system", "--user-group", "--no-create-home"])
            .args(["--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin"])
            .arg(SERVICE_ACCOUNT)
            .output()
            .map_err(|e| Error::Command {
                command: "useradd".into(),
                detail: e.to_string(),
            })?;
        // Another process may have created it at the same moment: look again either way.
        RunAs::lookup(SERVICE_ACCOUNT)
            .map(Some)
            .ok_or_else(|| Error::Command {
                command: format!("useradd {SERVICE_ACCOUNT}"),
                detail: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            })
    }

    fn lookup(name: &str) -> Option<RunAs> {
        let c_name = CString::new(name).ok()?;
        // SAFETY: getpwnam returns a pointer to static storage or null; we copy the two
        // integers out before any other call could overwrite it.
        let entry = unsafe { libc::getpwnam(c_name.as_ptr()) };
        if entry.is_null() {
            return None;
        }
        // SAFETY: non-null pointer returned by getpwnam just above.
        let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
        Some(RunAs {
            name: name.to_string(),
            uid,
            gid,
        })
    }

    fn chown(&self, path: &Path) -> Result<(), Error> {
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).map_err(io_error(path))
    }

    /// Every parent of the data directory must let other users pass through.
    fn check_reachable(&self, data_dir: &Path) -> Result<(), Error> {
        for dir in data_dir.ancestors() {
            let meta = fs::metadata(dir).map_err(io_error(dir))?;
            let passable = meta.mode() & 0o001 != 0
                || (meta.uid() == self.uid && meta.mode() & 0o100 != 0)
                || (meta.gid() == self.gid && meta.mode() & 0o010 != 0);
            if !passable {
                return Err(Error::NotReachable {
                    path: data_dir.to_path_buf(),
                    account: self.name.clone(),
                });
            }
        }
        Ok(())
    }
}
