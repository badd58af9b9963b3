//! What only the browser loads (a `LocalResource`) is read through [`InBrowser`].
//!
//! On the server such a resource never answers. Reading it inside a `<Suspense>` or
//! `<Transition>` makes the boundary give up and send its fallback, so the page arrives as
//! "Loading…", and the boundary's effect outlives the page and touches disposed signals. The
//! server therefore renders these reads as "not answered yet", without reading, which is also
//! what the browser sees when it takes the page over: the two renders match.

use leptos::prelude::*;
use std::future::Future;

pub trait InBrowser<T> {
    /// The answer once the browser has it (tracked); `None` on the server and until then.
    fn in_browser(&self) -> Option<T>;

    /// Waits for the answer in the browser; on the server it is at once `None`, which renders
    /// as a pending `Suspend` does.
    fn in_browser_later(self) -> impl Future<Output = Option<T>> + Send + 'static;
}

impl<T: Clone + Send + Sync + 'static> InBrowser<T> for LocalResource<T> {
    fn in_browser(&self) -> Option<T> {
        if cfg!(feature = "ssr") {
            None
        } else {
            self.try_get().flatten()
        }
    }

    async fn in_browser_later(self) -> Option<T> {
        if cfg!(feature = "ssr") {
            None
        } else {
            Some(self.await)
        }
    }
}
