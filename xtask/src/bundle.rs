//! One download per page instead of a hundred. `cargo leptos build --split` cuts the browser
//! code into a wasm module per lazy function (`split_<function>`) and one per set of lazy
//! functions that share code (`chunk_<n>`); a section of the app needs up to 150 of them, each
//! a request of its own, and over a phone's link the round trips, not the bytes, decided how
//! long a page took. Beside the modules this writes, for each lazy function, a bundle of all
//! the modules it needs (`<function>.<hash>.bundle`), and writes the split loader
//! (`__wasm_split.<hash>.js`) again to take the modules it is about to fetch from the
//! function's bundle (xtask/src/split_loader.rs): one request, and brotli compresses the
//! modules together a quarter smaller than one by one. A page's head asks for its bundles
//! ahead (app/src/pages/preload.rs), and the loader compiles them as they arrive.
//!
//! A bundle is a little-endian `u32` length, a JSON index of `[module, bytes]` pairs (a module
//! by its stem, `chunk_18`), then the modules one after another.

use crate::bundle_plan;
use crate::split_loader::{Loader, TAUGHT};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

pub const EXTENSION: &str = ".bundle";

/// The shared bundles' names: `shared_<n>.<hash>.bundle` (xtask/src/bundle_plan.rs).
pub const SHARED: &str = "shared_";

/// Each lazy function's bundles, its own first (`{"crm_pages_42": ["crm_pages_42.<hash>.bundle",
/// "shared_0.<hash>.bundle"]}`), for the server to name them in a page's head.
pub const INDEX: &str = "bundles.json";

/// The most a page's bundle may hold, with brotli: past it, a lazy function shares its
/// modules with the other large ones (xtask/src/bundle_plan.rs).
const PAGE_BUDGET: u64 = 200_000;

/// The brotli level of that measure (what is served, level 11, is a few percent smaller).
const SIZE_QUALITY: i32 = 9;

/// A bundle's modules: each module's stem and file.
type Files = Vec<(String, PathBuf)>;

/// The bundles of the build in `target/site/pkg`: run after each `cargo leptos build --split`.
pub fn write_site() -> Result<(), String> {
    write(&crate::root().join("target").join("site").join("pkg"))
}

/// Writes the bundles of the split build in `pkg`, removes those of earlier builds, names
/// every module by its stem and the build's one suffix (`chunk_18.<build>.wasm`: a release
/// never mixes modules of two builds, and the loader needs no name per module), and writes
/// the loader again (xtask/src/split_loader.rs). A build without `--split` has nothing to
/// bundle; a build already bundled is left as it is.
pub fn write(pkg: &Path) -> Result<(), String> {
    let names = file_names(pkg)?;
    let Some(manifest) = names
        .iter()
        .find(|n| n.starts_with("__wasm_split_manifest") && n.ends_with(".json"))
    else {
        // No bundles: an index left by an earlier split build would name files long gone.
        return match fs::remove_file(pkg.join(INDEX)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!("{INDEX}: {e}")),
            _ => Ok(()),
        };
    };
    let Some(loader_name) = names
        .iter()
        .find(|n| n.starts_with("__wasm_split.") && n.ends_with(".js"))
    else {
        return Err(format!("{}: a split manifest but no loader", pkg.display()));
    };
    let loader_path = pkg.join(loader_name);
    let source = read_text(&loader_path)?;
    if source.starts_with(TAUGHT) {
        return Ok(());
    }
    let loader = Loader::read(&source)?;
    let suffix = build_suffix(&loader.modules);
    let renamed: BTreeMap<&str, String> = loader
        .modules
        .iter()
        .map(|file| (file.as_str(), format!("{}{suffix}", stem(file))))
        .collect();
    let module_path = |file: &str| {
        let old = pkg.join(format!("{file}.wasm"));
        match old.exists() {
            true => old,
            false => pkg.join(format!("{}.wasm", renamed[file])),
        }
    };
    // Each module's file by its stem.
    let by_stem: BTreeMap<&str, PathBuf> = loader
        .modules
        .iter()
        .map(|file| (stem(file), module_path(file)))
        .collect();
    let files = |function: Option<&str>, chunks: &[u32]| -> Result<Files, String> {
        let own = function.map(|key| format!("split_{key}"));
        let stems = chunks.iter().map(|n| format!("chunk_{n}")).chain(own);
        stems
            .map(|stem| match by_stem.get(stem.as_str()) {
                Some(path) => Ok((stem, path.clone())),
                None => Err(format!("{loader_name}: no module {stem}")),
            })
            .collect()
    };
    // The page a sign-in lands on keeps one bundle whatever its size: the first load's budget
    // (xtask/src/budget.rs) holds it, not a page's.
    let mut large = BTreeSet::new();
    for (key, chunks) in &loader.entries {
        if !key.starts_with(crate::budget::LANDING) && is_large(&files(Some(key), chunks)?)? {
            large.insert(key.clone());
        }
    }
    let mut chunk_bytes = BTreeMap::new();
    for chunks in loader.entries.values() {
        for (chunk, (_, path)) in chunks.iter().zip(files(None, chunks)?) {
            let length = fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            chunk_bytes.insert(*chunk, length.len());
        }
    }
    let plan = bundle_plan::plan(&loader.entries, &chunk_bytes, &large);
    let mut shared = Vec::new();
    for (i, chunks) in plan.shared.iter().enumerate() {
        let name = write_bundle(pkg, &format!("{SHARED}{i}"), &files(None, chunks)?)?;
        shared.push((name, chunks.clone()));
    }
    let mut bundles = BTreeMap::new();
    for (key, (own, needs_shared)) in &plan.entries {
        let mut names = vec![write_bundle(pkg, key, &files(Some(key), own)?)?];
        names.extend(needs_shared.iter().map(|&i| shared[i].0.clone()));
        bundles.insert(key.clone(), names);
    }
    let written: BTreeSet<&String> = bundles.values().flatten().collect();
    for stale in names.iter().filter(|n| n.ends_with(EXTENSION)) {
        if !written.contains(stale) {
            fs::remove_file(pkg.join(stale)).map_err(|e| format!("{stale}: {e}"))?;
        }
    }
    for (file, new) in &renamed {
        let old = pkg.join(format!("{file}.wasm"));
        if old.exists() {
            fs::rename(&old, pkg.join(format!("{new}.wasm")))
                .map_err(|e| format!("{file}: {e}"))?;
        }
    }
    rename_in_manifest(&pkg.join(manifest), &renamed)?;
    let index = serde_json::to_string(&bundles).map_err(|e| e.to_string())?;
    fs::write(pkg.join(INDEX), index).map_err(|e| format!("{INDEX}: {e}"))?;
    let source = loader.write(&bundles, &shared, &suffix)?;
    fs::write(&loader_path, source).map_err(|e| format!("{loader_name}: {e}"))
}

/// The index the last bundling wrote in `pkg` (`INDEX`): each lazy function's bundles. Empty
/// for a build without `--split`.
pub fn read_index(pkg: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    match fs::read_to_string(pkg.join(INDEX)) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{INDEX}: {e}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(format!("{INDEX}: {e}")),
    }
}

/// Whether a lazy function's modules, in one bundle, would pass a page's budget.
fn is_large(files: &Files) -> Result<bool, String> {
    let mut bytes = Vec::new();
    for (_, path) in files {
        bytes.extend(fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    if bytes.len() as u64 <= PAGE_BUDGET {
        return Ok(false);
    }
    Ok(crate::precompress::brotli_len(&bytes, SIZE_QUALITY)? > PAGE_BUDGET)
}

/// `.<hash of every module's name>` when cargo-leptos hashed the names (each holds its
/// content's hash), and nothing when it did not.
fn build_suffix(modules: &[String]) -> String {
    if !modules.iter().any(|m| m.contains('.')) {
        return String::new();
    }
    let mut sorted: Vec<&String> = modules.iter().collect();
    sorted.sort();
    let mut hasher = DefaultHasher::new();
    for module in sorted {
        hasher.write(module.as_bytes());
        hasher.write_u8(0);
    }
    format!(".{:016x}", hasher.finish())
}

fn stem(file: &str) -> &str {
    file.split('.').next().unwrap_or(file)
}

/// The manifest Leptos reads to name a lazy route's modules, with their new names.
fn rename_in_manifest(path: &Path, renamed: &BTreeMap<&str, String>) -> Result<(), String> {
    let text = read_text(path)?;
    let mut functions: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for modules in functions.values_mut() {
        for module in modules.iter_mut() {
            if let Some(new) = renamed.get(module.as_str()) {
                *module = new.clone();
            }
        }
    }
    let json = serde_json::to_string(&functions).map_err(|e| e.to_string())?;
    fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes one bundle of `(stem, file)` modules and returns its file name.
fn write_bundle(
    pkg: &Path,
    function: &str,
    modules: &[(String, PathBuf)],
) -> Result<String, String> {
    let mut index = Vec::new();
    let mut body = Vec::new();
    for (stem, path) in modules {
        let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        index.push(serde_json::json!([stem, bytes.len()]));
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
    use crate::split_loader::tests::SOURCE;

    #[test]
    fn a_bundle_holds_its_modules_after_their_index() {
        let dir = std::env::temp_dir().join(format!("atrium-bundle-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("chunk_1.h1.wasm"), b"one").unwrap();
        fs::write(dir.join("chunk_2.h3.wasm"), b"two").unwrap();
        fs::write(dir.join("split_crm_pages_42.h2.wasm"), b"second").unwrap();
        fs::write(
            dir.join("__wasm_split_manifest.m.json"),
            r#"{"crm_pages_42":["chunk_1.h1","chunk_2.h3"]}"#,
        )
        .unwrap();
        fs::write(dir.join("__wasm_split.s.js"), SOURCE).unwrap();
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
            serde_json::json!([["chunk_1", 3], ["chunk_2", 3], ["split_crm_pages_42", 6]])
        );
        assert_eq!(&bytes[4 + length..], b"onetwosecond");
        // Every module carries the build's one suffix, which the loader and manifest name.
        let suffix = build_suffix(&[
            "chunk_1.h1".into(),
            "chunk_2.h3".into(),
            "split_crm_pages_42.h2".into(),
        ]);
        for stem in ["chunk_1", "chunk_2", "split_crm_pages_42"] {
            assert!(names.contains(&format!("{stem}{suffix}.wasm")), "{names:?}");
        }
        let loader = fs::read_to_string(dir.join("__wasm_split.s.js")).unwrap();
        assert!(loader.contains(&format!("const __SUFFIX = \"{suffix}\";")));
        // Within a page's budget, the function's bundle is its only one.
        assert_eq!(
            read_index(&dir).unwrap(),
            BTreeMap::from([("crm_pages_42".to_string(), vec![bundle.clone()])])
        );
        let manifest = fs::read_to_string(dir.join("__wasm_split_manifest.m.json")).unwrap();
        assert_eq!(
            manifest,
            format!(r#"{{"crm_pages_42":["chunk_1{suffix}","chunk_2{suffix}"]}}"#)
        );
        // A second run over the same build changes nothing.
        write(&dir).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("__wasm_split.s.js")).unwrap(),
            loader
        );
        assert_eq!(file_names(&dir).unwrap(), names);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_build_without_hashed_names_keeps_them() {
        assert_eq!(build_suffix(&["chunk_1".into(), "split_a_1".into()]), "");
        assert_eq!(build_suffix(&["chunk_1.x".into()]).len(), 17);
    }
}
