//! Picking a contact from the directory in a form: a text field that suggests matching
//! contacts as one types. The picked contact's id travels in a hidden field; without
//! JavaScript the typed name is resolved on the server (exact name, else a clear error).

use crate::contacts::api::search_contacts;
use crate::contacts::ContactRef;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn ContactPicker(
    /// Form name of the typed text; the picked id goes in `id_name`.
    name: &'static str,
    id_name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(default = None)] initial: Option<ContactRef>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    /// Distinguishes two pickers on one page.
    #[prop(optional)]
    form: &'static str,
    /// Told about every pick (and about clearing it).
    #[prop(optional)]
    on_pick: Option<Callback<Option<ContactRef>>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let _ = use_i18n();
    let input_id = format!("{form}field-{name}");
    let list_id = format!("{form}options-{name}");
    let error_id = format!("{input_id}-error");
    let typed = RwSignal::new(initial.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let picked = RwSignal::new(initial.as_ref().map(|c| c.id));
    let found = RwSignal::new(Vec::<ContactRef>::new());
    // Suggestions exist in the browser only, as the user types.
    let suggestions = LocalResource::new(move || {
        let query = typed.get();
        async move {
            if query.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_contacts(query).await
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = suggestions.get() {
            found.set(list);
        }
    });
    // Typing the exact name of a suggestion picks it; anything else clears the pick.
    let on_input = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        let exact = found.with_untracked(|list| {
            let mut matching = list.iter().filter(|c| c.name == value);
            match (matching.next(), matching.next()) {
                (Some(only), None) => Some(only.clone()),
                _ => None,
            }
        });
        picked.set(exact.as_ref().map(|c| c.id));
        if let Some(callback) = on_pick {
            callback.run(exact);
        }
        typed.set(value);
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=input_id.clone()>{label}</label>
            <input id=input_id.clone() name=name list=list_id.clone() autocomplete="off"
                required=required
                value=typed.get_untracked()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || error.get().map(|_| error_id.clone())
                }
                on:input=on_input/>
            <input type="hidden" name=id_name
                value=initial.as_ref().map(|c| c.id.to_string()).unwrap_or_default()
                prop:value=move || picked.get().map(|id: Uuid| id.to_string()).unwrap_or_default()/>
            <datalist id=list_id>
                <For each=move || found.get() key=|c| c.id let:contact>
                    <option value=contact.name.clone()></option>
                </For>
            </datalist>
            {move || error.get().map(|message| view! {
                <p class="field__error" id=error_id.clone() role="alert">{message}</p>
            })}
        </div>
    }
}
