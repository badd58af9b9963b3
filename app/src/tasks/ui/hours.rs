//! `/hours`: the hours booked on tasks, as a list, a pivot or a graph (hours per project and
//! month, per person and week); `/hours/:id` opens the task a time entry is booked on.

use crate::i18n::{t_string, td_string, use_i18n};
use crate::tasks::api::time_entry_task;
use crate::tasks::time_list::TIME_ENTRIES;
use crate::ui::{use_shown, IconName, PageHeader, RecordPage, ViewChoice, ViewSwitcher};
use crate::views::ui::{analysis_choices, ListView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use uuid::Uuid;

fn entry_href(id: Uuid) -> String {
    format!("/hours/{id}")
}

#[component]
pub fn HoursPage() -> impl IntoView {
    let i18n = use_i18n();
    let shown = use_shown(&["list", "pivot", "graph"]);
    let choices = std::iter::once(ViewChoice::new("list", "/hours", IconName::List, |l| {
        td_string!(l, views.as_list)
    }))
    .chain(analysis_choices(
        "/hours",
        "pr=project&pc=work_date:month&pm=hours",
        "pr=work_date:week&pc=person&pm=hours&gs=1",
    ))
    .collect::<Vec<_>>();
    let title = move || t_string!(i18n, hours.title).to_string();
    view! {
        <Title text=title/>
        <PageHeader title=Signal::derive(title)>
            <ViewSwitcher choices shown/>
        </PageHeader>
        {move || if matches!(shown.get(), "pivot" | "graph") {
            view! { <ListView schema=&TIME_ENTRIES base="/hours" row_href=entry_href analysis=true/> }.into_any()
        } else {
            view! { <ListView schema=&TIME_ENTRIES base="/hours" row_href=entry_href/> }.into_any()
        }}
    }
}

/// A row of the Hours list: the page of the task the entry is booked on.
#[component]
pub fn TimeEntryPage() -> impl IntoView {
    view! {
        <RecordPage load=time_entry_task
            show={|task: Uuid, _| view! { <Redirect path=format!("/tasks/{task}")/> }}/>
    }
}
