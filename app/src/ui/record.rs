//! A record's page, found by the `{id}` of its URL: loads the record, shows a loading line
//! meanwhile and a translated error when it cannot be shown, and loads it again after every
//! change made on the page.

use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::ui::{use_changes, Changes, ErrorAlert};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use uuid::Uuid;

/// `load` fetches the record; `show` draws it, with the page's changes that reload it.
#[component]
pub fn RecordPage<T, Load, Fut, Show, V>(load: Load, show: Show) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    Load: Fn(Uuid) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    Show: Fn(T, Changes) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let params = use_params_map();
    let changes = use_changes();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let record = Resource::new(
        move || (id(), changes.version()),
        move |(id, _)| async move {
            match id {
                Some(id) => load(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(record) => show(record, changes).into_any(),
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Transition>
    }
}
