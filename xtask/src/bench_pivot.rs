//! `cargo xtask bench pivot`: the pivot's one statement against the router (the tools'
//! `bench-pivot`), then the pivot in Chromium on the release build, over projects and tasks
//! seeded into a fresh data directory (end2end/bench/pivot.mjs).

use crate::{e2e, setup, shell};

/// Enough projects and tasks for a pivot of projects by due day with two measures to pass
/// 100,000 cells (174,460 with the generator's seed 1).
const SEED: [&str; 8] = [
    "--companies",
    "200",
    "--people",
    "200",
    "--projects",
    "600",
    "--tasks",
    "60000",
];

pub fn run(args: &[String]) -> Result<(), String> {
    crate::tools("bench-pivot", args)?;
    setup::ensure_tools()?;
    shell::run(shell::cargo().args(["leptos", "build", "--release", "--split"]))?;
    crate::bundle::write_site()?;
    shell::step("the pivot in Chromium: drawing and scrolling up to 174,460 cells");
    let root = crate::root();
    e2e::with_prepared_server(
        &root.join("target").join("release").join("server"),
        "bench-pivot",
        |data_dir| {
            let mut seed = vec!["--data-dir".to_string(), data_dir.display().to_string()];
            seed.extend(SEED.iter().map(|arg| arg.to_string()));
            crate::tools("seed", &seed)
        },
        |address, _| {
            shell::run(
                shell::command("node")
                    .arg("bench/pivot.mjs")
                    .current_dir(root.join("end2end"))
                    .env("BASE_URL", format!("http://{address}")),
            )
        },
    )
}
