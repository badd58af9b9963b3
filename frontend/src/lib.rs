//! The browser entry point: takes over the server-rendered page.

// The whole app's view types meet here in one optimised (LTO) build.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        // A page split off into a chunk of its own (app/src/pages.rs) is fetched before its part
        // of the document is hydrated; only then does every control answer, which the body
        // says with `data-hydrated` (tests and styles rely on it).
        let app = leptos::mount::hydrate_from_async(body.clone(), app::App).await;
        let _ = body.set_attribute("data-hydrated", "true");
        app.forget();
    });
}
