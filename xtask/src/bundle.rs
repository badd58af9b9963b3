//! One download per page instead of a hundred. `cargo leptos build --split` cuts the browser
//! code into a wasm module per lazy function (`split_<function>`) and one per set of lazy
//! functions that share code (`chunk_<n>`); a section of the app needs up to 150 of them, each
//! a request of its own, and over a phone's link the round trips, not the bytes, decided how
//! long a page took. Beside the modules this writes, for each lazy function, a bundle of all
//! the modules it needs (`<function>.<hash>.bundle`), and teaches the split loader
//! (`__wasm_split.<hash>.js`) to take the modules it is about to fetch from the function's
//! bundle: one request, and brotli compresses the modules together a quarter smaller than one
//! by one. A page's head asks for its bundles ahead (app/src/pages/preload.rs).
//!
//! A bundle is a little-endian `u32` length, a JSON index of `[module, bytes]` pairs, then the
//! modules one after another.

use std::collections::BTreeMap;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

/// What the loader gains, before its first line: the bundle of each lazy function, and the
/// code that fetches modules through them (bundle_loader.js).
const LOADER: &str = include_str!("bundle_loader.js");

/// Marks a loader already taught, so that a second run over an unchanged build does nothing.
const TAUGHT: &str = "// atrium: modules come in bundles";

pub const EXTENSION: &str = ".bundle";

/// The bundles of the build in `target/site/pkg`: run after each `cargo leptos build --split`.
pub fn write_site() -> Result<(), String> {
    write(&crate::root().join("target").join("site").join("pkg"))
}

/// Writes the bundles of the split build in `pkg`, removes those of earlier builds, and
/// rewrites the loader to use them. A build without `--split` has nothing to bundle.
pub fn write(pkg: &Path) -> Result<(), String> {
    let names = file_names(pkg)?;
    let Some(manifest) = names
        .iter()
        .find(|n| n.starts_with("__wasm_split_manifest") && n.ends_with(".json"))
    else {
        return Ok(());
    };
    let Some(loader) = names
        .iter()
        .find(|n| n.starts_with("__wasm_split.") && n.ends_with(".js"))
    else {
        return Err(format!("{}: a split manifest but no loader", pkg.display()));
    };
    let text = read_text(&pkg.join(manifest))?;
    let functions: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&text).map_err(|e| format!("{manifest}: {e}"))?;
    let mut bundles = BTreeMap::new();
    for (function, modules) in &functions {
        let name = write_bundle(pkg, function, &modules_with_own(function, modules, &names))?;
        bundles.insert(function.clone(), name);
    }
    for stale in names.iter().filter(|n| n.ends_with(EXTENSION)) {
        if !bundles.values().any(|name| name == stale) {
            fs::remove_file(pkg.join(stale)).map_err(|e| format!("{stale}: {e}"))?;
        }
    }
    let path = pkg.join(loader);
    let source = read_text(&path)?;
    if !source.starts_with(TAUGHT) {
        fs::write(&path, teach(&source, &bundles)?).map_err(|e| format!("{loader}: {e}"))?;
    }
    Ok(())
}

/// The modules of a lazy function: those the manifest lists, and its own `split_` module.
fn modules_with_own(function: &str, listed: &[String], names: &[String]) -> Vec<String> {
    let own = format!("split_{function}.");
    let mut modules = listed.to_vec();
    for name in names {
        if let Some(stem) = name
            .strip_suffix(".wasm")
            .filter(|_| name.starts_with(&own))
        {
            if !modules.iter().any(|m| m == stem) {
                modules.push(stem.to_string());
            }
        }
    }
    modules
}

/// Writes one bundle and returns its file name.
fn write_bundle(pkg: &Path, function: &str, modules: &[String]) -> Result<String, String> {
    let mut index = Vec::new();
    let mut body = Vec::new();
    for module in modules {
        let bytes = fs::read(pkg.join(format!("{module}.wasm")))
            .map_err(|e| format!("{module}.wasm: {e}"))?;
        index.push(serde_json::json!([module, bytes.len()]));
        body.extend_from_slice(&bytes);
    }
    let index = serde_json::to_vec(&index).map_err(|e| e.to_string())?;
    let length = u32::try_from(index.len()).map_err(|_| "a bundle index past 4 GB".to_string())?;
    let mut bundle = Vec::with_capacity(4 + index.len() + body.len());
    bundle.extend_from_slice(&length.to_le_bytes());
    bundle.extend_from_slice(&index);
    bundle.extend_from_slice(&body);
    let mut hasher = DefaultHasher::new();
    hasher.write(&bundle);
    let name = format!("{function}.{:016x}{EXTENSION}", hasher.finish());
    let path = pkg.join(&name);
    // Unchanged content keeps its file, and so its precompressed variants.
    if fs::read(&path).ok().as_deref() != Some(bundle.as_slice()) {
        fs::write(&path, &bundle).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(name)
}

/// The loader with its fetches going through `__part`, each lazy function's entry point
/// through `__bundledCb`, which names the function whose modules are fetched, and without the
/// comments that list who needs each module.
fn teach(source: &str, bundles: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(source.len() + LOADER.len() + 2048);
    out.push_str(TAUGHT);
    out.push('\n');
    let map = serde_json::to_string(bundles).map_err(|e| e.to_string())?;
    out.push_str(&LOADER.replace("__BUNDLES__", &map));
    let (mut fetches, mut entries) = (0, 0);
    for line in source.split_inclusive('\n') {
        // Each module's comment names every lazy function that needs it: most of the
        // loader's bytes, and part of every first load.
        let trimmed = line.trim();
        if trimmed.starts_with("/*") && trimmed.ends_with("*/") {
            continue;
        }
        let line = match line.split_once("fetch(new URL(\"./") {
            Some((before, rest)) => {
                let (module, after) = rest
                    .split_once(".wasm\", import.meta.url))")
                    .ok_or_else(|| format!("the split loader fetches in an unknown way: {line}"))?;
                fetches += 1;
                format!("{before}__part(\"{module}\"){after}")
            }
            None => line.to_string(),
        };
        let line = match line.split_once(" = wrapAsyncCb(") {
            Some((head, rest)) if head.starts_with("export const __wasm_split_load_") => {
                let function = &head["export const __wasm_split_load_".len()..];
                entries += 1;
                format!("{head} = __bundledCb(\"{function}\", {rest}")
            }
            _ => line,
        };
        out.push_str(&line);
    }
    if fetches == 0 || entries < bundles.len() {
        return Err(format!(
            "the split loader has {fetches} fetches and {entries} entry points for {} lazy \
             functions: its format changed (xtask/src/bundle.rs)",
            bundles.len()
        ));
    }
    Ok(out)
}

fn file_names(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    Ok(names)
}

fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOADER_SOURCE: &str = r#"import { initSync } from "./atrium.abc.js";
/* crm_pages_42, quote_pages_42 */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.h1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_crm_pages_42 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_crm_pages_42.h2.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_1]));
"#;

    #[test]
    fn the_loader_fetches_through_the_bundles() {
        let bundles = BTreeMap::from([(
            "crm_pages_42".to_string(),
            "crm_pages_42.ff.bundle".to_string(),
        )]);
        let taught = teach(LOADER_SOURCE, &bundles).unwrap();
        assert!(taught.starts_with(TAUGHT));
        assert!(taught.contains(r#"{"crm_pages_42":"crm_pages_42.ff.bundle"}"#));
        assert!(taught.contains(r#"const src = __part("chunk_1.h1");"#));
        assert!(taught.contains(r#"const src = __part("split_crm_pages_42.h2");"#));
        assert!(taught.contains(
            r#"export const __wasm_split_load_crm_pages_42 = __bundledCb("crm_pages_42", makeLoad(() => {"#
        ));
        assert!(!taught.contains("fetch(new URL(\"./chunk"));
        assert!(!taught.contains("quote_pages_42"));
    }

    #[test]
    fn a_loader_of_another_format_is_refused() {
        let bundles = BTreeMap::from([("crm_pages_42".to_string(), "x.bundle".to_string())]);
        assert!(teach("const a = 1;\n", &bundles).is_err());
    }

    #[test]
    fn a_bundle_holds_its_modules_after_their_index() {
        let dir = std::env::temp_dir().join(format!("atrium-bundle-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("chunk_1.h1.wasm"), b"one").unwrap();
        fs::write(dir.join("split_crm_pages_42.h2.wasm"), b"second").unwrap();
        fs::write(
            dir.join("__wasm_split_manifest.m.json"),
            r#"{"crm_pages_42":["chunk_1.h1"]}"#,
        )
        .unwrap();
        fs::write(dir.join("__wasm_split.s.js"), LOADER_SOURCE).unwrap();
        fs::write(dir.join("crm_pages_42.old.bundle"), b"stale").unwrap();
        write(&dir).unwrap();
        let names = file_names(&dir).unwrap();
        let bundle = names.iter().find(|n| n.ends_with(EXTENSION)).unwrap();
        assert!(bundle.starts_with("crm_pages_42.") && bundle != "crm_pages_42.old.bundle");
        let bytes = fs::read(dir.join(bundle)).unwrap();
        let length = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
        let index: serde_json::Value = serde_json::from_slice(&bytes[4..4 + length]).unwrap();
        assert_eq!(
            index,
            serde_json::json!([["chunk_1.h1", 3], ["split_crm_pages_42.h2", 6]])
        );
        assert_eq!(&bytes[4 + length..], b"onesecond");
        // A second run over the same build changes nothing.
        let loader = fs::read_to_string(dir.join("__wasm_split.s.js")).unwrap();
        write(&dir).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("__wasm_split.s.js")).unwrap(),
            loader
        );
        assert_eq!(file_names(&dir).unwrap(), names);
        fs::remove_dir_all(&dir).unwrap();
    }
}
