//! The browser entry point: takes over the server-rendered page.

// The whole app's view types meet here in one optimised (LTO) build.
#![recursion_limit = "512"]

use leptos::web_sys;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if info.to_string().contains(MISSING_CHUNK) {
            reload_for_new_release();
        }
    }));
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        // A page split off into a chunk of its own (app/src/pages/mod.rs) is fetched before its part
        // of the document is hydrated; only then does every control answer, which the body
        // says with `data-hydrated` (tests and styles rely on it).
        let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        let _ = body.set_attribute("data-hydrated", "true");
        app.forget();
    });
}

/// Room in the data segment for the split (`cargo leptos build --split`). The splitter lays
/// each module's constants out again, each module's block aligned, inside the segment the
/// linker made; when that padding makes the segment longer than it was, it gives up and keeps
/// every constant of the app, half a megabyte, in the main module (its warning "Overlong
/// segment … putting it in main module"). No code reads these bytes, so no module takes them,
/// and the segment has this much room for the padding.
#[used]
static SPLIT_DATA_ROOM: [u8; 4096] = [0x5a; 4096];

/// What the split loader panics with when a chunk cannot be fetched or does not fit the
/// page's main module.
const MISSING_CHUNK: &str = "load callback should succeed";

/// How long after such a reload another one is not tried, so that a chunk that stays
/// missing (offline, a broken server) never loops.
const RELOAD_PAUSE_MS: u64 = 60_000;

const RELOADED_AT: &str = "atrium-chunk-reload";

/// A page whose chunk is gone was served by an older release (its hashed files are replaced
/// by the new release's): the wasm cannot go on, so the page is loaded again, whole and
/// from the new release, instead of mixing the two. At most once a minute.
fn reload_for_new_release() {
    let window = leptos::prelude::window();
    // Whole milliseconds, written and read as an integer: parsing and printing a float
    // would bring the float tables into the main module.
    let now = js_sys::Date::now() as u64;
    let storage: Option<web_sys::Storage> = window.session_storage().ok().flatten();
    if let Some(storage) = &storage {
        let last = storage
            .get_item(RELOADED_AT)
            .ok()
            .flatten()
            .and_then(|at| at.parse::<u64>().ok());
        if last.is_some_and(|at| now.saturating_sub(at) < RELOAD_PAUSE_MS) {
            return;
        }
        let _ = storage.set_item(RELOADED_AT, &now.to_string());
    }
    let _ = window.location().reload();
}
