//! Task pages: the task list (generic list view, or a board by status), the task page, my
//! tasks, and the task parts of the project page.

mod detail;
mod hours;
mod mine;

pub use detail::TaskPage;
pub use hours::{HoursPage, TimeEntryPage};
pub use mine::{MyTasks, MyTasksPage, NavCounter};

use super::list::TASKS;
use super::task_href;
use crate::domain::project::Indicators;
use crate::domain::{TaskAction, TaskStatus};
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::ui::{use_shown, Icon, IconName, PageHeader, ViewChoice, ViewSwitcher};
use crate::views::ui::{analysis_choices, Kanban, ListView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

pub fn status_label(locale: Locale, status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Pending => td_string!(locale, tasks.status_pending),
        TaskStatus::InProgress => td_string!(locale, tasks.status_in_progress),
        TaskStatus::Paused => td_string!(locale, tasks.status_paused),
        TaskStatus::PendingReview => td_string!(locale, tasks.status_pending_review),
        TaskStatus::Completed => td_string!(locale, tasks.status_completed),
        TaskStatus::Deferred => td_string!(locale, tasks.status_deferred),
    }
}

pub fn action_label(locale: Locale, action: TaskAction) -> &'static str {
    match action {
        TaskAction::Start => td_string!(locale, tasks.action_start),
        TaskAction::Pause => td_string!(locale, tasks.action_pause),
        TaskAction::Complete => td_string!(locale, tasks.action_complete),
        TaskAction::Accept => td_string!(locale, tasks.action_accept),
        TaskAction::SendBack => td_string!(locale, tasks.action_send_back),
        TaskAction::Defer => td_string!(locale, tasks.action_defer),
        TaskAction::Renew => td_string!(locale, tasks.action_renew),
    }
}

/// The markers beside a task's title: not yet viewed, updated, deadline changed, overdue.
#[component]
pub fn IndicatorBadges(indicators: Indicators) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="indicators">
            {indicators.overdue.then(|| view! { <span class="badge badge--danger" data-indicator="overdue">{t!(i18n, tasks.indicator_overdue)}</span> })}
            {indicators.not_viewed.then(|| view! { <span class="badge badge--info" data-indicator="not_viewed">{t!(i18n, tasks.indicator_not_viewed)}</span> })}
            {(!indicators.not_viewed && indicators.updated).then(|| view! { <span class="badge badge--info" data-indicator="updated">{t!(i18n, tasks.indicator_updated)}</span> })}
            {(!indicators.not_viewed && indicators.deadline_changed).then(|| view! { <span class="badge badge--warning" data-indicator="deadline_changed">{t!(i18n, tasks.indicator_deadline_changed)}</span> })}
        </span>
    }
}

fn move_task(id: Uuid, status: String) -> Pin<Box<dyn Future<Output = Result<(), AppError>>>> {
    Box::pin(super::api::move_task_to_status(id, status))
}

/// `/tasks`: every task the user may see, as a list or as a board by status.
#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let shown = use_shown(&["list", "board", "pivot", "graph"]);
    let board = move || shown.get() == "board";
    let board_query = Signal::derive(move || {
        let rest = query.with(|q| {
            q.to_query_string()
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.starts_with("show=") && !p.is_empty())
                .collect::<Vec<_>>()
                .join("&")
        });
        if rest.is_empty() {
            "p=mine&p=all".to_string()
        } else {
            rest
        }
    });
    let choices = vec![
        ViewChoice::new("list", "/tasks", IconName::List, |l| {
            td_string!(l, views.as_list)
        }),
        ViewChoice::new("board", "/tasks?show=board", IconName::Board, |l| {
            td_string!(l, views.as_board)
        }),
    ]
    .into_iter()
    .chain(analysis_choices(
        "/tasks",
        "pr=project&pc=status&pm=count",
        "pr=status&pm=count&gt=pie",
    ))
    .collect::<Vec<_>>();
    view! {
        <Title text=move || t_string!(i18n, tasks.title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, tasks.title).to_string())>
            <ViewSwitcher shown choices/>
            <a class="button" href="/my-tasks"><Icon name=IconName::Tasks/><span>{t!(i18n, nav.my_tasks)}</span></a>
        </PageHeader>
        {move || if matches!(shown.get(), "pivot" | "graph") {
            view! { <ListView schema=&TASKS base="/tasks" row_href=task_href analysis=true/> }.into_any()
        } else if board() {
            view! { <Kanban schema=&TASKS field="status" query=board_query row_href=task_href move_card=move_task card_fields=&["project", "assignee", "due_date"]/> }.into_any()
        } else {
            view! { <ListView schema=&TASKS base="/tasks" row_href=task_href edit_href=task_href/> }.into_any()
        }}
    }
}
