//! The browser entry point: takes over the server-rendered page.

// The whole app's view types meet here in one optimised (LTO) build.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
