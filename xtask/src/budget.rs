//! The browser bundle's first-load budget. What a first visit to the dashboard downloads
//! before the page responds (the main wasm, its script, the split loader, the style sheet
//! and the dashboard's bundles; not those of the other pages) is measured with brotli, and
//! `cargo xtask test` fails when it grows more than 5 % past the size written in
//! `xtask/bundle-budget`.
//!
//! Measured at brotli level 9, which takes seconds where level 11 (what is served) takes
//! minutes on a debug bundle; the two move together.

use crate::precompress::Sizes;
use std::collections::BTreeMap;
use std::path::Path;

/// cargo-leptos's `output-name`: the files of the main bundle are named after it.
const OUTPUT_NAME: &str = "atrium";

/// The brotli level of the measure.
const QUALITY: i32 = 9;

/// How far past the budget the first load may grow before the test command fails.
const TOLERANCE_PERCENT: u64 = 5;

/// The lazy function whose page a sign-in lands on, the dashboard (app/src/pages/mod.rs).
pub const LANDING: &str = "dashboard_";

/// Whether a file of `target/site/pkg` is the main bundle's: `atrium.<hash>.wasm`,
/// `atrium.<hash>.js`, `atrium.<hash>.css` and the loader of the split modules.
pub fn is_main(name: &str) -> bool {
    let loads = [".js", ".wasm", ".css"]
        .iter()
        .any(|ext| name.ends_with(ext));
    let main = name
        .strip_prefix(OUTPUT_NAME)
        .is_some_and(|rest| rest.starts_with('.'));
    loads && (main || name.starts_with("__wasm_split."))
}

/// The bundles of the page a sign-in lands on, from the bundles' index (xtask/src/bundle.rs).
pub fn landing(index: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    index
        .iter()
        .filter(|(function, _)| function.starts_with(LANDING))
        .flat_map(|(_, files)| files.iter().cloned())
        .collect()
}

/// The brotli bytes of a first load: the main bundle and the landing page's bundles.
pub fn first_load(files: &[Sizes], landing: &[String]) -> u64 {
    files
        .iter()
        .filter(|f| is_main(&f.name) || landing.contains(&f.name))
        .map(|f| f.brotli)
        .sum()
}

/// The first-load files of a built bundle, each with its brotli size (computed, not written).
pub fn measure(pkg: &Path) -> Result<Vec<Sizes>, String> {
    let landing = landing(&crate::bundle::read_index(pkg)?);
    let entries = std::fs::read_dir(pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_main(&name) || landing.contains(&name) {
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

/// Compares the first load (`measure`) with the budget file's `<profile> <bytes>` line.
pub fn check(files: &[Sizes], profile: &str) -> Result<(), String> {
    let path = crate::root().join("xtask").join("bundle-budget");
    let budget = read(&path, profile)?;
    let size = files.iter().map(|f| f.brotli).sum();
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
        files.iter().map(|f| f.brotli).sum::<u64>(),
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
        assert!(is_main("atrium.hLjLGdVPBhl_9CghvQ9ZxQ.wasm"));
        assert!(is_main("atrium.nQeNhV9B95pj9YiK8G0rMA.js"));
        assert!(is_main("atrium.T5CSo1NkJWYRRhkd8nbwCQ.css"));
        assert!(is_main("__wasm_split.SPYgouW4vCYopTlMs8w2zw.js"));
        assert!(!is_main(
            "__wasm_split_manifest.1ZD2pp53xRXRVpbfoiRgDQ.json"
        ));
        assert!(!is_main("atrium.d.riN5u93AZf6uAGvMUUBXmQ.ts"));
        assert!(!is_main("atrium_bg.wasm.d.Gbi-7OmQ9cjvR8rxBQAoXA.ts"));
        assert!(!is_main("chunk_100.cB0BtTliG2JvwGWbMvhj3A.wasm"));
        assert!(!is_main("crm_board_1.4ad8008b2c0b1d1e.bundle"));
        let index = BTreeMap::from([
            (
                "dashboard_1".to_string(),
                vec![
                    "dashboard_1.a.bundle".to_string(),
                    "shared_0.b.bundle".to_string(),
                ],
            ),
            (
                "crm_board_1".to_string(),
                vec!["crm_board_1.c.bundle".to_string()],
            ),
        ]);
        let landing = landing(&index);
        assert_eq!(landing, ["dashboard_1.a.bundle", "shared_0.b.bundle"]);
        let file = |name: &str, brotli| Sizes {
            name: name.to_string(),
            plain: brotli * 3,
            brotli,
        };
        let files = [
            file("atrium.x.wasm", 300),
            file("__wasm_split.y.js", 5),
            file("dashboard_1.a.bundle", 90),
            file("shared_0.b.bundle", 40),
            file("crm_board_1.c.bundle", 120),
        ];
        assert_eq!(first_load(&files, &landing), 435);
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
