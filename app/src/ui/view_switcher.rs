//! "Show as": the buttons that switch a page between its ways of showing records (list,
//! board, kanban, calendar), kept in the URL's `show` so links and Back keep the choice.

use super::{Icon, IconName};
use crate::i18n::{t_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// One way of showing a page's records.
#[derive(Clone)]
pub struct ViewChoice {
    /// The URL's `show` value; the first choice of a page is its default.
    pub key: &'static str,
    pub href: String,
    pub icon: IconName,
    pub label: fn(Locale) -> &'static str,
}

impl ViewChoice {
    pub fn new(
        key: &'static str,
        href: impl Into<String>,
        icon: IconName,
        label: fn(Locale) -> &'static str,
    ) -> ViewChoice {
        ViewChoice {
            key,
            href: href.into(),
            icon,
            label,
        }
    }
}

/// Which of `keys` the URL's `show` names; the first when it names none of them.
pub fn use_shown(keys: &'static [&'static str]) -> Signal<&'static str> {
    let query = use_query_map();
    Signal::derive(move || {
        query.with(|q| {
            let asked = q.get_str("show");
            keys.iter()
                .copied()
                .find(|key| Some(*key) == asked)
                .unwrap_or(keys[0])
        })
    })
}

#[component]
pub fn ViewSwitcher(
    choices: Vec<ViewChoice>,
    #[prop(into)] shown: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="segmented" role="group" aria-label=move || t_string!(i18n, views.show_as)>
            {choices.into_iter().map(|choice| {
                let key = choice.key;
                let label = choice.label;
                view! {
                    <a class="button" class:button--pressed=move || shown.get() == key
                        href=choice.href data-action=format!("show-{key}")
                        aria-current=move || (shown.get() == key).then_some("page")>
                        <Icon name=choice.icon/><span>{move || label(i18n.get_locale())}</span>
                    </a>
                }
            }).collect_view()}
        </div>
    }
}
