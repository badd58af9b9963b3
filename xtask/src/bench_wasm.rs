//! `cargo xtask bench wasm`: what the browser bundle costs a phone. The brotli bytes of the
//! release bundle as `SIZE` lines, then the first paint and the time to interactive of three
//! pages in Chromium throttled to a slow phone (end2end/bench/interactive.mjs).

use crate::budget;
use crate::precompress::Sizes;
use crate::{bundle, e2e, precompress, setup, shell};
use std::collections::{BTreeMap, BTreeSet};

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
    for (label, bytes) in bundle_sizes(&files, &bundle::read_index(&pkg)?) {
        println!("SIZE {label} {bytes}");
    }
    Ok(())
}

/// What a first load downloads; the most a page adds to it on its first visit (the bundles
/// of the section that needs the most with the list engine's, each once; xtask/src/bundle.rs);
/// the largest bundle and the largest single module; every module, once; and the main wasm
/// before compression. Then each bundle on its own.
fn bundle_sizes(files: &[Sizes], index: &BTreeMap<String, Vec<String>>) -> Vec<(String, u64)> {
    let brotli = |name: &String| {
        files
            .iter()
            .find(|f| &f.name == name)
            .map_or(0, |f| f.brotli)
    };
    let is_list_engine = |function: &String| function.starts_with("list_engine_");
    let list_engine = index
        .iter()
        .filter(|(function, _)| is_list_engine(function))
        .flat_map(|(_, names)| names);
    let largest_route = index
        .iter()
        .filter(|(function, _)| !is_list_engine(function))
        .map(|(_, names)| {
            let page: BTreeSet<&String> = names.iter().chain(list_engine.clone()).collect();
            page.into_iter().map(brotli).sum()
        })
        .max()
        .unwrap_or(0);
    let bundles = || files.iter().filter(|f| f.name.ends_with(bundle::EXTENSION));
    let landing = budget::landing(index);
    let modules = || {
        files
            .iter()
            .filter(|f| f.name.ends_with(".wasm") && !budget::is_main(&f.name))
    };
    let main_wasm = files
        .iter()
        .filter(|f| f.name.ends_with(".wasm") && budget::is_main(&f.name))
        .map(|f| f.plain)
        .sum();
    let mut sizes = vec![
        (
            "first_load_brotli".to_string(),
            budget::first_load(files, &landing),
        ),
        ("largest_route_brotli".to_string(), largest_route),
        (
            "largest_bundle_brotli".to_string(),
            bundles().map(|f| f.brotli).max().unwrap_or(0),
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
    let function = |f: &Sizes| f.name.split('.').next().unwrap_or_default().to_string();
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
    fn a_page_counts_its_bundles_and_the_list_engine_s_each_once() {
        let files = [
            file("atrium.abc.css", 50, 10),
            file("atrium.abc.js", 70, 20),
            file("atrium.abc.wasm", 900, 300),
            file("__wasm_split.abc.js", 9, 3),
            file("split_crm_pages_1.def.wasm", 1_200, 400),
            file("split_list_engine_2.ghi.wasm", 600, 150),
            file("chunk_1.jkl.wasm", 500, 100),
            file("crm_pages_1.f00.bundle", 1_000, 180),
            file("list_engine_2.f01.bundle", 700, 120),
            file("shared_0.f02.bundle", 600, 100),
            file("dashboard_3.f03.bundle", 300, 60),
        ];
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let index = BTreeMap::from([
            (
                "crm_pages_1".to_string(),
                names(&["crm_pages_1.f00.bundle", "shared_0.f02.bundle"]),
            ),
            (
                "list_engine_2".to_string(),
                names(&["list_engine_2.f01.bundle", "shared_0.f02.bundle"]),
            ),
            (
                "dashboard_3".to_string(),
                names(&["dashboard_3.f03.bundle"]),
            ),
        ]);
        let sizes = bundle_sizes(&files, &index);
        let expected = [
            ("first_load_brotli", 393),
            ("largest_route_brotli", 400),
            ("largest_bundle_brotli", 180),
            ("largest_chunk_brotli", 400),
            ("total_brotli", 983),
            ("main_wasm_plain", 900),
            ("bundle_crm_pages_1_brotli", 180),
            ("bundle_dashboard_3_brotli", 60),
            ("bundle_list_engine_2_brotli", 120),
            ("bundle_shared_0_brotli", 100),
        ];
        assert_eq!(
            sizes,
            expected
                .map(|(label, bytes)| (label.to_string(), bytes))
                .to_vec()
        );
    }
}
