//! The service worker, generated per build: it pre-caches this build's hashed files under a
//! cache named after them, so a new build gets a new cache and the old one is dropped. Pages
//! themselves are never cached: an HTML page is never served against a newer wasm. Without a
//! network, navigations get the offline page.

use app::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

/// The static files to pre-cache: what the browser loads from `pkg/`, and the offline page and
/// icons. A split build's modules are kept as the bundles the loader takes them from
/// (xtask/src/bundle.rs), not one by one as well.
fn precache_list(site_root: &Path, pkg_dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(site_root.join(pkg_dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        // Not the TypeScript declarations beside them.
        .filter(|name| {
            [".js", ".wasm", ".css", ".bundle"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .filter(|name| {
            let module = name.starts_with("chunk_") || name.starts_with("split_");
            !(module && name.ends_with(".wasm"))
        })
        .map(|name| format!("/{pkg_dir}/{name}"))
        .collect();
    files.sort();
    files.extend(
        [
            "/offline.html",
            "/offline.css",
            "/icons/icon.svg",
            "/icons/icon-192.png",
            "/icons/icon-512.png",
            "/manifest.webmanifest",
        ]
        .map(String::from),
    );
    files
}

/// The worker's code; `__CACHE__` and `__PRECACHE__` are this build's cache name and files.
const TEMPLATE: &str = include_str!("service_worker.js");

pub fn script(site_root: &Path, pkg_dir: &str) -> String {
    let files = precache_list(site_root, pkg_dir);
    let mut hasher = DefaultHasher::new();
    files.hash(&mut hasher);
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    let version = format!("atrium-{:016x}", hasher.finish());
    let list = serde_json::to_string(&files).unwrap_or_else(|_| "[]".into());
    TEMPLATE
        .replace("__CACHE__", &version)
        .replace("__PRECACHE__", &list)
}

/// Serves the worker, made once per process: a build's files do not change while it runs.
pub async fn service_worker(State(state): State<AppState>) -> impl IntoResponse {
    static SCRIPT: OnceLock<String> = OnceLock::new();
    let body = SCRIPT
        .get_or_init(|| {
            let options = &state.leptos_options;
            script(
                Path::new(options.site_root.as_ref()),
                options.site_pkg_dir.as_ref(),
            )
        })
        .clone();
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::script;

    #[test]
    fn the_cache_name_changes_with_the_build_files() {
        let dir = std::env::temp_dir().join(format!("atrium-sw-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join("pkg/atrium.aaa.wasm"), b"").unwrap();
        let first = script(&dir, "pkg");
        assert!(first.contains("/pkg/atrium.aaa.wasm"));
        std::fs::remove_file(dir.join("pkg/atrium.aaa.wasm")).unwrap();
        std::fs::write(dir.join("pkg/atrium.bbb.wasm"), b"").unwrap();
        let second = script(&dir, "pkg");
        let cache_line = |s: &str| s.lines().nth(1).unwrap().to_string();
        assert_ne!(cache_line(&first), cache_line(&second));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_split_build_is_kept_as_its_bundles() {
        let dir = std::env::temp_dir().join(format!("atrium-sw-split-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        for name in [
            "atrium.a.wasm",
            "__wasm_split.b.js",
            "chunk_1.c.wasm",
            "split_crm_pages_1.d.wasm",
            "crm_pages_1.e.bundle",
            "crm_pages_1.e.bundle.br",
        ] {
            std::fs::write(dir.join("pkg").join(name), b"").unwrap();
        }
        let script = script(&dir, "pkg");
        for kept in [
            "atrium.a.wasm",
            "__wasm_split.b.js",
            "crm_pages_1.e.bundle\"",
        ] {
            assert!(script.contains(&format!("/pkg/{kept}")), "{kept}");
        }
        for left in ["chunk_1", "split_crm_pages_1", ".bundle.br"] {
            assert!(!script.contains(left), "{left}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
