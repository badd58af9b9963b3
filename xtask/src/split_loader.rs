//! cargo-leptos's split loader (`__wasm_split.<hash>.js`), read and written again smaller.
//! As written, it declares each of its 500-odd modules in five lines with the module's file
//! name, and lists, for each lazy function, every module it needs by name: 15 KB with brotli,
//! in every first load. Here each module is named by its stem alone (the build's one suffix
//! makes its file name, xtask/src/bundle.rs), a lazy function's modules are ranges of chunk
//! numbers, and every module goes through the bundles' fetch (bundle_loader.js).
//!
//! The loader's format is checked line by line against the one this was written for; another
//! format fails the build, naming this file, rather than ship a loader that half works.

use std::collections::BTreeMap;

/// What the loader gains after its own functions: the bundles' fetch and the compact
/// declarations (bundle_loader.js).
const RUNTIME: &str = include_str!("bundle_loader.js");

/// Marks a loader already rewritten, so that a second run over the same build does nothing.
pub const TAUGHT: &str = "// atrium: modules come in bundles";

/// A split loader, read.
#[derive(Debug, PartialEq)]
pub struct Loader {
    /// Its import of the main module and its own functions, without comments.
    pub preamble: String,
    /// Each module's file name without `.wasm` (`chunk_18.<hash>`, `split_<key>.<hash>`), in
    /// the loader's order.
    pub modules: Vec<String>,
    /// Each lazy function's key, with the chunk numbers it needs.
    pub entries: BTreeMap<String, Vec<u32>>,
    /// What a debug build wraps each instantiation in (`debugWrap`, which names a module of
    /// another build in the error), or nothing.
    pub wrap: Option<String>,
}

impl Loader {
    pub fn read(source: &str) -> Result<Self, String> {
        let lines: Vec<&str> = source
            .lines()
            .filter(|line| {
                let line = line.trim();
                !(line.starts_with("/*") && line.ends_with("*/"))
            })
            .collect();
        let first = lines
            .iter()
            .position(|line| line.starts_with("const __") || line.starts_with("export const __"))
            .ok_or_else(|| changed("no module declarations"))?;
        let mut loader = Loader {
            preamble: lines[..first].join("\n") + "\n",
            modules: Vec::new(),
            entries: BTreeMap::new(),
            wrap: None,
        };
        for declaration in lines[first..].chunks(5) {
            loader.declaration(&declaration.join("\n"))?;
        }
        if loader.entries.is_empty() {
            return Err(changed("no lazy functions"));
        }
        Ok(loader)
    }

    /// One module's five lines: a chunk (`const __chunk_N`, needing nothing) or a lazy
    /// function's entry point (`export const __wasm_split_load_<key>`, its own module
    /// `split_<key>` and the chunks it needs).
    fn declaration(&mut self, text: &str) -> Result<(), String> {
        let (head, rest) = text
            .split_once(" = ")
            .ok_or_else(|| changed(first_line(text)))?;
        let (file, rest) = rest
            .split_once("fetch(new URL(\"./")
            .and_then(|(_, rest)| rest.split_once(".wasm\""))
            .ok_or_else(|| changed(first_line(text)))?;
        let deps = rest
            .rsplit_once(", [")
            .and_then(|(_, list)| list.split_once(']'))
            .map(|(list, _)| list)
            .ok_or_else(|| changed(first_line(text)))?;
        let stem = file.split('.').next().unwrap_or(file);
        let wrap = rest
            .split_once("return async (imports) => ")
            .and_then(|(_, rest)| rest.split_once("(WebAssembly.instantiateStreaming"))
            .map(|(wrap, _)| wrap)
            .filter(|wrap| wrap.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .ok_or_else(|| changed(first_line(text)))?;
        let wrap = (!wrap.is_empty()).then(|| wrap.to_string());
        if self.modules.is_empty() {
            self.wrap = wrap.clone();
        } else if wrap != self.wrap {
            return Err(changed(first_line(text)));
        }
        let (expected, key) =
            if let Some(key) = head.strip_prefix("export const __wasm_split_load_") {
                (
                    format!("{head} = wrapAsyncCb({});", make_load(file, &wrap, deps)),
                    Some(key),
                )
            } else {
                (format!("{head} = {};", make_load(file, &wrap, deps)), None)
            };
        if text != expected {
            return Err(changed(first_line(text)));
        }
        match key {
            Some(key) if stem == format!("split_{key}") => {
                let chunks = deps
                    .split(", ")
                    .filter(|d| !d.is_empty())
                    .map(|d| chunk_number(d.strip_prefix("__")?))
                    .collect::<Option<Vec<u32>>>()
                    .ok_or_else(|| changed(first_line(text)))?;
                self.entries.insert(key.to_string(), chunks);
                self.modules.push(file.to_string());
            }
            None if deps.is_empty()
                && chunk_number(stem).is_some()
                && head == format!("const __{stem}") =>
            {
                self.modules.push(file.to_string())
            }
            _ => return Err(changed(first_line(text))),
        }
        Ok(())
    }

    /// The loader again: its preamble, the runtime with each lazy function's bundles, the
    /// shared bundles' chunks and the suffix of every module's file name, then one line per
    /// lazy function.
    pub fn write(
        &self,
        bundles: &BTreeMap<String, Vec<String>>,
        shared: &[(String, Vec<u32>)],
        suffix: &str,
    ) -> Result<String, String> {
        if let Some(missing) = self.entries.keys().find(|key| !bundles.contains_key(*key)) {
            return Err(format!("the lazy function {missing} has no bundle"));
        }
        let names: Vec<&str> = shared.iter().map(|(name, _)| name.as_str()).collect();
        let map: BTreeMap<&String, Vec<serde_json::Value>> = bundles
            .iter()
            .map(|(key, files)| {
                let own = files.first().map(|f| serde_json::json!(f));
                let shared = files[1.min(files.len())..].iter().map(|file| {
                    names
                        .iter()
                        .position(|name| name == file)
                        .map(|i| serde_json::json!(i))
                        .ok_or_else(|| format!("{key}: {file} is not a shared bundle"))
                });
                own.into_iter()
                    .map(Ok)
                    .chain(shared)
                    .collect::<Result<_, _>>()
                    .map(|list| (key, list))
            })
            .collect::<Result<_, String>>()?;
        let map = serde_json::to_string(&map).map_err(|e| e.to_string())?;
        let held = serde_json::to_string(&held(shared)?).map_err(|e| e.to_string())?;
        let shared = serde_json::to_string(&names).map_err(|e| e.to_string())?;
        let mut out = format!("{TAUGHT}\n{}", without_comments(&self.preamble));
        let wrap = self.wrap.as_deref().unwrap_or("(loading) => loading");
        out.push_str(&without_comments(
            &RUNTIME
                .replace("__BUNDLES__", &map)
                .replace("__SHARED__", &shared)
                .replace("__HELD__", &held)
                .replace(
                    "__SUFFIX__",
                    &serde_json::to_string(suffix).unwrap_or_default(),
                )
                .replace("__WRAP__", wrap),
        ));
        for (key, chunks) in &self.entries {
            out.push_str(&format!(
                "export const __wasm_split_load_{key} = __entry(\"{key}\", \"{}\");\n",
                ranges(chunks)
            ));
        }
        Ok(out)
    }
}

fn make_load(file: &str, wrap: &Option<String>, deps: &str) -> String {
    let wrap = wrap.as_deref().unwrap_or_default();
    format!(
        "makeLoad(() => {{\n    const src = fetch(new URL(\"./{file}.wasm\", import.meta.url));\n    \
         return async (imports) => {wrap}(WebAssembly.instantiateStreaming(src, imports));\n}}\n, [{deps}])"
    )
}

/// The script without its lines of comment: every first load downloads it.
fn without_comments(script: &str) -> String {
    script
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// `[26, "00.1"]`: for each chunk from the first one held (26), the number of the shared
/// bundle holding it in base 36, or `.` for none.
fn held(shared: &[(String, Vec<u32>)]) -> Result<(u32, String), String> {
    if shared.len() > 36 {
        return Err(format!(
            "{} shared bundles: the loader numbers 36",
            shared.len()
        ));
    }
    let mut holder = BTreeMap::new();
    for (i, (_, chunks)) in shared.iter().enumerate() {
        holder.extend(chunks.iter().map(|&chunk| (chunk, i as u32)));
    }
    let (Some(&first), Some(&last)) = (holder.keys().next(), holder.keys().next_back()) else {
        return Ok((0, String::new()));
    };
    let held = (first..=last)
        .map(|chunk| match holder.get(&chunk) {
            Some(&i) => char::from_digit(i, 36).unwrap_or('.'),
            None => '.',
        })
        .collect();
    Ok((first, held))
}

fn chunk_number(stem: &str) -> Option<u32> {
    stem.strip_prefix("chunk_")?.parse().ok()
}

/// `19-21,23,30-42`: sorted numbers as runs.
fn ranges(numbers: &[u32]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for n in sorted {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == n => *last = n,
            _ => runs.push((n, n)),
        }
    }
    runs.iter()
        .map(|&(from, to)| {
            if from == to {
                from.to_string()
            } else {
                format!("{from}-{to}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn changed(at: &str) -> String {
    format!("the split loader's format changed (xtask/src/split_loader.rs), at: {at}")
}

#[cfg(test)]
pub mod tests {
    use super::*;

    pub const SOURCE: &str = r#"import { initSync } from "./atrium.abc.js";

function makeLoad(fetcher, deps) {}
/* crm_pages_42, quote_pages_42 */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.h1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
const __chunk_2 = makeLoad(() => {
    const src = fetch(new URL("./chunk_2.h3.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_crm_pages_42 = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_crm_pages_42.h2.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_1, __chunk_2]));
"#;

    #[test]
    fn the_loader_is_read_into_its_modules_and_entries() {
        let loader = Loader::read(SOURCE).unwrap();
        assert_eq!(
            loader.preamble,
            "import { initSync } from \"./atrium.abc.js\";\n\nfunction makeLoad(fetcher, deps) {}\n"
        );
        assert_eq!(
            loader.modules,
            ["chunk_1.h1", "chunk_2.h3", "split_crm_pages_42.h2"]
        );
        assert_eq!(
            loader.entries,
            BTreeMap::from([("crm_pages_42".to_string(), vec![1, 2])])
        );
    }

    #[test]
    fn the_loader_is_written_with_ranges_and_without_file_names() {
        let bundles = BTreeMap::from([(
            "crm_pages_42".to_string(),
            vec![
                "crm_pages_42.ff.bundle".to_string(),
                "shared_0.ee.bundle".to_string(),
            ],
        )]);
        let shared = [("shared_0.ee.bundle".to_string(), vec![2, 4])];
        let written = Loader::read(SOURCE)
            .unwrap()
            .write(&bundles, &shared, ".b1")
            .unwrap();
        assert!(written.starts_with(TAUGHT));
        assert!(
            written.contains(r#"const __BUNDLES = {"crm_pages_42":["crm_pages_42.ff.bundle",0]};"#)
        );
        assert!(written.contains(r#"const __SHARED = ["shared_0.ee.bundle"];"#));
        assert!(written.contains(r#"const __HELD = [2,"0.0"];"#));
        assert!(written.contains(r#"const __SUFFIX = ".b1";"#));
        assert!(written.contains(
            "export const __wasm_split_load_crm_pages_42 = __entry(\"crm_pages_42\", \"1-2\");\n"
        ));
        assert!(!written.contains(".h1") && !written.contains("quote_pages_42"));
        assert!(
            written
                .lines()
                .skip(1)
                .all(|line| !line.trim().starts_with("//")),
            "no comments after the marker"
        );
        assert!(
            Loader::read(&written).is_err(),
            "written once, not read again"
        );
    }

    #[test]
    fn a_loader_of_another_format_is_refused() {
        assert!(Loader::read("const a = 1;\n").is_err());
        let other = SOURCE.replace("instantiateStreaming(src", "instantiate(src");
        assert!(Loader::read(&other)
            .unwrap_err()
            .contains("const __chunk_1"));
        let dependent = SOURCE.replace(
            ", []);\nconst __chunk_2",
            ", [__chunk_2]);\nconst __chunk_2",
        );
        assert!(Loader::read(&dependent).is_err());
    }

    #[test]
    fn a_debug_build_keeps_its_wrapper() {
        let debug = SOURCE.replace("=> (WebAssembly", "=> debugWrap(WebAssembly");
        let loader = Loader::read(&debug).unwrap();
        assert_eq!(loader.wrap.as_deref(), Some("debugWrap"));
        let bundles = BTreeMap::from([("crm_pages_42".to_string(), vec!["b.bundle".to_string()])]);
        let written = loader.write(&bundles, &[], "").unwrap();
        assert!(written.contains("const __WRAP = debugWrap;"));
        let mixed = debug.replacen("=> debugWrap(WebAssembly", "=> (WebAssembly", 1);
        assert!(Loader::read(&mixed).is_err());
        assert_eq!(Loader::read(SOURCE).unwrap().wrap, None);
    }

    #[test]
    fn numbers_are_written_as_runs() {
        assert_eq!(ranges(&[30, 19, 20, 21, 23, 31, 32]), "19-21,23,30-32");
        assert_eq!(ranges(&[]), "");
    }
}
