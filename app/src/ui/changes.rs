//! How a page changes what it shows. A page holds one `Changes`; every button or form that
//! changes something runs through it, and every resource of the page keys on its `version()`:
//! after a success the resources load again, a refusal becomes a toast in the user's language
//! (an ended session leads to the sign-in page), and nothing counts by hand.

use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{use_toasts, ToastQueue};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::future::Future;

#[derive(Clone, Copy)]
pub struct Changes {
    version: RwSignal<u32>,
    toasts: ToastQueue,
    i18n: I18nContext<Locale>,
}

/// A page's changes; made in a component (it reads the toasts and the language).
pub fn use_changes() -> Changes {
    Changes {
        version: RwSignal::new(0),
        toasts: use_toasts(),
        i18n: use_i18n(),
    }
}

impl Changes {
    /// How many changes have succeeded, tracked: a resource keyed on it loads again after each.
    pub fn version(self) -> u32 {
        self.version.get()
    }

    /// Loads again without a change (a "Refresh" button, or after a change made elsewhere).
    pub fn reload(self) {
        self.version.update(|n| *n += 1);
    }

    /// Runs `change`: success reloads, a refusal is shown.
    pub fn run<T: 'static>(self, change: impl Future<Output = Result<T, AppError>> + 'static) {
        self.run_then(change, |_| {});
    }

    /// Runs `change` and gives its answer to `then` before the page loads again.
    pub fn run_then<T: 'static>(
        self,
        change: impl Future<Output = Result<T, AppError>> + 'static,
        then: impl FnOnce(T) + 'static,
    ) {
        leptos::task::spawn_local(async move {
            match change.await {
                Ok(value) => {
                    then(value);
                    self.reload();
                }
                Err(error) => self.fail(&error),
            }
        });
    }

    /// Shows why something was refused, as a toast.
    pub fn fail(self, error: &AppError) {
        self.toasts.failure(self.i18n.get_locale_untracked(), error);
    }
}
