//! Going to another page from inside a callback. A navigation disposes the page that asked
//! for it, and with it any dialog, form or task whose callback is still running: the
//! callback would then touch disposed signals. So every "done, now go there" waits for its
//! own turn of the event loop, after the callback has returned.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// A function that goes to a path once the current callback has returned.
pub fn use_go_to() -> impl Fn(&str) + Clone + Send + Sync + 'static {
    let navigate = use_navigate();
    move |href: &str| {
        let navigate = navigate.clone();
        let href = href.to_string();
        set_timeout(
            move || navigate(&href, Default::default()),
            std::time::Duration::ZERO,
        );
    }
}
