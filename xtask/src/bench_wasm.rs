//! `cargo xtask bench wasm`: what the browser bundle costs a phone. The brotli bytes of the
//! release bundle as `SIZE` lines, then the first paint and the time to interactive of three
//! pages in Chromium throttled to a slow phone (end2end/bench/interactive.mjs).

use crate::budget::{self, is_first_load};
use crate::precompress::Sizes;
use crate::{e2e, precompress, setup, shell};
use std::collections::BTreeMap;
use std::path::Path;

pub fn run() -> Result<(), String> {
    let root = crate::root();
    setup::ensure_tools()?;
    shell::run(shell::cargo().args(["leptos", "build", "--release", "--split"]))?;
    shell::step("sizes of the precompressed browser bundle");
    let pkg = root.join("target").join("site").join("pkg");
    let files = precompress::pkg(&pkg)?;
    for (label, bytes) in bundle_sizes(&files, &route_files(&pkg)?) {
        println!("SIZE {label} {bytes}");
    }
    let within_budget =
        budget::measure(&pkg).and_then(|first| budget::check_if_set(&first, "release"));
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
    )?;
    within_budget
}

/// What a first load downloads; the most a page adds to it on its first visit (its chunk and
/// the shared chunks it needs, from the split manifest); the largest single chunk; everything
/// the bundle holds; and the main wasm before compression.
fn bundle_sizes(files: &[Sizes], routes: &[Vec<String>]) -> [(&'static str, u64); 5] {
    let brotli_of = |stem: &str| {
        files
            .iter()
            .find(|f| f.name.strip_suffix(".wasm") == Some(stem))
            .map_or(0, |f| f.brotli)
    };
    let largest_route = routes
        .iter()
        .map(|stems| stems.iter().map(|stem| brotli_of(stem)).sum())
        .max()
        .unwrap_or(0);
    let chunks = || {
        files
            .iter()
            .filter(|f| f.name.ends_with(".wasm") && !is_first_load(&f.name))
    };
    let main_wasm = files
        .iter()
        .filter(|f| f.name.ends_with(".wasm") && is_first_load(&f.name))
        .map(|f| f.plain)
        .sum();
    [
        ("first_load_brotli", budget::first_load(files)),
        ("largest_route_brotli", largest_route),
        (
            "largest_chunk_brotli",
            chunks().map(|f| f.brotli).max().unwrap_or(0),
        ),
        ("total_brotli", files.iter().map(|f| f.brotli).sum()),
        ("main_wasm_plain", main_wasm),
    ]
}

/// Each lazy page's wasm files beyond the first load (names without `.wasm`): its own
/// `split_<name>.<hash>` and the shared chunks the split manifest lists for it.
fn route_files(pkg: &Path) -> Result<Vec<Vec<String>>, String> {
    let entries = std::fs::read_dir(pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    let Some(manifest) = names
        .iter()
        .find(|n| n.starts_with("__wasm_split_manifest") && n.ends_with(".json"))
    else {
        return Ok(Vec::new());
    };
    let text =
        std::fs::read_to_string(pkg.join(manifest)).map_err(|e| format!("{manifest}: {e}"))?;
    let map: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&text).map_err(|e| format!("{manifest}: {e}"))?;
    Ok(map
        .into_iter()
        .map(|(split, mut stems)| {
            let own = format!("split_{split}.");
            let own: Vec<String> = names
                .iter()
                .filter(|n| n.starts_with(&own) && n.ends_with(".wasm"))
                .filter_map(|n| n.strip_suffix(".wasm").map(str::to_string))
                .collect();
            // The manifest may list the split's own file already: count it once.
            for stem in own {
                if !stems.contains(&stem) {
                    stems.push(stem);
                }
            }
            stems
        })
        .collect())
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
    fn a_page_counts_its_own_chunk_and_the_shared_ones_it_needs() {
        let files = [
            file("atrium.abc.css", 50, 10),
            file("atrium.abc.js", 70, 20),
            file("atrium.abc.wasm", 900, 300),
            file("__wasm_split.abc.js", 9, 3),
            file("split___crm_view_1.def.wasm", 1_200, 400),
            file("split___quotes_view_1.ghi.wasm", 600, 150),
            file("chunk_1.jkl.wasm", 500, 100),
            file("chunk_2.mno.wasm", 300, 60),
        ];
        let routes = vec![
            vec![
                "chunk_1.jkl".to_string(),
                "split___crm_view_1.def".to_string(),
            ],
            vec![
                "chunk_1.jkl".to_string(),
                "chunk_2.mno".to_string(),
                "split___quotes_view_1.ghi".to_string(),
            ],
        ];
        assert_eq!(
            bundle_sizes(&files, &routes),
            [
                ("first_load_brotli", 333),
                ("largest_route_brotli", 500),
                ("largest_chunk_brotli", 400),
                ("total_brotli", 1_043),
                ("main_wasm_plain", 900),
            ]
        );
    }
}
