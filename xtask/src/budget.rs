//! The browser bundle's first-load budget. What a first visit to the dashboard downloads
//! before the page responds (the main wasm, its script, the split loader, the style sheet
//! and the dashboard's bundle; not the chunks of the other pages) is measured with brotli, and `cargo xtask test` fails when it grows
//! more than 5 % past the size written in `xtask/bundle-budget`.
//!
//! Measured at brotli level 9, which takes seconds where level 11 (what is served) takes
//! minutes on a debug bundle; the two move together.

use crate::precompress::Sizes;
use std::path::Path;

/// cargo-leptos's `output-name`: the files of the main bundle are named after it.
const OUTPUT_NAME: &str = "atrium";

/// The brotli level of the measure.
const QUALITY: i32 = 9;

/// How far past the budget the first load may grow before the test command fails.
const TOLERANCE_PERCENT: u64 = 5;

/// Whether a file of `target/site/pkg` is part of the first load: `atrium.<hash>.wasm`,
/// `atrium.<hash>.js`, `atrium.<hash>.css`, the loader of the split chunks, and the bundle
/// of the dashboard (app/src/pages/mod.rs), the page a sign-in lands on.
pub fn is_first_load(name: &str) -> bool {
    let loads = [".js", ".wasm", ".css"]
        .iter()
        .any(|ext| name.ends_with(ext));
    let main = name
        .strip_prefix(OUTPUT_NAME)
        .is_some_and(|rest| rest.starts_with('.'));
    let dashboard = name.starts_with("dashboard_") && name.ends_with(crate::bundle::EXTENSION);
    (loads && (main || name.starts_with("__wasm_split."))) || dashboard
}

/// The brotli bytes of a first load.
pub fn first_load(files: &[Sizes]) -> u64 {
    files
        .iter()
        .filter(|f| is_first_load(&f.name))
        .map(|f| f.brotli)
        .sum()
}

/// The first-load files of a built bundle, each with its brotli size (computed, not written).
pub fn measure(pkg: &Path) -> Result<Vec<Sizes>, String> {
    let entries = std::fs::read_dir(pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_first_load(&name) {
            let path = entry.path();
            files.push(Sizes {
                plain: entry.metadata().map_err(|e| format!("{name}: {e}"))?.len(),
                brotli: crate::precompress::brotli_size(&path, QUALITY)?,
                name,
            });
        }
    }
    Ok(files)
}

/// Compares the first load with the budget file's `<profile> <bytes>` line.
pub fn check(files: &[Sizes], profile: &str) -> Result<(), String> {
    let path = crate::root().join("xtask").join("bundle-budget");
    let budget = read(&path, profile)?;
    let size = first_load(files);
    println!("first load ({profile}): {size} bytes with brotli; budget {budget}");
    verdict(size, budget).map_err(|excess| {
        format!(
            "the first load grew {excess:.1} % past its budget ({budget} → {size} bytes with \
             brotli, {}): load what grew with its own page (app/src/pages/mod.rs), or raise the \
             budget in the same commit and say why",
            path.display()
        )
    })
}

/// As `check`, but a profile without a line is only measured (the release line is written
/// from the first `cargo xtask bench wasm` of a change that moves it).
pub fn check_if_set(files: &[Sizes], profile: &str) -> Result<(), String> {
    let path = crate::root().join("xtask").join("bundle-budget");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if parse(&text, profile).is_some() {
        return check(files, profile);
    }
    println!(
        "first load ({profile}): {} bytes with brotli; {} has no `{profile}` line yet",
        first_load(files),
        path.display()
    );
    Ok(())
}

/// `Err(percent over the budget)` when `size` passes the tolerance.
fn verdict(size: u64, budget: u64) -> Result<(), f64> {
    if size * 100 > budget * (100 + TOLERANCE_PERCENT) {
        Err((size as f64 / budget as f64 - 1.0) * 100.0)
    } else {
        Ok(())
    }
}

fn read(path: &Path, profile: &str) -> Result<u64, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text, profile).ok_or_else(|| {
        format!(
            "{}: no `{profile} <bytes>` line (lines starting with # are comments)",
            path.display()
        )
    })
}

fn parse(text: &str, profile: &str) -> Option<u64> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (key, value) = line.split_once(char::is_whitespace)?;
            (key == profile).then(|| value.trim().parse().ok())?
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_load_is_the_main_bundle_the_split_loader_and_the_dashboard() {
        assert!(is_first_load("atrium.hLjLGdVPBhl_9CghvQ9ZxQ.wasm"));
        assert!(is_first_load("atrium.nQeNhV9B95pj9YiK8G0rMA.js"));
        assert!(is_first_load("atrium.T5CSo1NkJWYRRhkd8nbwCQ.css"));
        assert!(is_first_load("__wasm_split.SPYgouW4vCYopTlMs8w2zw.js"));
        assert!(is_first_load(
            "dashboard_10176759369935534941.4ad8008b2c0b1d1e.bundle"
        ));
        assert!(!is_first_load(
            "crm_board_10176759369935534941.4ad8008b2c0b1d1e.bundle"
        ));
        assert!(!is_first_load(
            "__wasm_split_manifest.1ZD2pp53xRXRVpbfoiRgDQ.json"
        ));
        assert!(!is_first_load("atrium.d.riN5u93AZf6uAGvMUUBXmQ.ts"));
        assert!(!is_first_load("atrium_bg.wasm.d.Gbi-7OmQ9cjvR8rxBQAoXA.ts"));
        assert!(!is_first_load("chunk_100.cB0BtTliG2JvwGWbMvhj3A.wasm"));
        assert!(!is_first_load(
            "split___crm_route_view_18312628433505087687.KMi36iybgMAYnTSwR6BcDw.wasm"
        ));
    }

    #[test]
    fn five_percent_past_the_budget_passes_and_more_fails() {
        assert_eq!(verdict(105_000, 100_000), Ok(()));
        assert_eq!(verdict(90_000, 100_000), Ok(()));
        let excess = verdict(106_000, 100_000).unwrap_err();
        assert!((excess - 6.0).abs() < 1e-9);
    }

    #[test]
    fn the_budget_line_of_a_profile_is_found_among_comments() {
        let text = "# first load\ndebug 1234\n# release\nrelease   567\n";
        assert_eq!(parse(text, "debug"), Some(1234));
        assert_eq!(parse(text, "release"), Some(567));
        assert_eq!(parse(text, "test"), None);
        assert_eq!(parse("debug x", "debug"), None);
    }
}
