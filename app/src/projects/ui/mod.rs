//! Project pages: the list (on the generic list view, or a kanban by state), the create form,
//! and the project page with its tasks, timeline, board and administration.

mod admin;
mod customer;
mod form;
mod page;
mod tasks;

pub use customer::{CustomerProjects, CustomerProjectsResource};
pub use form::NewProjectPage;
pub use page::ProjectPage;

use super::api::{assign_customer, set_project_state};
use super::list::PROJECTS;
use crate::contacts::ui::{ContactPicker, PickedContact};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::locale::{from_locale, is_singular};
use crate::ui::{use_shown, use_toasts, Icon, IconName, PageHeader, ViewChoice, ViewSwitcher};
use crate::views::ui::{analysis_choices, BulkActions, Kanban, ListContext, ListView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

fn edit_href(id: Uuid) -> String {
    format!("/projects/{id}?tab=settings")
}

/// Moving a card on the project board changes the project's state (its admins only; the
/// server checks the permission and the state machine).
fn move_project(
    id: Uuid,
    state: String,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), crate::error::AppError>>>> {
    match crate::domain::ProjectState::parse(&state) {
        Some(state) => Box::pin(set_project_state(id, None, state)),
        None => Box::pin(std::future::ready(Err(crate::error::AppError::NotFound))),
    }
}

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let creating = RwSignal::new(false);
    let shown = use_shown(&["list", "board", "pivot", "graph"]);
    let board = move || shown.get() == "board";
    let bulk: BulkActions =
        Callback::new(|list: ListContext| view! { <AssignCustomer list/> }.into_any());
    let board_query = Signal::derive(move || {
        query.with(|q| {
            q.to_query_string()
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.starts_with("show=") && !p.is_empty())
                .collect::<Vec<_>>()
                .join("&")
        })
    });
    // The board shows every state, closed included, unless the view filters.
    let board_query = Signal::derive(move || {
        let query = board_query.get();
        if query.is_empty() {
            "p=all".to_string()
        } else {
            query
        }
    });
    let choices = vec![
        ViewChoice::new("list", "/projects", IconName::List, |l| {
            td_string!(l, views.as_list)
        }),
        ViewChoice::new("board", "/projects?show=board", IconName::Board, |l| {
            td_string!(l, views.as_board)
        }),
    ]
    .into_iter()
    .chain(analysis_choices(
        "/projects",
        "pr=manager&pm=count&pm=budget",
        "pr=manager&pm=budget",
    ))
    .collect::<Vec<_>>();
    view! {
        <Title text=move || t_string!(i18n, projects.title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, projects.title).to_string())>
            <ViewSwitcher shown choices/>
            <a class="button button--primary" href="/projects/new"
                on:click=move |event| { event.prevent_default(); creating.set(true); }>
                <Icon name=IconName::Plus/><span>{t!(i18n, projects.new_button)}</span>
            </a>
        </PageHeader>
        {move || creating.get().then(|| view! { <form::NewProjectDialog on_close=move || creating.set(false)/> })}
        {move || if matches!(shown.get(), "pivot" | "graph") {
            view! { <ListView schema=&PROJECTS base="/projects" row_href=super::project_href analysis=true/> }.into_any()
        } else if board() {
            view! {
                <Kanban schema=&PROJECTS field="state" query=board_query
                    row_href=super::project_href move_card=move_project card_fields=&["title", "customer", "manager", "end_date", "budget"]/>
            }.into_any()
        } else {
            view! {
                <ListView schema=&PROJECTS base="/projects" row_href=super::project_href
                    bulk_actions=bulk edit_href=edit_href/>
            }.into_any()
        }}
    }
}

/// Actions → Assign client: one customer for every selected project.
#[component]
fn AssignCustomer(list: ListContext) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let picked = RwSignal::new(PickedContact::Nobody);
    let assign = Action::new(move |customer: &Uuid| {
        assign_customer(list.selected.get_untracked(), *customer)
    });
    Effect::new(move |_| match assign.value().get() {
        Some(Ok(report)) => {
            let locale = i18n.get_locale_untracked();
            let singular = |count: usize| is_singular(from_locale(locale), count as u64);
            let mut text = if singular(report.changed) {
                td_string!(
                    locale,
                    projects.assigned_toast_singular,
                    count = report.changed
                )
                .to_string()
            } else {
                td_string!(locale, projects.assigned_toast, count = report.changed).to_string()
            };
            // One toast for both, so that the refusal does not replace the success.
            if report.refused > 0 {
                let refused = if singular(report.refused) {
                    td_string!(
                        locale,
                        projects.assign_refused_singular,
                        count = report.refused
                    )
                    .to_string()
                } else {
                    td_string!(locale, projects.assign_refused, count = report.refused).to_string()
                };
                text = format!("{text} {refused}");
            }
            toasts.success(text);
            list.selected.set(Vec::new());
            list.changes.reload();
        }
        Some(Err(error)) => toasts.failure(i18n.get_locale_untracked(), &error),
        None => {}
    });
    view! {
        <form class="bulk-bar__form" on:submit=move |event| {
            event.prevent_default();
            if let Some(customer) = picked.with_untracked(PickedContact::id) {
                assign.dispatch(customer);
            }
        }>
            <ContactPicker name="bulk_customer" id_name="bulk_customer_id" form="bulk-"
                label=Signal::derive(move || t_string!(i18n, projects.assign_customer).to_string())
                on_pick=Callback::new(move |contact| picked.set(contact))/>
            <button type="submit" class="button button--small"
                disabled=move || assign.pending().get() || picked.with(|p| p.id().is_none())>
                {t!(i18n, projects.assign)}
            </button>
        </form>
    }
}
