//! Project tasks, run as `cargo xtask <task>`: the one place that knows how to install the
//! tools, build, run and test Atrium on a fresh machine.

mod bench_pivot;
mod bench_wasm;
mod budget;
mod bundle;
mod bundle_plan;
mod database;
mod e2e;
mod layers;
mod precompress;
mod setup;
mod shell;
mod split_loader;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  run [--dev] [-- SERVER-ARGS]   install what is missing, build (release unless --dev) and
                                 serve Atrium on http://127.0.0.1:3000 with its own PostgreSQL
  test                           every test: formatting, .sqlx freshness, unit, database, HTTP,
                                 then end-to-end in Chromium
  e2e [--repeat N]               the end-to-end tests alone, N times in a row (default 1),
                                 against the server and browser bundle `test` last built
  setup                          install the build and test tools that are missing
  layers                         check that the app's modules use only those before them in
                                 the dependency order (also part of `test`)
  budget                         bundle and precompress the browser build last made
                                 (target/site/pkg) and print its sizes as `bench wasm` does:
                                 the first load (xtask/bundle-budget), each section's bundle
  sqlx-prepare                   refresh .sqlx/ from the migrations (after changing a query)
  seed [--companies N] [--people M] [--projects P] [--tasks T] [--seed S]
                                 add generated contacts, projects and tasks to the app's
                                 database (./.data, or DATABASE_URL); the same seed gives the
                                 same rows
  bench lists [--companies N] [--people M] [--repetitions R]
                                 release build; times list requests against their bare SQL on
                                 a throw-away database and prints `RATIO <label> <value>` lines
  bench projects [--projects P] [--tasks T] [--big-project-tasks B] [--repetitions R]
                                 the same for the project page (2,000 tasks) and my tasks over
                                 20,000 projects and 500,000 tasks
  bench crm [--opportunities N] [--repetitions R]
  bench quotes [--lines L] [--repetitions R]
  bench invoices [--tasks T] [--invoices I] [--repetitions R]
                                 a partial invoice of 200 tasks, and a project's invoicing
                                 with 50 invoices
  bench pivot [--tasks T] [--repetitions R]
                                 a pivot of 1,000,000 tasks by two row and two column levels
                                 with two measures, against its one statement; then, on the
                                 release build, the browser's time to draw a 10,000-figure
                                 pivot and to scroll a 100,000-figure one, as `TIME` lines
  bench abuse                    the release server binary under bounded abuse (huge uploads,
                                 a burst of wrong passwords, slow export readers, huge
                                 searches): its memory growth and the slow-down of ordinary
                                 requests, as `SIZE` and `RATIO` lines
  bench wasm                     release build; the brotli bytes of the browser bundle (first
                                 load, largest wasm, total) as `SIZE` lines, then the first
                                 paint and time to interactive of the dashboard, the CRM board
                                 and a project page in Chromium throttled to a slow phone, as
                                 `RATIO` and `TIME` lines
";

fn main() -> ExitCode {
    shell::start_clock();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match task.as_str() {
        "setup" => setup::ensure_tools(),
        "run" => run(rest),
        "test" => test(),
        "layers" => check_layers(),
        "budget" => bench_wasm::sizes(),
        "e2e" => end_to_end(rest),
        "sqlx-prepare" => setup::ensure_tools().and_then(|()| database::prepare()),
        "seed" => tools("seed", rest),
        "bench" => match rest.first().map(String::as_str) {
            Some("lists") => tools("bench-lists", &rest[1..]),
            Some("projects") => tools("bench-projects", &rest[1..]),
            Some("crm") => tools("bench-crm", &rest[1..]),
            Some("quotes") => tools("bench-quotes", &rest[1..]),
            Some("invoices") => tools("bench-invoices", &rest[1..]),
            Some("pivot") => bench_pivot::run(&rest[1..]),
            Some("abuse") => bench_abuse(&rest[1..]),
            Some("wasm") if rest.len() == 1 => bench_wasm::run(),
            _ => Err(format!(
                "usage: cargo xtask bench lists|projects|crm|quotes|invoices|pivot|abuse|wasm \
                 [options]\n{USAGE}"
            )),
        },
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Runs a task of the release-built `atrium-tools` binary (seed, benchmarks).
pub fn tools(task: &str, args: &[String]) -> Result<(), String> {
    shell::run(
        shell::cargo()
            .args([
                "run",
                "--release",
                "--package",
                "server",
                "--features",
                "tools",
            ])
            .args(["--bin", "atrium-tools", "--", task])
            .args(args),
    )
}

/// Builds the server and the tools in release, then runs the server binary under abuse.
fn bench_abuse(args: &[String]) -> Result<(), String> {
    shell::run(shell::cargo().args([
        "build",
        "--release",
        "--package",
        "server",
        "--features",
        "tools",
        "--bins",
    ]))?;
    let release = root().join("target").join("release");
    shell::run(
        shell::command(
            release
                .join("atrium-tools")
                .to_str()
                .unwrap_or("atrium-tools"),
        )
        .arg("bench-abuse")
        .arg("--server")
        .arg(release.join("server"))
        .args(args)
        .current_dir(root()),
    )
}

fn run(args: &[String]) -> Result<(), String> {
    setup::ensure_tools()?;
    let dev = args.iter().any(|a| a == "--dev");
    let server_args: Vec<&String> = args
        .iter()
        .skip_while(|a| a.as_str() != "--")
        .skip(1)
        .collect();
    let mut build = shell::cargo();
    // Each page but sign-in and the dashboard is a wasm chunk of its own (app/src/pages/mod.rs).
    build.args(["leptos", "build", "--split"]);
    if !dev {
        build.arg("--release");
    }
    shell::run(&mut build)?;
    bundle::write_site()?;
    // A debug bundle is compressed on the fly: its build is for quick turns.
    if !dev {
        shell::step("precompressed browser bundle");
        for file in precompress::pkg(&root().join("target").join("site").join("pkg"))? {
            println!(
                "  {}: {} KB, {} KB with brotli",
                file.name,
                file.plain / 1024,
                file.brotli / 1024
            );
        }
    }
    let profile = if dev { "debug" } else { "release" };
    // The server finds the bundle and its hashed names on its own (server/src/lib.rs).
    // Ctrl-C reaches it directly; it stops its PostgreSQL.
    shell::run(
        shell::command(
            &root()
                .join("target")
                .join(profile)
                .join("server")
                .to_string_lossy(),
        )
        .args(server_args),
    )
}

/// Runs the browser tests `repeat` times in a row; stops at the first failing run.
fn end_to_end(args: &[String]) -> Result<(), String> {
    let repeat = match args {
        [] => 1,
        [flag, count] if flag == "--repeat" => count
            .parse::<u32>()
            .map_err(|_| format!("--repeat takes a number, not `{count}`"))?,
        _ => return Err(format!("usage: cargo xtask e2e [--repeat N]\n{USAGE}")),
    };
    for run in 1..=repeat {
        shell::step(&format!(
            "end-to-end tests in Chromium, run {run} of {repeat}"
        ));
        e2e::run()?;
    }
    Ok(())
}

/// Fails on a use of a module that comes later in the dependency order, naming the line.
fn check_layers() -> Result<(), String> {
    shell::step("the dependency order of app/src");
    let src = root().join("app").join("src");
    let found = layers::check_tree(&src)?;
    if found.is_empty() {
        return Ok(());
    }
    for violation in &found {
        eprintln!("app/src/{violation}");
    }
    Err(format!(
        "{} use(s) against the dependency order: {}",
        found.len(),
        layers::ORDER.join(" → ")
    ))
}

/// Clippy rides along the real compilations instead of compiling every dependency a second
/// time: as `cargo clippy` does, cargo runs the workspace's own crates through
/// `clippy-driver`, here while building them, with warnings (its lints and the compiler's)
/// as errors. Every compilation of `test` carries it, so none invalidates another.
fn with_clippy(command: &mut std::process::Command) -> &mut std::process::Command {
    command.env("RUSTC_WORKSPACE_WRAPPER", "clippy-driver").env(
        "CLIPPY_ARGS",
        "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
    )
}

fn test() -> Result<(), String> {
    let started = std::time::Instant::now();
    setup::ensure_tools()?;
    shell::step("formatting");
    shell::run(shell::cargo().args(["fmt", "--all", "--", "--check"]))
        .map_err(|e| format!("{e}\nrun `cargo fmt --all` and commit the result"))?;

    check_layers()?;

    // One compilation serves the tests, the server of the browser tests and the `.sqlx/`
    // check: its query macros describe every query against the migrated schema and write
    // what they found, which must equal what is committed.
    shell::step("compile the tests against the migrated schema");
    let schema = database::SchemaDatabase::start()?;
    let written = root().join("target").join("sqlx-written");
    let _ = std::fs::remove_dir_all(&written);
    std::fs::create_dir_all(&written).map_err(|e| format!("{}: {e}", written.display()))?;
    let packages = [
        "--package",
        "domain",
        "--package",
        "app",
        "--package",
        "server",
        "--package",
        "embedded-pg",
        "--package",
        "xtask",
        // The seed and bench tools are compiled (and linted) with the rest.
        "--features",
        "server/tools",
    ];
    shell::run(
        with_clippy(shell::cargo().args(["test", "--no-run"]).args(packages))
            .env("RUSTFLAGS", debug_rustflags())
            .env("DATABASE_URL", &schema.url)
            .env("SQLX_OFFLINE", "false")
            .env("SQLX_OFFLINE_DIR", &written),
    )?;
    drop(schema);
    shell::step(".sqlx is current with the migrations and queries");
    let stale = database::stale_queries(&written, &root().join(".sqlx"))?;
    if !stale.is_empty() {
        return Err(format!(
            ".sqlx/ is out of date ({}): run `cargo xtask sqlx-prepare` and commit it",
            stale.join(", ")
        ));
    }

    // Cargo does not track these variables: the tests run what was just compiled, and a
    // server started by a test finds no DATABASE_URL and starts its own PostgreSQL.
    shell::step("unit, database and HTTP tests");
    shell::run(
        with_clippy(shell::cargo().arg("test").args(packages)).env("RUSTFLAGS", debug_rustflags()),
    )?;

    // The server binary of the browser tests is the one the test compilation just built.
    shell::step("browser bundle for the end-to-end tests");
    shell::run(with_clippy(shell::cargo().args([
        "leptos",
        "build",
        "--frontend-only",
        "--split",
    ])))?;
    bundle::write_site()?;
    shell::step("the first load of the browser bundle against its budget");
    budget::check(
        &budget::measure(&root().join("target").join("site").join("pkg"))?,
        "debug",
    )?;
    shell::step("end-to-end tests in Chromium");
    e2e::run()?;
    println!(
        "\nxtask: every test passed in {} s",
        started.elapsed().as_secs()
    );
    Ok(())
}

/// The flags cargo-leptos gives every build (`always-erase-components`): views are
/// type-erased, and server and browser must agree on it for hydration. The test compilation
/// builds the server of the browser tests, so it gets the same flags.
fn debug_rustflags() -> String {
    let erase = "--cfg erase_components";
    match std::env::var("RUSTFLAGS") {
        Ok(flags) if !flags.trim().is_empty() => format!("{} {erase}", flags.trim()),
        _ => erase.to_string(),
    }
}
