//! Picking a colleague in a form: the active users as a `<select>`, loaded in the browser
//! (the forms using it render inside their page's suspense).

use crate::ui::InBrowser;
use leptos::prelude::*;

#[component]
pub fn UserSelect(
    /// The element id, for its label.
    id: &'static str,
    /// Form name, when the select is part of a submitted form.
    #[prop(optional)]
    name: Option<&'static str>,
    /// The user id selected at first ("" for none).
    #[prop(optional, into)]
    selected: String,
    /// The label of the empty choice; without it the select offers no empty choice.
    #[prop(optional, into)]
    empty: Option<Signal<String>>,
    #[prop(optional)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let users = LocalResource::new(crate::shared::api::user_options);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let selected = selected.clone();
                Suspend::new(async move {
                    let options = users.in_browser_later().await?.unwrap_or_default();
                    Some(view! {
                        <select id=id name=name on:change=move |e| {
                            if let Some(callback) = on_change {
                                callback.run(event_target_value(&e));
                            }
                        }>
                            {empty.map(|label| view! { <option value="" selected=selected.is_empty()>{label}</option> })}
                            {options.into_iter().map(|u| {
                                let value = u.id.to_string();
                                view! { <option value=value.clone() selected=value == selected>{u.name}</option> }
                            }).collect_view()}
                        </select>
                    })
                })
            }}
        </Suspense>
    }
}
