//! The messages a form shows: beside each field the error that names it, above the form
//! the one that names none. Every form takes its errors from here.

use super::error_text;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A form's last error, split by field. Reading it after the form is gone (a page left
/// while it still renders) gives nothing rather than a panic.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    error: Signal<Option<AppError>>,
    i18n: I18nContext<Locale>,
}

/// The errors of a form whose last failure is `error`.
pub fn use_field_errors(error: impl Into<Signal<Option<AppError>>>) -> FieldErrors {
    FieldErrors {
        error: error.into(),
        i18n: use_i18n(),
    }
}

/// The last failure of a server action, for `use_field_errors`.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.try_with(|r| r.clone()?.err()).flatten())
}

impl FieldErrors {
    /// The message for `field`, if the last error names it.
    pub fn message(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            let error = self.error.try_get().flatten()?;
            (error.field() == Some(field)).then(|| error_text(self.i18n.get_locale(), &error))
        })
    }

    /// The message for `field` as the line under a control that is not a `Field`.
    pub fn line(self, field: &'static str) -> impl Fn() -> Option<AnyView> + Send + Sync + Copy {
        move || {
            self.message(field)
                .get()
                .map(|text| view! { <p class="field__error" role="alert">{text}</p> }.into_any())
        }
    }

    /// The last error when it names no field, shown above the form.
    pub fn general(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            self.error
                .try_get()
                .flatten()
                .filter(|e| e.field().is_none())
        })
    }
}
