//! Running commands with the project's tool directories on PATH.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Instant;

/// Where project-local tools live (`wasm-opt` from npm); kept with the build cache.
pub fn tools_dir() -> PathBuf {
    crate::root().join("target").join("tools")
}

/// PATH with the project's tools and cargo's bin directory in front.
pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![tools_dir().join("node_modules").join(".bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo").join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .env("PATH", path_with_tools())
        .current_dir(crate::root());
    command
}

pub fn cargo() -> Command {
    command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs to completion with inherited output; a failure names the command.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("could not start {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs quietly and returns its output, or None when it could not start.
pub fn capture(command: &mut Command) -> Option<Output> {
    command.output().ok()
}

/// The first line a tool prints for `--version`, if the tool is there.
pub fn version_of(program: &str) -> Option<String> {
    let output = capture(command(program).arg("--version"))?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    })
}

/// Prints a step's title with the time since xtask started, so that a slow run shows where
/// its minutes went.
pub fn step(title: &str) {
    let since = STARTED.get_or_init(Instant::now).elapsed().as_secs();
    println!("\n== [{:>2}:{:02}] {title}", since / 60, since % 60);
}

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Starts the clock of [`step`]; called first thing.
pub fn start_clock() {
    STARTED.get_or_init(Instant::now);
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    format!("`{text}`")
}
