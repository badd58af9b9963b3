//! What every page is framed with: its header and the page for an address that does not exist.

use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <div class="page-header__actions">{children.map(|c| c())}</div>
        </header>
    }
}

/// The 404 page, with the right status on the server render.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <main class="centered-page" id="content">
            <div class="card card--narrow">
                <h1>{t!(i18n, not_found.title)}</h1>
                <p>{t!(i18n, not_found.body)}</p>
                <a class="button button--primary" href="/">{t!(i18n, not_found.back)}</a>
            </div>
        </main>
    }
}
