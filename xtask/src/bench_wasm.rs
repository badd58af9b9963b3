//! `cargo xtask bench wasm`: what the browser bundle costs a phone. The brotli bytes of the
//! release bundle as `SIZE` lines, then the first paint and the time to interactive of three
//! pages in Chromium throttled to a slow phone (end2end/bench/interactive.mjs).

use crate::budget::{self, is_first_load};
use crate::precompress::Sizes;
use crate::{bundle, e2e, precompress, setup, shell};

pub fn run() -> Result<(), String> {
    let root = crate::root();
    setup::ensure_tools()?;
    shell::run(shell::cargo().args(["leptos", "build", "--release", "--split"]))?;
    let within_budget = sizes().and_then(|()| {
        let pkg = root.join("target").join("site").join("pkg");
        budget::measure(&pkg).and_then(|first| budget::check_if_set(&first, "release"))
    });
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

/// Bundles and precompresses the browser build in target/site/pkg and prints its sizes as
/// `SIZE` lines.
pub fn sizes() -> Result<(), String> {
    bundle::write_site()?;
    shell::step("sizes of the precompressed browser bundle");
    let pkg = crate::root().join("target").join("site").join("pkg");
    let files = precompress::pkg(&pkg)?;
    for (label, bytes) in bundle_sizes(&files) {
        println!("SIZE {label} {bytes}");
    }
    Ok(())
}

/// What a first load downloads; the most a page adds to it on its first visit (the largest
/// section's bundle with the list engine's, xtask/src/bundle.rs); the largest single module;
/// every module, once; and the main wasm before compression. Then each bundle on its own.
fn bundle_sizes(files: &[Sizes]) -> Vec<(String, u64)> {
    let bundles = || files.iter().filter(|f| f.name.ends_with(bundle::EXTENSION));
    let function = |f: &Sizes| f.name.split('.').next().unwrap_or_default().to_string();
    let list_engine = bundles()
        .find(|f| f.name.starts_with("list_engine_"))
        .map_or(0, |f| f.brotli);
    let largest_section = bundles()
        .filter(|f| !f.name.starts_with("list_engine_"))
        .map(|f| f.brotli)
        .max()
        .unwrap_or(0);
    let modules = || {
        files
            .iter()
            .filter(|f| f.name.ends_with(".wasm") && !is_first_load(&f.name))
    };
    let main_wasm = files
        .iter()
        .filter(|f| f.name.ends_with(".wasm") && is_first_load(&f.name))
        .map(|f| f.plain)
        .sum();
    let mut sizes = vec![
        ("first_load_brotli".to_string(), budget::first_load(files)),
        (
            "largest_route_brotli".to_string(),
            largest_section + list_engine,
        ),
        (
            "largest_chunk_brotli".to_string(),
            modules().map(|f| f.brotli).max().unwrap_or(0),
        ),
        (
            "total_brotli".to_string(),
            files
                .iter()
                .filter(|f| !f.name.ends_with(bundle::EXTENSION))
                .map(|f| f.brotli)
                .sum(),
        ),
        ("main_wasm_plain".to_string(), main_wasm),
    ];
    let mut each: Vec<(String, u64)> = bundles()
        .map(|f| (format!("bundle_{}_brotli", function(f)), f.brotli))
        .collect();
    each.sort();
    sizes.extend(each);
    sizes
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
    fn a_page_counts_its_bundle_and_the_list_engine() {
        let files = [
            file("atrium.abc.css", 50, 10),
            file("atrium.abc.js", 70, 20),
            file("atrium.abc.wasm", 900, 300),
            file("__wasm_split.abc.js", 9, 3),
            file("split_crm_pages_1.def.wasm", 1_200, 400),
            file("split_list_engine_2.ghi.wasm", 600, 150),
            file("chunk_1.jkl.wasm", 500, 100),
            file("crm_pages_1.f00.bundle", 1_700, 450),
            file("list_engine_2.f01.bundle", 1_100, 220),
        ];
        let sizes = bundle_sizes(&files);
        let expected = [
            ("first_load_brotli", 333),
            ("largest_route_brotli", 670),
            ("largest_chunk_brotli", 400),
            ("total_brotli", 983),
            ("main_wasm_plain", 900),
            ("bundle_crm_pages_1_brotli", 450),
            ("bundle_list_engine_2_brotli", 220),
        ];
        assert_eq!(
            sizes,
            expected
                .map(|(label, bytes)| (label.to_string(), bytes))
                .to_vec()
        );
    }
}
