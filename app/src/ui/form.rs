//! Labelled form controls with their error text, linked for screen readers.

use super::date::DateInput;
use crate::error::AppError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

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

/// The fields of a submitted form by name, as the browser would post them. For the forms
/// of the first load (sign-in, sign-out), which post to their server function without
/// JavaScript and, with it, dispatch the action from these fields: unlike `ActionForm`, no
/// query-string decoder for the first load to carry.
pub struct Submitted(Option<web_sys::FormData>);

impl Submitted {
    /// Takes the submission over from the browser and reads its form.
    pub fn take(event: &leptos::ev::SubmitEvent) -> Self {
        event.prevent_default();
        let form = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok());
        Self(form.and_then(|form| web_sys::FormData::new_with_form(&form).ok()))
    }

    /// The text of the field `name`; empty when the form has none.
    pub fn text(&self, name: &str) -> String {
        self.0
            .as_ref()
            .and_then(|data| data.get(name).as_string())
            .unwrap_or_default()
    }
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
