//! My tasks: what the signed-in user works on, by deadline (overdue, today, this week,
//! later), what waits for their review, their document reminders and their running timer;
//! and the counter beside "My tasks" in the navigation.

use super::{status_label, IndicatorBadges};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, from_locale, is_singular};
use crate::shared::RecordKind;
use crate::tasks::api::{dismiss_reminder, fetch_my_tasks, fetch_task_counts, stop_timer};
use crate::tasks::{task_href, TaskCounts, TaskLine};
use crate::ui::InBrowser;
use crate::ui::{use_changes, ErrorAlert, Icon, IconName, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyTasksPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, nav.my_tasks).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, nav.my_tasks).to_string())>
            <a class="button" href="/tasks"><Icon name=IconName::List/><span>{t!(i18n, tasks.all_tasks)}</span></a>
        </PageHeader>
        <MyTasks/>
    }
}

/// The signed-in user's reminders, running timer and tasks by deadline; on "My tasks" and on
/// the dashboard.
#[component]
pub fn MyTasks() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let mine = Resource::new(move || changes.version(), |_| fetch_my_tasks());
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let mine = match mine.await {
                    Ok(mine) => mine,
                    Err(error) => return view! { <ErrorAlert error=Some(error)/> }.into_any(),
                };
                let language = move || from_locale(i18n.get_locale());
                let nothing = mine.overdue.is_empty() && mine.today.is_empty() && mine.this_week.is_empty()
                    && mine.later.is_empty() && mine.review.is_empty();
                view! {
                    {mine.running_timer.clone().map(|timer| view! {
                        <p class="notice notice--info" role="status">
                            <Icon name=IconName::Clock/>
                            {move || t_string!(i18n, tasks.timer_running, task = timer.task_title.clone()).to_string()} " "
                            <a href=task_href(timer.task_id)>{t!(i18n, tasks.open)}</a> " "
                            <button type="button" class="button button--small" data-action="timer-stop"
                                on:click=move |_| changes.run(stop_timer())>
                                {t!(i18n, tasks.stop)}
                            </button>
                        </p>
                    })}
                    {(!mine.reminders.is_empty()).then(|| view! {
                        <section class="card reminders" aria-labelledby="reminders-title">
                            <h2 id="reminders-title"><Icon name=IconName::Bell/>" "{t!(i18n, tasks.reminders)}</h2>
                            <ul class="plain-list" data-testid="reminders">
                                {mine.reminders.clone().into_iter().map(|r| {
                                    let id = r.id;
                                    view! {
                                        <li>
                                            <a href=format!("/projects/{}?tab=client", r.project.id)>{format!("{} {}", r.project.number, r.project.title)}</a>
                                            " · " <strong>{r.document.clone()}</strong>
                                            {r.expires_on.map(|d| view! { " · " {move || t_string!(i18n, tasks.expires, date = format_date_short(language(), d)).to_string()} })}
                                            " "
                                            <button type="button" class="link-button" on:click=move |_| changes.run(dismiss_reminder(id))>
                                                {t!(i18n, tasks.dismiss)}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    {nothing.then(|| view! { <p class="empty-state">{t!(i18n, tasks.nothing_to_do)}</p> })}
                    <Bucket id="overdue" title=Signal::derive(move || t_string!(i18n, tasks.bucket_overdue).to_string()) tasks=mine.overdue/>
                    <Bucket id="today" title=Signal::derive(move || t_string!(i18n, tasks.bucket_today).to_string()) tasks=mine.today/>
                    <Bucket id="week" title=Signal::derive(move || t_string!(i18n, tasks.bucket_week).to_string()) tasks=mine.this_week/>
                    <Bucket id="later" title=Signal::derive(move || t_string!(i18n, tasks.bucket_later).to_string()) tasks=mine.later/>
                    <Bucket id="review" title=Signal::derive(move || t_string!(i18n, tasks.bucket_review).to_string()) tasks=mine.review/>
                }.into_any()
            })}
        </Transition>
    }
}

#[component]
fn Bucket(
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    tasks: Vec<TaskLine>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    if tasks.is_empty() {
        return ().into_any();
    }
    let count = tasks.len();
    let heading = format!("bucket-{id}");
    view! {
        <section class="card bucket" data-bucket=id aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{title} " " <span class="badge">{count}</span></h2>
            <ul class="task-lines">
                {tasks.into_iter().map(|task| {
                    let status = task.status;
                    view! {
                        <li class="task-line">
                            <a class="task-line__title" href=task_href(task.id)>{task.title.clone()}</a>
                            <IndicatorBadges indicators=task.indicators/>
                            <span class="task-line__meta">
                                {match (task.project.clone(), task.opportunity.clone()) {
                                    (Some(p), _) => view! { <a href=format!("/projects/{}", p.id)>{p.number}</a> " · " }.into_any(),
                                    (None, Some(deal)) => view! {
                                        <a href=RecordKind::Opportunity.href(deal.id) data-testid="task-deal">{deal.title}</a> " · "
                                    }.into_any(),
                                    (None, None) => ().into_any(),
                                }}
                                <span class=format!("badge badge--{}", status.as_str())>{move || status_label(i18n.get_locale(), status)}</span>
                                {task.due_date.map(|d| view! { " · " {move || format_date_short(language(), d)} })}
                                {task.assignee.clone().filter(|_| status == crate::domain::TaskStatus::PendingReview)
                                    .map(|a| view! { " · " {a.name} })}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The number beside "My tasks": open tasks, highlighted when some are overdue or wait for
/// review. Loaded in the browser (the navigation renders before it).
#[component]
pub fn NavCounter() -> impl IntoView {
    let i18n = use_i18n();
    // Counted again on every navigation, so that it follows what the user just did.
    let location = leptos_router::hooks::use_location();
    let counts = LocalResource::new(move || {
        location.pathname.track();
        fetch_task_counts()
    });
    move || {
        counts.in_browser().and_then(Result::ok).and_then(|c| {
            let urgent = c.overdue + c.review + c.reminders;
            let shown = c.open + c.review;
            (shown > 0 || c.reminders > 0).then(|| view! {
                <span class="nav-count" class:nav-count--urgent={urgent > 0} data-testid="nav-my-tasks-count"
                    title=move || counts_title(i18n.get_locale(), c)>
                    {shown + c.reminders}
                </span>
            })
        })
    }
}

/// "3 open, 1 overdue, 0 to review, 1 reminder": each count with the form of the words that
/// follow it.
fn counts_title(locale: Locale, counts: TaskCounts) -> String {
    let singular = |count: i64| is_singular(from_locale(locale), count.unsigned_abs());
    let open = if singular(counts.open) {
        td_string!(locale, tasks.counts_open_singular, count = counts.open).to_string()
    } else {
        td_string!(locale, tasks.counts_open, count = counts.open).to_string()
    };
    let overdue = if singular(counts.overdue) {
        td_string!(
            locale,
            tasks.counts_overdue_singular,
            count = counts.overdue
        )
        .to_string()
    } else {
        td_string!(locale, tasks.counts_overdue, count = counts.overdue).to_string()
    };
    let review = if singular(counts.review) {
        td_string!(locale, tasks.counts_review_singular, count = counts.review).to_string()
    } else {
        td_string!(locale, tasks.counts_review, count = counts.review).to_string()
    };
    let reminders = if singular(counts.reminders) {
        td_string!(
            locale,
            tasks.counts_reminders_singular,
            count = counts.reminders
        )
        .to_string()
    } else {
        td_string!(locale, tasks.counts_reminders, count = counts.reminders).to_string()
    };
    td_string!(
        locale,
        tasks.counts_title,
        open = open,
        overdue = overdue,
        review = review,
        reminders = reminders
    )
    .to_string()
}
