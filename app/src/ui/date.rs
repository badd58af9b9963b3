//! A date field that reads like every other date of the app: typed and shown the user's way
//! ("22-11-2026" in Dutch, "22/11/2026" in the other languages), with the browser's own
//! calendar behind a button.
//!
//! An `<input type="date">` shows the browser's format instead (mm/dd/yyyy in an American
//! browser), right beside the dates the app prints. So the field is a text input: it carries
//! the form name and posts what was typed, with or without JavaScript, and whatever receives it
//! reads it with `domain::day::parse_day` (day first with `-`, `/` or `.`, or ISO). The button
//! opens the native picker of a visually hidden date input (`showPicker()`) and writes the
//! picked day back in the user's format, as if it had been typed.

use crate::domain::day::{parse_day, FIRST, LAST};
use crate::domain::Language;
use crate::i18n::{t_string, use_i18n};
use crate::locale::{format_date_short, from_locale};
use crate::ui::{Icon, IconName};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// What a date field shows for `text`: an ISO day (`2026-11-22`, as the server and the
/// database write it) the user's way; anything else, what was typed among it, as it is.
pub fn shown_date(language: Language, text: &str) -> String {
    let bytes = text.as_bytes();
    let iso = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
    match parse_day(text).filter(|_| iso) {
        Some(day) => format_date_short(language, day),
        None => text.to_string(),
    }
}

/// A date typed in the user's format, with a button that opens the browser's calendar.
///
/// `value` is shown at first and whenever it changes later (an ISO day the user's way); the
/// input is never rewritten to what it already shows, so typing is left alone. `on_input`
/// hears every change of the text, typed or picked, `on_change` a change that is done.
#[component]
pub fn DateInput(
    /// The text input's id, for its label.
    #[prop(into)]
    id: String,
    /// Form field name, when the text is posted with a form.
    #[prop(optional)]
    name: Option<&'static str>,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] testid: Option<&'static str>,
    /// For a field without a `<label>` of its own.
    #[prop(optional, into)]
    aria_label: Option<Signal<String>>,
    #[prop(optional, into)] invalid: Signal<bool>,
    #[prop(optional, into)] described_by: Signal<Option<String>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
    #[prop(optional)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale_untracked());
    let text = NodeRef::<leptos::html::Input>::new();
    let picker = NodeRef::<leptos::html::Input>::new();
    // Like `Field`: the input follows `value` when it changes, never when the page comes
    // alive, and not when it already shows it (the change came from typing in it).
    Effect::new(move |seen: Option<String>| {
        let current = value.get();
        if let (Some(seen), Some(element)) = (seen, text.get_untracked()) {
            if seen != current && element.value() != current {
                element.set_value(&shown_date(language(), &current));
            }
        }
        current
    });
    // The picker opens on the day typed, if it is one; where the browser has no
    // `showPicker`, the text input takes the focus instead.
    let open = move |_| {
        let (Some(text), Some(picker)) = (text.get_untracked(), picker.get_untracked()) else {
            return;
        };
        let typed = parse_day(&text.value())
            .map(|day| day.to_string())
            .unwrap_or_default();
        picker.set_value(&typed);
        let shown = js_sys::Reflect::get(&picker, &JsValue::from_str("showPicker"))
            .ok()
            .and_then(|show| show.dyn_into::<js_sys::Function>().ok())
            .is_some_and(|show| show.call0(&picker).is_ok());
        if !shown {
            let _ = text.focus();
        }
    };
    // The picked day goes into the text input the user's way, with the events typing sends,
    // so that the caller's handlers and anything listening around the field hear of it.
    let picked = move |event: leptos::ev::Event| {
        let Some(day) = parse_day(&event_target_value(&event)) else {
            return;
        };
        let Some(text) = text.get_untracked() else {
            return;
        };
        text.set_value(&format_date_short(language(), day));
        for kind in ["input", "change"] {
            if let Ok(event) = document().create_event("Event") {
                event.init_event_with_bubbles(kind, true);
                let _ = text.dispatch_event(&event);
            }
        }
        let _ = text.focus();
    };
    view! {
        <span class="date-input">
            <input
                node_ref=text
                id=id
                name=name
                type="text"
                class="date-input__text"
                value=shown_date(language(), &value.get_untracked())
                inputmode="numeric"
                autocomplete="off"
                placeholder=move || t_string!(i18n, date_input.placeholder)
                required=required
                autofocus=autofocus
                disabled=move || disabled.get()
                data-testid=testid
                aria-label=move || aria_label.map(|label| label.get())
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=move || described_by.get()
                on:input=move |event| {
                    if let Some(on_input) = on_input {
                        on_input.run(event_target_value(&event));
                    }
                }
                on:change=move |event| {
                    if let Some(on_change) = on_change {
                        on_change.run(event_target_value(&event));
                    }
                }
            />
            <button type="button" class="date-input__button" on:click=open
                disabled=move || disabled.get()
                aria-label=move || t_string!(i18n, date_input.open_calendar)
                title=move || t_string!(i18n, date_input.open_calendar)>
                <Icon name=IconName::Calendar/>
            </button>
            <input node_ref=picker type="date" class="date-input__picker" tabindex="-1"
                aria-hidden="true" min=FIRST.to_string() max=LAST.to_string()
                on:change=picked/>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_days_are_shown_the_users_way_and_typed_text_as_it_is() {
        assert_eq!(shown_date(Language::Nl, "2026-11-22"), "22-11-2026");
        assert_eq!(shown_date(Language::En, "2026-11-22"), "22/11/2026");
        assert_eq!(shown_date(Language::Fr, "2026-08-01"), "01/08/2026");
        assert_eq!(shown_date(Language::En, ""), "");
        // Typing is never rewritten: a day on its way, or one typed day first.
        assert_eq!(shown_date(Language::Nl, "2026-11-2"), "2026-11-2");
        assert_eq!(shown_date(Language::Nl, "5-3-2026"), "5-3-2026");
        assert_eq!(shown_date(Language::En, "2026-02-30"), "2026-02-30");
    }
}
