//! Installs the build and test tools that are missing, at the versions the project needs.
//! Idempotent and quiet when everything is present. Everything comes from crates.io, npm or
//! Debian's packages: nothing downloads a prebuilt binary from anywhere else.

use crate::shell;
use std::path::Path;

const CARGO_LEPTOS: &str = "0.3.10";
const SQLX_CLI: &str = "0.8.6";
const BINARYEN: &str = "132";

pub fn ensure_tools() -> Result<(), String> {
    wasm_target()?;
    debian_packages()?;
    cargo_leptos()?;
    wasm_bindgen_cli()?;
    wasm_opt()?;
    end2end_packages()
}

/// `cargo` for installing a tool: the tools share one build directory, so the crates they
/// have in common compile once, and they are built with light optimisation, without
/// link-time optimisation or debug information: they drive compilers and copy files, and
/// their build is a large part of a first run on a fresh machine.
fn tool_install() -> std::process::Command {
    let mut command = shell::cargo();
    command
        .env("CARGO_TARGET_DIR", shell::tools_dir().join("build"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false");
    command
}

fn wasm_target() -> Result<(), String> {
    let installed =
        shell::capture(shell::command("rustup").args(["target", "list", "--installed"]))
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
            .unwrap_or(false);
    if installed {
        return Ok(());
    }
    shell::step("installing the wasm32-unknown-unknown target");
    shell::run(shell::command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn cargo_leptos() -> Result<(), String> {
    let wanted = format!("cargo-leptos {CARGO_LEPTOS}");
    if shell::version_of("cargo-leptos").is_some_and(|v| v.starts_with(&wanted)) {
        return Ok(());
    }
    shell::step("installing cargo-leptos (several minutes, once)");
    shell::run(tool_install().args([
        "install",
        "cargo-leptos",
        "--version",
        CARGO_LEPTOS,
        "--locked",
        "--features",
        "no_downloads",
    ]))
}

/// The CLI must match the `wasm-bindgen` crate in Cargo.lock exactly.
fn wasm_bindgen_cli() -> Result<(), String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let version =
        locked_version(&lock, "wasm-bindgen").ok_or("Cargo.lock names no wasm-bindgen version")?;
    if shell::version_of("wasm-bindgen").is_some_and(|v| v == format!("wasm-bindgen {version}")) {
        return Ok(());
    }
    shell::step(&format!("installing wasm-bindgen-cli {version}"));
    let install = |locked: bool| {
        let mut command = tool_install();
        command.args([
            "install",
            "wasm-bindgen-cli",
            "--force",
            "--version",
            &version,
        ]);
        if locked {
            command.arg("--locked");
        }
        shell::run(&mut command)
    };
    // Some releases' own lock file names crates the registry no longer serves.
    install(true).or_else(|_| install(false))
}

/// Only `cargo xtask sqlx-prepare` needs it; the tests migrate with `psql`.
pub fn sqlx_cli() -> Result<(), String> {
    if shell::version_of("sqlx").is_some_and(|v| v == format!("sqlx-cli {SQLX_CLI}")) {
        return Ok(());
    }
    shell::step("installing sqlx-cli");
    shell::run(tool_install().args([
        "install",
        "sqlx-cli",
        "--version",
        SQLX_CLI,
        "--locked",
        "--no-default-features",
        "--features",
        "postgres,rustls",
    ]))
}

/// cargo-leptos runs `wasm-opt` for release builds; binaryen's npm package provides it.
fn wasm_opt() -> Result<(), String> {
    let dir = shell::tools_dir();
    if dir.join("node_modules/.bin/wasm-opt").exists() {
        return Ok(());
    }
    shell::step("installing wasm-opt (npm binaryen)");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    shell::run(
        shell::command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("binaryen@{BINARYEN}")),
    )
}

fn end2end_packages() -> Result<(), String> {
    let e2e = crate::root().join("end2end");
    let marker = e2e.join("node_modules/.package-lock.json");
    if is_newer_or_same(&marker, &e2e.join("package-lock.json")) {
        return Ok(());
    }
    shell::step("installing the end-to-end test packages");
    shell::run(
        shell::command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&e2e)
            // Playwright drives Debian's Chromium; it must never fetch a browser of its own.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

fn debian_packages() -> Result<(), String> {
    let mut missing = Vec::new();
    if embedded_pg::find_bin_dir().is_err() {
        missing.push("postgresql");
    }
    if !Path::new("/usr/bin/chromium").exists() {
        missing.push("chromium");
    }
    if !Path::new("/usr/bin/chromedriver").exists() {
        missing.push("chromium-driver");
    }
    if missing.is_empty() {
        return Ok(());
    }
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Err(format!(
            "missing Debian packages; install them with: sudo apt-get install {}",
            missing.join(" ")
        ));
    }
    shell::step(&format!(
        "installing Debian packages: {}",
        missing.join(" ")
    ));
    shell::run(shell::command("apt-get").arg("update"))?;
    shell::run(
        shell::command("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn is_newer_or_same(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(path), modified(than)) {
        (Some(a), Some(b)) => a >= b,
        _ => false,
    }
}

/// The version of `package` recorded in a Cargo.lock.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines.next()?.trim();
            return version
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    #[test]
    fn reads_the_exact_package_not_a_prefix() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "serde"), None);
    }
}
