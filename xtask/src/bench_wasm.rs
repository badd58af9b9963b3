//! `cargo xtask bench wasm`: what the browser bundle costs a phone. The brotli bytes of the
//! release bundle as `SIZE` lines, then the first paint and the time to interactive of three
//! pages in Chromium throttled to a slow phone (end2end/bench/interactive.mjs).

use crate::precompress::Sizes;
use crate::{e2e, precompress, setup, shell};

/// cargo-leptos's `output-name`: the files of the main bundle, which the first page load
/// needs, are named after it; chunks split off from it are not.
const OUTPUT_NAME: &str = "atrium";

pub fn run() -> Result<(), String> {
    let root = crate::root();
    setup::ensure_tools()?;
    shell::run(shell::cargo().args(["leptos", "build", "--release", "--split"]))?;
    shell::step("sizes of the precompressed browser bundle");
    let files = precompress::pkg(&root.join("target").join("site").join("pkg"))?;
    for (label, bytes) in bundle_sizes(&files) {
        println!("SIZE {label} {bytes}");
    }
    shell::step("first paint and time to interactive in Chromium throttled to a slow phone");
    e2e::with_server(
        &root.join("target").join("release").join("server"),
        "bench-wasm",
        |address, _| {
            shell::run(
                shell::command("node")
                    .arg("bench/interactive.mjs")
                    .current_dir(root.join("end2end"))
                    .env("BASE_URL", format!("http://{address}")),
            )
        },
    )
}

/// What a first load downloads, the largest wasm a browser fetches at once, everything the
/// bundle holds, and the largest wasm before compression.
fn bundle_sizes(files: &[Sizes]) -> [(&'static str, u64); 4] {
    let first_load: u64 = files
        .iter()
        .filter(|f| is_main_bundle(&f.name))
        .map(|f| f.brotli)
        .sum();
    let largest_wasm = |size: fn(&Sizes) -> u64| {
        files
            .iter()
            .filter(|f| f.name.ends_with(".wasm"))
            .map(size)
            .max()
            .unwrap_or(0)
    };
    [
        ("first_load_brotli", first_load),
        ("largest_chunk_brotli", largest_wasm(|f| f.brotli)),
        ("total_brotli", files.iter().map(|f| f.brotli).sum()),
        ("wasm_plain", largest_wasm(|f| f.plain)),
    ]
}

/// `atrium.js`, `atrium.<hash>.wasm`, …: the output name, then a dot.
fn is_main_bundle(name: &str) -> bool {
    name.strip_prefix(OUTPUT_NAME)
        .is_some_and(|rest| rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, plain: u64, brotli: u64) -> Sizes {
        Sizes {
            name: name.to_string(),
            plain,
            brotli,
        }
    }

    #[test]
    fn a_first_load_counts_the_main_bundle_and_not_its_chunks() {
        let files = [
            file("atrium.abc.css", 50, 10),
            file("atrium.abc.js", 70, 20),
            file("atrium.abc.wasm", 900, 300),
            file("crm_board.def.wasm", 1_200, 400),
            file("crm_board.def.js", 5, 1),
        ];
        assert_eq!(
            bundle_sizes(&files),
            [
                ("first_load_brotli", 330),
                ("largest_chunk_brotli", 400),
                ("total_brotli", 731),
                ("wasm_plain", 1_200),
            ]
        );
    }

    #[test]
    fn only_the_output_name_then_a_dot_is_the_main_bundle() {
        assert!(is_main_bundle("atrium.js"));
        assert!(is_main_bundle("atrium.hLjLGdVPBhl_9CghvQ9ZxQ.wasm"));
        assert!(!is_main_bundle("atrium_bg.wasm"));
        assert!(!is_main_bundle("atrium_crm.wasm"));
        assert!(!is_main_bundle("__wasm_split.js"));
    }
}
