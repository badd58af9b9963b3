//! Telling the user what happened: translated errors, toasts, empty states.

use crate::error::AppError;
use crate::i18n::{td_string, use_i18n, Locale};
use crate::locale::{from_locale, is_singular};
use leptos::prelude::*;

/// The translated message for an error, as a user should read it.
pub fn error_text(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Unauthorized => td_string!(locale, errors.unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::Conflict => td_string!(locale, errors.conflict).to_string(),
        AppError::Project(denied) => {
            use crate::domain::project_access::Denied;
            match denied {
                Denied::NotMember => td_string!(locale, errors.project_not_member),
                Denied::NeedsAdmin => td_string!(locale, errors.project_needs_admin),
                Denied::Closed => td_string!(locale, errors.project_closed),
                Denied::Locked => td_string!(locale, errors.project_locked),
            }
            .to_string()
        }
        AppError::BadCredentials => td_string!(locale, errors.bad_credentials).to_string(),
        AppError::Throttled { minutes } => {
            if is_singular(from_locale(locale), minutes.unsigned_abs()) {
                td_string!(locale, errors.throttled_singular, minutes = *minutes).to_string()
            } else {
                td_string!(locale, errors.throttled, minutes = *minutes).to_string()
            }
        }
        AppError::CrossOrigin => td_string!(locale, errors.cross_origin).to_string(),
        AppError::TooLarge => td_string!(locale, errors.too_large).to_string(),
        AppError::UnsupportedMediaType => td_string!(locale, errors.unsupported_media).to_string(),
        AppError::TooManyExports => td_string!(locale, errors.too_many_exports).to_string(),
        AppError::TooManyRequests => td_string!(locale, errors.too_many_requests).to_string(),
        AppError::Busy => td_string!(locale, errors.busy).to_string(),
        AppError::Internal => td_string!(locale, errors.internal).to_string(),
        AppError::Transport(_) => td_string!(locale, errors.network).to_string(),
        // The server wrote the message in the caller's language (`error::respond`); a
        // refusal without one points at its field.
        AppError::Invalid { message, .. } if !message.is_empty() => message.clone(),
        AppError::Invalid { .. } => td_string!(locale, errors.invalid).to_string(),
        AppError::InvalidView(problem) => td_string!(
            locale,
            errors.invalid_view,
            name = view_problem_subject(problem)
        )
        .to_string(),
    }
}

/// The name a refused view refers to, for the "this view cannot be shown" message.
fn view_problem_subject(problem: &crate::domain::FilterError) -> String {
    use crate::domain::FilterError;
    match problem {
        FilterError::UnknownField(name)
        | FilterError::BadValue(name)
        | FilterError::UnknownPredefined(name)
        | FilterError::NotSortable(name)
        | FilterError::NotGroupable(name) => name.clone(),
        FilterError::UnknownOperator { field, op } => format!("{field} {op}"),
        FilterError::TooMany => "…".to_string(),
    }
}

/// A form-level error box; shows nothing for `None`. An ended session (the user was
/// signed out elsewhere or deactivated) leads to the sign-in page.
#[component]
pub fn ErrorAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        if error.get() == Some(AppError::Unauthorized) {
            go_to_sign_in();
        }
    });
    move || {
        error.get().map(|error| {
            let text = error_text(i18n.get_locale(), &error);
            view! {
                <div class="alert alert--error" role="alert">
                    <super::Icon name=super::IconName::Alert/>
                    <span>{text}</span>
                </div>
            }
        })
    }
}

fn go_to_sign_in() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign("/sign-in");
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    id: u64,
    text: String,
    is_error: bool,
}

/// How long a toast stays up.
const TOAST_SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(6);
/// A page change this soon after a toast is the one its action made ("created", then the new
/// record opens): the toast goes along. A later one takes it away.
const TOAST_CARRIED_FOR: std::time::Duration = std::time::Duration::from_secs(1);

/// Short-lived messages after an action ("User created."), announced politely. One at a
/// time, so that they never pile up over a form: a new message replaces the one shown, and
/// going to another page takes it away.
#[derive(Clone, Copy)]
pub struct ToastQueue {
    current: RwSignal<Option<Toast>>,
    next_id: StoredValue<u64>,
    /// The shown toast has outlived `TOAST_CARRIED_FOR`: the next page change dismisses it.
    settled: StoredValue<bool>,
}

impl ToastQueue {
    pub fn success(&self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    /// Shows a failed action's error; an ended session leads to the sign-in page.
    pub fn failure(&self, locale: Locale, error: &AppError) {
        if *error == AppError::Unauthorized {
            go_to_sign_in();
        }
        self.push(error_text(locale, error), true);
    }

    fn push(&self, text: String, is_error: bool) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.settled.set_value(false);
        self.current.set(Some(Toast { id, text, is_error }));
        let queue = *self;
        set_timeout(
            move || {
                if queue.shows(id) {
                    queue.settled.set_value(true);
                }
            },
            TOAST_CARRIED_FOR,
        );
        set_timeout(move || queue.dismiss(id), TOAST_SHOWN_FOR);
    }

    fn shows(&self, id: u64) -> bool {
        self.current
            .with_untracked(|toast| toast.as_ref().is_some_and(|toast| toast.id == id))
    }

    pub fn dismiss(&self, id: u64) {
        if self.shows(id) {
            self.current.set(None);
        }
    }

    /// The user went to another page: what was said about the previous one is over.
    fn leave_page(&self) {
        if self.settled.get_value() && self.current.with_untracked(Option::is_some) {
            self.current.set(None);
        }
    }
}

pub fn provide_toasts() {
    provide_context(ToastQueue {
        current: RwSignal::new(None),
        next_id: StoredValue::new(0),
        settled: StoredValue::new(false),
    });
}

pub fn use_toasts() -> ToastQueue {
    expect_context::<ToastQueue>()
}

/// The toast on screen, if any; it goes when the user goes to another page.
#[component]
pub fn Toasts() -> impl IntoView {
    let queue = use_toasts();
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    Effect::watch(
        move || location.pathname.get(),
        move |_, _, _| queue.leave_page(),
        false,
    );
    view! {
        <div class="toasts" role="status" aria-live="polite">
            {move || queue.current.get().map(|Toast { id, text, is_error }| view! {
                <div class="toast" class:toast--error=is_error>
                    <span>{text}</span>
                    <button type="button" class="button button--ghost button--small"
                        on:click=move |_| queue.dismiss(id)>
                        {move || crate::i18n::t_string!(i18n, close)}
                    </button>
                </div>
            })}
        </div>
    }
}

#[component]
pub fn EmptyState(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <p class="empty-state">{text}</p> }
}
