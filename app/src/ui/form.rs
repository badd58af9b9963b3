//! Labelled form controls with their error text, linked for screen readers.

use super::date::DateInput;
use crate::error::AppError;
use leptos::prelude::*;

/// A server action's last error when it belongs to no field (shown above the form).
pub fn form_error<T, S>(result: S) -> Signal<Option<AppError>>
where
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        result.with(|r| match r {
            Some(Err(error)) if error.field().is_none() => Some(error.clone()),
            _ => None,
        })
    })
}

/// A text-like input with a visible label, optional help, and an error message that is
/// announced and tied to the input with `aria-describedby`. `kind="date"` is a `DateInput`:
/// the date typed and shown the user's way, with the browser's calendar behind a button.
#[component]
pub fn Field(
    /// Form field name; also the base of the element ids.
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(optional, into)] help: Option<Signal<String>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autofocus: bool,
    /// Distinguishes two forms on one page that share field names.
    #[prop(optional)]
    form: &'static str,
) -> impl IntoView {
    let id = format!("{form}field-{name}");
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        let has_help = help.is_some();
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // The input follows `value` when it changes, never when the page comes alive: what was
    // typed before the browser code arrived stays where it was typed.
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |seen: Option<String>| {
        let current = value.get();
        if let (Some(seen), Some(element)) = (seen, input.get_untracked()) {
            if seen != current {
                element.set_value(&current);
            }
        }
        current
    });
    let control = if kind == "date" {
        view! {
            <DateInput id=id.clone() name=name value=value required=required autofocus=autofocus
                invalid=Signal::derive(move || error.get().is_some())
                described_by=Signal::derive(described)/>
        }
        .into_any()
    } else {
        view! {
            <input
                node_ref=input
                id=id.clone()
                name=name
                type=kind
                value=value.get_untracked()
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {control}
            {help.map(|help| view! { <p class="field__help" id=help_id.clone()>{help}</p> })}
            {move || error.get().map(|message| view! {
                <p class="field__error" id=error_id.clone() role="alert">{message}</p>
            })}
        </div>
    }
}

/// A labelled `<select>`; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] selected: Signal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional)] form: &'static str,
) -> impl IntoView {
    let id = format!("{form}field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || error.get().map(|_| error_id.clone())
                }>
                {move || options.get().into_iter().map(|(value, text)| {
                    let is_selected = value == selected.get();
                    view! { <option value=value selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
            {move || error.get().map(|message| view! {
                <p class="field__error" id=error_id.clone() role="alert">{message}</p>
            })}
        </div>
    }
}
