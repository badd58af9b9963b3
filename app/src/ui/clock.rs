//! The signed-in user's clock on both sides: the server takes it from the session and hands
//! it to the browser with the page, so a page that says "today" renders the same day on the
//! server and after hydration, and that day is the user's (not the server's, not UTC).

use crate::domain::Clock;
use leptos::prelude::*;

/// Provides the user's clock to every page; called once, by the app.
pub fn provide_clock() {
    provide_context(SharedValue::new(session_clock).into_inner());
}

/// The signed-in user's clock (UTC for visitors).
pub fn use_clock() -> Clock {
    use_context::<Clock>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn session_clock() -> Clock {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<crate::auth::session::Authenticated>()
                .and_then(|signed_in| signed_in.0.as_ref().map(|user| user.clock()))
        })
        .unwrap_or_default()
}

/// Only reached when the browser renders without the server's page (never on hydration):
/// the browser's own offset, which the shell keeps equal to the user's time zone.
#[cfg(not(feature = "ssr"))]
fn session_clock() -> Clock {
    Clock::new(-(js_sys::Date::new_0().get_timezone_offset() as i32))
}
